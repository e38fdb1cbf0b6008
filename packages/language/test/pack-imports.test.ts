/**
 * How the loader follows imports on disk: files by relative path, packages in pack folders nearby
 * and in node_modules (walking up as Node does), installed packs by npm name; and what it never
 * does: search the workspace for an installed pack, wander out of the project, read a refused pack.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicySources } from '../src/node/load-policies.js';
import { CATALOG } from './policy-workspace.js';

const root = mkdtempSync(join(tmpdir(), 'payrule-imports-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

const catalog = readFileSync(CATALOG, 'utf8');

function folder(files: Record<string, string | object>): string {
    const dir = join(root, `case-${++count}`);
    for (const [path, content] of Object.entries(files)) {
        const file = join(dir, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    }
    return dir;
}

const manifest = (name: string, packages: string[], extra: object = {}) => ({ name, version: '1.0.0', payrule: { language: '1', packages, ...extra } });
const payer = (pkg: string, imports: string, body = '') => `package ${pkg}\n${imports}\n\npayer P${count} id "p${count}" {\n    units units-match error pooled\n${body}}\n`;
const errors = (loaded: Awaited<ReturnType<typeof loadPolicySources>>) => loaded.diagnostics.filter(d => d.severity === 'error').map(d => `${d.file}:${d.line}: ${d.message}`);

describe('imports on disk', () => {
    it('loads a file imported by relative path, and links its names', async () => {
        const dir = folder({
            'package.json': { name: 'project', private: true },
            'policies/payer.payrule': 'package local.rules\nimport "./shared/codes.payrule"\n\npayer Local id "local" {\n    units units-match error pooled\n    limit cap error 97110 at most 4 units per day\n}\n',
            'policies/shared/codes.payrule': catalog
        });
        const loaded = await loadPolicySources([join(dir, 'policies/payer.payrule')], { cwd: dir });
        expect(errors(loaded)).toEqual([]);
        expect(loaded.files).toEqual(['policies/payer.payrule', 'policies/shared/codes.payrule']);
        expect(loaded.bundle?.codes['97110']).toBeDefined();
    });

    it('a file of the same package imported by path is not a cycle, and is what brings that file in', async () => {
        const dir = folder({
            'package.json': { name: 'project', private: true },
            'policies/gd.payrule': 'package gd\nimport "./gd-codes.payrule"\n\npayer Gd id "gd" {\n    units units-match error pooled\n    limit cap error strength at most 4 units per day\n}\n',
            'policies/gd-codes.payrule': 'package gd\nimport "./shared/codes.payrule"\n\ncodeset strength = 97110, 97530\n',
            'policies/shared/codes.payrule': catalog
        });
        const loaded = await loadPolicySources([join(dir, 'policies/gd.payrule')], { cwd: dir });
        expect(errors(loaded)).toEqual([]);
        expect(loaded.diagnostics.filter(d => d.severity === 'warning')).toEqual([]);
        expect(loaded.bundle).toBeDefined();
    });

    it('finds a package in node_modules above the importing file, and a pack\'s dependency in its own node_modules first', async () => {
        const dir = folder({
            'package.json': { name: 'project', private: true },
            'policies/payer.payrule': payer('local.rules', 'import cms.base'),
            'node_modules/@s/base/package.json': manifest('@s/base', ['cms.base']),
            'node_modules/@s/base/base.payrule': 'package cms.base\nimport cpt.therapy\n',
            // The base pack's own copy of the catalog (version 2), and another one at the top (version 1).
            'node_modules/@s/base/node_modules/@s/codes/package.json': manifest('@s/codes', ['cpt.therapy']),
            'node_modules/@s/base/node_modules/@s/codes/codes.payrule': catalog.replace(/version "[^"]+"/, 'version "2.0.0"'),
            'node_modules/@s/codes/package.json': manifest('@s/codes', ['cpt.therapy']),
            'node_modules/@s/codes/codes.payrule': catalog.replace(/version "[^"]+"/, 'version "1.0.0"')
        });
        const loaded = await loadPolicySources([join(dir, 'policies')], { cwd: dir });
        expect(errors(loaded)).toEqual([]);
        expect(loaded.files).toContain('node_modules/@s/base/node_modules/@s/codes/codes.payrule');
        expect(loaded.files).not.toContain('node_modules/@s/codes/codes.payrule');
        expect(loaded.packs.map(pack => pack.root.slice(dir.length + 1))).toEqual(['node_modules/@s/base', 'node_modules/@s/base/node_modules/@s/codes']);
    });

    it('resolves import "@scope/name" to an installed pack and sees its declarations', async () => {
        const dir = folder({
            'package.json': { name: 'project', private: true },
            'policies/payer.payrule': 'package local.rules\nimport "@s/codes"\n\npayer Local id "local" {\n    units units-match error pooled\n    limit cap error 97110 at most 4 units per day\n}\n',
            'node_modules/@s/codes/package.json': manifest('@s/codes', ['cpt.therapy']),
            'node_modules/@s/codes/codes.payrule': catalog
        });
        const loaded = await loadPolicySources([join(dir, 'policies')], { cwd: dir });
        expect(errors(loaded)).toEqual([]);
        expect(loaded.files).toContain('node_modules/@s/codes/codes.payrule');
    });

    it('never resolves an installed pack\'s imports from the project\'s own folders', async () => {
        const dir = folder({
            'package.json': { name: 'project', private: true },
            'policies/payer.payrule': payer('local.rules', 'import cms.base'),
            // A project folder that happens to declare the package the installed pack imports.
            'lookalike/codes.payrule': 'package cpt.therapy\n',
            'node_modules/@s/base/package.json': manifest('@s/base', ['cms.base']),
            'node_modules/@s/base/base.payrule': 'package cms.base\nimport cpt.therapy\n'
        });
        const loaded = await loadPolicySources([join(dir, 'policies')], { cwd: dir });
        expect(loaded.files).not.toContain('lookalike/codes.payrule');
        expect(errors(loaded)).toEqual([expect.stringContaining("node_modules/@s/base/base.payrule:2: Cannot find the package 'cpt.therapy'")]);
    });

    it('searches pack folders nearby, but not beyond the project\'s root', async () => {
        const outer = folder({
            'neighbour/codes.payrule': catalog,
            'project/package.json': { name: 'project', private: true },
            'project/policies/payer.payrule': payer('local.rules', 'import cpt.therapy')
        });
        const loaded = await loadPolicySources([join(outer, 'project/policies')], { cwd: join(outer, 'project') });
        expect(errors(loaded)).toEqual([expect.stringContaining("Cannot find the package 'cpt.therapy'")]);
    });

    it('takes a dependency the pack declares and has installed before a copy of the package in a folder nearby', async () => {
        const outer = folder({
            // A copy left beside the pack (a download, a temporary folder), of another edition.
            'old-copy/codes.payrule': catalog.replace(/version "[^"]+"/, 'version "0.9.0"'),
            'contract/package.json': { ...manifest('@s/contract', ['clinic.contract']), dependencies: { '@s/codes': '^1.0.0' } },
            'contract/contract.payrule': payer('clinic.contract', 'import cpt.therapy'),
            'contract/node_modules/@s/codes/package.json': manifest('@s/codes', ['cpt.therapy']),
            'contract/node_modules/@s/codes/codes.payrule': catalog
        });
        const loaded = await loadPolicySources([join(outer, 'contract')], { cwd: outer });
        expect(errors(loaded)).toEqual([]);
        expect(loaded.files).toContain('contract/node_modules/@s/codes/codes.payrule');
        expect(loaded.files).not.toContain('old-copy/codes.payrule');
    });

    it('refuses to choose among copies of a package in several folders nearby, naming them', async () => {
        const outer = folder({
            'copy-a/codes.payrule': catalog,
            'copy-b/codes.payrule': catalog,
            'contract/package.json': manifest('@s/contract', ['clinic.contract']),
            'contract/contract.payrule': payer('clinic.contract', 'import cpt.therapy')
        });
        const loaded = await loadPolicySources([join(outer, 'contract')], { cwd: outer });
        expect(loaded.files).toEqual(['contract/contract.payrule']);
        expect(errors(loaded)).toContain("contract/contract.payrule:2: Package 'cpt.therapy' is in several folders near this file: copy-a, copy-b. "
            + 'Keep one of them, or name the one you mean with --policy.');
    });

    it('loads a package spread over sibling folders (codes in one, payers in another) whole: they are no copies', async () => {
        const outer = folder({
            'shared-codes/codes.payrule': 'package clinic.shared\nimport "./therapy.payrule"\n\ncodeset hands-on = 97140, 97530\n',
            'shared-codes/therapy.payrule': catalog,
            'shared-payers/payers.payrule': 'package clinic.shared\n\npayer Shared id "shared" {\n    units units-match error pooled\n    limit cap error hands-on at most 4 units per day\n}\n',
            'contract/package.json': manifest('@s/contract', ['clinic.contract']),
            'contract/contract.payrule': payer('clinic.contract', 'import clinic.shared')
        });
        const loaded = await loadPolicySources([join(outer, 'contract')], { cwd: outer });
        expect(errors(loaded)).toEqual([]);
        expect(loaded.files).toEqual(expect.arrayContaining(['shared-codes/codes.payrule', 'shared-payers/payers.payrule']));
    });

    it('reports a pack the caller refuses at the import, and reads none of its files', async () => {
        const dir = folder({
            'package.json': { name: 'project', private: true },
            'policies/payer.payrule': payer('local.rules', 'import cpt.therapy'),
            'node_modules/@s/codes/package.json': manifest('@s/codes', ['cpt.therapy']),
            'node_modules/@s/codes/codes.payrule': catalog
        });
        const loaded = await loadPolicySources([join(dir, 'policies')], {
            cwd: dir,
            checkPack: pack => `${pack.name} is not welcome here.`
        });
        expect(loaded.files).toEqual(['policies/payer.payrule']);
        expect(errors(loaded)).toEqual(['policies/payer.payrule:2: @s/codes is not welcome here.']);
    });

    it('loads only the sources a pack\'s manifest lists', async () => {
        const dir = folder({
            'package.json': manifest('@s/codes', ['cpt.therapy'], { sources: ['src/*.payrule'] }),
            'src/codes.payrule': catalog,
            'drafts/draft.payrule': 'package cpt.therapy\nthis is not valid\n'
        });
        const loaded = await loadPolicySources([dir], { cwd: dir });
        expect(errors(loaded)).toEqual([]);
        expect(loaded.files).toEqual(['src/codes.payrule']);
    });
});
