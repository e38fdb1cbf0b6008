/**
 * The streaming evaluation: session files in, the JSON report out piece by piece, in bounded
 * memory and on several threads, with the same bytes as JSON.stringify(evaluate(...), null, 2).
 *
 * Rules across sessions need each patient's sessions in date order; the input need not be.
 * - One pass, when the input comes in date order (as exports list visits) and the output can
 *   start over: each chunk is read, the coordinator admits its sessions and replays each date's
 *   sessions per patient once the input has moved past that date, then the chunk is checked and
 *   written. A date out of order (or one date spanning too much input) starts over in two passes.
 * - Two passes otherwise: the first reads every chunk into a compact entry per session and
 *   replays each patient's timeline into compact facts; the second reads the chunks again and
 *   checks each session against its facts, writing as it goes.
 * - Inputs the fast readers do not take (an irregular CSV, a CSV whose sessions' rows are apart)
 *   are read whole by the reference readers and evaluated in memory.
 */
import type { PolicyBundle } from '../ir/policy.js';
import { HistoryTrackers, TimelineReplay, type ReplayItem } from '../evaluate/accrual.js';
import { checkOptions, evaluate, reportPolicies, sortRejections } from '../evaluate/evaluate.js';
import { compareIds, type SessionFacts } from '../evaluate/history.js';
import { REPORT_FORMAT, type Report } from '../report/report.js';
import type { EvaluateOptions } from '../rules/context.js';
import type { PositionedSession } from '../sessions/collect.js';
import { readSessions } from '../sessions/read.js';
import type { Rejection } from '../sessions/session.js';
import { Admission } from './admission.js';
import { IdIndex } from './id-index.js';
import type { PartitionPart, PartitionReply } from './partition.js';
import { flattenFacts, headEntry, type SessionHead } from './codec.js';
import { FactsTable, SessionTable } from './session-table.js';
import { InThreadExecutor, WorkerExecutor, type Executor } from './executors.js';
import { chunksOf, prepareInput, type PreparedInput, type SizedChunk, type StreamInput } from './inputs.js';
import type { EvaluatedChunk, IndexedChunk } from './processor.js';
import { reportFrame, sessionsText, SessionsLayout } from './report-text.js';

export type { StreamInput } from './inputs.js';

/** Where the report text goes, in order. */
export interface ReportSink {
    /** Report text, as a string or as UTF-8 bytes. */
    write(text: string | Uint8Array): void | Promise<void>;
    /** Drops everything written so far. Present when the output can start over (a file): allows the single pass. */
    restart?(): void | Promise<void>;
    /**
     * A regular file the report goes to. The threads then write each chunk's text straight into
     * it at its offset, and the run writes the rest with writeAt (write is not used).
     */
    file?: { path: string; writeAt(text: string | Uint8Array, position: number): void | Promise<void> };
}

export interface StreamOptions extends EvaluateOptions {
    /** Threads that read and check chunks; 1 (the default) works in this thread. */
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
    onProgress?: (progress: StreamProgress) => void;
    /** Without threads, how many parts the work split by patient makes anyway, one after the other (tests; default 1). */
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

class StartOver extends Error {
    /** `mode`: how to go on; 'one-pass' is the pass with chunks spread over the threads. */
    constructor(readonly mode: 'one-pass' | 'two-pass' | 'memory', reason: string) {
        super(reason);
    }
}

interface Totals {
    evaluated: number;
    withFindings: number;
    error: number;
    warning: number;
    info: number;
}

/** Input per chunk: small enough that what a chunk becomes (entries, report text) stays out of V8's large-object space. */
const DEFAULT_CHUNK_BYTES = 96 * 1024;
/** Chunks admitted but not yet written, at most: beyond this a date spans too much input for one pass. */
const MAX_OPEN_CHUNKS = 64;
/** Chunks handed to the threads and not yet answered, in the pass split by patient. */
const PARTITION_WINDOW = 32;

export async function writeReportStream(policy: PolicyBundle, inputs: StreamInput[], sink: ReportSink, options: StreamOptions = {}): Promise<StreamOutcome> {
    checkOptions(options);
    const evaluateOptions: EvaluateOptions = options.asOf !== undefined ? { asOf: options.asOf } : {};
    const prepared: PreparedInput[] = [];
    for (const input of inputs) prepared.push(await prepareInput(input));
    const totalBytes = prepared.reduce((sum, input) => sum + input.size, 0);
    const run = new Run(policy, prepared, sink, options, totalBytes);
    if (prepared.some(input => input.irregular)) return run.inMemory();

    const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
    const threads = jobs > 1 && options.workerUrl && totalBytes >= (options.minBytesForThreads ?? 0) ? jobs : 1;
    const executor: Executor = threads > 1
        ? new WorkerExecutor(threads, withoutTests(policy), evaluateOptions, options.workerUrl!)
        : new InThreadExecutor(policy, evaluateOptions, options.partitions);
    // The ways to go, in order of preference: a start over goes on with the way it names (or the next).
    const routes: Route[] = [];
    if (sink.restart && options.passes !== 'two') {
        if (prepared.every(input => input.format === 'ndjson')) routes.push('partitioned');
        routes.push('one-pass');
    }
    routes.push('two-pass');
    try {
        for (let at = 0; ; at++) {
            const route = routes[at]!;
            try {
                if (route === 'partitioned') return await run.partitioned(executor);
                return await (route === 'one-pass' ? run.onePass(executor) : run.twoPass(executor));
            } catch (error) {
                if (!(error instanceof StartOver) || at === routes.length - 1 && error.mode !== 'memory') throw error;
                await run.abandon(executor);
                if (error.mode === 'memory') return await run.inMemory();
                at = Math.max(at, routes.indexOf(error.mode) - 1);
            }
        }
    } finally {
        await executor.close();
    }
}

type Route = 'partitioned' | 'one-pass' | 'two-pass';

/** What the threads need of the policy: not the tests compiled into it (copied to each thread otherwise). */
function withoutTests(policy: PolicyBundle): PolicyBundle {
    const { tests: _tests, ...checking } = policy;
    return checking;
}

interface OpenChunk {
    id: number;
    bytes: number;
    /** Positions among the chunk's sessions of those admitted, their declaration and facts. */
    picks: number[];
    policies: number[];
    facts: SessionFacts[];
    /** Admitted sessions still waiting for their date to end. */
    waiting: number;
    admitted: boolean;
    dispatched: boolean;
    resolve: (result: EvaluatedChunk) => void;
    reject: (error: unknown) => void;
    written: Promise<void>;
}

/** Which sessions of a chunk the second pass checks (by position among the chunk's sessions), under which declaration, and where their facts start. */
interface ChunkPlanEntry {
    picks: Int32Array;
    policies: Int32Array;
    start: number;
}

/** What a phase 1 does with each chunk (Run.indexInputs); `T` is what it keeps of a chunk meanwhile. */
interface IndexSteps<T> {
    /** A chunk read, before it is indexed. */
    read(chunk: SizedChunk): T;
    /** A session of the chunk the admission lets through: its position among the chunk's sessions, head and declaration. */
    session(item: T, k: number, head: SessionHead, policy: number): void;
    /** After the chunk's sessions. */
    admitted(item: T): void;
    /** After a chunk is handed to a thread and the window of chunks being indexed is back within bounds. */
    handedOut?(): Promise<void>;
}

interface DayItem {
    item: ReplayItem;
    chunk: OpenChunk;
    slot: number;
}

class Run {
    private readonly names: (string | undefined)[];
    private admission!: Admission;
    private layout = new SessionsLayout();
    private totals: Totals = { evaluated: 0, withFindings: 0, error: 0, warning: 0, info: 0 };
    private generation = 0;
    private writing: Promise<void> = Promise.resolve();
    private headWritten = false;
    /** Bytes written to the report file so far (when the threads write into it). */
    private end = 0;
    private bytesDone = 0;
    private passes = 1;
    /** Requests to the threads not settled yet: a run that starts over waits for them. */
    private readonly inFlight = new Set<Promise<unknown>>();
    private chained: Promise<void> = Promise.resolve();

    constructor(
        private readonly policy: PolicyBundle,
        private readonly inputs: PreparedInput[],
        private readonly sink: ReportSink,
        private readonly options: StreamOptions,
        private readonly totalBytes: number
    ) {
        this.names = inputs.map(input => input.name);
        this.reset();
    }

    private reset(): void {
        this.admission = new Admission(this.names);
        this.layout = new SessionsLayout();
        this.totals = { evaluated: 0, withFindings: 0, error: 0, warning: 0, info: 0 };
        this.bytesDone = 0;
        this.chained = Promise.resolve();
    }

    private track<T>(request: Promise<T>): Promise<T> {
        this.inFlight.add(request);
        const settle = () => { this.inFlight.delete(request); };
        request.then(settle, settle);
        return request;
    }

    private async write(text: string | Uint8Array): Promise<void> {
        if (text.length === 0) return;
        await this.writeHead();
        const file = this.sink.file;
        let writing: Promise<void>;
        if (file) {
            const position = this.end;
            this.end += typeof text === 'string' ? Buffer.byteLength(text) : text.length;
            writing = this.writing.then(() => file.writeAt(text, position));
        } else {
            writing = this.writing.then(() => this.sink.write(text));
        }
        this.writing = writing.catch(() => undefined);
        await writing;
    }

    private async writeHead(): Promise<void> {
        if (this.headWritten) return;
        this.headWritten = true;
        await this.write(this.frame().head);
    }

    /**
     * A chunk's report text, after its separator: through the run, or placed by the thread that
     * keeps it (its offset is decided here, in order; the write itself is not waited for).
     */
    private async writeChunk(evaluated: EvaluatedChunk): Promise<void> {
        if (evaluated.count === 0) return;
        const prefix = this.layout.separator(evaluated.count);
        if (!this.sink.file) {
            await this.write(prefix);
            await this.write(evaluated.text);
            return;
        }
        await this.writeHead();
        await this.writing;
        const position = this.end;
        this.end += prefix.length + evaluated.byteLength;
        this.track(this.executor!.place(evaluated.id, this.sink.file.path, position, prefix)).catch(() => undefined);
    }

    private executor: Executor | undefined;

    private frame(): { head: string; tail: string } {
        const rejected = sortRejections([...this.admission.readerRejections, ...this.admission.evaluationRejections]);
        return reportFrame({ format: REPORT_FORMAT, policies: reportPolicies(this.policy), rejected, summary: this.summary() });
    }

    private summary(): Report['summary'] {
        const rejected = this.admission.rejected;
        return {
            records: this.totals.evaluated + rejected,
            evaluated: this.totals.evaluated,
            rejected,
            sessionsWithFindings: this.totals.withFindings,
            findings: { error: this.totals.error, warning: this.totals.warning, info: this.totals.info }
        };
    }

    private progress(bytes: number): void {
        this.bytesDone += bytes;
        this.options.onProgress?.({ done: this.bytesDone, total: this.totalBytes * this.passes, records: this.totals.evaluated + this.admission.rejected });
    }

    private async finish(mode: StreamOutcome['mode'], threads: number): Promise<StreamOutcome> {
        // Every chunk placed (tracked requests include them) before the tail goes after them.
        await Promise.all([...this.inFlight]);
        const { head, tail } = this.frame();
        if (!this.headWritten) {
            this.headWritten = true;
            await this.write(head);
        }
        await this.write(this.layout.close() + tail + (this.options.trailer ?? ''));
        await this.writing;
        return { summary: this.summary(), mode, threads };
    }

    private count(result: EvaluatedChunk): void {
        this.totals.evaluated += result.count;
        this.totals.withFindings += result.withFindings;
        this.totals.error += result.errors;
        this.totals.warning += result.warnings;
        this.totals.info += result.infos;
    }

    /** Drops what was written and what the threads hold, for a run that starts over. */
    async abandon(executor: Executor): Promise<void> {
        this.generation++;
        await Promise.allSettled([...this.inFlight]);
        await this.writing;
        await executor.clear();
        if (this.headWritten) await this.sink.restart?.();
        this.headWritten = false;
        this.end = 0;
        this.writing = Promise.resolve();
        this.reset();
    }

    /** Admits the sessions of an indexed chunk: rejections recorded, and for each session its head and declaration (or -1). */
    private admitChunk(indexed: IndexedChunk, csvIds: Set<string> | undefined, onSession: (k: number, head: SessionHead, policy: number) => void): void {
        if (indexed.irregular) throw new StartOver('memory', indexed.irregular);
        if (csvIds && indexed.csvIds) {
            // A CSV session whose id an earlier chunk of this input had: its rows are apart (the chunk itself was checked by its thread).
            for (const id of indexed.csvIds) {
                if (this.admission.seenInInput(id) || csvIds.has(id)) throw new StartOver('memory', `the rows of session ${id} are apart`);
            }
            // The ids of rejected sessions are not in the admission's index: kept here (they are few).
            for (const rejection of indexed.rejected) if (rejection.id !== undefined) csvIds.add(rejection.id);
        }
        for (const rejection of indexed.rejected) this.admission.rejectRecord(rejection);
        const heads = typeof indexed.sessions === 'string' ? JSON.parse(indexed.sessions) as SessionHead[] : indexed.sessions;
        const lines = indexed.lines;
        for (let k = 0; k < heads.length; k++) {
            const head = heads[k]!;
            if (lines) head[8] = lines[k]!;
            onSession(k, head, this.admission.admit(indexed.records[k]!, head[0], head[5], head[6]));
        }
    }

    /** One pass over date-ordered input. */
    async onePass(executor: Executor): Promise<StreamOutcome> {
        this.executor = executor;
        const trackers = new HistoryTrackers(this.policy);
        const replays = new Map<string, TimelineReplay>();
        let day: Map<string, (DayItem & { payer: string })[]> = new Map();
        let currentDate = '';
        let waitingChunks = 0;
        const open: OpenChunk[] = [];

        const dispatch = (state: OpenChunk) => {
            state.dispatched = true;
            const facts = flattenFacts(state.facts);
            state.facts = [];
            const evaluation = this.track(executor.evaluate({ id: state.id, picks: Int32Array.from(state.picks), policies: Int32Array.from(state.policies), facts }, undefined, this.sink.file !== undefined));
            evaluation.then(state.resolve, state.reject);
        };
        const endDate = () => {
            for (const [key, items] of day) {
                let replay = replays.get(key);
                if (!replay) replays.set(key, (replay = new TimelineReplay(trackers.forPayer(items[0]!.payer))));
                if (items.length > 1) items.sort((a, b) => compareIds(a.item.id, b.item.id));
                const facts = replay.addDate(items.map(item => item.item));
                items.forEach((item, k) => {
                    item.chunk.facts[item.slot] = facts[k]!;
                    if (--item.chunk.waiting === 0 && item.chunk.admitted) {
                        waitingChunks--;
                        dispatch(item.chunk);
                    }
                });
            }
            day = new Map();
        };

        await this.indexInputs(executor, true, {
            read: chunk => {
                const state = this.openChunk(chunk);
                open.push(state);
                return state;
            },
            session: (state, k, head, policy) => {
                const date = head[2];
                if (date < currentDate) throw new StartOver('two-pass', 'the input is not in date order');
                if (date > currentDate) {
                    endDate();
                    currentDate = date;
                }
                state.picks.push(k);
                state.policies.push(policy);
                state.waiting++;
                const key = `${head[1]}\u0000${head[3]}`;
                const items = day.get(key);
                const item = {
                    item: { id: head[0], date, discipline: head[4], policy, counts: head[7], entry: () => headEntry(head) },
                    chunk: state, slot: state.picks.length - 1, payer: head[3]
                };
                if (items) items.push(item);
                else day.set(key, [item]);
            },
            admitted: state => {
                state.admitted = true;
                if (state.waiting === 0) dispatch(state);
                else waitingChunks++;
                if (waitingChunks > MAX_OPEN_CHUNKS) throw new StartOver('two-pass', 'one date spans too much of the input');
            },
            handedOut: async () => {
                if (open.length > MAX_OPEN_CHUNKS) {
                    const oldest = open.shift()!;
                    if (!oldest.dispatched) throw new StartOver('two-pass', 'one date spans too much of the input');
                    await oldest.written;
                }
            }
        });
        endDate();
        await this.chained;
        return this.finish('one-pass', executor.threads);
    }

    /**
     * One pass over date-ordered NDJSON split by patient (partition.ts): every chunk goes to every
     * thread, and each chunk's parts, one from each thread, are merged into input order.
     */
    async partitioned(executor: Executor): Promise<StreamOutcome> {
        const generation = this.generation;
        const threads = executor.threads;
        // Which thread has each id: an id in two threads (two patients) is a duplicate no thread can see.
        const owners = new IdIndex();
        const parts = new Map<number, (PartitionPart | undefined)[]>();
        const sizes = new Map<number, number>();
        let next = 0;
        const receive = async (replies: PartitionReply[]) => {
            if (generation !== this.generation) return;
            replies.forEach((reply, thread) => {
                if (reply.stop) throw new StartOver(reply.stop.mode === 'two-pass' ? 'two-pass' : 'one-pass', reply.stop.reason);
                for (const id of reply.ids) {
                    const entry = owners.find(id);
                    if (entry < 0) owners.setValue(owners.add(id), 0, thread);
                    else if (owners.value(entry, 0) !== thread) throw new StartOver('one-pass', `session id ${id} belongs to two patients`);
                }
                this.admission.readerRejections.push(...reply.readerRejections);
                this.admission.evaluationRejections.push(...reply.evaluationRejections);
                for (const part of reply.parts) {
                    let chunkParts = parts.get(part.chunk);
                    if (!chunkParts) parts.set(part.chunk, (chunkParts = new Array<PartitionPart | undefined>(replies.length)));
                    chunkParts[thread] = part;
                }
            });
            for (let ready = parts.get(next); ready && !ready.includes(undefined); ready = parts.get(next)) {
                parts.delete(next);
                await this.writeParts(ready as PartitionPart[]);
                this.progress(sizes.get(next)!);
                sizes.delete(next++);
            }
        };

        await executor.startPartitions(this.names);
        const window: Promise<PartitionReply[]>[] = [];
        let chunkId = 0;
        for (let input = 0; input < this.inputs.length && generation === this.generation; input++) {
            for await (const chunk of chunksOf(this.inputs[input]!, this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES, chunkId)) {
                if (generation !== this.generation) break;
                chunkId = chunk.id + 1;
                sizes.set(chunk.id, chunk.bytes);
                window.push(this.track(executor.partitionChunk({ id: chunk.id, input, first: chunk.first, text: chunk.text as Uint8Array })));
                while (window.length >= PARTITION_WINDOW) await receive(await window.shift()!);
            }
        }
        while (window.length > 0) await receive(await window.shift()!);
        await receive(await this.track(executor.partitionEnd()));
        if (parts.size > 0) throw new Error(`chunk ${next} was not finished by every thread`);
        // The rejections in the order the single-threaded admission records them: by input, then as the sort leaves them.
        const inputOf = (rejection: Rejection) => this.names.indexOf(rejection.file);
        this.admission.readerRejections.sort((a, b) => inputOf(a) - inputOf(b));
        this.admission.evaluationRejections.sort((a, b) => inputOf(a) - inputOf(b));
        return this.finish('one-pass', threads);
    }

    /** A chunk's parts (one from each thread, each in input order) merged into input order and written. */
    private async writeParts(chunkParts: PartitionPart[]): Promise<void> {
        const filled = chunkParts.filter(part => part.records.length > 0);
        let count = 0;
        let size = 2 * Math.max(0, filled.length - 1);
        for (const part of chunkParts) {
            count += part.records.length;
            size += part.text.length;
            this.count({ id: part.chunk, text: part.text, byteLength: part.text.length, count: part.records.length,
                withFindings: part.withFindings, errors: part.errors, warnings: part.warnings, infos: part.infos });
        }
        if (count === 0) return;
        await this.write(this.layout.separator(count));
        await this.write(filled.length === 1 && isAscending(filled[0]!.records) ? filled[0]!.text : mergeParts(filled, size));
    }

    private openChunk(chunk: SizedChunk): OpenChunk {
        let resolve!: (result: EvaluatedChunk) => void;
        let reject!: (error: unknown) => void;
        const result = new Promise<EvaluatedChunk>((res, rej) => { resolve = res; reject = rej; });
        result.catch(() => undefined);
        const generation = this.generation;
        const state: OpenChunk = {
            id: chunk.id, bytes: chunk.bytes, picks: [], policies: [], facts: [], waiting: 0, admitted: false, dispatched: false,
            resolve, reject, written: Promise.resolve()
        };
        const previous = this.chained;
        state.written = previous.then(async () => {
            const evaluated = await result;
            if (generation !== this.generation) return;
            this.count(evaluated);
            state.picks = state.policies = state.facts = [];
            await this.writeChunk(evaluated);
        });
        state.written.catch(() => undefined);
        this.chained = state.written;
        return state;
    }

    /** Two passes: any order of input. */
    async twoPass(executor: Executor): Promise<StreamOutcome> {
        this.passes = 2;
        this.executor = executor;
        const generation = this.generation;
        // Pass 1, then each patient's timeline replayed once into facts by session (the index itself is let go).
        const plans = new Map<number, ChunkPlanEntry>();
        const facts = replayTimelines(this.policy, await this.indexSessions(executor, plans));
        let chunkId = 0;
        // Pass 2: the chunks again, each checked against its sessions' facts and written in order.
        const writes: Promise<void>[] = [];
        for (let input = 0; input < this.inputs.length; input++) {
            for await (const chunk of chunksOf(this.inputs[input]!, this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES, chunkId)) {
                if (generation !== this.generation) break;
                chunkId = chunk.id + 1;
                const plan = plans.get(chunk.id)!;
                plans.delete(chunk.id);
                const chunkFacts = facts.take(plan.start, plan.picks.length);
                const state = this.openChunk(chunk);
                const bytes = chunk.bytes;
                this.track(executor.evaluate({ id: chunk.id, picks: plan.picks, policies: plan.policies, facts: chunkFacts }, chunk, this.sink.file !== undefined)).then(state.resolve, state.reject);
                writes.push(state.written.then(() => this.progress(bytes)));
                while (writes.length > executor.threads * 4) await writes.shift();
            }
        }
        await Promise.all(writes);
        await this.chained;
        return this.finish('two-pass', executor.threads);
    }

    /** Pass 1 of two: admission and a compact entry per admitted session (session-table.ts); which sessions of each chunk to check goes in `plans`. */
    private async indexSessions(executor: Executor, plans: Map<number, ChunkPlanEntry>): Promise<SessionTable> {
        const table = new SessionTable();
        await this.indexInputs(executor, false, {
            read: chunk => ({ id: chunk.id, picks: [] as number[], policies: [] as number[] }),
            session: (plan, k, head, policy) => {
                plan.picks.push(k);
                plan.policies.push(policy);
                table.add(head, policy);
            },
            admitted: plan => {
                // Each admitted session took one entry: the chunk's start where its entries begin.
                const start = table.size - plan.picks.length;
                plans.set(plan.id, { picks: Int32Array.from(plan.picks), policies: Int32Array.from(plan.policies), start });
            }
        });
        return table;
    }

    /**
     * Phase 1 over every input in order: each chunk read and handed to a thread to index (up to
     * four a thread ahead), then admitted in input order, its rejections recorded and each session
     * it lets through passed on with its declaration.
     */
    private async indexInputs<T>(executor: Executor, keep: boolean, steps: IndexSteps<T>): Promise<void> {
        const generation = this.generation;
        let nextChunk = 0;
        for (let input = 0; input < this.inputs.length; input++) {
            this.admission.startInput(input);
            const csvIds = this.inputs[input]!.format === 'csv' ? new Set<string>() : undefined;
            const window: { bytes: number; item: T; indexed: Promise<IndexedChunk> }[] = [];
            const admitNext = async () => {
                const { bytes, item, indexed } = window.shift()!;
                const result = await indexed;
                if (generation !== this.generation) return;
                this.admitChunk(result, csvIds, (k, head, policy) => {
                    if (policy >= 0) steps.session(item, k, head, policy);
                });
                this.progress(bytes);
                steps.admitted(item);
            };
            for await (const chunk of chunksOf(this.inputs[input]!, this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES, nextChunk)) {
                if (generation !== this.generation) break;
                nextChunk = chunk.id + 1;
                const item = steps.read(chunk);
                window.push({ bytes: chunk.bytes, item, indexed: this.track(executor.index(chunk, keep)) });
                // Keep the threads busy, but hold no more than a few chunks ahead of the admission.
                while (window.length >= executor.threads * 4) await admitNext();
                await steps.handedOut?.();
            }
            while (window.length > 0) await admitNext();
        }
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
        const report = evaluate(this.policy, sessions, rejected, this.options.asOf !== undefined ? { asOf: this.options.asOf } : {});
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
    // A thread checks a patient's sessions of one date together: its part can be out of input order.
    const order: [record: number, part: number, k: number][] = [];
    filled.forEach((part, p) => part.records.forEach((record, k) => order.push([record, p, k])));
    order.sort((a, b) => a[0] - b[0]);
    const merged = Buffer.allocUnsafe(size);
    let at = 0;
    for (const [, p, k] of order) {
        const part = filled[p]!;
        if (at > 0) at += merged.write(',\n', at, 'latin1');
        const start = k === 0 ? 0 : part.ends[k - 1]! + 2;
        merged.set(part.text.subarray(start, part.ends[k]!), at);
        at += part.ends[k]! - start;
    }
    return merged;
}

function isAscending(values: Int32Array): boolean {
    for (let k = 1; k < values.length; k++) if (values[k - 1]! > values[k]!) return false;
    return true;
}

/** Each patient's timeline replayed once, one date at a time, into the facts of every session of the table. */
function replayTimelines(policy: PolicyBundle, table: SessionTable): FactsTable {
    const facts = new FactsTable(table.size);
    const trackers = new HistoryTrackers(policy);
    for (const timeline of table.timelines()) {
        const replay = new TimelineReplay(trackers.forPayer(table.payerOf(timeline[0]!)));
        for (let start = 0; start < timeline.length;) {
            const date = table.dateOfSession(timeline[start]!);
            let end = start + 1;
            while (end < timeline.length && table.dateOfSession(timeline[end]!) === date) end++;
            const block = timeline.subarray(start, end);
            replay.addDate(Array.from(block, index => table.replayItem(index))).forEach((fact, k) => facts.set(block[k]!, fact));
            start = end;
        }
    }
    return facts;
}
