/**
 * The checks the engine makes of its own, that no policy declares. Their findings carry a rule id
 * like any policy rule's, so a policy test may expect them (`expect finding unknown-modifier`);
 * the language offers these ids where a test names a rule.
 */
import type { Severity } from '../ir/policy.js';
import { UNKNOWN_MODIFIER_RULE } from '../rules/modifier-catalog.js';

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
