/**
 * The checks the engine makes of its own, that no policy declares. Their findings carry a rule id
 * like any policy rule's, so a policy test may expect them (`expect finding unknown-modifier`);
 * the language offers these ids where a test names a rule, and neither a policy nor a compiled
 * policy may give them to a rule of its own.
 */
import type { Severity } from '../ir/policy.js';
import { UNKNOWN_MODIFIER_RULE } from './modifier-catalog.js';

export interface EngineRuleInfo {
    /** The rule id its findings carry. */
    id: string;
    severity: Severity;
    /** What it checks, in a biller's words. */
    summary: string;
}

export const ENGINE_RULES: readonly EngineRuleInfo[] = [
    {
        id: UNKNOWN_MODIFIER_RULE,
        severity: 'warning',
        summary: 'A claim line carries a modifier that no loaded package declares (and no rule of the payer names): '
            + 'the payer may not recognise it. Checked only when some loaded package declares modifiers.'
    }
];

/** Payrule's own check with this id, if it is one (a policy may not give its rules these ids). */
export function engineRule(id: string): EngineRuleInfo | undefined {
    return ENGINE_RULES.find(rule => rule.id === id);
}
