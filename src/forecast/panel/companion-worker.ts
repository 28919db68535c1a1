/**
 * The worker side of companion-threads.ts (Node.js only; loaded in a `worker_threads` Worker, never imported
 * by library code): fits its first cut, then cuts from the batch's shared counter until none is left, each
 * cut's values written into the shared results (runBatch), then raises the done flag. Any failure is posted
 * as { error } before the flag; a worker V8 stops (out of memory, process.exit) cannot, and its supervisor
 * reports it instead (util/worker-watch.ts).
 */
import { workerData } from 'node:worker_threads';
import { runBatch, type CompanionJob } from './companion-threads.js';

const job = workerData as CompanionJob;
try {
  runBatch(job, job.first);
} catch (e) {
  job.port.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
const control = new Int32Array(job.control);
Atomics.store(control, 0, 1);
Atomics.notify(control, 0);
