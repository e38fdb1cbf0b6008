/**
 * A worker thread of the streaming evaluation: one part of a run split by patient, which takes
 * its records of the chunks the coordinator sends. Loaded on its own (the engine's built files)
 * or as part of a bundle that imports it; it starts only in a thread whose workerData carries
 * the mark.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { PolicyBundle } from '../ir/policy.js';
import type { EvaluateOptions } from '../rules/context.js';
import { PartitionProcessor } from './partition.js';
import { WORKER_MARK, type WorkerData, type WorkerReply, type WorkerRequest } from './protocol.js';

export function isChunkWorker(): boolean {
    return !isMainThread && (workerData as Partial<WorkerData> | undefined)?.mark === WORKER_MARK;
}

function serve(): void {
    const port = parentPort!;
    let policy: { bundle: PolicyBundle; options: EvaluateOptions } | undefined;
    let processor: PartitionProcessor | undefined;
    port.on('message', (request: WorkerRequest) => {
        try {
            if (request.op === 'policy') {
                policy = { bundle: request.bundle, options: request.options };
                return;
            }
            if (request.op === 'start') {
                if (!policy) throw new Error('no policy was sent');
                processor = new PartitionProcessor(policy.bundle, policy.options, request.names, request.part, request.parts, request.passes);
                port.postMessage({ op: 'started' } satisfies WorkerReply);
                return;
            }
            if (!processor) throw new Error('no run has started');
            const result = request.op === 'chunk' ? processor.chunk(request.chunk) : processor.end(request.excluded);
            // The report texts are moved, not copied: the coordinator only merges and writes them.
            port.postMessage({ op: 'part', result } satisfies WorkerReply, result.parts.map(part => part.text.buffer as ArrayBuffer));
        } catch (error) {
            port.postMessage({ op: 'failed', message: (error as Error).message, ...((error as Error).stack ? { stack: (error as Error).stack } : {}) } satisfies WorkerReply);
        }
    });
}

if (isChunkWorker()) serve();
