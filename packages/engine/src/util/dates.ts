/** ISO calendar dates (YYYY-MM-DD) as plain strings: they sort and compare as text, so no Date objects leak time zones. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
    year: number;
    month: number;
    day: number;
}

/** The parts of a `YYYY-MM-DD` string, or undefined when it has another shape. */
export function dateParts(text: string): DateParts | undefined {
    const match = ISO_DATE.exec(text);
    if (!match) return undefined;
    return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function isLeapYear(year: number): boolean {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
    if (month === 2) return isLeapYear(year) ? 29 : 28;
    return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether the parts name a day that exists (no February 30, no month 13). */
export function isRealDate(parts: DateParts): boolean {
    return parts.month >= 1 && parts.month <= 12 && parts.day >= 1 && parts.day <= daysInMonth(parts.year, parts.month);
}

export function isIsoDate(text: string): boolean {
    const parts = dateParts(text);
    return parts !== undefined && isRealDate(parts);
}

export function formatDate(parts: DateParts): string {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
}

function requireParts(date: string): DateParts {
    const parts = dateParts(date);
    if (!parts || !isRealDate(parts)) throw new Error(`Not an ISO date: ${date}`);
    return parts;
}

/** Days since 1970-01-01 (UTC arithmetic is exact for whole days). */
function dayNumber(parts: DateParts): number {
    return Math.round(Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000);
}

function fromDayNumber(days: number): DateParts {
    const date = new Date(days * 86_400_000);
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function addDays(date: string, days: number): string {
    return formatDate(fromDayNumber(dayNumber(requireParts(date)) + days));
}

/** Adds calendar months, clamping the day to the target month's length (Feb 29 + 12 months = Feb 28). */
export function addMonths(date: string, months: number): string {
    const parts = requireParts(date);
    const index = parts.year * 12 + (parts.month - 1) + months;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    return formatDate({ year, month, day: Math.min(parts.day, daysInMonth(year, month)) });
}

export function daysBetween(from: string, to: string): number {
    return dayNumber(requireParts(to)) - dayNumber(requireParts(from));
}

/** Monday of the ISO week (Monday to Sunday) that holds the date. */
export function weekStart(date: string): string {
    const days = dayNumber(requireParts(date));
    const weekday = (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday: Monday = 0
    return formatDate(fromDayNumber(days - weekday));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function monthName(month: number): string {
    return MONTHS[month - 1] ?? String(month);
}
