/**
 * Limits and thresholds that can never add a finding because another rule in force for the same
 * payer already catches everything they would: a limit on the same codes, measure and period that
 * allows as much or more, or a threshold over the same disciplines requiring the same modifiers
 * from the same or a higher amount. Usually an inherited rule the author meant to override.
 */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { isLimitRule, isThresholdRule, type LimitRule, type Payer, type PayruleAstType, type PolicyRule, type ThresholdRule } from '../generated/ast.js';
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
    // Only rules over the same codes, measure and period (or disciplines and modifiers) can shadow
    // each other: compare within those groups, so thousands of rules are not compared pairwise.
    const groups = new Map<string, { entry: RuleInForce; index: number }[]>();
    inForce.forEach((entry, index) => {
        const key = shadowKey(entry.rule);
        if (key === undefined) return;
        const group = groups.get(key);
        if (group) group.push({ entry, index });
        else groups.set(key, [{ entry, index }]);
    });
    const found: { index: number; rule: LimitRule | ThresholdRule; other: RuleInForce; why: Shadow }[] = [];
    for (const group of groups.values()) {
        for (const { entry, index } of group) {
            if (entry.declaredIn !== payer) continue;
            const rule = entry.rule as LimitRule | ThresholdRule;
            for (const { entry: other, index: otherIndex } of group) {
                if (other === entry || other.rule.name === rule.name) continue; // same id: reported as a duplicate or an override
                const why = shadow(rule, other.rule as LimitRule | ThresholdRule);
                if (!why) continue;
                // Two equal rules of this payer: only the later one is reported.
                if (why === 'equal' && other.declaredIn === payer && otherIndex > index) continue;
                found.push({ index, rule, other, why });
                break;
            }
        }
    }
    for (const { rule, other, why } of found.sort((a, b) => a.index - b.index)) {
        accept('warning', message(rule.name, other, payer, why), { node: rule, property: 'name', code: 'shadowed-rule', data: { code: 'shadowed-rule' } });
    }
}

type Shadow = 'equal' | 'looser';

/** Rules with the same key cover the same codes, measure and period (limits) or disciplines and modifiers (thresholds). */
function shadowKey(rule: PolicyRule): string | undefined {
    if (isLimitRule(rule)) {
        if (rule.max === undefined || !rule.period) return undefined; // still being typed
        // Codes that do not resolve (a catalog not imported) are reported as such: compared, every such rule would cover "no code".
        if (rule.codes?.codes.some(code => code.ref === undefined)) return undefined;
        return ['limit', measureOf(rule), rule.period, codesKey(rule)].join('\u0000');
    }
    if (isThresholdRule(rule)) {
        if (rule.amount === undefined) return undefined; // still being typed
        return ['threshold', sortedKey(rule.disciplines), sortedKey(rule.modifiers.map(m => m.$refText))].join('\u0000');
    }
    return undefined;
}

/** How `rule` compares with `other` of the same key: equal, looser, or not shadowed. */
function shadow(rule: LimitRule | ThresholdRule, other: LimitRule | ThresholdRule): Shadow | undefined {
    if (isLimitRule(rule) && isLimitRule(other)) {
        if (rule.max === other.max) return 'equal';
        return rule.max > other.max ? 'looser' : undefined;
    }
    if (isThresholdRule(rule) && isThresholdRule(other)) {
        if (rule.amount === other.amount) return 'equal';
        // A higher informational threshold is a second notice, not a shadow; a higher modifier requirement adds nothing.
        return rule.modifiers.length > 0 && rule.amount > other.amount ? 'looser' : undefined;
    }
    return undefined;
}

function message(name: string, other: RuleInForce, payer: Payer, why: Shadow): string {
    const source = other.declaredIn === payer ? `'${other.rule.name}' of this payer` : `'${other.rule.name}' inherited from ${other.declaredIn.name}`;
    const fix = other.declaredIn === payer
        ? 'Remove one of them, or make this one stricter.'
        : `Override '${other.rule.name}' to change it, drop it with 'without ${other.rule.name}', or make this rule stricter.`;
    const what = isLimitRule(other.rule)
        ? `${other.rule.max} ${other.rule.max === 1 ? measureOf(other.rule).slice(0, -1) : measureOf(other.rule)} per ${other.rule.period}${other.rule.codes ? ' for the same codes' : ''}`
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
