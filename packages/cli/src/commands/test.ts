/**
 * `payrule test [PATH...]`: runs the tests written in policies. Exit 0 when all pass (and rule
 * coverage meets --min-coverage), 1 when a test fails or coverage is short, 2 when the policy is invalid.
 */
import { runPolicyTests, type TestRun } from '@payrule/engine';
import { CliError, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { outputTarget, writeResult, writesToFile } from '../output.js';
import { reportPolicyProblems } from '../policy/diagnostics.js';
import { policyCache, type CacheOption } from '../policy/cache.js';
import { isCompiledPolicy, loadPolicies } from '../policy/load-policy.js';
import { locationPath } from '../paths.js';
import { wantsColor } from '../report/index.js';
import { writeTestJunit } from '../test-report/test-junit.js';
import { writeTestText } from '../test-report/test-text.js';

export const testFormats = ['text', 'json', 'junit'];

export interface TestOptions extends CacheOption {
    filter?: string;
    format: string;
    output?: string;
    coverage?: boolean;
    minCoverage?: number;
    color: boolean;
}

export async function runTests(paths: string[], options: TestOptions, io: CliIo): Promise<number> {
    const targets = paths.length > 0 ? paths : ['.'];
    const output = outputTarget(options.output, io, targets, 'results');
    const loaded = await loadPolicies(targets, io.cwd, { cache: policyCache(io.env, options.cache) });
    if (reportPolicyProblems(loaded, io.stderr) || !loaded.bundle) return EXIT_INVALID;
    // Tests of the packs these import come along in the bundle; only the named paths' tests run.
    const within = targets.some(isCompiledPolicy) ? undefined : targets.map(path => locationPath(path, io.cwd));
    const run = runPolicyTests(loaded.bundle, { ...(options.filter ? { filter: options.filter } : {}), ...(within ? { within } : {}) });
    const showCoverage = options.coverage === true || options.minCoverage !== undefined;
    const color = wantsColor({ color: options.color, isTTY: !writesToFile(output) && io.stdout.isTTY, env: io.env });
    writeResult(format(run, options.format, { color, coverage: showCoverage }), output, io);
    if (run.summary.failed > 0) return EXIT_FINDINGS;
    if (options.minCoverage !== undefined && run.totalCoverage < options.minCoverage) {
        io.stderr.write(`payrule test: rule coverage ${run.totalCoverage}% is below the required ${options.minCoverage}%.\n`);
        return EXIT_FINDINGS;
    }
    return EXIT_OK;
}

function format(run: TestRun, name: string, options: { color: boolean; coverage: boolean }): string {
    switch (name) {
        case 'text': return writeTestText(run, options);
        case 'junit': return writeTestJunit(run);
        case 'json': return `${JSON.stringify(testRunJson(run, options.coverage), null, 2)}\n`;
        default: throw new CliError(`unknown test report format '${name}'.`);
    }
}

/** The JSON form: results without the whole compiled test, plus coverage when asked. */
function testRunJson(run: TestRun, coverage: boolean) {
    return {
        format: 'payrule-test-report/1',
        summary: run.summary,
        tests: run.outcomes.map(outcome => ({
            name: outcome.test.name,
            location: outcome.test.location,
            passed: outcome.passed,
            ...(outcome.error ? { error: outcome.error } : {}),
            failures: outcome.failures.map(f => ({ message: f.message, location: f.expectation.location })),
            durationMs: outcome.durationMs
        })),
        ...(coverage ? { coverage: { total: run.totalCoverage, payers: run.coverage } } : {})
    };
}

