/** Whole-file formatting with langium/test's expectFormatting. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { clearDocuments, expectFormatting, parseDocument } from 'langium/test';
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
