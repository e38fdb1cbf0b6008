/**
 * Where a command's result goes: standard output, or the file `-o` names. Every command decides it
 * the same way, before it reads anything, and writes it the same way:
 * - a regular file (or none yet) is written beside its real path (symbolic links followed) and
 *   renamed onto it once complete, so a failed run never leaves half a report in its place, and
 *   what is left of the attempt is removed;
 * - anything else that is not a folder (a named pipe, a device) is written into directly, in
 *   order, like standard output: it is never renamed onto or removed;
 * - a folder, or a file the command reads, is refused.
 */
import { accessSync, closeSync, constants, fchmodSync, ftruncateSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, describeFileError } from './errors.js';
import type { CliIo } from './io.js';

export type OutputTarget =
    | { kind: 'standard output' }
    /** `path`: the real path; `mode`: the permissions of the file it replaces, kept. */
    | { kind: 'regular file'; named: string; path: string; mode?: number }
    /** A named pipe, a device: cannot start over, never replaced. */
    | { kind: 'special file'; named: string; path: string };

export type FileTarget = Exclude<OutputTarget, { kind: 'standard output' }>;

/**
 * The target of `-o NAMED` (standard output when absent or `-`). `inputs`: the files the command
 * reads, which the result must not replace; `result`: what the command writes, for the message.
 */
export function outputTarget(named: string | undefined, io: CliIo, inputs: readonly string[], result: string): OutputTarget {
    if (named === undefined || named === '-') return { kind: 'standard output' };
    let path: string;
    let stats: Stats | undefined;
    try {
        path = followLinks(resolve(io.cwd, named));
        stats = statSync(path, { throwIfNoEntry: false });
        // As the shell's `>` would: a file the user may not write is not replaced either.
        if (stats?.isFile()) accessSync(path, constants.W_OK);
    } catch (error) {
        throw new CliError(`cannot write '${named}': ${describeFileError(error)}.`);
    }
    if (stats?.isDirectory()) throw new CliError(`cannot write '${named}': it is a folder, not a file.`);
    const input = stats ? inputs.find(input => input !== '-' && realPathOf(resolve(io.cwd, input)) === path) : undefined;
    if (input !== undefined) throw new CliError(`the ${result} would overwrite the input '${input}': choose another -o.`);
    if (stats && !stats.isFile()) return { kind: 'special file', named, path };
    return { kind: 'regular file', named, path, ...(stats ? { mode: stats.mode & 0o777 } : {}) };
}

/** Whether the result goes to a file (then it gets no colour whatever the terminal). */
export function writesToFile(target: OutputTarget): target is FileTarget {
    return target.kind !== 'standard output';
}

/** Writes a command's whole result to its target. */
export function writeResult(text: string, target: OutputTarget, io: CliIo): void {
    if (target.kind === 'standard output') {
        io.stdout.write(text);
        return;
    }
    const file = openOutput(target);
    try {
        file.write(text);
        file.commit();
    } catch (error) {
        file.abandon();
        throw error;
    }
}

/** A result being written to its file: kept by commit(), or dropped by abandon() when the run fails. */
export interface OutputFile {
    write(text: string | Uint8Array): void;
    /** Drops what was written so far; only a regular file can (a report sink that has it may be written in one pass). */
    restart?(): void;
    commit(): void;
    abandon(): void;
}

export function openOutput(target: FileTarget): OutputFile {
    return target.kind === 'regular file' ? new ReplacedFile(target) : new SpecialFile(target);
}

/** A regular file: written beside its real path, renamed onto it when complete; it can start over. */
class ReplacedFile implements OutputFile {
    private readonly partial: string;
    private fd: number | undefined;
    private position = 0;

    constructor(private readonly target: Extract<FileTarget, { kind: 'regular file' }>) {
        this.partial = `${target.path}.partial-${process.pid}`;
    }

    private open(): number {
        if (this.fd === undefined) {
            this.fd = failsAsCliError(this.target, () => {
                // Exclusive: the partial file is this run's own, never a link someone put at its
                // name; one left by a killed run of the same process id is removed first.
                removeRegularFile(this.partial);
                const fd = openSync(this.partial, 'wx', this.target.mode ?? 0o666);
                // The mode of the file replaced, whatever the umask took off it.
                if (this.target.mode !== undefined) fchmodSync(fd, this.target.mode);
                return fd;
            });
        }
        return this.fd;
    }

    write(text: string | Uint8Array): void {
        const fd = this.open();
        this.position += failsAsCliError(this.target, () => writeAll(fd, text, this.position));
    }

    restart(): void {
        if (this.fd !== undefined) failsAsCliError(this.target, () => ftruncateSync(this.fd!, 0));
        this.position = 0;
    }

    commit(): void {
        const fd = this.open();
        this.fd = undefined;
        failsAsCliError(this.target, () => {
            closeSync(fd);
            renameSync(this.partial, this.target.path);
        });
    }

    /** Also after a commit that failed: the partial file holds patient data. */
    abandon(): void {
        if (this.fd !== undefined) closeSync(this.fd);
        this.fd = undefined;
        removeRegularFile(this.partial);
    }
}

/** A named pipe or a device: written into in order, as standard output is; it cannot start over. */
class SpecialFile implements OutputFile {
    private fd: number | undefined;

    constructor(private readonly target: Extract<FileTarget, { kind: 'special file' }>) {}

    write(text: string | Uint8Array): void {
        // Opened on the first write: a named pipe's open waits for its reader.
        this.fd ??= failsAsCliError(this.target, () => openSync(this.target.path, 'w'));
        const fd = this.fd;
        failsAsCliError(this.target, () => writeAll(fd, text, null));
    }

    commit(): void {
        this.abandon();
    }

    abandon(): void {
        if (this.fd !== undefined) closeSync(this.fd);
        this.fd = undefined;
    }
}

/** Writes all of `text` at `position` (null: where the descriptor is, for a pipe, which cannot seek); returns its bytes. */
function writeAll(fd: number, text: string | Uint8Array, position: number | null): number {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, position === null ? null : position + written);
    return written;
}

function failsAsCliError<T>(target: FileTarget, work: () => T): T {
    try {
        return work();
    } catch (error) {
        throw new CliError(`cannot write '${target.named}': ${describeFileError(error)}.`);
    }
}

/** The path a link leads to, also when it leads to a file not made yet (realpath gives up there). */
function followLinks(path: string): string {
    for (let hops = 0; hops < 40; hops++) {
        try {
            return realpathSync(path);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() !== true) return path;
        path = resolve(dirname(path), readlinkSync(path));
    }
    return realpathSync(path);
}

function realPathOf(path: string): string | undefined {
    try {
        return realpathSync(path);
    } catch {
        return undefined;
    }
}

/** Removes `path` if it is a regular file: never a link, a pipe or a device. */
function removeRegularFile(path: string): void {
    try {
        if (lstatSync(path, { throwIfNoEntry: false })?.isFile()) unlinkSync(path);
    } catch {
        // Already gone, or not ours to remove.
    }
}
