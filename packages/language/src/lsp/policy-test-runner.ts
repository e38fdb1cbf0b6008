/**
 * Runs the tests of a policy document from the editor (the "Run test" code lenses and the
 * `payrule.runTests` command): the document and its imports are compiled as for checking
 * sessions, the engine runs the tests, and a one-line summary is shown to the user.
 */
import { runPolicyTests } from '@payrule/engine';
import type { URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { CancellationToken, MessageType, ShowMessageNotification } from 'vscode-languageserver';
import type { PayruleServices } from '../payrule-module.js';
import type { SessionsChecker } from './check-sessions.js';

export const RUN_TESTS_COMMAND = 'payrule.runTests';

export interface TestRunResult {
    summary: { total: number; passed: number; failed: number };
    tests: { name: string; line: number; passed: boolean; error?: string; failures: { message: string; line: number }[] }[];
}

export class PolicyTestRunner {
    protected readonly checker: SessionsChecker;
    protected readonly shared: LangiumSharedServices;

    constructor(services: PayruleServices) {
        this.checker = services.lsp.SessionsChecker;
        this.shared = services.shared;
    }

    /** Runs the document's tests, or only the one named `testName`. */
    async run(uri: URI, testName?: string, cancelToken = CancellationToken.None): Promise<TestRunResult> {
        const { bundle, names } = await this.checker.compiledPolicy(uri, cancelToken);
        const files = [...names].filter(([, docUri]) => docUri.toString() === uri.toString()).map(([name]) => name);
        const run = runPolicyTests(bundle, { within: files });
        const outcomes = run.outcomes.filter(outcome => testName === undefined || outcome.test.name === testName);
        const result: TestRunResult = {
            summary: { total: outcomes.length, passed: outcomes.filter(o => o.passed).length, failed: outcomes.filter(o => !o.passed).length },
            tests: outcomes.map(outcome => ({
                name: outcome.test.name,
                line: outcome.test.location.line,
                passed: outcome.passed,
                ...(outcome.error ? { error: outcome.error } : {}),
                failures: outcome.failures.map(f => ({ message: f.message, line: f.expectation.location.line }))
            }))
        };
        this.tell(result, testName);
        return result;
    }

    /** A notification, not a request: the user reads it, nothing waits for an answer. */
    protected tell(result: TestRunResult, testName: string | undefined): void {
        const connection = this.shared.lsp.Connection;
        if (!connection) return;
        const { passed, failed, total } = result.summary;
        const what = testName ? `Test "${testName}"` : `${total} ${total === 1 ? 'test' : 'tests'}`;
        const show = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message });
        if (total === 0) show(MessageType.Warning, testName ? `No test named "${testName}" in this file.` : 'No tests in this file.');
        else if (failed === 0) show(MessageType.Info, `${what}: ${passed} passed.`);
        else {
            const first = result.tests.find(t => !t.passed)!;
            const why = first.error ?? first.failures[0]?.message ?? '';
            show(MessageType.Error, `${what}: ${failed} failed, ${passed} passed. "${first.name}": ${why}`);
        }
    }
}
