/**
 * The worker side of threads.ts (Node.js only; loaded in a `worker_threads` Worker, never imported by
 * library code): trains its members one after the other on its own backend and posts each result as
 * its finished progress { progress: { member, done: true, result } }, then raises the done flag. With
 * checkpoints it also posts every saved progress of a running member and wakes the main thread (which
 * saves it). Any failure is posted as { error } before the flag, so the main thread never waits for
 * nothing; a worker V8 stops (out of memory, process.exit) cannot, and its supervisor reports it
 * instead (util/worker-watch.ts).
 */
import { workerData } from 'node:worker_threads';
import { createWasmBackendSync } from '../../kernels/fast.js';
import { referenceBackend } from '../../kernels/index.js';
import type { MemberProgress } from './checkpoint.js';
import type { MemberJob } from './threads.js';
import { trainMember } from './train.js';

const job = workerData as MemberJob;
const control = new Int32Array(job.control);
const post = (progress: MemberProgress): void => {
  job.port.postMessage({ progress });
  Atomics.notify(control, 0);
};
try {
  const backend = job.backend === 'wasm' ? createWasmBackendSync({ notice: () => {}, relaxedSimd: job.relaxedSimd ? 'auto' : 'off' }) : referenceBackend();
  for (const m of job.members) {
    const resume = job.resume.find((p) => p.member === m) ?? null;
    const ck = job.checkpointMs === null ? {} : { resume, save: post, everyMs: job.checkpointMs };
    const result = trainMember({ series: job.series, calendar: job.calendar, quantiles: job.quantiles, backend }, job.settings, m, ck);
    post({ member: m, done: true, result });
  }
} catch (e) {
  job.port.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
Atomics.store(control, 0, 1);
Atomics.notify(control, 0);
