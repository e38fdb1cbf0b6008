/**
 * One copy of each package per run: an import that would find another copy than the one the run
 * already uses (another version installed for one pack) says so, rather than let the order of the
 * imports silently pick the edition a payer is checked against.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, run, tempFolder, writeFiles } from './pack-fixtures.js';

const temp = tempFolder('copies');
afterAll(() => temp.cleanup());

/** A project whose policy imports the catalog and pack @x/b, which has its own copy of the catalog installed beside it. */
function project(name: string, editNested: (text: string) => string): string {
    const dir = join(temp.dir, name);
    const catalog = join(ROOT, 'examples/packs/cpt-therapy');
    const nested = join(dir, 'node_modules/@x/b/node_modules/@payrule-examples/cpt-therapy');
    cpSync(catalog, join(dir, 'node_modules/@payrule-examples/cpt-therapy'), { recursive: true });
    cpSync(catalog, nested, { recursive: true });
    const codes = join(nested, 'therapy-codes.payrule');
    writeFileSync(codes, editNested(readFileSync(codes, 'utf8')));
    writeFiles(dir, {
        'package.json': { name, version: '1.0.0', private: true },
        'node_modules/@x/b/package.json': {
            name: '@x/b', version: '1.0.0', dependencies: { '@payrule-examples/cpt-therapy': '^2026.1.0' }, payrule: { language: '1', packages: ['b.pack'] }
        },
        'node_modules/@x/b/b.payrule': 'package b.pack version "1.0.0"\nimport cpt.therapy\n\npayer BPlan id "b-plan" {\n    units units-match error pooled\n}\n',
        'policies/c.payrule': 'package c.plan\nimport cpt.therapy\nimport b.pack\n\npayer CPlan id "c-plan" extends BPlan {\n    limit v warning 97530 at most 4 units per visit\n}\n'
    });
    return dir;
}

describe('a package found in two places', () => {
    it('warns at the import that would find the other copy, naming both', async () => {
        const dir = project('edited', text => text.replace('code 97530 timed', 'code 97530 untimed'));
        const compiled = await run(dir, 'compile', 'policies', '-o', 'out.json');
        expect(compiled.code).toBe(0);
        expect(compiled.stderr).toContain('node_modules/@x/b/b.payrule:2:1: warning: Package cpt.therapy is also in @payrule-examples/cpt-therapy 2026.1.0 '
            + '(node_modules/@x/b/node_modules/@payrule-examples/cpt-therapy), which this import would find, but the run already uses '
            + '@payrule-examples/cpt-therapy 2026.1.0 (node_modules/@payrule-examples/cpt-therapy): a run holds one copy of each package');
    });

    it('says nothing when the two copies hold the same files', async () => {
        const dir = project('same', text => text);
        const compiled = await run(dir, 'compile', 'policies', '-o', 'out.json');
        expect(compiled.code).toBe(0);
        expect(compiled.stderr).not.toContain('warning');
    });

    it('uses a copy named on the command line without a word: that copy is the user\'s choice', async () => {
        const dir = project('named', text => text.replace('code 97530 timed', 'code 97530 untimed'));
        const compiled = await run(dir, 'compile', 'policies', 'node_modules/@x/b/node_modules/@payrule-examples/cpt-therapy', '-o', 'out.json');
        expect(compiled.code).toBe(0);
        expect(compiled.stderr).not.toContain('warning');
        expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).codes['97530'].timed).toBe(false);
    });

    it('warns when two packs loaded together import the package, each finding another copy', async () => {
        // Neither the policy nor anything before imports the catalog: a.pack and b.pack reach it in the same round of imports.
        const dir = project('two-dependents', text => text.replace('code 97530 timed', 'code 97530 untimed'));
        writeFiles(dir, {
            'node_modules/@x/a/package.json': { name: '@x/a', version: '1.0.0', payrule: { language: '1', packages: ['a.pack'] } },
            'node_modules/@x/a/a.payrule': 'package a.pack version "1.0.0"\nimport cpt.therapy\n\npayer APlan id "a-plan" {\n    units units-match error pooled\n}\n',
            'policies/c.payrule': 'package c.plan\nimport a.pack\nimport b.pack\n\npayer CPlan id "c-plan" extends BPlan {\n    limit v warning 97530 at most 4 units per visit\n}\n'
        });
        const compiled = await run(dir, 'compile', 'policies', '-o', 'out.json');
        expect(compiled.code, compiled.stderr).toBe(0);
        expect(compiled.stderr).toContain('node_modules/@x/b/b.payrule:2:1: warning: Package cpt.therapy is also in');
        // One copy only: the catalog's codes are those of the copy named in the warning as used.
        expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).codes['97530'].timed).toBe(true);
    });
});
