/** Messages between the coordinator and its worker threads. */
import type { PolicyBundle } from '../ir/policy.js';
import type { EvaluateOptions } from '../rules/context.js';
import type { PartitionChunk, PartitionReply } from './partition.js';
import type { Chunk, ChunkPlan, EvaluatedChunk, IndexedChunk, TextMode } from './processor.js';

/** In workerData, so a script that is also something else (a bundled command line) knows it was started as a chunk worker. */
export const WORKER_MARK = 'payrule-chunk-worker/1';

export interface WorkerData {
    mark: typeof WORKER_MARK;
    bundle: PolicyBundle;
    options: EvaluateOptions;
}

export type WorkerRequest =
    | { op: 'index'; chunk: Chunk; keep: boolean }
    | { op: 'evaluate'; plan: ChunkPlan; chunk?: Chunk; mode: TextMode }
    | { op: 'place'; id: number; path: string; position: number; prefix: string }
    | { op: 'release' }
    | { op: 'clear' }
    /** The pass split by patient (partition.ts): this thread is `thread` of `threads`; `names` name the inputs in rejections. */
    | { op: 'partition-start'; thread: number; threads: number; names: (string | undefined)[] }
    | { op: 'partition-chunk'; chunk: PartitionChunk }
    | { op: 'partition-end' };

export type WorkerReply =
    | { op: 'indexed'; result: IndexedChunk }
    | { op: 'evaluated'; result: EvaluatedChunk }
    | { op: 'placed' }
    | { op: 'released' }
    | { op: 'cleared' }
    | { op: 'started' }
    | { op: 'partitioned'; result: PartitionReply }
    | { op: 'failed'; message: string; stack?: string };
