/**
 * The command line bundled from the sources, as the benchmark and the tests that run
 * `payrule check` with worker threads use it: the same bundle `npm run build` makes for
 * bin/payrule.js (scripts/bundle.mjs), written elsewhere, so it measures the code in
 * the tree whatever is built in packages/cli/dist.
 *
 *   const cli = await buildCliBundle(dir);   // dir/cli/payrule.mjs, dir/cli/payrule-worker.mjs
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleCli, CLI_PACKAGE } from '../scripts/bundle.mjs';

/** Builds `dir`/cli/payrule.mjs and the worker threads' script beside it; returns the former's path. */
export async function buildCliBundle(dir) {
    const outfile = await bundleCli({ outdir: join(dir, 'cli') });
    // The command line reads its version from ../package.json.
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), readFileSync(join(CLI_PACKAGE, 'package.json')));
    return outfile;
}
