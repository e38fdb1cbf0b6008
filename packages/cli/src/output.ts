/**
 * Where a command's result goes: standard output, or the file `-o` names. Every command decides it
 * the same way, before it reads anything, and writes it the same way:
 * - a regular file (or none yet) is written beside its real path (symbolic links followed) and
 *   renamed onto it once complete, so a failed run never leaves half a report in its place, and
 *   what is left of the attempt is removed;
 * - anything else that is not a folder (a named pipe, a device, /dev/stdout on a pipe) is written
 *   into directly at the path as given, in order, like standard output: it is never renamed onto
 *   or removed;
 * - a folder, a file the command reads, a file of a folder it reads, or a file whose folder takes
 *   no new file (where the report would be written first) is refused.
 */
import { accessSync, closeSync, constants, fchmodSync, ftruncateSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { POLICY_EXTENSION } from '@payrule/language/packs';
import { CliError, describeFileError } from './errors.js';
import type { CliIo } from './io.js';

export type OutputTarget =
    | { kind: 'standard output' }
    /** `path`: the real path; `mode`: the permissions of the file it replaces, kept. */
    | { kind: 'regular file'; named: string; path: string; mode?: number }
    /** A named pipe, a device: cannot start over, never replaced; `path` as given (a pipe's real path names nothing). */
    | { kind: 'special file'; named: string; path: string };

export type FileTarget = Exclude<OutputTarget, { kind: 'standard output' }>;

/**
 * The target of `-o NAMED` (standard output when absent or `-`). `inputs`: every path the command
 * reads (files, and policy folders: only policies are read from folders), which the result must
 * not replace; `result`: what the command writes, for the messages. `checkWritable` throws when
 * the user may not write a path (injected by tests, which run as root).
 */
export function outputTarget(
    named: string | undefined, io: CliIo, inputs: readonly string[], result: string, checkWritable: (path: string) => void = writableOrThrow
): OutputTarget {
    if (named === undefined || named === '-') return { kind: 'standard output' };
    const given = resolve(io.cwd, named);
    // The kind from the path as given, links followed: /dev/stdout on a pipe is a special file,
    // though its real path (`pipe:[N]`) names nothing that could be written beside.
    const stats = failsAsCliError(named, () => statSync(given, { throwIfNoEntry: false }));
    if (stats?.isDirectory()) throw new CliError(`cannot write '${named}': it is a folder, not a file.`);
    if (stats && !stats.isFile()) {
        refuseInputs(stats, undefined, inputs, io.cwd, result);
        return { kind: 'special file', named, path: given };
    }
    const path = failsAsCliError(named, () => followLinks(given));
    if (stats) refuseInputs(stats, path, inputs, io.cwd, result);
    requireWritable(named, path, stats !== undefined, result, checkWritable);
    return { kind: 'regular file', named, path, ...(stats ? { mode: stats.mode & 0o777 } : {}) };
}

/**
 * Refuses a target that is one of `inputs` (the same file, by whatever name) or, when it is a
 * regular file at `path` (real), a file an input folder gives the policy loader (a policy file or
 * a pack's package.json). A report re-written into a pack folder (`payrule test -o junit.xml`) is
 * left alone.
 */
function refuseInputs(target: Stats, path: string | undefined, inputs: readonly string[], cwd: string, result: string): void {
    for (const input of inputs) {
        if (input === '-') continue;
        const absolute = resolve(cwd, input);
        const stats = statOrNothing(absolute);
        if (stats?.dev === target.dev && stats.ino === target.ino) throw new CliError(`the ${result} would overwrite the input '${input}': choose another -o.`);
        const inside = stats?.isDirectory() && path !== undefined && readFromPolicyFolders(path) ? pathInside(realpathSync(absolute), path) : undefined;
        if (inside !== undefined) {
            throw new CliError(`the ${result} would overwrite '${join(input, inside)}', a file of the policy folder '${input}': choose another -o.`);
        }
    }
}

/** What the policy loader reads from a folder: policy files, and the package.json of a pack. */
function readFromPolicyFolders(path: string): boolean {
    return path.endsWith(POLICY_EXTENSION) || basename(path) === 'package.json';
}

/** `path` relative to `folder` when it is inside it (both real paths). */
function pathInside(folder: string, path: string): string | undefined {
    const inside = relative(folder, path);
    return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside) ? inside : undefined;
}

/**
 * As the shell's `>` would, a file the user may not write is not replaced either. The result is
 * written beside its real path first, so that folder must take a new file: checked now, not after
 * all the work.
 */
function requireWritable(named: string, path: string, exists: boolean, result: string, checkWritable: (path: string) => void): void {
    if (exists) failsAsCliError(named, () => checkWritable(path));
    try {
        checkWritable(dirname(path));
    } catch (error) {
        if (!isDenied(error)) throw new CliError(`cannot write '${named}': ${describeFileError(error)}.`);
        throw new CliError(exists
            ? `cannot write '${named}': Payrule writes the ${result} beside it and moves it into place, and its folder is not writable.`
            : `cannot write '${named}': its folder is not writable.`);
    }
}

function writableOrThrow(path: string): void {
    accessSync(path, constants.W_OK);
}

function isDenied(error: unknown): boolean {
    return ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '');
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
            this.fd = failsAsCliError(this.target.named, () => {
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
        this.position += failsAsCliError(this.target.named, () => writeAll(fd, text, this.position));
    }

    restart(): void {
        if (this.fd !== undefined) failsAsCliError(this.target.named, () => ftruncateSync(this.fd!, 0));
        this.position = 0;
    }

    commit(): void {
        const fd = this.open();
        this.fd = undefined;
        failsAsCliError(this.target.named, () => {
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
        this.fd ??= failsAsCliError(this.target.named, () => openSync(this.target.path, 'w'));
        const fd = this.fd;
        failsAsCliError(this.target.named, () => writeAll(fd, text, null));
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

/** `work`, its file-system error a CliError naming the target as given. */
function failsAsCliError<T>(named: string, work: () => T): T {
    try {
        return work();
    } catch (error) {
        throw new CliError(`cannot write '${named}': ${describeFileError(error)}.`);
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

/** What `path` leads to, or nothing when it cannot be looked at (an installed pack's name is no path). */
function statOrNothing(path: string): Stats | undefined {
    try {
        return statSync(path, { throwIfNoEntry: false });
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
