/** A validated session record (DATA.md §1). Readers turn raw input into these or into rejections. */
import type { Discipline, ProviderRole } from '../ir/policy.js';

export interface SessionLine {
    code: string;
    minutes?: number;
    units: number;
    modifiers: string[];
    charge?: number;
    allowed?: number;
    assistantMinutes?: number;
    /** Fields (or CSV columns) the line had beyond DATA.md's, kept as given. */
    extra?: Record<string, unknown>;
}

export interface Session {
    id: string;
    claim?: string;
    patient: string;
    /** ISO date of service, YYYY-MM-DD. */
    date: string;
    payer: string;
    discipline: Discipline;
    provider?: { id?: string; role?: ProviderRole };
    diagnoses: string[];
    lines: SessionLine[];
    totalMinutes?: number;
    note: Record<string, string>;
    submitted?: string;
    authorization?: { id?: string; visitsApproved?: number; visitNumber?: number };
    /** Columns or fields the record had beyond DATA.md's, kept as given. */
    extra?: Record<string, unknown>;
}

/** Where a record came from: 1-based position in its input (the row number for CSV). */
export interface RecordPosition {
    file: string;
    record: number;
}

export interface Rejection {
    record: number;
    /** The input file, when more than one was read. */
    file?: string;
    id?: string;
    error: string;
}
