/**
 * The cache of compiled policies (packages/cli/src/policy/cache.ts), through the bundled command
 * line as a user runs it: a compile is used again only while every file it read is as it was,
 * and a run that uses it does not load the language at all.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
    appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCliBundle } from '../../bench/build-cli.mjs';
import { ROOT } from './run-payrule.js';

let work: string;
let cli: string;
let project: string;
let cacheDir: string;

beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'payrule-cache-'));
    cli = await buildCliBundle(join(work, 'build'));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeEach(() => {
    // A project of its own for each test: the example packs and a week of sessions.
    project = mkdtempSync(join(work, 'project-'));
    cpSync(join(ROOT, 'examples/packs'), join(project, 'packs'), { recursive: true });
    cpSync(join(ROOT, 'examples/sessions/week.ndjson'), join(project, 'week.ndjson'));
    cacheDir = mkdtempSync(join(work, 'cache-'));
});

function payrule(args: string[], env: Record<string, string> = {}) {
    return spawnSync(process.execPath, [cli, ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, PAYRULE_CACHE_DIR: cacheDir, ...env } });
}

function check(extra: string[] = [], env: Record<string, string> = {}) {
    const run = payrule(['check', '--policy', 'packs', '--format', 'json', '--as-of', '2026-03-20', ...extra, 'week.ndjson'], env);
    const report = run.stdout ? JSON.parse(run.stdout) as { sessions: { findings: { rule: string }[] }[] } : undefined;
    return { code: run.status, stderr: run.stderr, report, findings: report?.sessions.flatMap(session => session.findings.map(finding => finding.rule)) ?? [] };
}

const entries = () => readdirSync(join(cacheDir, 'policies')).filter(name => name.endsWith('.json'));
const medicare = () => join(project, 'packs/medicare/medicare.payrule');

describe('the cache of compiled policies', () => {
    it('keeps a compile, and a run that uses it gives the same report without loading the language', () => {
        const first = check();
        expect(first.code).toBe(1);
        expect(entries()).toHaveLength(1);
        // The language is a chunk of its own: without it only a run that needs no compile can work.
        const chunks = join(cli, '../chunks');
        const language = readdirSync(chunks).filter(name => readFileSync(join(chunks, name), 'utf8').includes('performSelfAnalysis'));
        expect(language).toHaveLength(1);
        renameSync(join(chunks, language[0]!), join(work, 'language-chunk'));
        try {
            const second = check();
            expect(second.stderr).toBe('');
            expect(second.code).toBe(1);
            expect(second.report).toEqual(first.report);
        } finally {
            renameSync(join(work, 'language-chunk'), join(chunks, language[0]!));
        }
    });

    it('compiles afresh when a policy file is changed', () => {
        expect(check().findings).toContain('mue-97035');
        const text = readFileSync(medicare(), 'utf8');
        writeFileSync(medicare(), text.replace('97035 at most 2 units per day', '97035 at most 9 units per day'));
        expect(check().findings).not.toContain('mue-97035');
        writeFileSync(medicare(), text);
        expect(check().findings).toContain('mue-97035');
    });

    it('compiles afresh when a file is added to a folder or removed, and never keeps a compile with errors', () => {
        expect(check().code).toBe(1);
        const broken = join(project, 'packs/medicare/broken.payrule');
        writeFileSync(broken, 'package cms.medicare\npayer {\n');
        const withError = check();
        expect(withError.code).toBe(2);
        expect(withError.stderr).toContain('broken.payrule');
        expect(entries()).toHaveLength(1);
        rmSync(broken);
        expect(check().code).toBe(1);
        // A file another one imports, removed: its import no longer resolves.
        rmSync(join(project, 'packs/cpt-therapy'), { recursive: true });
        expect(check().code).toBe(2);
    });

    it('keeps nothing with --no-cache or PAYRULE_CACHE_DIR=off', () => {
        expect(check(['--no-cache']).code).toBe(1);
        expect(readdirSync(cacheDir)).toEqual([]);
        expect(check([], { PAYRULE_CACHE_DIR: 'off' }).code).toBe(1);
        expect(readdirSync(cacheDir)).toEqual([]);
    });

    it('compiles afresh over a damaged entry, and replaces it', () => {
        const first = check();
        const entry = join(cacheDir, 'policies', entries()[0]!);
        writeFileSync(entry, '{"key": "not this');
        const second = check();
        expect(second.report).toEqual(first.report);
        expect(() => JSON.parse(readFileSync(entry, 'utf8'))).not.toThrow();
        // An entry whose compiled policy was tampered with fails the IR's checks: compiled afresh too.
        const kept = JSON.parse(readFileSync(entry, 'utf8'));
        kept.compiled.bundle.payers = 'none';
        writeFileSync(entry, JSON.stringify(kept));
        expect(check().report).toEqual(first.report);
        // Valid JSON of the right key, with parts that are not what an entry holds.
        for (const damage of [{ reads: [null] }, { reads: 'all' }, { diagnostics: [null] }, { packs: {} }]) {
            const whole = JSON.parse(readFileSync(entry, 'utf8'));
            const { reads, ...compiled } = damage as Record<string, unknown>;
            writeFileSync(entry, JSON.stringify({ ...whole, ...(reads !== undefined ? { reads } : {}), compiled: { ...whole.compiled, ...compiled } }));
            const again = check();
            expect(again.stderr).toBe('');
            expect(again.report).toEqual(first.report);
        }
    });

    it('is not used by a run that checks signatures', () => {
        const key = join(project, 'trusted.pem');
        writeFileSync(key, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
        expect(check(['--trusted-key', key]).code).toBe(1);
        expect(readdirSync(cacheDir)).toEqual([]);
    });

    it.skipIf(process.platform === 'win32')('uses only what no one else may have written', () => {
        const first = check();
        const entry = join(cacheDir, 'policies', entries()[0]!);
        // An entry that says the packs have no rules at all: a run using it would find nothing.
        const planted = JSON.parse(readFileSync(entry, 'utf8'));
        for (const payer of planted.compiled.bundle.payers) payer.rules = [];
        const plant = () => writeFileSync(entry, JSON.stringify(planted));
        // An entry others may write to is not read.
        plant();
        chmodSync(entry, 0o666);
        expect(check().report).toEqual(first.report);
        // A folder others may write to is closed to them, and what is in it removed.
        plant();
        chmodSync(entry, 0o600);
        chmodSync(join(cacheDir, 'policies'), 0o777);
        expect(check().report).toEqual(first.report);
        expect(statSync(join(cacheDir, 'policies')).mode & 0o777).toBe(0o700);
        expect(entries()).toHaveLength(1);
    });

    it('removes temporary files left by a run that died while writing', () => {
        check();
        const old = join(cacheDir, 'policies', 'died.json.1.tmp');
        const fresh = join(cacheDir, 'policies', 'writing.json.2.tmp');
        writeFileSync(old, '');
        writeFileSync(fresh, '');
        const hourAgo = new Date(Date.now() - 3_600_000);
        utimesSync(old, hourAgo, hourAgo);
        // A changed policy: the next run compiles and writes, and prunes as it does.
        appendFileSync(medicare(), '\n');
        check();
        expect(existsSync(old)).toBe(false);
        expect(existsSync(fresh)).toBe(true);
    });

    it('compiles files in the same order whatever the locale (which is not part of what a compile is kept by)', () => {
        mkdirSync(join(project, 'order'));
        writeFileSync(join(project, 'order/ä.payrule'), 'package ae\npayer Ae id "ae" {\n}\n');
        writeFileSync(join(project, 'order/z.payrule'), 'package zz\npayer Zz id "zz" {\n}\n');
        const payers = (locale: string) => {
            const run = payrule(['compile', '--no-cache', 'order'], { LANG: locale, LC_ALL: locale });
            return (JSON.parse(run.stdout) as { payers: { id: string }[] }).payers.map(payer => payer.id);
        };
        expect(payers('sv_SE.UTF-8')).toEqual(payers('en_US.UTF-8'));
    });

    it('says the same warnings when the compile comes from the cache', () => {
        // A code listed twice in a set is worth a warning, not an error.
        appendFileSync(medicare(), '\ncodeset twice-listed = 97110, 97110\n');
        const first = check();
        expect(first.code).toBe(1);
        expect(first.stderr).toMatch(/warning/i);
        const second = check();
        expect(second.stderr).toBe(first.stderr);
    });
});
