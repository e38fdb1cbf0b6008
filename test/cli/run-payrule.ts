/** Runs the `payrule` command line in-process and captures what it printed and its exit code. */
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../packages/cli/src/index.js';

/** The repository root: policies and fixtures are named relative to it, as a user would. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PACKS = 'examples/packs';
export const FIXTURES = 'test/cli/fixtures';
/** Filing deadlines depend on "today": fix it so the expected findings never drift. */
export const AS_OF = ['--as-of', '2026-03-20'];

export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

export interface RunOptions {
    stdin?: string | Buffer;
    env?: Record<string, string | undefined>;
    isTTY?: boolean;
    cwd?: string;
}

export async function payrule(args: string[], options: RunOptions = {}): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
        stdout: { write: (text: string) => { stdout += text; }, isTTY: options.isTTY ?? false },
        stderr: { write: (text: string) => { stderr += text; } },
        stdin: Readable.from([options.stdin ?? '']),
        cwd: options.cwd ?? ROOT,
        env: options.env ?? {}
    });
    return { code, stdout, stderr };
}

/** `payrule check --policy examples/packs --format json FILE...`, parsed. */
export async function jsonReport(files: string[], extra: string[] = [], options: RunOptions = {}) {
    const run = await payrule(['check', '--policy', PACKS, '--format', 'json', ...AS_OF, ...extra, ...files], options);
    return { ...run, report: run.stdout ? JSON.parse(run.stdout) : undefined };
}

/** A message a person can read: one line, no stack trace. */
export function expectOneLine(stderr: string): string {
    const lines = stderr.trimEnd().split('\n');
    if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${stderr}`);
    if (/\n\s+at /.test(stderr) || /^\s+at /m.test(stderr)) throw new Error(`stack trace on stderr:\n${stderr}`);
    return lines[0]!;
}
