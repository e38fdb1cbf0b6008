/** A small checker of JSON shapes that says where a value is wrong: `payers[0].rules[2].max must be ...`. */
import { isIsoDate } from '../util/dates.js';
import { isPlainObject } from '../util/records.js';
import { describeValue } from '../util/text.js';

export class ShapeChecker {
    readonly errors: string[] = [];

    fail(path: string, message: string): void {
        this.errors.push(`${path} ${message}`);
    }

    object(value: unknown, path: string): Record<string, unknown> | undefined {
        if (isPlainObject(value)) return value;
        this.fail(path, `must be an object, not ${describeValue(value)}`);
        return undefined;
    }

    array(value: unknown, path: string): unknown[] {
        if (Array.isArray(value)) return value;
        this.fail(path, `must be a list, not ${describeValue(value)}`);
        return [];
    }

    string(value: unknown, path: string, optional = false): value is string {
        if (optional && value === undefined) return true;
        if (typeof value === 'string') return true;
        this.fail(path, `must be text, not ${describeValue(value)}`);
        return false;
    }

    strings(value: unknown, path: string, optional = false): void {
        if (optional && value === undefined) return;
        this.array(value, path).forEach((item, index) => this.string(item, `${path}[${index}]`));
    }

    number(value: unknown, path: string, { optional = false, integer = false } = {}): void {
        if (optional && value === undefined) return;
        if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && (!integer || Number.isInteger(value))) return;
        this.fail(path, `must be a non-negative ${integer ? 'integer' : 'number'}, not ${describeValue(value)}`);
    }

    boolean(value: unknown, path: string): void {
        if (typeof value !== 'boolean') this.fail(path, `must be true or false, not ${describeValue(value)}`);
    }

    oneOf(value: unknown, path: string, allowed: readonly string[], optional = false): void {
        if (optional && value === undefined) return;
        if (typeof value === 'string' && allowed.includes(value)) return;
        this.fail(path, `must be one of ${allowed.join(', ')}, not ${describeValue(value)}`);
    }

    date(value: unknown, path: string, optional = false): void {
        if (optional && value === undefined) return;
        if (typeof value === 'string' && isIsoDate(value)) return;
        this.fail(path, `must be an ISO date (YYYY-MM-DD), not ${describeValue(value)}`);
    }
}
