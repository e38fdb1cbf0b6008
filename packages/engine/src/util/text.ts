/** Small wording helpers shared by messages, explanations and fixes. */

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
    return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** "a", "a or b", "a, b or c". */
export function listWords(items: readonly string[], conjunction = 'or'): string {
    if (items.length <= 1) return items[0] ?? '';
    return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Money kept in whole cents so sums do not drift. */
export function toCents(amount: number): number {
    return Math.round(amount * 100);
}

/** A whole number with commas between groups of three digits: 12,345. */
export function groupDigits(count: number): string {
    return count.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatCents(cents: number): string {
    const sign = cents < 0 ? '-' : '';
    const abs = Math.abs(cents);
    const dollars = groupDigits(Math.floor(abs / 100));
    return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}

export function formatMoney(amount: number): string {
    return formatCents(toCents(amount));
}

/** How a value reads inside an error message: short text quoted (describeText), others by kind. */
export function describeValue(value: unknown): string {
    if (typeof value === 'string') return describeText(value);
    if (value === undefined) return 'nothing';
    if (Array.isArray(value)) return 'a list';
    if (typeof value === 'object' && value !== null) return 'an object';
    return String(value);
}

/** Longest text a message quotes: a code, a number, a date, an id. */
const QUOTED_LENGTH = 24;

/**
 * How a piece of input text reads inside a message. One word of at most 24 characters (a code,
 * a number, a date: what a biller needs to see to fix it) is quoted; anything longer, or with
 * spaces, may be a note or a patient's name put in the wrong field, so only its length is given.
 */
export function describeText(text: string): string {
    if (isQuotable(text)) return JSON.stringify(text);
    if (text.trim() === '') return 'blank text';
    return `text of ${plural(text.length, 'character')}`;
}

/** Whether a message may quote the text (describeText). */
export function isQuotable(text: string): boolean {
    return text.length <= QUOTED_LENGTH && !/\s/.test(text);
}
