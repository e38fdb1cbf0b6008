/**
 * The audit history: an SQLite database (better-sqlite3) holding every `payrule check --history`
 * run (when, which policies at which version and digest, which inputs with their digests, the
 * summary) and every finding it made. Opening a history migrates it to the current schema.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire as requireFrom } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Database } from 'better-sqlite3';
import { CliError } from '../errors.js';
import { migrate } from './migrations.js';

export const DEFAULT_HISTORY = '.payrule/history.db';

export interface OpenOptions {
    /** Create the file (and its folder) when missing: for recording. Looking things up needs an existing history. */
    create: boolean;
    /** Stop at this schema version (tests build older databases with it). */
    schema?: number;
}

type Driver = typeof import('better-sqlite3');

/**
 * The driver is loaded only when a history is used, so the other commands never need the native
 * module; and through a require made at run time, so a bundler leaves the native module out of a
 * bundle (where it could not find its compiled part) and it is resolved from node_modules.
 */
async function loadDriver(): Promise<Driver> {
    try {
        const load = requireFrom(import.meta.url);
        return load('better-sqlite3') as Driver;
    } catch (error) {
        throw new CliError(`the history needs the better-sqlite3 module, which could not be loaded (${(error as Error).message.split('\n')[0]}).`
            + ' Reinstall Payrule with its dependencies (npm ci) on this machine.');
    }
}

export async function openHistory(path: string, cwd: string, options: OpenOptions): Promise<Database> {
    const file = resolve(cwd, path);
    if (!existsSync(file)) {
        if (!options.create) throw new CliError(`no history at ${path}: record runs with 'payrule check --history' first (or name the file with --history FILE).`);
        try {
            mkdirSync(dirname(file), { recursive: true });
        } catch (error) {
            throw new CliError(`cannot create the folder for the history ${path}: ${(error as Error).message}.`);
        }
    }
    const Driver = await loadDriver();
    let db: Database;
    try {
        db = new Driver(file, { fileMustExist: !options.create });
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
        // Fails on a file that is not an SQLite database, before anything is written to it.
        db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
        throw new CliError(`cannot open the history ${path}: ${describeSqliteError(error)}.`);
    }
    try {
        migrate(db, options.schema, path);
    } catch (error) {
        db.close();
        if (error instanceof CliError) throw error;
        throw new CliError(`cannot update the history ${path} to this version of Payrule: ${describeSqliteError(error)}.`);
    }
    return db;
}

function describeSqliteError(error: unknown): string {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') return 'it is not a Payrule history (not an SQLite database)';
    if (code === 'SQLITE_BUSY') return 'another run is writing to it; try again';
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') return 'permission denied or not a file';
    return error instanceof Error ? error.message : String(error);
}

/**
 * Names the same input across runs: the input paths relative to the working directory, POSIX
 * separators, sorted. Runs of the same files compare with each other whatever their contents.
 */
export function inputKey(paths: string[], cwd: string): string {
    return [...paths.map(path => normalizeInput(path, cwd))].sort().join('\n');
}

export function normalizeInput(path: string, cwd: string): string {
    if (path === '-' || path === 'standard input') return 'standard input';
    return relative(resolve(cwd), resolve(cwd, path)).split(sep).join('/');
}
