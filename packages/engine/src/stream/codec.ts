/** A session's head: what the replay of its patient's timeline reads of it, in a compact form (session-table.ts keeps it). */
import type { Discipline } from '../ir/policy.js';
import { historyLine, type HistoryEntry } from '../evaluate/history.js';
import type { Session } from '../sessions/session.js';

/**
 * What the replay reads of one session: id, patient, date, payer, discipline, declaration in
 * force, what it adds to its patient's running counts (PayerTrackers.countsOf), and its lines as
 * JSON text of [code, minutes, units, allowed, modifiers] (read only for a patient with several
 * sessions on one date).
 */
export type SessionHead = [id: string, patient: string, date: string, payer: string, discipline: Discipline, policy: number, counts: number[], lines: string];

export function sessionHead(session: Session, policy: number, counts: number[]): SessionHead {
    const lines = session.lines.map(line => [line.code, line.minutes ?? null, line.units, line.allowed ?? null, line.modifiers]);
    return [session.id, session.patient, session.date, session.payer, session.discipline, policy, counts, JSON.stringify(lines)];
}

/** The entry a head stands for (its lines read). */
export function headEntry(head: SessionHead): HistoryEntry {
    const tuples = JSON.parse(head[7]) as [string, number | null, number, number | null, string[]][];
    return {
        id: head[0], patient: head[1], date: head[2], payer: head[3], discipline: head[4], policy: head[5],
        lines: tuples.map(([code, minutes, units, allowed, modifiers]) => historyLine(code, minutes ?? undefined, units, allowed ?? undefined, modifiers))
    };
}
