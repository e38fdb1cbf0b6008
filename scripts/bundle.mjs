/**
 * Bundles what runs from the command line (esbuild), each into one file that Node loads in a
 * fraction of the time it takes to resolve and load the hundreds of modules of the TypeScript
 * build and its dependencies (`payrule check` on a handful of sessions starts in half the time):
 * - packages/cli/dist/payrule.mjs, which bin/payrule.js runs, with the language (Langium, the
 *   parser, the compiler) split off into dist/chunks/, loaded only when policy sources are
 *   compiled; the worker threads' script payrule-worker.mjs beside it (the command line looks
 *   for it there); and dist/build-id, a digest of all of these, which names the build for the
 *   cache of compiled policies;
 * - packages/language/dist/server.mjs, which bin/payrule-language-server.js runs.
 * Run as a script (`node scripts/bundle.mjs`, part of `npm run build`) or import its functions.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = join(ROOT, 'packages');
export const CLI_PACKAGE = join(PACKAGES, 'cli');

/** The packages' TypeScript sources, so a stale or missing `tsc` build never ends up in a bundle. */
export const PACKAGE_SOURCES = {
    '@payrule/engine': join(PACKAGES, 'engine/src/index.ts'),
    '@payrule/language/node': join(PACKAGES, 'language/src/node/index.ts'),
    '@payrule/language/packs': join(PACKAGES, 'language/src/node/packs.ts'),
    '@payrule/language': join(PACKAGES, 'language/src/index.ts')
};

/**
 * An ES module bundle of `entry` for Node. CommonJS dependencies inside it call require() and may
 * read __filename or __dirname, so it defines them. With `split`, what the entry imports
 * dynamically goes into files of its own under chunks/ beside it, loaded when first imported.
 */
async function bundleForNode(entry, outfile, external = [], split = false) {
    // Loaded here, not at the top: a caller can catch a missing esbuild (the bench falls back).
    const { build } = await import('esbuild');
    const outdir = dirname(outfile);
    if (split) rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
    await build({
        ...(split
            ? { entryPoints: { [outfile.slice(outdir.length + 1).replace(/\.mjs$/, '')]: entry }, outdir, splitting: true, chunkNames: 'chunks/[name]-[hash]', outExtension: { '.js': '.mjs' } }
            : { entryPoints: [entry], outfile }),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        alias: PACKAGE_SOURCES,
        external,
        banner: {
            js: "import { createRequire as __payruleRequire } from 'node:module'; import { fileURLToPath as __payrulePath } from 'node:url';"
                + ' const require = __payruleRequire(import.meta.url); const __filename = __payrulePath(import.meta.url);'
                + " const __dirname = __payrulePath(new URL('.', import.meta.url));"
        },
        // The dependencies' licence notices stay with the code, at the end of the file.
        legalComments: 'eof',
        // Paths in the bundle's comments are relative to the repository, wherever the build runs from.
        absWorkingDir: ROOT,
        logLevel: 'warning'
    });
}

/**
 * Writes `outdir`/payrule.mjs and `outdir`/payrule-worker.mjs; returns the former's path. The
 * command line reads its version from ../package.json, relative to the bundle.
 */
export async function bundleCli({ outdir = join(CLI_PACKAGE, 'dist') } = {}) {
    const outfile = join(outdir, 'payrule.mjs');
    // Gone until the build is whole: a half-built command line must not pass for the last one.
    rmSync(join(outdir, 'build-id'), { force: true });
    // better-sqlite3 is a native module: loaded from node_modules when --history opens the database.
    await bundleForNode(join(CLI_PACKAGE, 'src/main.ts'), outfile, ['better-sqlite3'], true);
    // The worker threads load the engine alone: no Langium, no command line.
    await bundleForNode(join(PACKAGES, 'engine/src/stream/chunk-worker.ts'), join(outdir, 'payrule-worker.mjs'));
    writeFileSync(join(outdir, 'build-id'), `${buildDigest(outdir)}\n`);
    return outfile;
}

/** A digest of every script in `dir` (and chunks/), their names and bytes: another build, another digest. */
function buildDigest(dir) {
    const hash = createHash('sha256');
    const scripts = (folder) => readdirSync(folder, { withFileTypes: true }).flatMap(entry =>
        entry.isDirectory() ? scripts(join(folder, entry.name)) : entry.name.endsWith('.mjs') ? [join(folder, entry.name)] : []);
    for (const file of scripts(dir).sort()) hash.update(`${relative(dir, file)}\0`).update(readFileSync(file));
    return hash.digest('hex');
}

/** Writes the language server for any LSP client; returns its path. */
export async function bundleLanguageServer({ outfile = join(PACKAGES, 'language/dist/server.mjs') } = {}) {
    await bundleForNode(join(PACKAGES, 'language/src/lsp/main.ts'), outfile);
    return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
    await Promise.all([bundleCli(), bundleLanguageServer()]);
}
