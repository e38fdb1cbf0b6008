/**
 * Go to definition and find references, within a file (langium/test's expectGoToDefinition and
 * expectFindReferences) and across files and packs (the providers directly).
 */
import { describe, expect, test } from 'vitest';
import { clearDocuments, expectFindReferences, expectGoToDefinition, parseDocument, replaceIndices, textDocumentPositionParams } from 'langium/test';
import { at, packWorkspace } from './lsp-workspace.js';

const { services } = await packWorkspace();
const definition = expectGoToDefinition(services);
const references = expectFindReferences(services);

/** Definitions of the position marked `<|>` in `text`, as "file:line" (1-based). */
async function definitionsAt(text: string, documentUri?: string): Promise<string[]> {
    const { output, indices } = replaceIndices({ text });
    const document = await parseDocument(services, output, documentUri ? { documentUri } : undefined);
    const links = await services.lsp.DefinitionProvider!.getDefinition(document, textDocumentPositionParams(document, indices[0]!)) ?? [];
    await clearDocuments(services, [document]);
    return links.map(link => `${link.targetUri.replace('file:///packs/', '')}:${link.targetSelectionRange.start.line + 1}`);
}

async function referencesAt(text: string, includeDeclaration = true): Promise<string[]> {
    const { output, indices } = replaceIndices({ text });
    const document = await parseDocument(services, output, { documentUri: 'file:///work/clinic.payrule' });
    const found = await services.lsp.ReferencesProvider!.findReferences(document, { ...textDocumentPositionParams(document, indices[0]!), context: { includeDeclaration } });
    await clearDocuments(services, [document]);
    return found.map(location => `${location.uri.replace('file:///packs/', '').replace('file:///work/', '')}:${location.range.start.line + 1}`).sort();
}

describe('go to definition', () => {
    test('within a file: rules named by without and expect finding, code sets, payers', async () => {
        await definition({
            text: `package p
import cpt.therapy
codeset <|strength|> = 97110, 97530
payer <|Base|> id "base" {
    units units-match error pooled
    limit <|cap|> error stren<|>gth at most 4 units per day
}
payer Child id "child" extends Ba<|>se {
    without c<|>ap
}
test "t" {
    session payer "base" discipline PT
        line 97110 minutes 20
    expect finding c<|>ap
}`,
            index: 0, rangeIndex: 0, disposeAfterCheck: true
        });
    });

    test('the same text: each marked use goes to its declaration', async () => {
        const text = `package q
import cpt.therapy
codeset <|strength|> = 97110, 97530
payer <|Base|> id "base" {
    units units-match error pooled
    limit <|cap|> error strength at most 4 units per day
}
payer Child id "child" extends Ba<|>se {
    without c<|>ap
}
test "t" {
    session payer "base" discipline PT
        line 97110 minutes 20
    expect finding c<|>ap
}`;
        await definition({ text, index: 0, rangeIndex: 1, disposeAfterCheck: true });
        await definition({ text, index: 1, rangeIndex: 2, disposeAfterCheck: true });
        await definition({ text, index: 2, rangeIndex: 2, disposeAfterCheck: true });
    });

    test('into the imported packs: payers, inherited rules, codes, modifiers, code sets', async () => {
        const head = 'package clinic\nimport cms.medicare\npayer Clinic id "clinic" extends ';
        expect(await definitionsAt(`${head}Medi<|>care {\n}`)).toEqual([at('medicare', 'payer Medicare id')]);
        expect(await definitionsAt(`${head}Medicare {\n    without k<|>x\n}`)).toEqual([at('medicare', 'threshold kx error')]);
        expect(await definitionsAt(`${head}Medicare {\n    limit l error 975<|>30 at most 2 units per day\n}`)).toEqual([at('catalog', 'code 97530 ')]);
        expect(await definitionsAt(`${head}Medicare {\n    rule r error on every line where code in evalu<|>ations require modifier X<|>U\n}`)).toEqual([at('catalog', 'codeset evaluations ')]);
    });

    test('on an import: the policy file of the package, or the file of the path', async () => {
        expect(await definitionsAt('package clinic\nimport cms.medi<|>care\n')).toEqual([at('medicare', 'package cms.medicare')]);
        expect(await definitionsAt('package clinic\nimpo<|>rt cpt.therapy\n')).toEqual([at('catalog', 'package cpt.therapy')]);
        expect(await definitionsAt('package clinic\nimport "../medicare/medi<|>care.payrule"\n', 'file:///packs/clinic/clinic.payrule'))
            .toEqual([at('medicare', 'package cms.medicare')]);
        expect(await definitionsAt('package clinic\nimport nowhere.to.be.<|>found\n')).toEqual([]);
    });

    test("nowhere for Payrule's own checks, which no policy declares", async () => {
        expect(await definitionsAt('package t\nimport cms.medicare\ntest "t" {\n    session payer "medicare" discipline PT\n        line 97140 minutes 10 modifiers ZZ\n    expect finding unknown-<|>modifier\n}')).toEqual([]);
    });

    test('codes and modifiers of test lines, and the rule an override replaces', async () => {
        expect(await definitionsAt('package t\nimport cms.medicare\ntest "t" {\n    session payer "medicare" discipline PT\n        line 971<|>40 minutes 10\n}')).toEqual([at('catalog', 'code 97140 ')]);
        expect(await definitionsAt('package t\nimport cms.medicare\ntest "t" {\n    session payer "medicare" discipline PT\n        line 97140 minutes 10 modifiers GP, 5<|>9\n}')).toEqual([at('catalog', 'modifier 59 ')]);
        expect(await definitionsAt('package t\nimport cms.medicare\npayer C id "c" extends Medicare {\n    override filing la<|>te error within 90 days of date of service\n}')).toEqual([at('medicare', 'filing late error within 12 months')]);
    });
});

describe('find references', () => {
    test('within a file', async () => {
        await references({
            text: `package r
import cpt.therapy
codeset <|stren<|>gth|> = 97110, 97530
payer Base id "base" {
    units units-match error pooled
    limit cap error <|strength|> at most 4 units per day
    rule r error on every line where code in <|strength|> require modifier GP
}`,
            includeDeclaration: true, disposeAfterCheck: true
        });
    });

    test('a payer across packs: where it is declared and every extends', async () => {
        expect(await referencesAt('package clinic\nimport cms.medicare\npayer Clinic id "clinic" extends Medi<|>care {\n}'))
            .toEqual([at('acme', 'extends Medicare'), 'clinic.payrule:3', at('medicare', 'payer Medicare id'), at('medicare', 'payer Medicare2025')].sort());
    });

    test('a code: rules, code sets, fees and test lines in every file that sees it', async () => {
        expect(await referencesAt(`package clinic
import cms.medicare
payer Clinic id "clinic" extends Medicare {
    fees { 97530 $36.12 }
}
test "t" {
    session payer "clinic" discipline PT
        line 975<|>30 minutes 38
    expect units 97530 = 3
}`, false)).toEqual([
            at('acme', 'limit visit-97530'), 'clinic.payrule:4', 'clinic.payrule:8', 'clinic.payrule:9',
            at('catalog', 'codeset procedures'), at('medicare', 'pair reeval-97530'), at('medicare', 'for 97530, 97110')
        ].sort());
    });

    test("Payrule's own check: every expectation naming it", async () => {
        expect(await referencesAt(`package clinic
import cms.medicare
test "t" {
    session payer "medicare" discipline PT
        line 97140 minutes 10 modifiers ZZ
    expect finding unknown-<|>modifier
    expect no finding unknown-modifier error
}`)).toEqual(['clinic.payrule:6', 'clinic.payrule:7']);
    });

    test('a rule id: the rule, its overrides in other payers and packs, and every without naming them', async () => {
        expect(await referencesAt('package clinic\nimport cms.medicare\npayer Clinic id "clinic" extends Medicare {\n    without k<|>x\n}'))
            .toEqual([at('acme', 'without kx'), 'clinic.payrule:4', at('medicare', 'override threshold kx error'), at('medicare', 'threshold kx error')].sort());
    });
});
