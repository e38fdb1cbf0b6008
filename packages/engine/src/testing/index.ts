export { isWithinPaths, runPolicyTests, type TestOutcome, type TestRun, type TestRunOptions } from './run-tests.js';
export { totalCoverage, type PayerCoverage, type RuleCoverage } from './coverage.js';
export { describeFinding, type ExpectationFailure } from './expectations.js';
