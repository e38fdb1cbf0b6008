/** JSON (one array of sessions) and NDJSON (one session per line) text to records, without the filesystem. */
import { InputError } from './errors.js';
import { gather, SessionCollector, type ReadItem, type SessionsRead } from './collect.js';

export function stripBom(text: string): string {
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A `.json` input: the whole text is one array, so a syntax error is a problem of the input, not of a record. */
export function* jsonTextItems(text: string, file?: string, collector = new SessionCollector(file)): Generator<ReadItem> {
    const name = file ?? 'the input';
    let parsed: unknown;
    try {
        parsed = JSON.parse(stripBom(text));
    } catch (error) {
        throw new InputError(`${name} is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new InputError(`${name} must hold a JSON array of sessions`);
    for (let index = 0; index < parsed.length; index++) yield collector.accept(parsed[index], index + 1);
}

/** One NDJSON line (already split, 1-based `lineNumber`); blank lines give nothing. */
export function ndjsonLineItem(line: string, lineNumber: number, collector: SessionCollector): ReadItem | undefined {
    const text = (lineNumber === 1 ? stripBom(line) : line).trim();
    if (text === '') return undefined;
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        return collector.reject(lineNumber, `broken JSON: ${(error as Error).message}`);
    }
    return collector.accept(raw, lineNumber);
}

export function* ndjsonTextItems(text: string, file?: string, collector = new SessionCollector(file)): Generator<ReadItem> {
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) {
        const item = ndjsonLineItem(lines[index]!, index + 1, collector);
        if (item) yield item;
    }
}

export function parseJsonText(text: string, file?: string): SessionsRead {
    return gather(jsonTextItems(text, file));
}

export function parseNdjsonText(text: string, file?: string): SessionsRead {
    return gather(ndjsonTextItems(text, file));
}
