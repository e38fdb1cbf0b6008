/** Quick fixes, with langium/test's testCodeAction where the diagnostic carries its code in `data`. */
import { beforeEach, describe, expect, test } from 'vitest';
import { clearDocuments, parseDocument, testCodeAction } from 'langium/test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver';
import { CITATION_STUB } from '../../src/lsp/payrule-code-action-provider.js';
import { packWorkspace } from './lsp-workspace.js';

const { services } = await packWorkspace();
const fix = testCodeAction(services);
/** Each case in a package of its own, and the documents of earlier cases cleared before the next (testCodeAction's own dispose does not wait). */
let cases = 0;
beforeEach(async () => {
    await clearDocuments(services, services.shared.workspace.LangiumDocuments.all.filter(d => !d.uri.path.startsWith('/packs/')).toArray());
});
const head = () => `package fix${++cases}\nimport cms.medicare\npayer Clinic id "clinic" extends Medicare {\n`;
const STUB = JSON.stringify(CITATION_STUB);

describe('quick fixes', () => {
    test('did you mean: a misspelled code in a rule', async () => {
        const HEAD = head();
        const result = await fix(`${HEAD}    limit cap error 9715O at most 4 units per day source "s"\n}\n`, 'linking-error',
            `${HEAD}    limit cap error 97150 at most 4 units per day source "s"\n}\n`);
        expect((result.action as CodeAction).title).toBe("Change to '97150'");
    });

    test('did you mean: a misspelled modifier, and a misspelled rule id after without', async () => {
        let HEAD = head();
        await fix(`${HEAD}    rule gp error on every line require modifier PG when discipline is PT source "s"\n}\n`, 'linking-error',
            `${HEAD}    rule gp error on every line require modifier GP when discipline is PT source "s"\n}\n`);
        HEAD = head();
        await fix(`${HEAD}    without kxx\n}\n`, 'linking-error', `${HEAD}    without kx\n}\n`);
    });

    test('did you mean: a code in a test session', async () => {
        const test = (code: string) => `package fix-session\nimport cms.medicare\ntest "t" {\n    session payer "medicare" discipline PT\n        line ${code} minutes 38 modifiers GP\n}\n`;
        await fix(test('9715O'), 'unknown-code', test('97150'));
    });

    test('nothing is guessed when no name is close', async () => {
        const HEAD = head();
        await fix(`${HEAD}    limit cap error 12345 at most 4 units per day source "s"\n}\n`, 'linking-error', undefined);
    });

    test('a missing citation gets a source stub, on the same line or as one more clause line', async () => {
        let HEAD = head();
        await fix(`${HEAD}    limit cap error 97530 at most 4 units per day\n}\n`, 'missing-citation',
            `${HEAD}    limit cap error 97530 at most 4 units per day source ${STUB}\n}\n`);
        HEAD = head();
        await fix(`${HEAD}    rule gp error on every line\n        require modifier GP when discipline is PT\n}\n`, 'missing-citation',
            `${HEAD}    rule gp error on every line\n        require modifier GP when discipline is PT\n        source ${STUB}\n}\n`);
    });

    test('the citation line added to a file with Windows line endings (CRLF) ends as its other lines do', async () => {
        const crlf = (text: string) => text.replace(/\n/g, '\r\n');
        const HEAD = head();
        const after = await applyFix(crlf(`${HEAD}    rule gp error on every line\n        require modifier GP when discipline is PT\n}\n`), 'missing-citation');
        expect(JSON.stringify(after)).toBe(JSON.stringify(crlf(`${HEAD}    rule gp error on every line\n        require modifier GP when discipline is PT\n        source ${STUB}\n}\n`)));
    });

    test("'override' for a rule that re-declares an inherited id; 'in' for a set tested with 'is'", async () => {
        const HEAD = head();
        expect(await applyFix(`${HEAD}    limit mue-97032 error 97032 at most 3 units per day source "s"\n}\n`, 'implicit-override'))
            .toBe(`${HEAD}    override limit mue-97032 error 97032 at most 3 units per day source "s"\n}\n`);
        expect(await applyFix(`${HEAD}    rule r error on every line when code is therapy require modifier GP source "s"\n}\n`, 'is-with-set'))
            .toBe(`${HEAD}    rule r error on every line when code in therapy require modifier GP source "s"\n}\n`);
    });
});

/** Validates `text`, runs the only fix offered for the diagnostic with `code`, and returns the text after it. */
async function applyFix(text: string, code: string): Promise<string> {
    const document = await parseDocument(services, text, { validation: true });
    const diagnostics = (document.diagnostics ?? []).filter(d => d.code === code);
    expect(diagnostics).toHaveLength(1);
    const actions = await services.lsp.CodeActionProvider!.getCodeActions(document, {
        textDocument: { uri: document.textDocument.uri }, range: diagnostics[0]!.range, context: { diagnostics }
    }) as CodeAction[];
    expect(actions).toHaveLength(1);
    const after = TextDocument.applyEdits(document.textDocument, actions[0]!.edit!.changes![document.textDocument.uri]!);
    await clearDocuments(services, [document]);
    return after;
}
