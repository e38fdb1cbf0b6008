/**
 * The catalogue of bad inputs: session files as exports get them wrong. Each case is a file
 * (name and content) checked with `payrule check --policy examples/packs --format json`; the
 * tests (bad-inputs.test.ts) state the outcome of each, and README.md lists them.
 */

/** A valid Medicare session, as DATA.md §1 shows it; cases start from it and break one thing. */
export function goodSession(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        id: 'S-1',
        patient: 'P-0042',
        date: '2026-03-04',
        payer: 'medicare',
        discipline: 'PT',
        provider: { id: '1234567893', role: 'PT' },
        lines: [{ code: '97530', minutes: 38, units: 3, modifiers: ['GP'] }],
        totalMinutes: 38,
        note: {
            'total-timed-minutes': '38',
            activities: 'Floor-to-counter lift of 10 lb box x10 with cues for hip hinge',
            'functional-goals': 'Return to home maintenance: lift 20 lb to counter',
            'patient-response': 'Needed 2 verbal cues; no pain increase'
        },
        submitted: '2026-03-10',
        ...overrides
    };
}

export function line(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { code: '97530', minutes: 38, units: 3, modifiers: ['GP'], ...overrides };
}

export const ndjson = (records: unknown[]) => records.map(record => JSON.stringify(record)).join('\n') + '\n';

export const CSV_HEADER = 'session_id,patient,date,payer,discipline,code,minutes,units,modifiers,total_minutes,note_total-timed-minutes,note_activities,note_functional-goals,note_patient-response';

/** One CSV row of a good session (one claim line), with cells replaced by column name. */
export function csvRow(cells: Record<string, string> = {}): string {
    const values: Record<string, string> = {
        session_id: 'S-1', patient: 'P-0042', date: '2026-03-04', payer: 'medicare', discipline: 'PT', code: '97530', minutes: '38', units: '3',
        modifiers: 'GP', total_minutes: '38', 'note_total-timed-minutes': '38',
        note_activities: 'Floor-to-counter lift of 10 lb box x10 with cues for hip hinge',
        'note_functional-goals': 'Return to home maintenance: lift 20 lb to counter',
        'note_patient-response': 'Needed 2 verbal cues; no pain increase',
        ...cells
    };
    return CSV_HEADER.split(',').map(column => csvCell(values[column] ?? '')).join(',');
}

export function csvCell(value: string): string {
    return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Nested arrays `depth` deep, written without recursion. */
export function deeplyNested(depth: number): string {
    return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}
