/**
 * `payrule test` on a policy whose tests expect Payrule's own check (`unknown-modifier`), which no
 * policy declares: it links, and the tests pass or fail on what the engine finds.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKS, ROOT, payrule } from './run-payrule.js';

const dir = mkdtempSync(join(tmpdir(), 'payrule-own-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder with the code catalog and a policy with one test whose session bills `modifiers`, expecting `expectation`. */
function policy(name: string, modifiers: string, expectation: string): string {
    const folder = join(dir, name);
    cpSync(join(ROOT, PACKS, 'cpt-therapy'), join(folder, 'cpt-therapy'), { recursive: true });
    writeFileSync(join(folder, 'clinic.payrule'), `package clinic
import cpt.therapy
payer Clinic id "clinic" {
    units units-match error pooled
}
test "own check" {
    session payer "clinic" discipline PT
        line 97530 minutes 38 modifiers ${modifiers}
    ${expectation}
}
`);
    return folder;
}

describe("payrule test: Payrule's own check", () => {
    it('passes when the engine raises the warning the test expects', async () => {
        const run = await payrule(['test', '.'], { cwd: policy('raised', 'GP, ZZ', 'expect finding unknown-modifier warning containing "ZZ"') });
        expect(run.stdout).toContain('1 passed, 0 failed');
        expect(run.stderr).not.toMatch(/error/);
        expect(run.code).toBe(0);
    });

    it('passes when no warning is expected and none is raised', async () => {
        const run = await payrule(['test', '.'], { cwd: policy('clean', 'GP', 'expect no finding unknown-modifier') });
        expect(run.stdout).toContain('1 passed, 0 failed');
        expect(run.code).toBe(0);
    });

    it('fails, saying what it found, when the warning is not raised: a failed test (exit 1), not an invalid policy (exit 2)', async () => {
        const run = await payrule(['test', '.'], { cwd: policy('missing', 'GP', 'expect finding unknown-modifier') });
        expect(run.stdout).toContain('0 passed, 1 failed');
        expect(run.stdout).toContain('expected finding of unknown-modifier, got no findings at all');
        expect(run.stderr).toBe('');
        expect(run.code).toBe(1);
    });

    it('a misspelt rule id is still an error', async () => {
        const run = await payrule(['test', '.'], { cwd: policy('misspelt', 'GP, ZZ', 'expect finding unknown-modifer') });
        expect(run.stderr).toContain("clinic.payrule:9:20: error: Unknown rule 'unknown-modifer'. Did you mean unknown-modifier?");
        expect(run.code).toBe(2);
    });
});
