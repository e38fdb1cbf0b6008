/**
 * The compact forms of what crosses between threads: a chunk's sessions as JSON text (what rules
 * across sessions read of each: one string to copy, parsed natively on the other side), and the
 * facts of a chunk's sessions as one array of numbers. The two-pass index keeps each session's
 * head and facts as short JSON text.
 */
import type { Discipline } from '../ir/policy.js';
import type { HistoryEntry, SessionFacts } from '../evaluate/history.js';
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
        lines: tuples.map(([code, minutes, units, allowed, modifiers]) => ({
            code, ...(minutes !== null ? { minutes } : {}), units, ...(allowed !== null ? { allowed } : {}), modifiers
        }))
    };
}

/** An entry as a head (without counts), for same-date sessions in the two-pass index. */
function entryParts(entry: HistoryEntry): SessionHead {
    const lines = entry.lines.map(line => [line.code, line.minutes ?? null, line.units, line.allowed ?? null, line.modifiers]);
    return [entry.id, entry.patient, entry.date, entry.payer, entry.discipline, entry.policy, null, [], JSON.stringify(lines)];
}

function entryFromParts(parts: SessionHead): HistoryEntry {
    return headEntry(parts);
}

/** Facts as JSON text (the two-pass index): [visitOfYear, limits, thresholds, sameDate?]. */
export function factsText(facts: SessionFacts): string {
    if (!facts.sameDate) return JSON.stringify([facts.visitOfYear, facts.limits, facts.thresholds]);
    return JSON.stringify([facts.visitOfYear, facts.limits, facts.thresholds, facts.sameDate.map(entryParts)]);
}

export function factsFromText(text: string): SessionFacts {
    const [visitOfYear, limits, thresholds, sameDate] = JSON.parse(text) as [number, number[], number[], SessionHead[]?];
    return { ...(sameDate ? { sameDate: sameDate.map(entryFromParts) } : {}), visitOfYear, limits, thresholds };
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
    for (const facts of all) size += 3 + facts.limits.length + facts.thresholds.length;
    const numbers = new Float64Array(size);
    const sameDate: Record<number, HistoryEntry[]> = {};
    let at = 0;
    all.forEach((facts, pick) => {
        numbers[at++] = facts.visitOfYear;
        numbers[at++] = facts.limits.length;
        for (const value of facts.limits) numbers[at++] = value;
        numbers[at++] = facts.thresholds.length;
        for (const value of facts.thresholds) numbers[at++] = value;
        if (facts.sameDate) sameDate[pick] = facts.sameDate;
    });
    return { numbers, sameDate };
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
        const sameDate = this.flat.sameDate[this.pick++];
        return { ...(sameDate ? { sameDate } : {}), visitOfYear, limits, thresholds };
    }
}
