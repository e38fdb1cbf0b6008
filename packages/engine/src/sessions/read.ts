/** Session inputs from files or standard input, by extension; `-` is NDJSON on standard input. */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { gather, SessionCollector, type ReadItem, type SessionsRead } from './collect.js';
import { csvTextItems } from './csv-text.js';
import { InputError } from './errors.js';
import { jsonTextItems, ndjsonLineItem } from './json-text.js';
import { checkedUtf8, requireUtf8 } from './utf8.js';

export type SessionFormat = 'json' | 'ndjson' | 'csv';

export interface ReadOptions {
    /** Name written into every position (`file` of sessions and rejections); none by default. */
    file?: string;
    /** Overrides the format the extension implies. */
    format?: SessionFormat;
    /** What `-` reads; process.stdin by default. */
    stdin?: Readable;
}

/** The format a path's extension names, or undefined. */
export function sessionFormat(path: string): SessionFormat | undefined {
    if (path === '-') return 'ndjson';
    const lower = path.toLowerCase();
    if (lower.endsWith('.json')) return 'json';
    if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
    if (lower.endsWith('.csv')) return 'csv';
    return undefined;
}

/** Reads every record of one input: each ends up a positioned session or a rejection. */
export async function readSessions(path: string, options: ReadOptions = {}): Promise<SessionsRead> {
    const items: ReadItem[] = [];
    for await (const item of streamSessions(path, options)) items.push(item);
    return gather(items);
}

/** The same, one record at a time: NDJSON is streamed line by line; JSON and CSV are read whole (CSV groups rows from anywhere in the file). */
export async function* streamSessions(path: string, options: ReadOptions = {}): AsyncGenerator<ReadItem> {
    const format = options.format ?? sessionFormat(path);
    if (!format) throw new InputError(`cannot tell the format of ${path}: use a .json, .ndjson, .jsonl or .csv file (or - for NDJSON on standard input)`);
    const collector = new SessionCollector(options.file);
    if (path === '-') {
        yield* ndjsonStream(checkedUtf8(options.stdin ?? process.stdin, 'standard input'), collector);
        return;
    }
    await checkReadable(path);
    if (format === 'ndjson') {
        yield* ndjsonStream(checkedUtf8(createReadStream(path), path), collector, path);
        return;
    }
    const text = await readText(path);
    const name = options.file ?? path;
    yield* format === 'json' ? jsonTextItems(text, name, collector) : csvTextItems(text, name, collector);
}

async function* ndjsonStream(input: Readable, collector: SessionCollector, path = 'standard input'): AsyncGenerator<ReadItem> {
    const lines = createInterface({ input, crlfDelay: Infinity });
    let lineNumber = 0;
    try {
        for await (const line of lines) {
            lineNumber++;
            const item = ndjsonLineItem(line, lineNumber, collector);
            if (item) yield item;
        }
    } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
    } finally {
        lines.close();
    }
}

export async function checkReadable(path: string): Promise<void> {
    let info;
    try {
        info = await stat(path);
    } catch (error) {
        throw new InputError(`cannot read ${path}: ${reasonOf(error)}`);
    }
    if (info.isDirectory()) throw new InputError(`cannot read ${path}: it is a folder, not a sessions file`);
}

export async function readText(path: string): Promise<string> {
    let bytes: Buffer;
    try {
        bytes = await readFile(path);
    } catch (error) {
        throw new InputError(`cannot read ${path}: ${reasonOf(error)}`);
    }
    requireUtf8(bytes, path);
    return bytes.toString('utf8');
}

export function reasonOf(error: unknown): string {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'it is a folder, not a sessions file';
    return (error as Error).message;
}
