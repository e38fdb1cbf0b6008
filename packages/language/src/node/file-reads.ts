/**
 * Every read the loading of policies makes of the file system goes through here: sources,
 * manifests, folders, installed packs, digests. One door, so that a run can record what it saw:
 * the command line keeps a compiled policy (its policy/cache.ts) together with the record of every
 * answer the compile depended on, and uses it again only while each read still gives the same
 * answer. A read that went around this door would make that cache unsound, so a test checks that
 * no other module of the loaders imports node:fs.
 *
 * The functions answer as node:fs does (they throw its errors), plus the recording.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** What was asked of the file system about `path`, and a digest of the answer. */
export interface FileRead {
    ask: Ask;
    path: string;
    answer: string;
}

type Ask = 'exists' | 'stat' | 'list' | 'read' | 'head' | 'realpath';

export interface PathStat {
    isFile: boolean;
    isDirectory: boolean;
    /** In bytes (of a file). */
    size: number;
}

export interface FolderEntry {
    name: string;
    isFile: boolean;
    isDirectory: boolean;
}

/** How much of a file's start `readHead` reads. */
export const HEAD_BYTES = 4096;

/** How each question is put to node:fs, and what of its answer is recorded. */
const ASKS: { [A in Ask]: { run(path: string): AnswerOf<A>; digest(value: AnswerOf<A>): string } } = {
    exists: { run: path => existsSync(path), digest: found => (found ? 'yes' : 'no') },
    stat: {
        run: path => {
            const stat = statSync(path);
            return { isFile: stat.isFile(), isDirectory: stat.isDirectory(), size: stat.size };
        },
        // A folder's size moves with its entries; what matters of it is the entries (`list`).
        digest: stat => (stat.isFile ? `file ${stat.size}` : stat.isDirectory ? 'folder' : 'other')
    },
    list: {
        run: path => readdirSync(path, { withFileTypes: true })
            .map(entry => ({ name: entry.name, isFile: entry.isFile(), isDirectory: entry.isDirectory() }))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        digest: entries => sha256(entries.map(entry => `${entry.name}\t${entry.isFile ? 'f' : entry.isDirectory ? 'd' : 'o'}\n`).join(''))
    },
    read: { run: path => readFileSync(path), digest: bytes => sha256(bytes) },
    head: {
        run: path => {
            const fd = openSync(path, 'r');
            try {
                const buffer = Buffer.alloc(HEAD_BYTES);
                return buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
            } finally {
                closeSync(fd);
            }
        },
        digest: bytes => sha256(bytes)
    },
    realpath: { run: path => realpathSync(path), digest: real => real }
};

interface Answers {
    exists: boolean;
    stat: PathStat;
    list: FolderEntry[];
    read: Buffer;
    head: Buffer;
    realpath: string;
}
type AnswerOf<A extends Ask> = Answers[A];

interface Recording {
    reads: Map<string, FileRead>;
    /** False once a path answered two ways: what was built from it matches neither answer. */
    consistent: boolean;
}

/**
 * The recordings under way. A read is noted in each: when two overlap (two loads at once in one
 * thread), each holds the other's reads too, which can only make its record stricter.
 */
const recordings = new Set<Recording>();

function ask<A extends Ask>(question: A, path: string): AnswerOf<A> {
    const { run, digest } = ASKS[question] as { run(path: string): AnswerOf<A>; digest(value: AnswerOf<A>): string };
    if (recordings.size === 0) return run(path);
    // Recorded absolute: a later run may start in another folder.
    const absolute = resolve(path);
    let value: AnswerOf<A>;
    try {
        value = run(path);
    } catch (error) {
        note({ ask: question, path: absolute, answer: failure(error) });
        throw error;
    }
    note({ ask: question, path: absolute, answer: digest(value) });
    return value;
}

function note(read: FileRead): void {
    const key = `${read.ask}\u0000${read.path}`;
    for (const recording of recordings) {
        const before = recording.reads.get(key);
        if (before && before.answer !== read.answer) recording.consistent = false;
        recording.reads.set(key, read);
    }
}

export function pathExists(path: string): boolean {
    return ask('exists', path);
}

/** As statSync: throws when there is nothing at `path`. */
export function statPath(path: string): PathStat {
    return ask('stat', path);
}

/** The folder's entries, sorted by name (as readdirSync: throws when it is not a readable folder). */
export function listFolder(path: string): FolderEntry[] {
    return ask('list', path);
}

export function readBytes(path: string): Buffer {
    return ask('read', path);
}

export function readText(path: string): string {
    return ask('read', path).toString('utf8');
}

/** The first HEAD_BYTES bytes of the file (fewer when it is shorter). */
export function readHead(path: string): Buffer {
    return ask('head', path);
}

export function realPath(path: string): string {
    return ask('realpath', path);
}

/**
 * Runs `work` and records every read it makes through this module (one entry per question and
 * path). Reads made meanwhile by anything else in this thread are recorded too, which can only
 * make the record stricter. `reads` is absent when some path gave two answers during the work
 * (it changed meanwhile): then no record describes what the work saw.
 */
export async function recordReads<T>(work: () => Promise<T>): Promise<{ value: T; reads?: FileRead[] }> {
    const recording: Recording = { reads: new Map(), consistent: true };
    recordings.add(recording);
    try {
        const value = await work();
        return { value, ...(recording.consistent ? { reads: [...recording.reads.values()] } : {}) };
    } finally {
        recordings.delete(recording);
    }
}

/** Whether every read still gives the answer recorded (false for anything that is not a list of reads: a record read back from disk may be anything). */
export function readsStillHold(reads: unknown): boolean {
    if (!Array.isArray(reads)) return false;
    for (const read of reads as unknown[]) {
        if (typeof read !== 'object' || read === null) return false;
        const { ask: question, path, answer: recorded } = read as Record<string, unknown>;
        if (typeof question !== 'string' || !Object.hasOwn(ASKS, question) || typeof path !== 'string' || typeof recorded !== 'string') return false;
        const entry = ASKS[question as Ask] as { run(path: string): unknown; digest(value: unknown): string };
        let answer: string;
        try {
            answer = entry.digest(entry.run(path));
        } catch (error) {
            answer = failure(error);
        }
        if (answer !== recorded) return false;
    }
    return true;
}

function failure(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return `error ${code ?? 'unknown'}`;
}

function sha256(data: string | Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
}
