/**
 * Amounts written so that a person reads the same number Payrule does: commas only between groups
 * of three digits, at most two digits of cents. `$2,4800.00` would be read as 24,800 and
 * `$2480.999` cannot be billed.
 */
import { GrammarUtils, type AstNode, type Properties, type ValidationAcceptor, type ValidationChecks } from 'langium';
import type { Fee, MoneyLiteral, PayruleAstType, TestLine, ThresholdRule } from '../generated/ast.js';

/** `$2480`, `$2,480`, `$2,480.5`, `$2,480.00`. */
const WELL_WRITTEN = /^\$(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$/;

export function amountChecks(): ValidationChecks<PayruleAstType> {
    return {
        Fee: (fee: Fee, accept) => checkAmount(fee, 'amount', accept),
        ThresholdRule: (rule: ThresholdRule, accept) => checkAmount(rule, 'amount', accept),
        MoneyLiteral: (literal: MoneyLiteral, accept) => checkAmount(literal, 'value', accept),
        TestLine: (line: TestLine, accept) => checkAmount(line, 'allowed', accept)
    };
}

function checkAmount<N extends AstNode>(node: N, property: Properties<N>, accept: ValidationAcceptor): void {
    const written = node.$cstNode && GrammarUtils.findNodeForProperty(node.$cstNode, property)?.text;
    if (!written || WELL_WRITTEN.test(written)) return;
    const why = /\.\d{3,}$/.test(written)
        ? 'an amount has at most two digits of cents'
        : 'commas go only between groups of three digits';
    accept('error', `${written} is not an amount as written: ${why} (for example $2,480.00).`, { node, property, code: 'malformed-amount' });
}
