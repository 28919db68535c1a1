/**
 * Worker threads started and awaited from synchronous code, for the panel model's members (threads.ts) and
 * its companion's fits (companion-threads.ts). Node.js only, and reached without a static `node:` import
 * (process.getBuiltinModule) so that the model stays browser-safe: where worker threads, SharedArrayBuffer
 * or Atomics.wait do not exist, workerThreads() is null and the callers run everything on the calling thread.
 *
 * Each worker gets a job with two links back: `port` (a MessagePort the worker posts to; the main thread
 * reads it with receiveMessageOnPort, no event loop needed) and `control` (an Int32 over a SharedArrayBuffer:
 * the worker raises [0] to 1 when it is done, and notifies it after every post). The calling thread does its
 * own share, then sleeps in Atomics.wait until every flag is up (waitForWorkers). A module that cannot be
 * loaded posts { error } and raises the flag, so the caller never waits for nothing. A worker that V8 stops
 * before its script ends (out of memory, process.exit, a crash of the WebAssembly module) raises no flag: the
 * supervisor (util/worker-watch.ts) that started it stores DIED in its flag, stops the call's other workers and
 * wakes the caller, which throws an UnrollError naming the worker, how it ended and what to do.
 */
import { DIED, WorkerGroup, workerThreads, type WatchedWorker } from '../../util/worker-watch.js';

export { workerThreads };
type WorkerThreads = typeof import('node:worker_threads');
type MessagePort = import('node:worker_threads').MessagePort;
type ResourceLimits = import('node:worker_threads').ResourceLimits;

/** The links every worker job carries (see the header). */
export interface WorkerLinks {
  control: SharedArrayBuffer;
  port: MessagePort;
}

/** Tests only: another worker module (a path beside this file, without extension), or resource limits for the workers. */
export interface WorkerTestOptions {
  worker?: string;
  resourceLimits?: ResourceLimits;
}

/** The workers of one call, named `what` ('member worker', 'companion worker') in messages. */
export function panelWorkers(wt: WorkerThreads, what: string): WorkerGroup {
  return new WorkerGroup(wt, {
    what: `panel model: ${what}`,
    memoryAdvice: 'use fewer threads (option threads, --threads; 1 runs everything on the calling thread) or a smaller panel',
    otherAdvice: 'with threads 1 (--threads 1) the same work runs on the calling thread, where its cause shows itself',
  });
}

/**
 * Starts a worker of `group` that loads the module `name` beside this file (`name.ts` from the sources under
 * tsx, else the compiled `name.js`) with `job` and its links as workerData. `what` names the worker in a load failure.
 */
export function startWorker(group: WorkerGroup, name: string, job: object, what: string, resourceLimits?: ResourceLimits): WatchedWorker {
  const url = new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
  return group.start({
    url, data: job, control: new Int32Array(new SharedArrayBuffer(4)), slot: 0, final: 1,
    failurePrefix: `could not load the ${what}: `, signal: 'Atomics.store(c, 0, 1); Atomics.notify(c, 0);', resourceLimits,
  });
}

/**
 * Sleeps until every worker of `group` has raised its done flag, calling `drain` (which reads the workers' posts)
 * whenever one wakes it and at least every `everyMs`; then drains once more. A worker that died (its flag DIED)
 * ends the wait at once with its UnrollError (after a last drain). The group's workers are stopped either way.
 */
export function waitForWorkers(group: WorkerGroup, drain: () => void, everyMs = 1000): void {
  try {
    for (const h of group.workers) {
      for (let v = Atomics.load(h.control, 0); v !== 1; v = Atomics.load(h.control, 0)) {
        if (v === DIED) {
          drain();
          throw h.death();
        }
        Atomics.wait(h.control, 0, v, everyMs);
        drain();
      }
    }
    drain();
  } finally {
    group.stop();
  }
}
