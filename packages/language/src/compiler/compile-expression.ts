/** Lowers condition syntax to the engine's expression IR. */
import type { Expr } from '@payrule/engine';
import {
    isAggregate, isBinaryExpression, isBooleanLiteral, isCodeSetRef, isDateLiteral, isFieldRef, isHasModifier, isInExpression,
    isKeywordLiteral, isListExpression, isMoneyLiteral, isNotExpression, isNullLiteral, isNumberLiteral, isStringLiteral,
    type Expression
} from '../generated/ast.js';
import { expandCodeTargets } from './code-targets.js';

export function compileExpression(expr: Expression): Expr {
    if (isBinaryExpression(expr)) {
        const op = expr.op === 'is' ? '=' : expr.op;
        return { kind: 'binary', op, left: compileExpression(expr.left), right: compileExpression(expr.right) };
    }
    if (isInExpression(expr)) {
        const set: Expr = isCodeSetRef(expr.set)
            ? { kind: 'codes', codes: expandCodeTargets([expr.set.target]) }
            : { kind: 'list', items: isListExpression(expr.set) ? expr.set.items.map(compileExpression) : [] };
        return { kind: 'in', value: compileExpression(expr.value), set, ...(expr.negated ? { negated: true } : {}) };
    }
    if (isNotExpression(expr)) return { kind: 'not', operand: compileExpression(expr.operand) };
    if (isFieldRef(expr)) return { kind: 'field', path: expr.path };
    if (isHasModifier(expr)) return { kind: 'has-modifier', modifiers: expr.modifiers.map(m => m.$refText) };
    if (isAggregate(expr)) {
        return {
            kind: 'aggregate',
            fn: expr.fn,
            ...(expr.value ? { value: compileExpression(expr.value) } : {}),
            ...(expr.where ? { where: compileExpression(expr.where) } : {})
        };
    }
    if (isNumberLiteral(expr) || isMoneyLiteral(expr)) return { kind: 'literal', value: expr.value };
    if (isStringLiteral(expr) || isDateLiteral(expr) || isKeywordLiteral(expr)) return { kind: 'literal', value: expr.value };
    if (isBooleanLiteral(expr)) return { kind: 'literal', value: expr.value === true };
    if (isNullLiteral(expr)) return { kind: 'literal', value: null };
    throw new Error(`Unexpected expression ${(expr as Expression).$type}`);
}
