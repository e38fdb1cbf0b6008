/**
 * The audit history end to end: `payrule check --history` over an input that changes between
 * runs, then `payrule history` for runs, changes, trends, and findings by patient, claim and
 * date of service; and a database written by the first schema version, opened by this one.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA, migrate, MIGRATIONS, schemaVersion } from '../../packages/cli/src/history/migrations.js';
import { payrule, type RunOptions } from '../cli/run-payrule.js';
import { PACKS_PATH, session, tempFolder, type TempFolder } from './support.js';

const AS_OF = ['--as-of', '2026-03-20'];
const NPI_A = '1234567893';
const NPI_B = '1245319599';

/** First export: S-1 under-billed (warning), S-2 without GP (error), S-3 over-billed (error), S-4 clean. */
const FIRST = [
    session({ id: 'S-1', patient: 'P-1001', claim: 'C-1', date: '2026-03-02', provider: NPI_A, minutes: 38, units: 2, allowed: 60 }),
    session({ id: 'S-2', patient: 'P-1002', claim: 'C-2', date: '2026-03-03', provider: NPI_A, minutes: 38, units: 3, modifiers: [] }),
    session({ id: 'S-3', patient: 'P-1001', claim: 'C-3', date: '2026-03-16', provider: NPI_B, minutes: 20, units: 3 }),
    session({ id: 'S-4', patient: 'P-1003', claim: 'C-4', date: '2026-03-17', provider: NPI_B, payer: 'acme-ppo' })
];

/** The same export corrected and grown: S-1 and S-3 fixed, S-2 still wrong, S-4 lost its GP, S-5 is new and over-billed. */
const SECOND = [
    session({ id: 'S-1', patient: 'P-1001', claim: 'C-1', date: '2026-03-02', provider: NPI_A, minutes: 38, units: 3 }),
    session({ id: 'S-2', patient: 'P-1002', claim: 'C-2', date: '2026-03-03', provider: NPI_A, minutes: 38, units: 3, modifiers: [] }),
    session({ id: 'S-3', patient: 'P-1001', claim: 'C-3', date: '2026-03-16', provider: NPI_B, minutes: 20, units: 1 }),
    session({ id: 'S-4', patient: 'P-1003', claim: 'C-4', date: '2026-03-17', provider: NPI_B, payer: 'acme-ppo', modifiers: [] }),
    session({ id: 'S-5', patient: 'P-1002', claim: 'C-5', date: '2026-03-18', provider: NPI_B, minutes: 10, units: 2 })
];

/** Another practice location's export, recorded between the two: it must not count as "the previous run". */
const OTHER = [session({ id: 'O-1', patient: 'P-2001', claim: 'C-90', date: '2026-03-05', provider: NPI_A, minutes: 38, units: 4 })];

let folder: TempFolder;
let options: RunOptions;

beforeEach(() => {
    folder = tempFolder('payrule-history-');
    options = { cwd: folder.path };
});

afterEach(() => folder.remove());

const check = (file: string, extra: string[] = []) => payrule(['check', '--policy', PACKS_PATH, ...AS_OF, ...extra, file], options);
const history = async (args: string[]) => {
    const run = await payrule(['history', ...args], options);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return run.stdout;
};
const historyJson = async (args: string[]) => JSON.parse(await history([...args, '--format', 'json']));

/** Records FIRST, OTHER and SECOND (runs 1, 2, 3), FIRST and SECOND into the same sessions.json. */
async function recordThreeRuns(): Promise<void> {
    folder.file('sessions.json', FIRST);
    folder.file('other.json', OTHER);
    expect((await check('sessions.json', ['--history'])).code).toBe(1);
    expect((await check('other.json', ['--history'])).code).toBe(1);
    folder.file('sessions.json', SECOND);
    expect((await check('sessions.json', ['--history'])).code).toBe(1);
}

type Finding = { sessionId: string; rule: string; severity: string; patient: string; claim: string; dateOfService: string; run: number };
const keys = (findings: Finding[]) => findings.map(f => `${f.sessionId} ${f.rule}`).sort();

describe('payrule check --history', () => {
    it('records into .payrule/history.db by default: the run, its policies and inputs with digests, every finding', async () => {
        folder.file('sessions.json', FIRST);
        const run = await check('sessions.json', ['--history']);
        expect(run.code).toBe(1);
        expect(run.stdout).toContain('NOT READY');
        expect(existsSync(join(folder.path, '.payrule/history.db'))).toBe(true);
        const { runs } = await historyJson(['runs']);
        expect(runs).toHaveLength(1);
        const [first] = runs;
        expect(first).toMatchObject({ run: 1, asOf: '2026-03-20', redacted: false, exitCode: 1 });
        expect(first.inputs).toEqual([{ path: 'sessions.json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: expect.any(Number) }]);
        expect(first.policies.map((p: { package: string }) => p.package)).toEqual(expect.arrayContaining(['cms.medicare', 'acme.ppo', 'cpt.therapy']));
        for (const policy of first.policies) expect(policy.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(first.policies.find((p: { package: string }) => p.package === 'cms.medicare').version).toMatch(/^\d{4}\.\d+\.\d+$/);
        expect(first.policySha256).toMatch(/^[0-9a-f]{64}$/);
        expect(first.summary).toEqual({ records: 4, evaluated: 4, rejected: 0, sessionsWithFindings: 3, findings: { error: 2, warning: 1, info: 0 } });
        expect(new Date(first.recordedAt).toString()).not.toBe('Invalid Date');
        const { findings } = await historyJson(['findings']);
        expect(keys(findings)).toEqual(['S-1 units-match', 'S-2 discipline-modifier', 'S-3 units-match']);
        expect(findings.find((f: Finding) => f.sessionId === 'S-2')).toMatchObject({
            claim: 'C-2', patient: 'P-1002', dateOfService: '2026-03-03', payer: 'medicare', provider: NPI_A, code: '97110',
            rule: 'discipline-modifier', severity: 'error', fix: 'Append GP to 97110', inputRecord: 'sessions.json record 2'
        });
    });

    it('writes to the file --history names, and digests change with the input', async () => {
        folder.file('sessions.json', FIRST);
        await check('sessions.json', ['--history', 'audit/h.db']);
        folder.file('sessions.json', SECOND);
        await check('sessions.json', ['--history=audit/h.db']);
        expect(existsSync(join(folder.path, 'audit/h.db'))).toBe(true);
        expect(existsSync(join(folder.path, '.payrule'))).toBe(false);
        const { runs } = await historyJson(['runs', '--history', 'audit/h.db']);
        expect(runs).toHaveLength(2);
        expect(runs[0].inputs[0].sha256).not.toBe(runs[1].inputs[0].sha256);
        expect(runs[0].policies).toEqual(runs[1].policies);
    });

    it('takes a sessions file after --history for an input, not for the database', async () => {
        folder.file('sessions.json', FIRST);
        folder.file('more.json', OTHER);
        const run = await payrule(['check', '--policy', PACKS_PATH, ...AS_OF, '--format', 'json', '--history', 'more.json', 'sessions.json'], options);
        expect(run.stderr).toBe('');
        expect(JSON.parse(run.stdout).sessions.map((s: { id: string }) => s.id)).toEqual(['O-1', 'S-1', 'S-2', 'S-3', 'S-4']);
        expect(existsSync(join(folder.path, '.payrule/history.db'))).toBe(true);
        expect(existsSync(join(folder.path, 'more.json'))).toBe(true);
        const { runs } = await historyJson(['runs']);
        expect(runs[0].inputs.map((i: { path: string }) => i.path)).toEqual(['more.json', 'sessions.json']);
        const alone = await payrule(['check', '--policy', PACKS_PATH, '--history'], options);
        expect(alone.code).toBe(2);
        expect(alone.stderr).toMatch(/missing required argument 'files'/);
    });
});

describe('payrule history changes', () => {
    it('compares the latest run with the previous run of the same input: new and resolved findings', async () => {
        await recordThreeRuns();
        const changes = await historyJson(['changes']);
        expect(changes.run.run).toBe(3);
        expect(changes.previous.run).toBe(1);
        expect(keys(changes.new)).toEqual(['S-4 discipline-modifier', 'S-5 units-match']);
        expect(keys(changes.resolved)).toEqual(['S-1 units-match', 'S-3 units-match']);
        expect(changes.unchanged).toBe(1);

        const text = await history(['changes']);
        expect(text).toContain('Compared with the previous run of the same input, #1');
        expect(text).toContain('2 new findings, 2 resolved findings, 1 still open');
        expect(text).toContain('The input files changed since the previous run.');
        expect(text).toMatch(/New since the previous run\n {2}S-4 {2}patient P-1003/);
        expect(text).toMatch(/Resolved since the previous run\n {2}S-1 {2}patient P-1001/);
    });

    it('finds the runs of the input named by --input, or a run by number; a first run has nothing before it', async () => {
        await recordThreeRuns();
        const other = await historyJson(['changes', '--input', 'other.json']);
        expect(other.run.run).toBe(2);
        expect(other.previous).toBeUndefined();
        expect(keys(other.new)).toEqual(['O-1 units-match']);
        expect(await history(['changes', '--input', 'other.json'])).toContain('First run of these inputs: nothing to compare with.');
        const first = await historyJson(['changes', '--run', '1']);
        expect(first.previous).toBeUndefined();
        const bySessions = await historyJson(['changes', '--input', './sessions.json']);
        expect(bySessions.run.run).toBe(3);
    });
});

describe('payrule history trends', () => {
    it('counts findings by payer, code, rule and provider in each run', async () => {
        await recordThreeRuns();
        const { runs, trends } = await historyJson(['trends', '--input', 'sessions.json']);
        expect(runs.map((r: { run: number }) => r.run)).toEqual([1, 3]);
        const counts = (dimension: string) => Object.fromEntries(trends.find((t: { dimension: string }) => t.dimension === dimension).values
            .map((v: { value: string; counts: { findings: number }[] }) => [v.value, v.counts.map(c => c.findings)]));
        expect(counts('payer')).toEqual({ medicare: [3, 2], 'acme-ppo': [0, 1] });
        expect(counts('rule')).toEqual({ 'discipline-modifier': [1, 2], 'units-match': [2, 1] });
        expect(counts('code')).toEqual({ 97110: [3, 3] });
        expect(counts('provider')).toEqual({ [NPI_A]: [2, 1], [NPI_B]: [1, 2] });
        const errors = trends.find((t: { dimension: string }) => t.dimension === 'rule').values
            .find((v: { value: string }) => v.value === 'units-match').counts.map((c: { errors: number }) => c.errors);
        expect(errors).toEqual([1, 1]);

        const all = await historyJson(['trends', '--by', 'payer']);
        expect(all.runs.map((r: { run: number }) => r.run)).toEqual([1, 2, 3]);
        expect(all.trends.map((t: { dimension: string }) => t.dimension)).toEqual(['payer']);

        const text = await history(['trends', '--input', 'sessions.json', '--by', 'payer,rule']);
        expect(text).toMatch(/By payer\n {2}\s+#1\s+#3 {2}change\n {2}medicare\s+3\s+2 {2}-1\n {2}acme-ppo\s+0\s+1 {2}\+1/);
        expect(text).toContain('By rule');
        expect(text).not.toContain('By provider');
    });

    it('refuses an unknown dimension', async () => {
        await recordThreeRuns();
        const run = await payrule(['history', 'trends', '--by', 'payer,weather'], options);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/Expected some of payer, code, rule, provider/);
    });
});

describe('payrule history findings', () => {
    it('retrieves findings by patient, by claim and by date-of-service range', async () => {
        await recordThreeRuns();
        const byPatient = (await historyJson(['findings', '--patient', 'P-1001'])).findings as Finding[];
        expect(byPatient.map(f => `${f.run} ${f.sessionId}`)).toEqual(['1 S-1', '1 S-3']);
        expect(byPatient.every(f => f.patient === 'P-1001')).toBe(true);

        const byClaim = (await historyJson(['findings', '--claim', 'C-2'])).findings as Finding[];
        expect(byClaim.map(f => f.run)).toEqual([1, 3]);
        expect(byClaim.every(f => f.claim === 'C-2' && f.rule === 'discipline-modifier')).toBe(true);

        const march = (await historyJson(['findings', '--from', '2026-03-16', '--to', '2026-03-17'])).findings as Finding[];
        expect(march.map(f => `${f.run} ${f.sessionId} ${f.dateOfService}`)).toEqual(['1 S-3 2026-03-16', '3 S-4 2026-03-17']);

        const latest = (await historyJson(['findings', '--from', '2026-03-16', '--latest'])).findings as Finding[];
        expect(latest.map(f => f.sessionId)).toEqual(['S-4', 'S-5']);
        const run2 = (await historyJson(['findings', '--run', '2'])).findings as Finding[];
        expect(run2.map(f => f.sessionId)).toEqual(['O-1']);

        const text = await history(['findings', '--patient', 'P-1001']);
        expect(text).toContain('Findings for patient P-1001: 2 findings in 1 run.');
        expect(text).toMatch(/S-3 {2}patient P-1001 {2}2026-03-16 {2}medicare {2}claim C-3/);
        expect(await history(['findings', '--patient', 'P-9999'])).toBe('No findings recorded for patient P-9999.\n');

        const csv = await history(['findings', '--claim', 'C-5', '--format', 'csv']);
        expect(csv.split('\r\n')[1]).toMatch(/^3,[^,]+,S-5,C-5,P-1002,2026-03-18,medicare,/);
    });

    it('says so when there is no history, or no such run, or a bad date', async () => {
        const bare = await payrule(['history'], options);
        expect(bare.code).toBe(2);
        expect(bare.stderr).toContain('Usage: payrule history');
        const none = await payrule(['history', 'findings', '--patient', 'P-1'], options);
        expect(none.code).toBe(2);
        expect(none.stderr).toMatch(/no history at \.payrule\/history\.db/);
        await recordThreeRuns();
        const missing = await payrule(['history', 'findings', '--run', '9'], options);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toMatch(/no run 9/);
        const date = await payrule(['history', 'findings', '--from', '2026-02-30'], options);
        expect(date.code).toBe(2);
        expect(date.stderr).toMatch(/YYYY-MM-DD/);
    });

    it('refuses a file that is not a history', async () => {
        folder.file('not-a-db.db', 'just text, not SQLite');
        const run = await payrule(['history', 'runs', '--history', 'not-a-db.db'], options);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/cannot open the history not-a-db\.db: it is not a Payrule history/);
    });
});

describe('history schema migrations', () => {
    it('are numbered in order from 1', () => {
        expect(MIGRATIONS.map(m => m.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
        expect(LATEST_SCHEMA).toBe(MIGRATIONS.length);
    });

    it('open a history written by schema 1, migrate it, and keep its runs and findings', async () => {
        const file = join(folder.path, '.payrule/history.db');
        mkdirSync(join(folder.path, '.payrule'));
        const old = new Database(file);
        expect(migrate(old, 1)).toEqual([1]);
        expect(schemaVersion(old)).toBe(1);
        // A run as the first schema recorded it: no fix, citation or policy digest columns yet.
        old.prepare(`INSERT INTO runs (recorded_at, tool_version, input_key, as_of, redacted, records, evaluated, rejected,
            sessions_with_findings, errors, warnings, infos, exit_code) VALUES ('2026-03-01T09:00:00.000Z', '0.0.9', 'sessions.json', NULL, 0, 1, 1, 0, 1, 1, 0, 0, 1)`).run();
        old.prepare("INSERT INTO run_policies VALUES (1, 0, 'cms.medicare', '2025.4.0', 'medicare', ?)").run('a'.repeat(64));
        old.prepare("INSERT INTO run_inputs VALUES (1, 0, 'sessions.json', ?, 100)").run('b'.repeat(64));
        old.prepare(`INSERT INTO findings (run_id, session_id, claim, patient, date_of_service, payer, provider, code, line, rule, severity, message)
            VALUES (1, 'S-3', 'C-3', 'P-1001', '2026-02-27', 'medicare', '${NPI_B}', '97110', 0, 'units-match', 'error', '97110 billed 4 units; 20 timed minutes support 1')`).run();
        expect(() => old.prepare('SELECT fix FROM findings').all()).toThrow(/no such column/);
        old.close();

        folder.file('sessions.json', FIRST);
        const run = await check('sessions.json', ['--history']);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe('');

        const migrated = new Database(file, { readonly: true });
        expect(schemaVersion(migrated)).toBe(LATEST_SCHEMA);
        expect((migrated.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map(r => r.version))
            .toEqual(MIGRATIONS.map(m => m.version));
        migrated.close();

        const { runs } = await historyJson(['runs']);
        expect(runs.map((r: { run: number; toolVersion: string }) => `${r.run} ${r.toolVersion}`)).toEqual(['1 0.0.9', expect.stringMatching(/^2 /)]);
        expect(runs[0].policySha256).toBeUndefined();
        expect(runs[1].policySha256).toMatch(/^[0-9a-f]{64}$/);
        const old1 = (await historyJson(['findings', '--run', '1'])).findings;
        expect(old1).toEqual([expect.objectContaining({ sessionId: 'S-3', rule: 'units-match', dateOfService: '2026-02-27' })]);
        expect(old1[0].fix).toBeUndefined();
        // The old run and the new one are runs of the same input: the changes compare them.
        const changes = await historyJson(['changes']);
        expect(changes.previous.run).toBe(1);
        expect(keys(changes.resolved)).toEqual([]);
        expect(changes.unchanged).toBe(1);
        expect(keys(changes.new)).toEqual(['S-1 units-match', 'S-2 discipline-modifier']);
    });

    it('leave a history from a newer Payrule alone, saying so', async () => {
        const file = join(folder.path, 'newer.db');
        const db = new Database(file);
        migrate(db);
        db.prepare("INSERT INTO schema_version VALUES (?, '2030-01-01T00:00:00Z', 'from the future')").run(LATEST_SCHEMA + 1);
        db.close();
        const run = await payrule(['history', 'runs', '--history', 'newer.db'], options);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/written by a newer Payrule \(history schema \d+; this one knows up to \d+\)/);
    });
});
