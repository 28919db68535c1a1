/**
 * Test-only worker modules that die mid-task as V8 would stop a worker (exit-worker.ts: process.exit(3);
 * oom-worker.ts: out of memory under the resource limits the test gives), for util/worker-watch.test.ts.
 * They follow the worker they stand in for until its task is under way: a training worker (train/worker.ts,
 * its data has `result`) reports its start and takes its first command; a companion worker (its data has
 * `counter`) takes a cut from the shared counter, which then nobody fits; a member worker starts at once.
 * Then they work a little (50 ms asleep) and die, posting nothing and raising no flag.
 */
import { workerData } from 'node:worker_threads';
import { CTRL } from '../train/shared.js';

export function dieMidTask(die: () => void): void {
  const d = workerData as { control: SharedArrayBuffer; result?: SharedArrayBuffer; counter?: SharedArrayBuffer };
  const c = new Int32Array(d.control);
  if (d.result) {
    Atomics.store(c, CTRL.done, 0);
    Atomics.notify(c, CTRL.done);
    Atomics.wait(c, CTRL.seq, 0);
  }
  if (d.counter) Atomics.add(new Int32Array(d.counter), 0, 1);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  die();
}
