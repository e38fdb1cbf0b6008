/**
 * The facts behind a condition, for explanations: the fields it reads and their values for this
 * session or line ("discipline PT, assistantMinutes 12, minutes 38"), so a biller sees why a rule
 * applied without reading the policy.
 */
import type { Expr } from '../ir/policy.js';
import { evaluateExpr, fieldValue, type ExprScope } from './evaluate.js';
import { formatValue } from './values.js';

export function describeFacts(conditions: readonly (Expr | undefined)[], scope: ExprScope): string {
    const facts = new Map<string, string>();
    for (const condition of conditions) if (condition) collectFacts(condition, scope, facts);
    return [...facts].map(([name, value]) => `${name} ${value}`).join(', ');
}

function collectFacts(expr: Expr, scope: ExprScope, facts: Map<string, string>): void {
    switch (expr.kind) {
        case 'field':
            if (!facts.has(expr.path)) facts.set(expr.path, formatFact(fieldValue(expr.path, scope)));
            return;
        case 'aggregate': {
            // An aggregate reads each line: its total is the fact, not the fields inside it.
            const label = `${expr.fn}(${describeAggregate(expr)})`;
            if (!facts.has(label)) facts.set(label, formatFact(evaluateExpr(expr, scope)));
            return;
        }
        case 'not': collectFacts(expr.operand, scope, facts); return;
        case 'binary': collectFacts(expr.left, scope, facts); collectFacts(expr.right, scope, facts); return;
        case 'in': collectFacts(expr.value, scope, facts); return;
        case 'list': for (const item of expr.items) collectFacts(item, scope, facts); return;
        default: return;
    }
}

function describeAggregate(expr: Extract<Expr, { kind: 'aggregate' }>): string {
    const value = expr.value?.kind === 'field' ? expr.value.path : expr.fn === 'count' ? 'lines' : '...';
    return expr.where ? `${value} where ...` : value;
}

function formatFact(value: ReturnType<typeof fieldValue>): string {
    return value === null ? 'missing' : formatValue(value);
}

/** "Applies because <conditions> (here: <facts>)"; empty when the rule has no conditions. */
export function becauseLine(texts: readonly (string | undefined)[], conditions: readonly (Expr | undefined)[], scope: ExprScope): string[] {
    let written = texts.filter((text): text is string => !!text && text.length > 0);
    if (written.length === 0) return [];
    // Joined with "and", an "or" condition needs its brackets to keep its meaning.
    if (written.length > 1) written = written.map(text => (/\bor\b/.test(text) ? `(${text})` : text));
    const facts = describeFacts(conditions, scope);
    return [`Applies because ${written.join(' and ')}${facts ? ` (here: ${facts})` : ''}`];
}
