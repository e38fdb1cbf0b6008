/**
 * Turns timed minutes per code into supported units per code, with the steps that explain it.
 *
 * Pooled (CMS, Pub 100-04 Ch 5 s20.2): the day's timed minutes are summed; the total gives the
 * units; each code first gets its whole units (floor(minutes / U)); the units left go one each to
 * the codes with the most minutes left over. A code needs no minimum of its own to get one.
 * When leftovers tie, either code may be billed: the tie goes to the code the biller billed the
 * extra unit on, else to the larger total, then the lower code.
 * Per code (AMA "substantial portion"): each code's minutes give its units on their own.
 */
import { listWords, plural } from '../util/text.js';
import { sortSmall } from '../util/small-sort.js';
import { unitRange, unitsFor } from './table.js';

export interface CodeMinutes {
    code: string;
    minutes: number;
    /** Units billed for the code; lets a tie go the way the biller chose. */
    billed?: number;
}

export interface CodeUnits {
    code: string;
    minutes: number;
    /** Whole units owed to the code (floor of minutes / unit length); per code: all its units. */
    fullUnits: number;
    leftover: number;
    /** 1 when the code received one of the remaining pooled units. */
    extra: number;
    units: number;
    /** The code's leftover tied with another's at the point where the remaining units ran out. */
    tied: boolean;
}

export interface Allocation {
    method: 'pooled' | 'per-code';
    totalMinutes: number;
    totalUnits: number;
    codes: CodeUnits[];
    explain: string[];
}

export interface UnitSize {
    unitMinutes: number;
    minimumMinutes: number;
}

const CMS: UnitSize = { unitMinutes: 15, minimumMinutes: 8 };

/** `explain: false` leaves the explanation out (it is only read when a finding is written). */
export function allocatePooled(input: readonly CodeMinutes[], size: UnitSize = CMS, explain = true): Allocation {
    const { unitMinutes, minimumMinutes } = size;
    let totalMinutes = 0;
    for (const item of input) totalMinutes += item.minutes;
    const totalUnits = unitsFor(totalMinutes, unitMinutes, minimumMinutes);
    // Lists built from [] and push, here and below, rather than map and filter: a list that may be
    // empty then has the same elements kind (so the same map) empty or not, and the optimized code
    // of this path, which runs for every session, is not thrown away when an empty one comes by.
    const codes: CodeUnits[] = [];
    let fullUnitsSum = 0;
    for (const item of input) {
        const fullUnits = Math.floor(item.minutes / unitMinutes);
        fullUnitsSum += fullUnits;
        codes.push({ code: item.code, minutes: item.minutes, fullUnits, leftover: item.minutes - fullUnits * unitMinutes, extra: 0, units: fullUnits, tied: false });
    }
    const steps: string[] = [];
    if (explain) {
        steps.push(`${totalMinutes} total timed minutes -> ${plural(totalUnits, 'unit')} (${unitRange(totalUnits, unitMinutes, minimumMinutes)})`);
        for (const item of codes) {
            steps.push(`${item.code}: ${item.minutes} minutes = ${plural(item.fullUnits, 'full unit')}, ${item.leftover} ${item.leftover === 1 ? 'minute' : 'minutes'} left over`);
        }
    }
    const remaining = Math.max(0, totalUnits - fullUnitsSum);
    handOutRemaining(codes, remaining, input, explain ? steps : undefined);
    // In code order: `codes` is this function's own list.
    return { method: 'pooled', totalMinutes, totalUnits, codes: sortSmall(codes, byCode), explain: steps };
}

export function allocatePerCode(input: readonly CodeMinutes[], size: UnitSize = CMS, explain = true): Allocation {
    const { unitMinutes, minimumMinutes } = size;
    const codes: CodeUnits[] = [];
    const steps: string[] = [];
    let totalMinutes = 0;
    let totalUnits = 0;
    for (const item of input) {
        const units = unitsFor(item.minutes, unitMinutes, minimumMinutes);
        codes.push({ code: item.code, minutes: item.minutes, fullUnits: units, leftover: 0, extra: 0, units, tied: false });
        totalMinutes += item.minutes;
        totalUnits += units;
        if (explain) steps.push(`${item.code}: ${item.minutes} minutes -> ${plural(units, 'unit')} (${unitRange(units, unitMinutes, minimumMinutes)}), counted on its own`);
    }
    return { method: 'per-code', totalMinutes, totalUnits, codes: sortSmall(codes, byCode), explain: steps };
}

/** The units billed for a code (the last given, should the input list a code twice). */
function billedFor(input: readonly CodeMinutes[], code: string): number | undefined {
    let billed: number | undefined;
    for (const item of input) if (item.code === code && item.billed !== undefined) billed = item.billed;
    return billed;
}

function byCode(a: CodeUnits, b: CodeUnits): number {
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** Larger leftover first; among equal leftovers, larger total, then the lower code. */
function byLeftover(a: CodeUnits, b: CodeUnits): number {
    return b.leftover - a.leftover || b.minutes - a.minutes || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** Gives the remaining units one each by leftover, and adds the steps that explain it to `steps` when given. */
function handOutRemaining(codes: CodeUnits[], remaining: number, input: readonly CodeMinutes[], steps: string[] | undefined): void {
    // Most days have no unit left to hand out once each code has its whole units.
    if (remaining <= 0) return;
    const ranked: CodeUnits[] = [];
    for (const item of codes) if (item.leftover > 0) ranked.push(item);
    sortSmall(ranked, byLeftover);
    // With a unit length of 15 and a minimum of 8 the units left never outnumber the codes with leftovers; odd parameters are capped.
    remaining = Math.min(remaining, ranked.length);
    if (remaining === 0) return;
    const cutoff = ranked[remaining - 1]!.leftover;
    // The usual day: no other code has the last winner's leftover, so the first `remaining` by leftover win, in that order.
    const tiedBefore = remaining > 1 && ranked[remaining - 2]!.leftover === cutoff;
    const tiedAfter = remaining < ranked.length && ranked[remaining]!.leftover === cutoff;
    if (!tiedBefore && !tiedAfter) {
        ranked.length = remaining;
        giveExtraUnit(ranked);
        steps?.push(remainingStep(ranked, remaining, false));
        return;
    }
    const sure: CodeUnits[] = [];
    const tiedGroup: CodeUnits[] = [];
    for (const item of ranked) {
        if (item.leftover > cutoff) sure.push(item);
        else if (item.leftover === cutoff) tiedGroup.push(item);
    }
    const places = remaining - sure.length;
    // Within a tie any choice is correct: honour the biller's choice first, then the fixed order.
    const wantsExtra = (item: CodeUnits) => billedFor(input, item.code) === item.fullUnits + 1;
    const tiedOrder = sortSmall(tiedGroup.slice(), (a, b) => Number(wantsExtra(b)) - Number(wantsExtra(a)) || byLeftover(a, b));
    const winners: CodeUnits[] = [];
    for (const item of sure) winners.push(item);
    for (let k = 0; k < places; k++) winners.push(tiedOrder[k]!);
    giveExtraUnit(winners);
    const isTie = tiedGroup.length > places;
    if (isTie) for (const item of tiedGroup) item.tied = true;
    if (!steps) return;
    steps.push(remainingStep(winners, remaining, isTie));
    if (isTie) {
        const chosen = tiedOrder.slice(0, places);
        steps.push(`${listWords(tiedGroup.map(item => item.code), 'and')} tie at ${cutoff} leftover minutes: either may be billed; ` +
            `${listWords(chosen.map(item => item.code), 'and')} ${chosen.length === 1 ? 'takes' : 'take'} it here` +
            (chosen.every(wantsExtra) ? ' (as billed)' : ''));
    }
}

function giveExtraUnit(winners: readonly CodeUnits[]): void {
    for (const item of winners) {
        item.extra = 1;
        item.units += 1;
    }
}

function remainingStep(winners: CodeUnits[], remaining: number, isTie: boolean): string {
    const most = isTie ? '' : ', the most';
    if (winners.length === 1) {
        const item = winners[0]!;
        return `1 remaining unit goes to ${item.code} (${item.leftover} leftover ${item.leftover === 1 ? 'minute' : 'minutes'}${most})`;
    }
    const parts = winners.map(item => `${item.code} (${item.leftover})`);
    return `${remaining} remaining units go one each to the codes with the most leftover minutes: ${listWords(parts, 'and')}`;
}
