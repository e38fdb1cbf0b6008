/**
 * A chunk of input and its records read as the readers (sessions/read.ts) read them: an NDJSON
 * line, a CSV session (its rows grouped by id) or a JSON array element, each into a session or
 * a rejection. Nothing here depends on other chunks.
 */
import { assembleSession, cellsProblem, type Row } from '../sessions/csv-text.js';
import { columnName, columnRole, unnamedColumns, type ColumnRole } from '../sessions/csv-columns.js';
import { brokenJsonReason } from '../sessions/json-text.js';
import type { Session } from '../sessions/session.js';
import type { ParseOptions } from '../sessions/validate.js';
import { parseSessionFast } from './fast-validate.js';
import { COMMA, QUOTE } from '../util/char-codes.js';
import { byteRecordEnds, readRecord as readCsvRecord } from './csv-rows.js';

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

/** What the columns of a CSV input are, and where the session's id, patient and date are (-1 when absent). */
export interface CsvColumns {
    roles: ColumnRole[];
    /** The columns without a name (unnamedColumns): a value in one rejects its row. */
    unnamed: number[];
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
        columnsOfLayout.set(csv, (columns = { roles, unnamed: unnamedColumns(roles), id: of('id'), patient: of('patient'), date: of('date') }));
    }
    return columns;
}

/**
 * A CSV session: its rows grouped by id, each kept as where it is in the chunk's bytes until the
 * session is read (readCsvSession); its patient and date as their first cells in its rows.
 */
export interface CsvSession {
    id: string;
    /** Its position: the first of its rows. */
    first: number;
    patient: string | undefined;
    date: string | undefined;
    bytes: Buffer;
    rows: { row: number; start: number; end: number }[];
}

/**
 * A CSV chunk's rows grouped into sessions as sessions/csv-text.ts groups them, for inputs whose
 * sessions keep their rows together: blank rows are skipped, a row without an id is rejected on
 * its own. Rows are found in the bytes, and of most only the id, patient and date cells read;
 * the sessions `wanted` picks (by patient and first row) are kept, and the rows without an id it
 * picks (by row) rejected; `lastDate` is the last session's. `irregular` says why the chunk
 * cannot be read so (the input is read whole instead).
 */
export function csvSessions(bytes: Buffer, first: number, csv: CsvLayout, wanted: (patient: string | undefined, row: number) => boolean):
    { sessions: CsvSession[]; rejected: ChunkRejection[]; irregular?: string; lastDate?: string } {
    const sessions: CsvSession[] = [];
    const rejected: ChunkRejection[] = [];
    const columns = csvColumns(csv);
    const width = csv.header.length;
    const seen = new Set<string>();
    let session: CsvSession | undefined;
    const { ends, quotes } = byteRecordEnds(bytes);
    // A last row without a line end (or everything from an unclosed quote on) is a row too, read whole when it matters.
    const whole = ends[ends.length - 1] ?? 0;
    if (whole < bytes.length) {
        ends.push(bytes.length);
        quotes.push(bytes.indexOf(QUOTE, whole));
    }
    // The id, patient and date cells of the row (start, end of each), found in one walk over its commas.
    const keys = new Int32Array(6);
    // Where the last row's id is in the bytes (-1: read whole): the next row of its session has the same bytes there.
    let lastIdStart = -1;
    let lastIdEnd = -1;
    for (let index = 0, start = 0; index < ends.length; start = ends[index++]!) {
        const row = first + index;
        const end = ends[index]!;
        // Cells after the row's first quote are found by reading the row whole.
        const plainEnd = quotes[index]! >= 0 ? quotes[index]! : end;
        let id: string | undefined;
        let patient: string | undefined;
        let date: string | undefined;
        if (keyCells(bytes, start, plainEnd, columns, keys) && keys[1]! > keys[0]!) {
            // A session's rows follow each other: its id is decoded once, from its first row.
            id = session && sameBytes(bytes, keys[0]!, keys[1]!, lastIdStart, lastIdEnd) ? session.id : bytes.toString('utf8', keys[0]!, keys[1]!);
            lastIdStart = keys[0]!;
            lastIdEnd = keys[1]!;
            // Of the patient and the date only the first non-empty ones of a session count.
            const sameSession = session?.id === id;
            if (columns.patient >= 0 && !(sameSession && session!.patient !== undefined)) patient = bytes.toString('utf8', keys[2]!, keys[3]!);
            if (columns.date >= 0 && !(sameSession && session!.date !== undefined)) date = bytes.toString('utf8', keys[4]!, keys[5]!);
        } else {
            // A cell quoted, or no id: the row read whole to tell (a blank row is no record).
            lastIdStart = -1;
            const cells = rowCells(bytes, start, end, csv.crlf);
            if (!cells) return { sessions, rejected, irregular: 'irregular CSV' };
            if (cells.every(cell => cell === '')) continue;
            id = cells[columns.id] ?? '';
            patient = cells[columns.patient];
            date = cells[columns.date];
            if (id === '') {
                if (wanted(undefined, row)) {
                    rejected.push({ record: row, error: cellsProblem(row, cells, width, columns.unnamed) ?? `row ${row}: missing required field "session_id"` });
                }
                continue;
            }
        }
        if (session?.id !== id) {
            if (seen.has(id)) return { sessions, rejected, irregular: `the rows of session ${id} are apart` };
            seen.add(id);
            sessions.push((session = { id, first: row, patient: undefined, date: undefined, bytes, rows: [] }));
        }
        if (session.patient === undefined && patient) session.patient = patient;
        if (session.date === undefined && date) session.date = date;
        session.rows.push({ row, start, end });
    }
    const lastDate = sessions[sessions.length - 1]?.date;
    return { sessions: sessions.filter(each => wanted(each.patient, each.first)), rejected, ...(lastDate !== undefined ? { lastDate } : {}) };
}

/** A CSV session read into a session, or why it is rejected; `irregular` when one of its rows is not as exports write them. */
export function readCsvSession(session: CsvSession, csv: CsvLayout): RecordRead | { ok: false; irregular: string } {
    const { id, first } = session;
    const width = csv.header.length;
    const columns = csvColumns(csv);
    const rows: Row[] = [];
    const problems: string[] = [];
    for (const { row, start, end } of session.rows) {
        const cells = rowCells(session.bytes, start, end, csv.crlf);
        if (!cells) return { ok: false, irregular: 'irregular CSV' };
        const problem = cellsProblem(row, cells, width, columns.unnamed);
        if (problem) problems.push(problem);
        else rows.push({ row, cells });
    }
    if (problems.length > 0) return { ok: false, rejection: { record: first, id, error: problems.join('; ') } };
    const assembled = assembleSession(rows, columns.roles);
    if (assembled.problems.length > 0) return { ok: false, rejection: { record: first, id, error: assembled.problems.join('; ') } };
    return readRecord(assembled.raw, first, { lineLabel: index => `row ${rows[index]!.row}`, fieldName: columnName });
}

/**
 * The id, patient and date cells of the row starting at `start` (as start and end offsets, pairs
 * in `keys`), when each that the header has ends (with a comma) before `end`: one walk over the
 * row's commas, without decoding any cell. False when one of them is not there.
 */
function keyCells(bytes: Buffer, start: number, end: number, columns: CsvColumns, keys: Int32Array): boolean {
    if (columns.id < 0) return false;
    const last = Math.max(columns.id, columns.patient, columns.date);
    let at = start;
    for (let column = 0; column <= last; column++) {
        const comma = bytes.indexOf(COMMA, at);
        if (comma < 0 || comma >= end) return false;
        if (column === columns.id) keys[0] = at, keys[1] = comma;
        if (column === columns.patient) keys[2] = at, keys[3] = comma;
        if (column === columns.date) keys[4] = at, keys[5] = comma;
        at = comma + 1;
    }
    return true;
}

/** Whether bytes [start, end) and [otherStart, otherEnd) are the same (false when the other is -1). */
function sameBytes(bytes: Uint8Array, start: number, end: number, otherStart: number, otherEnd: number): boolean {
    if (otherStart < 0 || end - start !== otherEnd - otherStart) return false;
    for (let k = 0; k < end - start; k++) if (bytes[start + k] !== bytes[otherStart + k]) return false;
    return true;
}

/** A row's cells, as the fast CSV reader reads them, or undefined when the row is irregular. */
function rowCells(bytes: Buffer, start: number, end: number, crlf: boolean): string[] | undefined {
    const text = bytes.toString('utf8', start, end);
    const record = readCsvRecord(text, 0, crlf);
    return record && record.end === text.length ? record.cells : undefined;
}

