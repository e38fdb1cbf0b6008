/**
 * Turns one raw record (parsed JSON, or a CSV session assembled into the same shape) into a
 * `Session`, or into the list of everything wrong with it, worded for the person fixing the export.
 */
import type { Discipline, ProviderRole } from '../ir/policy.js';
import { dateParts, isRealDate } from '../util/dates.js';
import { isPlainObject, recordOf } from '../util/records.js';
import { describeValue } from '../util/text.js';
import type { Session, SessionLine } from './session.js';

export type ParsedRecord =
    | { ok: true; session: Session }
    | { ok: false; id?: string; error: string };

export interface ParseOptions {
    /** How a claim line is named in reasons (JSON: "claim line 2 (97110)"); CSV names the spreadsheet row instead. */
    lineLabel?: (index: number, raw: unknown) => string;
    /** How a field is named in reasons (CSV says `total_minutes` where JSON says `totalMinutes`). */
    fieldName?: (name: string) => string;
}

const DISCIPLINES: readonly Discipline[] = ['PT', 'OT', 'SLP'];
const ROLES: readonly ProviderRole[] = ['PT', 'PTA', 'OT', 'OTA', 'SLP', 'SLPA', 'other'];
const SESSION_FIELDS = new Set([
    'id', 'claim', 'patient', 'date', 'payer', 'discipline', 'provider', 'diagnoses', 'lines',
    'totalMinutes', 'note', 'submitted', 'authorization', 'extra'
]);
const LINE_FIELDS = new Set(['code', 'minutes', 'units', 'modifiers', 'charge', 'allowed', 'assistantMinutes', 'extra']);
/** Dates already found real (a year of dates is a few hundred): validating a million sessions parses each once. */
const knownDates = new Set<string>();

/** Collects problems so one pass reports all of them, each with where it is in the record. */
class Problems {
    readonly list: string[] = [];
    /** Where in the record the next problems are (a line), prefixed to them. */
    where: string | undefined;

    constructor(private readonly renameField?: (name: string) => string) {}

    private rename(field: string): string {
        return this.renameField ? this.renameField(field) : field;
    }

    add(message: string): void {
        this.list.push(this.where !== undefined ? `${this.where}: ${message}` : message);
    }

    /** Required or optional string; `null` counts as absent, an empty string as missing when required. */
    string(value: unknown, field: string, required: boolean): string | undefined {
        if (typeof value === 'string' && value !== '') return value;
        const name = this.rename(field);
        if (value === undefined || value === null || (required && value === '')) {
            if (required) this.add(`missing required field "${name}"`);
            return undefined;
        }
        if (typeof value !== 'string') {
            this.add(`${name} must be text, not ${describeValue(value)}`);
            return undefined;
        }
        return value;
    }

    count(value: unknown, field: string, required: boolean): number | undefined {
        if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
        const name = this.rename(field);
        if (value === undefined || value === null) {
            if (required) this.add(`missing required field "${name}"`);
            return undefined;
        }
        // Past 2^53 a number is no longer read exactly (9007199254740993 reads as ...992, so it is not quoted): no real count is that large.
        if (typeof value === 'number' && value > Number.MAX_SAFE_INTEGER) {
            this.add(`${name} is too large to be a real count (more than 9,007,199,254,740,991)`);
            return undefined;
        }
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
            this.add(`${name} must be a non-negative integer, not ${describeValue(value)}`);
            return undefined;
        }
        return value;
    }

    money(value: unknown, field: string): number | undefined {
        if (value === undefined || value === null) return undefined;
        if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
        const name = this.rename(field);
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
            // "38,12": a decimal comma, which would otherwise pass for thousands.
            const hint = typeof value === 'string' && /^\$?\d+,\d{1,2}$/.test(value.trim()) ? ` (write the cents after a point: ${value.trim().replace(',', '.')})` : '';
            this.add(`${name} must be a non-negative amount, not ${describeValue(value)}${hint}`);
            return undefined;
        }
        return value;
    }

    date(value: unknown, field: string, required: boolean): string | undefined {
        const text = this.string(value, field, required);
        if (text === undefined) return undefined;
        if (knownDates.has(text)) return text;
        const name = this.rename(field);
        const parts = dateParts(text);
        if (!parts) {
            this.add(`${name} must be an ISO date (YYYY-MM-DD), not ${describeValue(text)}`);
            return undefined;
        }
        if (!isRealDate(parts)) {
            this.add(`${name} ${describeValue(text)} is not a real date`);
            return undefined;
        }
        if (knownDates.size > 50_000) knownDates.clear();
        knownDates.add(text);
        return text;
    }

    oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], required: boolean): T | undefined {
        const text = this.string(value, field, required);
        if (text === undefined) return undefined;
        if (!(allowed as readonly string[]).includes(text)) {
            const name = this.rename(field);
            this.add(`${name} must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, not ${describeValue(text)}`);
            return undefined;
        }
        return text as T;
    }

    /** A list of text items; codes and modifiers are compared in capitals, so they are stored that way. */
    textList(value: unknown, field: string, upperCase: boolean): string[] {
        if (value === undefined || value === null) return [];
        if (!Array.isArray(value) || value.some(item => typeof item !== 'string')) {
            this.add(`${this.rename(field)} must be a list of text items, not ${describeValue(value)}`);
            return [];
        }
        const items: string[] = [];
        for (const item of value as string[]) {
            const text = upperCase ? item.trim().toUpperCase() : item.trim();
            if (text !== '') items.push(text);
        }
        return items;
    }

    object(value: unknown, field: string): Record<string, unknown> | undefined {
        if (value === undefined || value === null) return undefined;
        if (!isPlainObject(value)) {
            this.add(`${this.rename(field)} must be an object, not ${describeValue(value)}`);
            return undefined;
        }
        return value;
    }
}

/** Validates one record; `record` is its 1-based position, used only by callers for reporting. */
export function parseSessionRecord(raw: unknown, _record: number, options: ParseOptions = {}): ParsedRecord {
    if (!isPlainObject(raw)) return { ok: false, error: `a session must be an object, not ${describeValue(raw)}` };
    const problems = new Problems(options.fieldName);
    const rawId = raw['id'];
    const id = problems.string(rawId, 'id', true);
    const session: Partial<Session> = {};
    if (id !== undefined) session.id = id;
    assignIfDefined(session, 'claim', problems.string(raw['claim'], 'claim', false));
    assignIfDefined(session, 'patient', problems.string(raw['patient'], 'patient', true));
    assignIfDefined(session, 'date', problems.date(raw['date'], 'date', true));
    assignIfDefined(session, 'payer', problems.string(raw['payer'], 'payer', true));
    assignIfDefined(session, 'discipline', problems.oneOf(raw['discipline'], 'discipline', DISCIPLINES, true));
    assignIfDefined(session, 'provider', parseProvider(raw['provider'], problems));
    session.diagnoses = problems.textList(raw['diagnoses'], 'diagnoses', false);
    session.lines = parseLines(raw['lines'], problems, options.lineLabel ?? claimLineLabel);
    assignIfDefined(session, 'totalMinutes', problems.count(raw['totalMinutes'], 'totalMinutes', false));
    session.note = parseNote(raw['note'], problems);
    assignIfDefined(session, 'submitted', problems.date(raw['submitted'], 'submitted', false));
    assignIfDefined(session, 'authorization', parseAuthorization(raw['authorization'], problems));
    const extra = collectExtra(raw, SESSION_FIELDS, problems.object(raw['extra'], 'extra'));
    if (extra) session.extra = extra;
    if (problems.list.length > 0) {
        return { ok: false, ...(typeof rawId === 'string' && rawId !== '' ? { id: rawId } : {}), error: problems.list.join('; ') };
    }
    return { ok: true, session: session as Session };
}

function assignIfDefined<K extends keyof Session>(target: Partial<Session>, key: K, value: Session[K] | undefined): void {
    if (value !== undefined) target[key] = value;
}

function parseProvider(value: unknown, problems: Problems): Session['provider'] {
    const raw = problems.object(value, 'provider');
    if (!raw) return undefined;
    const provider: NonNullable<Session['provider']> = {};
    const id = problems.string(raw['id'], 'provider.id', false);
    const role = problems.oneOf(raw['role'], 'provider.role', ROLES, false);
    if (id !== undefined) provider.id = id;
    if (role !== undefined) provider.role = role;
    return provider;
}

function parseLines(value: unknown, problems: Problems, label: (index: number, raw: unknown) => string): SessionLine[] {
    if (value === undefined || value === null) {
        problems.add('missing required field "lines"');
        return [];
    }
    if (!Array.isArray(value)) {
        problems.add(`lines must be a list of claim lines, not ${describeValue(value)}`);
        return [];
    }
    if (value.length === 0) problems.add('lines must hold at least one claim line');
    return value.map((raw, index) => parseLine(raw, problems, label(index, raw)));
}

/**
 * How a problem names a claim line of a JSON session: counted from 1, as a biller counts them,
 * with its code when the code reads as one (letters and digits, at least one digit: 97530, G0283,
 * 0001F). Anything else in the code field may be a name typed in the wrong column: not quoted.
 */
function claimLineLabel(index: number, raw: unknown): string {
    const code = isPlainObject(raw) && typeof raw['code'] === 'string' ? raw['code'].trim().toUpperCase() : '';
    return `claim line ${index + 1}${LOOKS_LIKE_A_CODE.test(code) ? ` (${code})` : ''}`;
}

const LOOKS_LIKE_A_CODE = /^(?=[A-Z]*\d)[A-Z0-9]{4,7}$/;

function parseLine(value: unknown, problems: Problems, where: string): SessionLine {
    const line: SessionLine = { code: '', units: 0, modifiers: [] };
    if (!isPlainObject(value)) {
        problems.add(`${where}: a claim line must be an object, not ${describeValue(value)}`);
        return line;
    }
    // The line's problems read "<where>: ...".
    const local = problems;
    local.where = where;
    const code = local.string(value['code'], 'code', true)?.trim().toUpperCase();
    if (code === '') local.add('missing required field "code"');
    line.code = code ?? '';
    const minutes = local.count(value['minutes'], 'minutes', false);
    if (minutes !== undefined) line.minutes = minutes;
    line.units = local.count(value['units'], 'units', true) ?? 0;
    line.modifiers = local.textList(value['modifiers'], 'modifiers', true);
    const charge = local.money(value['charge'], 'charge');
    if (charge !== undefined) line.charge = charge;
    const allowed = local.money(value['allowed'], 'allowed');
    if (allowed !== undefined) line.allowed = allowed;
    const assistant = local.count(value['assistantMinutes'], 'assistantMinutes', false);
    if (assistant !== undefined) line.assistantMinutes = assistant;
    const extra = collectExtra(value, LINE_FIELDS, local.object(value['extra'], 'extra'));
    if (extra) line.extra = extra;
    local.where = undefined;
    return line;
}

function parseNote(value: unknown, problems: Problems): Record<string, string> {
    const raw = problems.object(value, 'note');
    if (!raw) return {};
    const note: Record<string, string> = {};
    for (const element of Object.keys(raw)) {
        const text = raw[element];
        if (text === null || text === undefined) continue;
        if (typeof text !== 'string') problems.add(`note element "${element}" must be text, not ${describeValue(text)}`);
        else setOwn(note, element, text);
    }
    return note;
}

/** As Object.fromEntries would: an own property even for `__proto__`. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
    if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    else target[key] = value;
}

function parseAuthorization(value: unknown, problems: Problems): Session['authorization'] {
    const raw = problems.object(value, 'authorization');
    if (!raw) return undefined;
    const authorization: NonNullable<Session['authorization']> = {};
    const id = problems.string(raw['id'], 'authorization.id', false);
    const approved = problems.count(raw['visitsApproved'], 'authorization.visitsApproved', false);
    const visit = problems.count(raw['visitNumber'], 'authorization.visitNumber', false);
    if (id !== undefined && id !== '') authorization.id = id;
    if (approved !== undefined) authorization.visitsApproved = approved;
    if (visit !== undefined) authorization.visitNumber = visit;
    return authorization;
}

/** Fields beyond the known ones, kept as given (merged with an explicit `extra` object), never dropped. */
function collectExtra(raw: Record<string, unknown>, known: ReadonlySet<string>, explicit: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!explicit) {
        let unknown = false;
        for (const name of Object.keys(raw)) {
            if (!known.has(name)) {
                unknown = true;
                break;
            }
        }
        if (!unknown) return undefined;
    }
    const entries: [string, unknown][] = explicit ? Object.entries(explicit) : [];
    for (const [name, value] of Object.entries(raw)) {
        if (!known.has(name)) entries.push([name, value]);
    }
    return entries.length > 0 ? recordOf(entries) : undefined;
}
