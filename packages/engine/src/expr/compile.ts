/**
 * Conditions compiled once into closures: the checks run on every line of every session, and a
 * closure per node costs a fraction of walking the tree each time. Meaning is exactly that of the
 * interpreter in evaluate.ts, which stays the reference (expr.test.ts compares the two).
 */
import type { Expr } from '../ir/policy.js';
import { own } from '../util/records.js';
import { authorizationField, extraField, isNullLiteral, timedMinutes, type ExprScope } from './evaluate.js';
import { arithmetic, compareValues, isList, isTruthy, valuesEqual, type Value } from './values.js';

export type CompiledExpr = (scope: ExprScope) => Value;

const compiled = new WeakMap<Expr, CompiledExpr>();

export function compileExpr(expr: Expr): CompiledExpr {
    let fn = compiled.get(expr);
    if (!fn) compiled.set(expr, (fn = build(expr)));
    return fn;
}

function build(expr: Expr): CompiledExpr {
    switch (expr.kind) {
        case 'literal': {
            const value = expr.value;
            return () => value;
        }
        case 'field': return fieldAccessor(expr.path);
        case 'list': {
            const items = expr.items.map(compileExpr);
            return scope => items.flatMap(item => {
                const value = item(scope);
                return isList(value) ? value : [value];
            });
        }
        case 'codes': {
            const codes = expr.codes;
            return () => codes;
        }
        case 'not': {
            const operand = compileExpr(expr.operand);
            return scope => !isTruthy(operand(scope));
        }
        case 'binary': return buildBinary(expr);
        case 'in': return buildIn(expr);
        case 'has-modifier': {
            const wanted = expr.modifiers.map(modifier => modifier.toUpperCase());
            return scope => {
                if (scope.line) return scope.line.line.modifiers.some(modifier => wanted.includes(modifier.toUpperCase()));
                return scope.session.lines.some(line => line.modifiers.some(modifier => wanted.includes(modifier.toUpperCase())));
            };
        }
        case 'aggregate': return buildAggregate(expr);
    }
}

function buildBinary(expr: Extract<Expr, { kind: 'binary' }>): CompiledExpr {
    const left = compileExpr(expr.left);
    const right = compileExpr(expr.right);
    switch (expr.op) {
        case 'and': return scope => isTruthy(left(scope)) && isTruthy(right(scope));
        case 'or': return scope => isTruthy(left(scope)) || isTruthy(right(scope));
        case '=':
        case '!=': {
            const equal = expr.op === '=';
            if (isNullLiteral(expr.left) || isNullLiteral(expr.right)) {
                return scope => {
                    const a = left(scope);
                    const b = right(scope);
                    return (a === null && b === null) === equal;
                };
            }
            return scope => {
                const a = left(scope);
                const b = right(scope);
                if (a === null || b === null) return false;
                return valuesEqual(a, b) === equal;
            };
        }
        case '<':
        case '<=':
        case '>':
        case '>=': {
            const op = expr.op;
            return scope => {
                const a = left(scope);
                const b = right(scope);
                if (a === null || b === null) return false;
                const order = compareValues(a, b);
                if (order === undefined) return false;
                return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
            };
        }
        default: {
            const op = expr.op;
            return scope => arithmetic(op, left(scope), right(scope));
        }
    }
}

function buildIn(expr: Extract<Expr, { kind: 'in' }>): CompiledExpr {
    const value = compileExpr(expr.value);
    const negated = expr.negated === true;
    const codes = expr.set.kind === 'codes' ? new Set(expr.set.codes) : undefined;
    // A list of text literals: a text value is in it when it equals one of them.
    const texts = expr.set.kind === 'list' && expr.set.items.every(item => item.kind === 'literal' && typeof item.value === 'string')
        ? new Set(expr.set.items.map(item => (item as Extract<Expr, { kind: 'literal' }>).value as string)) : undefined;
    const set = compileExpr(expr.set);
    return scope => {
        const v = value(scope);
        if (v === null) return false;
        if (typeof v === 'string') {
            if (codes) return codes.has(v) !== negated;
            if (texts) return texts.has(v) !== negated;
        }
        const s = set(scope);
        const members = isList(s) ? s : s === null ? [] : [s];
        const items = isList(v) ? v : [v];
        const found = items.some(item => members.some(member => valuesEqual(item, member)));
        return negated ? !found : found;
    };
}

function buildAggregate(expr: Extract<Expr, { kind: 'aggregate' }>): CompiledExpr {
    const where = expr.where ? compileExpr(expr.where) : undefined;
    const valueOf = expr.fn === 'count' || !expr.value ? undefined : compileExpr(expr.value);
    const fn = expr.fn;
    return scope => {
        const values: Value[] = [];
        scope.session.lines.forEach((line, index) => {
            const lineScope: ExprScope = { session: scope.session, line: { line, index }, timed: scope.timed, supportedUnits: scope.supportedUnits };
            if (where && !isTruthy(where(lineScope))) return;
            values.push(valueOf ? valueOf(lineScope) : 1);
        });
        if (fn === 'count') return values.length;
        const numbers = values.filter((value): value is number => typeof value === 'number');
        if (fn === 'sum') return numbers.reduce((sum, value) => sum + value, 0);
        if (numbers.length === 0) return null;
        return fn === 'max' ? Math.max(...numbers) : Math.min(...numbers);
    };
}

/** What fieldValue (evaluate.ts) reads for a path, decided once. */
function fieldAccessor(path: string): CompiledExpr {
    const dot = path.indexOf('.');
    if (dot > 0) {
        const family = path.slice(0, dot);
        const name = path.slice(dot + 1);
        if (family === 'note') return scope => own(scope.session.note, name) ?? null;
        if (family === 'extra') return scope => extraField(name, scope);
        if (family === 'provider') {
            if (name === 'id') return scope => scope.session.provider?.id ?? null;
            if (name === 'role') return scope => scope.session.provider?.role ?? null;
            return () => null;
        }
        if (family === 'authorization') return scope => authorizationField(scope.session, name);
        return () => null;
    }
    switch (path) {
        case 'id': return scope => scope.session.id;
        case 'claim': return scope => scope.session.claim ?? null;
        case 'patient': return scope => scope.session.patient;
        case 'date': return scope => scope.session.date;
        case 'payer': return scope => scope.session.payer;
        case 'discipline': return scope => scope.session.discipline;
        case 'role': return scope => scope.session.provider?.role ?? null;
        case 'diagnoses': return scope => scope.session.diagnoses;
        case 'totalMinutes': return scope => scope.session.totalMinutes ?? null;
        case 'submitted': return scope => scope.session.submitted ?? null;
        case 'timedMinutes': return timedMinutes;
        case 'code': return scope => (scope.line ? scope.line.line.code : null);
        case 'minutes': return scope => (scope.line ? scope.line.line.minutes ?? null : null);
        case 'units': return scope => (scope.line ? scope.line.line.units : null);
        case 'modifiers': return scope => (scope.line ? scope.line.line.modifiers : null);
        case 'charge': return scope => (scope.line ? scope.line.line.charge ?? null : null);
        case 'allowed': return scope => (scope.line ? scope.line.line.allowed ?? null : null);
        case 'assistantMinutes': return scope => (scope.line ? scope.line.line.assistantMinutes ?? null : null);
        case 'timed': return scope => (scope.line ? scope.timed(scope.line.line.code) : null);
        case 'supportedUnits': return scope => (scope.line ? scope.supportedUnits(scope.line.index) : null);
        default: return () => null;
    }
}
