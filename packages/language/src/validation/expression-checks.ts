/** Conditions: field names exist and are used where they have a value; sets are tested with `in`. */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { AstUtils } from 'langium';
import { findField } from '@payrule/engine';
import { isAggregate, isBinaryExpression, isCodeSetRef, isFieldRef, isLineRule, type BinaryExpression, type FieldRef, type PayruleAstType } from '../generated/ast.js';

export function expressionChecks(): ValidationChecks<PayruleAstType> {
    return {
        FieldRef: checkField,
        BinaryExpression: checkIsComparison
    };
}

function checkField(ref: FieldRef, accept: ValidationAcceptor): void {
    const field = findField(ref.path);
    if (!field && isBinaryExpression(ref.$container) && ref.$container.op === 'is' && ref.$container.right === ref) {
        return; // reported as a set tested with `is`
    }
    if (!field) {
        const hint = /^[A-Z][0-9]{4}$|^[0-9]{4}[A-Z]$/.test(ref.path)
            ? ` To compare with the code ${ref.path}, write code = "${ref.path}" or code in ${ref.path}.`
            : ' Session fields are e.g. discipline, role, date, totalMinutes, note.<element>, extra.<column>; line fields are code, minutes, units, modifiers, allowed.';
        accept('error', `Unknown field '${ref.path}'.${hint}`,
            { node: ref, property: 'path', code: 'unknown-field' });
        return;
    }
    if (field.scope === 'line' && !inLineContext(ref)) {
        accept('error', `'${ref.path}' is a line field: use it in a rule 'on every line', or inside sum(...), count(...), max(...) or min(...).`,
            { node: ref, property: 'path', code: 'line-field-outside-line' });
    }
}

function inLineContext(ref: FieldRef): boolean {
    if (AstUtils.getContainerOfType(ref, isAggregate)) return true;
    const rule = AstUtils.getContainerOfType(ref, isLineRule);
    return rule?.lineScope === true;
}

function checkIsComparison(expr: BinaryExpression, accept: ValidationAcceptor): void {
    if (expr.op === 'is' && isFieldRef(expr.right) && !findField(expr.right.path)) {
        accept('error', `'${expr.right.path}' is not a value. To test membership of a code set, write 'in ${expr.right.path}'.`,
            { node: expr, property: 'right', code: 'is-with-set' });
    }
    if (isCodeSetRef(expr.right)) {
        accept('error', 'Use in to test a code set.', { node: expr, property: 'right' });
    }
}
