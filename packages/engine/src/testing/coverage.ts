/**
 * Rule coverage: for each payer declaration, which of its rules in force some test made fire.
 * Inherited rules count for the payer that inherits them, since that is where they were exercised.
 */
import type { PolicyBundle, SourceLocation } from '../ir/policy.js';
import type { Report } from '../report/report.js';

export interface RuleCoverage {
    id: string;
    fired: boolean;
    location: SourceLocation;
    /** Names of the tests that made the rule fire. */
    tests: string[];
}

export interface PayerCoverage {
    payer: string;
    id: string;
    location: SourceLocation;
    rules: RuleCoverage[];
    covered: number;
    total: number;
    /** 0-100, one decimal. 100 when the payer has no rules. */
    percent: number;
}

export class CoverageRecorder {
    /** payer name -> rule id -> test names */
    private readonly fired = new Map<string, Map<string, Set<string>>>();

    record(testName: string, report: Report): void {
        for (const session of report.sessions) {
            if (!session.policy) continue;
            const rules = this.fired.get(session.policy) ?? new Map<string, Set<string>>();
            this.fired.set(session.policy, rules);
            for (const finding of session.findings) {
                const tests = rules.get(finding.rule) ?? new Set<string>();
                tests.add(testName);
                rules.set(finding.rule, tests);
            }
        }
    }

    summarize(bundle: PolicyBundle): PayerCoverage[] {
        return bundle.payers.map(payer => {
            const fired = this.fired.get(payer.name);
            const rules = payer.rules.map(rule => {
                const tests = [...(fired?.get(rule.id) ?? [])].sort();
                return { id: rule.id, fired: tests.length > 0, location: rule.location, tests };
            });
            const covered = rules.filter(rule => rule.fired).length;
            const percent = rules.length === 0 ? 100 : Math.floor((covered / rules.length) * 1000) / 10;
            return { payer: payer.name, id: payer.id, location: payer.location, rules, covered, total: rules.length, percent };
        });
    }
}

/** Coverage over all payers: covered rules / rules in force, summed over payer declarations. */
export function totalCoverage(payers: PayerCoverage[]): number {
    const total = payers.reduce((sum, p) => sum + p.total, 0);
    const covered = payers.reduce((sum, p) => sum + p.covered, 0);
    return total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10;
}
