/**
 * Throughput of `payrule check` over the example packs, on synthetic sessions (generate.mjs) as
 * NDJSON and CSV at 10k, 100k and 1M sessions, against two baselines measured in the same run:
 * the floor (read the NDJSON, JSON.parse each line, nothing else: floor.mjs) and a plain
 * hand-written implementation of the core checks (handwritten.mjs). Every command runs as a
 * child process; wall time includes its start, peak RSS covers all its threads. Each figure is
 * the best of several runs (3 up to 100k, 2 above; --runs N sets it), the commands of a size
 * taking turns.
 *
 *   node bench/throughput.mjs [--sizes 10k,100k,1m] [--jobs N] [--runs N] [--no-shuffled]
 *
 * Data and reports go to bench/data/ (git-ignored), generated on demand and reused while the
 * generator is unchanged. payrule runs from a bundle of the sources built here (esbuild), so the
 * numbers are those of the code in the tree, whatever is built in packages/cli/dist.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCliBundle } from './build-cli.mjs';
import { prng, writeSessionFiles } from './generate.mjs';
import { measure } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const DATA = join(BENCH, 'data');
const SIZES = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };

const args = process.argv.slice(2);
const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : fallback;
};
const sizes = option('--sizes', '10k,100k,1m').split(',').map(label => label.trim().toLowerCase()).filter(Boolean).map(label => {
    const count = SIZES[label] ?? Number(label.replace(/k$/, '000').replace(/m$/, '000000'));
    if (!Number.isSafeInteger(count) || count <= 0) throw new Error(`not a size: ${label}`);
    return { label, count };
});
const jobs = option('--jobs', undefined);
const runsOption = option('--runs', undefined);
const shuffled = !args.includes('--no-shuffled');

mkdirSync(join(DATA, 'out'), { recursive: true });
const log = text => process.stdout.write(`${text}\n`);
log(`node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg().map(l => l.toFixed(2)).join(' ')}`);

// The sessions, generated once per size and generator version.
const generator = createHash('sha256').update(readFileSync(join(BENCH, 'generate.mjs'))).digest('hex').slice(0, 16);
function dataFor({ label, count }) {
    const base = join(DATA, `sessions-${label}`);
    const stamp = `${base}.stamp`;
    const want = `${generator} ${count}`;
    if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== want || !existsSync(`${base}.ndjson`) || !existsSync(`${base}.csv`)) {
        const started = performance.now();
        writeSessionFiles(count, base);
        writeFileSync(stamp, want);
        log(`generated ${label} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return { ndjson: `${base}.ndjson`, csv: `${base}.csv` };
}

/**
 * The same sessions in another order: the run that cannot go in one pass. Lines are shuffled as
 * positions in the file's bytes (a million sessions are more text than one string may hold).
 */
function shuffledCopy(ndjson, label) {
    const target = join(DATA, `sessions-${label}-shuffled.ndjson`);
    const stamp = `${target}.stamp`;
    const want = `${generator} ${statSync(ndjson).size}`;
    if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return target;
    const bytes = readFileSync(ndjson);
    const starts = [];
    for (let at = 0; at < bytes.length;) {
        let end = bytes.indexOf(10, at);
        if (end < 0) end = bytes.length;
        if (end > at) starts.push(at, end);
        at = end + 1;
    }
    const lines = Array.from({ length: starts.length / 2 }, (_, i) => i);
    const rng = prng(7);
    for (let i = lines.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    const fd = openSync(target, 'w');
    const out = Buffer.allocUnsafe(1 << 22);
    let used = 0;
    for (const line of lines) {
        const [from, to] = [starts[2 * line], starts[2 * line + 1]];
        if (used + (to - from) + 1 > out.length) {
            writeSync(fd, out, 0, used);
            used = 0;
        }
        if (to - from + 1 > out.length) {
            writeSync(fd, bytes, from, to - from);
            writeSync(fd, '\n');
            continue;
        }
        used += bytes.copy(out, used, from, to);
        out[used++] = 10;
    }
    writeSync(fd, out, 0, used);
    closeSync(fd);
    writeFileSync(stamp, want);
    return target;
}

// payrule from the sources: a bundle built now (the worker threads start from the script beside it).
async function buildPayrule() {
    try {
        return await buildCliBundle(DATA);
    } catch (error) {
        // The bundle `npm run build` made, which bin/payrule.js runs.
        const built = join(ROOT, 'packages/cli/dist/payrule.mjs');
        if (!existsSync(built)) throw error;
        log(`(could not bundle the sources: ${error.message}; measuring the built command line, packages/cli/dist/payrule.mjs)`);
        return built;
    }
}

/** The report's summary, read from its end (the report itself may be a gigabyte). */
function summaryOf(file) {
    const fd = openSync(file, 'r');
    const size = statSync(file).size;
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    closeSync(fd);
    const text = buffer.toString('utf8');
    const at = text.lastIndexOf('"summary": ');
    return at >= 0 ? JSON.parse(text.slice(at + 11).replace(/\n}\n?$/, '')) : undefined;
}

/** One measured run; a command that fails (exit code other than 0 or 1) stops the benchmark. */
async function run(command, commandArgs) {
    const result = await measure(command, commandArgs, { cwd: ROOT });
    if (result.code !== 0 && result.code !== 1) throw new Error(`${commandArgs.join(' ')} failed (exit ${result.code}):\n${result.stderr}`);
    return result;
}

/**
 * The best of `runs` runs of each command, taken in turns (one of each, then again), so that a
 * slower minute of a shared machine falls on all of them alike, not on whichever ran then.
 */
async function bestInTurns(runs, commands) {
    const results = new Map();
    for (let round = 0; round < runs; round++) {
        for (const [name, command, commandArgs] of commands) {
            const next = await run(command, commandArgs);
            const kept = results.get(name);
            if (!kept || next.wall < kept.wall) results.set(name, next);
        }
    }
    return results;
}

async function best(runs, command, commandArgs) {
    return (await bestInTurns(runs, [['only', command, commandArgs]])).get('only');
}

const payrule = await buildPayrule();
const node = process.execPath;
const check = (file, output) => [payrule, 'check', '--policy', 'examples/packs', '--format', 'json', '-o', output, ...(jobs ? ['--jobs', jobs] : []), file];

// The fixed cost of every run: starting, and compiling the packs' policy sources, or reading the
// compile an earlier run kept (packages/cli/src/policy/cache.ts), as every run after the first
// with unchanged packs does. The bench keeps its own, so it starts the same on any machine.
process.env.PAYRULE_CACHE_DIR = join(DATA, 'cache');
const tiny = join(DATA, 'sessions-1.ndjson');
writeFileSync(tiny, `${readFileSync(dataFor(sizes[0]).ndjson, 'utf8').split('\n')[0]}\n`);
const compiling = await best(3, node, [...check(tiny, join(DATA, 'out', 'report-1.json')), '--no-cache']);
const startup = await best(3, node, check(tiny, join(DATA, 'out', 'report-1.json')));
log(`payrule check on 1 session: ${compiling.wall.toFixed(2)} s compiling the policy from examples/packs, ${startup.wall.toFixed(2)} s with the compile kept from an earlier run (as in the runs below)\n`);

const rows = [];
const ratios = [];
for (const size of sizes) {
    const files = dataFor(size);
    // Best of 3 runs up to 100k and of 2 above: the speed of a shared machine varies by 10-30% from
    // one minute to the next, and one slow run of a million sessions would make a ratio of noise.
    const runs = Number(runsOption ?? (size.count <= 100_000 ? 3 : 2));
    const reportNd = join(DATA, 'out', `report-${size.label}-ndjson.json`);
    const reportCsv = join(DATA, 'out', `report-${size.label}-csv.json`);
    const reportShuffled = join(DATA, 'out', `report-${size.label}-shuffled.json`);
    const measured = await bestInTurns(runs, [
        ['floor', node, [join(BENCH, 'floor.mjs'), files.ndjson]],
        ['hand', node, [join(BENCH, 'handwritten.mjs'), files.ndjson, join(DATA, 'out', `handwritten-${size.label}.json`)]],
        ['ndjson', node, check(files.ndjson, reportNd)],
        ['csv', node, check(files.csv, reportCsv)],
        ...(shuffled ? [['shuffled', node, check(shuffledCopy(files.ndjson, size.label), reportShuffled)]] : [])
    ]);
    const [floor, hand, nd, csv, mixed] = ['floor', 'hand', 'ndjson', 'csv', 'shuffled'].map(name => measured.get(name));
    const add = (input, tool, result) => rows.push({ size: size.label, count: size.count, input, tool, ...result });
    add('NDJSON', 'floor (read + JSON.parse)', floor);
    add('NDJSON', 'hand-written checks', hand);
    add('NDJSON', 'payrule check', nd);
    add('CSV', 'payrule check', csv);
    if (mixed) add('NDJSON shuffled', 'payrule check', mixed);
    const [sumNd, sumCsv] = [summaryOf(reportNd), summaryOf(reportCsv)];
    const sameAs = other => other && sumNd && JSON.stringify(sumNd.findings) === JSON.stringify(other.findings) && sumNd.evaluated === other.evaluated;
    const same = sameAs(sumCsv) && (!mixed || sameAs(summaryOf(reportShuffled)));
    ratios.push({ size: size.label, floor: nd.wall / floor.wall, hand: nd.wall / hand.wall, csv: csv.wall / nd.wall, rss: nd.rssMB, rssShuffled: mixed?.rssMB, same, summary: sumNd });
}

const pad = (text, width, right = false) => (right ? String(text).padStart(width) : String(text).padEnd(width));
// CPU s: user + system time of all the run's threads (workers, and V8's compiler and GC threads).
log(`${pad('sessions', 9)}${pad('input', 17)}${pad('run', 27)}${pad('wall s', 9, true)}${pad('CPU s', 8, true)}${pad('sessions/s', 13, true)}${pad('peak RSS MB', 14, true)}`);
for (const row of rows) {
    const cpu = row.cpu === undefined ? '?' : row.cpu.toFixed(2);
    log(`${pad(row.size, 9)}${pad(row.input, 17)}${pad(row.tool, 27)}${pad(row.wall.toFixed(2), 9, true)}${pad(cpu, 8, true)}${pad(Math.round(row.count / row.wall).toLocaleString('en-US'), 13, true)}${pad(row.rssMB === undefined ? '?' : row.rssMB.toFixed(0), 14, true)}`);
}
log('');
const mb = value => (value === undefined ? '?' : value.toFixed(0));
log(`${pad('sessions', 9)}${pad('payrule/floor', 15, true)}${pad('payrule/hand', 14, true)}${pad('CSV/NDJSON', 12, true)}${pad('RSS MB', 8, true)}${pad('shuffled RSS MB', 17, true)}  same findings (CSV${shuffled ? ', shuffled' : ''})`);
for (const r of ratios) {
    log(`${pad(r.size, 9)}${pad(r.floor.toFixed(2), 15, true)}${pad(r.hand.toFixed(2), 14, true)}${pad(r.csv.toFixed(2), 12, true)}${pad(mb(r.rss), 8, true)}${pad(mb(r.rssShuffled), 17, true)}  ${r.same ? 'yes' : 'NO'}`);
}
log('\nTargets (100k and 1M NDJSON): payrule/hand <= 1.0, payrule/floor <= 2.0, CSV/NDJSON <= 1.5, peak RSS at 1M < 512 MB (in order and shuffled).');
const last = ratios[ratios.length - 1];
if (last?.summary) log(`Last report: ${last.summary.evaluated} sessions evaluated, ${last.summary.rejected} rejected, ${last.summary.sessionsWithFindings} with findings.`);
