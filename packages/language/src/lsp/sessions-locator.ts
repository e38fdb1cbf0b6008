/**
 * Where a session record and its lines are in a session file, so findings can point at the row
 * (CSV), the line (NDJSON) or the object (JSON) they are about. Best effort by design: the engine
 * knows each record's position; lines of a CSV session are found by their session_id cell.
 */
import type { Range } from 'vscode-languageserver';

export interface SessionsLocator {
    /** The session's first row or line, or its `"id"` in a JSON array. */
    session(id: string, record: number): Range;
    /** The row of the session's `index`-th line (CSV), or the session's own location. */
    line(id: string, record: number, index: number): Range;
    /** A rejected record. */
    record(record: number, id?: string): Range;
}

export function sessionsLocator(text: string, format: 'csv' | 'json' | 'ndjson'): SessionsLocator {
    const lines = text.split(/\r?\n/);
    const lineRange = (line: number): Range => {
        const index = Math.min(Math.max(line, 0), Math.max(lines.length - 1, 0));
        return { start: { line: index, character: 0 }, end: { line: index, character: lines[index]?.length ?? 0 } };
    };
    if (format === 'csv') {
        const rowsById = csvRowsById(lines);
        const session = (id: string, record: number) => lineRange(rowsById.get(id)?.[0] ?? record - 1);
        return {
            session,
            line: (id, record, index) => {
                const rows = rowsById.get(id);
                return rows?.[index] !== undefined ? lineRange(rows[index]!) : session(id, record);
            },
            record: (record, id) => (id !== undefined && rowsById.has(id) ? session(id, record) : lineRange(record - 1))
        };
    }
    if (format === 'ndjson') {
        return { session: (_id, record) => lineRange(record - 1), line: (_id, record) => lineRange(record - 1), record: record => lineRange(record - 1) };
    }
    const idLine = (id: string): number | undefined => {
        const pattern = new RegExp(`"id"\\s*:\\s*${escapeRegExp(JSON.stringify(id))}`);
        const index = lines.findIndex(line => pattern.test(line));
        return index >= 0 ? index : undefined;
    };
    const session = (id: string) => lineRange(idLine(id) ?? 0);
    return {
        session,
        line: (id, _record, index) => {
            const start = idLine(id);
            if (start === undefined) return lineRange(0);
            let seen = -1;
            for (let i = start; i < lines.length; i++) {
                if (i > start && /"id"\s*:/.test(lines[i]!) && !/"code"/.test(lines[i]!)) break;
                if (/"code"\s*:/.test(lines[i]!) && ++seen === index) return lineRange(i);
            }
            return lineRange(start);
        },
        record: (_record, id) => session(id ?? '')
    };
}

/** Physical line numbers (0-based) of each session's rows, by session_id. */
function csvRowsById(lines: string[]): Map<string, number[]> {
    const rows = new Map<string, number[]>();
    const header = splitCsvLine(lines[0] ?? '').map(cell => cell.trim().toLowerCase());
    const column = header.indexOf('session_id');
    if (column < 0) return rows;
    lines.forEach((line, index) => {
        if (index === 0 || line.trim() === '') return;
        const id = splitCsvLine(line)[column]?.trim();
        if (!id) return;
        const list = rows.get(id) ?? [];
        list.push(index);
        rows.set(id, list);
    });
    return rows;
}

/** Cells of one CSV line, with double-quoted cells (and doubled quotes inside them). */
function splitCsvLine(line: string): string[] {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const char = line[i]!;
        if (quoted) {
            if (char === '"' && line[i + 1] === '"') { cell += '"'; i++; }
            else if (char === '"') quoted = false;
            else cell += char;
        } else if (char === '"') {
            quoted = true;
        } else if (char === ',') {
            cells.push(cell);
            cell = '';
        } else {
            cell += char;
        }
    }
    cells.push(cell);
    return cells;
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
