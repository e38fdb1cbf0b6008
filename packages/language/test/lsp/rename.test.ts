/**
 * Rename through the RenameProvider: a rule id with its overrides and every without / expect
 * finding naming it, across files; a code set with its uses in rules and conditions.
 */
import { describe, expect, test } from 'vitest';
import { clearDocuments, parseDocument, replaceIndices, textDocumentPositionParams } from 'langium/test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';
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
