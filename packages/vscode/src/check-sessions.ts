/**
 * "Payrule: Check sessions against this policy": asks the language server to run the policy
 * (`payrule.check`), puts every finding in the Problems panel on the session file's row, with the
 * rule in the policy as related information, and writes the readable report to the
 * "Payrule sessions" output channel.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node.js';
import { CHECK_COMMAND, type EditorReport, type Location, type Severity } from './protocol.js';
import { reportText, summaryLine } from './report-text.js';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
    error: vscode.DiagnosticSeverity.Error,
    warning: vscode.DiagnosticSeverity.Warning,
    info: vscode.DiagnosticSeverity.Information
};

const SESSION_FILES = { Sessions: ['csv', 'json', 'ndjson', 'jsonl'] };

export class SessionsCheck implements vscode.Disposable {
    protected readonly problems = vscode.languages.createDiagnosticCollection('payrule-sessions');
    protected readonly output = vscode.window.createOutputChannel('Payrule sessions');

    constructor(protected readonly client: LanguageClient) {}

    /** Arguments as the code lens passes them: the policy's URI, a session file's URI (or null: configured or ask), the payer id. */
    async run(policyArg?: unknown, sessionsArg?: unknown, payerArg?: unknown): Promise<void> {
        const policy = typeof policyArg === 'string' ? policyArg : activePolicy();
        if (!policy) {
            void vscode.window.showWarningMessage('Open a Payrule policy (.payrule) to check sessions against it.');
            return;
        }
        const payer = typeof payerArg === 'string' ? payerArg : undefined;
        let sessions = typeof sessionsArg === 'string' ? [sessionsArg] : undefined;
        let report: EditorReport | undefined;
        try {
            report = await this.check(policy, sessions, payer);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (!sessions && message.startsWith('No session file')) {
                const chosen = await vscode.window.showOpenDialog({ canSelectMany: true, filters: SESSION_FILES, openLabel: 'Check these sessions' });
                if (!chosen || chosen.length === 0) return;
                sessions = chosen.map(uri => uri.toString());
                try {
                    report = await this.check(policy, sessions, payer);
                } catch (again) {
                    void vscode.window.showErrorMessage(`Payrule: ${again instanceof Error ? again.message : String(again)}`);
                    return;
                }
            } else {
                void vscode.window.showErrorMessage(`Payrule: ${message}`);
                return;
            }
        }
        this.show(report, policy);
    }

    protected check(policy: string, sessions: string[] | undefined, payer: string | undefined): Thenable<EditorReport> {
        return vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'Payrule: checking sessions…' },
            () => this.client.sendRequest(ExecuteCommandRequest.type, {
                command: CHECK_COMMAND,
                arguments: [{ policy, ...(sessions ? { sessions } : {}), ...(payer ? { payer } : {}) }]
            }) as Promise<EditorReport>
        );
    }

    protected show(report: EditorReport, policy: string): void {
        this.problems.clear();
        const byFile = new Map<string, vscode.Diagnostic[]>();
        const add = (location: Location | undefined, diagnostic: vscode.Diagnostic) => {
            if (!location) return;
            const list = byFile.get(location.uri) ?? [];
            list.push(diagnostic);
            byFile.set(location.uri, list);
        };
        for (const session of report.sessions) {
            for (const finding of session.findings) {
                const location = finding.location ?? session.location;
                if (!location) continue;
                const diagnostic = new vscode.Diagnostic(toRange(location), `${session.id}: ${finding.message}${finding.fix ? ` (${finding.fix})` : ''}`, SEVERITY[finding.severity]);
                diagnostic.source = 'payrule';
                diagnostic.code = finding.rule;
                if (finding.policyLocation) {
                    diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(
                        new vscode.Location(vscode.Uri.parse(finding.policyLocation.uri), toRange(finding.policyLocation)),
                        `rule ${finding.rule}${finding.citation ? `: ${finding.citation}` : ''}`
                    )];
                }
                add(location, diagnostic);
            }
        }
        for (const rejection of report.rejected) {
            const diagnostic = new vscode.Diagnostic(toRange(rejection.location), `Record ${rejection.record}${rejection.id ? ` (${rejection.id})` : ''} was not checked: ${rejection.error}`, vscode.DiagnosticSeverity.Error);
            diagnostic.source = 'payrule';
            add(rejection.location, diagnostic);
        }
        for (const [uri, diagnostics] of byFile) this.problems.set(vscode.Uri.parse(uri), diagnostics);

        const name = decodeURIComponent(policy.split('/').pop() ?? policy);
        this.output.clear();
        this.output.append(reportText(report, name));
        this.output.show(true);
        void vscode.window.showInformationMessage(`Payrule: ${summaryLine(report)}`, 'Show problems').then(choice => {
            if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
    }

    /** Opens the report written by the last check. */
    showReport(): void {
        this.output.show(true);
    }

    dispose(): void {
        this.problems.dispose();
        this.output.dispose();
    }
}

function activePolicy(): string | undefined {
    const document = vscode.window.activeTextEditor?.document;
    return document?.languageId === 'payrule' ? document.uri.toString() : undefined;
}

function toRange(location: Location | undefined): vscode.Range {
    if (!location) return new vscode.Range(0, 0, 0, 0);
    const { start, end } = location.range;
    return new vscode.Range(start.line, start.character, end.line, end.character);
}
