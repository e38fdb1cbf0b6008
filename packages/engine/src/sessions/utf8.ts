/**
 * Session files must be UTF-8. Bytes of another encoding (a Latin-1 or Windows-1252 export) would
 * be read as U+FFFD, so `S-é` and `S-è`, or two patients' names, would become the same text and
 * their records would be merged: such a file is refused, naming the first line that is not UTF-8.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type Readable } from 'node:stream';
import { NEWLINE, RETURN } from '../util/char-codes.js';
import { InputError } from './errors.js';

/** Throws unless `bytes` are UTF-8; `firstLine` is the file's line number of their first line. */
export function requireUtf8(bytes: Uint8Array, name: string, firstLine = 1): void {
    if (!isUtf8(bytes)) throw notUtf8(name, firstLine + firstBadLine(bytes));
}

/**
 * A stream of bytes as the text it holds, refused where it is not UTF-8: the check is the decoding
 * (a character may be split between chunks), so the text is not decoded a second time. A byte
 * order mark is kept, as the readers expect to find it.
 */
export function checkedUtf8(input: Readable, name: string): Readable {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let line = 1;
    let afterReturn = false;
    const checked = new Transform({
        readableObjectMode: true,
        transform(chunk: Buffer, _encoding, done) {
            let text: string;
            try {
                text = decoder.decode(chunk, { stream: true });
            } catch {
                done(notUtf8(name, line + firstBadLine(chunk, afterReturn)));
                return;
            }
            line += countLineBreaks(chunk, afterReturn);
            if (chunk.length > 0) afterReturn = chunk[chunk.length - 1] === RETURN;
            done(null, text);
        },
        flush(done) {
            try {
                done(null, decoder.decode());
            } catch {
                done(notUtf8(name, line));
            }
        }
    });
    input.on('error', error => checked.destroy(error));
    return input.pipe(checked);
}

function notUtf8(name: string, line: number): InputError {
    const excel = name.toLowerCase().endsWith('.csv') ? ' (in Excel: "CSV UTF-8")' : '';
    return new InputError(`${name} is not UTF-8 text: line ${line} has characters in another encoding (an export in Latin-1 or`
        + ` Windows-1252?). Save the file as UTF-8${excel} and check again`);
}

/** The index of the first line (from 0) that is not UTF-8 on its own; lines end as countLineBreaks counts them (`afterReturn` as there). */
function firstBadLine(bytes: Uint8Array, afterReturn = false): number {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let line = 0;
    // The \n of a \r\n split between two reads ends the line before these bytes.
    for (let start = afterReturn && buffer[0] === NEWLINE ? 1 : 0; ; line++) {
        const end = lineBreak(buffer, start);
        if (!isUtf8(buffer.subarray(start, end < 0 ? buffer.length : end)) || end < 0) return line;
        start = end + (buffer[end] === RETURN && buffer[end + 1] === NEWLINE ? 2 : 1);
    }
}

/** Where the next line break at or after `start` is (\n, or \r alone or before \n), or -1. */
function lineBreak(buffer: Buffer, start: number): number {
    const newline = buffer.indexOf(NEWLINE, start);
    const ret = buffer.indexOf(RETURN, start);
    return ret >= 0 && (newline < 0 || ret < newline) ? ret : newline;
}

/**
 * Line breaks as the readers count them: \n, \r\n, and a lone \r (an old Mac "CSV (Macintosh)"
 * export, the very kind that is often not UTF-8). `afterReturn`: the bytes before these ended in
 * \r, so a \n first is the end of that break.
 */
export function countLineBreaks(bytes: Uint8Array, afterReturn = false): number {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let count = afterReturn && buffer[0] === NEWLINE ? -1 : 0;
    for (let at = buffer.indexOf(NEWLINE); at >= 0; at = buffer.indexOf(NEWLINE, at + 1)) count++;
    // Each \r not before a \n ends a line of its own.
    for (let at = buffer.indexOf(RETURN); at >= 0; at = buffer.indexOf(RETURN, at + 1)) if (buffer[at + 1] !== NEWLINE) count++;
    return count;
}
