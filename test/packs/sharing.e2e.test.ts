/**
 * Two practices share a rule pack through npm, offline: practice A builds and signs its Medicare
 * pack to a tarball; practice B installs it with npm, extends A's payer with its own contract
 * and checks sessions; A publishes version 2 with a new KX amount; B's `payrule diff` shows the
 * change and `--impact` the findings that change.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCatalogPack, medicarePackSource, npm, run, tempFolder, writeFiles, writeKeyPair } from './pack-fixtures.js';

const temp = tempFolder('sharing');
const A = join(temp.dir, 'practice-a');
const B = join(temp.dir, 'practice-b');
let keys: { privateKey: string; publicKey: string };

/**
 * P-1 (Medicare) reaches $2,550 of allowed PT amounts in 2026: past $2,480, not past $2,600.
 * P-2 (B's contract) reaches $2,650: past both. Today's lines carry no KX.
 */
const SESSIONS = [
    session('S-1', 'P-1', '2026-02-02', 'medicare', 2400, ['GP']),
    session('S-2', 'P-1', '2026-03-02', 'medicare', 150, ['GP']),
    session('S-3', 'P-2', '2026-02-03', 'b-contract', 2400, ['GP']),
    session('S-4', 'P-2', '2026-03-03', 'b-contract', 250, ['GP']),
    session('S-5', 'P-3', '2026-03-04', 'medicare', 60, ['GP'])
];

function session(id: string, patient: string, date: string, payer: string, allowed: number, modifiers: string[]) {
    return {
        id, patient, date, payer, discipline: 'PT', provider: { id: '1234567893', role: 'PT' },
        lines: [{ code: '97110', minutes: 30, units: 2, modifiers, allowed }]
    };
}

beforeAll(() => {
    writeFiles(A, {
        'package.json': { name: 'practice-a-policies', version: '1.0.0', private: true },
        'packs/medicare/package.json': {
            name: '@practice-a/medicare-therapy',
            version: '1.0.0',
            description: "Practice A's Medicare therapy rules",
            dependencies: { '@payrule-examples/cpt-therapy': '^2026.1.0' },
            payrule: { language: '1' }
        },
        'packs/medicare/medicare.payrule': medicarePackSource('$2,480.00')
    });
    copyCatalogPack(join(A, 'packs/cpt-therapy'));
    keys = writeKeyPair(A, 'practice-a');
    writeFiles(B, {
        'package.json': { name: 'practice-b-billing', version: '1.0.0', private: true },
        'sessions.json': SESSIONS,
        'policies/contract.payrule': `/* Practice B's commercial contract: Medicare's rules, plus a visit cap on 97530. */
package practice.b.contract version "2026.1.0"

import practice.a.medicare

/** B's contract with a regional plan (fictional). */
payer BContract id "b-contract" extends Medicare {
    effective 2026-01-01 through 2026-12-31

    limit visit-97530 warning 97530 at most 4 units per visit
        source "Contract s4"
}
`
    });
});

afterAll(() => temp.cleanup());

describe('sharing a pack between two practices', () => {
    it('practice A builds its packs to signed tarballs', async () => {
        const catalog = await run(A, 'pack', 'packs/cpt-therapy', '-o', 'dist', '--sign', keys.privateKey);
        expect(catalog.stderr).toBe('');
        expect(catalog.code).toBe(0);
        expect(catalog.stdout).toContain('packed @payrule-examples/cpt-therapy@2026.1.0: dist/payrule-examples-cpt-therapy-2026.1.0.tgz');
        // A catalog has nothing to test; a pack without tests is told where they go.
        expect(catalog.stdout).toMatch(/tests\s+none: write some in a \*\.tests\.payrule file/);

        const medicare = await run(A, 'pack', 'packs/medicare', '-o', 'dist', '--sign', keys.privateKey);
        // It imports cpt.therapy, a pack in the folder beside it, and lists it in its dependencies: no warning.
        expect(medicare.stderr).toBe('');
        expect(medicare.code).toBe(0);
        expect(medicare.stdout).toContain('dist/practice-a-medicare-therapy-1.0.0.tgz');
        expect(medicare.stdout).toMatch(/tests\s+1 passed/);
        expect(medicare.stdout).toMatch(/signed\s+by key sha256-/);
        // The author's folder is left as written: the digests describe the tarball.
        expect(JSON.parse(readFileSync(join(A, 'packs/medicare/package.json'), 'utf8')).payrule).toEqual({ language: '1' });
    });

    it('practice B installs the tarballs offline, extends A\'s payer and checks sessions', async () => {
        npm(B, 'install', join(A, 'dist/payrule-examples-cpt-therapy-2026.1.0.tgz'), join(A, 'dist/practice-a-medicare-therapy-1.0.0.tgz'));
        const installed = JSON.parse(readFileSync(join(B, 'node_modules/@practice-a/medicare-therapy/package.json'), 'utf8'));
        expect(installed.payrule).toMatchObject({ language: '1', packages: ['practice.a.medicare'], payers: ['medicare'], compiled: 'payrule/policy.json' });
        expect(installed.payrule.integrity).toMatch(/^sha256-/);

        const check = await run(B, 'check', '--policy', 'policies', '--require-signed', '--trusted-key', keys.publicKey,
            '--format', 'json', '--as-of', '2026-03-20', 'sessions.json');
        expect(check.stderr).toBe('');
        expect(check.code).toBe(1);
        const report = JSON.parse(check.stdout);
        const rules = (id: string) => report.sessions.find((s: { id: string }) => s.id === id).findings.map((f: { rule: string }) => f.rule);
        expect(rules('S-2')).toContain('kx');
        expect(rules('S-4')).toContain('kx');
        expect(rules('S-5')).toEqual([]);
        // Findings point at the installed pack's own file.
        const kx = report.sessions.find((s: { id: string }) => s.id === 'S-4').findings.find((f: { rule: string }) => f.rule === 'kx');
        expect(kx.source.file).toBe('node_modules/@practice-a/medicare-therapy/medicare.payrule');
        expect(report.policies.map((p: { package: string }) => p.package)).toEqual(expect.arrayContaining(['practice.b.contract', 'practice.a.medicare', 'cpt.therapy']));

        // B keeps a compiled snapshot of its policy, to compare after upgrading. The tests of A's pack are A's: not in B's snapshot, nor run by B's `payrule test`.
        const compiled = await run(B, 'compile', 'policies', '-o', 'before.json');
        expect(compiled.code).toBe(0);
        expect(JSON.parse(readFileSync(join(B, 'before.json'), 'utf8')).tests).toBeUndefined();
        const tests = await run(B, 'test', '--format', 'json');
        expect(JSON.parse(tests.stdout).summary.total).toBe(0);
    });

    it('practice A publishes version 2 with a new KX amount; B sees the change and its impact before upgrading', async () => {
        const manifest = JSON.parse(readFileSync(join(A, 'packs/medicare/package.json'), 'utf8'));
        writeFiles(A, { 'packs/medicare/package.json': { ...manifest, version: '2.0.0' } });
        // The new amount with the old version in the source: reports would name the old edition, so nothing is packed.
        writeFileSync(join(A, 'packs/medicare/medicare.payrule'), medicarePackSource('$2,600.00'));
        const stale = await run(A, 'pack', 'packs/medicare', '-o', 'dist', '--sign', keys.privateKey);
        expect(stale.code).toBe(2);
        expect(stale.stderr).toBe('payrule pack: package.json gives version 2.0.0, but packs/medicare/medicare.payrule declares '
            + 'package practice.a.medicare version "1.0.0": reports name the version the policy declares, so make the two the same. Nothing was packed.\n');
        writeFileSync(join(A, 'packs/medicare/medicare.payrule'), medicarePackSource('$2,600.00', '2.0.0'));
        const v2 = await run(A, 'pack', 'packs/medicare', '-o', 'dist', '--sign', keys.privateKey);
        expect(v2.code).toBe(0);

        const tarball = join(A, 'dist/practice-a-medicare-therapy-2.0.0.tgz');
        const diff = await run(B, 'diff', '@practice-a/medicare-therapy', tarball, '--impact', 'sessions.json', '--as-of', '2026-03-20',
            '--require-signed', '--trusted-key', keys.publicKey);
        expect(diff.stderr).toBe('');
        expect(diff.code).toBe(0);
        expect(diff.stdout).toContain('@practice-a/medicare-therapy@1.0.0');
        expect(diff.stdout).toContain('@practice-a/medicare-therapy@2.0.0');
        expect(diff.stdout).toContain('payer medicare (Medicare, 2026-01-01 through 2026-12-31)');
        expect(diff.stdout).toContain('changed  kx: threshold amount $2,480.00 -> $2,600.00');
        expect(diff.stdout).toMatch(/disappears\s+S-2 \(patient P-1, 2026-03-02, medicare\) kx error on 97110/);

        const json = await run(B, 'diff', '@practice-a/medicare-therapy', tarball, '--format', 'json', '--impact', 'sessions.json', '--as-of', '2026-03-20');
        const result = JSON.parse(json.stdout);
        const medicare = result.payers.find((p: { id: string }) => p.id === 'medicare');
        expect(medicare.rules.changed).toEqual([{
            id: 'kx', kind: 'threshold',
            changes: [{ field: 'amount', old: 2480, new: 2600, text: 'threshold amount $2,480.00 -> $2,600.00' }]
        }]);
        expect(result.impact.disappeared).toEqual([expect.objectContaining({ session: 'S-2', rule: 'kx', severity: 'error', code: '97110' })]);
        expect(result.impact.appeared).toEqual([]);
    });

    it('after upgrading, B diffs its own policy against its snapshot: its contract inherits the change', async () => {
        npm(B, 'install', join(A, 'dist/practice-a-medicare-therapy-2.0.0.tgz'));
        const diff = await run(B, 'diff', 'before.json', 'policies', '--impact', 'sessions.json', '--as-of', '2026-03-20', '--format', 'json');
        expect(diff.code).toBe(0);
        const result = JSON.parse(diff.stdout);
        const changedKx = (id: string) => result.payers.find((p: { id: string }) => p.id === id).rules.changed.find((r: { id: string }) => r.id === 'kx');
        expect(changedKx('medicare').changes[0].text).toBe('threshold amount $2,480.00 -> $2,600.00');
        expect(changedKx('b-contract').changes[0].text).toBe('threshold amount $2,480.00 -> $2,600.00');
        expect(result.impact.disappeared.map((f: { session: string; rule: string }) => `${f.session} ${f.rule}`)).toEqual(['S-2 kx']);

        // Checked under version 2: P-1 no longer needs KX, P-2 (past $2,600) still does.
        const check = await run(B, 'check', '--policy', 'policies', '--format', 'json', '--as-of', '2026-03-20', 'sessions.json');
        const report = JSON.parse(check.stdout);
        const rules = (id: string) => report.sessions.find((s: { id: string }) => s.id === id).findings.map((f: { rule: string }) => f.rule);
        expect(rules('S-2')).not.toContain('kx');
        expect(rules('S-4')).toContain('kx');
    });

    it('writes the tarball under a name of one\'s own when -o ends in .tgz', async () => {
        const before = readFileSync(join(A, 'dist/payrule-examples-cpt-therapy-2026.1.0.tgz'));
        const named = await run(A, 'pack', 'packs/cpt-therapy', '-o', 'dist/catalog.tgz');
        expect(named.code, named.stderr).toBe(0);
        expect(named.stdout).toContain('packed @payrule-examples/cpt-therapy@2026.1.0: dist/catalog.tgz');
        expect(statSync(join(A, 'dist/catalog.tgz')).isFile()).toBe(true);
        // The signed tarball of npm's name in the same folder is left as it was, and nothing else is left behind.
        expect(readFileSync(join(A, 'dist/payrule-examples-cpt-therapy-2026.1.0.tgz')).equals(before)).toBe(true);
        expect(readdirSync(join(A, 'dist')).filter(name => name.startsWith('.payrule-pack-'))).toEqual([]);
    });
});
