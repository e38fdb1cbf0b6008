/**
 * Contradictory modifier requirements: among the rules in force for a payer (its own and those
 * it inherits), a modifier that one requirement demands and another forbids whenever both apply.
 * Two requirements both apply when the conditions of one include all the conditions of the other
 * (`when discipline is PT` and `when discipline is PT and role is PTA`), unless those conditions
 * can never hold together. A requirement with alternatives (`GP or GO`) is contradicted only when
 * every alternative is forbidden.
 */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { isLineRule, isModifierClause, type LineRule, type ModifierClause, type Payer, type PayruleAstType } from '../generated/ast.js';
import { extendsCycle, rulesInForce } from '../workspace/payer-inheritance.js';
import { clauseApplicability, conditionKeys, neverHolds, type Applicability } from './rule-conditions.js';

export function modifierConflictChecks(): ValidationChecks<PayruleAstType> {
    return {
        Payer: checkModifierConflicts
    };
}

interface Requirement {
    rule: LineRule;
    clause: ModifierClause;
    declaredIn: Payer;
    applicability: Applicability;
    keys: Set<string>;
    modifiers: string[];
}

function checkModifierConflicts(payer: Payer, accept: ValidationAcceptor): void {
    if (extendsCycle(payer)) return;
    const requirements = rulesInForce(payer).flatMap(({ rule, declaredIn }) => isLineRule(rule)
        ? rule.clauses.filter(isModifierClause).map(clause => requirement(rule, clause, declaredIn))
        : []);
    const requires = requirements.filter(r => r.clause.action === 'require');
    const forbids = requirements.filter(r => r.clause.action === 'forbid');
    // One report per clause and clashing rule: a rule may clash through several of its clauses
    // (Medicare forbids GP once for OT and once for SLP), and the message names the rule only.
    const reported = new Map<ModifierClause, Set<LineRule>>();
    for (const required of requires) {
        for (const forbidden of forbids) {
            if (required.declaredIn !== payer && forbidden.declaredIn !== payer) continue; // reported where they were written
            if (!contradicts(required, forbidden)) continue;
            // Reported on the requirement written here; when both are, on the one written last.
            const reportOn = required.declaredIn !== payer ? forbidden : forbidden.declaredIn !== payer ? required
                : (forbidden.clause.$cstNode?.offset ?? 0) > (required.clause.$cstNode?.offset ?? 0) ? forbidden : required;
            const other = reportOn === required ? forbidden : required;
            const seen = reported.get(reportOn.clause) ?? new Set<LineRule>();
            if (seen.has(other.rule)) continue;
            reported.set(reportOn.clause, seen.add(other.rule));
            const verb = reportOn === required ? 'forbids' : 'requires';
            const where = other.rule === reportOn.rule ? 'this rule' : `rule '${other.rule.name}'${other.declaredIn !== payer ? ` (inherited from ${other.declaredIn.name})` : ''}`;
            const modifiers = required.modifiers.join(' or ');
            accept('error', `Contradictory requirements: ${where} ${verb} ${modifiers} under the same condition, so no claim line can satisfy both.`,
                { node: reportOn.clause, code: 'contradictory-modifiers', data: { code: 'contradictory-modifiers' } });
        }
    }
}

function requirement(rule: LineRule, clause: ModifierClause, declaredIn: Payer): Requirement {
    const applicability = clauseApplicability(rule, clause);
    return { rule, clause, declaredIn, applicability, keys: conditionKeys(applicability), modifiers: clause.modifiers.map(m => m.$refText) };
}

function contradicts(required: Requirement, forbidden: Requirement): boolean {
    if (required.applicability.scope !== forbidden.applicability.scope) return false;
    if (!required.modifiers.every(modifier => forbidden.modifiers.includes(modifier))) return false;
    if (!isSubset(required.keys, forbidden.keys) && !isSubset(forbidden.keys, required.keys)) return false;
    return neverHolds([...required.applicability.conjuncts, ...forbidden.applicability.conjuncts]) === undefined;
}

function isSubset(a: Set<string>, b: Set<string>): boolean {
    return [...a].every(key => b.has(key));
}
