/**
 * Checks a test's expectations against the report of its last session (earlier sessions are the
 * patient's history: prior visits that thresholds, limits and authorizations count).
 */
import type { Severity, TestExpectation } from '../ir/policy.js';
import type { Finding, SessionResult } from '../report/report.js';

export interface ExpectationFailure {
    expectation: TestExpectation;
    /** Expected against actual, in plain words. */
    message: string;
}

const LEVELS: Record<'errors' | 'warnings' | 'findings', Severity[]> = {
    errors: ['error'],
    warnings: ['warning'],
    findings: ['error', 'warning', 'info']
};

export function checkExpectation(expectation: TestExpectation, result: SessionResult): ExpectationFailure | undefined {
    const fail = (message: string) => ({ expectation, message });
    switch (expectation.kind) {
        case 'units': {
            const actual = result.units[expectation.code];
            if (actual === expectation.units) return undefined;
            return fail(`expected ${expectation.units} ${plural(expectation.units, 'unit')} of ${expectation.code}, `
                + (actual === undefined ? `but ${expectation.code} is not billed in the session` : `got ${actual}`));
        }
        case 'finding': {
            const matching = result.findings.filter(f => f.rule === expectation.rule
                && (expectation.severity === undefined || f.severity === expectation.severity)
                && (expectation.text === undefined || f.message.toLowerCase().includes(expectation.text.toLowerCase())));
            const what = describeWanted(expectation);
            if (expectation.absent) {
                return matching.length === 0 ? undefined : fail(`expected no ${what}, got: ${matching.map(describeFinding).join('; ')}`);
            }
            if (matching.length > 0) return undefined;
            const sameRule = result.findings.filter(f => f.rule === expectation.rule);
            return fail(`expected ${what}, got ${sameRule.length > 0 ? sameRule.map(describeFinding).join('; ') : describeAll(result.findings)}`);
        }
        case 'clean': {
            const found = result.findings.filter(f => LEVELS[expectation.level].includes(f.severity));
            return found.length === 0 ? undefined : fail(`expected no ${expectation.level}, got: ${found.map(describeFinding).join('; ')}`);
        }
    }
}

function describeWanted(expectation: Extract<TestExpectation, { kind: 'finding' }>): string {
    const severity = expectation.severity ? `${expectation.severity} ` : '';
    const text = expectation.text ? ` containing "${expectation.text}"` : '';
    return `${severity}finding of ${expectation.rule}${text}`;
}

export function describeFinding(finding: Finding): string {
    return `${finding.severity} ${finding.rule}: ${finding.message}`;
}

function describeAll(findings: Finding[]): string {
    return findings.length === 0 ? 'no findings at all' : `only: ${findings.map(describeFinding).join('; ')}`;
}

function plural(count: number, word: string): string {
    return count === 1 ? word : `${word}s`;
}
