/**
 * `payrule check --jobs N` as users run it: the command line bundled from the sources (worker
 * threads start from the bundle, as they do from an installed payrule), run as a child process on
 * generated sessions. Threads change nothing in the report: --jobs 1 and --jobs 2 write the same
 * bytes, and shuffled or CSV input gives the same findings.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCliBundle } from '../../bench/build-cli.mjs';
import { WorkerThreads, type Report } from '@payrule/engine';
import { payrule } from '../cli/run-payrule.js';
import { csv, ndjson, ROOT, scratch, sessions, shuffled } from './sessions.js';

const OUT = join(ROOT, 'test/throughput/out');
const CLI = join(OUT, 'cli/payrule.mjs');
const files = scratch();
let policy: string;

beforeAll(async () => {
    await buildCliBundle(OUT);
    // The packs compiled once: each run below then starts in a fraction of a second.
    policy = join(files.dir, 'packs.json');
    execFileSync(process.execPath, [CLI, 'compile', 'examples/packs', '-o', policy], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);
afterAll(() => files.remove());

function check(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [CLI, 'check', '--policy', policy, '--format', 'json', ...args], {
        cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env }
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function reportAt(path: string): Report {
    return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

describe('payrule check --jobs', () => {
    // Enough sessions for hundreds of chunks across the threads, with duplicates and bad records.
    const year = sessions(12_000, 21, true);

    // The same sessions without the ids exported twice (each such id is two patients'): the first of each.
    const ids = new Set<unknown>();
    const unique = year.filter(record => !ids.has(record['id']) && ids.add(record['id']) !== undefined);

    it('writes the same bytes with one thread and with two, to a file and to standard output', () => {
        const runs = (input: string, name: string) => {
            const one = join(files.dir, `${name}-one.json`);
            const two = join(files.dir, `${name}-two.json`);
            const first = check(['--jobs', '1', '-o', one, input]);
            expect(first.stderr).toBe('');
            expect(first.code).toBe(1);
            // PAYRULE_DEBUG says how the run went: the threads did the work.
            const second = check(['--jobs', '2', '-o', two, input], { PAYRULE_DEBUG: '1' });
            expect(second.code).toBe(1);
            const bytes = readFileSync(one, 'utf8');
            expect(readFileSync(two, 'utf8')).toBe(bytes);
            const piped = check(['--jobs', '2', input], { PAYRULE_DEBUG: '1' });
            expect(piped.code).toBe(1);
            expect(piped.stderr).toMatch(/two-pass, 2 threads/);
            expect(piped.stdout).toBe(bytes);
            return { bytes, filed: second.stderr };
        };
        // Each thread its patients' sessions, in one pass.
        expect(runs(files.file('unique.ndjson', ndjson(unique)), 'unique').filed).toMatch(/one-pass, 2 threads/);
        // An id of two patients (two threads) is seen in two passes, where one admission sees every thread's sessions.
        const { bytes, filed } = runs(files.file('year.ndjson', ndjson(year)), 'year');
        expect(filed).toMatch(/two-pass, 2 threads/);
        const report = JSON.parse(bytes) as Report;
        expect(report.summary.evaluated).toBeGreaterThan(11_000);
        expect(report.rejected.some(rejection => rejection.error.startsWith('duplicate session id'))).toBe(true);
    });

    it('gives the same findings for shuffled input and for the CSV of the same sessions', () => {
        const ordered = files.file('ordered.ndjson', ndjson(unique));
        const mixed = files.file('mixed.ndjson', ndjson(shuffled(unique, 3)));
        const asCsv = files.file('unique.csv', csv(unique));
        const outputs = ['ordered', 'mixed', 'csv'].map(name => join(files.dir, `${name}.json`));
        [ordered, mixed, asCsv].forEach((input, index) => expect(check(['--jobs', '2', '-o', outputs[index]!, input]).code).toBe(1));
        const [base, fromMixed, fromCsv] = outputs.map(reportAt);
        const byId = (report: Report) => new Map(report.sessions.map(session => [session.id, session]));
        const expected = byId(base!);
        expect(fromMixed!.summary).toEqual(base!.summary);
        for (const session of fromMixed!.sessions) expect(session).toEqual(expected.get(session.id));
        expect(fromCsv!.sessions).toEqual(base!.sessions);
        expect(fromCsv!.summary).toEqual(base!.summary);
    });

    it('refuses a --jobs that is not a whole number from 1', () => {
        const run = check(['--jobs', '0', files.file('few.ndjson', ndjson(year.slice(0, 5)))]);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/--jobs/);
    });
});

describe('payrule check --jobs: the threads it starts before the policy compiles', () => {
    // In this process, not a child: the command line exits as soon as its output is out, which
    // would end any thread left running and hide the leak. Every way out stops them.
    const year = sessions(400, 2, false);
    const stopped = async (args: string[]) => {
        const close = vi.spyOn(WorkerThreads.prototype, 'close');
        try {
            const run = await payrule(['check', '--format', 'json', '--jobs', '2', '-o', join(files.dir, 'none.json'), ...args]);
            // Started ahead (there was an input of known size), and closed: their threads have ended.
            expect(close).toHaveBeenCalled();
            for (const threads of close.mock.contexts as WorkerThreads[]) for (const { worker } of threads.workers) expect(worker.threadId).toBe(-1);
            return run;
        } finally {
            close.mockRestore();
        }
    };

    it('stops them when the policy does not load or is not found', async () => {
        const input = files.file('some.ndjson', ndjson(year));
        const broken = await stopped(['--policy', files.file('broken.payrule', 'package broken\n\npayer "x" {\n'), input]);
        expect(broken.code).toBe(2);
        expect(broken.stderr).toMatch(/broken\.payrule:\d+:\d+/);
        const missing = await stopped(['--policy', join(files.dir, 'no-such-pack'), input]);
        expect(missing.code).toBe(2);
    });

    it('stops them when the input is read the in-memory way (a CSV header the fast reader does not take)', async () => {
        const quotedHeader = files.file('quoted-header.csv', csv(year).replace(/^session_id,/, '"session_id",'));
        const run = await stopped(['--policy', 'examples/packs', quotedHeader]);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe('');
    });
});
