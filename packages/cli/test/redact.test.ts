import type { Session } from '@payrule/engine';
import { describe, expect, it } from 'vitest';
import type { SessionSource } from '../src/report/context.js';
import { isNameField, loadRedactKey, Redactor, redactRun } from '../src/report/redact.js';
import { sampleReport } from './sample-report.js';

const KEY = Buffer.from('a-key-of-sixteen-or-more');

function source(id: string, patient: string, extra?: Record<string, unknown>): SessionSource {
    const session: Session = {
        id, patient, date: '2026-03-04', payer: 'medicare', discipline: 'PT', diagnoses: [], note: { activities: `Mr. Lee walked; ${patient} chart` },
        lines: [{ code: '97530', units: 2, modifiers: ['GP'] }], ...(extra ? { extra } : {})
    };
    return { file: 'sessions.json', record: 1, session };
}

describe('Redactor', () => {
    it('makes the same token for the same identifier under one key, another under another key', () => {
        const one = new Redactor(KEY);
        const token = one.patient('P-0042');
        expect(token).toMatch(/^pt_[0-9a-f]{12}$/);
        expect(one.patient('P-0042')).toBe(token);
        expect(new Redactor(KEY).patient('P-0042')).toBe(token);
        expect(new Redactor(Buffer.from('another-key-of-sixteen')).patient('P-0042')).not.toBe(token);
        expect(one.patient('P-0043')).not.toBe(token);
        expect(one.name('P-0042')).toMatch(/^nm_/);
    });

    it('replaces known identifiers and names where they stand alone or as parts of a hyphenated word, never inside other words', () => {
        const redactor = new Redactor(KEY);
        const token = redactor.patient('P-0042');
        const name = redactor.name('Wei Lee');
        expect(redactor.text('Patient P-0042 (p-0042), session S-P-0042-7, file P-0042.csv')).toBe(`Patient ${token} (${token}), session S-${token}-7, file ${token}.csv`);
        expect(redactor.text('P-00421 and XP-0042 stay')).toBe('P-00421 and XP-0042 stay');
        expect(redactor.text('Mr. Lee walked with Wei')).toBe(`Mr. ${name} walked with ${name}`);
        expect(redactor.text('Leeway and sleepy')).toBe('Leeway and sleepy');
        expect(new Redactor(KEY).text('nothing known yet: P-0042')).toBe('nothing known yet: P-0042');
    });

    it('does not search text for identifiers too short to be told from other words', () => {
        const redactor = new Redactor(KEY);
        const token = redactor.patient('42');
        expect(token).toMatch(/^pt_/);
        expect(redactor.text('42 minutes')).toBe('42 minutes');
    });
});

describe('redactRun', () => {
    it('hides the values a rejection reason quotes from its record: the record never became a session, so its people are unknown', () => {
        const report = sampleReport();
        report.rejected[0]!.error = 'row 4: patient "JONES" differs from row 3 ("SMITH"); discipline must be PT, OT or SLP, not "P-\\"0042"';
        const result = redactRun(report, new Map(), new Redactor(KEY));
        expect(result.report.rejected[0]!.error)
            .toBe('row 4: patient "[redacted]" differs from row 3 ("[redacted]"); discipline must be PT, OT or SLP, not "[redacted]"');
    });

    it('keeps the quoted name of a field, an element or a column: it says what to fix, and is no patient\'s', () => {
        const reasons: [string, string][] = [
            ['record 3: missing required field "patient"; note element "activities" must be text, not 42',
                'record 3: missing required field "patient"; note element "activities" must be text, not 42'],
            ['row 7: missing required field "session_id"', 'row 7: missing required field "session_id"'],
            ['column "patient" is empty', 'column "patient" is empty'],
            ['payer "aetna" is not declared; date "2026-02-30" is not a real date; not "P-0099"',
                'payer "[redacted]" is not declared; date "[redacted]" is not a real date; not "[redacted]"'],
            ['row 4: patient "JONES" differs from row 3 ("SMITH")', 'row 4: patient "[redacted]" differs from row 3 ("[redacted]")'],
            // A value that only looks like a field name: `fieldwork` is not the word `field`.
            ['fieldwork "JONES"', 'fieldwork "[redacted]"']
        ];
        for (const [reason, redacted] of reasons) {
            const report = sampleReport();
            report.rejected[0]!.error = reason;
            expect(redactRun(report, new Map(), new Redactor(KEY)).report.rejected[0]!.error, reason).toBe(redacted);
        }
    });

    it('replaces patients in the report, and identifiers and names quoted in findings, rejections and records', () => {
        const report = sampleReport();
        const first = report.sessions[0]!;
        first.findings[0]!.explain.push('Note for P-0042 (Lee) is vague');
        first.findings[0]!.fix = 'Ask Wei Lee\'s therapist to expand the note';
        report.rejected[0]!.error = 'row 5 of P-0042: minutes must be a non-negative integer';
        const sources = new Map([
            ['S-2026-0001', source('S-2026-0001', 'P-0042', { patient_name: 'Wei Lee' })],
            ['S-2026-0002', source('S-2026-0002', 'P-0042')],
            ['S-2026-0003', source('S-2026-0003', 'P-0050', { 'First Name': 'Ana' })]
        ]);
        const redactor = new Redactor(KEY);
        const result = redactRun(report, sources, redactor);
        const text = JSON.stringify(result.report) + JSON.stringify([...result.sources.values()]);
        for (const raw of ['P-0042', 'P-0050', 'Wei', 'Lee']) expect(text).not.toContain(raw);
        const token = redactor.patient('P-0042');
        expect(result.report.sessions.map(s => s.patient)).toEqual([token, token, redactor.patient('P-0050')]);
        expect(result.report.sessions[0]!.findings[0]!.explain.at(-1)).toBe(`Note for ${token} (${redactor.name('Wei Lee')}) is vague`);
        expect(result.report.rejected[0]!.error).toBe(`row 5 of ${token}: minutes must be a non-negative integer`);
        const redactedSource = result.sources.get('S-2026-0001')!;
        expect(redactedSource.session.patient).toBe(token);
        expect(redactedSource.session.extra).toEqual({ patient_name: redactor.name('Wei Lee') });
        expect(result.sources.get('S-2026-0003')!.session.extra).toEqual({ 'First Name': redactor.name('Ana') });
        // The input is left as it was.
        expect(report.sessions[0]!.patient).toBe('P-0042');
    });

    it('knows name fields by their usual names', () => {
        for (const key of ['name', 'patient_name', 'PatientName', 'First Name', 'last-name', 'surname', 'full_name', 'pt_name']) expect(isNameField(key), key).toBe(true);
        for (const key of ['payer_name', 'provider_name', 'code', 'scenario', 'filename']) expect(isNameField(key), key).toBe(false);
    });
});

describe('loadRedactKey', () => {
    it('takes the key from PAYRULE_REDACT_KEY, refuses to go on without one, and has nothing to do without --redact', () => {
        expect(loadRedactKey({ redact: true }, { PAYRULE_REDACT_KEY: 'sixteen-chars-ok' }, '/')).toEqual(Buffer.from('sixteen-chars-ok'));
        expect(() => loadRedactKey({ redact: true }, {}, '/')).toThrow(/--redact needs the practice's secret key/);
        expect(() => loadRedactKey({ redact: true }, { PAYRULE_REDACT_KEY: '' }, '/')).toThrow(/secret key/);
        expect(loadRedactKey({}, { PAYRULE_REDACT_KEY: 'sixteen-chars-ok' }, '/')).toBeUndefined();
    });
});
