import type { PolicyBundle, Report, Session, SessionResult } from '@payrule/engine';
import { describe, expect, it } from 'vitest';
import type { SessionSource } from '../src/report/context.js';
import { computeRevenueAtRisk, formatDollars } from '../src/report/money.js';

function result(id: string, billed: Record<string, number>, units: Record<string, number>, payer = 'medicare'): SessionResult {
    return { id, patient: 'P-1', date: '2026-03-04', payer, policy: payer === 'medicare' ? 'Medicare' : 'Acme', status: 'findings', units, billed, findings: [] };
}

function source(id: string, lines: Session['lines']): SessionSource {
    return { file: 's.json', record: 1, session: { id, patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT', diagnoses: [], note: {}, lines } };
}

const bundle = {
    format: 'payrule-ir/1', packages: [], codes: {}, modifiers: {},
    payers: [
        { name: 'Medicare', id: 'medicare', effective: { from: '2026-01-01' }, fees: { '97110': 31.5, '97140': 28 }, rules: [], location: { file: 'm', line: 1 } },
        { name: 'Acme', id: 'acme-ppo', effective: {}, fees: {}, rules: [], location: { file: 'a', line: 1 } }
    ]
} as unknown as PolicyBundle;

function report(sessions: SessionResult[]): Report {
    return {
        format: 'payrule-report/1', policies: [], sessions, rejected: [],
        summary: { records: sessions.length, evaluated: sessions.length, rejected: 0, sessionsWithFindings: 0, findings: { error: 0, warning: 0, info: 0 } }
    };
}

describe('revenue at risk', () => {
    it('values over-billed units at the line\'s allowed amount per unit, else the payer\'s fee, else counts them unvalued', () => {
        const sessions = [
            // 97530: 2 lines, $40 + $80 allowed for 1 + 2 units = $40 a unit; one unit too many.
            result('A', { '97530': 3, '97110': 2 }, { '97530': 2, '97110': 2 }),
            // 97110: no allowed amount, so the Medicare fee of $31.50 a unit; two units left behind.
            result('B', { '97110': 1 }, { '97110': 3 }),
            // Acme has no fee for 97112 and the line no allowed amount: counted, not valued.
            result('C', { '97112': 2 }, { '97112': 1 }, 'acme-ppo')
        ];
        const sources = new Map([
            ['A', source('A', [
                { code: '97530', units: 1, modifiers: [], allowed: 40 },
                { code: '97530', units: 2, modifiers: [], allowed: 80 },
                { code: '97110', units: 2, modifiers: [], allowed: 60 }
            ])],
            ['B', source('B', [{ code: '97110', units: 1, modifiers: [] }])],
            ['C', source('C', [{ code: '97112', units: 2, modifiers: [] }])]
        ]);
        const money = computeRevenueAtRisk(report(sessions), sources, bundle);
        expect(money.gaps.map(g => [g.sessionId, g.code, g.direction, g.units, g.cents, g.valuedBy])).toEqual([
            ['A', '97530', 'over', 1, 4000, 'allowed'],
            ['B', '97110', 'under', 2, 6300, 'fee'],
            ['C', '97112', 'over', 1, undefined, 'none']
        ]);
        expect(money).toMatchObject({ overUnits: 2, recoupedCents: 4000, underUnits: 2, leftBehindCents: 6300, unpricedUnits: 1, sessions: 3 });
        expect(money.byPayer.get('medicare')).toMatchObject({ recoupedCents: 4000, leftBehindCents: 6300 });
        expect(money.byCode.get('97112')).toMatchObject({ overUnits: 1, unpricedUnits: 1 });
    });

    it('falls back to the fee where the only line of the code bills no unit', () => {
        const money = computeRevenueAtRisk(report([result('Z', { '97140': 0 }, { '97140': 1 })]),
            new Map([['Z', source('Z', [{ code: '97140', units: 0, modifiers: [], allowed: 0 }])]]), bundle);
        expect(money.gaps[0]).toMatchObject({ direction: 'under', units: 1, cents: 2800, valuedBy: 'fee' });
    });

    it('is nothing when every session bills what it supports', () => {
        const money = computeRevenueAtRisk(report([result('A', { '97110': 2 }, { '97110': 2 })]), new Map(), bundle);
        expect(money.gaps).toEqual([]);
        expect(formatDollars(money.recoupedCents)).toBe('$0.00');
        expect(formatDollars(123456)).toBe('$1,234.56');
    });
});
