/**
 * Bundles the command line (esbuild) into dist/payrule.mjs, which bin/payrule.js runs, and the
 * worker threads' script dist/payrule-worker.mjs beside it (the command line looks for it there).
 * One file loads in a fraction of the time Node takes to resolve and load the hundreds of modules
 * of the TypeScript build and its dependencies: `payrule check` on a handful of sessions starts
 * in about half the time. Run as a script (`node scripts/bundle.mjs`) or import bundleCli.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = join(CLI, '..');

/**
 * Writes `outdir`/payrule.mjs and `outdir`/payrule-worker.mjs from the TypeScript sources (so a
 * stale or missing `tsc` build never ends up in the bundle); returns the former's path. The
 * command line reads its version from ../package.json, relative to the bundle.
 */
export async function bundleCli({ outdir = join(CLI, 'dist') } = {}) {
    const common = {
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        alias: {
            '@payrule/engine': join(PACKAGES, 'engine/src/index.ts'),
            '@payrule/language/node': join(PACKAGES, 'language/src/node/index.ts'),
            '@payrule/language': join(PACKAGES, 'language/src/index.ts')
        },
        legalComments: 'none',
        logLevel: 'warning'
    };
    const outfile = join(outdir, 'payrule.mjs');
    await build({
        ...common,
        entryPoints: [join(CLI, 'src/main.ts')],
        outfile,
        // A native module: loaded from node_modules when --history opens the database.
        external: ['better-sqlite3'],
        // Some dependencies are CommonJS and call require(): give the ES module bundle one.
        banner: { js: "import { createRequire as __payruleRequire } from 'node:module'; const require = __payruleRequire(import.meta.url);" }
    });
    // The worker threads load the engine alone: no Langium, no command line.
    await build({ ...common, entryPoints: [join(PACKAGES, 'engine/src/stream/chunk-worker.ts')], outfile: join(outdir, 'payrule-worker.mjs') });
    return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
    await bundleCli();
}
