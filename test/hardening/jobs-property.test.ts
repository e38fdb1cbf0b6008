/**
 * Findings do not depend on --jobs: random sessions (fast-check, fixed seed), enough of them to
 * span several chunks, checked by the bundled command line with one and with three worker
 * threads, give byte-identical JSON reports. (The command line is bundled because worker threads
 * start from a script file, as they do from an installed payrule.)
 */
import fc from 'fast-check';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildCliBundle } from '../../bench/build-cli.mjs';
import type { PolicyBundle } from '@payrule/engine';
import { AS_OF, ROOT } from '../cli/run-payrule.js';
import { examplePacks, fuzz, FUZZ_RUNS, FUZZ_TIMEOUT, sessionsArbitrary, type RawSession } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'payrule-jobs-'));
const CLI = join(dir, 'cli/payrule.mjs');
const POLICY = join(dir, 'packs.json');
let bundle: PolicyBundle;

beforeAll(async () => {
    bundle = await examplePacks();
    await buildCliBundle(dir);
    execFileSync(process.execPath, [CLI, 'compile', 'examples/packs', '-o', POLICY], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);

function check(file: string, jobs: number): { code: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [CLI, 'check', '--policy', POLICY, '--format', 'json', '--jobs', String(jobs), ...AS_OF, file], {
        cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The sessions many times over (new ids, new patients), past the 256 KiB chunks threads work on. */
function enlarge(sessions: RawSession[], copies: number): RawSession[] {
    return Array.from({ length: copies }, (_, copy) => sessions.map(s => ({ ...s, id: `${s.id}-${copy}`, patient: `${s.patient}-${copy % 7}` }))).flat();
}

describe('--jobs', () => {
    test('one thread or three: the same report, byte for byte', () => {
        let runs = 0;
        fc.assert(fc.property(sessionsArbitrary(bundle, { maxSessions: 30 }), sessions => {
            const file = join(dir, `sessions-${runs++}.ndjson`);
            const bytes = sessions.reduce((sum, s) => sum + JSON.stringify(s).length + 1, 0);
            // About 300 KB: more than one 256 KiB chunk, so the threads share the work.
            writeFileSync(file, enlarge(sessions, Math.ceil(300_000 / bytes)).map(s => JSON.stringify(s)).join('\n'));
            const one = check(file, 1);
            const three = check(file, 3);
            expect(one.stderr).toBe('');
            expect(three.stderr).toBe('');
            expect(three.code).toBe(one.code);
            expect(three.stdout).toBe(one.stdout);
        // Two child processes a case: a few cases in `npm test`, at most 20 under `npm run fuzz`.
        }), { ...fuzz(2), numRuns: FUZZ_RUNS > 0 ? Math.min(FUZZ_RUNS, 20) : 2 });
    }, FUZZ_TIMEOUT ?? 60_000);
});
