/**
 * The worker side of threads.ts (Node.js only; loaded in a `worker_threads` Worker, never imported by
 * library code): trains its members one after the other on its own backend and posts each result,
 * then raises the done flag. Any failure is posted as { error } before the flag, so the main thread
 * never waits for nothing.
 */
import { workerData } from 'node:worker_threads';
import { createWasmBackendSync } from '../../kernels/fast.js';
import { referenceBackend } from '../../kernels/index.js';
import type { MemberJob } from './threads.js';
import { trainMember } from './train.js';

const job = workerData as MemberJob;
const control = new Int32Array(job.control);
try {
  const backend = job.backend === 'wasm' ? createWasmBackendSync({ notice: () => {}, relaxedSimd: job.relaxedSimd ? 'auto' : 'off' }) : referenceBackend();
  for (const m of job.members) {
    const r = trainMember({ series: job.series, quantiles: job.quantiles, backend }, job.settings, m);
    job.port.postMessage({ member: m, weights: r.weights, hw: r.hw, bestEpoch: r.bestEpoch, valScores: r.valScores, losses: r.losses });
  }
} catch (e) {
  job.port.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
Atomics.store(control, 0, 1);
Atomics.notify(control, 0);
