/**
 * Runs the tests written in policies: each test's sessions go through the same evaluator as real
 * exports, then its expectations are checked against the last session's result.
 */
import type { PolicyBundle, PolicyTest } from '../ir/policy.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { Report, SessionResult } from '../report/report.js';
import { CoverageRecorder, totalCoverage, type PayerCoverage } from './coverage.js';
import { checkExpectation, type ExpectationFailure } from './expectations.js';
import { fillSupportedUnits, prepareSessions } from './prepare.js';

export interface TestOutcome {
    test: PolicyTest;
    passed: boolean;
    failures: ExpectationFailure[];
    /** Set when the test could not run at all (a session that is not a valid record, an unknown payer). */
    error?: string;
    /** The result of the session the expectations were checked against. */
    result?: SessionResult;
    durationMs: number;
}

export interface TestRun {
    outcomes: TestOutcome[];
    coverage: PayerCoverage[];
    /** Percent of rules in force, over all payers, fired by some test. */
    totalCoverage: number;
    summary: { total: number; passed: number; failed: number };
}

export interface TestRunOptions {
    /** Runs only the tests whose name contains this text (case-insensitive). */
    filter?: string;
    /**
     * Runs only the tests written in these files or folders (paths as in source locations), and
     * reports coverage only for the payers declared there: imported packs bring their own tests
     * along, which are theirs to run.
     */
    within?: string[];
}

export function runPolicyTests(bundle: PolicyBundle, options: TestRunOptions = {}): TestRun {
    const filter = options.filter?.toLowerCase();
    const inScope = (file: string) => !options.within || isWithinPaths(file, options.within);
    const tests = (bundle.tests ?? []).filter(test => inScope(test.location.file) && (!filter || test.name.toLowerCase().includes(filter)));
    const coverage = new CoverageRecorder();
    const outcomes = tests.map(test => runTest(bundle, test, coverage));
    const payers = coverage.summarize(bundle).filter(payer => inScope(payer.location.file));
    const passed = outcomes.filter(outcome => outcome.passed).length;
    return {
        outcomes,
        coverage: payers,
        totalCoverage: totalCoverage(payers),
        summary: { total: outcomes.length, passed, failed: outcomes.length - passed }
    };
}

function runTest(bundle: PolicyBundle, test: PolicyTest, coverage: CoverageRecorder): TestOutcome {
    const started = performance.now();
    const done = (outcome: Omit<TestOutcome, 'test' | 'durationMs'>): TestOutcome =>
        ({ test, ...outcome, durationMs: Math.round((performance.now() - started) * 10) / 10 });
    const prepared = prepareSessions(bundle, test);
    if ('error' in prepared) return done({ passed: false, failures: [], error: prepared.error });
    let report = evaluate(bundle, prepared.inputs, []);
    if (prepared.unitsToFill.size > 0) report = evaluate(bundle, fillSupportedUnits(prepared, report), []);
    const problem = rejectionError(report);
    if (problem) return done({ passed: false, failures: [], error: problem });
    coverage.record(test.name, report);
    const result = report.sessions[report.sessions.length - 1];
    if (!result) return done({ passed: false, failures: [], error: 'the test has no session' });
    const failures = test.expectations.flatMap(expectation => checkExpectation(expectation, result) ?? []);
    return done({ passed: failures.length === 0, failures, result });
}

function rejectionError(report: Report): string | undefined {
    const rejected = report.rejected[0];
    return rejected ? `session ${rejected.record} cannot be checked: ${rejected.error}` : undefined;
}

/**
 * Whether a source location's file is written in one of these files or folders. A pack installed
 * inside a named folder (under its node_modules) is not: its tests are its authors', and it came
 * along only because something there imports it.
 */
export function isWithinPaths(file: string, paths: readonly string[]): boolean {
    return paths.some(path => {
        const folder = path.replace(/\/+$/, '');
        const rest = folder === '' || folder === '.' ? file : file === folder ? '' : file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : undefined;
        return rest !== undefined && !/(^|\/)node_modules\//.test(rest);
    });
}
