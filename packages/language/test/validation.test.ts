/**
 * Validation messages, driven by the policy files in resources/validation: every `// @error` or
 * `// @warning` marker must be matched by a diagnostic on the next line, and no other errors or
 * warnings may appear.
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { describeDiagnostic, expectedDiagnostics, resourceCases, withCatalog } from './policy-workspace.js';

const cases = resourceCases(join(import.meta.dirname, 'resources/validation'));

describe('validation', () => {
    test.each(cases)('$name', async ({ files }) => {
        const workspace = await withCatalog(files);
        for (const [name, text] of Object.entries(files)) {
            const actual = workspace.diagnosticsOf(name).filter(d => d.severity === 1 || d.severity === 2);
            const expected = expectedDiagnostics(text);
            const unmatched = [...actual];
            for (const want of expected) {
                const index = unmatched.findIndex(d => d.range.start.line === want.line
                    && (d.severity === 1 ? 'error' : 'warning') === want.severity && d.message.includes(want.text));
                expect(index, `${name}:${want.line + 1}: expected ${want.severity} containing "${want.text}"; got:\n${actual.map(describeDiagnostic).join('\n')}`).toBeGreaterThanOrEqual(0);
                unmatched.splice(index, 1);
            }
            expect(unmatched.map(describeDiagnostic), `${name}: unexpected diagnostics`).toEqual([]);
        }
    });
});
