/**
 * Failing policy tests shown where they are written: each expectation that does not hold gets an
 * error on its line, with expected against actual. Tests run only when the document and what it
 * imports link cleanly, since a broken policy has nothing meaningful to test.
 */
import { runPolicyTests } from '@payrule/engine';
import { AstUtils, URI, type LangiumDocument, type ValidationAcceptor, type ValidationChecks } from 'langium';
import { compilePolicy } from '../compiler/compile-policy.js';
import { isTest, type PayruleAstType, type PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';

export function testRunChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    return {
        PolicyFile: (file: PolicyFile, accept: ValidationAcceptor) => {
            const tests = file.elements.filter(isTest);
            if (tests.length === 0) return;
            const document = AstUtils.getDocument(file);
            const documents = [...services.workspace.PackageIndex.visibleUris(document)]
                .map(uri => services.shared.workspace.LangiumDocuments.getDocument(URI.parse(uri)))
                .filter((doc): doc is LangiumDocument => doc !== undefined);
            if (documents.some(hasErrors)) return;
            const self = document.uri.toString();
            const bundle = compilePolicy(services, documents, { fileName: doc => doc.uri.toString() });
            const run = runPolicyTests(bundle, { within: [self] });
            for (const outcome of run.outcomes) {
                if (outcome.passed) continue;
                const test = tests.find(t => t.name === outcome.test.name && t.$cstNode?.range.start.line === outcome.test.location.line - 1);
                if (!test) continue;
                if (outcome.error) {
                    accept('error', `This test cannot run: ${outcome.error}`, { node: test, property: 'name', code: 'test-error' });
                }
                for (const failure of outcome.failures) {
                    const index = outcome.test.expectations.indexOf(failure.expectation);
                    const expectation = test.expectations[index];
                    const message = `This expectation fails: ${failure.message}`;
                    if (expectation) accept('error', message, { node: expectation, code: 'test-failure' });
                    else accept('error', message, { node: test, property: 'name', code: 'test-failure' });
                }
            }
        }
    };
}

function hasErrors(document: LangiumDocument): boolean {
    return document.parseResult.lexerErrors.length > 0 || document.parseResult.parserErrors.length > 0
        || document.references.some(reference => reference.error !== undefined);
}
