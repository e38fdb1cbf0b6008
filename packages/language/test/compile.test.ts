/** The compiler: each construct lowers to the IR the engine evaluates, with inheritance resolved. */
import { describe, expect, test } from 'vitest';
import { POLICY_FORMAT, runPolicyTests, type LimitRule, type LineRule, type PairRule, type ThresholdRule } from '@payrule/engine';
import { loadPolicySources } from '../src/node/load-policies.js';
import { withCatalog } from './policy-workspace.js';

const BASE = `
package fixture.base version "2.1.0"
import cpt.therapy

/** Base payer. */
payer Base id "base" {
    effective 2026-01-01 through 2026-12-31
    units units-match error pooled source "Pub 100-04 Ch 5 s20.2"
    limit mue error 97530 at most 6 units per day
    limit modalities-day warning supervised-modalities at most 1 unit per visit
    threshold kx error "KX needed" when allowed this calendar year for PT and SLP exceeds $2,480.00 require modifier KX
    pair distinct error 97530 with re-evaluations needs modifier 59 or XU
    rule gp error on every line where code in therapy require modifier GP when discipline is PT
    fees { 97530 $36.12 }
}

payer Child id "child" extends Base {
    override units units-match error per-code unit 15 minutes minimum 8 minutes
    without kx
    limit visit-97530 warning 97530 at most 4 units per visit
    fees { 97110 $30.00 }
}
`;

describe('compiler', () => {
    test('writes a versioned bundle with the catalog, packages and payers', async () => {
        const bundle = (await withCatalog({ 'base.payrule': BASE })).compile();
        expect(bundle.format).toBe(POLICY_FORMAT);
        expect(bundle.codes['97530']).toMatchObject({ timed: true, disciplines: ['PT', 'OT'] });
        expect(bundle.codes['97161'].timed).toBe(false);
        expect(bundle.modifiers.KX).toMatch(/threshold/);
        expect(bundle.packages).toContainEqual({ name: 'fixture.base', version: '2.1.0', payers: ['base', 'child'] });
        const base = bundle.payers.find(p => p.name === 'Base')!;
        expect(base).toMatchObject({ id: 'base', package: 'fixture.base', doc: 'Base payer.', effective: { from: '2026-01-01', through: '2026-12-31' } });
        expect(base.location).toEqual({ file: 'base.payrule', line: 6, column: 1 });
    });

    test('each rule carries id, severity, citation and source location', async () => {
        const bundle = (await withCatalog({ 'base.payrule': BASE })).compile();
        const rules = bundle.payers.find(p => p.name === 'Base')!.rules;
        expect(rules[0]).toEqual({
            id: 'units-match', kind: 'units', severity: 'error', citation: 'Pub 100-04 Ch 5 s20.2',
            location: { file: 'base.payrule', line: 8, column: 5 },
            method: 'pooled', unitMinutes: 15, minimumMinutes: 8, underSeverity: 'warning'
        });
        const modalities = rules.find(r => r.id === 'modalities-day') as LimitRule;
        expect(modalities.codes).toEqual(['97010', '97012', '97014', '97016', '97018', '97022', '97024', '97026', '97028', 'G0283']);
        expect(modalities).toMatchObject({ measure: 'units', max: 1, period: 'visit' });
        expect(rules.find(r => r.id === 'kx') as ThresholdRule).toMatchObject({ disciplines: ['PT', 'SLP'], amount: 2480, modifiers: ['KX'], message: 'KX needed' });
        expect(rules.find(r => r.id === 'distinct') as PairRule).toMatchObject({ codes: ['97530'], with: ['97164', '97168'], modifiers: ['59', 'XU'] });
        const gp = rules.find(r => r.id === 'gp') as LineRule;
        expect(gp.scope).toBe('line');
        expect(gp.clauses[0]).toMatchObject({
            type: 'require-modifier', modifiers: ['GP'],
            when: { kind: 'binary', op: '=', left: { kind: 'field', path: 'discipline' }, right: { kind: 'literal', value: 'PT' } }
        });
        expect(gp.where).toMatchObject({ kind: 'in', value: { kind: 'field', path: 'code' }, set: { kind: 'codes' } });
    });

    test('a child payer inherits, overrides in place, drops and adds rules; fees merge', async () => {
        const bundle = (await withCatalog({ 'base.payrule': BASE })).compile();
        const child = bundle.payers.find(p => p.name === 'Child')!;
        expect(child.rules.map(r => r.id)).toEqual(['units-match', 'mue', 'modalities-day', 'distinct', 'gp', 'visit-97530']);
        expect(child.rules[0]).toMatchObject({ method: 'per-code', location: { line: 18 } });
        expect(child.rules[0].inheritedFrom).toBeUndefined();
        expect(child.rules[1]).toMatchObject({ inheritedFrom: 'Base', location: { file: 'base.payrule', line: 9 } });
        expect(child.extends).toBe('Base');
        expect(child.fees).toEqual({ '97530': 36.12, '97110': 30 });
    });

    test('general conditions lower to expressions', async () => {
        const bundle = (await withCatalog({
            'exprs.payrule': `package fixture.exprs
import cpt.therapy
payer E id "e" {
    units u error pooled
    rule long warning "Over {total} minutes" when sum(minutes where timed) > 120 and not (discipline in (OT, SLP))
    rule kx-line error on every line where has modifier KX, GA require that allowed >= 0
}`
        })).compile();
        const [, long, kxLine] = bundle.payers[0].rules as LineRule[];
        expect(long.when).toEqual({
            kind: 'binary', op: 'and',
            left: { kind: 'binary', op: '>', left: { kind: 'aggregate', fn: 'sum', value: { kind: 'field', path: 'minutes' }, where: { kind: 'field', path: 'timed' } }, right: { kind: 'literal', value: 120 } },
            right: { kind: 'not', operand: { kind: 'in', value: { kind: 'field', path: 'discipline' }, set: { kind: 'list', items: [{ kind: 'literal', value: 'OT' }, { kind: 'literal', value: 'SLP' }] } } }
        });
        expect(kxLine.where).toEqual({ kind: 'has-modifier', modifiers: ['KX', 'GA'] });
        expect(kxLine.clauses[0]).toMatchObject({ type: 'require', text: 'allowed >= 0', condition: { op: '>=' } });
    });

    test("expectations of Payrule's own check lower to its id and run like any rule's", async () => {
        const bundle = (await withCatalog({
            'own.payrule': `package fixture.own
import cpt.therapy
payer P id "p" {
    units u error pooled
}
test "raised" {
    session payer "p" discipline PT
        line 97530 minutes 38 modifiers GP, ZZ
    expect finding unknown-modifier warning containing "zz on 97530"
    expect no finding unknown-modifier error
}
test "not raised" {
    session payer "p" discipline PT
        line 97530 minutes 38 modifiers GP
    expect finding unknown-modifier
    expect no finding unknown-modifier
}`
        })).compile();
        const [raised, notRaised] = bundle.tests!;
        expect(raised!.expectations).toEqual([
            { kind: 'finding', rule: 'unknown-modifier', absent: false, severity: 'warning', text: 'zz on 97530', location: { file: 'own.payrule', line: 9, column: 5 } },
            { kind: 'finding', rule: 'unknown-modifier', absent: true, severity: 'error', location: { file: 'own.payrule', line: 10, column: 5 } }
        ]);
        const run = runPolicyTests(bundle);
        expect(run.outcomes.map(outcome => [outcome.test.name, outcome.passed, outcome.failures.map(failure => failure.message)])).toEqual([
            ['raised', true, []],
            ['not raised', false, ['expected finding of unknown-modifier, got no findings at all']]
        ]);
        expect(notRaised!.expectations[1]).toMatchObject({ rule: 'unknown-modifier', absent: true });
    });

    test('the example packs load from disk, imports followed, with no errors or warnings', async () => {
        const loaded = await loadPolicySources(['examples/packs/acme-ppo']);
        expect(loaded.diagnostics).toEqual([]);
        // The named pack first, then the packs its imports found (test files of those packs come along).
        expect(loaded.files[0]).toBe('examples/packs/acme-ppo/acme-ppo.payrule');
        expect(loaded.files).toEqual(expect.arrayContaining([
            'examples/packs/medicare/medicare.payrule',
            'examples/packs/cpt-therapy/therapy-codes.payrule'
        ]));
        expect(loaded.bundle!.payers.map(p => p.id)).toEqual(['acme-ppo', 'medicare', 'medicare']);
    });
});
