/**
 * Safe access to records keyed by outside data (codes, note elements, columns): a key such as
 * `constructor` or `__proto__` must never reach Object.prototype.
 */

/** The record's own value for the key, never an inherited one. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
    return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A plain object from entries; Object.fromEntries defines own properties, so `__proto__` stays data. */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
    return Object.fromEntries(entries) as Record<string, T>;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One map key for several parts, different for different parts whatever they hold: each part is
 * written after its length (a separator alone would let "a" + "b:c" and "a:b" + "c" meet).
 */
export function groupKey(...parts: (string | number)[]): string {
    let key = '';
    for (const part of parts) {
        const text = String(part);
        key += `${text.length}:${text}`;
    }
    return key;
}
