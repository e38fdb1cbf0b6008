/**
 * The history database's schema, as an ordered list of migrations. A database records which ones
 * it has had in `schema_version`; opening it applies the ones it has not had yet, in order, each
 * in its own transaction. Never edit a migration that has shipped: add the next one.
 */
import type { Database } from 'better-sqlite3';
import { CliError } from '../errors.js';

export interface Migration {
    version: number;
    description: string;
    sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
    {
        version: 1,
        description: 'runs with their policies and inputs, and every finding',
        sql: `
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                recorded_at TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                input_key TEXT NOT NULL,
                as_of TEXT,
                redacted INTEGER NOT NULL DEFAULT 0,
                records INTEGER NOT NULL,
                evaluated INTEGER NOT NULL,
                rejected INTEGER NOT NULL,
                sessions_with_findings INTEGER NOT NULL,
                errors INTEGER NOT NULL,
                warnings INTEGER NOT NULL,
                infos INTEGER NOT NULL,
                exit_code INTEGER NOT NULL
            );
            CREATE INDEX runs_by_input ON runs (input_key, id);
            CREATE TABLE run_policies (
                run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                package TEXT NOT NULL,
                version TEXT,
                payers TEXT NOT NULL,
                digest TEXT NOT NULL,
                PRIMARY KEY (run_id, position)
            );
            CREATE TABLE run_inputs (
                run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                path TEXT NOT NULL,
                digest TEXT,
                bytes INTEGER,
                PRIMARY KEY (run_id, position)
            );
            CREATE TABLE findings (
                id INTEGER PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                session_id TEXT NOT NULL,
                claim TEXT,
                patient TEXT NOT NULL,
                date_of_service TEXT NOT NULL,
                payer TEXT NOT NULL,
                provider TEXT,
                code TEXT,
                line INTEGER,
                rule TEXT NOT NULL,
                severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
                message TEXT NOT NULL
            );
            CREATE INDEX findings_by_run ON findings (run_id);
        `
    },
    {
        version: 2,
        description: 'what to do and where the rule is written, the digest of the whole policy, and indexes for auditors\' look-ups',
        sql: `
            ALTER TABLE findings ADD COLUMN fix TEXT;
            ALTER TABLE findings ADD COLUMN citation TEXT;
            ALTER TABLE findings ADD COLUMN policy_source TEXT;
            ALTER TABLE findings ADD COLUMN input_record TEXT;
            ALTER TABLE runs ADD COLUMN policy_digest TEXT;
            CREATE INDEX findings_by_patient ON findings (patient, date_of_service);
            CREATE INDEX findings_by_claim ON findings (claim);
            CREATE INDEX findings_by_date ON findings (date_of_service);
        `
    }
];

export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The schema version a database is at: 0 for a new, empty one. */
export function schemaVersion(db: Database): number {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
    if (!table) return 0;
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
    return row.version ?? 0;
}

/**
 * Brings the database up to `target` (the latest by default), one migration at a time; returns
 * the versions applied. A database from a newer Payrule is left alone.
 */
export function migrate(db: Database, target: number = LATEST_SCHEMA, file = 'the history database'): number[] {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY,
        applied_at TEXT NOT NULL,
        description TEXT NOT NULL
    )`);
    const current = schemaVersion(db);
    if (current > LATEST_SCHEMA) {
        throw new CliError(`${file} was written by a newer Payrule (history schema ${current}; this one knows up to ${LATEST_SCHEMA}): upgrade Payrule to read it.`);
    }
    const applied: number[] = [];
    const record = db.prepare('INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
        if (migration.version <= current || migration.version > target) continue;
        db.transaction(() => {
            db.exec(migration.sql);
            record.run(migration.version, new Date().toISOString(), migration.description);
        })();
        applied.push(migration.version);
    }
    return applied;
}
