/**
 * `--redact`: no raw patient identifier (nor a name held in a record field) in any report format
 * or in the history; the same patient has the same token everywhere under one key; and without a
 * key nothing is written at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFormats } from '../../packages/cli/src/report/index.js';
import { payrule } from '../cli/run-payrule.js';
import { PACKS_PATH, session, tempFolder, type TempFolder } from './support.js';

const KEY = 'practice-secret-key-0123456789';
const OTHER_KEY = 'another-practice-key-9876543210';
const RAW = ['P-0042', 'P-0050', 'P-0077', 'Gonzalez', 'Maria', 'Okafor'];
const TOKEN = /pt_[0-9a-f]{12}/g;

const SESSIONS = [
    session({ id: 'S-1', patient: 'P-0042', claim: 'C-1', units: 2, extra: { patient_name: 'Maria Gonzalez' } }),
    session({ id: 'S-2', patient: 'P-0042', claim: 'C-2', date: '2026-03-05', modifiers: [], extra: { patient_name: 'Maria Gonzalez' } }),
    session({
        id: 'S-P-0050-3', patient: 'P-0050', claim: 'C-3', units: 4, extra: { 'Last Name': 'Okafor' },
        note: { 'total-timed-minutes': '38', activities: 'Okafor did therapeutic exercise performed', 'functional-goals': 'Walk', 'patient-response': 'tolerated well' }
    }),
    session({ id: 'S-4', patient: 'P-0077', claim: 'C-4' })
];

let folder: TempFolder;
let input: string;

beforeAll(() => {
    folder = tempFolder('payrule-redact-');
    input = folder.file('sessions.json', SESSIONS);
});

afterAll(() => folder.remove());

const run = (args: string[], env: Record<string, string> = { PAYRULE_REDACT_KEY: KEY }) =>
    payrule(['check', '--policy', PACKS_PATH, '--as-of', '2026-03-20', ...args], { cwd: folder.path, env });

describe('--redact', () => {
    it('leaves no raw patient id or name in any format, and gives each patient one token throughout', async () => {
        const tokens = new Map<string, Set<string>>();
        for (const format of reportFormats) {
            const result = await run(['--redact', '--format', format, input]);
            // Nothing on standard error but the notices of a format with no place for them (the sessions have no allowed amounts), and no raw id there either.
            expect(result.stderr.replace(/^payrule: notice: .*\n/gm, ''), format).toBe('');
            for (const raw of RAW) expect(result.stderr, `${format} says ${raw}`).not.toContain(raw);
            expect(result.code, format).toBe(1);
            for (const raw of RAW) expect(result.stdout, `${format} holds ${raw}`).not.toContain(raw);
            tokens.set(format, new Set(result.stdout.match(TOKEN)));
        }
        // Three patients, three tokens, the same in every format.
        const json = JSON.parse((await run(['--redact', '--format', 'json', input])).stdout);
        const byPatient = new Set(json.sessions.map((s: { patient: string }) => s.patient));
        expect(byPatient.size).toBe(3);
        for (const token of byPatient) expect(token).toMatch(/^pt_[0-9a-f]{12}$/);
        const s1 = json.sessions.find((s: { id: string }) => s.id === 'S-1');
        const s2 = json.sessions.find((s: { id: string }) => s.id === 'S-2');
        expect(s1.patient).toBe(s2.patient);
        // A patient id inside a session id is replaced too.
        expect(json.sessions.map((s: { id: string }) => s.id)).toContain(`S-${json.sessions[2].patient}-3`);
        // Every format that lists all sessions shows every token; those listing findings, the patients with findings.
        const withFindings = new Set(json.sessions.filter((s: { findings: unknown[] }) => s.findings.length > 0).map((s: { patient: string }) => s.patient));
        for (const [format, found] of tokens) {
            const expected = ['json', 'html', 'junit'].includes(format) ? byPatient : withFindings;
            for (const token of expected) expect(found.has(token as string), `${format} shows ${token}`).toBe(true);
            for (const token of found) expect(byPatient.has(token), `${format}: unknown token ${token}`).toBe(true);
        }
        expect(await run(['--redact', '--format', 'html', input]).then(r => r.stdout)).toContain('Patient identifiers replaced by tokens');
    });

    it('gives the same token for the same key, and another for another key', async () => {
        const first = JSON.parse((await run(['--redact', '--format', 'json', input])).stdout).sessions[0].patient;
        const again = JSON.parse((await run(['--redact', '--format', 'json', input])).stdout).sessions[0].patient;
        const other = JSON.parse((await run(['--redact', '--format', 'json', input], { PAYRULE_REDACT_KEY: OTHER_KEY })).stdout).sessions[0].patient;
        expect(again).toBe(first);
        expect(other).not.toBe(first);
        const keyFile = folder.file('redact.key', `${KEY}\n`);
        const fromFile = JSON.parse((await run(['--redact', '--redact-key-file', keyFile, '--format', 'json', input], {})).stdout).sessions[0].patient;
        expect(fromFile).toBe(first);
    });

    it('keeps raw identifiers out of the history, which is searched by the same token', async () => {
        const db = join(folder.path, 'redacted.db');
        const result = await run(['--redact', '--history', db, '--format', 'json', input]);
        expect(result.code).toBe(1);
        const bytes = readFileSync(db).toString('latin1');
        for (const raw of RAW) expect(bytes, `history holds ${raw}`).not.toContain(raw);
        const token = JSON.parse(result.stdout).sessions[0].patient;
        expect(bytes).toContain(token);
        const lookup = await payrule(['history', 'findings', '--history', db, '--patient', 'P-0042', '--redact', '--format', 'json'],
            { cwd: folder.path, env: { PAYRULE_REDACT_KEY: KEY } });
        expect(lookup.stderr).toBe('');
        const findings = JSON.parse(lookup.stdout).findings;
        expect(findings.length).toBeGreaterThan(0);
        expect(findings.every((f: { patient: string }) => f.patient === token)).toBe(true);
        const runs = JSON.parse((await payrule(['history', 'runs', '--history', db, '--format', 'json'], { cwd: folder.path })).stdout).runs;
        expect(runs[0].redacted).toBe(true);
    });

    it('refuses to run without a key, or with a short one, writing nothing (exit 2)', async () => {
        const out = join(folder.path, 'never.html');
        const history = join(folder.path, 'never.db');
        const none = await run(['--redact', '--format', 'html', '-o', out, '--history', history, input], {});
        expect(none.code).toBe(2);
        expect(none.stdout).toBe('');
        expect(none.stderr).toBe('payrule: --redact needs the practice\'s secret key: set PAYRULE_REDACT_KEY or give --redact-key-file FILE. Nothing was written.\n');
        expect(existsSync(out)).toBe(false);
        expect(existsSync(history)).toBe(false);
        const short = await run(['--redact', input], { PAYRULE_REDACT_KEY: 'short' });
        expect(short.code).toBe(2);
        expect(short.stderr).toMatch(/too short \(5 characters\): use at least 16/);
        const missingFile = await run(['--redact', '--redact-key-file', 'nope.key', input], {});
        expect(missingFile.code).toBe(2);
        expect(missingFile.stderr).toMatch(/cannot read the redaction key file 'nope\.key': no such file/);
        const withoutRedact = await run(['--redact-key-file', 'nope.key', input], {});
        expect(withoutRedact.code).toBe(2);
        expect(withoutRedact.stderr).toMatch(/--redact-key-file is for --redact/);
    });

    it('leaves patient ids as given without --redact', async () => {
        const json = JSON.parse((await run(['--format', 'json', input], {})).stdout);
        expect(json.sessions.map((s: { patient: string }) => s.patient)).toEqual(['P-0042', 'P-0042', 'P-0050', 'P-0077']);
    });
});
