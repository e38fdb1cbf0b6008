/**
 * When a rule or one of its requirements applies, reduced to facts that checks can compare: the
 * conjuncts of the rule's line filter (`where`), its condition (`when`) and the clause's own
 * condition, each in a canonical text; and the values those conjuncts pin each field to. Only a
 * top-level `and` is looked into: whatever sits under `or` or `not` stays one opaque conjunct.
 */
import type { Reference } from 'langium';
import {
    isAggregate, isBinaryExpression, isBooleanLiteral, isCodeDecl, isCodeSet, isCodeSetRef, isDateLiteral, isFieldRef,
    isHasModifier, isInExpression, isKeywordLiteral, isListExpression, isMoneyLiteral, isNotExpression, isNullLiteral,
    isNumberLiteral, isStringLiteral, type CodeDecl, type CodeTarget, type Expression, type LineRule, type ModifierClause,
    type RequireClause
} from '../generated/ast.js';

/** The conditions under which a requirement of a rule applies, the rule's own first. */
export interface Applicability {
    scope: 'line' | 'session';
    conjuncts: Expression[];
}

export function ruleApplicability(rule: LineRule): Applicability {
    return {
        scope: rule.lineScope ? 'line' : 'session',
        conjuncts: [...conjuncts(rule.where), ...conjuncts(rule.when)]
    };
}

export function clauseApplicability(rule: LineRule, clause: ModifierClause | RequireClause): Applicability {
    const own = ruleApplicability(rule);
    const extra = 'when' in clause ? conjuncts(clause.when) : [];
    return { scope: own.scope, conjuncts: [...own.conjuncts, ...extra] };
}

/** `a and b and c` as [a, b, c]; a missing condition as []. */
export function conjuncts(expr: Expression | undefined): Expression[] {
    if (!expr) return [];
    if (isBinaryExpression(expr) && expr.op === 'and') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
    return [expr];
}

/** The canonical texts of the conjuncts: `discipline is PT` and `discipline = PT` read the same. */
export function conditionKeys(applicability: Applicability): Set<string> {
    return new Set(applicability.conjuncts.map(canonical));
}

/** A text that is equal for conditions that differ only in spacing, `is` for `=`, or the order of `and`/`or` operands and list items. */
export function canonical(expr: Expression | undefined): string {
    if (!expr) return '?'; // still being typed
    if (isBinaryExpression(expr)) {
        if (expr.op === 'and' || expr.op === 'or') {
            return `(${flatten(expr, expr.op).map(canonical).sort().join(` ${expr.op} `)})`;
        }
        const op = expr.op === 'is' ? '=' : expr.op;
        const [left, right] = [canonical(expr.left), canonical(expr.right)];
        return op === '=' || op === '!=' ? [left, right].sort().join(` ${op} `) : `${left} ${op} ${right}`;
    }
    if (isInExpression(expr)) {
        const set = isListExpression(expr.set)
            ? `(${expr.set.items.map(canonical).sort().join(', ')})`
            : isCodeSetRef(expr.set) ? expr.set.target.$refText : '?';
        return `${canonical(expr.value)} ${expr.negated ? 'not in' : 'in'} ${set}`;
    }
    if (isNotExpression(expr)) return `not ${canonical(expr.operand)}`;
    if (isFieldRef(expr)) return expr.path;
    if (isHasModifier(expr)) return `has modifier ${expr.modifiers.map(m => m.$refText).sort().join(', ')}`;
    if (isAggregate(expr)) {
        return `${expr.fn}(${expr.value ? canonical(expr.value) : 'lines'}${expr.where ? ` where ${canonical(expr.where)}` : ''})`;
    }
    if (isNullLiteral(expr)) return 'missing';
    if (isBooleanLiteral(expr)) return String(expr.value === true);
    return JSON.stringify(constantValue(expr) ?? expr.$cstNode?.text ?? expr.$type);
}

function flatten(expr: Expression, op: string): Expression[] {
    return isBinaryExpression(expr) && expr.op === op ? [...flatten(expr.left, op), ...flatten(expr.right, op)] : [expr];
}

/** The value of a literal, as text (codes are written as numbers but compared as text). */
export function constantValue(expr: Expression): string | undefined {
    if (isNumberLiteral(expr) || isMoneyLiteral(expr)) return String(expr.value);
    if (isStringLiteral(expr) || isDateLiteral(expr) || isKeywordLiteral(expr)) return String(expr.value);
    return undefined;
}

/** Every code a list of code targets names, sets expanded (cycles and unresolved names skipped). */
export function expandCodeDecls(targets: Reference<CodeTarget>[], seen = new Set<CodeTarget>()): CodeDecl[] {
    const codes = new Map<string, CodeDecl>();
    for (const target of targets) {
        const node = target.ref;
        if (!node || seen.has(node)) continue;
        if (isCodeDecl(node)) codes.set(String(node.name), node);
        if (isCodeSet(node)) {
            seen.add(node);
            for (const code of expandCodeDecls(node.members, seen)) codes.set(String(code.name), code);
        }
    }
    return [...codes.values()];
}

/**
 * Why these conjuncts can never all hold, in words for a biller, or undefined when they might.
 * Looks at fields compared with constants (`discipline is PT`, `role in (PTA, OTA)`, `code in
 * therapy`), and at codes none of whose disciplines is the discipline required.
 */
export function neverHolds(all: Expression[]): string | undefined {
    const allowed = new Map<string, { values: Set<string>; said: string[] }>();
    const codeDecls = new Map<string, CodeDecl>();
    const constrain = (field: string, values: string[], said: string) => {
        const entry = allowed.get(field);
        if (!entry) {
            allowed.set(field, { values: new Set(values), said: [said] });
            return;
        }
        entry.values = new Set([...entry.values].filter(value => values.includes(value)));
        entry.said.push(said);
    };
    for (const expr of all) {
        const text = expr.$cstNode?.text.replace(/\s+/g, ' ') ?? canonical(expr);
        if (isBinaryExpression(expr) && (expr.op === '=' || expr.op === 'is')) {
            const [field, value] = isFieldRef(expr.left) ? [expr.left, expr.right] : [expr.right, expr.left];
            const constant = isFieldRef(field) ? constantValue(value) : undefined;
            if (isFieldRef(field) && constant !== undefined) constrain(fieldKey(field.path), [constant], text);
        } else if (isInExpression(expr) && !expr.negated && isFieldRef(expr.value)) {
            if (isListExpression(expr.set)) {
                const values = expr.set.items.map(constantValue);
                if (values.every((v): v is string => v !== undefined)) constrain(fieldKey(expr.value.path), values, text);
            } else if (isCodeSetRef(expr.set) && expr.set.target.ref) {
                const decls = expandCodeDecls([expr.set.target]);
                decls.forEach(decl => codeDecls.set(String(decl.name), decl));
                constrain(fieldKey(expr.value.path), decls.map(decl => String(decl.name)), text);
            }
        }
    }
    for (const [field, entry] of allowed) {
        if (entry.values.size === 0) {
            return entry.said.length > 1
                ? `${field} cannot satisfy ${entry.said.map(s => `'${s}'`).join(' and ')} at once`
                : `no ${field} satisfies '${entry.said[0]}'`;
        }
    }
    const codes = allowed.get('code');
    const disciplines = allowed.get('discipline');
    if (codes && disciplines) {
        const decls = [...codes.values].map(code => codeDecls.get(code));
        const knownDisciplines = decls.every(decl => decl && decl.disciplines.length > 0);
        if (knownDisciplines && !decls.some(decl => decl!.disciplines.some(d => disciplines.values.has(d)))) {
            return `none of the codes of '${codes.said.join("' and '")}' is billed under '${disciplines.said.join("' and '")}'`;
        }
    }
    return undefined;
}

/** `provider.role` and `role` are the same field. */
function fieldKey(path: string): string {
    return path === 'provider.role' ? 'role' : path;
}
