/**
 * A headless LSP client for end-to-end tests: starts a language server as a child process and
 * talks to it over stdio with vscode-languageserver-protocol, as an editor would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
    CodeLensRefreshRequest, createProtocolConnection, ConfigurationRequest, DidOpenTextDocumentNotification, ExitNotification, InitializedNotification,
    InitializeRequest, RegistrationRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
    type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams
} from 'vscode-languageserver-protocol/node.js';
import { PublishedDiagnostics } from '../../packages/language/test/lsp/published-diagnostics.js';

export interface TestClient {
    connection: ProtocolConnection;
    server: ChildProcess;
    capabilities: InitializeResult['capabilities'];
    /** How many times the server asked to refresh code lenses. */
    codeLensRefreshes(): number;
    /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
    diagnostics(uri: string, accept?: (params: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
    open(uri: string, text: string): void;
    stop(): Promise<void>;
    stderr(): string;
}

export interface StartOptions {
    /** The server's command line after `node`. */
    args: string[];
    cwd?: string;
    workspaceFolders?: { uri: string; name: string }[] | null;
    /** What the client answers to workspace/configuration for the `payrule` section. */
    settings?: Record<string, unknown>;
}

export async function startServer(options: StartOptions): Promise<TestClient> {
    const server = spawn(process.execPath, options.args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', chunk => { stderr += String(chunk); });
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    const diagnostics = new PublishedDiagnostics(connection, () => ` Server stderr:\n${stderr}`);
    connection.onRequest(ConfigurationRequest.type, params => params.items.map(item => (item.section === 'payrule' ? options.settings ?? {} : null)));
    connection.onRequest(RegistrationRequest.type, () => null);
    let refreshes = 0;
    connection.onRequest(CodeLensRefreshRequest.type, () => { refreshes++; return null; });
    connection.listen();

    const result = await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: options.workspaceFolders?.[0]?.uri ?? null,
        workspaceFolders: options.workspaceFolders ?? null,
        capabilities: {
            workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true, codeLens: { refreshSupport: true } },
            textDocument: {
                publishDiagnostics: { relatedInformation: true },
                completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
                hover: { contentFormat: ['markdown', 'plaintext'] }
            }
        }
    });
    await connection.sendNotification(InitializedNotification.type, {});

    return {
        connection,
        server,
        capabilities: result.capabilities,
        diagnostics: (uri, accept, timeoutMs) => diagnostics.for(uri, accept, timeoutMs),
        open(uri, text) {
            void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'payrule', version: 1, text } });
        },
        async stop() {
            await connection.sendRequest(ShutdownRequest.type);
            await connection.sendNotification(ExitNotification.type);
            await new Promise<void>(resolve => {
                if (server.exitCode !== null) resolve();
                else server.once('exit', () => resolve());
                setTimeout(() => { server.kill(); resolve(); }, 3000);
            });
            connection.dispose();
        },
        stderr: () => stderr,
        codeLensRefreshes: () => refreshes
    };
}
