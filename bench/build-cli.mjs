/**
 * The command line bundled from the sources (esbuild), as the benchmark and the tests that run
 * `payrule check` with worker threads use it: worker threads start from a script file, as they do
 * from an installed payrule, and a bundle measures the code in the tree whatever is built in
 * packages/*\/out.
 *
 *   const cli = await buildCliBundle(dir);   // dir/cli/payrule.mjs, dir/cli/payrule-worker.mjs
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Builds `dir`/cli/payrule.mjs and the worker threads' script beside it; returns the former's path. */
export async function buildCliBundle(dir) {
    const { build } = await import('esbuild');
    const outfile = join(dir, 'cli', 'payrule.mjs');
    await build({
        entryPoints: [join(ROOT, 'packages/cli/src/main.ts')],
        bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error',
        alias: {
            '@payrule/engine': join(ROOT, 'packages/engine/src/index.ts'),
            '@payrule/language/node': join(ROOT, 'packages/language/src/node/index.ts'),
            '@payrule/language': join(ROOT, 'packages/language/src/index.ts')
        },
        external: ['better-sqlite3'],
        banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" }
    });
    // The worker threads' script (the command line looks for payrule-worker.mjs beside itself): only the engine to load.
    await build({
        entryPoints: [join(ROOT, 'packages/engine/src/stream/chunk-worker.ts')],
        bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'cli', 'payrule-worker.mjs'), logLevel: 'error'
    });
    // The command line reads its version from ../package.json.
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), readFileSync(join(ROOT, 'packages/cli/package.json')));
    return outfile;
}
