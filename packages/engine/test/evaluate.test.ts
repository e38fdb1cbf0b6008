import { describe, expect, it } from 'vitest';
import {
    checkPolicyBundle, evaluate, loadPolicyBundle, mergeBundles, parseCsvText, parseJsonText, parseNdjsonText, POLICY_FORMAT,
    PolicyError, type Report, type SessionsRead
} from '../src/index.js';
import { bundle, findings, line, LOC, payer, rules, run, session } from './fixtures.js';

const medicare = (from: string, through: string, ruleList = [rules.units('pooled')]) =>
    payer(ruleList, { name: `Medicare ${from.slice(0, 4)}`, effective: { from, through }, location: { ...LOC, line: Number(from.slice(0, 4)) } });

describe('payer declarations in force', () => {
    const versions = bundle([medicare('2025-01-01', '2025-12-31'), medicare('2026-01-01', '2026-12-31', [rules.units('per-code')])]);

    it('evaluates each session under the declaration in force on its date', () => {
        const s2025 = session([line('97110', 33, 2), line('97140', 7, 1)], { id: 'old', date: '2025-12-31' });
        const s2026 = session([line('97110', 33, 2), line('97140', 7, 1)], { id: 'new', date: '2026-01-01' });
        const report = run(versions, [s2025, s2026]);
        expect(report.sessions.map(s => [s.id, s.policy, s.status])).toEqual([['old', 'Medicare 2025', 'ok'], ['new', 'Medicare 2026', 'findings']]);
    });

    it('prefers the latest start when several are in force', () => {
        const open = payer([rules.units('pooled')], { name: 'Open', effective: {} });
        const later = payer([rules.units('per-code')], { name: 'Later', effective: { from: '2026-02-01' } });
        const report = run(bundle([later, open]), [session([line('97110', 15, 1)], { date: '2026-03-01' }), session([line('97110', 15, 1)], { date: '2026-01-15' })]);
        expect(report.sessions.map(s => s.policy)).toEqual(['Later', 'Open']);
    });

    it('rejects sessions with an unknown payer or no declaration in force, keeping records = evaluated + rejected', () => {
        const report = run(versions, [
            session([line('97110', 15, 1)], { id: 'ok' }),
            session([line('97110', 15, 1)], { id: 'unknown', payer: 'aetna' }),
            session([line('97110', 15, 1)], { id: 'early', date: '2024-01-01' })
        ]);
        expect(report.rejected).toEqual([
            { record: 2, id: 'unknown', error: 'no loaded policy declares payer "aetna"' },
            { record: 3, id: 'early', error: 'no medicare policy is in force on 2024-01-01 (loaded: 2025-01-01 to 2025-12-31; 2026-01-01 to 2026-12-31)' }
        ]);
        expect(report.summary).toEqual({ records: 3, evaluated: 1, rejected: 2, sessionsWithFindings: 0, findings: { error: 0, warning: 0, info: 0 } });
    });
});

describe('the report', () => {
    const policy = bundle([payer([
        rules.units('pooled'),
        rules.line('gp', { clauses: [{ type: 'require-modifier', modifiers: ['GP'], location: LOC }] }),
        rules.documentation('notes', { requires: ['activities'] })
    ])]);

    it('orders findings by line, then the payer rule order, session-wide findings last', () => {
        const report = run(policy, [session([line('97110', 38, 4), line('97140', 8, 1)])]);
        expect(findings(report).map(f => [f.line, f.rule])).toEqual([[0, 'units-match'], [0, 'gp'], [1, 'gp'], [undefined, 'notes']]);
        expect(report.summary).toMatchObject({ sessionsWithFindings: 1, findings: { error: 4, warning: 0, info: 0 } });
        expect(report.format).toBe('payrule-report/1');
        expect(report.policies).toEqual([{ package: 'test.pack', version: '1.0.0', payers: ['medicare'] }]);
    });

    it('keeps input order, adds rejections given by the readers and rejects later duplicate ids', () => {
        const a = session([line('97110', 15, 1, ['GP'])], { id: 'B', note: { activities: 'x' } });
        const b = session([line('97110', 15, 1, ['GP'])], { id: 'A', note: { activities: 'x' } });
        const report = evaluate(policy, [{ session: a, record: 1, file: 'one.json' }, { session: b, record: 2, file: 'one.json' }, { session: a, record: 1, file: 'two.json' }],
            [{ record: 3, file: 'one.json', error: 'broken JSON: x' }]);
        expect(report.sessions.map(s => s.id)).toEqual(['B', 'A']);
        expect(report.rejected).toEqual([
            { record: 3, file: 'one.json', error: 'broken JSON: x' },
            { record: 1, file: 'two.json', id: 'B', error: 'duplicate session id B, first seen at record 1 of one.json' }
        ]);
        expect(report.summary.records).toBe(4);
    });

    it('refuses an as-of date that is not an ISO date', () => {
        expect(() => run(policy, [], { asOf: '2026-13-01' })).toThrow('as-of date');
    });
});

describe('one set of sessions in three formats', () => {
    const policy = bundle([payer([rules.units('pooled'), rules.documentation('notes', { requires: ['activities'] }), rules.limit('mue', 4, 'day', { codes: ['97530'] })])]);
    const records = [
        { id: 'S-1', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT', provider: { role: 'PT' }, diagnoses: ['M54.50'],
            lines: [{ code: '97530', minutes: 38, units: 3, modifiers: ['GP'] }, { code: '97140', minutes: 7, units: 1, modifiers: ['GP'] }], note: { activities: 'Lift' } },
        { id: 'S-2', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT', diagnoses: [],
            lines: [{ code: '97530', minutes: 20, units: 2, modifiers: [] }], note: {} },
        { id: 'S-3', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'XX', diagnoses: [], lines: [{ code: '97530', minutes: 20, units: 2, modifiers: [] }], note: {} },
        { id: 'S-4', patient: 'P-2', date: '2026-03-05', payer: 'nobody', discipline: 'PT', diagnoses: [], lines: [{ code: '97110', minutes: 8, units: 1, modifiers: [] }], note: {} }
    ];
    const csv = [
        'session_id,patient,date,payer,discipline,provider_role,diagnoses,code,minutes,units,modifiers,note_activities',
        'S-1,P-1,2026-03-04,medicare,PT,PT,M54.50,97530,38,3,GP,Lift',
        'S-2,P-1,2026-03-04,medicare,PT,,,97530,20,2,,',
        'S-3,P-1,2026-03-04,medicare,XX,,,97530,20,2,,',
        'S-4,P-2,2026-03-05,nobody,PT,,,97110,8,1,,',
        'S-1,,,,,,,97140,7,1,GP,'
    ].join('\n');
    const reportOf = (read: SessionsRead): Report => evaluate(policy, read.sessions, read.rejected);

    // Positions differ by nature (a CSV has a header row); everything else is the same.
    const withoutPositions = (report: Report) => ({ ...report, rejected: report.rejected.map(({ record: _record, ...rest }) => rest) });

    it('gives identical reports', () => {
        const json = reportOf(parseJsonText(JSON.stringify(records)));
        const ndjson = reportOf(parseNdjsonText(records.map(r => JSON.stringify(r)).join('\n')));
        const fromCsv = reportOf(parseCsvText(csv));
        expect(ndjson).toEqual(json);
        expect(withoutPositions(fromCsv)).toEqual(withoutPositions(json));
        expect(json.rejected.map(r => r.record)).toEqual([3, 4]);
        expect(fromCsv.rejected.map(r => r.record)).toEqual([4, 5]);
        expect(json.summary).toMatchObject({ records: 4, evaluated: 2, rejected: 2 });
        expect(json.rejected.map(r => r.id)).toEqual(['S-3', 'S-4']);
        expect(json.sessions.find(s => s.id === 'S-2')!.findings.map(f => f.rule)).toEqual(['units-match', 'mue', 'notes']);
    });
});

describe('policy bundles', () => {
    it('checks the format and shape of a compiled policy', () => {
        const valid = bundle([payer([rules.units('pooled'), rules.line('x', { when: { kind: 'field', path: 'note.activities' } })])]);
        expect(checkPolicyBundle(JSON.parse(JSON.stringify(valid)))).toEqual([]);
        expect(checkPolicyBundle({ ...valid, format: 'payrule-ir/2' })[0]).toContain('this engine reads payrule-ir/1');
        const broken = JSON.parse(JSON.stringify(valid));
        broken.payers[0].rules[0].method = 'sometimes';
        broken.payers[0].rules[1].when = { kind: 'field', path: 'bogus' };
        broken.payers[0].effective = { from: '2026-02-30' };
        expect(checkPolicyBundle(broken)).toEqual([
            'payers[0].effective.from must be an ISO date (YYYY-MM-DD), not "2026-02-30"',
            'payers[0].rules[0].method must be one of pooled, per-code, not "sometimes"',
            'payers[0].rules[1].when.path names no known field: "bogus"'
        ]);
        expect(() => loadPolicyBundle(broken, 'medicare.json')).toThrow(PolicyError);
        expect(loadPolicyBundle(valid).format).toBe(POLICY_FORMAT);
    });

    it('refuses a rule that repeats an id, or takes the id of Payrule\'s own check', () => {
        const policy = JSON.parse(JSON.stringify(bundle([payer([rules.units('pooled'), rules.line('x'), rules.line('x')])])));
        policy.payers[0].rules[0].id = 'unknown-modifier';
        expect(checkPolicyBundle(policy)).toEqual([
            'payers[0].rules[0] takes the id "unknown-modifier" of Payrule\'s own check',
            'payers[0].rules[2] repeats the rule id "x"'
        ]);
    });

    it('merges bundles: later packages win codes, repeated declarations kept once, overlaps reported', () => {
        const first = bundle([medicare('2026-01-01', '2026-12-31')]);
        const second = bundle([medicare('2026-01-01', '2026-12-31'), medicare('2026-06-01', '2027-05-31')], {
            packages: [{ name: 'other.pack', payers: ['medicare'] }],
            codes: { '97110': { timed: false, disciplines: ['PT'], summary: 'redefined' } }
        });
        const errors: string[] = [];
        const merged = mergeBundles([first, second], errors);
        expect(merged.packages.map(p => p.name)).toEqual(['test.pack', 'other.pack']);
        expect(merged.codes['97110']!.summary).toBe('redefined');
        expect(merged.codes['97140']!.timed).toBe(true);
        expect(merged.payers).toHaveLength(2);
        expect(errors).toEqual([
            'payer "medicare" is declared twice for overlapping dates: Medicare 2026 (test/policy.payrule:2026, 2026-01-01 to 2026-12-31) and Medicare 2026 (test/policy.payrule:2026, 2026-06-01 to 2027-05-31)'
        ]);
    });
});
