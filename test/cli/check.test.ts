import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, expectOneLine, FIXTURES, jsonReport, PACKS, payrule, ROOT } from './run-payrule.js';

const fixture = (name: string) => `${FIXTURES}/${name}`;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('payrule check: exit codes', () => {
    it('exits 0 when no session has an error finding and nothing is rejected', async () => {
        const run = await payrule(['check', '--policy', PACKS, ...AS_OF, fixture('clean.ndjson')]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('2 sessions without findings');
        expect(run.stdout).toContain('READY');
    });

    it('exits 1 when a session has an error finding', async () => {
        const run = await jsonReport([fixture('sessions.json')]);
        expect(run.code).toBe(1);
        const over = run.report.sessions.find((s: { id: string }) => s.id === 'S-101');
        expect(over.findings.map((f: { rule: string }) => f.rule)).toContain('units-match');
        expect(over.billed).toEqual({ '97110': 3 });
        expect(over.units).toEqual({ '97110': 1 });
    });

    it('exits 1 when a record is rejected, and lists it', async () => {
        for (const name of ['rejected.json', 'rejected.ndjson', 'rejected.csv']) {
            const run = await jsonReport([fixture(name)]);
            expect(run.code, name).toBe(1);
            expect(run.report.summary).toMatchObject({ records: 2, evaluated: 1, rejected: 1 });
            expect(run.report.rejected).toHaveLength(1);
            expect(run.report.rejected[0]).toMatchObject({ id: 'S-104' });
            expect(run.report.rejected[0].error).toMatch(/minutes/);
        }
    });
});

describe('payrule check: inputs', () => {
    it('gives the same report for the JSON, NDJSON and CSV exports of the same sessions', async () => {
        const reports = await Promise.all(['sessions.json', 'sessions.ndjson', 'sessions.csv'].map(name => jsonReport([fixture(name)])));
        expect(reports.map(r => r.code)).toEqual([1, 1, 1]);
        expect(reports[0]!.report.summary.records).toBe(4);
        expect(reports[1]!.report).toEqual(reports[0]!.report);
        expect(reports[2]!.report).toEqual(reports[0]!.report);
    });

    it('reads NDJSON on standard input for -', async () => {
        const fromFile = await jsonReport([fixture('sessions.ndjson')]);
        const fromStdin = await jsonReport(['-'], [], { stdin: readFileSync(join(ROOT, fixture('sessions.ndjson')), 'utf8') });
        expect(fromStdin.code).toBe(1);
        expect(fromStdin.report.sessions).toEqual(fromFile.report.sessions);
        expect(fromStdin.report.summary).toEqual(fromFile.report.summary);
    });

    it.each(['text', 'json'])('--format %s: refuses a CSV export on standard input, which - reads as NDJSON', async format => {
        const csv = readFileSync(join(ROOT, fixture('sessions.csv')), 'utf8');
        const run = await payrule(['check', '--policy', PACKS, '--format', format, ...AS_OF, '-'], { stdin: `\n${csv}` });
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toBe('payrule: standard input is read as NDJSON (one JSON session per line); this looks like CSV:'
            + " give the CSV file's path instead.\n");
    });

    it('knows a CSV header on standard input as the CSV reader does: a quoted, padded " Session_ID " is its session_id column', async () => {
        const csv = readFileSync(join(ROOT, fixture('sessions.csv')), 'utf8').replace(/^session_id,/, '" Session_ID ",');
        const dir = mkdtempSync(join(tmpdir(), 'payrule-padded-'));
        try {
            writeFileSync(join(dir, 'padded.csv'), csv);
            // Read from its file, it is CSV with a session_id column...
            expect((await jsonReport([join(dir, 'padded.csv')])).report.summary.records).toBe(4);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
        // ...so on standard input it is refused as CSV, not read as broken NDJSON.
        const run = await payrule(['check', '--policy', PACKS, ...AS_OF, '-'], { stdin: csv });
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/this looks like CSV/);
    });

    it('names the file of each rejected record when several files are read', async () => {
        const run = await jsonReport([fixture('rejected.csv'), fixture('clean.json')]);
        expect(run.code).toBe(1);
        expect(run.report.summary).toMatchObject({ records: 4, evaluated: 2, rejected: 2 });
        expect(run.report.rejected).toEqual([
            expect.objectContaining({ file: fixture('rejected.csv'), id: 'S-104' }),
            // The same session exported twice is checked once, never silently dropped.
            expect.objectContaining({ file: fixture('clean.json'), id: 'S-100', error: expect.stringMatching(/duplicate/) })
        ]);
    });

    it('checks each payer against its own policy', async () => {
        const { report } = await jsonReport([fixture('sessions.json')]);
        const vague = report.sessions.find((s: { id: string }) => s.id === 'S-102');
        expect(vague.payer).toBe('acme-ppo');
        expect(vague.findings.map((f: { rule: string }) => f.rule)).toContain('skilled-activity');
    });
});

describe('payrule check: CSV columns close to one Payrule reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrule-columns-'));
    const policy = join(ROOT, PACKS);
    /** A folder holding week.csv: the sessions.csv fixture with header cells renamed. */
    const week = (folder: string, renames: Record<string, string>) => {
        const [header, ...rows] = readFileSync(join(ROOT, fixture('sessions.csv')), 'utf8').split('\n');
        mkdirSync(join(dir, folder));
        writeFileSync(join(dir, folder, 'week.csv'), [header!.split(',').map(cell => renames[cell] ?? cell).join(','), ...rows].join('\n'));
        return join(dir, folder);
    };
    const warning = (column: string, meant: string) =>
        `payrule: warning: week.csv: column "${column}" is not one Payrule reads; did you mean "${meant}"? It is kept as an extra field.\n`;

    it.each(['text', 'json', 'csv'])('--format %s: one warning per such column on standard error; the report and exit code are those of any other column', async format => {
        const args = ['check', '--policy', policy, '--format', format, ...AS_OF, 'week.csv'];
        const run = await payrule(args, { cwd: week(`misspelled-${format}`, { modifiers: 'modifers', allowed: 'Alowed', note_activities: 'note-activities' }) });
        const other = await payrule(args, { cwd: week(`other-${format}`, { modifiers: 'scenario', allowed: 'First Name', note_activities: 'clinic' }) });
        // A CSV report has no place for the run's notices (no line has an allowed amount here): they follow on standard error.
        const notices = format === 'csv' ? other.stderr : '';
        if (format === 'csv') expect(notices).toMatch(/^payrule: notice: All \d+ lines that count toward the medicare thresholds .*\n$/);
        else expect(other.stderr).toBe('');
        expect(run.stderr).toBe(warning('modifers', 'modifiers') + warning('Alowed', 'allowed') + warning('note-activities', 'note_activities') + notices);
        expect(run.stdout).toBe(other.stdout);
        expect(run.code).toBe(other.code);
        if (format === 'text') expect(run.stdout).toContain('Append GP');
    });

    it('warns about nothing for NDJSON on standard input, and leaves a missing file to the reader', async () => {
        const fromStdin = await jsonReport(['-'], [], { stdin: readFileSync(join(ROOT, fixture('sessions.ndjson')), 'utf8') });
        expect(fromStdin.stderr).toBe('');
        const missing = await jsonReport([fixture('missing.csv')]);
        expect(missing.code).toBe(2);
        expect(expectOneLine(missing.stderr)).toMatch(/missing\.csv/);
    });
});

describe('payrule check: output', () => {
    it('writes a JSON report in the DATA.md shape', async () => {
        const { report } = await jsonReport([fixture('sessions.json')]);
        expect(report.format).toBe('payrule-report/1');
        expect(Object.keys(report)).toEqual(['format', 'policies', 'sessions', 'rejected', 'notices', 'summary']);
        // Its lines have no allowed amount, and the Medicare pack no fees: the KX threshold is blind, and the report says so.
        expect(report.notices).toEqual([expect.objectContaining({ kind: 'unpriced-lines', payer: 'medicare', message: expect.stringMatching(/a line that needs KX can go without a finding/) })]);
        expect(report.policies.map((p: { package: string }) => p.package)).toEqual(expect.arrayContaining(['cms.medicare', 'acme.ppo']));
        const finding = report.sessions.find((s: { id: string }) => s.id === 'S-101').findings[0];
        expect(finding.source.file).toBe('examples/packs/medicare/medicare.payrule');
    });

    it('writes a text report for billers: message, why, fix, citation, summary', async () => {
        const run = await payrule(['check', '--policy', PACKS, ...AS_OF, fixture('sessions.json')]);
        expect(run.code).toBe(1);
        expect(run.stdout).toMatch(/^S-101 {2}patient P-0050 {2}2026-03-05 {2}medicare$/m);
        expect(run.stdout).toMatch(/^ {2}ERROR {4}\S/m);
        expect(run.stdout).toMatch(/^ {11}why: /m);
        expect(run.stdout).toMatch(/^ {11}rule units-match \| .*Pub 100-04 Ch 5 s20\.2/m);
        expect(run.stdout).toContain('examples/packs/medicare/medicare.payrule:');
        expect(run.stdout).toContain('sessions without findings');
        expect(run.stdout).toMatch(/^Summary$/m);
        expect(run.stdout).toMatch(/^NOT READY: /m);
        expect(run.stdout).not.toMatch(ANSI);
        for (const line of run.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    });

    it('colours a terminal, and not with --no-color or NO_COLOR', async () => {
        const args = ['check', '--policy', PACKS, ...AS_OF, fixture('sessions.json')];
        expect((await payrule(args, { isTTY: true })).stdout).toMatch(ANSI);
        expect((await payrule([...args, '--no-color'], { isTTY: true })).stdout).not.toMatch(ANSI);
        expect((await payrule(args, { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
        expect((await payrule(args, { isTTY: false })).stdout).not.toMatch(ANSI);
    });

    it('writes the report to -o FILE', async () => {
        const { mkdtempSync } = await import('node:fs');
        const { tmpdir } = await import('node:os');
        const out = join(mkdtempSync(join(tmpdir(), 'payrule-')), 'report.json');
        const run = await payrule(['check', '--policy', PACKS, '--format', 'json', ...AS_OF, '-o', out, fixture('sessions.json')], { isTTY: true });
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        const direct = await jsonReport([fixture('sessions.json')]);
        expect(readFileSync(out, 'utf8')).toBe(direct.stdout);
    });
});

describe('payrule check: policy tests', () => {
    it('leaves *.tests.payrule files found in folders unread: a broken test file stops `payrule test`, not a check', async () => {
        const { cpSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
        const { tmpdir } = await import('node:os');
        const dir = mkdtempSync(join(tmpdir(), 'payrule-tests-'));
        try {
            cpSync(join(ROOT, PACKS), join(dir, 'packs'), { recursive: true });
            writeFileSync(join(dir, 'packs/medicare/broken.tests.payrule'), 'package cms.medicare\n\ntest "unfinished" {\n');
            const check = await payrule(['check', '--policy', join(dir, 'packs'), ...AS_OF, join(ROOT, FIXTURES, 'clean.ndjson')]);
            expect(check.stderr).toBe('');
            expect(check.code).toBe(0);
            const test = await payrule(['test', join(dir, 'packs/medicare')]);
            expect(test.code).toBe(2);
            expect(test.stderr).toContain('broken.tests.payrule:');
            // Named by its path, a test file is read like any policy file.
            const named = await payrule(['check', '--policy', join(dir, 'packs'), '--policy', join(dir, 'packs/medicare/broken.tests.payrule'), ...AS_OF, join(ROOT, FIXTURES, 'clean.ndjson')]);
            expect(named.code).toBe(2);
            expect(named.stderr).toContain('broken.tests.payrule:');
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
