/**
 * Supported units for one day group (one patient, date, discipline and payer): the timed minutes
 * of all its sessions are allocated per code, then each code's units are spread back over the
 * lines that billed it, so every session and line can be compared with what was billed.
 */
import { sortSmall } from '../util/small-sort.js';
import { allocatePerCode, allocatePooled, type Allocation, type CodeMinutes, type UnitSize } from './allocate.js';

export type CodeKind = 'timed' | 'untimed' | 'unknown';

export interface DayLine {
    code: string;
    minutes?: number;
    units: number;
}

export interface DaySession {
    id: string;
    lines: readonly DayLine[];
}

export interface DayUnits {
    allocation: Allocation;
    /** Ids of the sessions whose minutes were pooled, in date and id order. */
    sessions: string[];
    /** Supported units per line of each session (as `sessions`); null when the engine cannot tell (unknown code, timed line without minutes). */
    perLine: (number | null)[][];
}

/** Supported units per line of the session with this id (undefined when it is not in the day). */
export function lineUnits(day: DayUnits, id: string): (number | null)[] | undefined {
    const at = day.sessions.indexOf(id);
    return at < 0 ? undefined : day.perLine[at];
}

interface LineSlot {
    /** Position of the session in the day. */
    session: number;
    index: number;
    minutes: number;
    billed: number;
    base: number;
}

/** `sessions` must come in a fixed order (date, then id) so the result never depends on input order. */
export function computeDayUnits(
    sessions: readonly DaySession[], kindOf: (code: string) => CodeKind, method: 'pooled' | 'per-code', size: UnitSize, explain = true
): DayUnits {
    const perLine: (number | null)[][] = [];
    // Timed codes in the order first met, with their lines (a day has a handful: arrays beat maps).
    const codes: string[] = [];
    const slotsByCode: LineSlot[][] = [];
    // Untimed codes in the order first met, with their lines.
    const untimedCodes: string[] = [];
    const untimedLines: { session: number; index: number; billed: number }[][] = [];
    for (let position = 0; position < sessions.length; position++) {
        const lines = sessions[position]!.lines;
        const units = new Array<number | null>(lines.length).fill(null);
        perLine.push(units);
        for (let index = 0; index < lines.length; index++) {
            const line = lines[index]!;
            const kind = kindOf(line.code);
            if (kind === 'untimed') {
                let at = untimedCodes.indexOf(line.code);
                if (at < 0) {
                    at = untimedCodes.length;
                    untimedCodes.push(line.code);
                    untimedLines.push([]);
                }
                untimedLines[at]!.push({ session: position, index, billed: line.units });
            } else if (kind === 'timed' && line.minutes !== undefined) {
                let at = codes.indexOf(line.code);
                if (at < 0) {
                    at = codes.length;
                    codes.push(line.code);
                    slotsByCode.push([]);
                }
                slotsByCode[at]!.push({ session: position, index, minutes: line.minutes, billed: line.units, base: Math.floor(line.minutes / size.unitMinutes) });
            }
        }
    }
    // One unit per day, whatever the minutes (CMS Pub 100-04 Ch 5 s20.2): the first line of the code in the day (sessions
    // in date and id order) that bills it has it, else the first line; the others support none. A line kept with 0 units
    // is not on the claim, so it does not take the day's unit from one that bills it.
    for (const lines of untimedLines) {
        const holder = lines.find(line => line.billed > 0) ?? lines[0]!;
        for (const line of lines) perLine[line.session]![line.index] = line === holder ? 1 : 0;
    }
    // Built with push (allocate.ts says why).
    const input: CodeMinutes[] = [];
    for (let at = 0; at < codes.length; at++) {
        let minutes = 0;
        let billed = 0;
        for (const slot of slotsByCode[at]!) {
            minutes += slot.minutes;
            billed += slot.billed;
        }
        input.push({ code: codes[at]!, minutes, billed });
    }
    const allocation = method === 'pooled' ? allocatePooled(input, size, explain) : allocatePerCode(input, size, explain);
    for (const item of allocation.codes) {
        spreadOverLines(item.units, slotsByCode[codes.indexOf(item.code)]!, size.unitMinutes, perLine);
    }
    const ids: string[] = [];
    for (const session of sessions) ids.push(session.id);
    return { allocation, sessions: ids, perLine };
}

/**
 * A code's units over its lines (several only when a day has several sessions or a repeated code):
 * whole units first, then one each to lines billed above their whole units, then by leftover minutes.
 */
function spreadOverLines(units: number, slots: LineSlot[], unitMinutes: number, perLine: (number | null)[][]): void {
    if (slots.length === 1) {
        // One line billed the code: it gets all the code's units.
        perLine[slots[0]!.session]![slots[0]!.index] = units;
        return;
    }
    // Built with push (allocate.ts says why).
    const given: number[] = [];
    const order: { slot: LineSlot; position: number }[] = [];
    let rest = units;
    for (let position = 0; position < slots.length; position++) {
        given.push(slots[position]!.base);
        order.push({ slot: slots[position]!, position });
        rest -= slots[position]!.base;
    }
    for (let i = given.length - 1; rest < 0 && i >= 0; i--) {
        const take = Math.min(given[i]!, -rest);
        given[i]! -= take;
        rest += take;
    }
    sortSmall(order, (a, b) =>
        Number(b.slot.billed > b.slot.base) - Number(a.slot.billed > a.slot.base) ||
        (b.slot.minutes - b.slot.base * unitMinutes) - (a.slot.minutes - a.slot.base * unitMinutes) ||
        a.position - b.position);
    for (let k = 0; rest > 0 && order.length > 0; k++, rest--) given[order[k % order.length]!.position]! += 1;
    slots.forEach((slot, position) => {
        perLine[slot.session]![slot.index] = given[position]!;
    });
}
