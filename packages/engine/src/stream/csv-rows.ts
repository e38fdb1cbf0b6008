/**
 * CSV records read fast, for the well-formed files exports write: fields plain or fully quoted
 * (`""` inside quotes), no spaces around fields, one kind of line ending. For such text the cells
 * are exactly what csv-parse gives with the reader's options (sessions/csv-text.ts); anything else
 * (a stray quote, padding, a lone carriage return) is reported as irregular and the whole input
 * is read by csv-parse instead.
 */
import { COMMA, NEWLINE, QUOTE, RETURN, SPACE, TAB } from '../util/char-codes.js';

export interface CsvRecord {
    cells: string[];
    /** Where the next record starts. */
    end: number;
}

/** The record starting at `pos` (not at the end of the text), or undefined when it is irregular. `crlf`: lines end with \r\n. */
export function readRecord(text: string, pos: number, crlf: boolean): CsvRecord | undefined {
    const cells: string[] = [];
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = text.length;
    for (;;) {
        if (text.charCodeAt(pos) === QUOTE) {
            let value = '';
            let start = pos + 1;
            for (;;) {
                const quote = text.indexOf('"', start);
                if (quote < 0) return undefined;
                if (text.charCodeAt(quote + 1) === QUOTE) {
                    value += text.slice(start, quote + 1);
                    start = quote + 2;
                    continue;
                }
                value += text.slice(start, quote);
                pos = quote + 1;
                break;
            }
            cells.push(value);
            if (pos > lineEnd) {
                lineEnd = text.indexOf('\n', pos);
                if (lineEnd < 0) lineEnd = text.length;
            }
            const next = text.charCodeAt(pos);
            if (next === COMMA) {
                pos++;
                continue;
            }
            if (pos === text.length) return { cells, end: pos };
            if (crlf ? next === RETURN && pos + 1 === lineEnd : next === NEWLINE) return { cells, end: lineEnd + 1 };
            return undefined;
        }
        let comma = text.indexOf(',', pos);
        if (comma > lineEnd) comma = -1;
        let end = comma >= 0 ? comma : lineEnd;
        if (comma < 0 && crlf && lineEnd < text.length) {
            if (text.charCodeAt(lineEnd - 1) !== RETURN || lineEnd - 1 < pos) return undefined;
            end = lineEnd - 1;
        }
        const cell = text.slice(pos, end);
        if (!plainCell(cell)) return undefined;
        cells.push(cell);
        if (comma >= 0) {
            pos = comma + 1;
            continue;
        }
        return { cells, end: Math.min(lineEnd + 1, text.length) };
    }
}

/** No quote, no carriage return, no space or tab at either end (csv-parse would trim them). */
function plainCell(cell: string): boolean {
    if (cell.length === 0) return true;
    const first = cell.charCodeAt(0);
    const last = cell.charCodeAt(cell.length - 1);
    if (first === SPACE || first === TAB || last === SPACE || last === TAB) return false;
    return cell.indexOf('"') < 0 && cell.indexOf('\r') < 0;
}

/** Every record of `text` (which ends at a record boundary), or undefined when one is irregular. */
export function readRecords(text: string, crlf: boolean): string[][] | undefined {
    const rows: string[][] = [];
    let pos = 0;
    while (pos < text.length) {
        const record = readRecord(text, pos, crlf);
        if (!record) return undefined;
        rows.push(record.cells);
        pos = record.end;
    }
    return rows;
}

/**
 * Record boundaries of a block of bytes that starts at one (quotes and line ends are ASCII, so
 * rows are found without decoding): the offset after each line end outside quotes, as long as
 * quotes pair up, and where each record's first quote is (-1 for none). Used to cut the input
 * into chunks and number its rows.
 */
export function byteRecordEnds(bytes: Uint8Array): { ends: number[]; quotes: number[] } {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ends: number[] = [];
    const quotes: number[] = [];
    // The next quote at or after where the search is (a block without quotes is searched once).
    let quote = -1;
    let firstQuote = -1;
    for (let pos = 0; ;) {
        const newline = buffer.indexOf(NEWLINE, pos);
        if (newline < 0) return { ends, quotes };
        if (quote < pos) {
            quote = buffer.indexOf(QUOTE, pos);
            if (quote < 0) quote = buffer.length;
        }
        if (quote > newline) {
            ends.push(newline + 1);
            quotes.push(firstQuote);
            firstQuote = -1;
            pos = newline + 1;
            continue;
        }
        if (firstQuote < 0) firstQuote = quote;
        // Skip the quoted field: its closing quote (an escaped "" reads as a close and an open).
        const close = buffer.indexOf(QUOTE, quote + 1);
        if (close < 0) return { ends, quotes };
        pos = close + 1;
    }
}

