import { describe, expect, it } from 'vitest';
import type { Expr, Rule } from '../src/index.js';
import { statedMinutes } from '../src/rules/consistency.js';
import { bothWays, bundle, findings, line, payer, rules, run, session } from './fixtures.js';

const field = (path: string): Expr => ({ kind: 'field', path });
const is = (path: string, value: string | number): Expr => ({ kind: 'binary', op: '=', left: field(path), right: { kind: 'literal', value } });
const check = (rule: Rule, s: ReturnType<typeof session>, options = {}) => findings(run(bundle([payer([rule])]), [s], options));
const LOC = { file: 'test/policy.payrule', line: 20 };

describe('rule (modifiers and conditions)', () => {
    const gp = rules.line('discipline-modifier', {
        where: { kind: 'in', value: field('code'), set: { kind: 'codes', codes: ['97110', '97530'] } },
        clauses: [
            { type: 'require-modifier', modifiers: ['GP'], when: is('discipline', 'PT'), location: LOC },
            { type: 'require-modifier', modifiers: ['GO'], when: is('discipline', 'OT'), location: LOC }
        ]
    });

    it('requires a modifier on the lines it selects', () => {
        const result = check(gp, session([line('97110', 15, 1), line('97161', 30, 1), line('97530', 15, 1, ['GP'])]));
        expect(result).toHaveLength(1);
        expect(result[0]).toMatchObject({ line: 0, code: '97110', message: '97110 needs modifier GP', fix: 'Append GP to 97110' });
    });

    it('does not fire when the modifier is there or the clause does not apply', () => {
        expect(check(gp, session([line('97110', 15, 1, ['GP'])]))).toEqual([]);
        expect(check(gp, session([line('97110', 15, 1, ['GO'])], { discipline: 'OT' }))).toEqual([]);
    });

    it('forbids modifiers and checks conditions', () => {
        const cq = rules.line('assistant', {
            when: bin('>', field('assistantMinutes'), { kind: 'binary', op: '*', left: field('minutes'), right: { kind: 'literal', value: 0.1 } }),
            clauses: [{ type: 'require-modifier', modifiers: ['CQ'], location: LOC }]
        });
        const assisted = { ...line('97110', 30, 2), assistantMinutes: 10 };
        expect(check(cq, session([assisted]))).toMatchObject([{ fix: 'Append CQ to 97110' }]);
        expect(check(cq, session([{ ...assisted, assistantMinutes: 3 }]))).toEqual([]);
        const noKx = rules.line('no-kx', { clauses: [{ type: 'forbid-modifier', modifiers: ['KX'], location: LOC }] });
        expect(check(noKx, session([line('97110', 30, 2, ['GP', 'KX'])]))).toMatchObject([{ fix: 'Remove KX from 97110' }]);
        const units = rules.line('units-cap', { clauses: [{ type: 'require', condition: bin('<=', field('units'), { kind: 'literal', value: 4 }), text: 'units <= 4', location: LOC }] });
        expect(check(units, session([line('97110', 90, 6)]))).toMatchObject([{ message: '97110: requires units <= 4' }]);
    });

    it('raises a rule without clauses when its condition holds, with its message template', () => {
        const long = rules.line('long-day', {
            scope: 'session', severity: 'warning', message: '{patient} had {timedMinutes} timed minutes on {date}',
            when: bin('>', field('timedMinutes'), { kind: 'literal', value: 120 })
        });
        expect(check(long, session([line('97110', 130, 9)]))).toMatchObject([{ severity: 'warning', message: 'P-1 had 130 timed minutes on 2026-03-04' }]);
        expect(check(long, session([line('97110', 60, 4)]))).toEqual([]);
    });
});

function bin(op: '>' | '<=', left: Expr, right: Expr): Expr {
    return { kind: 'binary', op, left, right };
}

describe('documentation', () => {
    const notes = rules.documentation('notes', {
        codes: ['97530'],
        requires: ['activities', 'functional-goals', 'patient-response'],
        vague: [{ element: 'activities', phrases: ['therapeutic activities performed', 'good participation'] }],
        minLength: 10
    });
    const good = {
        activities: 'Floor-to-counter lift of 10 lb box x10 with cues for hip hinge',
        'functional-goals': 'Return to home maintenance: lift 20 lb',
        'patient-response': 'Needed 2 verbal cues; no pain increase'
    };

    it('passes a complete, specific note and ignores sessions without the codes', () => {
        expect(check(notes, session([line('97530', 38, 3)], { note: good }))).toEqual([]);
        expect(check(notes, session([line('97110', 38, 3)]))).toEqual([]);
    });

    it('reports missing, blank and short elements', () => {
        const result = check(notes, session([line('97530', 38, 3)], { note: { activities: good.activities, 'functional-goals': '   ', 'patient-response': 'ok' } }));
        expect(result.map(f => f.message)).toEqual([
            'The note has no functional-goals element',
            "The note's patient-response is 2 characters; at least 10 are needed"
        ]);
        expect(result[0]!.fix).toBe('Add the functional-goals element to the note');
    });

    it('reports vague elements: stock phrases removed, fewer than 3 words left', () => {
        const vague = (activities: string) => check(notes, session([line('97530', 38, 3)], { note: { ...good, activities } }));
        expect(vague('Therapeutic activities performed. Good participation!')).toHaveLength(1);
        expect(vague('THERAPEUTIC   activities, performed; good participation, tolerated well')).toHaveLength(1);
        expect(vague('Therapeutic activities performed: lifted 10 lb box x10')).toEqual([]);
    });
});

describe('consistency', () => {
    const time = rules.consistency('time', { element: 'total-timed-minutes', toleranceMinutes: 2 });

    it('passes when the lines, the total time and the note agree', () => {
        expect(check(time, session([line('97110', 23, 2), line('97161', 20, 1)], { totalMinutes: 45, note: { 'total-timed-minutes': '24 min' } }))).toEqual([]);
    });

    it('flags timed minutes beyond the total treatment time', () => {
        expect(check(time, session([line('97110', 50, 3)], { totalMinutes: 45 }))).toMatchObject([{ message: expect.stringContaining('more than the 45 minutes') }]);
    });

    it('flags a note that states other timed minutes than the lines', () => {
        const result = check(time, session([line('97110', 38, 3)], { note: { 'total-timed-minutes': 'Total timed: 30 minutes' } }));
        expect(result).toMatchObject([{ message: 'The note states 30 timed minutes; the timed lines add up to 38' }]);
    });

    const exact = rules.consistency('time', { element: 'total-timed-minutes' });
    const twoCodes = (stated: string) => session([line('97110', 25, 2), line('97140', 15, 1)], { note: { 'total-timed-minutes': stated } });

    it('reads the total of a note that lists minutes per code, never a code as minutes', () => {
        expect(check(exact, twoCodes('97110 25 min + 97140 15 min = 40'))).toEqual([]);
        expect(check(exact, twoCodes('97110: 25 min, 97140: 15 min; total 40 min'))).toEqual([]);
        const [finding] = check(exact, twoCodes('97110 25 min + 97140 15 min = 38'));
        expect(finding!.message).toBe('The note states 38 timed minutes; the timed lines add up to 40');
    });

    it('does not claim a number when it cannot tell which is the total', () => {
        const [finding] = check(exact, twoCodes('97110 25 min, 97140 15 min'));
        expect(finding!.message).toBe('Payrule cannot tell the total timed minutes from the note\'s total-timed-minutes: "97110 25 min, 97140 15 min"');
        expect(finding!.message).not.toContain('97110 timed minutes');
        expect(finding!.fix).toContain('one number');
        const [none] = check(exact, twoCodes('see flowsheet'));
        expect(none!.message).toBe('The note\'s total-timed-minutes states no number of minutes: "see flowsheet"');
    });

    it('gives the same result through the compiled checks', () => {
        const policy = bundle([payer([exact])]);
        const notes = ['97110 25 min + 97140 15 min = 40', '97110 25 min + 97140 15 min = 38', '97110 25 min, 97140 15 min', '97530', '40', 'see flowsheet'];
        const { compiled, interpreted } = bothWays(policy, notes.map(twoCodes));
        expect(compiled).toEqual(interpreted);
        expect(compiled.map(result => result.findings.length)).toEqual([0, 1, 1, 1, 0, 1]);
    });
});

describe('statedMinutes: the total timed minutes a note states', () => {
    it('reads a lone number, with or without its unit', () => {
        expect(statedMinutes('38')).toBe(38);
        expect(statedMinutes('38 min')).toBe(38);
        expect(statedMinutes('38min')).toBe(38);
        expect(statedMinutes('Timed minutes: 38.')).toBe(38);
    });

    it('reads the total after "=" or after the word "total"', () => {
        expect(statedMinutes('97110 25 min + 97140 15 min = 40')).toBe(40);
        expect(statedMinutes('25 + 15 = 40 min')).toBe(40);
        expect(statedMinutes('Total timed: 40 minutes')).toBe(40);
        expect(statedMinutes('TOTAL TIMED CODE TREATMENT MINUTES: 53')).toBe(53);
        expect(statedMinutes('97110 (25 min), 97140 (15 min); total = 40')).toBe(40);
        expect(statedMinutes('97110 = 25, 97140 = 15, total = 40')).toBe(40);
        expect(statedMinutes('Ther ex 23 min, manual 15 min, total timed 38 min')).toBe(38);
    });

    it('reads the timed total when the note also gives the total treatment time', () => {
        expect(statedMinutes('Total timed minutes 38; total treatment time 45 minutes')).toBe(38);
        expect(statedMinutes('Total treatment time 45 min, total timed 38 min')).toBe(38);
        expect(statedMinutes('Timed 25 min, untimed 20 min, total timed 25, total treatment 45')).toBe(25);
        // The only total is the treatment time: the timed minutes are the other number.
        expect(statedMinutes('Timed 38 min; total treatment time 45 min')).toBe(38);
    });

    it('never reads a count of units or hours as minutes', () => {
        expect(statedMinutes('38 min = 3 units')).toBe(38);
        expect(statedMinutes('1 hr 15 min')).toBeUndefined();
        expect(statedMinutes('1.5 hours')).toBeUndefined();
    });

    it('reads the one number followed by "min" when other numbers are not minutes', () => {
        expect(statedMinutes('40 minutes (97110 x2 units, 97140 x1 unit)')).toBe(40);
        expect(statedMinutes('G0283 unattended; 97035 ultrasound 15 mins')).toBe(15);
        expect(statedMinutes('40 min total')).toBe(40);
    });

    it('never reads a CPT or HCPCS code as minutes', () => {
        expect(statedMinutes('97530')).toBeUndefined();
        expect(statedMinutes('G0283')).toBeUndefined();
        expect(statedMinutes('Total: 97110, 97140')).toBeUndefined();
        expect(statedMinutes('= 97110')).toBeUndefined();
    });

    it('claims no number when it cannot tell', () => {
        expect(statedMinutes('see flowsheet')).toBeUndefined();
        expect(statedMinutes('97110 25 min, 97140 15 min')).toBeUndefined();
        expect(statedMinutes('97110 25, 97140 15')).toBeUndefined();
        expect(statedMinutes('97110 = 25, 97140 = 15')).toBeUndefined();
        expect(statedMinutes('10:30 to 11:15')).toBeUndefined();
        expect(statedMinutes('1 hour')).toBeUndefined();
        expect(statedMinutes('38.5')).toBeUndefined();
        expect(statedMinutes('Total untimed 20 min; total treatment 45 min')).toBeUndefined();
        expect(statedMinutes('timed 25 min + untimed 20 min = 45')).toBeUndefined();
    });
});

describe('filing', () => {
    const late = rules.filing('late', 12, 'months');

    it('counts months with the day clamped and the last day included', () => {
        expect(check(late, session([line('97110', 15, 1)], { date: '2024-02-29', submitted: '2025-02-28' }))).toEqual([]);
        const result = check(late, session([line('97110', 15, 1)], { date: '2024-02-29', submitted: '2025-03-01' }));
        expect(result).toMatchObject([{ message: 'Submitted 2025-03-01, 1 day after the filing deadline of 2025-02-28' }]);
    });

    it('uses the as-of date when there is no submitted date, and skips otherwise', () => {
        const s = () => session([line('97110', 15, 1)], { date: '2025-01-15' });
        expect(check(late, s())).toEqual([]);
        expect(check(late, s(), { asOf: '2026-01-15' })).toEqual([]);
        expect(check(late, s(), { asOf: '2026-01-16' })).toMatchObject([{ message: 'Not submitted, and the filing deadline of 2026-01-15 has passed' }]);
    });

    it('counts days', () => {
        const days = rules.filing('days', 90, 'days');
        expect(check(days, session([line('97110', 15, 1)], { date: '2026-01-01', submitted: '2026-04-01' }))).toEqual([]);
        expect(check(days, session([line('97110', 15, 1)], { date: '2026-01-01', submitted: '2026-04-02' }))).toHaveLength(1);
    });
});
