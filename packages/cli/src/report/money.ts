/**
 * Revenue at risk: units billed beyond what the minutes support (the payer would take that money
 * back on review) and units the minutes support but the claim leaves off (money never asked for).
 *
 * Each unit is valued at the line's own `allowed` amount divided by the units on the line (all
 * lines of the code in the session together); where no line of the code has an allowed amount
 * (or it bills no unit), at the payer's fee for the code in the policy. Amounts are in cents so
 * sums never drift.
 */
import type { PolicyBundle, Report, SessionResult } from '@payrule/engine';
import { payerPolicyFor, type SessionSource } from './context.js';

export type Valuation = 'allowed' | 'fee' | 'none';

/** One code of one session whose billed units differ from the supported units. */
export interface UnitGap {
    sessionId: string;
    payer: string;
    date: string;
    code: string;
    billed: number;
    supported: number;
    /** `over`: billed more than supported (would be recouped); `under`: billed fewer (left behind). */
    direction: 'over' | 'under';
    /** Units of difference, always positive. */
    units: number;
    /** Value of one unit in cents, when known. */
    unitCents?: number;
    /** Value of the difference in cents, when known. */
    cents?: number;
    valuedBy: Valuation;
}

export interface MoneyTotals {
    /** Over-billed units and their value (what would be recouped). */
    overUnits: number;
    recoupedCents: number;
    /** Under-billed units and their value (what is left behind). */
    underUnits: number;
    leftBehindCents: number;
    /** Units of difference with neither an allowed amount nor a fee: counted, not valued. */
    unpricedUnits: number;
}

export interface RevenueAtRisk extends MoneyTotals {
    gaps: UnitGap[];
    byPayer: Map<string, MoneyTotals>;
    byCode: Map<string, MoneyTotals>;
    /** Sessions with at least one gap. */
    sessions: number;
}

export function computeRevenueAtRisk(report: Report, sources: Map<string, SessionSource>, bundle?: PolicyBundle): RevenueAtRisk {
    const gaps = report.sessions.flatMap(session => sessionGaps(session, sources.get(session.id), bundle));
    const byPayer = new Map<string, MoneyTotals>();
    const byCode = new Map<string, MoneyTotals>();
    const totals = emptyTotals();
    for (const gap of gaps) {
        for (const target of [totals, bucket(byPayer, gap.payer), bucket(byCode, gap.code)]) add(target, gap);
    }
    return { ...totals, gaps, byPayer, byCode, sessions: new Set(gaps.map(gap => gap.sessionId)).size };
}

function sessionGaps(result: SessionResult, source: SessionSource | undefined, bundle?: PolicyBundle): UnitGap[] {
    const fees = payerPolicyFor(bundle, result)?.fees ?? {};
    const codes = [...new Set([...Object.keys(result.billed), ...Object.keys(result.units)])];
    const gaps: UnitGap[] = [];
    for (const code of codes) {
        const supported = result.units[code];
        if (supported === undefined) continue;
        const billed = result.billed[code] ?? 0;
        if (billed === supported) continue;
        const direction = billed > supported ? 'over' : 'under';
        const units = Math.abs(billed - supported);
        const { unitCents, valuedBy } = unitValue(source, code, Object.hasOwn(fees, code) ? fees[code] : undefined);
        gaps.push({
            sessionId: result.id, payer: result.payer, date: result.date, code, billed, supported, direction, units,
            ...(unitCents !== undefined ? { unitCents, cents: Math.round(unitCents * units) } : {}),
            valuedBy
        });
    }
    return gaps;
}

/** The value of one unit of `code`: the session's allowed amounts for it per unit billed, else the payer's fee. */
function unitValue(source: SessionSource | undefined, code: string, fee: number | undefined): { unitCents?: number; valuedBy: Valuation } {
    const lines = (source?.session.lines ?? []).filter(line => line.code === code && line.allowed !== undefined && line.units > 0);
    const units = lines.reduce((sum, line) => sum + line.units, 0);
    if (units > 0) {
        const allowedCents = lines.reduce((sum, line) => sum + Math.round(line.allowed! * 100), 0);
        return { unitCents: allowedCents / units, valuedBy: 'allowed' };
    }
    if (fee !== undefined) return { unitCents: Math.round(fee * 100), valuedBy: 'fee' };
    return { valuedBy: 'none' };
}

function emptyTotals(): MoneyTotals {
    return { overUnits: 0, recoupedCents: 0, underUnits: 0, leftBehindCents: 0, unpricedUnits: 0 };
}

function bucket(map: Map<string, MoneyTotals>, key: string): MoneyTotals {
    let totals = map.get(key);
    if (!totals) map.set(key, totals = emptyTotals());
    return totals;
}

function add(totals: MoneyTotals, gap: UnitGap): void {
    if (gap.direction === 'over') {
        totals.overUnits += gap.units;
        totals.recoupedCents += gap.cents ?? 0;
    } else {
        totals.underUnits += gap.units;
        totals.leftBehindCents += gap.cents ?? 0;
    }
    if (gap.cents === undefined) totals.unpricedUnits += gap.units;
}

const DOLLARS = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** "$1,234.56". */
export function formatDollars(cents: number): string {
    return DOLLARS.format(Math.round(cents) / 100);
}

/** How the money was valued, in words for the people reading the report. */
export const VALUATION_NOTE = 'Each unit is valued at what the payer is expected to allow for it: the claim line\'s own allowed amount'
    + ' divided by the units on that line (all lines of the same code in the session together). Where the session gives no allowed'
    + ' amount for the code, the payer\'s fee for the code in the policy is used. Units with neither are counted but not valued.'
    + ' Over-billed units are units billed beyond what the documented minutes support: a payer review would take that money back.'
    + ' Under-billed units are units the minutes support but the claim leaves off: money the practice earned and never asks for.';
