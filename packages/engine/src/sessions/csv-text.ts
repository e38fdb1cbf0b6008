/**
 * CSV text to records: one row per claim line, rows sharing `session_id` form one session even
 * when they are not adjacent. A session's position is the spreadsheet row of its first row
 * (the header is row 1); a bad row rejects its whole session with a reason naming the row.
 */
import { parse } from 'csv-parse/sync';
import { NEWLINE, RETURN } from '../util/char-codes.js';
import { isQuotable } from '../util/text.js';
import { InputError } from './errors.js';
import { gather, SessionCollector, type ReadItem, type SessionsRead } from './collect.js';
import { cellValue, columnName, columnRole, unnamedColumns, type ColumnRole } from './csv-columns.js';

export interface Row {
    /** Spreadsheet row number, header = 1. */
    row: number;
    cells?: string[];
    /** Set when the CSV parser could not read the row. */
    broken?: { message: string; raw?: string };
}

interface SessionRows {
    id: string;
    rows: Row[];
    /** Rows that could not be read, by row number: each rejects the whole session. */
    problems: { row: number; message: string }[];
}

export function parseCsvText(text: string, file?: string): SessionsRead {
    return gather(csvTextItems(text, file));
}

export function* csvTextItems(text: string, file?: string, collector = new SessionCollector(file)): Generator<ReadItem> {
    const rows = readRows(text);
    const header = rows[0];
    if (!header?.cells) throw new InputError(`${file ?? 'the CSV input'} has no header row`);
    const roles = header.cells.map(columnRole);
    const idColumn = checkHeader(header.cells, roles, file);
    const unnamed = unnamedColumns(roles);
    const groups = new Map<string, SessionRows>();
    const alone: ReadItem[] = [];
    for (const row of rows.slice(1)) {
        if (row.cells && row.cells.every(cell => cell === '')) continue; // blank spreadsheet rows carry nothing
        const id = row.cells ? row.cells[idColumn] ?? '' : guessId(row.broken?.raw, idColumn);
        const problem = rowProblem(row, header.cells.length, unnamed);
        if (id === '') {
            alone.push(collector.reject(row.row, problem ?? `row ${row.row}: missing required field "session_id"`));
            continue;
        }
        const group = groups.get(id) ?? { id, rows: [], problems: [] };
        groups.set(id, group);
        if (problem) group.problems.push({ row: row.row, message: problem });
        else group.rows.push(row);
    }
    const items = [...alone];
    for (const group of groups.values()) items.push(sessionItem(group, roles, collector));
    items.sort((a, b) => recordOf(a) - recordOf(b));
    yield* items;
}

/** The header row's cells, read as the reader reads them from the start of CSV text (the first line is enough); undefined when there is none. */
export function csvHeaderCells(text: string): string[] | undefined {
    return readRows(text)[0]?.cells;
}

function recordOf(item: ReadItem): number {
    return item.value.record;
}

/**
 * Every record of the file with its row number; rows the parser rejects are kept as broken rows.
 * A quote the parser cannot make sense of stops it: it starts again on the line after the broken
 * row's first line, so one stray quote loses one row (rejected), not the rest of the file.
 */
function readRows(text: string): Row[] {
    const rows: Row[] = [];
    // Bytes, as the parser counts where a record ends (a lone \r and a quoted line break count as it reads them).
    const bytes = Buffer.from(text.replace(/^\ufeff/, ''));
    for (let from = 0; from < bytes.length;) {
        // Where the last record read ends, counted from `from`: a broken row starts there.
        let lastEnd = 0;
        let resumeAt: number | undefined;
        parse(bytes.subarray(from), {
            trim: true,
            relax_quotes: true,
            relax_column_count: true,
            skip_empty_lines: false,
            skip_records_with_error: true,
            on_record: (cells: string[], context) => {
                rows.push({ row: rows.length + 1, cells });
                lastEnd = context.bytes;
                // The parser went on after a broken row: nothing to start again.
                resumeAt = undefined;
                return null;
            },
            on_skip: error => {
                const start = from + lastEnd;
                const end = lineEnd(bytes, start);
                rows.push({ row: rows.length + 1, broken: { message: plainCsvError(error), raw: bytes.toString('utf8', start, end) } });
                resumeAt = end + (bytes[end] === RETURN && bytes[end + 1] === NEWLINE ? 2 : 1);
                return undefined;
            }
        });
        if (resumeAt === undefined) break;
        from = resumeAt;
    }
    // A lone empty line parses as one empty cell; it is kept so row numbers match the spreadsheet.
    return rows;
}

/** Where the line starting at `start` ends: its \n or \r, or the end of the bytes. */
function lineEnd(bytes: Buffer, start: number): number {
    for (let at = start; at < bytes.length; at++) if (bytes[at] === NEWLINE || bytes[at] === RETURN) return at;
    return bytes.length;
}

/** The parser's complaint in a biller's words. */
function plainCsvError(error: { code?: string; message?: string } | undefined): string {
    switch (error?.code) {
        // Text after a closing quote, or a quote left open that the next quote in the file seemed to close.
        case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE': return 'a quote in the row does not close where its cell ends';
        case 'CSV_QUOTE_NOT_CLOSED': return 'a quote opens a cell and is never closed';
        case 'CSV_INVALID_OPENING_QUOTE': return 'a quote stands in the middle of a cell';
        default: return error?.message ?? 'unreadable row';
    }
}

export function checkHeader(cells: string[], roles: ColumnRole[], file?: string): number {
    const name = file ?? 'the CSV input';
    const seen = new Set<string>();
    for (const cell of cells) {
        const key = cell.trim().toLowerCase();
        // Unnamed columns (Excel's trailing commas) are no column of any name, so never two of one.
        if (key === '') continue;
        if (seen.has(key)) throw new InputError(`${name}: the header has two columns named "${cell.trim()}"`);
        seen.add(key);
    }
    const idColumn = roles.findIndex(role => role.scope === 'session' && role.field === 'id');
    if (idColumn < 0) throw new InputError(`${name}: the header has no session_id column`);
    return idColumn;
}

function rowProblem(row: Row, headerWidth: number, unnamed: readonly number[]): string | undefined {
    if (row.broken) return `row ${row.row} is not valid CSV: ${row.broken.message}`;
    return cellsProblem(row.row, row.cells!, headerWidth, unnamed);
}

/**
 * Why a row's cells cannot be read against the header, if they cannot: another number of cells,
 * or a value under a column without a name (`unnamed`, from unnamedColumns), which would be lost.
 * The streaming reader asks the same of its rows (stream/chunk-records.ts).
 */
export function cellsProblem(row: number, cells: readonly string[], headerWidth: number, unnamed: readonly number[]): string | undefined {
    if (cells.length !== headerWidth) return `row ${row} has ${cells.length} columns; the header has ${headerWidth}`;
    for (let k = 0; k < unnamed.length; k++) if (cells[unnamed[k]!] !== '') return unnamedValues(row, cells, unnamed);
    return undefined;
}

/** `row 5 has a value in column 14, which has no name in the header` (columns counted from 1, as a spreadsheet shows them). */
function unnamedValues(row: number, cells: readonly string[], unnamed: readonly number[]): string {
    const columns = unnamed.filter(column => cells[column] !== '').map(column => column + 1);
    if (columns.length === 1) return `row ${row} has a value in column ${columns[0]}, which has no name in the header`;
    return `row ${row} has values in columns ${columns.slice(0, -1).join(', ')} and ${columns[columns.length - 1]}, which have no name in the header`;
}

/** The session id of a row the parser could not read, from a plain comma split of its first line: best effort, so its session is rejected too. */
function guessId(raw: string | undefined, idColumn: number): string {
    const cell = raw?.split(',')[idColumn]?.trim() ?? '';
    return cell.includes('"') ? '' : cell;
}

function sessionItem(group: SessionRows, roles: ColumnRole[], collector: SessionCollector): ReadItem {
    const rows = group.rows;
    const first = Math.min(...rows.map(row => row.row), ...group.problems.map(problem => problem.row));
    if (group.problems.length > 0) return collector.reject(first, group.problems.map(problem => problem.message).join('; '), group.id);
    const { raw, problems } = assembleSession(rows, roles);
    if (problems.length > 0) return collector.reject(first, problems.join('; '), group.id);
    return collector.accept(raw, first, {
        lineLabel: index => `row ${rows[index]!.row}`,
        fieldName: columnName
    });
}

/** One session in the record shape JSON would have: session columns agree across rows, each row is a line. */
export function assembleSession(rows: Row[], roles: ColumnRole[]): { raw: Record<string, unknown>; problems: string[] } {
    const plan = planOf(roles);
    const problems: string[] = [];
    // Per session or note column (by slot): the first value and its row.
    const values: ({ value: string; row: number } | undefined)[] = new Array(plan.slots);
    const notes: [string, string][] = [];
    const extraFirst: (string | undefined)[] = new Array(plan.slots);
    const extra: [string, string][] = [];
    const lines: Record<string, unknown>[] = [];
    for (const row of rows) {
        const cells = row.cells!;
        const line: Record<string, unknown> = {};
        let lineExtra: [string, string][] | undefined;
        for (let column = 0; column < cells.length; column++) {
            const cell = cells[column]!;
            if (cell === '') continue;
            const at = plan.columns[column]!;
            if (at.type === 'line') {
                line[at.name] = cellValue(cell, at.kind!);
            } else if (at.type === 'extra') {
                (lineExtra ??= []).push([at.name, cell]);
                if (extraFirst[at.slot] === undefined) {
                    extraFirst[at.slot] = cell;
                    extra.push([at.name, cell]);
                }
            } else if (at.type !== 'unnamed') {
                const earlier = values[at.slot];
                if (earlier && earlier.value !== cell) {
                    problems.push(disagreement(row.row, at.label, at.type === 'note', cell, earlier));
                } else if (!earlier) {
                    values[at.slot] = { value: cell, row: row.row };
                    if (at.type === 'note') notes.push([at.name, cell]);
                }
            }
        }
        if (lineExtra) line['extra'] = Object.fromEntries(lineExtra);
        lines.push(line);
    }
    const raw: Record<string, unknown> = {};
    let provider: Record<string, unknown> | undefined;
    let authorization: Record<string, unknown> | undefined;
    for (const at of plan.session) {
        const cell = values[at.slot];
        if (cell === undefined) continue;
        const value = cellValue(cell.value, at.kind!);
        if (at.group === 'provider') (provider ??= {})[at.name] = value;
        else if (at.group === 'authorization') (authorization ??= {})[at.name] = value;
        else raw[at.name] = value;
    }
    if (provider) raw['provider'] = provider;
    if (authorization) raw['authorization'] = authorization;
    raw['note'] = Object.fromEntries(notes);
    if (extra.length > 0) raw['extra'] = Object.fromEntries(extra);
    raw['lines'] = lines;
    return { raw, problems };
}

interface PlannedColumn {
    type: 'line' | 'extra' | 'session' | 'note' | 'unnamed';
    /** Field (line, session: after provider. or authorization.), column name (extra) or element (note). */
    name: string;
    kind?: 'text' | 'count' | 'money' | 'list';
    /** provider or authorization for their fields. */
    group?: string;
    /** Position among the session, note and extra columns. */
    slot: number;
    label: string;
}

const plans = new WeakMap<ColumnRole[], { columns: PlannedColumn[]; session: PlannedColumn[]; slots: number }>();

/** What each column feeds, worked out once per header. */
function planOf(roles: ColumnRole[]): { columns: PlannedColumn[]; session: PlannedColumn[]; slots: number } {
    let plan = plans.get(roles);
    if (plan) return plan;
    let slots = 0;
    const columns = roles.map((role): PlannedColumn => {
        if (role.scope === 'line') return { type: 'line', name: role.field, kind: role.kind, slot: -1, label: '' };
        // Skipped: a row with a value here is rejected before it is assembled (cellsProblem).
        if (role.scope === 'unnamed') return { type: 'unnamed', name: '', slot: -1, label: '' };
        if (role.scope === 'extra') return { type: 'extra', name: role.name, slot: slots++, label: '' };
        if (role.scope === 'note') return { type: 'note', name: role.element, slot: slots++, label: columnLabel(role) };
        const [head, tail] = role.field.split('.');
        const group = head === 'provider' || head === 'authorization' ? head : undefined;
        return { type: 'session', name: group ? tail! : role.field, kind: role.kind, ...(group ? { group } : {}), slot: slots++, label: columnLabel(role) };
    });
    plans.set(roles, (plan = { columns, session: columns.filter(column => column.type === 'session'), slots }));
    return plan;
}

/** assembleSession written plainly: the reference its faster form is tested against. */
export function assembleSessionPlainly(rows: Row[], roles: ColumnRole[]): { raw: Record<string, unknown>; problems: string[] } {
    const problems: string[] = [];
    const session = new Map<string, { value: string; row: number }>();
    const notes = new Map<string, string>();
    const extra = new Map<string, string>();
    const lines: Record<string, unknown>[] = [];
    for (const row of rows) {
        const line = new Map<string, unknown>();
        const lineExtra = new Map<string, string>();
        row.cells!.forEach((cell, column) => {
            const role = roles[column]!;
            if (cell === '' || role.scope === 'unnamed') return;
            if (role.scope === 'line') line.set(role.field, cellValue(cell, role.kind));
            else if (role.scope === 'extra') {
                lineExtra.set(role.name, cell);
                if (!extra.has(role.name)) extra.set(role.name, cell);
            } else {
                const key = role.scope === 'note' ? `note.${role.element}` : role.field;
                const earlier = session.get(key);
                if (earlier && earlier.value !== cell) {
                    problems.push(disagreement(row.row, columnLabel(role), role.scope === 'note', cell, earlier));
                } else if (!earlier) {
                    session.set(key, { value: cell, row: row.row });
                    if (role.scope === 'note') notes.set(role.element, cell);
                }
            }
        });
        if (lineExtra.size > 0) line.set('extra', Object.fromEntries(lineExtra));
        lines.push(Object.fromEntries(line));
    }
    return { raw: sessionRecord(session, roles, notes, extra, lines), problems };
}

/**
 * Two rows of one session with different values in a session column. Short values (a date, a
 * payer id) are shown; a note, or any longer text, is not: only the column and the rows.
 */
function disagreement(row: number, label: string, note: boolean, value: string, earlier: { value: string; row: number }): string {
    if (!note && isQuotable(value) && isQuotable(earlier.value)) {
        return `row ${row}: ${label} ${JSON.stringify(value)} differs from row ${earlier.row} (${JSON.stringify(earlier.value)})`;
    }
    return `row ${row}: ${label} differs from row ${earlier.row}`;
}

function columnLabel(role: ColumnRole): string {
    if (role.scope === 'note') return `note_${role.element}`;
    return role.scope === 'session' ? columnName(role.field) : '';
}

function sessionRecord(
    values: Map<string, { value: string }>, roles: ColumnRole[], notes: Map<string, string>, extra: Map<string, string>, lines: Record<string, unknown>[]
): Record<string, unknown> {
    const raw = new Map<string, unknown>();
    const provider = new Map<string, unknown>();
    const authorization = new Map<string, unknown>();
    for (const role of roles) {
        if (role.scope !== 'session') continue;
        const cell = values.get(role.field);
        if (cell === undefined) continue;
        const value = cellValue(cell.value, role.kind);
        const [head, tail] = role.field.split('.');
        if (head === 'provider') provider.set(tail!, value);
        else if (head === 'authorization') authorization.set(tail!, value);
        else raw.set(role.field, value);
    }
    if (provider.size > 0) raw.set('provider', Object.fromEntries(provider));
    if (authorization.size > 0) raw.set('authorization', Object.fromEntries(authorization));
    raw.set('note', Object.fromEntries(notes));
    if (extra.size > 0) raw.set('extra', Object.fromEntries(extra));
    raw.set('lines', lines);
    return Object.fromEntries(raw);
}
