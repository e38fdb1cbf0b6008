/**
 * Compiled policies kept between runs. Compiling the example packs (parse, link, validate,
 * compile) takes about 0.2 s, as long as checking 10,000 sessions, and a billing company runs the
 * same packs over and over. A run keeps what it compiled together with the record of every read
 * of the file system the compile made (language/node/file-reads.ts: the policy files' bytes, the
 * folders' entries, the manifests, the installed packs, the digests a pack is checked against),
 * and a later run uses it only while every one of those reads gives the same answer. Anything
 * else (a file edited, added or removed, a pack installed, another payrule build or Node, other
 * options, an unreadable or damaged entry) compiles afresh. Only a compile without errors is kept.
 *
 * Entries live in PAYRULE_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME/payrule,
 * ~/.cache/payrule, %LOCALAPPDATA%\payrule\cache); `--no-cache` or PAYRULE_CACHE_DIR=off turns
 * it off. Whoever can write there could change the policy a run uses, so the folder and each
 * entry must be the user's own and writable by no one else (else they are not used; Windows'
 * permissions are not checked), and a run that requires signed packs never uses it. A cache that
 * cannot be read or written is left alone: the run goes on without it, compiling.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
    chmodSync, closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, type Stats
} from 'node:fs';
import { join } from 'node:path';
import { loadPolicyBundle, type PolicyBundle } from '@payrule/engine';
import { readsStillHold, recordReads, type FileRead } from '@payrule/language/packs';
import type { PolicyDiagnostic } from '@payrule/language/node';

/** Bumped when what an entry holds changes shape. */
const ENTRY_FORMAT = 1;
/** Entries kept; the least recently used beyond these are removed when one is added. */
const MAX_ENTRIES = 32;
/** The largest entry read: a compiled policy may be at most 64 MB (load-policy.ts), and its record is smaller. */
const MAX_ENTRY_BYTES = 128 * 1024 * 1024;
/** A temporary file this old is left from a run that died while writing: removed when pruning. */
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

/** What a compile of policy sources gave, as the cache keeps it. */
export interface CompiledSources {
    bundle: PolicyBundle;
    diagnostics: PolicyDiagnostic[];
    packs: { name?: string; version?: string }[];
}

/** A compile: its policy, or only the diagnostics that say why there is none. */
export type CompileResult = CompiledSources | { diagnostics: PolicyDiagnostic[] };

/** The option of every command that loads policies. */
export interface CacheOption {
    /** False with --no-cache. */
    cache?: boolean;
}

export interface PolicyCache {
    dir: string;
    /** Names the payrule build: a compile by another build is never used. */
    build: string;
}

/**
 * The cache for this run, or undefined when it is off: `--no-cache`, PAYRULE_CACHE_DIR=off, no
 * cache folder to be found, or a payrule that is not a built bundle (its build has no id).
 */
export function policyCache(env: Record<string, string | undefined>, wanted = true): PolicyCache | undefined {
    if (!wanted) return undefined;
    const dir = cacheDir(env);
    const build = buildId();
    return dir && build ? { dir: join(dir, 'policies'), build } : undefined;
}

function cacheDir(env: Record<string, string | undefined>): string | undefined {
    const own = env['PAYRULE_CACHE_DIR'];
    if (own !== undefined && own !== '') return own === 'off' ? undefined : own;
    if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'payrule');
    if (process.platform === 'win32' && env['LOCALAPPDATA']) return join(env['LOCALAPPDATA'], 'payrule', 'cache');
    if (env['HOME']) return join(env['HOME'], '.cache', 'payrule');
    return undefined;
}

let build: string | null | undefined;

/** The id scripts/bundle.mjs writes beside the bundle (a digest of everything it built); null when there is none. */
function buildId(): string | undefined {
    if (build === undefined) {
        try {
            build = readFileSync(new URL('./build-id', import.meta.url), 'utf8').trim() || null;
        } catch {
            build = null;
        }
    }
    return build ?? undefined;
}

/**
 * The compile of `key` (everything the run asked for besides the files: paths, folder, options),
 * from the cache when an entry's reads all still hold, else by `compile`, then kept when it had
 * no errors and nothing changed while it read.
 */
export async function cachedCompile(cache: PolicyCache | undefined, key: Record<string, unknown>, compile: () => Promise<CompileResult>): Promise<CompileResult> {
    if (!cache || !ownFolder(cache.dir)) return compile();
    // Node and its ICU too: the order files are listed in follows ICU's collation (language/node/pack-files.ts).
    const keyText = JSON.stringify({ format: ENTRY_FORMAT, build: cache.build, node: process.versions.node, icu: process.versions.icu, ...key });
    const file = join(cache.dir, `${createHash('sha256').update(keyText).digest('hex').slice(0, 40)}.json`);
    const kept = readEntry(file, keyText);
    if (kept) return kept;
    const { value, reads } = await recordReads(compile);
    if ('bundle' in value && reads) writeEntry(cache.dir, file, { key: keyText, reads, compiled: value });
    return value;
}

/**
 * Creates the folder (for this user only) if need be; whether it is this user's and writable by
 * no one else, so that no one else can have put an entry there. One of the user's own that others
 * may write to (made under a umask of 002, say) is closed to them, and its entries, which anyone
 * may have written, are removed. Windows' permissions are not checked.
 */
function ownFolder(dir: string): boolean {
    try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (process.platform === 'win32') return true;
        const stat = statSync(dir);
        if (!stat.isDirectory() || stat.uid !== process.getuid?.()) return false;
        if (!userAlone(stat)) {
            chmodSync(dir, 0o700);
            for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
        }
        return true;
    } catch {
        return false;
    }
}

interface Entry {
    key: string;
    reads: FileRead[];
    compiled: CompiledSources;
}

function readEntry(file: string, keyText: string): CompiledSources | undefined {
    let text: string;
    try {
        text = readOwnFile(file);
    } catch {
        return undefined;
    }
    try {
        const entry = JSON.parse(text) as Partial<Entry> | null;
        // The key is kept whole: two keys with one digest are told apart.
        if (entry?.key !== keyText || !entry.compiled || !readsStillHold(entry.reads)) return undefined;
        const { diagnostics, packs } = entry.compiled;
        if (!Array.isArray(diagnostics) || !diagnostics.every(isDiagnostic) || !Array.isArray(packs) || !packs.every(isPackName)) return undefined;
        const bundle = loadPolicyBundle(entry.compiled.bundle, 'the cached policy');
        touch(file);
        return { bundle, diagnostics, packs };
    } catch {
        // Missing, unreadable or damaged: compiled afresh, and written again.
        return undefined;
    }
}

/**
 * The entry's text, when the file is this user's and writable by no one else: checked on the file
 * opened, so it cannot be swapped between the check and the read. Throws otherwise.
 */
function readOwnFile(file: string): string {
    const fd = openSync(file, 'r');
    try {
        const stat = fstatSync(fd);
        if (!stat.isFile() || stat.size > MAX_ENTRY_BYTES) throw new Error('not an entry');
        if (process.platform !== 'win32' && !userAlone(stat)) throw new Error('not the user\'s own');
        return readFileSync(fd, 'utf8');
    } finally {
        closeSync(fd);
    }
}

/** Whether only this user may write it: theirs, and writable by neither group nor others. */
function userAlone(stat: Stats): boolean {
    return stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
}

function isDiagnostic(value: unknown): value is PolicyDiagnostic {
    if (typeof value !== 'object' || value === null) return false;
    const { file, line, column, severity, message } = value as Record<string, unknown>;
    return typeof file === 'string' && Number.isInteger(line) && Number.isInteger(column) && (severity === 'error' || severity === 'warning') && typeof message === 'string';
}

function isPackName(value: unknown): value is { name?: string; version?: string } {
    if (typeof value !== 'object' || value === null) return false;
    const { name, version } = value as Record<string, unknown>;
    return (name === undefined || typeof name === 'string') && (version === undefined || typeof version === 'string');
}

function writeEntry(dir: string, file: string, entry: Entry): void {
    // Written whole, then renamed into place: a run reading at the same time sees the old entry or the new.
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
        const text = JSON.stringify(entry);
        // One that large would never be read back.
        if (text.length > MAX_ENTRY_BYTES) return;
        writeFileSync(temporary, text, { mode: 0o600 });
        renameSync(temporary, file);
        prune(dir);
    } catch {
        // A cache that cannot be written only costs the next run a compile.
        try {
            rmSync(temporary, { force: true });
        } catch {
            // Pruning removes it later.
        }
    }
}

/** Marks an entry used (its modification time), for pruning. */
function touch(file: string): void {
    try {
        const now = new Date();
        utimesSync(file, now, now);
    } catch {
        // Pruning may then remove it earlier; nothing else depends on it.
    }
}

function prune(dir: string): void {
    const now = Date.now();
    const entries: { path: string; used: number }[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const path = join(dir, entry.name);
        try {
            const used = statSync(path).mtimeMs;
            if (entry.name.endsWith('.json')) entries.push({ path, used });
            else if (entry.name.endsWith('.tmp') && now - used > STALE_TEMPORARY_MS) rmSync(path, { force: true });
        } catch {
            // Removed meanwhile by another run.
        }
    }
    if (entries.length <= MAX_ENTRIES) return;
    entries.sort((a, b) => b.used - a.used);
    for (const stale of entries.slice(MAX_ENTRIES)) rmSync(stale.path, { force: true });
}
