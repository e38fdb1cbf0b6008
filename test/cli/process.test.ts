/**
 * The `payrule` process itself (packages/cli/src/main.ts), through the bundled command line as a
 * user runs it: what the in-process runner cannot show, such as a reader that closes the pipe early,
 * or `-o /dev/stdout` when standard output is a pipe.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle } from '../../bench/build-cli.mjs';
import { AS_OF, PACKS, ROOT } from './run-payrule.js';

let work: string;
let cli: string;
let sessions: string;

beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'payrule-process-'));
    cli = await buildCliBundle(join(work, 'build'));
    // A report much larger than a pipe holds (64 KiB), so it is still being written when the reader leaves.
    const week = readFileSync(join(ROOT, 'examples/sessions/week.ndjson'), 'utf8').trim().split('\n').map(line => JSON.parse(line));
    const copies = Array.from({ length: 20 }, (_, copy) => week.map(session => JSON.stringify({ ...session, id: `${session.id}-${copy}` })));
    sessions = join(work, 'year.ndjson');
    writeFileSync(sessions, `${copies.flat().join('\n')}\n`);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs payrule and closes its standard output after the first bytes, as `payrule ... | head -c 10` does. */
function runClosingEarly(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise(resolve => {
        const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (data: Buffer) => { stderr += data.toString(); });
        child.stdout.once('data', () => child.stdout.destroy());
        child.on('close', code => resolve({ code, stderr }));
    });
}

describe('payrule: a reader that stops early', () => {
    it.each(['json', 'text', 'csv'])('--format %s: the exit code is still the run\'s, with no stack trace', async format => {
        const run = await runClosingEarly(['check', '--policy', PACKS, '--format', format, ...AS_OF, sessions]);
        expect(run.stderr).toBe('');
        // The sessions have error findings.
        expect(run.code).toBe(1);
    });
});

/**
 * Runs payrule in a shell pipeline into `cat`, as `payrule ... | jq .` does: its standard output
 * (after `redirect`) is a pipe, which Node's own stdio 'pipe' is not (a socket). What `cat` read,
 * and payrule's exit code and standard error.
 */
function runIntoPipe(args: string[], redirect = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise(resolve => {
        const script = `set -o pipefail; "$0" "$@" ${redirect} | cat`;
        const child = spawn('bash', ['-c', script, process.execPath, cli, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (data: Buffer) => { stdout += data.toString(); });
        child.stderr.on('data', (data: Buffer) => { stderr += data.toString(); });
        child.on('close', code => resolve({ code, stdout, stderr }));
    });
}

describe('payrule -o naming a pipe by its /dev name', () => {
    const args = ['check', '--policy', PACKS, ...AS_OF, join(ROOT, 'test/cli/fixtures/sessions.json')];

    it.each(['json', 'text'])('--format %s -o /dev/stdout, standard output a pipe (`| jq .`): the report comes through it', async format => {
        const expected = await runIntoPipe([...args, '--format', format]);
        const run = await runIntoPipe([...args, '--format', format, '-o', '/dev/stdout']);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(1);
        expect(run.stdout).toBe(expected.stdout);
    });

    it('-o /dev/fd/3 on a pipe, as a process substitution `-o >(gzip > r.gz)` names it: the report comes through it', async () => {
        const expected = await runIntoPipe([...args, '--format', 'json']);
        // Descriptor 3 is the pipe; standard output goes to standard error, which must stay empty.
        const run = await runIntoPipe([...args, '--format', 'json', '-o', '/dev/fd/3'], '3>&1 1>&2');
        expect(run.stderr).toBe('');
        expect(run.code).toBe(1);
        expect(run.stdout).toBe(expected.stdout);
    });
});
