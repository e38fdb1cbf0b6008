/**
 * Runs a policy against sample sessions from the editor: the policy document and the packs it
 * imports are compiled exactly as the command line compiles them, the engine evaluates the
 * session files, and the report comes back with editor locations (DATA.md §2 plus `location`
 * fields). A policy with errors is not run: the error says which and where.
 */
import { evaluate, InputError, readSessions, sessionFormat, type PolicyBundle, type PositionedSession, type Rejection } from '@payrule/engine';
import { DocumentState, URI, UriUtils, type LangiumDocument, type LangiumDocuments } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { CancellationToken, ErrorCodes, ResponseError, type Location, type Range } from 'vscode-languageserver';
import { compilePolicy } from '../compiler/compile-policy.js';
import type { PayruleServices } from '../payrule-module.js';
import type { CheckRequest, EditorFinding, EditorReport, EditorSessionResult } from './check-protocol.js';
import { sessionsLocator, type SessionsLocator } from './sessions-locator.js';
import type { PayruleWorkspaceSettings } from './workspace-settings.js';

const TEST_OUTCOME_CODES = new Set(['test-failure', 'test-error']);

export class SessionsChecker {
    protected readonly services: PayruleServices;
    protected readonly shared: LangiumSharedServices;
    protected readonly documents: LangiumDocuments;
    protected readonly settings: PayruleWorkspaceSettings;

    constructor(services: PayruleServices) {
        this.services = services;
        this.shared = services.shared;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.settings = services.workspace.Settings;
    }

    async check(request: CheckRequest, cancelToken = CancellationToken.None): Promise<EditorReport> {
        const policyUri = toUri(request.policy);
        const { bundle, names } = await this.compiledPolicy(policyUri, cancelToken);

        const sessionUris = await this.sessionFiles(request, policyUri);
        const inputs: EditorReport['inputs'] = [];
        const sessions: PositionedSession[] = [];
        const rejected: Rejection[] = [];
        const locators = new Map<string, { uri: URI; locator: SessionsLocator }>();
        let skipped = 0;
        for (const uri of sessionUris) {
            const file = this.displayName(uri, policyUri);
            const read = await this.read(uri, file);
            const kept = request.payer ? read.sessions.filter(input => input.session.payer === request.payer) : read.sessions;
            skipped += read.sessions.length - kept.length;
            sessions.push(...kept);
            rejected.push(...read.rejected);
            inputs.push({ file, uri: uri.toString(), sessions: kept.length });
            const format = sessionFormat(uri.fsPath) ?? 'json';
            const text = await this.shared.workspace.FileSystemProvider.readFile(uri).catch(() => '');
            locators.set(file, { uri, locator: sessionsLocator(text, format) });
        }
        let report;
        try {
            report = evaluate(bundle, sessions, rejected, request.asOf ? { asOf: request.asOf } : {});
        } catch (error) {
            if (error instanceof InputError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
            throw error;
        }
        return this.locate(report, sessions, locators, names, {
            inputs,
            checked: { policy: policyUri.toString(), ...(request.payer ? { payer: request.payer } : {}), skipped }
        });
    }

    /**
     * The policy document and the packs it imports, compiled as the command line compiles them;
     * `names` maps the file names written in source locations back to documents. Refused while
     * the policy has errors.
     */
    async compiledPolicy(policyUri: URI, cancelToken = CancellationToken.None): Promise<{ bundle: PolicyBundle; names: Map<string, URI> }> {
        const document = await this.builtDocument(policyUri, cancelToken);
        const policyDocuments = [...this.services.workspace.PackageIndex.visibleUris(document)].sort()
            .map(uri => this.documents.getDocument(URI.parse(uri)))
            .filter((doc): doc is LangiumDocument => doc !== undefined);
        this.refuseErrors(policyDocuments);
        const names = new Map<string, URI>();
        const fileName = (doc: LangiumDocument) => {
            const name = this.displayName(doc.uri, policyUri);
            names.set(name, doc.uri);
            return name;
        };
        return { bundle: compilePolicy(this.services, policyDocuments, { fileName }), names };
    }

    /** The policy document, loaded if the editor has not opened it, and validated with everything it imports. */
    protected async builtDocument(uri: URI, cancelToken: CancellationToken): Promise<LangiumDocument> {
        const workspace = this.shared.workspace;
        const existing = this.documents.getDocument(uri);
        if (!existing || existing.state < DocumentState.Validated) {
            // A language server first indexes the workspace; used as a library, nobody initializes it.
            if (this.shared.lsp.Connection) await workspace.WorkspaceManager.ready;
            if (!existing && !(await workspace.FileSystemProvider.exists(uri))) {
                throw new ResponseError(ErrorCodes.InvalidParams, `Cannot read the policy ${uri.fsPath}: no such file.`);
            }
            await workspace.WorkspaceLock.write(token => workspace.DocumentBuilder.update([uri], [], token));
            await workspace.DocumentBuilder.waitUntil(DocumentState.Validated, uri, cancelToken);
        }
        return this.documents.getDocument(uri)!;
    }

    protected refuseErrors(documents: LangiumDocument[]): void {
        // A failing policy test is an error to show, not a broken policy.
        const errors = documents.flatMap(doc => (doc.diagnostics ?? []).filter(d => d.severity === 1 && !TEST_OUTCOME_CODES.has(String(d.code)))
            .map(d => `${UriUtils.basename(doc.uri)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`));
        if (errors.length > 0) {
            const shown = errors.slice(0, 5).join('\n');
            throw new ResponseError(ErrorCodes.InvalidRequest,
                `The policy has ${errors.length} ${errors.length === 1 ? 'error' : 'errors'}; fix ${errors.length === 1 ? 'it' : 'them'} before checking sessions:\n${shown}`);
        }
    }

    protected async sessionFiles(request: CheckRequest, policy: URI): Promise<URI[]> {
        const given = (request.sessions ?? []).filter(path => path.trim() !== '');
        if (given.length > 0) {
            const base = this.settings.workspaceFolder(policy) ?? UriUtils.dirname(policy);
            return given.map(path => this.settings.resolve(path, base));
        }
        const configured = await this.settings.sessionsFor(policy);
        if (configured.sessions.length === 0) {
            throw new ResponseError(ErrorCodes.InvalidParams,
                'No session file to check: pass one, or list them in payrule.json at the workspace root ({"sessions": ["examples/sessions/week.csv"]}) or in the payrule.sessions setting.');
        }
        return configured.sessions;
    }

    protected async read(uri: URI, file: string) {
        try {
            return await readSessions(uri.fsPath, { file });
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new ResponseError(ErrorCodes.InvalidParams, `Cannot read sessions from ${file}: ${message}`);
        }
    }

    /** A path relative to the workspace folder (as the command line would print it), else the file's path. */
    protected displayName(uri: URI, policy: URI): string {
        const root = this.settings.workspaceFolder(policy) ?? this.settings.workspaceFolder(uri);
        if (root && uri.toString().startsWith(`${root.toString().replace(/\/$/, '')}/`)) {
            return decodeURIComponent(uri.toString().slice(root.toString().replace(/\/$/, '').length + 1));
        }
        return uri.scheme === 'file' ? uri.fsPath : uri.toString();
    }

    protected locate(
        report: ReturnType<typeof evaluate>, inputs: PositionedSession[], locators: Map<string, { uri: URI; locator: SessionsLocator }>,
        policyFiles: Map<string, URI>, extra: Pick<EditorReport, 'inputs' | 'checked'>
    ): EditorReport {
        const byId = new Map(inputs.map(input => [input.session.id, input]));
        const at = (file: string | undefined, range: (locator: SessionsLocator) => Location['range']): Location | undefined => {
            const entry = file !== undefined ? locators.get(file) : locators.size === 1 ? [...locators.values()][0] : undefined;
            return entry ? { uri: entry.uri.toString(), range: range(entry.locator) } : undefined;
        };
        const sessions: EditorSessionResult[] = report.sessions.map(result => {
            const input = byId.get(result.id);
            const location = input && at(input.file, locator => locator.session(result.id, input.record));
            const findings: EditorFinding[] = result.findings.map(finding => {
                const findingLocation = input && at(input.file, locator => finding.line !== undefined
                    ? locator.line(result.id, input.record, finding.line) : locator.session(result.id, input.record));
                const policyUri = policyFiles.get(finding.source.file);
                const policyLocation = policyUri ? { uri: policyUri.toString(), range: this.sourceRange(policyUri, finding.source) } : undefined;
                return { ...finding, ...(findingLocation ? { location: findingLocation } : {}), ...(policyLocation ? { policyLocation } : {}) };
            });
            return { ...result, ...(location ? { location } : {}), findings };
        });
        const rejected = report.rejected.map(rejection => {
            const location = at(rejection.file, locator => locator.record(rejection.record, rejection.id));
            return { ...rejection, ...(location ? { location } : {}) };
        });
        return { ...report, sessions, rejected, ...extra };
    }

    /** From the rule's line and column to the end of that line. */
    protected sourceRange(uri: URI, source: { line: number; column?: number }): Range {
        const line = Math.max(source.line - 1, 0);
        const text = this.documents.getDocument(uri)?.textDocument.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }) ?? '';
        return { start: { line, character: Math.max((source.column ?? 1) - 1, 0) }, end: { line, character: text.replace(/\r?\n$/, '').length } };
    }
}

/** A URI string, or an absolute file path. */
function toUri(value: string): URI {
    return /^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[A-Za-z]:[\\/]/.test(value) ? URI.parse(value) : URI.file(value);
}
