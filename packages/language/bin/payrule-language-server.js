#!/usr/bin/env node
// The Payrule language server for any LSP client: `payrule-language-server --stdio`
// (or --node-ipc, --socket=<port>). Runs the server as one bundled file (scripts/bundle.mjs at
// the repository root, run by `npm run build`).
try {
    await import('../dist/server.mjs');
} catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('server.mjs')) throw error;
    process.stderr.write('payrule-language-server: the server is not built: run `npm run build` in the Payrule repository.\n');
    process.exitCode = 2;
}
