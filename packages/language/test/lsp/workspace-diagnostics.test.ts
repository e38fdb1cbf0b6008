/**
 * Diagnostics that need the whole workspace: contradictory modifier requirements, shadowed limits
 * and thresholds, rules that can never fire, likely mistakes. Driven by the policy files in
 * resources/workspace-checks with inline `// @error` / `// @warning` markers, like the core
 * validation tests; plus `langium/test` expectations on the exact node a diagnostic marks.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectError, expectNoIssues, expectWarning, validationHelper } from 'langium/test';
import type { LineRule, Payer, PolicyFile } from '../../src/generated/ast.js';
import { describeDiagnostic, expectedDiagnostics, resourceCases, withCatalog } from '../policy-workspace.js';
import { packWorkspace } from './lsp-workspace.js';

const cases = resourceCases(join(import.meta.dirname, 'resources/workspace-checks'));

describe('workspace diagnostics (resources)', () => {
    test.each(cases)('$name', async ({ files }) => {
        const workspace = await withCatalog(files);
        for (const [name, text] of Object.entries(files)) {
            const actual = workspace.diagnosticsOf(name).filter(d => d.severity === 1 || d.severity === 2);
            const unmatched = [...actual];
            for (const want of expectedDiagnostics(text)) {
                const index = unmatched.findIndex(d => d.range.start.line === want.line
                    && (d.severity === 1 ? 'error' : 'warning') === want.severity && d.message.includes(want.text));
                expect(index, `${name}:${want.line + 1}: expected ${want.severity} containing "${want.text}"; got:\n${actual.map(describeDiagnostic).join('\n')}`).toBeGreaterThanOrEqual(0);
                unmatched.splice(index, 1);
            }
            expect(unmatched.map(describeDiagnostic), `${name}: unexpected diagnostics`).toEqual([]);
        }
    });
});

describe('workspace diagnostics (langium/test)', async () => {
    const { services } = await packWorkspace();
    const validate = validationHelper<PolicyFile>(services);

    test('the example packs have no errors, warnings or missing citations', async () => {
        const result = await validate('package ok\nimport acme.ppo\n');
        expectNoIssues(result);
    });

    test('a contradiction with an inherited rule marks the clause written here', async () => {
        const result = await validate(`package t
import cms.medicare
payer Strict id "strict" extends Medicare {
    rule no-gp error on every line where code in therapy forbid modifier GP when discipline is PT source "s"
}`);
        const rule = (result.document.parseResult.value.elements[0] as Payer).members[0] as LineRule;
        expectError(result, /rule 'discipline-modifier' \(inherited from Medicare\) requires GP/, { node: rule.clauses[0]!, code: 'contradictory-modifiers' });
    });

    test('a child limit looser than the inherited MUE is shadowed', async () => {
        const result = await validate(`package t
import cms.medicare
payer Loose id "loose" extends Medicare {
    limit mue-97032-loose error 97032 at most 6 units per day source "s"
}`);
        const rule = (result.document.parseResult.value.elements[0] as Payer).members[0]!;
        expectWarning(result, /'mue-97032' inherited from Medicare \(4 units per day for the same codes\)/, { node: rule, property: 'name', code: 'shadowed-rule' });
    });

    test('an expectation naming a rule the payer does not have is an error', async () => {
        const result = await validate(`package t
import acme.ppo
test "a rule nobody wrote" {
    session payer "acme-ppo" discipline PT
        line 97530 minutes 38 units 3 modifiers GP
    expect finding kx-commercial
}`);
        expectError(result, /kx-commercial/, { offset: result.document.textDocument.getText().lastIndexOf('kx-commercial'), length: 'kx-commercial'.length });
    });
});
