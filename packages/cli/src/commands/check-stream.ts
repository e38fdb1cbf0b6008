/**
 * `payrule check --format json` without --history or --redact: the report is streamed. Sessions
 * are read in chunks, checked on worker threads (--jobs) and written as they are checked, so a
 * year of sessions takes bounded memory; the bytes are the same as the in-memory route's. A
 * report to a regular file is written beside it and moved into place when complete (output.ts);
 * on a terminal a progress bar shows on standard error.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createWriteStream } from 'node:fs';
import { checkedUtf8, InputError, threadsFor, WorkerThreads, writeReportStream, type PolicyBundle, type ReportSink, type StreamInput, type StreamOptions } from '@payrule/engine';
import { CliError, EXIT_FINDINGS, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { openOutput, writesToFile, type OutputFile, type OutputTarget } from '../output.js';
import { pathFromCwd } from '../paths.js';
import { ProgressBar } from '../progress.js';
import { STANDARD_INPUT } from '../report/context.js';
import type { CheckOptions } from './check.js';

export interface StreamingOptions {
    /** --jobs: worker threads (default: the machine's cores; small inputs stay in one thread unless it is given). */
    jobs?: number;
    /** False with --no-progress. */
    progress?: boolean;
}

/** Inputs smaller than this are checked in one thread unless --jobs says otherwise: starting threads costs more than they save. */
const THREADS_FROM_BYTES = 16 * 1024 * 1024;

/**
 * The script worker threads start from: a bundle may ship the engine's chunk worker beside itself
 * (payrule-worker.mjs, small to load); otherwise this module (or the bundle it is in), which
 * imports the engine and so its worker.
 */
function workerScript(): URL {
    const beside = new URL('./payrule-worker.mjs', import.meta.url);
    return beside.protocol === 'file:' && existsSync(fileURLToPath(beside)) ? beside : new URL(import.meta.url);
}

/** Whether the report can be streamed: JSON, nothing else needing every session at once. */
export function streamsReport(options: CheckOptions): boolean {
    return options.format === 'json' && options.history === undefined && !options.redact;
}

/** What decides how many threads the run works in: --jobs, else the machine's cores for inputs of some size. */
function threadOptions(options: StreamingOptions): Pick<StreamOptions, 'jobs' | 'minBytesForThreads' | 'workerUrl'> {
    return { jobs: options.jobs ?? availableParallelism(), minBytesForThreads: options.jobs !== undefined ? 0 : THREADS_FROM_BYTES, workerUrl: workerScript() };
}

/**
 * The worker threads of a streamed check, started before its policy is compiled so that their
 * start overlaps the compile; none when the run will work in one thread, or its input's size is
 * not known yet (standard input, a file that cannot be read: the run says why).
 */
export function startThreadsAhead(files: string[], options: CheckOptions & StreamingOptions, io: CliIo): WorkerThreads | undefined {
    if (files.includes('-')) return undefined;
    let bytes = 0;
    try {
        for (const file of files) bytes += statSync(pathFromCwd(file, io.cwd)).size;
    } catch {
        return undefined;
    }
    const decided = threadOptions(options);
    const threads = threadsFor(decided, bytes);
    return threads > 1 ? new WorkerThreads(threads - 1, decided.workerUrl!, bytes) : undefined;
}

/** `target`: from outputTarget (output.ts); `threads`: from startThreadsAhead, the run stops them. */
export async function runCheckStreaming(
    files: string[], options: CheckOptions & StreamingOptions, target: OutputTarget, bundle: PolicyBundle, io: CliIo, threads?: WorkerThreads
): Promise<number> {
    if (files.filter(file => file === '-').length > 1) throw new CliError(`standard input ('-') can be read only once.`);
    const spool = files.includes('-') ? await spoolStandardInput(io) : undefined;
    const several = files.length > 1;
    const inputs: StreamInput[] = files.map(file => ({
        path: file === '-' ? spool!.path : pathFromCwd(file, io.cwd),
        ...(several ? { name: file === '-' ? STANDARD_INPUT : file } : {})
    }));
    // Only a regular file can start over (restart), which lets sessions out of order be checked in one pass.
    const sink: CommittingSink = writesToFile(target) ? openOutput(target) : new StreamSink(io);
    // PAYRULE_PROGRESS_AFTER_MS: how long a run lasts before the bar shows (tests set 0).
    const after = io.env.PAYRULE_PROGRESS_AFTER_MS !== undefined ? Number(io.env.PAYRULE_PROGRESS_AFTER_MS) : undefined;
    // Not when the report itself goes to the terminal: the bar would be drawn through it.
    const toTerminal = !writesToFile(target) && io.stdout.isTTY === true;
    const bar = options.progress !== false && io.stderr.isTTY === true && !toTerminal ? new ProgressBar(io.stderr, Date.now, after) : undefined;
    try {
        const outcome = await writeReportStream(bundle, inputs, sink, {
            ...(options.asOf ? { asOf: options.asOf } : {}),
            ...threadOptions(options),
            ...(threads ? { threads } : {}),
            trailer: '\n',
            ...(bar ? { onProgress: state => bar.update(state) } : {})
        });
        bar?.done();
        sink.commit();
        const { summary } = outcome;
        if (io.env.PAYRULE_DEBUG) io.stderr.write(`payrule: ${summary.records} records, ${outcome.mode}, ${outcome.threads} ${outcome.threads === 1 ? 'thread' : 'threads'}\n`);
        return summary.findings.error > 0 || summary.rejected > 0 ? EXIT_FINDINGS : EXIT_OK;
    } catch (error) {
        bar?.done();
        sink.abandon();
        throw error;
    } finally {
        spool?.remove();
    }
}

/** Where the streamed report goes: a file from openOutput (output.ts), or standard output. */
type CommittingSink = ReportSink & Pick<OutputFile, 'commit' | 'abandon'>;

/**
 * Standard output (or the run's own stream): cannot start over, so the run reads its input twice
 * when the order needs it (so does a named pipe or a device given to -o: SpecialFile, output.ts).
 */
class StreamSink implements CommittingSink {
    private readonly decoder = new TextDecoder();

    constructor(private readonly io: CliIo) {}

    async write(text: string | Uint8Array): Promise<void> {
        const stream = this.io.stdout as CliIo['stdout'] & { once?: (event: 'drain', listener: () => void) => void };
        const ok = stream.write(typeof text === 'string' ? text : this.decoder.decode(text));
        // A real stream says when its buffer is full: wait for it to drain rather than hold the report in memory.
        if (ok === false && typeof stream.once === 'function') await new Promise<void>(done => stream.once!('drain', done));
    }

    commit(): void {}

    abandon(): void {}
}

/** NDJSON on standard input, kept in a temporary file so it can be read twice. */
async function spoolStandardInput(io: CliIo): Promise<{ path: string; remove: () => void }> {
    const dir = mkdtempSync(join(tmpdir(), 'payrule-stdin-'));
    const path = join(dir, 'standard-input.ndjson');
    try {
        // Checked as it is spooled, so that a message names it as what it is, not as the spool.
        await pipeline(checkedUtf8(io.stdin, STANDARD_INPUT), createWriteStream(path));
    } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        if (error instanceof InputError) throw error;
        throw new CliError(`cannot read standard input: ${(error as Error).message}.`);
    }
    return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
