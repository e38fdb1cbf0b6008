/** Values of policy expressions and how they compare: missing data is null, and null never satisfies a comparison. */

export type Value = string | number | boolean | null | readonly Value[];

export function isList(value: Value): value is readonly Value[] {
    return Array.isArray(value);
}

/** What counts as "holds" for `when`, `where`, `and`, `or` and `not`. */
export function isTruthy(value: Value): boolean {
    if (value === null || value === false) return false;
    if (typeof value === 'number') return value !== 0;
    if (typeof value === 'string') return value !== '';
    if (isList(value)) return value.length > 0;
    return true;
}

/**
 * Equality of two present values. Codes are text but policies may write them as numbers, so a
 * number and a text compare as text (97530 equals "97530"). A list equals a single value it holds.
 */
export function valuesEqual(left: Value, right: Value): boolean {
    if (left === null || right === null) return false;
    if (isList(left) && isList(right)) return left.length === right.length && left.every((item, i) => valuesEqual(item, right[i]!));
    if (isList(left)) return left.some(item => valuesEqual(item, right));
    if (isList(right)) return right.some(item => valuesEqual(left, item));
    if (typeof left === typeof right) return left === right;
    if (typeof left === 'boolean' || typeof right === 'boolean') return false;
    return String(left) === String(right);
}

/** Ordering of numbers (or numeric text against a number) and of text (ISO dates order as text); otherwise none. */
export function compareValues(left: Value, right: Value): number | undefined {
    if (typeof left === 'number' && typeof right === 'number') return left - right;
    if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
    const a = asNumber(left);
    const b = asNumber(right);
    return a !== undefined && b !== undefined ? a - b : undefined;
}

function asNumber(value: Value): number | undefined {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
    return undefined;
}

/** Arithmetic on numbers only; anything else (or dividing by zero) gives null. */
export function arithmetic(op: '+' | '-' | '*' | '/', left: Value, right: Value): Value {
    if (typeof left !== 'number' || typeof right !== 'number') return null;
    switch (op) {
        case '+': return left + right;
        case '-': return left - right;
        case '*': return left * right;
        case '/': return right === 0 ? null : left / right;
    }
}

/** Outside data (the `extra` of an export) as an expression value: scalars and lists of scalars; objects read as missing. */
export function toValue(data: unknown): Value {
    if (data === null || data === undefined) return null;
    if (typeof data === 'string' || typeof data === 'boolean') return data;
    if (typeof data === 'number') return Number.isFinite(data) ? data : null;
    if (Array.isArray(data)) return data.map(toValue);
    return null;
}

/** A value as it reads inside a message. */
export function formatValue(value: Value): string {
    if (value === null) return 'none';
    if (isList(value)) return value.map(formatValue).join(', ');
    return String(value);
}
