/** Where records end up: each becomes a positioned session or a rejection, and later duplicates are rejected. */
import type { Rejection, Session } from './session.js';
import { parseSessionRecord, type ParseOptions } from './validate.js';

export interface PositionedSession {
    session: Session;
    /** 1-based position in its input (array index + 1, line number, or CSV row of the session's first row). */
    record: number;
    file?: string;
}

export type ReadItem =
    | { kind: 'session'; value: PositionedSession }
    | { kind: 'rejected'; value: Rejection };

export interface SessionsRead {
    sessions: PositionedSession[];
    rejected: Rejection[];
}

export class SessionCollector {
    private readonly firstSeen = new Map<string, number>();

    /** `file` is written into positions so reports can name the input when there are several. */
    constructor(private readonly file?: string) {}

    accept(raw: unknown, record: number, options?: ParseOptions): ReadItem {
        const parsed = parseSessionRecord(raw, record, options);
        if (!parsed.ok) return this.reject(record, parsed.error, parsed.id);
        const id = parsed.session.id;
        const first = this.firstSeen.get(id);
        if (first !== undefined) return this.reject(record, `duplicate session id ${id}, first seen at record ${first}`, id);
        this.firstSeen.set(id, record);
        return { kind: 'session', value: { session: parsed.session, record, ...(this.file !== undefined ? { file: this.file } : {}) } };
    }

    reject(record: number, error: string, id?: string): ReadItem {
        return {
            kind: 'rejected',
            value: { record, ...(this.file !== undefined ? { file: this.file } : {}), ...(id !== undefined ? { id } : {}), error }
        };
    }
}

export function gather(items: Iterable<ReadItem>): SessionsRead {
    const result: SessionsRead = { sessions: [], rejected: [] };
    for (const item of items) {
        if (item.kind === 'session') result.sessions.push(item.value);
        else result.rejected.push(item.value);
    }
    return result;
}
