/**
 * The validator's fast path for the streaming evaluation: a record that is already exactly what
 * validation would make of it (known fields only, every value of the right type, codes and
 * modifiers already trimmed capitals) is taken as it is: its values are not copied, only put in
 * a session and lines of one shape each. Anything else goes through parseSessionRecord
 * (sessions/validate.ts), the reference. The session read either way holds the same values
 * (stream-units.test.ts); only its keys may differ (here every field is a key, undefined when
 * absent, in one order), which nothing in a report depends on.
 * The in-memory route keeps the reference alone: its sessions also feed reports that print records.
 */
import type { Session, SessionLine } from '../sessions/session.js';
import { parseSessionRecord, type ParsedRecord, type ParseOptions } from '../sessions/validate.js';
import { dateParts, isRealDate } from '../util/dates.js';

const SESSION_FIELDS = new Set(['id', 'claim', 'patient', 'date', 'payer', 'discipline', 'provider', 'diagnoses', 'lines', 'totalMinutes', 'note', 'submitted', 'authorization']);
const LINE_FIELDS = new Set(['code', 'minutes', 'units', 'modifiers', 'charge', 'allowed', 'assistantMinutes']);
const PROVIDER_FIELDS = new Set(['id', 'role']);
const AUTHORIZATION_FIELDS = new Set(['id', 'visitsApproved', 'visitNumber']);
const DISCIPLINES = new Set(['PT', 'OT', 'SLP']);
const ROLES = new Set(['PT', 'PTA', 'OT', 'OTA', 'SLP', 'SLPA', 'other']);
const dates = new Set<string>();

export function parseSessionFast(raw: unknown, record: number, options?: ParseOptions): ParsedRecord {
    const session = asIs(raw);
    return session ? { ok: true, session } : parseSessionRecord(raw, record, options);
}

function asIs(raw: unknown): Session | undefined {
    if (!isObject(raw) || !onlyKnown(raw, SESSION_FIELDS)) return undefined;
    const { id, claim, patient, date, payer, discipline, provider, diagnoses, lines, totalMinutes, note, submitted, authorization } = raw;
    if (!text(id) || !text(patient) || !text(payer) || !isDate(date) || typeof discipline !== 'string' || !DISCIPLINES.has(discipline)) return undefined;
    if (claim !== undefined && typeof claim !== 'string') return undefined;
    if (provider !== undefined && !isProvider(provider)) return undefined;
    if (diagnoses !== undefined && !(Array.isArray(diagnoses) && diagnoses.every(item => typeof item === 'string' && item !== '' && item === item.trim()))) return undefined;
    if (!Array.isArray(lines) || lines.length === 0) return undefined;
    const sessionLines: SessionLine[] = [];
    for (const value of lines) {
        const line = lineAsIs(value);
        if (!line) return undefined;
        sessionLines.push(line);
    }
    if (totalMinutes !== undefined && !isCount(totalMinutes)) return undefined;
    if (note !== undefined && !(isObject(note) && allText(note))) return undefined;
    if (submitted !== undefined && !isDate(submitted)) return undefined;
    if (authorization !== undefined && !isAuthorization(authorization)) return undefined;
    // Every property present (undefined when the record has none), in one order: one shape for
    // every session, so the code that reads sessions stays monomorphic and is optimized once.
    return {
        id,
        claim: claim as string | undefined,
        patient,
        date,
        payer,
        discipline: discipline as Session['discipline'],
        provider: provider as Session['provider'],
        diagnoses: (diagnoses as string[] | undefined) ?? [],
        lines: sessionLines,
        totalMinutes: totalMinutes as number | undefined,
        note: (note as Record<string, string> | undefined) ?? {},
        submitted: submitted as string | undefined,
        authorization: authorization as Session['authorization'],
        extra: undefined
    };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function onlyKnown(value: Record<string, unknown>, known: ReadonlySet<string>): boolean {
    // for-in rather than Object.keys: no array per object (the value is a plain object, checked above).
    for (const key in value) if (!known.has(key)) return false;
    return true;
}

/** Whether every value of a plain object is a string (for-in: no array per object, as in onlyKnown). */
function allText(value: Record<string, unknown>): boolean {
    for (const key in value) if (typeof value[key] !== 'string') return false;
    return true;
}

function text(value: unknown): value is string {
    return typeof value === 'string' && value !== '';
}

function isCount(value: unknown): boolean {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isMoney(value: unknown): boolean {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isDate(value: unknown): value is string {
    if (typeof value !== 'string') return false;
    if (dates.has(value)) return true;
    const parts = dateParts(value);
    if (!parts || !isRealDate(parts)) return false;
    if (dates.size > 50_000) dates.clear();
    dates.add(value);
    return true;
}

/** Capitals already trimmed: what validation would store for a code or a modifier. */
function isCapital(value: unknown): boolean {
    return typeof value === 'string' && value !== '' && value === value.trim().toUpperCase();
}

/** The line in one shape (every field a key, in one order), like the session: JSON.parse gives a line a shape of its own for each set of fields, and for whole or fractional amounts. */
function lineAsIs(value: unknown): SessionLine | undefined {
    if (!isObject(value) || !onlyKnown(value, LINE_FIELDS)) return undefined;
    const { code, minutes, units, modifiers, charge, allowed, assistantMinutes } = value;
    const valid = isCapital(code) && isCount(units) && Array.isArray(modifiers) && modifiers.every(isCapital)
        && (minutes === undefined || isCount(minutes)) && (charge === undefined || isMoney(charge))
        && (allowed === undefined || isMoney(allowed)) && (assistantMinutes === undefined || isCount(assistantMinutes));
    if (!valid) return undefined;
    return {
        code: code as string,
        minutes: minutes as number | undefined,
        units: units as number,
        modifiers: modifiers as string[],
        charge: charge as number | undefined,
        allowed: allowed as number | undefined,
        assistantMinutes: assistantMinutes as number | undefined,
        extra: undefined
    };
}

function isProvider(value: unknown): boolean {
    if (!isObject(value) || !onlyKnown(value, PROVIDER_FIELDS)) return false;
    return (value['id'] === undefined || typeof value['id'] === 'string') && (value['role'] === undefined || (typeof value['role'] === 'string' && ROLES.has(value['role'])));
}

function isAuthorization(value: unknown): boolean {
    if (!isObject(value) || !onlyKnown(value, AUTHORIZATION_FIELDS)) return false;
    const { id, visitsApproved, visitNumber } = value;
    return (id === undefined || text(id)) && (visitsApproved === undefined || isCount(visitsApproved)) && (visitNumber === undefined || isCount(visitNumber));
}
