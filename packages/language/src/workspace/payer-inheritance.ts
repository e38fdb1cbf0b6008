/**
 * What a payer inherits: the chain of payers it extends and the rules in force for it once
 * overrides and drops are applied. Shared by scoping, validation and the compiler so that all
 * three agree on which rule an id means.
 */
import type { Payer, PolicyRule } from '../generated/ast.js';
import { isDrop, isPolicyRule } from '../generated/ast.js';
import { POLICY_LIMITS } from '../parser/policy-limits.js';

/**
 * The payers `payer` extends, nearest first; stops at a cycle or an unresolved base, and after
 * POLICY_LIMITS.extendsDepth payers (a deeper chain is an error: see extendsTooDeep).
 */
export function baseChain(payer: Payer): Payer[] {
    const chain: Payer[] = [];
    const seen = new Set<Payer>([payer]);
    let current = payer.base?.ref;
    while (current && !seen.has(current) && chain.length < POLICY_LIMITS.extendsDepth) {
        chain.push(current);
        seen.add(current);
        current = current.base?.ref;
    }
    return chain;
}

/**
 * True when `payer` extends a chain of more than POLICY_LIMITS.extendsDepth payers (a cycle that
 * long counts too): each payer inherits every rule above it, so a long chain multiplies the work.
 */
export function extendsTooDeep(payer: Payer): boolean {
    let depth = 0;
    for (let current = payer.base?.ref; current && current !== payer; current = current.base?.ref) {
        if (++depth > POLICY_LIMITS.extendsDepth) return true;
    }
    return false;
}

/** True when following `extends` from `payer` comes back to it (within the chain length payers may have). */
export function extendsCycle(payer: Payer): boolean {
    const seen = new Set<Payer>();
    let current: Payer | undefined = payer.base?.ref;
    while (current && seen.size <= POLICY_LIMITS.extendsDepth) {
        if (current === payer) return true;
        if (seen.has(current)) return false;
        seen.add(current);
        current = current.base?.ref;
    }
    return false;
}

export function ownRules(payer: Payer): PolicyRule[] {
    return payer.members.filter(isPolicyRule);
}

export interface RuleInForce {
    rule: PolicyRule;
    /** The payer whose body declares the rule. */
    declaredIn: Payer;
}

/**
 * The rules in force for `payer`, in order: inherited rules first (an override takes the place of
 * the rule it replaces), then the payer's own new rules. Dropped rules are left out.
 */
export function rulesInForce(payer: Payer): RuleInForce[] {
    // From the farthest base to the payer itself, each applying its drops, overrides and new rules.
    let result: RuleInForce[] = [];
    for (const current of [payer, ...baseChain(payer)].reverse()) result = applyPayer(current, result);
    return result;
}

function applyPayer(payer: Payer, inherited: RuleInForce[]): RuleInForce[] {
    const dropped = droppedIds(payer);
    const own = ownRules(payer);
    const overrides = new Map(own.filter(rule => rule.override).map(rule => [rule.name, rule]));
    const result: RuleInForce[] = [];
    for (const entry of inherited) {
        if (dropped.has(entry.rule.name)) continue;
        const replacement = overrides.get(entry.rule.name);
        result.push(replacement ? { rule: replacement, declaredIn: payer } : entry);
    }
    // `without` removes the inherited rule only: a rule of the same id written here is a new rule.
    const taken = new Set(result.map(entry => entry.rule));
    for (const rule of own) {
        if (!taken.has(rule)) result.push({ rule, declaredIn: payer });
    }
    return result;
}

/**
 * Ids the payer drops with `without`. A `without` still being typed has no reference yet: it drops
 * nothing, so that editing never breaks the features built on inheritance.
 */
export function droppedIds(payer: Payer): Set<string> {
    return new Set(payer.members.filter(isDrop).flatMap(drop => (drop.rule?.$refText ? [drop.rule.$refText] : [])));
}

/** Rules a payer inherits from its base (what `without` and `override` may name). */
export function inheritedRules(payer: Payer): RuleInForce[] {
    const base = payer.base?.ref;
    return base ? rulesInForce(base) : [];
}
