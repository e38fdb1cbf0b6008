/** Payers: unique names, effective ranges, inheritance (extends, override, without) and unique rule ids. */
import { engineRule } from '@payrule/engine';
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { isDrop, isFeeSchedule, isPayer, isUnitsRule, type Effective, type Payer, type PayruleAstType, type PolicyFile } from '../generated/ast.js';
import { POLICY_LIMITS } from '../parser/policy-limits.js';
import { droppedIds, extendsCycle, extendsTooDeep, inheritedRules, ownRules, rulesInForce } from '../workspace/payer-inheritance.js';

export function payerChecks(): ValidationChecks<PayruleAstType> {
    return {
        Payer: [checkExtends, checkRuleIds, checkUnitMethod, checkFees],
        Effective: checkEffectiveRange,
        PolicyFile: checkPayerNames
    };
}

/** `extends Clinic` and a test's payer must each mean one declaration: a name given twice would silently mean the first. */
function checkPayerNames(file: PolicyFile, accept: ValidationAcceptor): void {
    const seen = new Set<string>();
    for (const payer of file.elements.filter(isPayer)) {
        if (seen.has(payer.name)) {
            accept('error', `The payer ${payer.name} is declared twice in this file. Give each declaration its own name (e.g. ${payer.name}2025 for another year).`,
                { node: payer, property: 'name', code: 'duplicate-declaration' });
        }
        seen.add(payer.name);
    }
}

function checkExtends(payer: Payer, accept: ValidationAcceptor): void {
    if (payer.base?.ref && extendsCycle(payer)) {
        accept('error', `${payer.name} extends itself through ${payer.base.ref.name}: a payer cannot inherit from its own descendants.`,
            { node: payer, property: 'base', code: 'extends-cycle' });
    } else if (payer.base?.ref && extendsTooDeep(payer)) {
        accept('error', `${payer.name} extends a chain of more than ${POLICY_LIMITS.extendsDepth} payers; a payer may inherit through at most ${POLICY_LIMITS.extendsDepth}. `
            + 'Extend a payer nearer the top of the chain.', { node: payer, property: 'base', code: 'extends-too-deep' });
    }
}

function checkRuleIds(payer: Payer, accept: ValidationAcceptor): void {
    if (extendsCycle(payer)) return; // inheritance is meaningless until the cycle is fixed
    const inherited = new Map(inheritedRules(payer).map(entry => [entry.rule.name, entry]));
    const dropped = droppedIds(payer);
    const seen = new Set<string>();
    for (const rule of ownRules(payer)) {
        if (seen.has(rule.name)) {
            accept('error', `Rule id '${rule.name}' is used twice in ${payer.name}. Each rule of a payer needs its own id.`,
                { node: rule, property: 'name', code: 'duplicate-rule-id' });
        }
        seen.add(rule.name);
        const own = engineRule(rule.name);
        if (own) {
            accept('error', `'${rule.name}' is the id of Payrule's own check (${own.severity}), whose findings a report and a test could not tell from this rule's. Give this rule another id.`,
                { node: rule, property: 'name', code: 'reserved-rule-id' });
        }
        const base = inherited.get(rule.name);
        // A base that does not resolve has its own error ("Unknown payer"): what it would have inherited is unknown.
        if (payer.base && !payer.base.ref) continue;
        if (rule.override && !base) {
            const why = payer.base ? `${payer.base.$refText} has no rule '${rule.name}'` : `${payer.name} extends no payer`;
            accept('error', `Nothing to override: ${why}.`, { node: rule, property: 'name', code: 'override-missing' });
        } else if (!rule.override && base && !dropped.has(rule.name)) {
            accept('error', `'${rule.name}' is inherited from ${base.declaredIn.name}. Write 'override' before the rule to replace it, or use another id.`,
                { node: rule, property: 'name', code: 'implicit-override' });
        } else if (rule.override && base && base.rule.$type !== rule.$type) {
            accept('warning', `'${rule.name}' overrides a rule of another kind in ${base.declaredIn.name}.`, { node: rule, property: 'name' });
        }
        if (rule.override && dropped.has(rule.name)) {
            accept('error', `'${rule.name}' is both dropped and overridden. Keep one.`, { node: rule, property: 'name' });
        }
    }
    const dropsSeen = new Set<string>();
    for (const drop of payer.members.filter(isDrop)) {
        if (!drop.rule?.$refText) continue;
        if (dropsSeen.has(drop.rule.$refText)) accept('warning', `'${drop.rule.$refText}' is dropped twice.`, { node: drop });
        dropsSeen.add(drop.rule.$refText);
    }
}

function checkUnitMethod(payer: Payer, accept: ValidationAcceptor): void {
    if (extendsCycle(payer)) return;
    const unitRules = rulesInForce(payer).filter(entry => isUnitsRule(entry.rule));
    if (unitRules.length > 1) {
        for (const entry of unitRules.filter(e => e.declaredIn === payer)) {
            accept('error', `${payer.name} has more than one units rule. A payer counts units one way: override the inherited one instead.`,
                { node: entry.rule, property: 'name', code: 'multiple-unit-methods' });
        }
    } else if (unitRules.length === 0) {
        accept('warning', `${payer.name} has no units rule, so billed units are not checked against minutes. Add 'units <id> error pooled' or 'per-code'.`,
            { node: payer, property: 'name', code: 'no-unit-method' });
    }
}

function checkFees(payer: Payer, accept: ValidationAcceptor): void {
    const seen = new Set<string>();
    for (const schedule of payer.members.filter(isFeeSchedule)) {
        for (const fee of schedule.fees) {
            if (seen.has(fee.code.$refText)) accept('error', `A fee for ${fee.code.$refText} is given twice.`, { node: fee, property: 'code' });
            seen.add(fee.code.$refText);
        }
    }
}

function checkEffectiveRange(effective: Effective, accept: ValidationAcceptor): void {
    for (const property of ['from', 'through'] as const) {
        const value = effective[property];
        if (value !== undefined && !isRealDate(value)) {
            accept('error', `${value} is not a real date.`, { node: effective, property, code: 'invalid-date' });
        }
    }
    if (effective.through !== undefined && effective.through < effective.from) {
        accept('error', `The effective range ends (${effective.through}) before it starts (${effective.from}).`,
            { node: effective, property: 'through', code: 'inverted-range' });
    }
}

export function isRealDate(text: string): boolean {
    const [year, month, day] = text.split('-').map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
