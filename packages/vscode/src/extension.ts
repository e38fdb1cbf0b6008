/**
 * The Payrule extension: starts the bundled language server (out/server.cjs) over IPC and adds
 * the command that checks sample sessions against a policy. Everything else (diagnostics,
 * completion, hover, navigation, formatting, quick fixes, code lenses) comes from the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { SessionsCheck } from './check-sessions.js';
import { CHECK_SESSIONS_CLIENT_COMMAND } from './protocol.js';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const server = context.asAbsolutePath('out/server.cjs');
    const serverOptions: ServerOptions = {
        run: { module: server, transport: TransportKind.ipc },
        debug: { module: server, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } }
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ scheme: 'file', language: 'payrule' }, { scheme: 'untitled', language: 'payrule' }],
        // Settings changes are pushed so the server's "Check sessions" lenses follow payrule.sessions.
        synchronize: { configurationSection: 'payrule', fileEvents: vscode.workspace.createFileSystemWatcher('**/payrule.json') }
    };
    client = new LanguageClient('payrule', 'Payrule', serverOptions, clientOptions);
    const sessions = new SessionsCheck(client);
    context.subscriptions.push(
        sessions,
        vscode.commands.registerCommand(CHECK_SESSIONS_CLIENT_COMMAND, (policy?: unknown, file?: unknown, payer?: unknown) => sessions.run(policy, file, payer)),
        vscode.commands.registerCommand('payrule.showReport', () => sessions.showReport())
    );
    await client.start();
}

export async function deactivate(): Promise<void> {
    await client?.stop();
}
