/** Completion that knows the domain, checked with langium/test's expectCompletion. */
import { describe, expect, test } from 'vitest';
import { URI } from 'langium';
import { clearDocuments, expectCompletion } from 'langium/test';
import type { CompletionItem, CompletionList } from 'vscode-languageserver';
import { packWorkspace } from './lsp-workspace.js';

const { services } = await packWorkspace();
const complete = expectCompletion(services);
const PAYER = 'package t\nimport cms.medicare\npayer Clinic id "clinic" extends Medicare {\n';
const TEST = 'package t\nimport cms.medicare\ntest "t" {\n    session payer "medicare" discipline PT\n';

function item(list: CompletionList, label: string): CompletionItem {
    const found = list.items.find(i => i.label === label);
    expect(found, `no completion '${label}' among ${list.items.map(i => i.label).join(', ')}`).toBeDefined();
    return found!;
}

function markdown(item: CompletionItem): string {
    return typeof item.documentation === 'string' ? item.documentation : item.documentation?.value ?? '';
}

describe('completion', () => {
    test('payer members: the rule keywords, nothing that is only a name', async () => {
        await complete({
            text: `${PAYER}    <|>`, index: 0, disposeAfterCheck: true,
            expectedItems: ['effective', 'without', 'fees', 'override', 'units', 'limit', 'rule', 'threshold', 'pair', 'documentation', 'consistency', 'filing', 'authorization']
        });
    });

    test('no keywords where a rule id goes, though ids may be spelled like keywords', async () => {
        await complete({ text: `${PAYER}    limit <|>`, index: 0, disposeAfterCheck: true, expectedItems: [] });
    });

    test('codes come with their summary and whether they are timed', async () => {
        await complete({
            text: `${PAYER}    limit mue error <|>`, index: 0, disposeAfterCheck: true,
            assert: list => {
                const code = item(list, '97530');
                expect(code.detail).toBe('timed · PT, OT');
                expect(code.labelDetails?.description).toMatch(/^Therapeutic activities/);
                expect(markdown(code)).toContain('timed: billed in units of minutes');
                expect(item(list, '97150').detail).toBe('untimed · PT, OT, SLP');
                expect(item(list, 'therapy').detail).toBe('code set');
            }
        });
    });

    test('modifiers come with their meaning', async () => {
        await complete({
            text: `${PAYER}    rule r error on every line require modifier <|>`, index: 0, disposeAfterCheck: true,
            assert: list => {
                expect(list.items.map(i => i.label)).toEqual(['GP', 'GO', 'GN', 'KX', 'CQ', 'CO', '59', 'XE', 'XS', 'XP', 'XU', '52']);
                expect(item(list, 'KX').detail).toMatch(/above the yearly therapy threshold/);
                expect(item(list, 'XU').detail).toMatch(/^Unusual service/);
            }
        });
    });

    test('codes and modifiers in test lines, which are not cross-references', async () => {
        await complete({
            text: `${TEST}        line 9716<|>`, index: 0, disposeAfterCheck: true,
            assert: list => {
                expect(item(list, '97161').detail).toBe('untimed · PT');
                expect(list.items.some(i => i.label === 'therapy')).toBe(false);
            }
        });
        await complete({
            text: `${TEST}        line 97530 minutes 38 modifiers GP, <|>`, index: 0, disposeAfterCheck: true,
            assert: list => expect(item(list, 'CQ').detail).toMatch(/physical therapist assistant/)
        });
    });

    test('note element names already used in the workspace', async () => {
        await complete({
            text: `${PAYER}    documentation d error for 97530 requires <|>`, index: 0, disposeAfterCheck: true,
            expectedItems: ['activities', 'functional-goals', 'patient-response', 'total-timed-minutes']
        });
        await complete({
            text: `${PAYER}    rule r warning when note.<|>`, index: 0, disposeAfterCheck: true,
            expectedItems: ['note.activities', 'note.functional-goals', 'note.patient-response', 'note.total-timed-minutes']
        });
    });

    test('condition fields with their scope', async () => {
        await complete({
            text: `${PAYER}    rule r warning on every line when assis<|>`, index: 0, disposeAfterCheck: true,
            assert: list => expect(item(list, 'assistantMinutes').detail).toBe('line field · number')
        });
    });

    test("after extra., only the export's own column names the workspace uses, no session fields", async () => {
        const extras = await services.shared.workspace.LangiumDocumentFactory.fromString(
            `${TEST}        line 97530 minutes 38\n        extra poc_certified_through "2026-12-31"\n}\n`, URI.parse('file:///work/extras.payrule'));
        services.shared.workspace.LangiumDocuments.addDocument(extras);
        await services.shared.workspace.DocumentBuilder.build([extras]);
        try {
            await complete({
                text: `${PAYER}    rule r warning when extra.<|>`, index: 0, disposeAfterCheck: true,
                expectedItems: ['extra.poc_certified_through']
            });
            await complete({
                text: `${PAYER}    rule r warning when extra.po<|>`, index: 0, disposeAfterCheck: true,
                expectedItems: ['extra.poc_certified_through']
            });
        } finally {
            await clearDocuments(services, [extras]);
        }
    });

    test('payer names after extends (not the payer itself), with their id', async () => {
        await complete({
            text: 'package t\nimport cms.medicare\npayer Clinic id "clinic" extends <|>', index: 0, disposeAfterCheck: true,
            assert: list => {
                expect(list.items.map(i => i.label)).toEqual(['Medicare', 'Medicare2025']);
                expect(item(list, 'Medicare').detail).toBe('payer id "medicare"');
            }
        });
    });

    test('inherited rule ids after without, and after override of the same kind', async () => {
        await complete({
            text: `${PAYER}    without kx<|>`, index: 0, disposeAfterCheck: true,
            assert: list => {
                const kx = item(list, 'kx');
                expect(kx.detail).toBe('threshold · error · Medicare');
                expect(markdown(kx)).toContain('Source: SSA 1833(g)');
            }
        });
        await complete({
            text: `${PAYER}    override threshold <|>`, index: 0, disposeAfterCheck: true,
            expectedItems: ['kx', 'kx-ot', 'review-ot', 'review-pt-slp']
        });
        await complete({
            text: `${PAYER}    override filing <|>`, index: 0, disposeAfterCheck: true, expectedItems: ['late']
        });
    });

    test('package names after import', async () => {
        await complete({ text: 'package t\nimport <|>', index: 0, disposeAfterCheck: true, expectedItems: ['acme.ppo', 'cms.medicare', 'cpt.therapy'] });
    });

    test('after import, not the packages the file already imports', async () => {
        await complete({
            text: 'package t\nimport cpt.therapy\nimport <|>\nimport acme.ppo\n', index: 0, disposeAfterCheck: true, expectedItems: ['cms.medicare']
        });
        // The import being written is no import yet: its package is still proposed.
        await complete({ text: 'package t\nimport cpt.therapy<|>', index: 0, disposeAfterCheck: true, assert: list => item(list, 'cpt.therapy') });
    });

    test('payer ids in test sessions, and rules after expect finding', async () => {
        await complete({
            text: 'package sessions\nimport acme.ppo\ntest "t" {\n    session payer <|>', index: 0, disposeAfterCheck: true,
            expectedItems: ['"acme-ppo"', '"medicare"']
        });
        await complete({
            text: 'package t\nimport acme.ppo\ntest "t" {\n    session payer "acme-ppo" discipline PT\n        line 97530 minutes 38\n    expect finding visit<|>', index: 0, disposeAfterCheck: true,
            assert: list => expect(item(list, 'visit-97530').detail).toBe('limit · warning · AcmePPO')
        });
    });

    test("Payrule's own checks after expect finding, after the payer's rules", async () => {
        const head = 'package t\nimport acme.ppo\ntest "t" {\n    session payer "acme-ppo" discipline PT\n        line 97530 minutes 38 modifiers ZZ\n';
        await complete({
            text: `${head}    expect finding <|>`, index: 0, disposeAfterCheck: true,
            assert: list => {
                const own = item(list, 'unknown-modifier');
                expect(own.detail).toBe("Payrule's own check · warning");
                expect(markdown(own)).toMatch(/^\*\*unknown-modifier\*\* · warning · Payrule's own check\n\nA claim line carries a modifier that no loaded package declares/);
                expect(item(list, 'visit-97530').detail).toBe('limit · warning · AcmePPO');
                const labels = [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map(i => i.label);
                expect(labels.at(-1)).toBe('unknown-modifier');
            }
        });
        await complete({
            text: `${head}    expect no finding unknown<|>`, index: 0, disposeAfterCheck: true,
            assert: list => expect(list.items.map(i => i.label)).toContain('unknown-modifier')
        });
    });

    test("Payrule's own checks are not offered where a payer drops a rule", async () => {
        await complete({
            text: `${PAYER}    without <|>`, index: 0, disposeAfterCheck: true,
            assert: list => {
                expect(item(list, 'kx').detail).toBe('threshold · error · Medicare');
                expect(list.items.map(i => i.label)).not.toContain('unknown-modifier');
            }
        });
    });

    test('after without and override, not the ids the payer already drops or overrides', async () => {
        const kxOverridden = '    override threshold kx error when allowed this calendar year for PT and SLP exceeds $2,410.00 require modifier KX source "s"\n';
        await complete({
            text: `${PAYER}    without review-ot\n${kxOverridden}    without <|>\n}\n`, index: 0, disposeAfterCheck: true,
            assert: list => {
                const labels = list.items.map(i => i.label);
                expect(labels).toContain('kx-ot');
                expect(labels).toContain('review-pt-slp');
                expect(labels).not.toContain('kx');
                expect(labels).not.toContain('review-ot');
            }
        });
        await complete({
            text: `${PAYER}    override threshold <|>\n    without review-ot\n${kxOverridden}}\n`, index: 0, disposeAfterCheck: true,
            expectedItems: ['kx-ot', 'review-pt-slp']
        });
        // The id being written is no drop yet: it is still proposed.
        await complete({ text: `${PAYER}    without review-ot<|>\n}\n`, index: 0, disposeAfterCheck: true, assert: list => item(list, 'review-ot') });
    });
});
