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
            findings.push(makeFinding(rule, context, {
                message: `The note's ${rule.element} states no number of minutes: "${text.slice(0, 60)}"`,
                values: { minutes, element: rule.element, tolerance },
                explain: [`${rule.id} compares the timed minutes the note states with the ${minutes} minutes on timed lines`],
                fix: `Write the total timed minutes as a number in ${rule.element}`
            }));
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

/** The first whole number in the element's text ("38", "38 min", "Total timed: 38 minutes"). */
export function statedMinutes(text: string): number | undefined {
    const match = /\d+/.exec(text);
    return match ? Number(match[0]) : undefined;
}
