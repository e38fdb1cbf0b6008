/** Generated sessions (bench/generate.mjs) written as the inputs the throughput tests read, and the example packs' policy. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, readSessions, type PolicyBundle, type PositionedSession, type Rejection, type ReportSink, type StreamInput } from '@payrule/engine';
import { loadPolicySources } from '@payrule/language/node';
import { CSV_COLUMNS, csvRows, generateSessions, prng } from '../../bench/generate.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Record_ = Record<string, unknown>;

export function sessions(count: number, seed = 42, duplicates = false): Record_[] {
    return [...generateSessions(count, seed, { duplicates })];
}

export function ndjson(records: readonly Record_[]): string {
    return records.map(record => `${JSON.stringify(record)}\n`).join('');
}

export function csv(records: readonly Record_[]): string {
    return `${CSV_COLUMNS.join(',')}\n${records.flatMap(record => csvRows(record)).join('')}`;
}

/** A copy in another order (seeded). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
    const copy = [...items];
    const rng = prng(seed);
    for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
}

/** A temporary folder for the inputs and reports of one test file. */
export function scratch(): { dir: string; file: (name: string, text: string) => string; remove: () => void } {
    const dir = mkdtempSync(join(tmpdir(), 'payrule-throughput-'));
    return {
        dir,
        file: (name, text) => {
            const path = join(dir, name);
            writeFileSync(path, text);
            return path;
        },
        remove: () => rmSync(dir, { recursive: true, force: true })
    };
}

let packs: Promise<PolicyBundle> | undefined;

/** The example packs, compiled once. */
export function examplePacks(): Promise<PolicyBundle> {
    packs ??= loadPolicySources([join(ROOT, 'examples/packs')], { cwd: ROOT }).then(loaded => {
        if (!loaded.bundle) throw new Error(`the example packs do not compile: ${JSON.stringify(loaded.diagnostics.slice(0, 3))}`);
        return loaded.bundle;
    });
    return packs;
}

/** Collects what a streamed report writes; it can start over (as a file can) unless told otherwise. */
export function collector(restartable = true): ReportSink & { text: () => string; restarts: number } {
    const decoder = new TextDecoder();
    let parts: string[] = [];
    const sink = {
        restarts: 0,
        write: (text: string | Uint8Array) => { parts.push(typeof text === 'string' ? text : decoder.decode(text)); },
        text: () => parts.join(''),
        ...(restartable ? { restart: () => { parts = []; sink.restarts++; } } : {})
    };
    return sink;
}

/** The report as the in-memory route writes it: every input read whole, then evaluate(). */
export async function inMemoryReport(bundle: PolicyBundle, inputs: readonly StreamInput[], asOf?: string): Promise<string> {
    const all: PositionedSession[] = [];
    const rejected: Rejection[] = [];
    for (const input of inputs) {
        const read = await readSessions(input.path, input.name !== undefined ? { file: input.name } : {});
        all.push(...read.sessions);
        rejected.push(...read.rejected);
    }
    return JSON.stringify(evaluate(bundle, all, rejected, asOf ? { asOf } : {}), null, 2);
}
