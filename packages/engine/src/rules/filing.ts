/**
 * `filing`: the claim must be filed within N months (the day clamped to the month's length, so
 * Feb 29 + 12 months is Feb 28) or N days of the date of service, the last day included. Compared
 * with `submitted`, else with the evaluation's `asOf` date, else not checked.
 * Placeholders: deadline, submitted (or the as-of date), late (days past the deadline), within.
 */
import type { FilingRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import { addDays, addMonths, daysBetween } from '../util/dates.js';
import { plural } from '../util/text.js';
import type { RuleContext } from './context.js';
import { makeFinding } from './finding.js';

export function filingDeadline(dateOfService: string, within: FilingRule['within']): string {
    // Remembered per period and date: a year of sessions has a few hundred dates.
    let byDate = deadlines.get(within);
    if (!byDate) deadlines.set(within, (byDate = new Map()));
    let deadline = byDate.get(dateOfService);
    if (deadline === undefined) {
        deadline = within.unit === 'months' ? addMonths(dateOfService, within.amount) : addDays(dateOfService, within.amount);
        if (byDate.size > 50_000) byDate.clear();
        byDate.set(dateOfService, deadline);
    }
    return deadline;
}

const deadlines = new WeakMap<FilingRule['within'], Map<string, string>>();

export function evaluateFiling(rule: FilingRule, context: RuleContext): Finding[] {
    const { session, options } = context;
    const deadline = filingDeadline(session.date, rule.within);
    const compared = session.submitted ?? options.asOf;
    if (compared === undefined || compared <= deadline) return [];
    const late = daysBetween(deadline, compared);
    const within = plural(rule.within.amount, rule.within.unit.slice(0, -1));
    const explain = [`Date of service ${session.date} + ${within} = last filing day ${deadline}`];
    if (session.submitted !== undefined) {
        explain.push(`Submitted ${session.submitted}: ${plural(late, 'day')} late`);
        return [makeFinding(rule, context, {
            message: `Submitted ${session.submitted}, ${plural(late, 'day')} after the filing deadline of ${deadline}`,
            values: { deadline, submitted: session.submitted, late, within },
            explain,
            fix: 'The claim is past timely filing: check whether an exception applies before submitting'
        })];
    }
    explain.push(`Not submitted as of ${compared}: ${plural(late, 'day')} past the deadline`);
    return [makeFinding(rule, context, {
        message: `Not submitted, and the filing deadline of ${deadline} has passed`,
        values: { deadline, submitted: compared, late, within },
        explain,
        fix: 'The claim is past timely filing: check whether an exception applies before submitting'
    })];
}
