/**
 * A policy closed without saving goes back to what is on disk. Langium keeps the last text the
 * editor sent for a closed document, so the files that import it or extend its payers would go
 * on being checked against edits that were thrown away. The document is rebuilt from the disk
 * (or removed, when it is not on disk), and with it everything that depends on it.
 */
import { URI, type LangiumSharedCoreServices } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';

export function revertClosedDocumentsToDisk(shared: LangiumSharedServices): void {
    shared.workspace.TextDocuments.onDidClose(event => {
        revertToDisk(shared, URI.parse(event.document.uri), event.document.getText())
            .catch(error => console.error(`Could not reload ${event.document.uri} from disk after it was closed.`, error));
    });
}

/** Rebuilds a closed document from the disk when the editor's last text differs from the file. */
async function revertToDisk(shared: LangiumSharedCoreServices, uri: URI, editorText: string): Promise<void> {
    const workspace = shared.workspace;
    if (uri.scheme !== 'file' || !workspace.LangiumDocuments.hasDocument(uri)) return;
    const diskText = await workspace.FileSystemProvider.readFile(uri).catch(() => undefined);
    if (diskText === editorText) return;
    // Opened again meanwhile: the editor's text is the one to check again.
    if (workspace.TextDocuments?.get(uri.toString())) return;
    const [changed, deleted] = diskText === undefined ? [[], [uri]] : [[uri], []];
    // As Langium's own updates: after the first build of the workspace, one update at a time.
    await workspace.WorkspaceManager.ready;
    await workspace.WorkspaceLock.write(token => workspace.DocumentBuilder.update(changed, deleted, token));
}
