/**
 * Rules that can never fire: a code set that matches no code (only empty sets, or sets that
 * contain each other), a rule whose codes are such a set, and a rule or requirement whose
 * conditions contradict each other (`discipline is PT and discipline is OT`, or codes none of
 * which is billed under the discipline the rule requires).
 */
import type { Reference, ValidationAcceptor, ValidationChecks } from 'langium';
import {
    isModifierClause, isRequireClause, type CodeSelector, type CodeSet, type CodeSetRef, type CodeTarget, type DocumentationRule,
    type LimitRule, type LineRule, type PairRule, type PayruleAstType
} from '../generated/ast.js';
import { clauseApplicability, expandCodeDecls, neverHolds, ruleApplicability } from './rule-conditions.js';

export function reachabilityChecks(): ValidationChecks<PayruleAstType> {
    return {
        CodeSet: checkCodeSet,
        CodeSetRef: checkCodeSetRef,
        LimitRule: (rule: LimitRule, accept) => checkSelector(rule, rule.codes, 'codes', accept),
        PairRule: (rule: PairRule, accept) => {
            checkSelector(rule, rule.codes, 'codes', accept);
            checkSelector(rule, rule.with, 'with', accept);
        },
        DocumentationRule: (rule: DocumentationRule, accept) => checkSelector(rule, rule.codes, 'codes', accept),
        LineRule: checkLineRule
    };
}

function checkCodeSet(set: CodeSet, accept: ValidationAcceptor): void {
    if (set.members.some(member => member.ref === set)) return; // reported as a set that contains itself
    if (resolved(set.members) && expandCodeDecls(set.members).length === 0) {
        accept('warning', `Code set ${set.name} matches no code: its members are empty sets or contain each other.`,
            { node: set, property: 'name', code: 'empty-code-set', data: { code: 'empty-code-set' } });
    }
}

function checkCodeSetRef(ref: CodeSetRef, accept: ValidationAcceptor): void {
    if (resolved([ref.target]) && expandCodeDecls([ref.target]).length === 0) {
        accept('warning', `${ref.target.$refText} matches no code, so this condition never holds.`,
            { node: ref, property: 'target', code: 'never-fires', data: { code: 'never-fires' } });
    }
}

function checkSelector<N extends LimitRule | PairRule | DocumentationRule>(
    rule: N, selector: CodeSelector | undefined, property: 'codes' | 'with', accept: ValidationAcceptor
): void {
    if (!selector || !resolved(selector.codes)) return;
    if (expandCodeDecls(selector.codes).length === 0) {
        accept('warning', `'${rule.name}' can never fire: ${selector.codes.map(c => c.$refText).join(', ')} matches no code.`,
            { node: rule, property, code: 'never-fires', data: { code: 'never-fires' } } as never);
    }
}

function checkLineRule(rule: LineRule, accept: ValidationAcceptor): void {
    const why = neverHolds(ruleApplicability(rule).conjuncts);
    if (why) {
        accept('warning', `'${rule.name}' can never fire: ${why}.`, { node: rule, property: 'name', code: 'never-fires', data: { code: 'never-fires' } });
        return;
    }
    for (const clause of rule.clauses) {
        if (!isModifierClause(clause) && !isRequireClause(clause)) continue;
        const clauseWhy = neverHolds(clauseApplicability(rule, clause).conjuncts);
        if (clauseWhy) {
            accept('warning', `This requirement never applies: ${clauseWhy}.`, { node: clause, code: 'never-fires', data: { code: 'never-fires' } });
        }
    }
}

/** Unresolved names are reported by linking; an empty expansion then means nothing. */
function resolved(targets: Reference<CodeTarget>[]): boolean {
    return targets.every(target => target.ref !== undefined);
}
