/**
 * A chunk of input and its records read as the readers (sessions/read.ts) read them: an NDJSON
 * line, a CSV session (its rows grouped by id) or a JSON array element, each into a session or
 * a rejection. Nothing here depends on other chunks.
 */
import { assembleSession, type Row } from '../sessions/csv-text.js';
import { columnName, columnRole, type ColumnRole } from '../sessions/csv-columns.js';
import { brokenJsonReason } from '../sessions/json-text.js';
import type { Session } from '../sessions/session.js';
import type { ParseOptions } from '../sessions/validate.js';
import { parseSessionFast } from './fast-validate.js';
import { readRecords } from './csv-rows.js';

/** How a CSV input is laid out, from its header (read by the coordinator). */
export interface CsvLayout {
    header: string[];
    crlf: boolean;
}

export interface Chunk {
    id: number;
    format: 'ndjson' | 'csv' | 'json';
    /** NDJSON or CSV text (UTF-8 bytes or already decoded); JSON: the array's elements. */
    text?: Uint8Array | string;
    values?: unknown[];
    /** Position of the chunk's first record: NDJSON line, CSV row (header = 1) or JSON element, 1-based. */
    first: number;
    csv?: CsvLayout;
}

export interface ChunkRejection {
    record: number;
    id?: string;
    error: string;
}

/** A record read into a session, or why it is rejected. */
export type RecordRead = { ok: true; session: Session } | { ok: false; rejection: ChunkRejection };

/** A record already parsed (a JSON element, an assembled CSV session) read into a session. */
export function readRecord(raw: unknown, record: number, options?: ParseOptions): RecordRead {
    // A record already in shape is taken as it is (fast-validate.ts); any other goes through the validator.
    const result = parseSessionFast(raw, record, options);
    if (result.ok) return { ok: true, session: result.session };
    return { ok: false, rejection: { record, ...(result.id !== undefined ? { id: result.id } : {}), error: result.error } };
}

/** One NDJSON line (trimmed, not blank) read into a session. */
export function readNdjsonLine(line: string, record: number): RecordRead {
    let raw: unknown;
    try {
        raw = JSON.parse(line);
    } catch (error) {
        return { ok: false, rejection: { record, error: brokenJsonReason(error, line) } };
    }
    return readRecord(raw, record);
}

export function chunkText(chunk: Chunk): string {
    const text = chunk.text ?? '';
    // Node's own UTF-8 decoding: faster than TextDecoder, and it keeps a byte order mark (line 1 drops it, as the readers do).
    return typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
}

/** What the columns of a CSV input are, and where the session's id, patient and date are (-1 when absent). */
export interface CsvColumns {
    roles: ColumnRole[];
    id: number;
    patient: number;
    date: number;
}

const columnsOfLayout = new WeakMap<CsvLayout, CsvColumns>();

export function csvColumns(csv: CsvLayout): CsvColumns {
    let columns = columnsOfLayout.get(csv);
    if (!columns) {
        const roles = csv.header.map(columnRole);
        const of = (field: string) => roles.findIndex(role => role.scope === 'session' && role.field === field);
        columnsOfLayout.set(csv, (columns = { roles, id: of('id'), patient: of('patient'), date: of('date') }));
    }
    return columns;
}

/** A CSV session: its rows grouped by id, and the rows that could not be read. */
export interface CsvSession {
    id: string;
    /** Its position: the first of its rows. */
    first: number;
    rows: Row[];
    problems: { row: number; message: string }[];
}

/**
 * A CSV chunk's rows grouped into sessions as sessions/csv-text.ts groups them, for inputs whose
 * sessions keep their rows together: blank rows are skipped, a row without an id is rejected on
 * its own. `irregular` says why the chunk cannot be read so (the input is read whole instead).
 */
export function csvSessions(text: string, first: number, csv: CsvLayout): { sessions: CsvSession[]; rejected: ChunkRejection[]; irregular?: string } {
    const sessions: CsvSession[] = [];
    const rejected: ChunkRejection[] = [];
    const records = readRecords(text, csv.crlf);
    if (!records) return { sessions, rejected, irregular: 'irregular CSV' };
    const idColumn = csvColumns(csv).id;
    const width = csv.header.length;
    const seen = new Set<string>();
    let group: CsvSession | undefined;
    for (let index = 0; index < records.length; index++) {
        const cells = records[index]!;
        const row = first + index;
        if (cells.every(cell => cell === '')) continue;
        const id = cells[idColumn] ?? '';
        const problem = cells.length !== width ? `row ${row} has ${cells.length} columns; the header has ${width}` : undefined;
        if (id === '') {
            rejected.push({ record: row, error: problem ?? `row ${row}: missing required field "session_id"` });
            continue;
        }
        if (group?.id !== id) {
            if (seen.has(id)) return { sessions, rejected, irregular: `the rows of session ${id} are apart` };
            seen.add(id);
            sessions.push((group = { id, first: row, rows: [], problems: [] }));
        }
        if (problem) group.problems.push({ row, message: problem });
        else group.rows.push({ row, cells });
    }
    return { sessions, rejected };
}

/** A CSV session read into a session, or why it is rejected. */
export function readCsvSession(group: CsvSession, roles: ColumnRole[]): RecordRead {
    const { id, first, rows } = group;
    if (group.problems.length > 0) return { ok: false, rejection: { record: first, id, error: group.problems.map(problem => problem.message).join('; ') } };
    const { raw, problems } = assembleSession(rows, roles);
    if (problems.length > 0) return { ok: false, rejection: { record: first, id, error: problems.join('; ') } };
    return readRecord(raw, first, { lineLabel: index => `row ${rows[index]!.row}`, fieldName: columnName });
}

/** The first cell of a column that is not empty among a session's rows: what the session's field will be. */
export function firstCell(group: CsvSession, column: number): string | undefined {
    if (column < 0) return undefined;
    for (const row of group.rows) if ((row.cells![column] ?? '') !== '') return row.cells![column];
    return undefined;
}
