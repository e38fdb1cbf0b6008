/**
 * `-o FILE` of every command (packages/cli/src/output.ts): a regular file is replaced whole, a link
 * is followed, a named pipe is written into in order and never replaced, a folder or an input is
 * refused before anything is read, and a failed run leaves no partial file behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/src/index.js';
import { AS_OF, expectOneLine, FIXTURES, PACKS, payrule, ROOT } from './run-payrule.js';

const sessions = join(ROOT, FIXTURES, 'sessions.json');
const packs = join(ROOT, PACKS);
let dir: string;

afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
    dir = mkdtempSync(join(tmpdir(), 'payrule-output-'));
    return dir;
}

/** `payrule check` of the fixture sessions in `cwd`, in `format`, to `-o out`. */
function checkTo(out: string, format: string, cwd: string, files = [sessions]) {
    return payrule(['check', '--policy', packs, '--format', format, ...AS_OF, '-o', out, ...files], { cwd });
}

/** What the same check in `cwd` prints on standard output. */
async function expectedReport(format: string, cwd: string): Promise<string> {
    return (await payrule(['check', '--policy', packs, '--format', format, ...AS_OF, sessions], { cwd })).stdout;
}

/** Reads the named pipe `fifo` in another process (as a user's `cat fifo` would) until its writer closes it. */
function readFifo(fifo: string, into: string): { done: Promise<string>; stop: () => void } {
    const out = openSync(into, 'w');
    const reader = spawn('cat', [fifo], { stdio: ['ignore', out, 'ignore'] });
    closeSync(out);
    const done = new Promise<string>(resolve => reader.on('exit', () => resolve(existsSync(into) ? readFileSync(into, 'utf8') : '')));
    return { done, stop: () => reader.kill() };
}

describe('payrule -o: where the result goes', () => {
    it.each(['json', 'text'])('--format %s: a link is followed, and the file it points to gets the report', async format => {
        const cwd = tempDir();
        mkdirSync(join(cwd, 'reports'));
        writeFileSync(join(cwd, 'reports/latest.out'), 'last week\n');
        symlinkSync('reports/latest.out', join(cwd, 'report.out'));
        const run = await checkTo('report.out', format, cwd);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(1);
        expect(lstatSync(join(cwd, 'report.out')).isSymbolicLink()).toBe(true);
        expect(readlinkSync(join(cwd, 'report.out'))).toBe('reports/latest.out');
        expect(readFileSync(join(cwd, 'reports/latest.out'), 'utf8')).toBe(await expectedReport(format, cwd));
        expect(readdirSync(join(cwd, 'reports'))).toEqual(['latest.out']);
    });

    it.each(['json', 'text'])('--format %s: a named pipe is written into, in order, and stays a pipe', async format => {
        const cwd = tempDir();
        const fifo = join(cwd, 'report.pipe');
        expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
        const reader = readFifo(fifo, join(cwd, 'read.out'));
        try {
            const run = await checkTo('report.pipe', format, cwd);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(1);
            expect(lstatSync(fifo).isFIFO()).toBe(true);
            expect(await reader.done).toBe(await expectedReport(format, cwd));
            expect(readdirSync(cwd).sort()).toEqual(['read.out', 'report.pipe']);
        } finally {
            reader.stop();
        }
    });

    it.each(['json', 'text'])('--format %s: a folder is refused before anything is read, and nothing is left in it or beside it', async format => {
        const cwd = tempDir();
        mkdirSync(join(cwd, 'out'));
        // Neither the policy nor the sessions exist: the folder is what is reported, so it was looked at first.
        const run = await payrule(['check', '--policy', 'no-such-policy', '--format', format, '-o', 'out', 'no-such.csv'], { cwd });
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toBe("payrule: cannot write 'out': it is a folder, not a file.");
        expect(readdirSync(cwd)).toEqual(['out']);
        expect(readdirSync(join(cwd, 'out'))).toEqual([]);
    });

    it('a report that cannot be moved into place leaves no partial file (it holds patient data)', async () => {
        const cwd = tempDir();
        let stderr = '';
        let swapped = false;
        const code = await runCli(['check', '--policy', packs, '--format', 'json', ...AS_OF, '-o', 'report.json', sessions], {
            stdout: { write: () => true },
            // The progress bar draws while the report is being written: then the target turns into a folder.
            stderr: {
                isTTY: true,
                write: (text: string) => {
                    if (!swapped) mkdirSync(join(cwd, 'report.json/taken'), { recursive: true });
                    swapped = true;
                    stderr += text;
                }
            },
            stdin: Readable.from(['']),
            cwd,
            env: { PAYRULE_PROGRESS_AFTER_MS: '0' }
        });
        expect(swapped).toBe(true);
        expect(code).toBe(2);
        expect(stderr).toMatch(/cannot write 'report\.json'/);
        expect(readdirSync(cwd)).toEqual(['report.json']);
    });
});

describe('payrule -o: an input is never replaced', () => {
    it.each(['json', 'text'])('--format %s: -o naming a sessions file, or a link to it, exits 2 and leaves it as it was', async format => {
        const cwd = tempDir();
        cpSync(join(ROOT, FIXTURES, 'sessions.csv'), join(cwd, 'w.csv'));
        symlinkSync('w.csv', join(cwd, 'this-week.csv'));
        const before = readFileSync(join(cwd, 'w.csv'), 'utf8');
        for (const out of ['w.csv', 'this-week.csv', join(cwd, 'w.csv')]) {
            const run = await checkTo(out, format, cwd, ['w.csv']);
            expect(run.code, out).toBe(2);
            expect(expectOneLine(run.stderr)).toBe("payrule: the report would overwrite the input 'w.csv': choose another -o.");
            expect(readFileSync(join(cwd, 'w.csv'), 'utf8')).toBe(before);
        }
        expect(readdirSync(cwd).sort()).toEqual(['this-week.csv', 'w.csv']);
    });

    it('compile -o naming the compiled policy it merges exits 2', async () => {
        const cwd = tempDir();
        expect((await payrule(['compile', packs, '-o', 'policy.json'], { cwd })).code).toBe(0);
        const before = readFileSync(join(cwd, 'policy.json'), 'utf8');
        const run = await payrule(['compile', 'policy.json', '-o', 'policy.json'], { cwd });
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toBe("payrule: the compiled policy would overwrite the input 'policy.json': choose another -o.");
        expect(readFileSync(join(cwd, 'policy.json'), 'utf8')).toBe(before);
    });
});

describe('payrule -o: no file the run reads is replaced, named as an input or not', () => {
    const KEY = 'a-practice-secret-of-some-length\n';

    it.each([
        ['check --redact-key-file', ['check', '--policy', packs, '--redact', '--redact-key-file', 'key.txt', '-o', 'key.txt', sessions]],
        ['check --trusted-key', ['check', '--policy', packs, '--trusted-key', 'key.txt', '-o', 'key.txt', sessions]],
        ['diff --trusted-key', ['diff', packs, packs, '--trusted-key', 'key.txt', '-o', 'key.txt']],
        ['history findings --redact-key-file', ['history', 'findings', '--redact', '--redact-key-file', 'key.txt', '-o', 'key.txt']]
    ])('%s: -o naming the key file exits 2 and leaves the key as it was', async (_, args) => {
        const cwd = tempDir();
        writeFileSync(join(cwd, 'key.txt'), KEY);
        const run = await payrule(args, { cwd, env: {} });
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/^payrule: the (report|comparison|answer) would overwrite the input 'key\.txt': choose another -o\.$/);
        expect(readFileSync(join(cwd, 'key.txt'), 'utf8')).toBe(KEY);
        expect(readdirSync(cwd)).toEqual(['key.txt']);
    });

    it.each([
        ['check', (out: string) => ['check', '--policy', 'packs', ...AS_OF, '-o', out, sessions], 'report'],
        ['compile', (out: string) => ['compile', 'packs', '-o', out], 'compiled policy'],
        ['diff', (out: string) => ['diff', packs, 'packs', '-o', out], 'comparison']
    ])('%s: -o naming a file of a policy folder exits 2; a new file in the folder is written', async (_, args, result) => {
        const cwd = tempDir();
        cpSync(packs, join(cwd, 'packs'), { recursive: true });
        const policy = join(cwd, 'packs/medicare/medicare.payrule');
        const before = readFileSync(policy, 'utf8');
        const refused = await payrule(args('packs/medicare/medicare.payrule'), { cwd });
        expect(refused.code).toBe(2);
        expect(expectOneLine(refused.stderr))
            .toBe(`payrule: the ${result} would overwrite 'packs/medicare/medicare.payrule', a file of the policy folder 'packs': choose another -o.`);
        expect(readFileSync(policy, 'utf8')).toBe(before);

        const written = await payrule(args('packs/out.txt'), { cwd });
        expect(written.code).not.toBe(2);
        expect(readFileSync(join(cwd, 'packs/out.txt'), 'utf8')).not.toBe('');
    });

    it('test: the current folder it reads by default is an input too', async () => {
        const cwd = tempDir();
        cpSync(join(packs, 'medicare'), cwd, { recursive: true });
        const refused = await payrule(['test', '-o', 'package.json'], { cwd });
        expect(refused.code).toBe(2);
        expect(expectOneLine(refused.stderr)).toBe("payrule: the results would overwrite 'package.json', a file of the policy folder '.': choose another -o.");
        // A report of the tests, written there before, is not the packs': it is replaced, run after run.
        const packsCopy = tempDir();
        cpSync(packs, packsCopy, { recursive: true });
        for (let run = 0; run < 2; run++) {
            const again = await payrule(['test', '--format', 'junit', '-o', 'junit.xml'], { cwd: packsCopy });
            expect(again.code, again.stderr).toBe(0);
        }
    });
});
