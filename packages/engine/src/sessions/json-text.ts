/** JSON (one array of sessions) and NDJSON (one session per line) text to records, without the filesystem. */
import { jsonSyntaxReason } from '../util/json-syntax.js';
import { InputError } from './errors.js';
import { gather, SessionCollector, type ReadItem, type SessionsRead } from './collect.js';

export function stripBom(text: string): string {
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A `.json` input: the whole text is one array, so a syntax error is a problem of the input, not of a record. */
export function* jsonTextItems(text: string, file?: string, collector = new SessionCollector(file)): Generator<ReadItem> {
    const parsed = parseSessionArray(text, file ?? 'the input');
    for (let index = 0; index < parsed.length; index++) yield collector.accept(parsed[index], index + 1);
}

/** The array of a `.json` input (`name` as messages call it); an InputError, quoting none of the text, when it is not one. */
export function parseSessionArray(text: string, name: string): unknown[] {
    const body = stripBom(text);
    let parsed: unknown;
    try {
        parsed = JSON.parse(body);
    } catch (error) {
        throw new InputError(`${name} is not valid JSON: ${jsonSyntaxReason(error, body)}`);
    }
    if (!Array.isArray(parsed)) throw new InputError(`${name} must hold a JSON array of sessions`);
    return parsed;
}

/** The reason an NDJSON line that JSON.parse refused is rejected: where it breaks, never its text. */
export function brokenJsonReason(error: unknown, line: string): string {
    return `broken JSON: ${jsonSyntaxReason(error, line)}`;
}

/** One NDJSON line (already split, 1-based `lineNumber`); blank lines give nothing. */
export function ndjsonLineItem(line: string, lineNumber: number, collector: SessionCollector): ReadItem | undefined {
    const text = (lineNumber === 1 ? stripBom(line) : line).trim();
    if (text === '') return undefined;
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        return collector.reject(lineNumber, brokenJsonReason(error, text));
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
