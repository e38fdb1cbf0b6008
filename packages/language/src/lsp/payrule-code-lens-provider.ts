/**
 * A "Check sessions" lens above each payer: one per session file configured for the workspace
 * (payrule.json or the payrule.sessions setting), or one that asks for a file when none is.
 * The lens runs the client command `payrule.checkSessions`, which calls `payrule.check` and shows
 * the findings; clients other than the VS Code extension can call `payrule.check` directly.
 */
import { UriUtils, type LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens } from 'vscode-languageserver';
import { isPayer, isTest, type PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { CHECK_SESSIONS_CLIENT_COMMAND } from './check-protocol.js';
import { RUN_TESTS_COMMAND } from './policy-test-runner.js';
import type { PayruleWorkspaceSettings } from './workspace-settings.js';

export class PayruleCodeLensProvider implements CodeLensProvider {
    protected readonly settings: PayruleWorkspaceSettings;

    constructor(services: PayruleServices) {
        this.settings = services.workspace.Settings;
    }

    async provideCodeLens(document: LangiumDocument): Promise<CodeLens[]> {
        return [...this.testLenses(document), ...await this.checkLenses(document)];
    }

    /** "Run test" above each test, and "Run all tests" above the first, through the server's `payrule.runTests`. */
    protected testLenses(document: LangiumDocument): CodeLens[] {
        const tests = (document.parseResult.value as PolicyFile).elements.filter(isTest);
        const uri = document.uri.toString();
        return tests.flatMap((test, index) => {
            const start = test.$cstNode?.range.start ?? { line: 0, character: 0 };
            const range = { start, end: start };
            const one = { range, command: { title: 'Run test', command: RUN_TESTS_COMMAND, arguments: [uri, test.name] } };
            if (index > 0 || tests.length === 1) return [one];
            return [{ range, command: { title: `Run all ${tests.length} tests`, command: RUN_TESTS_COMMAND, arguments: [uri] } }, one];
        });
    }

    protected async checkLenses(document: LangiumDocument): Promise<CodeLens[]> {
        const payers = (document.parseResult.value as PolicyFile).elements.filter(isPayer);
        if (payers.length === 0) return [];
        const { sessions } = await this.settings.sessionsFor(document.uri);
        const policy = document.uri.toString();
        return payers.flatMap(payer => {
            const start = payer.$cstNode?.range.start ?? { line: 0, character: 0 };
            const range = { start, end: start };
            if (sessions.length === 0) {
                return [{
                    range,
                    command: { title: 'Check sessions…', command: CHECK_SESSIONS_CLIENT_COMMAND, arguments: [policy, null, payer.payerId] }
                }];
            }
            return sessions.map(file => ({
                range,
                command: {
                    title: `Check sessions: ${UriUtils.basename(file)}`,
                    tooltip: `Run ${payer.name} ("${payer.payerId}") against ${file.fsPath}`,
                    command: CHECK_SESSIONS_CLIENT_COMMAND,
                    arguments: [policy, file.toString(), payer.payerId]
                }
            }));
        });
    }
}
