/**
 * The JSON report written piece by piece: the same bytes as `JSON.stringify(report, null, 2)`,
 * without ever holding the report. Sessions sit at depth 2 of the document, so each one is
 * stringified on its own and indented by four spaces (JSON strings never hold a raw newline).
 */
import type { Report, SessionResult } from '../report/report.js';

const MARK = '\u0000payrule-sessions\u0000';

/**
 * Sessions as they read inside the `sessions` array, joined with ",\n": stringified two arrays
 * deep, they come out indented as in the report, and the brackets around them are cut off.
 */
export function sessionsText(results: readonly SessionResult[]): string {
    if (results.length === 0) return '';
    const text = JSON.stringify([results], null, 2);
    return text.slice(6, text.length - 6);
}

/**
 * The document around the sessions, keys in DATA.md's order: `head` ends with `"sessions": [`,
 * `tail` starts with its `]`. The head depends only on the format and the policies.
 */
export function reportFrame(report: Omit<Report, 'sessions'>): { head: string; tail: string } {
    // Notices before the summary: a program may read the summary from the end of a large report.
    const text = JSON.stringify({
        format: report.format, policies: report.policies, sessions: [MARK], rejected: report.rejected,
        ...(report.notices !== undefined ? { notices: report.notices } : {}), summary: report.summary
    }, null, 2);
    const marked = `[\n    ${JSON.stringify(MARK)}\n  ]`;
    const at = text.indexOf(marked);
    return { head: text.slice(0, at + 1), tail: text.slice(at + marked.length - 1) };
}

/** Lays sessions out between head and tail as JSON.stringify lays out an array (`[]` when empty). */
export class SessionsLayout {
    private count = 0;

    /** Sessions' texts already joined with ",\n" (count of them), as the text to write next. */
    next(joined: string, count: number): string {
        return count === 0 ? '' : this.separator(count) + joined;
    }

    /** What goes before the next `count` sessions' joined texts ('' for none). */
    separator(count: number): string {
        if (count === 0) return '';
        const text = this.count === 0 ? '\n' : ',\n';
        this.count += count;
        return text;
    }

    /** What goes before the tail. */
    close(): string {
        return this.count === 0 ? '' : '\n  ';
    }
}
