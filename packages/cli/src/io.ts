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

/**
 * The process's standard output, for a reader that may stop early (`payrule check ... | head`)
 * and close the pipe. From then on what is written is dropped, as Unix tools do, and the run goes
 * on to its own exit code: dying on EPIPE would print a stack trace, and exiting there would give
 * 0 whatever the report held. Nothing waits for a 'drain' that a closed pipe never sends.
 */
export class ProcessOutput implements OutputStream {
    private closed = false;
    private readonly waiting = new Set<() => void>();

    constructor(private readonly stream: NodeJS.WriteStream) {
        stream.on('error', (error: NodeJS.ErrnoException) => {
            if (error.code !== 'EPIPE') throw error;
            this.closed = true;
            for (const resume of this.waiting) resume();
        });
    }

    get isTTY(): boolean {
        return this.stream.isTTY === true;
    }

    write(text: string): boolean {
        return this.closed || this.stream.write(text);
    }

    /** As a stream's: `listener` runs when the buffer has drained, or when the reader has gone. */
    once(event: 'drain', listener: () => void): void {
        const resume = () => {
            this.waiting.delete(resume);
            this.stream.off(event, resume);
            listener();
        };
        if (this.closed) return listener();
        this.waiting.add(resume);
        this.stream.once(event, resume);
    }

    /** Whether all that was written is out, or never will be (the reader has gone). */
    get flushed(): boolean {
        return this.closed || this.stream.writableLength === 0;
    }
}
