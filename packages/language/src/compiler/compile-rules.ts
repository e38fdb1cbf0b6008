/** Lowers each kind of rule to its IR form; the IR doc comments in @payrule/engine give the meaning. */
import type { Clause as ClauseIR, Rule, RuleBase, SourceLocation } from '@payrule/engine';
import type { AstNode } from 'langium';
import {
    isAuthorizationRule, isConsistencyRule, isDocumentationRule, isFilingRule, isLimitRule, isLineRule, isModifierClause,
    isPairRule, isThresholdRule, isUnitsRule, type Clause, type PolicyRule
} from '../generated/ast.js';
import { expandSelector } from './code-targets.js';
import { compileExpression } from './compile-expression.js';

export type Locate = (node: AstNode) => SourceLocation;

export function compileRule(rule: PolicyRule, locate: Locate, inheritedFrom?: string): Rule {
    const base: RuleBase = {
        id: rule.name,
        severity: rule.severity as RuleBase['severity'],
        ...(rule.message !== undefined ? { message: rule.message } : {}),
        ...(rule.citation !== undefined ? { citation: rule.citation } : {}),
        location: locate(rule),
        ...(inheritedFrom ? { inheritedFrom } : {})
    };
    if (isUnitsRule(rule)) {
        return {
            ...base, kind: 'units', method: rule.method as 'pooled' | 'per-code',
            unitMinutes: rule.unitMinutes ?? 15, minimumMinutes: rule.minimumMinutes ?? 8,
            underSeverity: (rule.underSeverity ?? 'warning') as RuleBase['severity']
        };
    }
    if (isLimitRule(rule)) {
        const codes = expandSelector(rule.codes);
        return {
            ...base, kind: 'limit', measure: rule.measure.startsWith('visit') ? 'visits' : 'units',
            ...(codes ? { codes } : {}), max: rule.max, period: rule.period
        };
    }
    if (isLineRule(rule)) {
        return {
            ...base, kind: 'rule', scope: rule.lineScope ? 'line' : 'session',
            ...(rule.where ? { where: compileExpression(rule.where), whereText: sourceText(rule.where) } : {}),
            ...(rule.when ? { when: compileExpression(rule.when), whenText: sourceText(rule.when) } : {}),
            clauses: rule.clauses.map(clause => compileClause(clause, locate))
        };
    }
    if (isThresholdRule(rule)) {
        return {
            ...base, kind: 'threshold', disciplines: rule.disciplines as ('PT' | 'OT' | 'SLP')[], amount: rule.amount,
            ...(rule.modifiers.length > 0 ? { modifiers: rule.modifiers.map(m => m.$refText) } : {})
        };
    }
    if (isPairRule(rule)) {
        return {
            ...base, kind: 'pair', codes: expandSelector(rule.codes) ?? [], with: expandSelector(rule.with) ?? [],
            ...(rule.never ? {} : { modifiers: rule.modifiers.map(m => m.$refText) })
        };
    }
    if (isDocumentationRule(rule)) {
        const codes = expandSelector(rule.codes);
        return {
            ...base, kind: 'documentation', ...(codes ? { codes } : {}), requires: [...rule.requires],
            vague: rule.vague.map(clause => ({ element: clause.element, phrases: [...clause.phrases] })),
            ...(rule.minLength !== undefined ? { minLength: rule.minLength } : {})
        };
    }
    if (isConsistencyRule(rule)) {
        return { ...base, kind: 'consistency', ...(rule.element ? { element: rule.element } : {}), toleranceMinutes: rule.tolerance ?? 0 };
    }
    if (isFilingRule(rule)) {
        return { ...base, kind: 'filing', within: { amount: rule.amount, unit: rule.unit as 'days' | 'months' } };
    }
    if (isAuthorizationRule(rule)) {
        return { ...base, kind: 'authorization', ...(rule.afterVisits !== undefined ? { afterVisits: rule.afterVisits } : {}) };
    }
    throw new Error(`Unexpected rule ${(rule as PolicyRule).$type}`);
}

function compileClause(clause: Clause, locate: Locate): ClauseIR {
    if (isModifierClause(clause)) {
        return {
            type: clause.action === 'require' ? 'require-modifier' : 'forbid-modifier',
            modifiers: clause.modifiers.map(m => m.$refText),
            ...(clause.when ? { when: compileExpression(clause.when), whenText: sourceText(clause.when) } : {}),
            location: locate(clause)
        };
    }
    return { type: 'require', condition: compileExpression(clause.condition), text: sourceText(clause.condition), location: locate(clause) };
}

/** A condition as the author wrote it, on one line, for explanations in findings. */
function sourceText(node: AstNode): string {
    return (node.$cstNode?.text ?? '').replace(/\s+/g, ' ').trim();
}
