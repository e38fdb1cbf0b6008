/**
 * Tests: each test of a file has its own name; their sessions bill a payer that is in scope, with
 * real codes; an expectation of Payrule's own check asks for the severity it has; and a test file
 * holds tests only, since `payrule check` does not read it.
 */
import { AstUtils, type ValidationAcceptor, type ValidationChecks } from 'langium';
import { isEngineRule, isTest, type FindingExpectation, type PayruleAstType, type PolicyFile, type Test } from '../generated/ast.js';
import { isTestFile, TEST_FILE_SUFFIX } from '../workspace/test-files.js';
import type { PayruleServices } from '../payrule-module.js';
import type { PayruleScopeProvider } from '../references/payrule-scope-provider.js';

export function testChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    const scopes = services.references.ScopeProvider as PayruleScopeProvider;
    return {
        PolicyFile: (file: PolicyFile, accept: ValidationAcceptor) => {
            // Tests are run and reported by name ("Run test", `payrule test`): two of one name cannot be told apart.
            const tests = file.elements.filter(isTest);
            const counts = new Map<string, number>();
            for (const test of tests) counts.set(test.name, (counts.get(test.name) ?? 0) + 1);
            for (const test of tests) {
                if ((counts.get(test.name) ?? 0) > 1) {
                    accept('error', `Another test in this file is named '${test.name}': give each test its own name.`,
                        { node: test, property: 'name', code: 'duplicate-test-name' });
                }
            }
            if (!isTestFile(AstUtils.getDocument(file).uri.path)) return;
            for (const element of file.elements) {
                if (isTest(element)) continue;
                const name = 'name' in element && typeof element.name === 'string' ? ` ${element.name}` : '';
                accept('warning', `\`payrule check\` does not read files named *${TEST_FILE_SUFFIX}, so it will not see this declaration${name}: move it to a policy file, and keep only tests here.`,
                    { node: element, ...(name ? { property: 'name' as never } : {}), code: 'declaration-in-test-file' });
            }
        },
        FindingExpectation: (expectation: FindingExpectation, accept: ValidationAcceptor) => {
            const rule = expectation.rule?.ref;
            if (!isEngineRule(rule) || expectation.severity === undefined || expectation.severity === rule.severity) return;
            const article = (severity: string) => (/^[aeiou]/.test(severity) ? 'an' : 'a');
            accept('warning', `Payrule's own check ${rule.name} is always ${article(rule.severity)} ${rule.severity}, never ${article(expectation.severity)} `
                + `${expectation.severity}: this expectation can never ${expectation.absent ? 'fail' : 'pass'}.`,
                { node: expectation, property: 'severity', code: 'engine-rule-severity' });
        },
        Test: (test: Test, accept: ValidationAcceptor) => {
            const known = new Set(scopes.payersVisibleFrom(test).map(payer => payer.payerId));
            for (const session of test.sessions) {
                if (!known.has(session.payer)) {
                    const list = known.size > 0 ? ` Payers in scope: ${[...known].sort().join(', ')}.` : ' Import the pack that declares it.';
                    accept('error', `No payer with id "${session.payer}" is in scope.${list}`, { node: session, property: 'payer', code: 'unknown-payer' });
                }
            }
        }
    };
}
