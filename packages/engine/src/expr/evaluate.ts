/**
 * The evaluator of policy conditions. The language is total: no loops, no calls, no patterns;
 * aggregates run over the session's own lines, so every expression finishes in time linear in
 * its size times the number of lines.
 */
import type { Expr } from '../ir/policy.js';
import type { Session, SessionLine } from '../sessions/session.js';
import { own } from '../util/records.js';
import { compileExpr } from './compile.js';
import { arithmetic, compareValues, isList, isTruthy, toValue, valuesEqual, type Value } from './values.js';

export interface ExprScope {
    session: Session;
    /** The line a line-scope rule (or an aggregate) is looking at. */
    line?: { line: SessionLine; index: number };
    /** Whether a code is timed, from the policy's catalog; null when the catalog does not know it. */
    timed(code: string): boolean | null;
    /** Units the payer's unit method supports for a line of the session; null when not known. */
    supportedUnits(index: number): number | null;
}

export function evaluateExpr(expr: Expr, scope: ExprScope): Value {
    switch (expr.kind) {
        case 'literal': return expr.value;
        case 'field': return fieldValue(expr.path, scope);
        case 'list': return expr.items.flatMap(item => {
            const value = evaluateExpr(item, scope);
            return isList(value) ? value : [value];
        });
        case 'codes': return expr.codes;
        case 'not': return !isTruthy(evaluateExpr(expr.operand, scope));
        case 'binary': return evaluateBinary(expr, scope);
        case 'in': return evaluateIn(expr, scope);
        case 'has-modifier': return hasModifier(expr.modifiers, scope);
        case 'aggregate': return evaluateAggregate(expr, scope);
    }
}

/** The scope of one line of the session (built field by field: this runs for every line of every rule). */
export function atLine(scope: ExprScope, line: SessionLine, index: number): ExprScope {
    return { session: scope.session, line: { line, index }, timed: scope.timed, supportedUnits: scope.supportedUnits };
}

/** Whether a condition holds (an absent one always does), through its compiled form (compile.ts). */
export function holds(expr: Expr | undefined, scope: ExprScope): boolean {
    return expr === undefined || isTruthy(compileExpr(expr)(scope));
}

/** The same through this interpreter: the reference the compiled form is tested against. */
export function holdsInterpreted(expr: Expr | undefined, scope: ExprScope): boolean {
    return expr === undefined || isTruthy(evaluateExpr(expr, scope));
}

function evaluateBinary(expr: Extract<Expr, { kind: 'binary' }>, scope: ExprScope): Value {
    if (expr.op === 'and') return isTruthy(evaluateExpr(expr.left, scope)) && isTruthy(evaluateExpr(expr.right, scope));
    if (expr.op === 'or') return isTruthy(evaluateExpr(expr.left, scope)) || isTruthy(evaluateExpr(expr.right, scope));
    const left = evaluateExpr(expr.left, scope);
    const right = evaluateExpr(expr.right, scope);
    switch (expr.op) {
        case '=':
        case '!=': {
            // Writing `null` asks whether a value is missing; otherwise a missing value satisfies neither = nor !=.
            if (isNullLiteral(expr.left) || isNullLiteral(expr.right)) return (left === null && right === null) === (expr.op === '=');
            if (left === null || right === null) return false;
            return valuesEqual(left, right) === (expr.op === '=');
        }
        case '<':
        case '<=':
        case '>':
        case '>=': {
            if (left === null || right === null) return false;
            const order = compareValues(left, right);
            if (order === undefined) return false;
            return expr.op === '<' ? order < 0 : expr.op === '<=' ? order <= 0 : expr.op === '>' ? order > 0 : order >= 0;
        }
        default:
            return arithmetic(expr.op, left, right);
    }
}

export function isNullLiteral(expr: Expr): boolean {
    return expr.kind === 'literal' && expr.value === null;
}

/** Code sets as hash sets, built once per expression: `code in therapy` runs on every line of every session. */
const codeSets = new WeakMap<Expr, ReadonlySet<string>>();

function codeSet(expr: Extract<Expr, { kind: 'codes' }>): ReadonlySet<string> {
    let set = codeSets.get(expr);
    if (!set) codeSets.set(expr, (set = new Set(expr.codes)));
    return set;
}

/** `value in set`: a list value is in the set when any of its items is; a missing value is in no set and outside none. */
function evaluateIn(expr: Extract<Expr, { kind: 'in' }>, scope: ExprScope): boolean {
    const value = evaluateExpr(expr.value, scope);
    if (value === null) return false;
    if (expr.set.kind === 'codes' && typeof value === 'string') return codeSet(expr.set).has(value) !== (expr.negated === true);
    const set = evaluateExpr(expr.set, scope);
    const members = isList(set) ? set : set === null ? [] : [set];
    const items = isList(value) ? value : [value];
    const found = items.some(item => members.some(member => valuesEqual(item, member)));
    return expr.negated ? !found : found;
}

/** On a line: that line has any of the modifiers; on the session: any of its lines does. */
function hasModifier(modifiers: readonly string[], scope: ExprScope): boolean {
    const wanted = modifiers.map(modifier => modifier.toUpperCase());
    const lines = scope.line ? [scope.line.line] : scope.session.lines;
    return lines.some(line => line.modifiers.some(modifier => wanted.includes(modifier.toUpperCase())));
}

function evaluateAggregate(expr: Extract<Expr, { kind: 'aggregate' }>, scope: ExprScope): Value {
    const values: Value[] = [];
    scope.session.lines.forEach((line, index) => {
        const lineScope = atLine(scope, line, index);
        if (!holdsInterpreted(expr.where, lineScope)) return;
        values.push(expr.fn === 'count' || !expr.value ? 1 : evaluateExpr(expr.value, lineScope));
    });
    if (expr.fn === 'count') return values.length;
    const numbers = values.filter((value): value is number => typeof value === 'number');
    if (expr.fn === 'sum') return numbers.reduce((sum, value) => sum + value, 0);
    if (numbers.length === 0) return null;
    return expr.fn === 'max' ? Math.max(...numbers) : Math.min(...numbers);
}

/** A field's value in the scope; line fields outside a line, and anything absent, are null. */
export function fieldValue(path: string, scope: ExprScope): Value {
    const { session } = scope;
    const dot = path.indexOf('.');
    if (dot > 0) {
        const family = path.slice(0, dot);
        const name = path.slice(dot + 1);
        if (family === 'note') return own(session.note, name) ?? null;
        if (family === 'extra') return extraField(name, scope);
        if (family === 'provider') return name === 'id' ? session.provider?.id ?? null : name === 'role' ? session.provider?.role ?? null : null;
        if (family === 'authorization') return authorizationField(session, name);
        return null;
    }
    switch (path) {
        case 'id': return session.id;
        case 'claim': return session.claim ?? null;
        case 'patient': return session.patient;
        case 'date': return session.date;
        case 'payer': return session.payer;
        case 'discipline': return session.discipline;
        case 'role': return session.provider?.role ?? null;
        case 'diagnoses': return session.diagnoses;
        case 'totalMinutes': return session.totalMinutes ?? null;
        case 'submitted': return session.submitted ?? null;
        case 'timedMinutes': return timedMinutes(scope);
        default: return lineField(path, scope);
    }
}

/** A line's own column first (CSV keeps unknown columns per row), then the session's. */
export function extraField(name: string, scope: ExprScope): Value {
    const lineExtra = scope.line?.line.extra;
    if (lineExtra && Object.hasOwn(lineExtra, name)) return toValue(lineExtra[name]);
    return toValue(own(scope.session.extra, name));
}

export function authorizationField(session: Session, name: string): Value {
    const authorization = session.authorization;
    if (name === 'id') return authorization?.id ?? null;
    if (name === 'visitsApproved') return authorization?.visitsApproved ?? null;
    if (name === 'visitNumber') return authorization?.visitNumber ?? null;
    return null;
}

/** Minutes on lines whose code the catalog marks timed. */
export function timedMinutes(scope: ExprScope): number {
    return scope.session.lines.reduce((sum, line) => sum + (scope.timed(line.code) === true ? line.minutes ?? 0 : 0), 0);
}

function lineField(path: string, scope: ExprScope): Value {
    if (!scope.line) return null;
    const { line, index } = scope.line;
    switch (path) {
        case 'code': return line.code;
        case 'minutes': return line.minutes ?? null;
        case 'units': return line.units;
        case 'modifiers': return line.modifiers;
        case 'charge': return line.charge ?? null;
        case 'allowed': return line.allowed ?? null;
        case 'assistantMinutes': return line.assistantMinutes ?? null;
        case 'timed': return scope.timed(line.code);
        case 'supportedUnits': return scope.supportedUnits(index);
        default: return null;
    }
}
