/**
 * `pair`: for one patient, date and payer id (across sessions), a line of `codes` billed with a
 * line of `with` needs one of `modifiers` on either line (NCCI bypass modifiers 59 and X{EPSU}
 * count on either code since 2019); with no modifiers the two may not be billed together.
 * The finding goes on the `codes` line. A line billed with 0 units is not on the claim, so no edit
 * applies to it, on either side.
 * Placeholders: code, other (the partner codes), modifier, date.
 */
import type { PairRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import type { HistoryLine } from '../evaluate/history.js';
import { listWords } from '../util/text.js';
import type { RuleContext } from './context.js';
import { makeFinding } from './finding.js';

interface Partner {
    session: string;
    index: number;
    line: HistoryLine;
}

export function evaluatePair(rule: PairRule, context: RuleContext): Finding[] {
    const { session, entry, history } = context;
    const sameDay = history.sameDate();
    const modifiers = (rule.modifiers ?? []).map(modifier => modifier.toUpperCase());
    const findings: Finding[] = [];
    session.lines.forEach((line, index) => {
        if (!rule.codes.includes(line.code) || !onClaim(line)) return;
        const partners: Partner[] = sameDay.flatMap(other => other.lines.flatMap((candidate, candidateIndex) =>
            rule.with.includes(candidate.code) && onClaim(candidate) && !(other.id === entry.id && candidateIndex === index)
                ? [{ session: other.id, index: candidateIndex, line: candidate }] : []));
        if (partners.length === 0) return;
        const carries = (modifiersOnLine: readonly string[]) => modifiersOnLine.some(modifier => modifiers.includes(modifier));
        const lacking = modifiers.length === 0 ? partners : partners.filter(partner => !carries(line.modifiers) && !carries(partner.line.modifiers));
        if (lacking.length === 0) return;
        findings.push(pairFinding(rule, context, index, lacking));
    });
    return findings;
}

/**
 * Whether the line goes on the claim. A timed service kept on the record with 0 units (7 minutes
 * of 97140 whose pooled minutes went to another code) is not billed, so NCCI pair edits skip it.
 */
export function onClaim(line: { units: number }): boolean {
    return line.units > 0;
}

function pairFinding(rule: PairRule, context: RuleContext, index: number, partners: Partner[]): Finding {
    const { session, entry } = context;
    const code = session.lines[index]!.code;
    const other = listWords([...new Set(partners.map(partner => partner.line.code))], 'and');
    const elsewhere = [...new Set(partners.filter(partner => partner.session !== entry.id).map(partner => partner.session))];
    const where = elsewhere.length > 0 ? ` (in session ${elsewhere.join(', ')})` : '';
    const allowed = rule.modifiers && rule.modifiers.length > 0;
    const modifier = listWords(rule.modifiers ?? []);
    const explain = [`${code} and ${other} are billed for ${session.patient} on ${session.date}${where}`];
    if (allowed) {
        explain.push(`Billed together they need ${rule.modifiers!.length === 1 ? modifier : `one of ${modifier}`} on either line; neither line has one`);
    } else {
        explain.push(`${rule.id}: these codes may not be billed together on one date, with or without a modifier`);
    }
    return makeFinding(rule, context, {
        message: allowed
            ? `${code} billed with ${other} on ${session.date} needs modifier ${modifier}`
            : `${code} may not be billed with ${other} on the same date`,
        values: { code, other, modifier, date: session.date },
        line: index,
        code,
        explain,
        fix: allowed
            ? `Append ${rule.modifiers!.length === 1 ? modifier : `${modifier} (whichever applies)`} to ${code} if the services were distinct; otherwise remove ${code}`
            : `Remove ${code} or ${other} from this date`
    });
}
