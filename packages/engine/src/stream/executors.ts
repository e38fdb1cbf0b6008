/**
 * Where chunks are read and checked: in this thread, or spread over worker threads. Either way a
 * chunk's work is the same ChunkProcessor call, so the results do not depend on the number of
 * threads. A chunk kept after phase 1 is checked by the worker that read it.
 */
import { Worker } from 'node:worker_threads';
import type { PolicyBundle } from '../ir/policy.js';
import type { EvaluateOptions } from '../rules/context.js';
// Imported for its side effect: in a bundle, the worker thread starts from this same file.
import './chunk-worker.js';
import { PartitionProcessor, type PartitionChunk, type PartitionReply } from './partition.js';
import { ChunkProcessor, type Chunk, type ChunkPlan, type EvaluatedChunk, type IndexedChunk } from './processor.js';
import { WORKER_MARK, type WorkerReply, type WorkerRequest } from './protocol.js';

export interface Executor {
    readonly threads: number;
    index(chunk: Chunk, keep: boolean): Promise<IndexedChunk>;
    /** `chunk` is needed unless phase 1 kept the chunk's sessions; `keep` leaves the text with the thread for place(). */
    evaluate(plan: ChunkPlan, chunk?: Chunk, keep?: boolean): Promise<EvaluatedChunk>;
    /** Writes a chunk's kept text (after `prefix`) into the report file at `position`. */
    place(id: number, path: string, position: number, prefix: string): Promise<void>;
    /** Forgets every kept chunk (a run that starts over). */
    clear(): Promise<void>;
    close(): Promise<void>;
    /** The pass split by patient (partition.ts): starts it, `names` naming the inputs in rejections. */
    startPartitions(names: (string | undefined)[]): Promise<void>;
    /** A chunk to every partition; each hands back what it finished. */
    partitionChunk(chunk: PartitionChunk): Promise<PartitionReply[]>;
    /** The end of the input, to every partition. */
    partitionEnd(): Promise<PartitionReply[]>;
}

export class InThreadExecutor implements Executor {
    readonly threads = 1;
    private readonly processor: ChunkProcessor;
    private partitionProcessors: PartitionProcessor[] = [];

    /** `partitions`: how many parts the pass split by patient makes here, one after the other, as that many threads would (tests). */
    constructor(private readonly bundle: PolicyBundle, private readonly options: EvaluateOptions, private readonly partitions = 1) {
        this.processor = new ChunkProcessor(bundle, options);
    }

    async startPartitions(names: (string | undefined)[]): Promise<void> {
        this.partitionProcessors = Array.from({ length: this.partitions }, (_, part) => new PartitionProcessor(this.bundle, this.options, names, part, this.partitions));
    }

    async partitionChunk(chunk: PartitionChunk): Promise<PartitionReply[]> {
        await new Promise(resolve => setImmediate(resolve));
        return this.partitionProcessors.map(processor => processor.chunk(chunk));
    }

    async partitionEnd(): Promise<PartitionReply[]> {
        return this.partitionProcessors.map(processor => processor.end());
    }

    async index(chunk: Chunk, keep: boolean): Promise<IndexedChunk> {
        // Yield to the event loop between chunks so writes and progress keep flowing.
        await new Promise(resolve => setImmediate(resolve));
        return this.processor.index(chunk, keep);
    }

    async evaluate(plan: ChunkPlan, chunk?: Chunk, keep = false): Promise<EvaluatedChunk> {
        await new Promise(resolve => setImmediate(resolve));
        return this.processor.evaluate(plan, chunk, keep ? 'keep' : 'bytes');
    }

    async place(id: number, path: string, position: number, prefix: string): Promise<void> {
        this.processor.place(id, path, position, prefix);
    }

    async clear(): Promise<void> {
        this.partitionProcessors = [];
        this.processor.clear();
        this.processor.release();
    }

    async close(): Promise<void> {
        this.processor.release();
    }
}

interface Pending {
    resolve: (reply: WorkerReply) => void;
    reject: (error: Error) => void;
}

class ChunkWorker {
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

    request(message: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
        if (this.failed) return Promise.reject(this.failed);
        return new Promise((resolve, reject) => {
            this.queue.push({ resolve, reject });
            this.worker.postMessage(message, transfer);
        });
    }
}

export class WorkerExecutor implements Executor {
    private readonly workers: ChunkWorker[];
    /** Which worker read each kept chunk, and which keeps each chunk's text. */
    private readonly owner = new Map<number, ChunkWorker>();
    private readonly placer = new Map<number, ChunkWorker>();
    private next = 0;

    /** `url`: the script the threads start from; it must import this engine (chunk-worker.ts starts in a marked thread). */
    constructor(readonly threads: number, bundle: PolicyBundle, options: EvaluateOptions, url: URL) {
        this.workers = Array.from({ length: threads }, () => new ChunkWorker(new Worker(url, {
            workerData: { mark: WORKER_MARK, bundle, options },
            // A small young generation, and an old one capped far above what a thread keeps (a few
            // dozen chunks' sessions at most): V8 then collects as it goes instead of letting each
            // thread grow. The bench's million shuffled sessions peak some 30 MB lower than with a
            // 16 MB young generation, for a few per cent more time.
            resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 }
        })));
    }

    private pick(): ChunkWorker {
        const worker = this.workers[this.next]!;
        this.next = (this.next + 1) % this.workers.length;
        return worker;
    }

    async index(chunk: Chunk, keep: boolean): Promise<IndexedChunk> {
        const worker = this.pick();
        if (keep) this.owner.set(chunk.id, worker);
        const reply = await worker.request({ op: 'index', chunk, keep }, transferOf(chunk));
        if (reply.op !== 'indexed') throw new Error(`unexpected reply ${reply.op}`);
        return reply.result;
    }

    async evaluate(plan: ChunkPlan, chunk?: Chunk, keep = false): Promise<EvaluatedChunk> {
        const worker = this.owner.get(plan.id) ?? this.pick();
        this.owner.delete(plan.id);
        if (keep) this.placer.set(plan.id, worker);
        const reply = await worker.request({ op: 'evaluate', plan, ...(chunk ? { chunk } : {}), mode: keep ? 'keep' : 'bytes' }, chunk ? transferOf(chunk) : []);
        if (reply.op !== 'evaluated') throw new Error(`unexpected reply ${reply.op}`);
        return reply.result;
    }

    async startPartitions(names: (string | undefined)[]): Promise<void> {
        await Promise.all(this.workers.map(async (worker, thread) => {
            const reply = await worker.request({ op: 'partition-start', thread, threads: this.threads, names });
            if (reply.op !== 'started') throw new Error(`unexpected reply ${reply.op}`);
        }));
    }

    /** A copy of the chunk to each thread. */
    partitionChunk(chunk: PartitionChunk): Promise<PartitionReply[]> {
        return Promise.all(this.workers.map(worker => partitionReply(worker.request({ op: 'partition-chunk', chunk }))));
    }

    partitionEnd(): Promise<PartitionReply[]> {
        return Promise.all(this.workers.map(worker => partitionReply(worker.request({ op: 'partition-end' }))));
    }

    async place(id: number, path: string, position: number, prefix: string): Promise<void> {
        const worker = this.placer.get(id)!;
        this.placer.delete(id);
        const reply = await worker.request({ op: 'place', id, path, position, prefix });
        if (reply.op !== 'placed') throw new Error(`unexpected reply ${reply.op}`);
    }

    async clear(): Promise<void> {
        this.owner.clear();
        this.placer.clear();
        await Promise.all(this.workers.map(async worker => {
            await worker.request({ op: 'clear' });
            await worker.request({ op: 'release' });
        }));
    }

    async close(): Promise<void> {
        // Files the threads wrote into are theirs to close (a thread that ends leaves them open).
        await Promise.allSettled(this.workers.map(worker => worker.request({ op: 'release' })));
        await Promise.all(this.workers.map(worker => worker.worker.terminate()));
    }
}

async function partitionReply(request: Promise<WorkerReply>): Promise<PartitionReply> {
    const reply = await request;
    if (reply.op !== 'partitioned') throw new Error(`unexpected reply ${reply.op}`);
    return reply.result;
}

function transferOf(chunk: Chunk): ArrayBuffer[] {
    const text = chunk.text;
    return text instanceof Uint8Array && text.buffer instanceof ArrayBuffer ? [text.buffer] : [];
}
