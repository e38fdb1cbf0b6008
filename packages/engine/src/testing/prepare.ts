/**
 * Turns a policy test's inline sessions into engine inputs. A session without a date takes the
 * first day of its payer's effective range; a line without units is billed as the payer's unit
 * method supports (filled in after a first evaluation), so tests only state what they are about.
 */
import type { PolicyBundle, PolicyTest } from '../ir/policy.js';
import type { SessionInput } from '../evaluate/evaluate.js';
import type { Report } from '../report/report.js';
import { parseSessionRecord } from '../sessions/validate.js';

export interface PreparedTest {
    inputs: SessionInput[];
    /** Lines whose units the test left to the unit method: session index -> line indexes. */
    unitsToFill: Map<number, number[]>;
}

export function prepareSessions(bundle: PolicyBundle, test: PolicyTest): PreparedTest | { error: string } {
    const inputs: SessionInput[] = [];
    const unitsToFill = new Map<number, number[]>();
    for (const [index, raw] of test.sessions.entries()) {
        const record: Record<string, unknown> = { ...raw, date: raw['date'] ?? defaultDate(bundle, String(raw['payer'])) };
        const lines = Array.isArray(raw['lines']) ? raw['lines'] as Record<string, unknown>[] : [];
        const missing = lines.flatMap((line, lineIndex) => (line['units'] === undefined ? [lineIndex] : []));
        if (missing.length > 0) unitsToFill.set(index, missing);
        record['lines'] = lines.map(line => ({ ...line, units: line['units'] ?? 0 }));
        const parsed = parseSessionRecord(record, index + 1);
        if (!parsed.ok) return { error: `session ${index + 1}: ${parsed.error}` };
        inputs.push({ session: parsed.session, record: index + 1 });
    }
    return { inputs, unitsToFill };
}

/** Bills each line left without units with the units the first evaluation supports for its code. */
export function fillSupportedUnits(prepared: PreparedTest, report: Report): SessionInput[] {
    return prepared.inputs.map((input, index) => {
        const missing = prepared.unitsToFill.get(index);
        const result = report.sessions.find(s => s.id === input.session.id);
        if (!missing || !result) return input;
        const given = new Set<string>();
        const lines = input.session.lines.map((line, lineIndex) => {
            if (!missing.includes(lineIndex)) return line;
            // The supported units of a code go on its first line; further lines of the code bill 0.
            const units = given.has(line.code) ? 0 : result.units[line.code] ?? 0;
            given.add(line.code);
            return { ...line, units };
        });
        return { ...input, session: { ...input.session, lines } };
    });
}

function defaultDate(bundle: PolicyBundle, payerId: string): string {
    const from = bundle.payers.find(payer => payer.id === payerId && payer.effective.from)?.effective.from;
    return from ?? `${new Date().getUTCFullYear()}-01-01`;
}
