/**
 * What a run of the command line talks to. Injected so tests can run the CLI in-process and read
 * what it printed, without spawning a process or touching the real terminal.
 */
import type { Readable } from 'node:stream';

export interface OutputStream {
    write(text: string): unknown;
    isTTY?: boolean;
}

export interface CliIo {
    stdout: OutputStream;
    stderr: OutputStream;
    /** Read for the `-` sessions file (NDJSON on standard input). */
    stdin: Readable;
    /** Relative paths, on the command line and in reports, are taken from here. */
    cwd: string;
    env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
    return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
}
