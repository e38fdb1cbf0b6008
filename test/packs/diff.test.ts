/**
 * `payrule diff`: the words a compliance reviewer reads for each kind of change, in text and JSON,
 * between any two policy inputs.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, tempFolder, writeFiles } from './pack-fixtures.js';

const temp = tempFolder('diff');
const dir = temp.dir;

const policy = (body: string, effective = 'effective 2026-01-01 through 2026-12-31') => `package demo.rules version "1.0.0"
import "./codes.payrule"

/** Demo payer. */
payer Demo id "demo" {
    ${effective}
${body}
}
`;

const OLD = `
    units units-match error pooled unit 15 minutes minimum 8 minutes
    limit mue-97530 error 97530 at most 6 units per day
        source "NCCI MUE table"
    pair distinct-97530 error 97530 with 97161, 97162 needs modifier 59 or XU
    filing late error within 12 months of date of service
    threshold kx error "KX needed"
        when allowed this calendar year for PT and SLP exceeds $2,410.00
        require modifier KX
`;

const NEW = `
    units units-match error per-code unit 15 minutes minimum 8 minutes
    limit mue-97530 warning 97530 at most 4 units per visit
        source "NCCI MUE table, 2026"
    pair distinct-97530 error 97530 with 97161, 97162, 97163 needs modifier 59 or XS
    threshold kx error "KX needed"
        when allowed this calendar year for PT and SLP exceeds $2,480.00
        require modifier KX
    authorization prior-auth error after 12 visits per calendar year
`;

beforeAll(() => {
    writeFiles(dir, {
        'package.json': { name: 'diff-demo', private: true },
        'old/rules.payrule': policy(OLD),
        'new/rules.payrule': policy(NEW, 'effective 2026-01-01 through 2027-12-31')
    });
    for (const side of ['old', 'new']) cpSync(join(ROOT, 'examples/packs/cpt-therapy/therapy-codes.payrule'), join(dir, side, 'codes.payrule'));
});

afterAll(() => temp.cleanup());

describe('payrule diff', () => {
    it('says what changed, field by field, in plain words', async () => {
        const result = await run(dir, 'diff', 'old', 'new');
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const lines = result.stdout.split('\n');
        expect(lines).toEqual(expect.arrayContaining([
            'payer demo (Demo, 2026-01-01 through 2027-12-31)',
            '  changed  payer: effective through 2026-12-31 -> 2027-12-31',
            '  changed  units-match: unit method pooled -> per-code',
            '  changed  mue-97530: severity error -> warning',
            '  changed  mue-97530: limit 6 units -> 4 units',
            '  changed  mue-97530: limit period per day -> per visit',
            '  changed  mue-97530: citation "NCCI MUE table" -> "NCCI MUE table, 2026"',
            '  changed  distinct-97530: paired with: added 97163',
            '  changed  distinct-97530: modifiers: added XS; removed XU',
            '  changed  kx: threshold amount $2,410.00 -> $2,480.00',
            '  added    prior-auth: authorization, error: authorization needed after 12 visits a year',
            '  removed  late: filing, error: file within 12 months of the date of service'
        ]));
    });

    it('gives the same as JSON', async () => {
        const result = await run(dir, 'diff', 'old', 'new', '--format', 'json');
        const diff = JSON.parse(result.stdout);
        expect(diff.format).toBe('payrule-diff/1');
        const [payer] = diff.payers;
        expect(payer).toMatchObject({ id: 'demo', status: 'changed' });
        expect(payer.changes).toEqual([{ field: 'effective.through', old: '2026-12-31', new: '2027-12-31', text: 'effective through 2026-12-31 -> 2027-12-31' }]);
        expect(payer.rules.added.map((r: { id: string }) => r.id)).toEqual(['prior-auth']);
        expect(payer.rules.removed.map((r: { id: string }) => r.id)).toEqual(['late']);
        expect(payer.rules.changed.find((r: { id: string }) => r.id === 'kx').changes).toEqual([
            { field: 'amount', old: 2410, new: 2480, text: 'threshold amount $2,410.00 -> $2,480.00' }
        ]);
    });

    it('compares a compiled policy with its sources: nothing changed', async () => {
        const compiled = await run(dir, 'compile', 'old', '-o', 'old.json');
        expect(compiled.code).toBe(0);
        const result = await run(dir, 'diff', 'old.json', 'old');
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('No rule, payer or code changed.');
    });

    it('lists payers added and removed', async () => {
        writeFiles(dir, { 'other/rules.payrule': policy(OLD).replace('payer Demo id "demo"', 'payer Other id "other"') });
        cpSync(join(ROOT, 'examples/packs/cpt-therapy/therapy-codes.payrule'), join(dir, 'other/codes.payrule'));
        const result = await run(dir, 'diff', 'old', 'other');
        expect(result.stdout).toContain('payer demo (Demo, 2026-01-01 through 2026-12-31): removed (it had 5 rules)');
        expect(result.stdout).toContain('payer other (Other, 2026-01-01 through 2026-12-31): added, with 5 rules');
    });

    it('stops with exit 2 on an invalid side', async () => {
        const result = await run(dir, 'diff', 'old', 'nowhere');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("cannot read policy 'nowhere'");
    });
});
