import { describe, expect, it } from 'vitest';
import { bundle, findings, line, payer, rules, run, session, unitsOnly } from './fixtures.js';

describe('units rule: billed against supported', () => {
    it('matching units give no finding and report units and billed per code', () => {
        const report = unitsOnly('pooled', [line('97530', 38, 3, ['GP'])]);
        expect(report.sessions[0]).toMatchObject({ status: 'ok', units: { '97530': 3 }, billed: { '97530': 3 }, findings: [] });
    });

    it('over-billing is an error, with the rule, explanation, fix and source', () => {
        const [finding, ...rest] = findings(unitsOnly('pooled', [line('97530', 38, 4)]));
        expect(rest).toEqual([]);
        expect(finding).toMatchObject({
            rule: 'units-match', severity: 'error', line: 0, code: '97530',
            message: '97530 billed 4 units; 38 timed minutes support 3',
            fix: 'Bill 3 units of 97530',
            source: { file: 'test/policy.payrule', line: 10 }
        });
        expect(finding!.explain[0]).toBe('38 total timed minutes -> 3 units (38-52 minutes)');
    });

    it('under-billing is a separate warning', () => {
        const [finding] = findings(unitsOnly('pooled', [line('97530', 38, 2)]));
        expect(finding).toMatchObject({ severity: 'warning', message: '97530 billed 2 units; 38 timed minutes support 3', fix: 'Bill 3 units of 97530' });
    });

    it('over- and under-billing on two codes of one session are two findings', () => {
        const result = findings(unitsOnly('pooled', [line('97110', 33, 1), line('97140', 7, 2)]));
        expect(result.map(f => [f.code, f.severity])).toEqual([['97110', 'warning'], ['97140', 'error']]);
    });

    it('33 + 7 minutes: pooled supports 2 + 1, per-code 2 + 0', () => {
        const lines = () => [line('97110', 33, 2), line('97140', 7, 1)];
        expect(unitsOnly('pooled', lines()).sessions[0]!.status).toBe('ok');
        const perCode = unitsOnly('per-code', lines());
        expect(perCode.sessions[0]!.units).toEqual({ '97110': 2, '97140': 0 });
        expect(findings(perCode)).toMatchObject([{ code: '97140', severity: 'error', fix: 'Remove 97140: the documented time supports no units' }]);
    });

    it('10 + 10 minutes: pooled supports 1 unit, per-code 2', () => {
        const perCode = unitsOnly('per-code', [line('97110', 10, 1), line('97140', 10, 1)]);
        expect(perCode.sessions[0]!.status).toBe('ok');
        const pooled = unitsOnly('pooled', [line('97110', 10, 1), line('97140', 10, 1)]);
        expect(pooled.sessions[0]!.units).toEqual({ '97110': 1, '97140': 0 });
        expect(findings(pooled)).toMatchObject([{ code: '97140', severity: 'error' }]);
    });

    it('7 + 7 minutes: one unit on either code is accepted and explained as a tie', () => {
        for (const billedOn of ['97110', '97140']) {
            const report = unitsOnly('pooled', [line('97110', 7, billedOn === '97110' ? 1 : 0), line('97140', 7, billedOn === '97140' ? 1 : 0)]);
            expect(report.sessions[0]!.findings).toEqual([]);
            expect(report.sessions[0]!.units[billedOn]).toBe(1);
        }
        const both = findings(unitsOnly('pooled', [line('97110', 7, 1), line('97140', 7, 1)]));
        expect(both).toHaveLength(1);
        expect(both[0]!.explain.join(' ')).toContain('tie at 7 leftover minutes');
    });

    it('7 + 7 + 7 minutes support one unit in all', () => {
        const report = unitsOnly('pooled', [line('97110', 7, 1), line('97112', 7, 0), line('97140', 7, 0)]);
        expect(report.sessions[0]!.status).toBe('ok');
        const over = unitsOnly('pooled', [line('97110', 7, 1), line('97112', 7, 1), line('97140', 7, 1)]);
        expect(findings(over).filter(f => f.severity === 'error')).toHaveLength(2);
    });

    it('untimed codes are 1 unit, whatever the minutes, and never pooled', () => {
        const report = unitsOnly('pooled', [line('97161', 45, 1), line('97110', 5, 0)]);
        expect(report.sessions[0]).toMatchObject({ status: 'ok', units: { '97161': 1, '97110': 0 } });
        const [over] = findings(unitsOnly('pooled', [line('97161', 60, 2)]));
        expect(over).toMatchObject({ severity: 'error', message: '97161 billed 2 units; an untimed code is 1 unit per day', fix: 'Bill 1 unit of 97161' });
    });

    it('an untimed code is 1 unit per day: the first session of the day (by id) has it, whatever the input order', () => {
        const policy = bundle([payer([rules.units('pooled')])]);
        const am = session([line('97161', 45, 1), line('97010', 10, 1)], { id: 'AM' });
        const pm = session([line('97010', 10, 1), line('97110', 15, 1)], { id: 'PM' });
        const ot = session([line('97010', 10, 1)], { id: 'OT', discipline: 'OT' });
        for (const order of [[am, pm, ot], [ot, pm, am]]) {
            const report = run(policy, order);
            expect(findings(report, 'AM')).toEqual([]);
            // Another discipline's day is its own.
            expect(findings(report, 'OT')).toEqual([]);
            expect(report.sessions.find(result => result.id === 'PM')!.units).toEqual({ '97010': 0, '97110': 1 });
            expect(findings(report, 'PM')).toMatchObject([{
                code: '97010', severity: 'error', line: 0,
                message: '97010 billed 1 unit; an untimed code is 1 unit per day, and session AM already bills it that day',
                fix: 'Remove 97010 from this session: session AM already bills it that day'
            }]);
            expect(findings(report, 'PM')[0]!.explain[1]).toContain('Session AM');
        }
    });

    it('a line of an untimed code kept with 0 units does not take the day\'s unit from one that bills it', () => {
        const policy = bundle([payer([rules.units('pooled')])]);
        const am = session([line('97010', 10, 0)], { id: 'AM' });
        const pm = session([line('97010', 10, 1)], { id: 'PM' });
        const report = run(policy, [am, pm]);
        expect(findings(report, 'AM')).toEqual([]);
        expect(findings(report, 'PM')).toEqual([]);
        expect(report.sessions.map(result => result.units)).toEqual([{ '97010': 0 }, { '97010': 1 }]);
    });

    it('a code missing from the catalog is warned about once, under the units rule', () => {
        const result = findings(unitsOnly('pooled', [line('97999', 30, 2), line('97999', 10, 1), line('97110', 38, 3)]));
        expect(result).toHaveLength(1);
        expect(result[0]).toMatchObject({ rule: 'units-match', severity: 'warning', code: '97999' });
        expect(result[0]!.message).toContain('not checked');
    });

    it('a timed line without minutes is a finding, not a unit comparison', () => {
        const result = findings(unitsOnly('pooled', [line('97110', undefined, 2)]));
        expect(result).toHaveLength(1);
        expect(result[0]!.message).toBe('97110 is a timed code billed with 2 units but no minutes');
    });

    it('pools timed minutes across sessions of one patient, date, discipline and payer', () => {
        const policy = bundle([payer([rules.units('pooled')])]);
        const am = session([line('97110', 10, 1)], { id: 'AM' });
        const pm = session([line('97140', 10, 1)], { id: 'PM' });
        const ot = session([line('97530', 10, 1)], { id: 'OT', discipline: 'OT' });
        const report = run(policy, [am, pm, ot]);
        expect(findings(report, 'AM')).toEqual([]);
        expect(findings(report, 'OT')).toEqual([]);
        const [pmFinding] = findings(report, 'PM');
        expect(pmFinding).toMatchObject({ code: '97140', severity: 'error' });
        expect(pmFinding!.explain[0]).toContain('pooled with session AM');
    });

    it('fills the rule message template from the finding values', () => {
        const policy = bundle([payer([rules.units('pooled', { message: '{code}: {billed} billed, {supported} supported by {minutes} min ({discipline})' })])]);
        const [finding] = findings(run(policy, [session([line('97530', 38, 4)])]));
        expect(finding!.message).toBe('97530: 4 billed, 3 supported by 38 min (PT)');
    });

    it('honours the unit length and minimum of the rule', () => {
        const policy = bundle([payer([rules.units('per-code', { unitMinutes: 30, minimumMinutes: 16 })])]);
        const report = run(policy, [session([line('97110', 46, 2)])]);
        expect(report.sessions[0]!.status).toBe('ok');
    });
});
