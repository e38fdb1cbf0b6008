/**
 * Where the parts of a run split by patient (partition.ts) work: in this thread, one after the
 * other, or one in this thread and each other in a worker thread (this thread's own work, reading
 * and merging, is small beside a part's). Either way a part's work is the same
 * PartitionProcessor call, so the report does not depend on the number of threads.
 */
import { Worker } from 'node:worker_threads';
import type { PolicyBundle } from '../ir/policy.js';
import type { EvaluateOptions } from '../rules/context.js';
// Imported for its side effect: in a bundle, the worker thread starts from this same file.
import './chunk-worker.js';
import { PartitionProcessor, type PartitionChunk, type PartitionPasses, type PartitionReply } from './partition.js';
import { WORKER_MARK, type WorkerData, type WorkerReply, type WorkerRequest } from './protocol.js';

export interface Executor {
    /** Threads that do the work (1: this one). */
    readonly threads: number;
    /** Starts a run's parts: one per thread (in this thread, as many as asked for), or one (`onePart`); `names` name the inputs in rejections. Returns how many. */
    start(names: (string | undefined)[], passes: PartitionPasses, onePart: boolean): Promise<number>;
    /** A chunk to every part; each hands back what it finished. */
    chunk(chunk: PartitionChunk): Promise<PartitionReply[]>;
    /** The end of a pass over the input, to every part (after the first of two, with the sessions of each part not admitted). */
    end(excluded?: readonly (readonly number[])[]): Promise<PartitionReply[]>;
}

export class InThreadExecutor implements Executor {
    readonly threads = 1;
    private processors: PartitionProcessor[] = [];

    /** `parts`: how many parts to make here, one after the other, as that many threads would (tests). */
    constructor(private readonly bundle: PolicyBundle, private readonly options: EvaluateOptions, private readonly parts = 1) {}

    async start(names: (string | undefined)[], passes: PartitionPasses, onePart: boolean): Promise<number> {
        const parts = onePart ? 1 : this.parts;
        this.processors = Array.from({ length: parts }, (_, part) => new PartitionProcessor(this.bundle, this.options, names, part, parts, passes));
        return parts;
    }

    async chunk(chunk: PartitionChunk): Promise<PartitionReply[]> {
        // The run's parts when asked (a run that starts over meanwhile has new ones).
        const processors = this.processors;
        // Yield to the event loop between chunks so writes and progress keep flowing.
        await new Promise(resolve => setImmediate(resolve));
        return processors.map(processor => processor.chunk(chunk));
    }

    async end(excluded: readonly (readonly number[])[] = []): Promise<PartitionReply[]> {
        return this.processors.map((processor, part) => processor.end(excluded[part]));
    }
}

interface Pending {
    resolve: (reply: WorkerReply) => void;
    reject: (error: Error) => void;
}

class PartWorker {
    private readonly queue: Pending[] = [];
    private failed: Error | undefined;

    constructor(readonly worker: Worker) {
        worker.on('message', (reply: WorkerReply) => {
            const pending = this.queue.shift();
            if (!pending) return;
            if (reply.op === 'failed') pending.reject(Object.assign(new Error(reply.message), { stack: reply.stack }));
            else pending.resolve(reply);
        });
        worker.on('error', error => this.fail(error));
        worker.on('exit', code => { if (code !== 0) this.fail(new Error(`a worker thread stopped (exit code ${code})`)); });
    }

    private fail(error: Error): void {
        this.failed ??= error;
        for (const pending of this.queue.splice(0)) pending.reject(error);
    }

    /** A message that has no reply. */
    send(message: WorkerRequest): void {
        this.worker.postMessage(message);
    }

    request(message: WorkerRequest): Promise<WorkerReply> {
        if (this.failed) return Promise.reject(this.failed);
        return new Promise((resolve, reject) => {
            this.queue.push({ resolve, reject });
            this.worker.postMessage(message);
        });
    }

    async part(message: WorkerRequest): Promise<PartitionReply> {
        const reply = await this.request(message);
        if (reply.op !== 'part') throw new Error(`unexpected reply ${reply.op}`);
        return reply.result;
    }
}

/**
 * Worker threads for the parts of a run, which may start before the policy they check against
 * is compiled, so that their start (loading the engine) overlaps the compile. A WorkerExecutor
 * sends them the policy.
 */
export class WorkerThreads {
    readonly workers: PartWorker[];
    private closed: Promise<void> | undefined;

    /**
     * `url`: the script the threads start from; it must import this engine (chunk-worker.ts starts
     * in a marked thread). `inputBytes`: how much input the run reads (a part's memory grows with it).
     */
    constructor(count: number, url: URL, inputBytes: number) {
        // Two passes keep some 200 bytes per session (of some 800 bytes of input) in the part that has it.
        const compactEntries = Math.ceil(inputBytes / 4 / (count + 1) / 2 ** 20);
        this.workers = Array.from({ length: count }, () => new PartWorker(new Worker(url, {
            workerData: { mark: WORKER_MARK } satisfies WorkerData,
            // A small young generation, and an old one capped far above what a part keeps (a few
            // dozen chunks' records, or in two passes its sessions' compact entries): V8 then
            // collects as it goes instead of letting each thread grow.
            resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 + 2 * compactEntries }
        })));
    }

    /** Stops the threads (once, however often it is called). */
    close(): Promise<void> {
        return (this.closed ??= Promise.all(this.workers.map(worker => worker.worker.terminate())).then(() => undefined));
    }
}

export class WorkerExecutor implements Executor {
    readonly threads: number;
    private readonly workers: PartWorker[];
    /** Part 0 works in this thread, between the coordinator's own steps; the others each in a worker thread. */
    private local: PartitionProcessor | undefined;
    /** The workers with a part in the current run (none when the run has one part). */
    private active: PartWorker[] = [];

    constructor(pool: WorkerThreads, private readonly bundle: PolicyBundle, private readonly options: EvaluateOptions) {
        this.workers = pool.workers;
        this.threads = this.workers.length + 1;
        for (const worker of this.workers) worker.send({ op: 'policy', bundle, options });
    }

    async start(names: (string | undefined)[], passes: PartitionPasses, onePart: boolean): Promise<number> {
        this.active = onePart ? [] : this.workers;
        const parts = this.active.length + 1;
        this.local = new PartitionProcessor(this.bundle, this.options, names, 0, parts, passes);
        await Promise.all(this.active.map(async (worker, index) => {
            const reply = await worker.request({ op: 'start', part: index + 1, parts, passes, names });
            if (reply.op !== 'started') throw new Error(`unexpected reply ${reply.op}`);
        }));
        return parts;
    }

    /** A copy of the chunk to each worker's part, then this thread's part takes it. */
    async chunk(chunk: PartitionChunk): Promise<PartitionReply[]> {
        const local = this.local!;
        const others = Promise.all(this.active.map(worker => worker.part({ op: 'chunk', chunk })));
        others.catch(() => undefined);
        await new Promise(resolve => setImmediate(resolve));
        const mine = local.chunk(chunk);
        return [mine, ...await others];
    }

    async end(excluded: readonly (readonly number[])[] = []): Promise<PartitionReply[]> {
        const others = Promise.all(this.active.map((worker, index) => worker.part({ op: 'end', excluded: [...(excluded[index + 1] ?? [])] })));
        others.catch(() => undefined);
        const mine = this.local!.end(excluded[0]);
        return [mine, ...await others];
    }
}
