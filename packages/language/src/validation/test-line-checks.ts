/**
 * Test sessions bill codes and modifiers by name (they stand for what an export would contain,
 * so they are not cross-references): a name the catalog in scope does not know is most likely
 * a typo, and the warning suggests the nearest known one.
 */
import { AstUtils, type ValidationAcceptor, type ValidationChecks } from 'langium';
import type { PayruleAstType, TestLine, UnitsExpectation } from '../generated/ast.js';
import { visibleDeclarations } from '../workspace/visible-declarations.js';
import type { PayruleServices } from '../payrule-module.js';
import { didYouMean, suggestionBudget } from './closest-names.js';

export function testLineChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    const known = (node: TestLine | UnitsExpectation) => visibleDeclarations(services, AstUtils.getDocument(node));
    return {
        TestLine: (line: TestLine, accept: ValidationAcceptor) => {
            const visible = known(line);
            const budget = suggestionBudget(AstUtils.getDocument(line));
            const codes = visible.codeNames;
            if (codes.size > 0 && !codes.has(String(line.code))) {
                accept('warning', `Unknown code ${line.code}: no catalog in scope declares it.${didYouMean(String(line.code), codes, budget)}`,
                    { node: line, property: 'code', code: 'unknown-code', data: { code: 'unknown-code' } });
            }
            const modifiers = visible.modifierNames;
            line.modifiers.forEach((modifier, index) => {
                if (modifiers.size > 0 && !modifiers.has(String(modifier))) {
                    accept('warning', `Unknown modifier ${modifier}.${didYouMean(String(modifier), modifiers, budget)}`,
                        { node: line, property: 'modifiers', index, code: 'unknown-modifier', data: { code: 'unknown-modifier' } });
                }
            });
        },
        UnitsExpectation: (expectation: UnitsExpectation, accept: ValidationAcceptor) => {
            const codes = known(expectation).codeNames;
            if (codes.size > 0 && !codes.has(String(expectation.code))) {
                const budget = suggestionBudget(AstUtils.getDocument(expectation));
                accept('warning', `Unknown code ${expectation.code}: no catalog in scope declares it.${didYouMean(String(expectation.code), codes, budget)}`,
                    { node: expectation, property: 'code', code: 'unknown-code', data: { code: 'unknown-code' } });
            }
        }
    };
}
