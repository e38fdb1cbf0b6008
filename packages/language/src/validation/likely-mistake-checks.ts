/**
 * Likely mistakes that are still valid policy: a KX requirement with no amount behind it, a limit
 * whose message is the code it was meant to count, and rules that do not say where they come from.
 */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { AstUtils } from 'langium';
import { isMoneyLiteral, type Expression, type LimitRule, type LineRule, type PayruleAstType, type PolicyRule } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { visibleDeclarations } from '../workspace/visible-declarations.js';

/** The modifier that marks therapy above the yearly threshold (SSA 1833(g)). */
export const THRESHOLD_MODIFIER = 'KX';

export function likelyMistakeChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    return {
        LineRule: checkKxWithoutAmount,
        LimitRule: (rule: LimitRule, accept: ValidationAcceptor) => checkQuotedCodes(services, rule, accept),
        PolicyRule: checkCitation
    };
}

/** How a CPT or HCPCS code looks: five characters, a digit or a letter and then four digits (97530, G0283). */
const CODE_LIKE = /^[0-9A-Z][0-9]{4}$/;

/**
 * `limit v warning "97530" at most 4 units per visit`: the quoted code is read as the rule's
 * message, and a units limit without codes counts every code. Said when the message is nothing
 * but codes or code sets in scope (or words that look like codes).
 */
function checkQuotedCodes(services: PayruleServices, rule: LimitRule, accept: ValidationAcceptor): void {
    if (rule.message === undefined || rule.codes || rule.measure?.startsWith('visit')) return;
    const seen = visibleDeclarations(services, AstUtils.getDocument(rule));
    const names = rule.message.trim().split(/\s*,\s*/);
    const isCode = (name: string) => CODE_LIKE.test(name) || seen.codeNames.has(name) || seen.codeSets.some(set => set.name === name);
    if (!names.every(isCode)) return;
    const codes = names.join(', ');
    const rewritten = `${rule.override ? 'override ' : ''}limit ${rule.name} ${rule.severity} ${codes} at most ${rule.max} ${rule.measure} per ${rule.period}`;
    accept('warning', `"${rule.message}" is read as this rule's message, so the limit counts every code. `
        + `To limit ${codes}, write ${names.length === 1 ? 'it' : 'them'} without quotes: '${rewritten}'.`,
        { node: rule, property: 'message', code: 'quoted-code-message', data: { code: 'quoted-code-message' } });
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
