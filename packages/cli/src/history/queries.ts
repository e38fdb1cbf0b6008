/**
 * What the history answers: the runs, the findings for a patient, a claim or a date-of-service
 * range, how findings by payer, code, rule and provider move across runs, and what changed since
 * the previous run of the same input.
 */
import type { Database } from 'better-sqlite3';
import type { Severity } from '@payrule/engine';
import { CliError } from '../errors.js';

export interface RunInfo {
    run: number;
    recordedAt: string;
    toolVersion: string;
    inputs: { path: string; sha256?: string; bytes?: number }[];
    asOf?: string;
    redacted: boolean;
    policies: { package: string; version?: string; payers: string[]; sha256: string }[];
    /** The whole compiled policy; absent for runs recorded before history schema 2. */
    policySha256?: string;
    summary: {
        records: number;
        evaluated: number;
        rejected: number;
        sessionsWithFindings: number;
        findings: Record<Severity, number>;
    };
    exitCode: number;
}

export interface StoredFinding {
    run: number;
    recordedAt: string;
    sessionId: string;
    claim?: string;
    patient: string;
    dateOfService: string;
    payer: string;
    provider?: string;
    code?: string;
    /** Index into the session's lines, as in the report. */
    line?: number;
    rule: string;
    severity: Severity;
    message: string;
    fix?: string;
    citation?: string;
    policySource?: string;
    inputRecord?: string;
}

interface RunRow {
    id: number; recorded_at: string; tool_version: string; input_key: string; as_of: string | null; redacted: number;
    records: number; evaluated: number; rejected: number; sessions_with_findings: number;
    errors: number; warnings: number; infos: number; exit_code: number; policy_digest: string | null;
}

interface FindingRow {
    run_id: number; recorded_at: string; session_id: string; claim: string | null; patient: string; date_of_service: string;
    payer: string; provider: string | null; code: string | null; line: number | null; rule: string; severity: Severity;
    message: string; fix: string | null; citation: string | null; policy_source: string | null; input_record: string | null;
}

export function listRuns(db: Database, options: { inputKey?: string; last?: number } = {}): RunInfo[] {
    const where = options.inputKey !== undefined ? 'WHERE input_key = ?' : '';
    const params = options.inputKey !== undefined ? [options.inputKey] : [];
    const limit = options.last !== undefined ? `LIMIT ${Math.max(1, Math.floor(options.last))}` : '';
    const rows = db.prepare(`SELECT * FROM runs ${where} ORDER BY id DESC ${limit}`).all(...params) as RunRow[];
    return rows.reverse().map(row => runInfo(db, row));
}

export function getRun(db: Database, run: number): RunInfo {
    const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(run) as RunRow | undefined;
    if (!row) throw new CliError(`the history has no run ${run} (see 'payrule history runs').`);
    return runInfo(db, row);
}

function runInfo(db: Database, row: RunRow): RunInfo {
    const inputs = db.prepare('SELECT path, digest, bytes FROM run_inputs WHERE run_id = ? ORDER BY position').all(row.id) as
        { path: string; digest: string | null; bytes: number | null }[];
    const policies = db.prepare('SELECT package, version, payers, digest FROM run_policies WHERE run_id = ? ORDER BY position').all(row.id) as
        { package: string; version: string | null; payers: string; digest: string }[];
    return {
        run: row.id,
        recordedAt: row.recorded_at,
        toolVersion: row.tool_version,
        inputs: inputs.map(input => ({ path: input.path, ...(input.digest !== null ? { sha256: input.digest } : {}), ...(input.bytes !== null ? { bytes: input.bytes } : {}) })),
        ...(row.as_of !== null ? { asOf: row.as_of } : {}),
        redacted: row.redacted === 1,
        policies: policies.map(p => ({ package: p.package, ...(p.version !== null ? { version: p.version } : {}), payers: p.payers ? p.payers.split(',') : [], sha256: p.digest })),
        ...(row.policy_digest !== null && row.policy_digest !== undefined ? { policySha256: row.policy_digest } : {}),
        summary: {
            records: row.records,
            evaluated: row.evaluated,
            rejected: row.rejected,
            sessionsWithFindings: row.sessions_with_findings,
            findings: { error: row.errors, warning: row.warnings, info: row.infos }
        },
        exitCode: row.exit_code
    };
}

function storedFinding(row: FindingRow): StoredFinding {
    const optional = <K extends string, V>(key: K, value: V | null | undefined) => (value === null || value === undefined ? {} : { [key]: value } as Record<K, V>);
    return {
        run: row.run_id,
        recordedAt: row.recorded_at,
        sessionId: row.session_id,
        ...optional('claim', row.claim),
        patient: row.patient,
        dateOfService: row.date_of_service,
        payer: row.payer,
        ...optional('provider', row.provider),
        ...optional('code', row.code),
        ...optional('line', row.line),
        rule: row.rule,
        severity: row.severity,
        message: row.message,
        ...optional('fix', row.fix),
        ...optional('citation', row.citation),
        ...optional('policySource', row.policy_source),
        ...optional('inputRecord', row.input_record)
    };
}

const FINDING_COLUMNS = `f.run_id, r.recorded_at, f.session_id, f.claim, f.patient, f.date_of_service, f.payer, f.provider, f.code, f.line,
    f.rule, f.severity, f.message, f.fix, f.citation, f.policy_source, f.input_record`;

export interface FindingQuery {
    patient?: string;
    claim?: string;
    /** Dates of service from (inclusive), YYYY-MM-DD. */
    from?: string;
    /** Dates of service through (inclusive), YYYY-MM-DD. */
    to?: string;
    run?: number;
    /** Only the most recent run. */
    latest?: boolean;
}

export function findFindings(db: Database, query: FindingQuery): StoredFinding[] {
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    if (query.patient !== undefined) { conditions.push('f.patient = ?'); params.push(query.patient); }
    if (query.claim !== undefined) { conditions.push('f.claim = ?'); params.push(query.claim); }
    if (query.from !== undefined) { conditions.push('f.date_of_service >= ?'); params.push(query.from); }
    if (query.to !== undefined) { conditions.push('f.date_of_service <= ?'); params.push(query.to); }
    if (query.run !== undefined) {
        getRun(db, query.run);
        conditions.push('f.run_id = ?');
        params.push(query.run);
    } else if (query.latest) {
        conditions.push('f.run_id = (SELECT MAX(id) FROM runs)');
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = db.prepare(`SELECT ${FINDING_COLUMNS} FROM findings f JOIN runs r ON r.id = f.run_id ${where}
        ORDER BY f.run_id, f.date_of_service, f.session_id, CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.id`).all(...params) as FindingRow[];
    return rows.map(storedFinding);
}

export const TREND_DIMENSIONS = ['payer', 'code', 'rule', 'provider'] as const;
export type TrendDimension = (typeof TREND_DIMENSIONS)[number];

const DIMENSION_COLUMN: Record<TrendDimension, string> = {
    payer: 'payer',
    code: "COALESCE(code, '(whole session)')",
    rule: 'rule',
    provider: "COALESCE(provider, '(no provider)')"
};

export interface TrendCount {
    run: number;
    findings: number;
    errors: number;
    warnings: number;
    info: number;
}

export interface Trend {
    dimension: TrendDimension;
    /** Each value with its counts in every run listed (zero where it had none), most findings in the latest run first. */
    values: { value: string; counts: TrendCount[] }[];
}

export function findingTrends(db: Database, options: { dimensions: TrendDimension[]; last: number; inputKey?: string }): { runs: RunInfo[]; trends: Trend[] } {
    const runs = listRuns(db, { last: options.last, ...(options.inputKey !== undefined ? { inputKey: options.inputKey } : {}) });
    if (runs.length === 0) return { runs, trends: options.dimensions.map(dimension => ({ dimension, values: [] })) };
    const ids = runs.map(run => run.run);
    const placeholders = ids.map(() => '?').join(',');
    const trends = options.dimensions.map(dimension => {
        const rows = db.prepare(`SELECT run_id, ${DIMENSION_COLUMN[dimension]} AS value, COUNT(*) AS findings,
            SUM(severity = 'error') AS errors, SUM(severity = 'warning') AS warnings, SUM(severity = 'info') AS info
            FROM findings WHERE run_id IN (${placeholders}) GROUP BY run_id, value`).all(...ids) as
            { run_id: number; value: string; findings: number; errors: number; warnings: number; info: number }[];
        const byValue = new Map<string, Map<number, TrendCount>>();
        for (const row of rows) {
            let counts = byValue.get(row.value);
            if (!counts) byValue.set(row.value, counts = new Map());
            counts.set(row.run_id, { run: row.run_id, findings: row.findings, errors: row.errors, warnings: row.warnings, info: row.info });
        }
        const values = [...byValue.entries()].map(([value, counts]) => ({
            value,
            counts: ids.map(run => counts.get(run) ?? { run, findings: 0, errors: 0, warnings: 0, info: 0 })
        }));
        const latest = (entry: { counts: TrendCount[] }) => entry.counts[entry.counts.length - 1]!.findings;
        const all = (entry: { counts: TrendCount[] }) => entry.counts.reduce((sum, count) => sum + count.findings, 0);
        values.sort((a, b) => latest(b) - latest(a) || all(b) - all(a) || a.value.localeCompare(b.value));
        return { dimension, values };
    });
    return { runs, trends };
}

export interface Changes {
    run: RunInfo;
    /** The run of the same input just before; absent for the first run of an input. */
    previous?: RunInfo;
    /** Findings of this run that the previous run did not have (all of them when there is no previous run). */
    new: StoredFinding[];
    /** Findings of the previous run that this run no longer has. */
    resolved: StoredFinding[];
    /** Findings in both runs. */
    unchanged: number;
}

/**
 * What changed between a run and the previous run of the same input. A finding is the same one
 * when it is about the same session, rule, code and claim line (its wording may change, as when
 * the units billed change but are still wrong).
 */
export function changesSince(db: Database, options: { run?: number; inputKey?: string }): Changes {
    let runId = options.run;
    if (runId === undefined) {
        const row = (options.inputKey !== undefined
            ? db.prepare('SELECT MAX(id) AS id FROM runs WHERE input_key = ?').get(options.inputKey)
            : db.prepare('SELECT MAX(id) AS id FROM runs').get()) as { id: number | null };
        if (row.id === null) {
            throw new CliError(options.inputKey !== undefined ? 'the history has no run of these inputs.' : 'the history has no runs yet.');
        }
        runId = row.id;
    }
    const run = getRun(db, runId);
    const key = (db.prepare('SELECT input_key FROM runs WHERE id = ?').get(runId) as { input_key: string }).input_key;
    const previousRow = db.prepare('SELECT MAX(id) AS id FROM runs WHERE input_key = ? AND id < ?').get(key, runId) as { id: number | null };
    const current = findFindings(db, { run: runId });
    if (previousRow.id === null) return { run, new: current, resolved: [], unchanged: 0 };
    const previous = getRun(db, previousRow.id);
    const before = findFindings(db, { run: previous.run });
    const identity = (f: StoredFinding) => [f.sessionId, f.rule, f.code ?? '', f.line ?? ''].join('\u0000');
    const beforeKeys = new Set(before.map(identity));
    const currentKeys = new Set(current.map(identity));
    return {
        run,
        previous,
        new: current.filter(f => !beforeKeys.has(identity(f))),
        resolved: before.filter(f => !currentKeys.has(identity(f))),
        unchanged: current.filter(f => beforeKeys.has(identity(f))).length
    };
}
