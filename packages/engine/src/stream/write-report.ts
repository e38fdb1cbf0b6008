/**
 * The streaming evaluation: session files in, the JSON report out piece by piece, in bounded
 * memory and on several threads, with the same bytes as JSON.stringify(evaluate(...), null, 2).
 *
 * The work is split by patient (partition.ts): each part (one in this thread, the others in worker
 * threads) takes every chunk of input, keeps its own patients' records and does all the work on
 * them; here each chunk's parts are merged back into input order and written. Rules across
 * sessions need each patient's sessions in date order; the input need not be.
 * - One pass, when the input comes in date order (as exports list visits) and the output can
 *   start over (a file): a part checks each date's sessions once the input has moved past it. A
 *   date out of order (or one spanning too much input) starts over in two passes.
 * - Two passes otherwise: the first reads each part's sessions into compact entries, which are
 *   admitted here in input order (so an id of two patients, in two parts, is a duplicate as with
 *   one reader), and replays each patient's timeline into facts; the second reads them again and
 *   checks them. A one pass in which two parts read the same id starts over in two.
 * - One part, in two passes, when a record's text misled the parts about its patient (a nested
 *   or escaped member).
 * - Inputs the fast readers do not take (an irregular CSV, a CSV whose sessions' rows are apart)
 *   are read whole by the reference readers and evaluated in memory.
 */
import type { PolicyBundle } from '../ir/policy.js';
import { checkOptions, evaluate, reportPolicies, sortRejections } from '../evaluate/evaluate.js';
import { UnpricedLines } from '../evaluate/unpriced.js';
import { REPORT_FORMAT, type Report } from '../report/report.js';
import type { EvaluateOptions } from '../rules/context.js';
import type { PositionedSession } from '../sessions/collect.js';
import { readSessions } from '../sessions/read.js';
import type { Rejection } from '../sessions/session.js';
import { Admission, type InputRejection } from './admission.js';
import { InThreadExecutor, WorkerExecutor, WorkerThreads, type Executor } from './executors.js';
import { IdIndex } from './id-index.js';
import { chunksOf, prepareInput, type PreparedInput, type StreamInput } from './inputs.js';
import { PartitionStop, type Admissions, type PartitionPart, type PartitionPasses, type PartitionReply } from './partition.js';
import { reportFrame, sessionsText, SessionsLayout } from './report-text.js';

export type { StreamInput } from './inputs.js';

/** Where the report text goes, in order. */
export interface ReportSink {
    /** Report text, as a string or as UTF-8 bytes. */
    write(text: string | Uint8Array): void | Promise<void>;
    /** Drops everything written so far. Present when the output can start over (a file): allows the single pass. */
    restart?(): void | Promise<void>;
}

export interface StreamOptions extends EvaluateOptions {
    /** Threads that read and check the input; 1 (the default) works in this thread. */
    jobs?: number;
    /** Inputs smaller than this (bytes, all inputs together) are checked in this thread whatever `jobs` says. Default 0. */
    minBytesForThreads?: number;
    /** Input bytes per chunk (default 96 KiB). */
    chunkBytes?: number;
    /**
     * The script worker threads start from: any module that imports this engine (the engine's
     * chunk worker starts in a thread marked for it), e.g. the command line's own file or bundle.
     * Without it everything runs in this thread.
     */
    workerUrl?: URL;
    /**
     * Worker threads started ahead of the run (new WorkerThreads), e.g. while the policy compiles,
     * so that their start overlaps it: the run works in them (`jobs` and `workerUrl` then do not
     * apply) and stops them, whatever happens.
     */
    threads?: WorkerThreads;
    onProgress?: (progress: StreamProgress) => void;
    /** Without threads, how many parts the work is split into anyway, one after the other (tests; default 1). */
    partitions?: number;
    /** Forces two passes (tests). */
    passes?: 'auto' | 'two';
    /** Text written after the report (a command line ends its output with a line end). */
    trailer?: string;
}

export interface StreamProgress {
    /** Input bytes read so far, over all passes, and how many there are to read (twice the input in two passes). */
    done: number;
    total: number;
    /** Records evaluated or rejected so far. */
    records: number;
}

export interface StreamOutcome {
    summary: Report['summary'];
    /** How the run went: in one pass, two, or in memory. */
    mode: 'one-pass' | 'two-pass' | 'memory';
    threads: number;
}

interface Totals {
    evaluated: number;
    withFindings: number;
    error: number;
    warning: number;
    info: number;
}

/** Input per chunk: small enough that what a chunk becomes (its records, report text) stays out of V8's large-object space. */
const DEFAULT_CHUNK_BYTES = 96 * 1024;
/** Chunks handed to the parts and not yet answered. */
const WINDOW = 32;

export async function writeReportStream(policy: PolicyBundle, inputs: StreamInput[], sink: ReportSink, options: StreamOptions = {}): Promise<StreamOutcome> {
    let pool = options.threads;
    try {
        checkOptions(options);
        const evaluateOptions: EvaluateOptions = options.asOf !== undefined ? { asOf: options.asOf } : {};
        const prepared: PreparedInput[] = [];
        for (const input of inputs) prepared.push(await prepareInput(input));
        const totalBytes = prepared.reduce((sum, input) => sum + input.size, 0);
        const run = new Run(policy, prepared, sink, options, evaluateOptions, totalBytes);
        if (prepared.some(input => input.irregular)) return await run.inMemory();

        const threads = threadsFor(options, totalBytes);
        if (!pool && threads > 1) pool = new WorkerThreads(threads - 1, options.workerUrl!, totalBytes);
        const executor: Executor = pool
            ? new WorkerExecutor(pool, withoutTests(policy), evaluateOptions)
            : new InThreadExecutor(policy, evaluateOptions, options.partitions);
        // One pass needs an output that can start over; each start over goes on another way, until one works.
        let passes: PartitionPasses = sink.restart && options.passes !== 'two' ? 'one-pass' : 'two-pass';
        let onePart = false;
        for (;;) {
            try {
                return await run.split(executor, passes, onePart);
            } catch (error) {
                if (!(error instanceof PartitionStop)) throw error;
                await run.abandon();
                if (error.mode === 'memory') return await run.inMemory();
                if (error.mode === 'two-pass' && passes === 'one-pass') passes = 'two-pass';
                else if (error.mode === 'one-part' && !onePart) onePart = true;
                else throw new Error(`the run cannot go on: ${error.message}`);
            }
        }
    } finally {
        await pool?.close();
    }
}

/** How many threads a run of `inputBytes` works in by `options` (`jobs`, `minBytesForThreads`, `workerUrl`), this one included. */
export function threadsFor(options: Pick<StreamOptions, 'jobs' | 'minBytesForThreads' | 'workerUrl'>, inputBytes: number): number {
    const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
    return jobs > 1 && options.workerUrl && inputBytes >= (options.minBytesForThreads ?? 0) ? jobs : 1;
}

/** What the threads need of the policy: not the tests compiled into it (copied to each thread otherwise). */
function withoutTests(policy: PolicyBundle): PolicyBundle {
    const { tests: _tests, ...checking } = policy;
    return checking;
}

class Run {
    private readonly names: (string | undefined)[];
    private readerRejections: InputRejection[] = [];
    private evaluationRejections: InputRejection[] = [];
    private unpriced: UnpricedLines;
    private layout = new SessionsLayout();
    private totals: Totals = { evaluated: 0, withFindings: 0, error: 0, warning: 0, info: 0 };
    private headWritten = false;
    private bytesDone = 0;
    private passes = 1;

    constructor(
        private readonly policy: PolicyBundle,
        private readonly inputs: PreparedInput[],
        private readonly sink: ReportSink,
        private readonly options: StreamOptions,
        private readonly evaluateOptions: EvaluateOptions,
        private readonly totalBytes: number
    ) {
        this.names = inputs.map(input => input.name);
        this.unpriced = new UnpricedLines(policy);
    }

    private async write(text: string | Uint8Array): Promise<void> {
        if (text.length === 0) return;
        await this.writeHead();
        await this.sink.write(text);
    }

    private async writeHead(): Promise<void> {
        if (this.headWritten) return;
        this.headWritten = true;
        await this.write(this.frame().head);
    }

    private frame(): { head: string; tail: string } {
        // As evaluate() sorts them: from the readers' (input after input), then the evaluation's.
        const inOrder = (rejections: InputRejection[]) => [...rejections].sort((a, b) => a.input - b.input || a.rejection.record - b.rejection.record).map(each => each.rejection);
        const rejected = sortRejections([...inOrder(this.readerRejections), ...inOrder(this.evaluationRejections)]);
        const notices = this.unpriced.notices();
        return reportFrame({ format: REPORT_FORMAT, policies: reportPolicies(this.policy), rejected, ...(notices.length > 0 ? { notices } : {}), summary: this.summary() });
    }

    private get rejected(): number {
        return this.readerRejections.length + this.evaluationRejections.length;
    }

    private summary(): Report['summary'] {
        return {
            records: this.totals.evaluated + this.rejected,
            evaluated: this.totals.evaluated,
            rejected: this.rejected,
            sessionsWithFindings: this.totals.withFindings,
            findings: { error: this.totals.error, warning: this.totals.warning, info: this.totals.info }
        };
    }

    private progress(bytes: number): void {
        this.bytesDone += bytes;
        this.options.onProgress?.({ done: this.bytesDone, total: this.totalBytes * this.passes, records: this.totals.evaluated + this.rejected });
    }

    /** Drops what was written, for a run that starts over. */
    async abandon(): Promise<void> {
        if (this.headWritten) await this.sink.restart?.();
        this.headWritten = false;
        this.readerRejections = [];
        this.evaluationRejections = [];
        this.unpriced = new UnpricedLines(this.policy);
        this.layout = new SessionsLayout();
        this.totals = { evaluated: 0, withFindings: 0, error: 0, warning: 0, info: 0 };
        this.bytesDone = 0;
    }

    /**
     * The run split by patient: every chunk goes to every part, in one pass or two, and each
     * chunk's parts (one from each part) are merged into input order and written.
     */
    async split(executor: Executor, passes: PartitionPasses, onePart: boolean): Promise<StreamOutcome> {
        this.passes = passes === 'one-pass' ? 1 : 2;
        const parts = await executor.start(this.names, passes, onePart);
        const seen = new SeenIds(passes === 'one-pass' && parts > 1);
        // Two passes: the coordinator admits every part's sessions, in input order; those it turns away, by part.
        const admission = new Admission(this.names);
        const excluded: number[][] = [];
        const reported: number[] = [];
        const texts = new Map<number, (PartitionPart | undefined)[]>();
        const sizes = new Map<number, number>();
        let next = 0;
        let writing = passes === 'one-pass';
        const receive = async (replies: PartitionReply[], input: number) => {
            replies.forEach((reply, part) => {
                if (reply.stop) throw new PartitionStop(reply.stop.mode, reply.stop.reason);
                for (const id of reply.csvIds) seen.csv(id, input);
                for (const id of reply.ids) seen.session(id, part);
                this.readerRejections.push(...reply.readerRejections);
                this.evaluationRejections.push(...reply.evaluationRejections);
                if (reply.unpriced) this.unpriced.merge(reply.unpriced);
                for (const done of reply.parts) {
                    let chunkParts = texts.get(done.chunk);
                    if (!chunkParts) texts.set(done.chunk, (chunkParts = new Array<PartitionPart | undefined>(replies.length)));
                    chunkParts[part] = done;
                }
            });
            admitInOrder(admission, input, replies.map(reply => reply.admissions), (part, k) => {
                (excluded[part] ??= []).push((reported[part] ?? 0) + k);
            });
            replies.forEach((reply, part) => { reported[part] = (reported[part] ?? 0) + reply.admissions.records.length; });
            for (let ready = texts.get(next); ready && !ready.includes(undefined); ready = texts.get(next)) {
                texts.delete(next);
                await this.writeParts(ready as PartitionPart[]);
                this.progress(sizes.get(next)!);
                sizes.delete(next++);
            }
        };

        for (let pass = 1; pass <= this.passes; pass++) {
            const window: { bytes: number; input: number; replies: Promise<PartitionReply[]> }[] = [];
            const answered = async () => {
                const { bytes, input, replies } = window.shift()!;
                await receive(await replies, input);
                if (!writing) this.progress(bytes);
            };
            let chunkId = 0;
            for (let input = 0; input < this.inputs.length; input++) {
                for await (const chunk of chunksOf(this.inputs[input]!, this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES, chunkId)) {
                    chunkId = chunk.id + 1;
                    if (writing) sizes.set(chunk.id, chunk.bytes);
                    const replies = executor.chunk({ ...chunk, input });
                    // Settled even when an earlier answer stops the run.
                    replies.catch(() => undefined);
                    window.push({ bytes: chunk.bytes, input, replies });
                    while (window.length >= WINDOW) await answered();
                }
            }
            while (window.length > 0) await answered();
            await receive(await executor.end(pass === 1 ? excluded : []), this.inputs.length - 1);
            writing = true;
        }
        if (texts.size > 0) throw new Error(`chunk ${next} was not finished by every part`);
        this.readerRejections.push(...admission.readerRejections);
        this.evaluationRejections.push(...admission.evaluationRejections);
        const { head, tail } = this.frame();
        if (!this.headWritten) {
            this.headWritten = true;
            await this.write(head);
        }
        await this.write(this.layout.close() + tail + (this.options.trailer ?? ''));
        return { summary: this.summary(), mode: passes, threads: onePart ? 1 : executor.threads };
    }

    /** A chunk's parts merged into input order and written. */
    private async writeParts(chunkParts: PartitionPart[]): Promise<void> {
        const filled = chunkParts.filter(part => part.records.length > 0);
        let count = 0;
        let size = 2 * Math.max(0, filled.length - 1);
        for (const part of chunkParts) {
            count += part.records.length;
            size += part.text.length;
            this.totals.evaluated += part.records.length;
            this.totals.withFindings += part.withFindings;
            this.totals.error += part.errors;
            this.totals.warning += part.warnings;
            this.totals.info += part.infos;
        }
        if (count === 0) return;
        await this.write(this.layout.separator(count));
        await this.write(filled.length === 1 && isAscending(filled[0]!.records) ? filled[0]!.text : mergeParts(filled, size));
    }

    /** The reference route: every input read whole by its reader, then evaluate(). */
    async inMemory(): Promise<StreamOutcome> {
        const sessions: PositionedSession[] = [];
        const rejected: Rejection[] = [];
        for (const input of this.inputs) {
            const read = await readSessions(input.path, input.name !== undefined ? { file: input.name } : {});
            sessions.push(...read.sessions);
            rejected.push(...read.rejected);
        }
        const report = evaluate(this.policy, sessions, rejected, this.evaluateOptions);
        const { head, tail } = reportFrame(report);
        await this.sink.write(head);
        const layout = new SessionsLayout();
        const batch = 1000;
        for (let start = 0; start < report.sessions.length; start += batch) {
            const slice = report.sessions.slice(start, start + batch);
            await this.sink.write(layout.next(sessionsText(slice), slice.length));
        }
        await this.sink.write(layout.close() + tail + (this.options.trailer ?? ''));
        this.options.onProgress?.({ done: this.totalBytes, total: this.totalBytes, records: report.summary.records });
        return { summary: report.summary, mode: 'memory', threads: 1 };
    }
}

/** Sessions' texts from the parts of a chunk (each part's joined with ",\n"), joined with ",\n" in input order into `size` bytes. */
function mergeParts(filled: PartitionPart[], size: number): Uint8Array {
    // A part checks a patient's sessions of one date together: its texts can be out of input order.
    const merged = Buffer.allocUnsafe(size);
    let at = 0;
    for (const [, p, k] of inRecordOrder(filled.map(part => part.records))) {
        const part = filled[p]!;
        if (at > 0) at += merged.write(',\n', at, 'latin1');
        const start = k === 0 ? 0 : part.ends[k - 1]! + 2;
        merged.set(part.text.subarray(start, part.ends[k]!), at);
        at += part.ends[k]! - start;
    }
    return merged;
}

const PART = 0;
const CSV_INPUT = 1;

/**
 * Session ids as the parts read them, to find what no part can see alone: a CSV session seen
 * again in the same input has its rows apart (the run reads the input whole); in one pass with
 * several parts, an id read by two parts (two patients') makes the run start over in two passes,
 * where the coordinator admits every part's sessions. Values are stored plus one (0: not yet).
 */
class SeenIds {
    private ids = new IdIndex();
    private csvInput = -1;

    /** `acrossParts`: whether ids read by two parts are looked for (they are kept for the whole run then, not one input's). */
    constructor(private readonly acrossParts: boolean) {}

    /** A CSV session (read or rejected) in `input`, as its rows are grouped. */
    csv(id: string, input: number): void {
        if (input !== this.csvInput && !this.acrossParts) this.ids = new IdIndex();
        this.csvInput = input;
        let entry = this.ids.find(id);
        if (entry < 0) entry = this.ids.add(id);
        else if (this.ids.value(entry, CSV_INPUT) === input + 1) throw new PartitionStop('memory', `the rows of session ${id} are apart`);
        this.ids.setValue(entry, CSV_INPUT, input + 1);
    }

    /** A session `part` read (one pass with several parts). */
    session(id: string, part: number): void {
        let entry = this.ids.find(id);
        if (entry < 0) entry = this.ids.add(id);
        const before = this.ids.value(entry, PART);
        if (before !== 0 && before !== part + 1) throw new PartitionStop('two-pass', `session id ${id} was read by two parts`);
        this.ids.setValue(entry, PART, part + 1);
    }
}

/**
 * The sessions the parts read of one chunk, admitted in input order as one reader would admit
 * them; `turnedAway(part, k)` for each that a part read and the admission rejects as a duplicate.
 */
function admitInOrder(admission: Admission, input: number, all: Admissions[], turnedAway: (part: number, k: number) => void): void {
    const order = inRecordOrder(all.map(admissions => admissions.records));
    if (order.length === 0) return;
    admission.startInput(input);
    for (const [record, part, k] of order) {
        const admissions = all[part]!;
        const policy = admissions.policies[k]!;
        if (admission.admit(record, admissions.ids[k]!, policy, admissions.errors[k]!) < 0 && policy >= 0) turnedAway(part, k);
    }
}

/** The records of several parts' lists (each a chunk's, of one input), as [record, part, position in its list], in input order. */
function inRecordOrder(lists: readonly ArrayLike<number>[]): [record: number, part: number, k: number][] {
    const order: [record: number, part: number, k: number][] = [];
    lists.forEach((records, part) => {
        for (let k = 0; k < records.length; k++) order.push([records[k]!, part, k]);
    });
    return order.sort((a, b) => a[0] - b[0]);
}

function isAscending(values: Int32Array): boolean {
    for (let k = 1; k < values.length; k++) if (values[k - 1]! > values[k]!) return false;
    return true;
}
