import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, FIXTURES, jsonReport, PACKS, payrule } from './run-payrule.js';

describe('payrule compile', () => {
    it('writes the IR as JSON and checking with it gives the same report as the sources', async () => {
        const out = join(mkdtempSync(join(tmpdir(), 'payrule-compile-')), 'policy.json');
        const compiled = await payrule(['compile', PACKS, '-o', out]);
        expect(compiled.code).toBe(0);
        const text = readFileSync(out, 'utf8');
        expect(text.endsWith('}\n')).toBe(true);
        const bundle = JSON.parse(text);
        expect(text).toBe(`${JSON.stringify(bundle, null, 2)}\n`);
        expect(bundle.format).toBe('payrule-ir/1');
        expect(bundle.payers.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['medicare', 'acme-ppo']));

        for (const name of ['sessions.json', 'rejected.csv']) {
            const fromSources = await jsonReport([`${FIXTURES}/${name}`]);
            const fromCompiled = await payrule(['check', '--policy', out, '--format', 'json', ...AS_OF, `${FIXTURES}/${name}`]);
            expect(fromCompiled.code).toBe(fromSources.code);
            expect(fromCompiled.stdout).toBe(fromSources.stdout);
        }
    });

    it('writes to standard output without -o', async () => {
        const run = await payrule(['compile', `${PACKS}/cpt-therapy`]);
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout).codes['97110'].timed).toBe(true);
    });
});
