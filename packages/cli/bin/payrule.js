#!/usr/bin/env node
// The command line as one bundled file (scripts/bundle.mjs at the repository root, run by
// `npm run build`): it starts in about half the time of the TypeScript build's hundreds of modules.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/payrule.mjs', import.meta.url);
if (existsSync(bundle)) {
    await import(bundle.href);
} else {
    process.stderr.write('payrule: the command line is not built: run `npm run build` in the Payrule repository.\n');
    process.exitCode = 2;
}
