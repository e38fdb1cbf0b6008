/**
 * One session's result as report text, written directly: exactly what JSON.stringify gives for
 * the SessionResult at its place in the report (four spaces in, two per level), without building
 * the per-code records JSON.stringify would read. Codes such as "97530" are array indices to
 * JavaScript, which puts them first, in numeric order, in any object: the text does the same.
 * stream-units.test.ts compares it with JSON.stringify on results of every shape.
 */
import type { Finding, SessionResult } from '../report/report.js';

/** A session's result (report.ts) with its per-code numbers as maps, as the evaluation makes them. */
export type SessionFields = Omit<SessionResult, 'units' | 'billed' | 'findings'> & {
    units: ReadonlyMap<string, number>;
    billed: ReadonlyMap<string, number>;
    findings: readonly Finding[];
};

const quote = JSON.stringify;

export function sessionText(session: SessionFields): string {
    let text = `    {\n      "id": ${quote(session.id)},\n      "patient": ${quote(session.patient)},\n      "date": ${quote(session.date)},\n      "payer": ${quote(session.payer)},\n`;
    if (session.policy !== undefined) text += `      "policy": ${quote(session.policy)},\n`;
    text += `      "status": ${quote(session.status)},\n      "units": ${record(session.units)},\n      "billed": ${record(session.billed)},\n      "findings": `;
    text += session.findings.length === 0 ? '[]' : findingsText(session.findings);
    return `${text}\n    }`;
}

/** The end of JSON.stringify({ a: { b: { c: findings } } }, null, 2): after `"c": `, the findings at the depth they have in the report. */
const NESTED_END = '\n    }\n  }\n}'.length;

/** The findings list as JSON.stringify writes it at its place in the report: indented by JSON.stringify itself, not re-indented afterwards. */
function findingsText(findings: readonly Finding[]): string {
    const text = JSON.stringify({ a: { b: { c: findings } } }, null, 2);
    return text.slice(text.indexOf('"c": ') + 5, text.length - NESTED_END);
}

/**
 * A map of code to number as the object JSON.stringify would print, at the session's property
 * level: array-index keys first in numeric order, then the others in insertion order. Written
 * without sorting arrays: a session has a handful of codes, and this runs for every session.
 */
function record(map: ReadonlyMap<string, number>): string {
    if (map.size === 0) return '{}';
    if (map.size > 8) return sortedRecord(map);
    let text = '{';
    let previous = -1;
    // The array-index keys in numeric order: each round writes the smallest one above the last.
    for (;;) {
        let next = Infinity;
        let nextKey: string | undefined;
        for (const key of map.keys()) {
            if (!isArrayIndex(key)) continue;
            const value = Number(key);
            if (value > previous && value < next) {
                next = value;
                nextKey = key;
            }
        }
        if (nextKey === undefined) break;
        text += (text.length > 1 ? ',' : '') + keyText(nextKey) + number(map.get(nextKey)!);
        previous = next;
    }
    for (const [key, value] of map) {
        if (!isArrayIndex(key)) text += (text.length > 1 ? ',' : '') + keyText(key) + number(value);
    }
    return `${text}\n      }`;
}

/** A code's line start in a per-code record, remembered: a run sees a few dozen codes, in every session. */
const keyTexts = new Map<string, string>();

function keyText(key: string): string {
    let text = keyTexts.get(key);
    if (text === undefined) {
        text = `\n        ${quote(key)}: `;
        // Codes only: a short key, and a bounded number of them.
        if (key.length <= 16 && keyTexts.size < 10_000) keyTexts.set(key, text);
    }
    return text;
}

/** The same for a session with many codes: sorted once. */
function sortedRecord(map: ReadonlyMap<string, number>): string {
    const indices: string[] = [];
    const names: string[] = [];
    for (const key of map.keys()) (isArrayIndex(key) ? indices : names).push(key);
    indices.sort((a, b) => Number(a) - Number(b));
    const parts = [...indices, ...names].map(key => `        ${quote(key)}: ${number(map.get(key)!)}`);
    return `{\n${parts.join(',\n')}\n      }`;
}

/** "0", "17", "97530": canonical decimal integers below 2^32 - 1, which JavaScript orders first. */
function isArrayIndex(key: string): boolean {
    const length = key.length;
    if (length === 0 || length > 10) return false;
    const first = key.charCodeAt(0);
    if (first === 48) return length === 1;
    for (let i = 0; i < length; i++) {
        const c = key.charCodeAt(i);
        if (c < 48 || c > 57) return false;
    }
    return Number(key) < 4294967295;
}

function number(value: number): string {
    return Number.isFinite(value) ? String(value) : 'null';
}
