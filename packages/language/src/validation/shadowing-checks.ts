/**
 * Limits and thresholds that can never add a finding because another rule in force for the same
 * payer already catches everything they would: a limit on the same codes, measure and period that
 * allows as much or more, or a threshold over the same disciplines requiring the same modifiers
 * from the same or a higher amount. Usually an inherited rule the author meant to override.
 */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { isLimitRule, isThresholdRule, type LimitRule, type Payer, type PayruleAstType, type ThresholdRule } from '../generated/ast.js';
import { type RuleInForce, extendsCycle, rulesInForce } from '../workspace/payer-inheritance.js';
import { expandCodeDecls } from './rule-conditions.js';

export function shadowingChecks(): ValidationChecks<PayruleAstType> {
    return {
        Payer: checkShadowedRules
    };
}

function checkShadowedRules(payer: Payer, accept: ValidationAcceptor): void {
    if (extendsCycle(payer)) return;
    const inForce = rulesInForce(payer);
    for (const [index, entry] of inForce.entries()) {
        if (entry.declaredIn !== payer) continue;
        const rule = entry.rule;
        for (const [otherIndex, other] of inForce.entries()) {
            if (other === entry || other.rule.name === rule.name) continue; // same id: reported as a duplicate or an override
            const why = isLimitRule(rule) && isLimitRule(other.rule) ? limitShadow(rule, other.rule)
                : isThresholdRule(rule) && isThresholdRule(other.rule) ? thresholdShadow(rule, other.rule)
                    : undefined;
            if (!why) continue;
            // Two equal rules of this payer: only the later one is reported.
            if (why === 'equal' && other.declaredIn === payer && otherIndex > index) continue;
            accept('warning', message(rule.name, other, payer, why), { node: rule, property: 'name', code: 'shadowed-rule', data: { code: 'shadowed-rule' } });
            break;
        }
    }
}

type Shadow = 'equal' | 'looser';

/** How `rule` compares with `other` over the same codes, measure and period: equal, looser, or not shadowed. */
function limitShadow(rule: LimitRule, other: LimitRule): Shadow | undefined {
    if (rule.max === undefined || other.max === undefined || !rule.period) return undefined; // still being typed
    if (measureOf(rule) !== measureOf(other) || rule.period !== other.period) return undefined;
    if (codesKey(rule) !== codesKey(other)) return undefined;
    if (rule.max === other.max) return 'equal';
    return rule.max > other.max ? 'looser' : undefined;
}

function thresholdShadow(rule: ThresholdRule, other: ThresholdRule): Shadow | undefined {
    if (rule.amount === undefined || other.amount === undefined) return undefined; // still being typed
    if (sortedKey(rule.disciplines) !== sortedKey(other.disciplines)) return undefined;
    if (sortedKey(rule.modifiers.map(m => m.$refText)) !== sortedKey(other.modifiers.map(m => m.$refText))) return undefined;
    if (rule.amount === other.amount) return 'equal';
    // A higher informational threshold is a second notice, not a shadow; a higher modifier requirement adds nothing.
    return rule.modifiers.length > 0 && rule.amount > other.amount ? 'looser' : undefined;
}

function message(name: string, other: RuleInForce, payer: Payer, why: Shadow): string {
    const source = other.declaredIn === payer ? `'${other.rule.name}' of this payer` : `'${other.rule.name}' inherited from ${other.declaredIn.name}`;
    const fix = other.declaredIn === payer
        ? 'Remove one of them, or make this one stricter.'
        : `Override '${other.rule.name}' to change it, drop it with 'without ${other.rule.name}', or make this rule stricter.`;
    const what = isLimitRule(other.rule)
        ? `${other.rule.max} ${measureOf(other.rule)} per ${other.rule.period}${other.rule.codes ? ' for the same codes' : ''}`
        : isThresholdRule(other.rule) ? `${formatMoney(other.rule.amount)} for the same disciplines` : '';
    const relation = why === 'equal' ? 'the same as' : 'stricter than';
    return `'${name}' never adds a finding: ${source} (${what}) is ${relation} this rule and catches everything it would. ${fix}`;
}

function measureOf(rule: LimitRule): 'units' | 'visits' {
    return rule.measure?.startsWith('visit') ? 'visits' : 'units';
}

function codesKey(rule: LimitRule): string {
    return rule.codes ? sortedKey(expandCodeDecls(rule.codes.codes).map(code => String(code.name))) : '*';
}

function sortedKey(values: readonly string[]): string {
    return [...new Set(values)].sort().join(',');
}

function formatMoney(amount: number): string {
    return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
