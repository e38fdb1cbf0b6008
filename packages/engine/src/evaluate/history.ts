/**
 * What rules across sessions see of the other sessions. Phase 1 of an evaluation reduces each
 * accepted session to a compact entry (dates, ids, payer, discipline, and per line code, minutes,
 * units, allowed amount and modifiers); entries are replayed per patient and payer id in date then
 * id order (see accrual.ts), which gives each session its facts: the sessions of its date, its
 * visit number in the year, the running counts of limits and thresholds before it. Phase 2 checks
 * each session against its facts alone, so results never depend on the order of the input and a
 * session can be checked without holding any other in memory.
 */
import type { Discipline } from '../ir/policy.js';
import type { Session } from '../sessions/session.js';

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
        lines: session.lines.map(line => historyLine(line.code, line.minutes, line.units, line.allowed, line.modifiers))
    };
}

/** A line as rules across sessions read it, from a session or from a compact head (stream/codec.ts): minutes and allowed only when given. */
export function historyLine(code: string, minutes: number | undefined, units: number, allowed: number | undefined, modifiers: readonly string[]): HistoryLine {
    return { code, ...(minutes !== undefined ? { minutes } : {}), units, ...(allowed !== undefined ? { allowed } : {}), modifiers };
}

/** The same without copying the lines: a session's lines read as they are (for the session's own checks). */
export function sessionEntry(session: Session, policy: number): HistoryEntry {
    return { id: session.id, patient: session.patient, date: session.date, payer: session.payer, discipline: session.discipline, policy, lines: session.lines };
}

export function compareEntries(a: HistoryEntry, b: HistoryEntry): number {
    if (a.date !== b.date) return a.date < b.date ? -1 : 1;
    return compareIds(a.id, b.id);
}

export function compareIds(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Running count of a limit before a session, in the session's period. */
export interface Tally {
    /** Counted before this session in the period. */
    before: number;
    /** Earlier sessions in the period that counted anything. */
    earlierSessions: number;
}

/**
 * One session's view of the others (plain data, so it can cross to a worker thread). Indexed by
 * the position of the rule in the session's payer declaration.
 */
export interface SessionFacts {
    /** Sessions of the same patient and payer id on the date, in id order; absent when the session is alone on its date. */
    sameDate?: HistoryEntry[];
    /** 1-based number of the session among the patient's visits with this payer id in its calendar year. */
    visitOfYear: number;
    /** Per limit rule, what was counted before the session in its period: rule position, count, earlier sessions (flat triples; none when nothing was). */
    limits: number[];
    /** Per threshold rule that covers the session's discipline, allowed cents accrued in the year before it: rule position, cents (flat pairs; none when nothing was). */
    thresholds: number[];
}

/** What the rules of one session ask about the others. */
export class SessionHistory {
    /** Results computed once, as key, value, key, value... (a session has a few: a list beats a map). */
    private memos: unknown[] | undefined;
    /** The allowed cents of the session's own lines (thresholds add them), once asked for. */
    ownCents: number | undefined;

    constructor(readonly entry: HistoryEntry, private readonly facts: SessionFacts) {}

    /** Sessions of the same patient and payer id on the entry's date (the entry included), in id order. */
    sameDate(): readonly HistoryEntry[] {
        return this.facts.sameDate ?? [this.entry];
    }

    visitOfYear(): number {
        return this.facts.visitOfYear;
    }

    limitTally(ruleIndex: number): Tally {
        const limits = this.facts.limits;
        for (let i = 0; i < limits.length; i += 3) {
            if (limits[i] === ruleIndex) return { before: limits[i + 1]!, earlierSessions: limits[i + 2]! };
        }
        return { before: 0, earlierSessions: 0 };
    }

    thresholdBefore(ruleIndex: number): number {
        const thresholds = this.facts.thresholds;
        for (let i = 0; i < thresholds.length; i += 2) if (thresholds[i] === ruleIndex) return thresholds[i + 1]!;
        return 0;
    }

    /** A result computed once for this session (several rules ask for the day's units). */
    memo<T>(key: object, compute: () => T): T {
        const memos = (this.memos ??= []);
        for (let i = 0; i < memos.length; i += 2) if (memos[i] === key) return memos[i + 1] as T;
        const value = compute();
        memos.push(key, value);
        return value;
    }
}
