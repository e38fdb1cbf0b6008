import { describe, expect, it } from 'vitest';
import { evaluate, type Report, type Session } from '../src/index.js';
import { bundle, line, LOC, payer, rules, session, shuffled } from './fixtures.js';

const policy = bundle([payer([
    rules.units('pooled'),
    rules.limit('mue', 4, 'day', { codes: ['97530'] }),
    rules.limit('visits', 5, 'month', { measure: 'visits', severity: 'warning' }),
    rules.line('gp', { clauses: [{ type: 'require-modifier', modifiers: ['GP'], location: LOC }] }),
    rules.threshold('kx', 150, { modifiers: ['KX'] }),
    rules.threshold('review', 250, { severity: 'info' }),
    rules.pair('distinct', ['97140'], ['97161'], ['59']),
    rules.documentation('notes', { requires: ['activities'] }),
    rules.consistency('time', { toleranceMinutes: 0 }),
    rules.filing('late', 30, 'days'),
    rules.authorization('auth', 6)
], { fees: { '97110': 30, '97140': 25, '97530': 35, '97161': 100 } })]);

/** A month of visits for three patients, with some same-day sessions and a mix of problems. */
function sessions(): Session[] {
    const result: Session[] = [];
    for (const patient of ['P-1', 'P-2', 'P-3']) {
        for (let day = 1; day <= 9; day++) {
            const date = `2026-04-${String(Math.ceil(day / 2)).padStart(2, '0')}`;
            const lines = [line('97530', 20 + day, day % 4 === 0 ? 3 : 2, ['GP']), line(day % 2 ? '97140' : '97161', 8 + day, 1, day % 5 ? ['GP'] : [])];
            result.push(session(lines, {
                id: `${patient}-${day}`, patient, date, totalMinutes: 40,
                note: day % 3 ? { activities: 'Lift 10 lb box x10' } : {},
                submitted: day === 7 ? '2026-06-30' : date
            }));
        }
    }
    return result;
}

const byId = (report: Report) => [...report.sessions].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('results do not depend on input order', () => {
    it('gives the same findings for every shuffle, and keeps input order in the report', () => {
        const input = sessions();
        const first = evaluate(policy, input.map((s, i) => ({ session: s, record: i + 1 })), []);
        const fired = new Set(first.sessions.flatMap(s => s.findings.map(f => f.rule)));
        expect(fired).toEqual(new Set(['units-match', 'mue', 'visits', 'gp', 'kx', 'review', 'distinct', 'notes', 'time', 'late', 'auth']));
        expect(first.summary.findings.error).toBeGreaterThan(5);
        expect(first.summary.findings.warning + first.summary.findings.info).toBeGreaterThan(0);
        for (const seed of [11, 23, 42]) {
            const order = shuffled(input, seed);
            const report = evaluate(policy, order.map((s, i) => ({ session: s, record: i + 1 })), []);
            expect(report.sessions.map(s => s.id)).toEqual(order.map(s => s.id));
            expect(byId(report)).toEqual(byId(first));
            expect(report.summary).toEqual(first.summary);
        }
    });
});
