/**
 * The "Check sessions" lenses depend on payrule.json and the payrule.sessions setting, which are
 * not policy documents: when either changes, ask the client to fetch the lenses again.
 */
import type { LangiumSharedServices } from 'langium/lsp';
import { CodeLensRefreshRequest, type Connection } from 'vscode-languageserver';
import { CONFIG_FILE } from './workspace-settings.js';

export function refreshCodeLensesOnConfigChange(shared: LangiumSharedServices, connection: Connection): void {
    let supported = false;
    shared.lsp.LanguageServer.onInitialize(params => {
        supported = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    });
    const refresh = () => {
        if (supported) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    };
    shared.lsp.DocumentUpdateHandler.onWatchedFilesChange(params => {
        if (params.changes.some(change => change.uri.endsWith(`/${CONFIG_FILE}`))) refresh();
    });
    shared.workspace.ConfigurationProvider.onConfigurationSectionUpdate(update => {
        if (update.section === 'payrule') refresh();
    });
}
