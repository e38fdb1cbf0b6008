#!/usr/bin/env node
// The command line as one bundled file (scripts/bundle.mjs, run by `npm run build`): it starts in
// about half the time of the TypeScript build's hundreds of modules.
try {
    await import('../dist/payrule.mjs');
} catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('payrule.mjs')) throw error;
    process.stderr.write('payrule: the command line is not built: run `npm run build` in the Payrule repository.\n');
    process.exitCode = 2;
}
