/**
 * Inputs cut into chunks for the streaming evaluation. NDJSON is cut at line ends (read as bytes,
 * never decoded here); CSV at row ends where the session id changes, so a session's rows stay in
 * one chunk; a JSON array is read whole and cut into runs of elements. The cut depends only on
 * the input and the chunk size, so a second pass over an input sees the same chunks.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { columnRole } from '../sessions/csv-columns.js';
import { checkHeader } from '../sessions/csv-text.js';
import { InputError } from '../sessions/errors.js';
import { parseSessionArray } from '../sessions/json-text.js';
import { checkReadable, readText, reasonOf, sessionFormat, type SessionFormat } from '../sessions/read.js';
import type { Chunk, CsvLayout } from './chunk-records.js';
import { countLineBreaks, requireUtf8 } from '../sessions/utf8.js';
import { byteRecordEnds, readRecord } from './csv-rows.js';
import { NEWLINE, RETURN } from '../util/char-codes.js';

export interface StreamInput {
    path: string;
    /** Written into the positions of rejected records (`file`): the input as the user named it, when several are read. */
    name?: string;
}

export interface PreparedInput extends StreamInput {
    format: SessionFormat;
    /** Bytes to read, for progress. */
    size: number;
    csv?: CsvLayout & { dataStart: number };
    /** A JSON array's elements. */
    values?: unknown[];
    /** Set when the fast reader cannot take this input: the run reads it with the reference readers instead. */
    irregular?: string;
}

/** Checks an input as the readers would (same errors, in the same order) and reads what the chunks need up front. */
export async function prepareInput(input: StreamInput): Promise<PreparedInput> {
    const { path } = input;
    const format = sessionFormat(path);
    if (!format) throw new InputError(`cannot tell the format of ${path}: use a .json, .ndjson, .jsonl or .csv file (or - for NDJSON on standard input)`);
    await checkReadable(path);
    const size = (await stat(path)).size;
    const name = input.name ?? path;
    if (format === 'json') {
        // The reader's checks and messages for the array as a whole (json-text.ts).
        const values = parseSessionArray(await readText(path), name);
        return { ...input, format, size, values };
    }
    if (format === 'csv') return { ...input, format, size, ...(await csvHeader(path, name)) };
    return { ...input, format, size };
}

/** The header row, read and checked as csv-text.ts does; anything unusual leaves the input to it. */
async function csvHeader(path: string, name: string): Promise<Pick<PreparedInput, 'csv' | 'irregular'>> {
    const handle = await open(path, 'r');
    try {
        const buffer = Buffer.alloc(1 << 16);
        let text = '';
        // The BOM is kept in the text (a default decoder drops it): the data's byte offset counts its 3 bytes.
        const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
        // The bytes read, to check the header line is UTF-8 (the data is checked as it is cut).
        const read: Buffer[] = [];
        for (;;) {
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
            read.push(Buffer.from(buffer.subarray(0, bytesRead)));
            text += decoder.decode(buffer.subarray(0, bytesRead), { stream: bytesRead > 0 });
            const newline = text.indexOf('\n');
            if (newline >= 0 || bytesRead === 0) break;
            if (text.length > 1 << 22) return { irregular: 'header row too long' };
        }
        const bytes = Buffer.concat(read);
        const lineEnd = bytes.indexOf(10);
        requireUtf8(bytes.subarray(0, lineEnd < 0 ? bytes.length : lineEnd), name, 1);
        const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
        if (text.length === bom) return { irregular: 'no header row' };
        const newline = text.indexOf('\n');
        const crlf = newline > 0 && text.charCodeAt(newline - 1) === 13;
        const record = readRecord(text, bom, crlf);
        if (!record || record.cells.every(cell => cell === '') || text.slice(bom, record.end).includes('"')) return { irregular: 'irregular header' };
        checkHeader(record.cells, record.cells.map(columnRole), name);
        // Offsets in the file are bytes; the header is read back as bytes to find where data starts.
        const dataStart = Buffer.byteLength(text.slice(0, record.end), 'utf8');
        return { csv: { header: record.cells, crlf, dataStart } };
    } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(`cannot read ${path}: ${reasonOf(error)}`);
    } finally {
        await handle.close();
    }
}

export interface SizedChunk extends Chunk {
    /** Input bytes the chunk covers, for progress. */
    bytes: number;
    /** Records (lines, rows or elements) the chunk covers. */
    records: number;
}

/** The chunks of one input, ids from `firstId`. */
export async function* chunksOf(input: PreparedInput, chunkBytes: number, firstId: number): AsyncGenerator<SizedChunk> {
    if (input.format === 'json') {
        const values = input.values ?? [];
        const per = Math.max(1, Math.floor(chunkBytes / 1024));
        const bytesPer = values.length > 0 ? input.size / values.length : 0;
        for (let start = 0, id = firstId; start < values.length; start += per, id++) {
            const slice = values.slice(start, start + per);
            yield { id, format: 'json', values: slice, first: start + 1, bytes: Math.round(bytesPer * slice.length), records: slice.length };
        }
        return;
    }
    if (input.format === 'csv') {
        yield* csvChunks(input, chunkBytes, firstId);
        return;
    }
    yield* ndjsonChunks(input, chunkBytes, firstId);
}

async function* ndjsonChunks(input: PreparedInput, chunkBytes: number, firstId: number): AsyncGenerator<SizedChunk> {
    const handle = await openInput(input.path);
    try {
        let carry: Buffer | undefined;
        let line = 1;
        let id = firstId;
        for (;;) {
            const carried = carry?.length ?? 0;
            const buffer = Buffer.allocUnsafeSlow(Math.max(chunkBytes, carried * 2));
            if (carry) carry.copy(buffer, 0);
            const { bytesRead } = await readInto(handle, input.path, buffer, carried);
            const filled = carried + bytesRead;
            if (filled === 0) return;
            const end = bytesRead === 0 ? filled : buffer.lastIndexOf(10, filled - 1) + 1;
            if (end === 0) {
                // No line end yet: a line longer than a chunk; read on.
                carry = buffer.subarray(0, filled);
                continue;
            }
            carry = end < filled ? Buffer.from(buffer.subarray(end, filled)) : undefined;
            const text = new Uint8Array(buffer.buffer, buffer.byteOffset, end);
            requireUtf8(text, input.name ?? input.path, line);
            const lines = countLines(text, bytesRead === 0);
            yield { id: id++, format: 'ndjson', text, first: line, bytes: end, records: lines };
            line += lines;
            if (bytesRead === 0 && !carry) return;
        }
    } finally {
        await handle.close();
    }
}

/** Lines as readline counts them: a line break is \n, \r\n or a lone \r; a last line without a break counts too. */
function countLines(text: Uint8Array, last: boolean): number {
    // The last piece of the input may end without a line break: it is a line too.
    const end = text[text.length - 1];
    return countLineBreaks(text) + (last && end !== undefined && end !== NEWLINE && end !== RETURN ? 1 : 0);
}

/**
 * CSV cut into chunks as bytes (quotes and line ends are ASCII, so rows can be found without
 * decoding): at a row end past the chunk size where the session id changes, so a session's rows
 * (when together, as exports write them) stay in one chunk.
 */
async function* csvChunks(input: PreparedInput, chunkBytes: number, firstId: number): AsyncGenerator<SizedChunk> {
    const csv = input.csv!;
    const layout = { header: csv.header, crlf: csv.crlf };
    const idColumn = csv.header.map(columnRole).findIndex(role => role.scope === 'session' && role.field === 'id');
    const file = await openInput(input.path);
    try {
        let pending: Buffer = Buffer.alloc(0);
        let position = csv.dataStart;
        let done = false;
        let row = 2;
        // The file's line where the next piece starts (a regular header is one line).
        let line = 2;
        let id = firstId;
        const readMore = async () => {
            const block = Buffer.allocUnsafeSlow(chunkBytes);
            const { bytesRead } = await readInto(file, input.path, block, 0, position);
            position += bytesRead;
            if (bytesRead === 0) done = true;
            else pending = pending.length === 0 ? block.subarray(0, bytesRead) : Buffer.concat([pending, block.subarray(0, bytesRead)]);
        };
        while (!done || pending.length > 0) {
            while (!done && pending.length < chunkBytes) await readMore();
            // Row ends of what is read, once: they place the cut and count the chunk's records.
            const { ends } = byteRecordEnds(pending);
            let cut = done ? pending.length : cutAt(pending, ends, chunkBytes, idColumn, csv.crlf);
            if (cut === undefined) {
                // No session boundary in what was read: read more, or, when a session is that long, cut
                // after its last whole row (its rows then in two chunks: the input is read whole).
                if (!done && pending.length < chunkBytes * 8) {
                    await readMore();
                    continue;
                }
                cut = ends.length > 0 ? ends[ends.length - 1]! : pending.length;
            }
            if (cut === 0) break;
            const piece = new Uint8Array(cut);
            piece.set(pending.subarray(0, cut));
            pending = pending.subarray(cut);
            // The piece starts where `pending` did, so its row ends are those of `pending` up to the cut.
            let within = 0;
            while (within < ends.length && ends[within]! <= cut) within++;
            const records = within + (within === 0 || ends[within - 1]! < cut ? 1 : 0);
            requireUtf8(piece, input.name ?? input.path, line);
            line += countLineBreaks(piece);
            yield { id: id++, format: 'csv', text: piece, first: row, csv: layout, bytes: cut, records };
            row += records;
        }
    } finally {
        await file.close();
    }
}

/**
 * A row end (of `ends`, the bytes' row ends) at or after `target` before a row with another
 * session id, or undefined when none is in the bytes read so far. Blank rows and rows without an
 * id are no boundary: a session's rows around one stay together.
 */
function cutAt(bytes: Buffer, ends: readonly number[], target: number, idColumn: number, crlf: boolean): number | undefined {
    let k = ends.findIndex(end => end >= target);
    if (k < 0) return undefined;
    const idOfRow = (row: number): string | undefined => {
        const record = readRecord(bytes.toString('utf8', row > 0 ? ends[row - 1]! : 0, ends[row]!), 0, crlf);
        return record ? record.cells[idColumn] ?? '' : undefined;
    };
    // The session the cut would end: that of the last row with an id, up to the target.
    let before: string | undefined = '';
    for (let row = k; row >= 0 && before === ''; row--) before = idOfRow(row);
    for (; k < ends.length - 1; k++) {
        const next = idOfRow(k + 1);
        if (next === undefined) return undefined;
        if (next !== '' && next !== before) return ends[k];
    }
    return undefined;
}

/** An input read with plain blocking reads: a chunk at a time, from the page cache they cost less than a promise each. */
interface InputFile {
    fd: number;
    position: number;
    close(): Promise<void>;
}

async function openInput(path: string): Promise<InputFile> {
    try {
        const fd = openSync(path, 'r');
        return { fd, position: 0, close: async () => closeSync(fd) };
    } catch (error) {
        throw new InputError(`cannot read ${path}: ${reasonOf(error)}`);
    }
}

async function readInto(file: InputFile, path: string, buffer: Buffer, offset: number, position: number | null = null): Promise<{ bytesRead: number }> {
    try {
        const at = position ?? file.position;
        const bytesRead = readSync(file.fd, buffer, offset, buffer.length - offset, at);
        file.position = at + bytesRead;
        return { bytesRead };
    } catch (error) {
        throw new InputError(`cannot read ${path}: ${reasonOf(error)}`);
    }
}
