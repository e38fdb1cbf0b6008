/**
 * Registers the validation checks, one file per concern. The table below is the list of what
 * Payrule checks in a policy before it is compiled or shown in the editor.
 */
import { ValidationCategory, type ValidationChecks } from 'langium';
import type { PayruleAstType } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { amountChecks } from './amount-checks.js';
import { baseDateChecks } from './base-date-checks.js';
import { catalogChecks } from './catalog-checks.js';
import { expressionChecks } from './expression-checks.js';
import { importChecks } from './import-checks.js';
import { likelyMistakeChecks } from './likely-mistake-checks.js';
import { modifierConflictChecks } from './modifier-conflict-checks.js';
import { payerChecks } from './payer-checks.js';
import { reachabilityChecks } from './reachability-checks.js';
import { ruleChecks } from './rule-checks.js';
import { shadowingChecks } from './shadowing-checks.js';
import { testChecks } from './test-checks.js';
import { testRunChecks } from './test-run-checks.js';
import { testLineChecks } from './test-line-checks.js';

/**
 * Running a document's policy tests is a validation of its own category: the editor runs it with
 * the others; command-line loads leave it out (VALIDATION_WITHOUT_TESTS), and `payrule test` runs
 * and reports the tests itself.
 */
export const POLICY_TESTS_CATEGORY: ValidationCategory = 'policy-tests';
/** Every category but the policy tests: Langium's own (built-in, fast, slow); Payrule adds no other. */
export const VALIDATION_WITHOUT_TESTS: readonly ValidationCategory[] = ValidationCategory.defaults;
/** What the editor validates after each change: Langium's default (built-in, fast) and the policy tests. */
export const EDITOR_VALIDATION: readonly ValidationCategory[] = ['built-in', 'fast', POLICY_TESTS_CATEGORY];

export class PayruleValidator {
    readonly checks: ValidationChecks<PayruleAstType>[];
    /** Checks of POLICY_TESTS_CATEGORY. */
    readonly testRuns: ValidationChecks<PayruleAstType>;

    constructor(services: PayruleServices) {
        this.checks = [
            importChecks(services),
            catalogChecks(services),
            payerChecks(),
            ruleChecks(),
            amountChecks(),
            expressionChecks(),
            testChecks(services),
            // Checks that look across the workspace: the rules in force for a payer, what is in scope.
            modifierConflictChecks(),
            shadowingChecks(),
            baseDateChecks(services),
            reachabilityChecks(),
            likelyMistakeChecks(services),
            testLineChecks(services)
        ];
        this.testRuns = testRunChecks(services);
    }
}

export function registerValidationChecks(services: PayruleServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.PayruleValidator;
    for (const checks of validator.checks) {
        registry.register(checks, validator);
    }
    registry.register(validator.testRuns, validator, POLICY_TESTS_CATEGORY);
}
