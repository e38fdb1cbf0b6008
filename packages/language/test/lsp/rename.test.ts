/**
 * Rename through the RenameProvider: a rule id with its overrides and every without / expect
 * finding naming it, across files; a code set with its uses in rules and conditions.
 */
import { describe, expect, test } from 'vitest';
import { clearDocuments, parseDocument, replaceIndices, textDocumentPositionParams } from 'langium/test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { URI, type LangiumDocument } from 'langium';
import type { PayruleServices } from '../../src/payrule-module.js';
import { packWorkspace } from './lsp-workspace.js';

const BASE = `package base
import cpt.therapy
codeset strength = 97110, 97530
payer Base id "base" {
    units units-match error pooled
    limit cap error strength at most 4 units per day
    rule strength-gp error on every line where code in strength require modifier GP
}
`;
const CHILD = `package child
import base
payer Child id "child" extends Base {
    override limit cap warning strength at most 3 units per day
}
payer Grandchild id "grandchild" extends Child {
    without cap
}
test "the cap" {
    session payer "child" discipline PT
        line 97530 minutes 70
    expect finding cap
}
`;

const { services } = await packWorkspace({ 'base.payrule': BASE, 'child.payrule': CHILD });
const documents = services.shared.workspace.LangiumDocuments;

/** Renames at the `<|>` in the given file of the workspace; returns every file's text after the edit. */
async function renameAt(file: string, marked: string, newName: string): Promise<Record<string, string>> {
    const uri = `file:///work/${file}`;
    const { output, indices } = replaceIndices({ text: marked });
    const document = documents.all.find(d => d.uri.toString() === uri)!;
    expect(output, 'the marked text is the file as loaded').toBe(document.textDocument.getText());
    const edit = await services.lsp.RenameProvider!.rename(document, { ...textDocumentPositionParams(document, indices[0]!), newName });
    return applyWorkspaceEdit(edit);
}

function applyWorkspaceEdit(edit: WorkspaceEdit | undefined): Record<string, string> {
    const result: Record<string, string> = {};
    for (const document of documents.all) {
        const edits: TextEdit[] = edit?.changes?.[document.uri.toString()] ?? [];
        const name = document.uri.path.split('/').pop()!;
        result[name] = TextDocument.applyEdits(document.textDocument, edits);
    }
    return result;
}

describe('rename', () => {
    test('a rule id, from its first declaration: overrides, without and expect finding follow', async () => {
        const after = await renameAt('base.payrule', BASE.replace('limit cap', 'limit c<|>ap'), 'daily-cap');
        expect(after['base.payrule']).toContain('limit daily-cap error strength');
        expect(after['child.payrule']).toBe(CHILD.replace('override limit cap', 'override limit daily-cap').replace('without cap', 'without daily-cap').replace('finding cap', 'finding daily-cap'));
    });

    test('the same rename started from an override or from without', async () => {
        const fromOverride = await renameAt('child.payrule', CHILD.replace('override limit cap', 'override limit ca<|>p'), 'daily-cap');
        expect(fromOverride['base.payrule']).toContain('limit daily-cap error');
        expect(fromOverride['child.payrule']).toContain('without daily-cap');
        const fromWithout = await renameAt('child.payrule', CHILD.replace('without cap', 'without <|>cap'), 'daily-cap');
        expect(fromWithout).toEqual(fromOverride);
    });

    test('a code set: its declaration, selectors and conditions', async () => {
        const after = await renameAt('base.payrule', BASE.replace('codeset strength', 'codeset stre<|>ngth'), 'strengthening');
        expect(after['base.payrule']).toBe(BASE.replace('codeset strength', 'codeset strengthening').replace('error strength at', 'error strengthening at').replace('code in strength', 'code in strengthening'));
        expect(after['child.payrule']).toBe(CHILD.replace('warning strength', 'warning strengthening'));
        expect(after['base.payrule']).toContain('rule strength-gp');
    });

    test('a name the grammar would not read back is refused', async () => {
        const document = documents.all.find(d => d.uri.path.endsWith('base.payrule'))!;
        const offset = BASE.indexOf('cap error');
        await expect(services.lsp.RenameProvider!.rename(document, { ...textDocumentPositionParams(document, offset), newName: 'daily cap' }))
            .rejects.toThrow(/not a valid rule id/);
        await expect(services.lsp.RenameProvider!.rename(document, { ...textDocumentPositionParams(document, BASE.indexOf('strength =')), newName: 'limit' }))
            .rejects.toThrow(/not a valid name/);
    });

    test("Payrule's own check is not the policy's to rename", async () => {
        const { output, indices } = replaceIndices({ text: 'package r\nimport cpt.therapy\ntest "t" {\n    session payer "x" discipline PT\n        line 97110 minutes 20 modifiers ZZ\n    expect finding unknown-<|>modifier\n}' });
        const document = await parseDocument(services, output);
        const position = textDocumentPositionParams(document, indices[0]!);
        await expect(Promise.resolve().then(() => services.lsp.RenameProvider!.prepareRename(document, position))).rejects.toThrow(/'unknown-modifier' is Payrule's own check/);
        await expect(services.lsp.RenameProvider!.rename(document, { ...position, newName: 'odd-modifier' })).rejects.toThrow(/cannot be renamed/);
        await clearDocuments(services, [document]);
    });

    test('prepareRename offers the name under the cursor, from a test line too', async () => {
        const { output, indices } = replaceIndices({ text: 'package r\nimport cpt.therapy\ntest "t" {\n    session payer "x" discipline PT\n        line 97<|>110 minutes 20\n}' });
        const document = await parseDocument(services, output);
        const range = await services.lsp.RenameProvider!.prepareRename(document, textDocumentPositionParams(document, indices[0]!));
        expect(range && document.textDocument.getText(range as never)).toBe('97110');
        await clearDocuments(services, [document]);
    });
});

/** Rejects with the refusal the rename (and, when `prepare`, prepareRename) gives at the `<|>` of `marked` in the loaded file. */
async function refusal(on: PayruleServices, document: LangiumDocument, marked: string, newName: string, prepare = true): Promise<string> {
    const { output, indices } = replaceIndices({ text: marked });
    expect(output, 'the marked text is the file as loaded').toBe(document.textDocument.getText());
    const position = textDocumentPositionParams(document, indices[0]!);
    const renamed = await on.lsp.RenameProvider!.rename(document, { ...position, newName }).then(() => 'no refusal', (error: Error) => error.message);
    if (prepare) {
        const prepared = await Promise.resolve().then(() => on.lsp.RenameProvider!.prepareRename(document, position)).then(() => 'no refusal', (error: Error) => error.message);
        expect(prepared, 'prepareRename refuses as rename does').toBe(renamed);
    }
    return renamed;
}

describe('rename refused', () => {
    test('a name declared in an installed pack, or used in one: its files are not edited from the project', async () => {
        const CLINIC = 'package clinic\nimport cms.medicare\nimport x.extra\npayer Clinic id "clinic" extends Medicare {\n    without kx\n    limit cap error 97530 at most 4 units per day\n}\n';
        const LOCAL = 'package local.codes\ncode 0001F untimed "A local code"\n';
        const EXTRA = 'package x.extra\nimport local.codes\npayer Extra id "extra" {\n    units units-match error pooled\n    limit local error 0001F at most 1 unit per day\n}\n';
        const installed = await packWorkspace({ 'clinic.payrule': CLINIC, 'local.payrule': LOCAL, 'node_modules/@x/extra/extra.payrule': EXTRA },
            path => URI.parse(`file:///work/node_modules/@payrule-examples/${path}`));
        const docs = installed.services.shared.workspace.LangiumDocuments;
        const doc = (name: string) => docs.all.find(d => d.uri.path === `/work/${name}`)!;
        expect(await refusal(installed.services, doc('clinic.payrule'), CLINIC.replace('without kx', 'without k<|>x'), 'kx-pt'))
            .toBe("'kx' is declared in the installed pack at node_modules/@payrule-examples/medicare: rename it there, not from here.");
        expect(await refusal(installed.services, doc('clinic.payrule'), CLINIC.replace('error 97530', 'error 975<|>30'), '97531'))
            .toBe("'97530' is declared in the installed pack at node_modules/@payrule-examples/cpt-therapy: rename it there, not from here.");
        expect(await refusal(installed.services, doc('local.payrule'), LOCAL.replace('code 0001F', 'code 00<|>01F'), '0002F'))
            .toMatch(/^'0001F' is also used in the installed pack at node_modules\/@x\/extra, whose files are not changed from here/);
        // A name of the project's own is renamed as usual.
        const position = textDocumentPositionParams(doc('clinic.payrule'), CLINIC.indexOf('cap error'));
        const edit = await installed.services.lsp.RenameProvider!.rename(doc('clinic.payrule'), { ...position, newName: 'daily-cap' });
        expect(Object.keys(edit?.changes ?? {})).toEqual(['file:///work/clinic.payrule']);
    });

    test("a test session's payer id: an id, not the payer's name", async () => {
        const document = documents.all.find(d => d.uri.path.endsWith('child.payrule'))!;
        expect(await refusal(services, document, CHILD.replace('payer "child"', 'payer "chi<|>ld"'), 'kid'))
            .toMatch(/^"child" is the id of payer Child, the id sessions and reports carry: it is not renamed from here/);
    });

    test('a new name another rule, code set or payer already has', async () => {
        const base = documents.all.find(d => d.uri.path.endsWith('base.payrule'))!;
        const OTHER = 'package other\nimport base\npayer Other id "other" extends Base {\n    limit own error 97110 at most 2 units per day\n}\n';
        const other = await parseDocument(services, OTHER, { documentUri: 'file:///work/other.payrule' });
        try {
            expect(await refusal(services, base, BASE.replace('limit cap', 'limit c<|>ap'), 'strength-gp', false))
                .toBe("'strength-gp' is already a rule of Base: pick another id.");
            expect(await refusal(services, other, OTHER.replace('limit own', 'limit o<|>wn'), 'strength-gp', false))
                .toBe("Other already inherits a rule 'strength-gp' from Base: pick another id.");
            expect(await refusal(services, base, BASE.replace('limit cap', 'limit c<|>ap'), 'own', false))
                .toBe("Other, which extends Base, already has a rule 'own': pick another id.");
            expect(await refusal(services, base, BASE.replace('limit cap', 'limit c<|>ap'), 'unknown-modifier', false))
                .toBe("'unknown-modifier' is the id of Payrule's own check: give the rule another id.");
            expect(await refusal(services, base, BASE.replace('codeset strength', 'codeset stre<|>ngth'), 'therapy', false))
                .toBe("There is already a code set named 'therapy': pick another name.");
            expect(await refusal(services, base, BASE.replace('payer Base', 'payer Ba<|>se'), 'Child', false))
                .toBe("There is already a payer named 'Child' (id \"child\"): pick another name.");
        } finally {
            await clearDocuments(services, [other]);
        }
    });

    test('not an id the payer drops with without: that id is free for a rule of its own', async () => {
        const DROPS = 'package drops\nimport base\npayer Drops id "drops" extends Base {\n    without strength-gp\n    limit own error 97110 at most 2 units per day\n}\n';
        const drops = await parseDocument(services, DROPS, { documentUri: 'file:///work/drops.payrule' });
        try {
            expect(await refusal(services, drops, DROPS.replace('limit own', 'limit o<|>wn'), 'strength-gp', false)).toBe('no refusal');
        } finally {
            await clearDocuments(services, [drops]);
        }
    });
});
