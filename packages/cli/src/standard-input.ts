/**
 * Standard input, which the sessions file `-` reads as NDJSON, looked at before anything reads it:
 * a CSV export piped there would otherwise give one "broken JSON" rejection per row and no hint.
 */
import { Readable } from 'node:stream';
import { columnRole, csvHeaderCells } from '@payrule/engine';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

/** How much of standard input is looked at for its first line. */
const PEEK_CHARS = 64 * 1024;

/** The run's io, its standard input checked first when one of `files` is `-` (the bytes looked at are read again). */
export async function withCheckedStandardInput(files: readonly string[], io: CliIo): Promise<CliIo> {
    if (!files.includes('-')) return io;
    const input = io.stdin[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let text = '';
    let line: string | undefined;
    while (line === undefined) {
        const next = await input.next() as IteratorResult<string | Buffer>;
        if (!next.done) {
            head.push(Buffer.from(next.value));
            text += String(next.value);
        }
        line = firstLine(text, next.done === true || text.length >= PEEK_CHARS);
    }
    if (looksLikeCsvHeader(line)) {
        throw new CliError('standard input is read as NDJSON (one JSON session per line); this looks like CSV: give the CSV file\'s path instead.');
    }
    return { ...io, stdin: Readable.from(replay(head, input), { objectMode: false }) };
}

/** The first line that is not blank, once it is complete (or all there is). */
function firstLine(text: string, all: boolean): string | undefined {
    const rest = text.trimStart();
    const end = rest.indexOf('\n');
    return end >= 0 ? rest.slice(0, end) : all ? rest : undefined;
}

/** A header row as the CSV reader takes one (DATA.md §3): not JSON, and its cells, read as the reader reads them, name a session_id column. */
function looksLikeCsvHeader(line: string): boolean {
    try {
        JSON.parse(line);
        return false;
    } catch {
        return (csvHeaderCells(line) ?? []).map(columnRole).some(role => role.scope === 'session' && role.field === 'id');
    }
}

async function* replay(head: Buffer[], rest: AsyncIterator<string | Buffer>): AsyncGenerator<string | Buffer> {
    yield* head;
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}
