/**
 * `threshold`: allowed amounts accrue per patient, calendar year and payer id over the lines of
 * sessions in the listed disciplines, in date, session id and line order. A line's amount is its
 * `allowed`, else the payer's fee for the code times its units, else 0. With modifiers, every line whose running
 * total (itself included) exceeds the amount needs one (KX); without, the crossing line is
 * reported once (targeted review).
 * Placeholders: code, amount (the line's amount), total (running total), threshold, year,
 * modifier, disciplines.
 */
import type { ThresholdRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import { amountSource, lineCents } from '../evaluate/accrual.js';
import { own } from '../util/records.js';
import { formatCents, listWords, toCents } from '../util/text.js';
import type { RuleContext } from './context.js';
import { makeFinding } from './finding.js';

interface LineAccrual {
    amountCents: number;
    source: 'allowed' | 'fee' | 'none';
    /** Running total before this line and including it. */
    beforeCents: number;
    totalCents: number;
}

export function evaluateThreshold(rule: ThresholdRule, context: RuleContext): Finding[] {
    const { session } = context;
    if (!rule.disciplines.includes(session.discipline)) return [];
    const thresholdCents = toCents(rule.amount);
    // Most sessions stay under the threshold: the running total after their last line tells.
    if (totalAfter(rule, context) <= thresholdCents) return [];
    const accruals = accrualsFor(rule, context);
    const findings: Finding[] = [];
    session.lines.forEach((line, index) => {
        const accrual = accruals[index]!;
        if (accrual.totalCents <= thresholdCents) return;
        const crossing = accrual.beforeCents <= thresholdCents;
        if (rule.modifiers && rule.modifiers.length > 0) {
            const wanted = rule.modifiers.map(modifier => modifier.toUpperCase());
            if (line.modifiers.some(modifier => wanted.includes(modifier))) return;
            findings.push(needsModifier(rule, context, index, accrual, thresholdCents));
        } else if (crossing) {
            findings.push(crossed(rule, context, index, accrual, thresholdCents));
        }
    });
    return findings;
}

export function totalAfter(rule: ThresholdRule, context: RuleContext): number {
    const { history } = context;
    if (history.ownCents === undefined) {
        let cents = 0;
        for (const line of context.entry.lines) cents += lineCents(context.payer.fees, line);
        history.ownCents = cents;
    }
    return history.thresholdBefore(context.payer.rules.indexOf(rule)) + history.ownCents;
}

/** Accruals for this session's lines, after what the year's earlier sessions accrued (see evaluate/accrual.ts). */
function accrualsFor(rule: ThresholdRule, context: RuleContext): LineAccrual[] {
    let totalCents = context.history.thresholdBefore(context.payer.rules.indexOf(rule));
    const fees = context.payer.fees;
    return context.entry.lines.map(line => {
        const source = amountSource(fees, line);
        const amountCents = lineCents(fees, line);
        const beforeCents = totalCents;
        totalCents += amountCents;
        return { amountCents, source, beforeCents, totalCents };
    });
}

function explain(rule: ThresholdRule, context: RuleContext, index: number, accrual: LineAccrual, thresholdCents: number): string[] {
    const code = context.session.lines[index]!.code;
    const year = context.entry.date.slice(0, 4);
    const units = context.entry.lines[index]!.units;
    const fee = `${context.payer.name} fee for ${code}`;
    const source = accrual.source === 'allowed' ? "the line's allowed amount"
        : accrual.source === 'fee' ? (units === 1 ? fee : `${units} units at the ${fee}, ${formatCents(toCents(own(context.payer.fees, code)!))} each`)
        : 'no allowed amount or fee: counted as $0.00';
    return [
        `${formatCents(accrual.beforeCents)} allowed for ${listWords(rule.disciplines, 'and')} in ${year} before this line (${context.entry.payer})`,
        `${code}: ${formatCents(accrual.amountCents)} (${source})`,
        `Running total ${formatCents(accrual.totalCents)} exceeds ${formatCents(thresholdCents)}`
    ];
}

function values(rule: ThresholdRule, context: RuleContext, index: number, accrual: LineAccrual, thresholdCents: number): Record<string, string> {
    return {
        code: context.session.lines[index]!.code,
        amount: formatCents(accrual.amountCents),
        total: formatCents(accrual.totalCents),
        threshold: formatCents(thresholdCents),
        year: context.entry.date.slice(0, 4),
        modifier: listWords(rule.modifiers ?? []),
        disciplines: listWords(rule.disciplines, 'and')
    };
}

function needsModifier(rule: ThresholdRule, context: RuleContext, index: number, accrual: LineAccrual, thresholdCents: number): Finding {
    const code = context.session.lines[index]!.code;
    const modifier = listWords(rule.modifiers!);
    const one = rule.modifiers!.length === 1 ? modifier : `one of ${modifier}`;
    return makeFinding(rule, context, {
        message: `${code} needs ${modifier}: ${listWords(rule.disciplines, 'and')} allowed amounts reach ${formatCents(accrual.totalCents)} this year, past ${formatCents(thresholdCents)}`,
        values: values(rule, context, index, accrual, thresholdCents),
        line: index,
        code,
        explain: explain(rule, context, index, accrual, thresholdCents),
        fix: `Append ${one} to ${code} (with documentation that the services remain medically necessary)`
    });
}

function crossed(rule: ThresholdRule, context: RuleContext, index: number, accrual: LineAccrual, thresholdCents: number): Finding {
    const code = context.session.lines[index]!.code;
    return makeFinding(rule, context, {
        message: `${listWords(rule.disciplines, 'and')} allowed amounts reach ${formatCents(accrual.totalCents)} this year with ${code}, past ${formatCents(thresholdCents)}`,
        values: values(rule, context, index, accrual, thresholdCents),
        line: index,
        code,
        explain: explain(rule, context, index, accrual, thresholdCents)
    });
}
