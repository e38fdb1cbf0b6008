/**
 * `npm run bench`: every benchmark in this folder, one after another. throughput.mjs (sessions
 * checked per second against a floor and a hand-written baseline) takes the options below; any
 * other benchmark (lsp.mjs, ...) runs as it is. A benchmark is a bench/*.mjs named in one word;
 * a module a benchmark imports has a dash in its name (lsp-workspace.mjs) or is listed in HELPERS.
 *
 *   npm run bench                               all benchmarks, default sizes
 *   npm run bench -- --sizes 10k,100k           throughput at these sizes only
 *   npm run bench -- --only throughput          one benchmark (by file name without .mjs)
 *
 * Throughput options: --sizes LIST (10k,100k,1m), --jobs N (passed to payrule check), --runs N
 * (best of N runs per measurement), --no-shuffled (skip the out-of-order run).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Modules of the throughput benchmark, not benchmarks of their own. */
const HELPERS = new Set(['run.mjs', 'generate.mjs', 'floor.mjs', 'handwritten.mjs', 'measure.mjs']);

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const passed = onlyAt >= 0 ? [...args.slice(0, onlyAt), ...args.slice(onlyAt + 2)] : args;

const benches = readdirSync(here).filter(name => /^[a-z]+\.mjs$/.test(name) && !HELPERS.has(name))
    .sort((a, b) => (a === 'throughput.mjs' ? -1 : b === 'throughput.mjs' ? 1 : a.localeCompare(b)))
    .filter(name => only === undefined || name === `${only}.mjs`);
if (benches.length === 0) {
    process.stderr.write(`no benchmark named ${only}\n`);
    process.exit(2);
}
let failed = false;
for (const bench of benches) {
    process.stdout.write(`\n== ${bench.replace(/\.mjs$/, '')} ==\n`);
    // Options are the throughput benchmark's; the others get none.
    const result = spawnSync(process.execPath, [`${here}${bench}`, ...(bench === 'throughput.mjs' ? passed : [])], { stdio: 'inherit' });
    if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
