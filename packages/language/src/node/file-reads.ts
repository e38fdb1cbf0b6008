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

/** The recording under way, if any: its reads by ask and path, and whether a path answered twice alike. */
let recording: { reads: Map<string, FileRead>; consistent: boolean } | undefined;

function ask<A extends Ask>(question: A, path: string): AnswerOf<A> {
    const { run, digest } = ASKS[question] as { run(path: string): AnswerOf<A>; digest(value: AnswerOf<A>): string };
    if (!recording) return run(path);
    // Recorded absolute: a later run may start in another folder.
    const absolute = resolve(path);
    let value: AnswerOf<A>;
    try {
        value = run(path);
    } catch (error) {
        note(recording, { ask: question, path: absolute, answer: failure(error) });
        throw error;
    }
    note(recording, { ask: question, path: absolute, answer: digest(value) });
    return value;
}

function note(into: NonNullable<typeof recording>, read: FileRead): void {
    const key = `${read.ask}\u0000${read.path}`;
    const before = into.reads.get(key);
    // A file that changed while it was being read: what was built from it matches neither answer.
    if (before && before.answer !== read.answer) into.consistent = false;
    into.reads.set(key, read);
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
    const outer = recording;
    const inner = { reads: new Map<string, FileRead>(), consistent: true };
    recording = inner;
    try {
        const value = await work();
        return { value, ...(inner.consistent ? { reads: [...inner.reads.values()] } : {}) };
    } finally {
        recording = outer;
        // A recording inside another is part of it.
        if (outer) {
            for (const read of inner.reads.values()) note(outer, read);
            if (!inner.consistent) outer.consistent = false;
        }
    }
}

/** Whether every read still gives the answer recorded. */
export function readsStillHold(reads: readonly FileRead[]): boolean {
    for (const read of reads) {
        const entry = ASKS[read.ask] as { run(path: string): unknown; digest(value: unknown): string } | undefined;
        if (!entry) return false;
        let answer: string;
        try {
            answer = entry.digest(entry.run(read.path));
        } catch (error) {
            answer = failure(error);
        }
        if (answer !== read.answer) return false;
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
