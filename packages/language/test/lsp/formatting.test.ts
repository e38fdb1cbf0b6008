/** Whole-file formatting with langium/test's expectFormatting; range formatting with the edits applied here. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { clearDocuments, expectFormatting, parseDocument } from 'langium/test';
import type { Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EXAMPLES } from '../policy-workspace.js';
import { packWorkspace, PACKS } from './lsp-workspace.js';

const { services } = await packWorkspace();
const format = expectFormatting(services);

describe('formatting', () => {
    test('payer bodies at 4, one member per line, clauses continued at 8, lists at 12', async () => {
        await format({
            disposeAfterCheck: true,
            before: `package   clinic   version "1.0.0"
import cms . medicare


/** Clinic contract. */
payer Clinic id "clinic"   extends Medicare{
effective 2026-01-01 through 2026-12-31
  override units units-match error per-code unit 15 minutes minimum 8 minutes
source "manual s2"
      limit cap error 97530 ,97110 at most 4 units per day    limit visits warning at most 20 visits per year
  rule gp error on every line where code in therapy
          require modifier GP when discipline is PT
    require modifier GO when discipline is OT
        source "manual s3"
  documentation notes warning for 97530
    requires activities,
  patient-response
     activities not vague "performed", "tolerated well",
  "no complaints"
  rule big warning when sum( minutes ) > 120 and role in ( PTA , OTA )


    // dropped: Clinic has no KX
    without kx
    fees {97530 $36.12 , 97110 $31.00}
}
test "38 minutes" {
session payer "clinic" discipline PT
line 97530 minutes 38 units 3 modifiers GP , KX
  note activities "lifts"
      expect units 97530 = 3
}
`,
            after: `package clinic version "1.0.0"
import cms.medicare

/** Clinic contract. */
payer Clinic id "clinic" extends Medicare {
    effective 2026-01-01 through 2026-12-31
    override units units-match error per-code unit 15 minutes minimum 8 minutes
        source "manual s2"
    limit cap error 97530, 97110 at most 4 units per day
    limit visits warning at most 20 visits per year
    rule gp error on every line where code in therapy
        require modifier GP when discipline is PT
        require modifier GO when discipline is OT
        source "manual s3"
    documentation notes warning for 97530
        requires activities,
            patient-response
        activities not vague "performed", "tolerated well",
            "no complaints"
    rule big warning when sum(minutes) > 120 and role in (PTA, OTA)

    // dropped: Clinic has no KX
    without kx
    fees { 97530 $36.12, 97110 $31.00 }
}
test "38 minutes" {
    session payer "clinic" discipline PT
        line 97530 minutes 38 units 3 modifiers GP, KX
        note activities "lifts"
    expect units 97530 = 3
}
`
        });
    });

    test('the catalog: one declaration per line, blank lines and comments kept', async () => {
        await format({
            disposeAfterCheck: true,
            before: 'package codes\n\n  // Timed codes\ncode 97110 timed for PT , OT "Exercise"   code 97530 timed for PT,OT "Activities"\n\n\n\ncodeset strength=97110,\n97530\n   modifier GP "PT plan of care"\n',
            after: 'package codes\n\n// Timed codes\ncode 97110 timed for PT, OT "Exercise"\ncode 97530 timed for PT, OT "Activities"\n\ncodeset strength = 97110,\n    97530\nmodifier GP "PT plan of care"\n'
        });
    });

    test('a file with Windows line endings (CRLF) keeps them: no bare LF is inserted', async () => {
        // expectFormatting compares with line endings normalized, so the edits are applied here.
        const crlf = (text: string) => text.replace(/\n/g, '\r\n');
        const document = await parseDocument(services, crlf('package crlf\nimport cpt.therapy\n\n\n\n// Foo\npayer Foo id "foo" { units u error pooled source "x" }\n'));
        const edits = await services.lsp.Formatter!.formatDocument(document, { options: { insertSpaces: true, tabSize: 4 }, textDocument: { uri: document.textDocument.uri } });
        const after = TextDocument.applyEdits(document.textDocument, edits);
        await clearDocuments(services, [document]);
        expect(JSON.stringify(after)).toBe(JSON.stringify(crlf('package crlf\nimport cpt.therapy\n\n// Foo\npayer Foo id "foo" {\n    units u error pooled source "x"\n}\n')));
    });

    test.each(Object.values(PACKS))('the example pack %s is already formatted', async path => {
        const text = readFileSync(join(EXAMPLES, path), 'utf8');
        await format({ before: text, after: text, disposeAfterCheck: true, parseOptions: { documentUri: `file:///formatting/${path}` } });
    });
});

/** The text after formatting only `range` of it. */
async function formatRange(text: string, range: Range): Promise<string> {
    const document = await parseDocument(services, text);
    const edits = await services.lsp.Formatter!.formatDocumentRange(document, { options: { insertSpaces: true, tabSize: 4 }, textDocument: { uri: document.textDocument.uri }, range });
    const after = TextDocument.applyEdits(document.textDocument, edits);
    await clearDocuments(services, [document]);
    return after;
}

describe('range formatting changes only the selected lines', () => {
    // Lines 6 and 7 are the ones selected below; the lines around them are badly formatted too.
    const lines = [
        'package t',
        'import cms.medicare',
        'payer Clinic id "clinic" extends Medicare {',
        '  limit a error 97530 at most 4 units per day source "x"',
        '',
        '',
        '      limit b error 97110   at most 4 units per day source "y"',
        '   limit c error 97140 at most 4 units per day source "z"',
        '        without kx',
        '}',
        ''
    ];
    const text = lines.join('\n');
    const withLines = (changed: Record<number, string>) => lines.map((line, index) => changed[index] ?? line).join('\n');

    test('one line selected: it is indented; the blank lines before it and the line after it stay as they are', async () => {
        const after = await formatRange(text, { start: { line: 6, character: 0 }, end: { line: 6, character: lines[6]!.length } });
        expect(after).toBe(withLines({ 6: '    limit b error 97110 at most 4 units per day source "y"' }));
    });

    test('whole lines selected (the selection ends at the start of the next line): that next line stays as it is', async () => {
        const after = await formatRange(text, { start: { line: 6, character: 0 }, end: { line: 8, character: 0 } });
        expect(after).toBe(withLines({
            6: '    limit b error 97110 at most 4 units per day source "y"',
            7: '    limit c error 97140 at most 4 units per day source "z"'
        }));
    });
});
