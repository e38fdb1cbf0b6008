#!/usr/bin/env node
// The Payrule language server for any LSP client: `payrule-language-server --stdio`
// (or --node-ipc, --socket=<port>). Runs the compiled server of this package (`npm run build`).
import '../out/lsp/main.js';
