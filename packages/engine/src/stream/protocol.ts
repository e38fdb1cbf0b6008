/** Messages between the coordinator and its worker threads. */
import type { PolicyBundle } from '../ir/policy.js';
import type { EvaluateOptions } from '../rules/context.js';
import type { PartitionChunk, PartitionPasses, PartitionReply } from './partition.js';

/** In workerData, so a script that is also something else (a bundled command line) knows it was started as a chunk worker. */
export const WORKER_MARK = 'payrule-chunk-worker/2';

export interface WorkerData {
    mark: typeof WORKER_MARK;
}

export type WorkerRequest =
    /** The policy the runs check against: sent once, after the thread has started (it may start before the policy is compiled). */
    | { op: 'policy'; bundle: PolicyBundle; options: EvaluateOptions }
    /** A run's part: this thread is `part` of `parts`; `names` name the inputs in rejections. */
    | { op: 'start'; part: number; parts: number; passes: PartitionPasses; names: (string | undefined)[] }
    | { op: 'chunk'; chunk: PartitionChunk }
    | { op: 'end'; excluded: number[] };

export type WorkerReply =
    | { op: 'started' }
    | { op: 'part'; result: PartitionReply }
    | { op: 'failed'; message: string; stack?: string };
