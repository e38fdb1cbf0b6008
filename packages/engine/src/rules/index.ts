/** One evaluator per rule kind; the payer's rules run in their declared order. */
import type { Rule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import { evaluateAuthorization } from './authorization.js';
import { evaluateConsistency } from './consistency.js';
import type { RuleContext } from './context.js';
import { evaluateDocumentation } from './documentation.js';
import { evaluateFiling } from './filing.js';
import { evaluateLimit } from './limit.js';
import { evaluatePair } from './pair.js';
import { evaluateLineRule } from './rule.js';
import { evaluateThreshold } from './threshold.js';
import { evaluateUnits } from './units.js';

export function evaluateRule(rule: Rule, context: RuleContext): Finding[] {
    switch (rule.kind) {
        case 'units': return evaluateUnits(rule, context);
        case 'limit': return evaluateLimit(rule, context);
        case 'rule': return evaluateLineRule(rule, context);
        case 'threshold': return evaluateThreshold(rule, context);
        case 'pair': return evaluatePair(rule, context);
        case 'documentation': return evaluateDocumentation(rule, context);
        case 'consistency': return evaluateConsistency(rule, context);
        case 'filing': return evaluateFiling(rule, context);
        case 'authorization': return evaluateAuthorization(rule, context);
    }
}

export type { EvaluateOptions, RuleContext } from './context.js';
