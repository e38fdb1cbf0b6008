/**
 * A worker thread of the streaming evaluation: it reads and checks the chunks the coordinator
 * sends. Loaded on its own (the engine's built files) or as part of a bundle that imports it; it
 * starts only in a thread whose workerData carries the mark.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PartitionProcessor, type PartitionReply } from './partition.js';
import { ChunkProcessor } from './processor.js';
import { WORKER_MARK, type WorkerData, type WorkerReply, type WorkerRequest } from './protocol.js';

export function isChunkWorker(): boolean {
    return !isMainThread && (workerData as Partial<WorkerData> | undefined)?.mark === WORKER_MARK;
}

function serve(): void {
    const data = workerData as WorkerData;
    const processor = new ChunkProcessor(data.bundle, data.options);
    const port = parentPort!;
    let partition: PartitionProcessor | undefined;
    const sendParts = (result: PartitionReply) => {
        port.postMessage({ op: 'partitioned', result } satisfies WorkerReply, result.parts.map(part => part.text.buffer as ArrayBuffer));
    };
    port.on('message', (request: WorkerRequest) => {
        let reply: WorkerReply;
        try {
            if (request.op === 'index') reply = { op: 'indexed', result: processor.index(request.chunk, request.keep, true) };
            else if (request.op === 'evaluate') {
                // The report text kept for the file, or as bytes moved rather than copied: the coordinator only writes it.
                const result = processor.evaluate(request.plan, request.chunk, request.mode);
                port.postMessage({ op: 'evaluated', result } satisfies WorkerReply, [result.text.buffer as ArrayBuffer]);
                return;
            } else if (request.op === 'partition-start') {
                partition = new PartitionProcessor(data.bundle, data.options, request.names, request.thread, request.threads);
                reply = { op: 'started' };
            } else if (request.op === 'partition-chunk' || request.op === 'partition-end') {
                if (!partition) throw new Error('the partitioned pass has not started');
                sendParts(request.op === 'partition-chunk' ? partition.chunk(request.chunk) : partition.end());
                return;
            } else if (request.op === 'place') {
                processor.place(request.id, request.path, request.position, request.prefix);
                reply = { op: 'placed' };
            } else if (request.op === 'release') {
                processor.release();
                reply = { op: 'released' };
            } else {
                partition = undefined;
                processor.clear();
                reply = { op: 'cleared' };
            }
        } catch (error) {
            reply = { op: 'failed', message: (error as Error).message, ...((error as Error).stack ? { stack: (error as Error).stack } : {}) };
        }
        port.postMessage(reply);
    });
}

if (isChunkWorker()) serve();
