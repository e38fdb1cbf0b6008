/**
 * Phase 1 of an evaluation: a compact index of every accepted session, holding only what rules
 * across sessions need (dates, ids, payer, discipline, and per line code, minutes, units,
 * allowed amount and modifiers). Phase 2 checks each session against it. Every list is kept in
 * date then id order, so results never depend on the order of the input.
 */
import type { Discipline } from '../ir/policy.js';
import type { Session } from '../sessions/session.js';
import { groupKey } from '../util/records.js';

export interface HistoryLine {
    code: string;
    minutes?: number;
    units: number;
    allowed?: number;
    modifiers: readonly string[];
}

export interface HistoryEntry {
    id: string;
    patient: string;
    date: string;
    payer: string;
    discipline: Discipline;
    /** Index into the bundle's payers of the declaration in force on the date of service. */
    policy: number;
    lines: HistoryLine[];
}

export function historyEntry(session: Session, policy: number): HistoryEntry {
    return {
        id: session.id,
        patient: session.patient,
        date: session.date,
        payer: session.payer,
        discipline: session.discipline,
        policy,
        lines: session.lines.map(line => ({
            code: line.code,
            ...(line.minutes !== undefined ? { minutes: line.minutes } : {}),
            units: line.units,
            ...(line.allowed !== undefined ? { allowed: line.allowed } : {}),
            modifiers: line.modifiers
        }))
    };
}

export function compareEntries(a: HistoryEntry, b: HistoryEntry): number {
    if (a.date !== b.date) return a.date < b.date ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class History {
    private readonly timelines = new Map<string, HistoryEntry[]>();
    private readonly positions = new Map<string, number>();
    private readonly memos = new Map<string, unknown>();

    constructor(entries: Iterable<HistoryEntry>) {
        for (const entry of entries) {
            const key = groupKey(entry.patient, entry.payer);
            const timeline = this.timelines.get(key) ?? [];
            this.timelines.set(key, timeline);
            timeline.push(entry);
        }
        for (const timeline of this.timelines.values()) {
            timeline.sort(compareEntries);
            timeline.forEach((entry, position) => this.positions.set(entry.id, position));
        }
    }

    /** The patient's sessions billed to one payer id, in date then id order. */
    timeline(patient: string, payer: string): readonly HistoryEntry[] {
        return this.timelines.get(groupKey(patient, payer)) ?? [];
    }

    /** Where the session sits in its timeline. */
    position(entry: HistoryEntry): number {
        return this.positions.get(entry.id) ?? -1;
    }

    /** Sessions of the same patient and payer id on the entry's date (the entry included), in id order. */
    sameDate(entry: HistoryEntry): HistoryEntry[] {
        const timeline = this.timeline(entry.patient, entry.payer);
        let start = this.position(entry);
        let end = start;
        while (start > 0 && timeline[start - 1]!.date === entry.date) start--;
        while (end < timeline.length - 1 && timeline[end + 1]!.date === entry.date) end++;
        return timeline.slice(start, end + 1);
    }

    /** A result computed once per key: rules over groups of sessions compute the whole group at its first session. */
    memo<T>(key: string, compute: () => T): T {
        const known = this.memos.get(key);
        if (known !== undefined) return known as T;
        const value = compute();
        this.memos.set(key, value);
        return value;
    }
}
