/**
 * Likely mistakes that are still valid policy: a KX requirement with no amount behind it, and
 * rules that do not say where they come from.
 */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { AstUtils } from 'langium';
import { isMoneyLiteral, type Expression, type LineRule, type PayruleAstType, type PolicyRule } from '../generated/ast.js';

/** The modifier that marks therapy above the yearly threshold (SSA 1833(g)). */
export const THRESHOLD_MODIFIER = 'KX';

export function likelyMistakeChecks(): ValidationChecks<PayruleAstType> {
    return {
        LineRule: checkKxWithoutAmount,
        PolicyRule: checkCitation
    };
}

/**
 * KX says "the yearly threshold is passed and the care is still necessary". A plain rule that
 * requires it, with no dollar amount in its conditions, demands KX on every matching line from
 * the first visit: the amount belongs in a `threshold` rule.
 */
function checkKxWithoutAmount(rule: LineRule, accept: ValidationAcceptor): void {
    const ruleHasAmount = [rule.where, rule.when].some(expr => expr && mentionsAmount(expr));
    for (const clause of rule.clauses) {
        if (clause.$type !== 'ModifierClause' || clause.action !== 'require') continue;
        if (!clause.modifiers.some(m => m.$refText === THRESHOLD_MODIFIER)) continue;
        if (ruleHasAmount || (clause.when && mentionsAmount(clause.when))) continue;
        accept('warning', `${THRESHOLD_MODIFIER} is required here with no threshold amount, so every matching line needs it from the first visit. `
            + `Write the amount as a threshold: 'threshold ${rule.name} ${rule.severity} when allowed this calendar year for PT and SLP exceeds $2,480.00 require modifier KX'.`,
            { node: clause, code: 'kx-without-amount', data: { code: 'kx-without-amount' } });
    }
}

function mentionsAmount(node: Expression): boolean {
    return isMoneyLiteral(node) || AstUtils.streamAllContents(node).some(isMoneyLiteral);
}

function checkCitation(rule: PolicyRule, accept: ValidationAcceptor): void {
    if (rule.citation !== undefined && rule.citation.trim() !== '') return;
    const message = rule.citation === undefined
        ? `'${rule.name}' does not cite its source. Add 'source "..."' with the section of the payer's manual or the CMS text it comes from.`
        : `'${rule.name}' has an empty citation.`;
    accept('info', message, { node: rule, property: 'name', code: 'missing-citation', data: { code: 'missing-citation' } });
}
