/**
 * The Payrule language server for any LSP client: `payrule-language-server --stdio` (or
 * `--node-ipc`, `--socket=<port>`). The VS Code extension runs the same file, bundled.
 */
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { createPayruleServices } from '../payrule-module.js';
import { revertClosedDocumentsToDisk } from './closed-documents.js';
import { refreshCodeLensesOnConfigChange } from './code-lens-refresh.js';
import { PackLoader } from './pack-loader.js';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];

if (!process.argv.slice(2).some(arg => TRANSPORTS.some(transport => arg.startsWith(transport)))) {
    process.stderr.write('Usage: payrule-language-server --stdio | --node-ipc | --socket=<port>\n'
        + 'The Payrule language server speaks the Language Server Protocol; start it from an editor or LSP client.\n');
    process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
const { shared } = createPayruleServices({ connection, ...NodeFileSystem });
new PackLoader(shared).start();
refreshCodeLensesOnConfigChange(shared, connection);
revertClosedDocumentsToDisk(shared);
startLanguageServer(shared);
