/**
 * `consistency`: billed timed minutes agree with the documentation. Timed minutes (minutes on
 * timed lines) may not exceed the documented total treatment time by more than the tolerance, and
 * the timed minutes the note states (the `element`) may not differ from them by more than it.
 * Placeholders: minutes (timed minutes on the lines), total (totalMinutes), stated, difference,
 * tolerance, element.
 */
import { timedMinutes } from '../expr/evaluate.js';
import type { ConsistencyRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import { own } from '../util/records.js';
import type { RuleContext } from './context.js';
import { makeFinding } from './finding.js';

export function evaluateConsistency(rule: ConsistencyRule, context: RuleContext): Finding[] {
    const { session } = context;
    const minutes = timedMinutes(context.scope);
    const tolerance = rule.toleranceMinutes;
    const findings: Finding[] = [];
    if (session.totalMinutes !== undefined && minutes > session.totalMinutes + tolerance) {
        const difference = minutes - session.totalMinutes;
        findings.push(makeFinding(rule, context, {
            message: `Timed lines add up to ${minutes} minutes, more than the ${session.totalMinutes} minutes of total treatment time documented`,
            values: { minutes, total: session.totalMinutes, difference, tolerance, element: rule.element ?? '' },
            explain: [
                `Timed minutes on the lines: ${minutes}`,
                `Total treatment time documented (totalMinutes): ${session.totalMinutes}`,
                `Difference ${difference} minutes; tolerance ${tolerance}`
            ],
            fix: 'Correct the line minutes or the documented total treatment time so they agree'
        }));
    }
    const text = rule.element ? own(session.note, rule.element)?.trim() : undefined;
    if (rule.element && text) {
        const stated = statedMinutes(text);
        if (stated === undefined) {
            findings.push(unreadFinding(rule, context, rule.element, text, minutes));
        } else if (Math.abs(stated - minutes) > tolerance) {
            const difference = Math.abs(stated - minutes);
            findings.push(makeFinding(rule, context, {
                message: `The note states ${stated} timed minutes; the timed lines add up to ${minutes}`,
                values: { minutes, stated, difference, tolerance, element: rule.element },
                explain: [
                    `${rule.element} in the note: ${stated} minutes`,
                    `Timed minutes on the lines: ${minutes}`,
                    `Difference ${difference} minutes; tolerance ${tolerance}`
                ],
                fix: `Make the line minutes and the note's ${rule.element} agree (bill from the documented time)`
            }));
        }
    }
    return findings;
}

/** The element states no total timed minutes Payrule can read: no number at all, or several it cannot choose from. */
function unreadFinding(rule: ConsistencyRule, context: RuleContext, element: string, text: string, minutes: number): Finding {
    const quoted = `"${text.slice(0, 60)}"`;
    return makeFinding(rule, context, {
        message: writtenNumbers(text).length === 0
            ? `The note's ${element} states no number of minutes: ${quoted}`
            : `Payrule cannot tell the total timed minutes from the note's ${element}: ${quoted}`,
        values: { minutes, element, tolerance: rule.toleranceMinutes },
        explain: [
            `${rule.id} compares the timed minutes the note states with the ${minutes} minutes on timed lines`,
            'It reads a total after "=" or "total", else the one number followed by "min", else the only number; never a CPT or HCPCS code'
        ],
        fix: `Write the total timed minutes as one number in ${element} ("40 min", or "97110 25 + 97140 15 = 40")`
    });
}

/**
 * A number written in the note: its value as minutes (none for a code, a decimal, "3x10", hours,
 * units), where it starts, whether "min" or hours follow and whether "=" comes before it.
 */
interface Written {
    minutes: number | undefined;
    code: boolean;
    start: number;
    min: boolean;
    hours: boolean;
    equals: boolean;
}

/** Runs of letters and digits that hold a digit: "38", "38min", "97110", "G0283", "3x10". */
const NUMBER = /[A-Za-z]*\d+(?:\.\d+)?[A-Za-z]*/g;
/** CPT (5 digits) and HCPCS (a letter and 4 digits) codes, and CPT category II/III (4 digits and a letter). */
const CODE = /^(?:\d{5}|[A-Za-z]\d{4}|\d{4}[A-Za-z])$/;
const MIN_ATTACHED = /^(\d+)(mins?|minutes?)?$/i;
// Sticky: tested at the end of a number, without copying the rest of the text.
const MIN_AFTER = /\s*(?:mins?|minutes?)\b/iy;
const HOURS_AFTER = /\s*(?:h|hrs?|hours?)\b/iy;
const UNITS_AFTER = /\s*units?\b/iy;
const EQUALS_BEFORE = /=\s*$/;
/** Words that may stand between "total" and its number: "Total timed code treatment minutes: 38". */
const TOTAL_WORDS = /\b(?:timed|treatment|therapy|billable|time|code|codes|minutes?|mins?|of|is|was)\b|[\s:=-]/gi;

function writtenNumbers(text: string): Written[] {
    let previousEnd = 0;
    return [...text.matchAll(NUMBER)].map(match => {
        const start = match.index;
        const end = start + match[0].length;
        const plain = MIN_ATTACHED.exec(match[0]);
        const code = CODE.test(match[0]);
        const equals = EQUALS_BEFORE.test(text.slice(previousEnd, start));
        previousEnd = end;
        const hours = followedBy(HOURS_AFTER, text, end);
        return {
            minutes: plain && !code && !hours && !followedBy(UNITS_AFTER, text, end) ? Number(plain[1]) : undefined,
            code,
            start,
            min: plain?.[2] !== undefined || followedBy(MIN_AFTER, text, end),
            hours,
            equals
        };
    });
}

function followedBy(sticky: RegExp, text: string, at: number): boolean {
    sticky.lastIndex = at;
    return sticky.test(text);
}

/**
 * The total timed minutes a note's element states, read as a person would: "97110 25 min + 97140
 * 15 min = 40" means 40, not 97110. In order: the total after the word "total" (the timed one;
 * never the total treatment time) or after "="; else the one number followed by "min"; else the
 * only number. A code, a count of units or a number of hours is never minutes. Undefined when it
 * cannot tell (numbers that disagree, hours, a note that also counts untimed minutes without a
 * timed total), so the rule never claims a number the note does not state.
 */
export function statedMinutes(text: string): number | undefined {
    // The usual case, a bare number ("38"), needs no reading.
    if (/^\d{1,4}$/.test(text)) return Number(text);
    const numbers = writtenNumbers(text);
    // "1 hr 15 min": a total in hours would need adding up; not read.
    if (numbers.some(number => number.hours)) return undefined;
    const totals = afterTotal(text, numbers);
    const timed = totals.filter(total => total.timed);
    // A note that also counts untimed minutes: only a total called "timed" is the timed one
    // ("timed 25 + untimed 20 = 45" does not state 45 timed minutes).
    if (/\buntimed\b/i.test(text)) return onlyValue(timed);
    // The total treatment time (timed and untimed) is not the timed total: left out from here on.
    const treatment = new Set(totals.filter(total => total.treatment).map(total => total.number));
    const timedOrPlain = totals.filter(total => !total.treatment);
    if (timedOrPlain.length > 0) return onlyValue(timed.length > 0 ? timed : timedOrPlain);
    const rest = numbers.filter(number => !treatment.has(number));
    const equals = rest.filter(number => number.equals && number.minutes !== undefined);
    if (equals.length > 0) return onlyValue(equals);
    const withMin = rest.filter(number => number.min && number.minutes !== undefined);
    if (withMin.length > 0) return withMin.length === 1 ? withMin[0]!.minutes : undefined;
    const others = rest.filter(number => !number.code);
    return others.length === 1 ? others[0]!.minutes : undefined;
}

interface Total {
    minutes: number;
    /** Called the timed total; or the total treatment time (timed and untimed), which is not. */
    timed: boolean;
    treatment: boolean;
    number: Written;
}

/** The number right after each "total" (only the words of TOTAL_WORDS between), and whether those words say "timed". */
function afterTotal(text: string, numbers: readonly Written[]): Total[] {
    const totals: Total[] = [];
    for (const match of text.matchAll(/\btotals?\b/gi)) {
        const end = match.index + match[0].length;
        const next = numbers.find(number => number.start >= end);
        if (!next || next.minutes === undefined) continue;
        const between = text.slice(end, next.start);
        if (between.replace(TOTAL_WORDS, '') !== '') continue;
        const timed = /\btimed\b/i.test(between);
        totals.push({ minutes: next.minutes, timed, treatment: !timed && /\btreatment\b/i.test(between), number: next });
    }
    return totals;
}

/** The value they all state, or undefined when they disagree. */
function onlyValue(stated: readonly { minutes: number | undefined }[]): number | undefined {
    const values = new Set(stated.map(number => number.minutes));
    return values.size === 1 ? stated[0]!.minutes : undefined;
}
