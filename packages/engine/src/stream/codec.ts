/**
 * The compact forms of what crosses between threads: a chunk's sessions as JSON text (what rules
 * across sessions read of each: one string to copy, parsed natively on the other side), and the
 * facts of a chunk's sessions as one array of numbers.
 */
import type { Discipline } from '../ir/policy.js';
import { historyLine, type HistoryEntry, type SessionFacts } from '../evaluate/history.js';
import type { Session } from '../sessions/session.js';

/**
 * What the coordinator reads of one session: id, patient, date, payer, discipline, declaration in
 * force (-1 when none is, with the reason), what it adds to its patient's running counts
 * (PayerTrackers.countsOf), and its lines as JSON text of [code, minutes, units, allowed,
 * modifiers] (read only for a patient with several sessions on one date).
 */
export type SessionHead = [id: string, patient: string, date: string, payer: string, discipline: Discipline, policy: number, error: string | null, counts: number[], lines: string];

export function sessionHead(session: Session, policy: number, error: string | null, counts: number[]): SessionHead {
    const lines = session.lines.map(line => [line.code, line.minutes ?? null, line.units, line.allowed ?? null, line.modifiers]);
    return [session.id, session.patient, session.date, session.payer, session.discipline, policy, error, counts, JSON.stringify(lines)];
}

/** The entry a head stands for (its lines read). */
export function headEntry(head: SessionHead): HistoryEntry {
    const tuples = JSON.parse(head[8]) as [string, number | null, number, number | null, string[]][];
    return {
        id: head[0], patient: head[1], date: head[2], payer: head[3], discipline: head[4], policy: head[5],
        lines: tuples.map(([code, minutes, units, allowed, modifiers]) => historyLine(code, minutes ?? undefined, units, allowed ?? undefined, modifiers))
    };
}

/**
 * Facts of a chunk's sessions, in pick order: numbers (visitOfYear, limit numbers count, limit
 * numbers, threshold numbers count, threshold numbers) and, apart, the same-date sessions of
 * the few that have them, by pick position.
 */
export interface FlatFacts {
    numbers: Float64Array;
    sameDate: Record<number, HistoryEntry[]>;
}

export function flattenFacts(all: readonly SessionFacts[]): FlatFacts {
    let size = 0;
    for (const facts of all) size += factsSize(facts);
    const numbers = new Float64Array(size);
    const sameDate: Record<number, HistoryEntry[]> = {};
    let at = 0;
    all.forEach((facts, pick) => {
        at = writeFacts(numbers, at, facts);
        if (facts.sameDate) sameDate[pick] = facts.sameDate;
    });
    return { numbers, sameDate };
}

/** How many numbers a session's facts take in a FlatFacts. */
function factsSize(facts: SessionFacts): number {
    return 3 + facts.limits.length + facts.thresholds.length;
}

/** Writes a session's facts' numbers at `at` (room for factsSize of them); returns where they end. */
function writeFacts(numbers: Float64Array, at: number, facts: SessionFacts): number {
    numbers[at++] = facts.visitOfYear;
    numbers[at++] = facts.limits.length;
    for (const value of facts.limits) numbers[at++] = value;
    numbers[at++] = facts.thresholds.length;
    for (const value of facts.thresholds) numbers[at++] = value;
    return at;
}

/** Reads the facts of consecutive picks from a FlatFacts. */
export class FactsReader {
    private at = 0;
    private pick = 0;

    constructor(private readonly flat: FlatFacts) {}

    next(): SessionFacts {
        const numbers = this.flat.numbers;
        const visitOfYear = numbers[this.at]!;
        const limitCount = numbers[this.at + 1]!;
        const limits = new Array<number>(limitCount);
        for (let i = 0; i < limitCount; i++) limits[i] = numbers[this.at + 2 + i]!;
        const thresholdAt = this.at + 2 + limitCount;
        const thresholdCount = numbers[thresholdAt]!;
        const thresholds = new Array<number>(thresholdCount);
        for (let i = 0; i < thresholdCount; i++) thresholds[i] = numbers[thresholdAt + 1 + i]!;
        this.at = thresholdAt + 1 + thresholdCount;
        // One shape for every session's facts, as the replay makes them.
        return { sameDate: this.flat.sameDate[this.pick++], visitOfYear, limits, thresholds };
    }
}
