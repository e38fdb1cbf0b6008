/**
 * The Payrule language server started in-process, as lsp/main.ts starts it, and an LSP client
 * talking to it over a pair of in-memory streams: fast enough for fuzzing, and the same request
 * handling an editor gets over stdio.
 */
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node.js';
import {
    ConfigurationRequest, createProtocolConnection, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification,
    InitializedNotification, InitializeRequest, RegistrationRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
    type ProtocolConnection, type PublishDiagnosticsParams
} from 'vscode-languageserver-protocol/node.js';
import { revertClosedDocumentsToDisk } from '../../src/lsp/closed-documents.js';
import { PackLoader } from '../../src/lsp/pack-loader.js';
import { PublishedDiagnostics } from '../lsp/published-diagnostics.js';
import { createPayruleServices } from '../../src/payrule-module.js';

export interface InProcessServer {
    client: ProtocolConnection;
    /** Sends the text as the document's new content (opening it the first time). */
    edit(uri: string, text: string): Promise<void>;
    /** Closes the document, as an editor does when its tab is closed (saved or not). */
    close(uri: string): Promise<void>;
    /** The diagnostics published for `uri` that satisfy `accept`: already, or the next such. */
    diagnostics(uri: string, accept?: (params: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
    /** The next diagnostics published for `uri` that satisfy `accept`, leaving out those published before. */
    nextDiagnostics(uri: string, accept?: (params: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
    /** Every URI diagnostics were published for. */
    published(): string[];
    stop(): Promise<void>;
}

export async function startInProcessServer(workspaceFolder: string): Promise<InProcessServer> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    // Message readers, not raw streams: the server then never ends the process when a stream closes.
    const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    const { shared } = createPayruleServices({ connection, ...NodeFileSystem });
    new PackLoader(shared).start();
    revertClosedDocumentsToDisk(shared);
    startLanguageServer(shared);

    const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    const diagnostics = new PublishedDiagnostics(client);
    client.onRequest(ConfigurationRequest.type, params => params.items.map(() => null));
    client.onRequest(RegistrationRequest.type, () => null);
    client.listen();
    const folder = pathToFileURL(workspaceFolder).toString();
    await client.sendRequest(InitializeRequest.type, {
        // No process id: the server would watch it and exit the (test) process when it is gone.
        processId: null,
        rootUri: folder,
        workspaceFolders: [{ uri: folder, name: 'workspace' }],
        capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { hover: { contentFormat: ['markdown'] } } }
    });
    await client.sendNotification(InitializedNotification.type, {});

    const versions = new Map<string, number>();
    return {
        client,
        async edit(uri, text) {
            const version = (versions.get(uri) ?? 0) + 1;
            versions.set(uri, version);
            if (version === 1) {
                await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'payrule', version, text } });
            } else {
                await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
            }
        },
        async close(uri) {
            versions.delete(uri);
            await client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
        },
        diagnostics: (uri, accept, timeoutMs = 20_000) => diagnostics.for(uri, accept, timeoutMs),
        nextDiagnostics: (uri, accept, timeoutMs = 20_000) => diagnostics.next(uri, accept, timeoutMs),
        published: () => diagnostics.uris(),
        async stop() {
            // Shutdown, but no exit notification: that would end the process running the tests.
            await client.sendRequest(ShutdownRequest.type);
            client.dispose();
            connection.dispose();
        }
    };
}
