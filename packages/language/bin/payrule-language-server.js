#!/usr/bin/env node
// The Payrule language server for any LSP client: `payrule-language-server --stdio`
// (or --node-ipc, --socket=<port>). Runs the server as one bundled file (scripts/bundle.mjs at
// the repository root, run by `npm run build`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/server.mjs', import.meta.url);
if (existsSync(bundle)) {
    await import(bundle.href);
} else {
    process.stderr.write('payrule-language-server: the server is not built: run `npm run build` in the Payrule repository.\n');
    process.exitCode = 2;
}
