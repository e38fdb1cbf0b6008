import { describe, expect, it } from 'vitest';
import { evaluate, type Report, type Rule, type Session } from '../src/index.js';
import { bothWays, bundle, findings, line, payer, rules, run, session, shuffled } from './fixtures.js';

const policyOf = (rule: Rule, fees: Record<string, number> = {}) => bundle([payer([rule], { fees })]);
const onDate = (date: string, lines = [line('97530', 38, 3)], extra: Partial<Session> = {}) => session(lines, { date, ...extra });

describe('limit', () => {
    it('flags units over the limit per visit', () => {
        const rule = rules.limit('visit-97530', 4, 'visit', { codes: ['97530'], severity: 'warning' });
        expect(findings(run(policyOf(rule), [onDate('2026-03-04', [line('97530', 68, 4)])]))).toEqual([]);
        const [finding] = findings(run(policyOf(rule), [onDate('2026-03-04', [line('97530', 83, 6)])]));
        expect(finding).toMatchObject({ severity: 'warning', line: 0, code: '97530', message: '97530 billed 6 units this visit; at most 4 per visit', fix: 'Reduce 97530 by 2 units (bill 4)' });
    });

    it('counts a day across sessions in id order and flags the session that passes the limit', () => {
        const rule = rules.limit('mue', 6, 'day', { codes: ['97530'] });
        const a = onDate('2026-03-04', [line('97530', 68, 4)], { id: 'A' });
        const b = onDate('2026-03-04', [line('97530', 68, 4)], { id: 'B' });
        const c = onDate('2026-03-05', [line('97530', 68, 4)], { id: 'C' });
        for (const order of [[a, b, c], [c, b, a]]) {
            const report = run(policyOf(rule), order);
            expect(findings(report, 'A')).toEqual([]);
            expect(findings(report, 'B')).toMatchObject([{ fix: 'Reduce 97530 by 2 units (bill 2)' }]);
            expect(findings(report, 'C')).toEqual([]);
        }
    });

    it('uses ISO weeks, months and calendar years, per payer id', () => {
        const weekly = rules.limit('weekly', 4, 'week', { codes: ['97530'] });
        // 2026-03-08 is a Sunday (same week as Monday 03-02); 2026-03-09 starts a new week.
        const report = run(policyOf(weekly), [onDate('2026-03-02', undefined, { id: 'W1' }), onDate('2026-03-08', undefined, { id: 'W2' }), onDate('2026-03-09', undefined, { id: 'W3' })]);
        expect(findings(report, 'W2')).toMatchObject([{ fix: 'Reduce 97530 by 2 units (bill 1)' }]);
        expect(findings(report, 'W3')).toEqual([]);
        const visits = rules.limit('visits', 2, 'year', { measure: 'visits' });
        const other = bundle([payer([visits]), payer([visits], { id: 'acme-ppo', name: 'Acme' })]);
        const yearly = run(other, [
            onDate('2026-01-05', undefined, { id: 'Y1' }), onDate('2026-02-05', undefined, { id: 'Y2' }),
            onDate('2026-03-05', undefined, { id: 'Y3', payer: 'acme-ppo' }), onDate('2026-04-05', undefined, { id: 'Y4' }),
            onDate('2027-01-05', undefined, { id: 'Y5' })
        ]);
        expect(yearly.sessions.filter(s => s.findings.length > 0).map(s => s.id)).toEqual(['Y4']);
        expect(findings(yearly, 'Y4')[0]!.message).toBe('Visit 3 in 2026; at most 2 visits per year');
    });
    it('keeps each patient and payer id to their own timeline, whatever characters the ids hold', () => {
        // Joined with a separator alone, ("a", "b\0c") and ("a\0b", "c") would make one timeline.
        const visits = rules.limit('weekly-visits', 2, 'week', { measure: 'visits' });
        const policy = bundle([payer([visits], { id: 'c' }), payer([visits], { id: 'b\u0000c', name: 'Other' })]);
        const report = run(policy, [
            onDate('2026-03-02', undefined, { id: 'B1', patient: 'a\u0000b', payer: 'c' }),
            onDate('2026-03-03', undefined, { id: 'A1', patient: 'a', payer: 'b\u0000c' }),
            onDate('2026-03-04', undefined, { id: 'A2', patient: 'a', payer: 'b\u0000c' }),
            onDate('2026-03-05', undefined, { id: 'B2', patient: 'a\u0000b', payer: 'c' })
        ]);
        expect(report.sessions.flatMap(result => result.findings)).toEqual([]);
    });
});

describe('threshold (KX)', () => {
    const kx = rules.threshold('kx', 100, { modifiers: ['KX'] });
    const history = (): Session[] => [
        onDate('2026-01-10', [{ ...line('97110', 30, 2, ['GP']), allowed: 60 }], { id: 'T1' }),
        onDate('2026-02-10', [{ ...line('97110', 30, 2, ['GP']), allowed: 30 }, line('97140', 15, 1, ['GP'])], { id: 'T2' }),
        onDate('2026-03-10', [{ ...line('97110', 30, 2, ['GP']), allowed: 30 }], { id: 'T3' }),
        onDate('2026-03-10', [{ ...line('97110', 30, 2, ['GP', 'KX']), allowed: 30 }], { id: 'T4', discipline: 'OT' }),
        onDate('2027-01-10', [{ ...line('97110', 30, 2, ['GP']), allowed: 60 }], { id: 'T5' })
    ];
    const check = (sessions: Session[]) => run(policyOf(kx, { '97140': 20 }), sessions);

    it('needs KX on every line once the running total (itself included) passes the amount', () => {
        const report = check(history());
        expect(findings(report, 'T1')).toEqual([]);
        // 60 + 30 = 90, then the fee of 97140 (20) makes 110: past 100 on that line.
        expect(findings(report, 'T2')).toMatchObject([{ line: 1, code: '97140', fix: 'Append KX to 97140 (with documentation that the services remain medically necessary)' }]);
        expect(findings(report, 'T2')[0]!.explain).toEqual([
            '$90.00 allowed for PT and SLP in 2026 before this line (medicare)',
            '97140: $20.00 (Medicare fee for 97140)',
            'Running total $110.00 exceeds $100.00'
        ]);
        expect(findings(report, 'T3')).toHaveLength(1);
        expect(findings(report, 'T4')).toEqual([]);
        expect(findings(report, 'T5')).toEqual([]);
    });

    it('prices a line without an allowed amount at the fee for each of its units', () => {
        // A fee schedule prices one unit: 2 units of 97140 at $20.00 are $40.00, which takes $90.00 past $100.00.
        const report = check([
            onDate('2026-01-10', [{ ...line('97110', 30, 2, ['GP']), allowed: 90 }], { id: 'U1' }),
            onDate('2026-02-10', [line('97140', 30, 2, ['GP'])], { id: 'U2' })
        ]);
        expect(findings(report, 'U2')[0]!.explain).toEqual([
            '$90.00 allowed for PT and SLP in 2026 before this line (medicare)',
            '97140: $40.00 (2 units at the Medicare fee for 97140, $20.00 each)',
            'Running total $130.00 exceeds $100.00'
        ]);
    });

    it('gives identical findings whatever the order of the sessions', () => {
        const expected = JSON.stringify(check(history()).sessions.map(s => [s.id, s.findings]).sort());
        for (const seed of [1, 2, 3, 4, 5]) {
            const report = check(shuffled(history(), seed));
            expect(JSON.stringify(report.sessions.map(s => [s.id, s.findings]).sort())).toBe(expected);
        }
    });

    it('without modifiers reports only the crossing line', () => {
        const review = rules.threshold('review', 100, { severity: 'info' });
        const report = run(policyOf(review, { '97140': 20 }), history());
        expect(report.sessions.flatMap(s => s.findings.map(f => [s.id, f.code, f.severity]))).toEqual([['T2', '97140', 'info']]);
    });
});

describe('threshold lines without an amount', () => {
    const kx = rules.threshold('kx', 100, { modifiers: ['KX'] });
    const review = rules.threshold('review', 3000, { severity: 'info' });
    const priced = (minutes: number) => ({ ...line('97110', minutes, 2, ['GP']), allowed: 60 });

    it('says once per payer id how many lines counted as $0.00, and why a KX finding may be missing', () => {
        const report = run(bundle([payer([kx, review], { fees: { '97140': 20 } })]), [
            // Unpriced: 97110 with no allowed amount and no fee (twice). Priced: an allowed amount, or the fee of 97140.
            session([line('97110', 30, 2, ['GP']), priced(30), line('97140', 15, 1, ['GP'])], { id: 'A' }),
            session([line('97110', 30, 2, ['GP'])], { id: 'B', date: '2026-03-05' }),
            // Not counted: a line of no units (not on the claim), and a discipline no threshold accrues over.
            session([{ ...line('97110', 5, 0, ['GP']) }, priced(30)], { id: 'C', date: '2026-03-06' }),
            session([line('97530', 30, 2, ['GO'])], { id: 'D', discipline: 'OT' })
        ]);
        expect(report.notices).toEqual([{
            kind: 'unpriced-lines', payer: 'medicare', lines: 2, of: 5,
            message: '2 of 5 lines that count toward the medicare thresholds (kx and review) have no allowed amount, and the policy has no fee '
                + 'for their codes. Each was counted as $0.00, so a line that needs KX can go without a finding. '
                + "Export the lines with their allowed amounts, or add the payer's fees to the policy."
        }]);
    });

    it('gives no notice when every line has an amount, or the payer has no threshold', () => {
        expect(run(bundle([payer([kx])]), [session([priced(30)])]).notices).toBeUndefined();
        expect(run(bundle([payer([rules.units()])]), [session([line('97110', 30, 2, ['GP'])])]).notices).toBeUndefined();
    });

    it('says "all" when no line has one (and "the one line" for one), and words a threshold without a modifier as a threshold passed unseen', () => {
        const [notice] = run(bundle([payer([review])]), [session([line('97110', 30, 2, ['GP'])])]).notices!;
        expect(notice!.message).toMatch(/^The one line that counts toward the medicare threshold \(review\) has no allowed amount, and the policy has no fee for its code\. It was counted as \$0\.00, so a patient can pass a threshold without a finding\./);
        const two = run(bundle([payer([review])]), [session([line('97110', 30, 2, ['GP']), line('97140', 15, 1, ['GP'])])]).notices!;
        expect(two[0]!.message).toMatch(/^All 2 lines that count toward the medicare threshold \(review\) have no allowed amount, and the policy has no fee for their codes\. Each was/);
    });
});

describe('pair', () => {
    const distinct = rules.pair('distinct', ['97530'], ['97161', '97162'], ['59', 'XU']);

    it('needs a distinct-service modifier on either line when the codes meet on one date', () => {
        const billed = (a: string[], b: string[]) => findings(run(policyOf(distinct), [session([line('97530', 38, 3, a), line('97161', 30, 1, b)])]));
        expect(billed(['GP'], ['GP'])).toMatchObject([{ line: 0, code: '97530', message: '97530 billed with 97161 on 2026-03-04 needs modifier 59 or XU' }]);
        expect(billed(['GP', '59'], ['GP'])).toEqual([]);
        expect(billed(['GP'], ['GP', 'XU'])).toEqual([]);
    });

    it('looks across sessions of one patient, date and payer id only', () => {
        const a = session([line('97530', 38, 3)], { id: 'A' });
        const b = session([line('97161', 30, 1)], { id: 'B' });
        const c = session([line('97161', 30, 1)], { id: 'C', patient: 'P-2' });
        const report = run(policyOf(distinct), [a, b, c]);
        expect(findings(report, 'A')[0]!.explain[0]).toContain('(in session B)');
        expect(findings(report, 'B')).toEqual([]);
        const otherDay = run(policyOf(distinct), [session([line('97530', 38, 3)]), session([line('97161', 30, 1)], { date: '2026-03-05' })]);
        expect(otherDay.summary.sessionsWithFindings).toBe(0);
    });

    it('skips a line billed with 0 units, on either side of the pair: it is not on the claim', () => {
        // 15 + 7 pooled minutes are 1 unit, all of it 97110's: 97140 is kept on the record with 0 units.
        const evalManual = rules.pair('eval-97140', ['97140'], ['97161'], ['59']);
        const zeroFirst = session([line('97161', undefined, 1, ['GP']), line('97110', 15, 1, ['GP']), line('97140', 7, 0, ['GP'])]);
        expect(findings(run(policyOf(evalManual), [zeroFirst]))).toEqual([]);
        const zeroPartner = session([line('97530', 38, 3, ['GP']), line('97161', 30, 0, ['GP'])]);
        expect(findings(run(policyOf(distinct), [zeroPartner]))).toEqual([]);
        const never = rules.pair('never', ['97530'], ['97150']);
        expect(findings(run(policyOf(never), [session([line('97530', 7, 0), line('97150', 30, 1)])]))).toEqual([]);
    });

    it('skips a 0-unit partner in another session of the day, and still pairs a billed one', () => {
        const a = session([line('97530', 38, 3)], { id: 'A' });
        const zero = session([line('97161', 30, 0)], { id: 'B' });
        expect(findings(run(policyOf(distinct), [a, zero]), 'A')).toEqual([]);
        const billed = session([line('97162', 30, 1)], { id: 'C' });
        expect(findings(run(policyOf(distinct), [a, zero, billed]), 'A')).toMatchObject([{ message: '97530 billed with 97162 on 2026-03-04 needs modifier 59 or XU' }]);
    });

    it('gives the same result through the compiled checks, with no finding for a 0-unit line', () => {
        const policy = policyOf(distinct);
        const day = [
            session([line('97530', 7, 0), line('97161', 30, 1)], { id: 'A' }),
            session([line('97530', 38, 3)], { id: 'B' }),
            session([line('97162', 30, 0)], { id: 'C' }),
            session([line('97530', 38, 3, ['59']), line('97161', 30, 1)], { id: 'D' })
        ];
        const { compiled, interpreted } = bothWays(policy, day);
        expect(compiled).toEqual(interpreted);
        expect(compiled.map(result => result.findings.map(f => f.rule))).toEqual([[], ['distinct'], [], []]);
    });

    it('without modifiers the codes may not be billed together', () => {
        const never = rules.pair('never', ['97530'], ['97150']);
        expect(findings(run(policyOf(never), [session([line('97530', 38, 3, ['59']), line('97150', 30, 1)])]))).toMatchObject([
            { message: '97530 may not be billed with 97150 on the same date', fix: 'Remove 97530 or 97150 from this date' }
        ]);
    });
});

describe('authorization', () => {
    const visits = (count: number, extra: (k: number) => Partial<Session> = () => ({})) =>
        Array.from({ length: count }, (_, k) => onDate(`2026-01-${String(k + 1).padStart(2, '0')}`, undefined, { id: `V${k + 1}`, ...extra(k + 1) }));
    const flagged = (report: Report) => report.sessions.filter(s => s.findings.length > 0).map(s => s.id);

    it('needs an authorization after the free visits of the calendar year', () => {
        const report = run(policyOf(rules.authorization('auth', 2)), visits(4, k => (k === 4 ? { authorization: { id: 'A-9' } } : {})));
        expect(flagged(report)).toEqual(['V3']);
        expect(findings(report, 'V3')[0]!.message).toBe('Visit 3 in 2026 has no authorization; 2 visits per year are allowed without one');
    });

    it('needs one on every visit when no free visits are given, and flags visits beyond those approved', () => {
        expect(flagged(run(policyOf(rules.authorization('auth')), visits(2)))).toEqual(['V1', 'V2']);
        const over = run(policyOf(rules.authorization('auth')), visits(1, () => ({ authorization: { id: 'A-1', visitsApproved: 12, visitNumber: 13 } })));
        expect(findings(over)[0]!.message).toBe('Visit 13 of authorization A-1 goes beyond the 12 visits it approves');
    });

    it('numbers visits by date, whatever the input order', () => {
        const sessions = visits(4);
        const policy = policyOf(rules.authorization('auth', 3));
        const report = evaluate(policy, shuffled(sessions, 7).map((s, i) => ({ session: s, record: i + 1 })), []);
        expect(flagged(report)).toEqual(['V4']);
    });
});
