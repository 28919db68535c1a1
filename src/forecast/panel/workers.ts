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
 * before its script ends (out of memory, process.exit) raises no flag and posts nothing, and only the event loop
 * would hear of it: the wait then never ends (on one thread the same fit would have ended the process).
 */
import { workerBoot } from '../../util/worker-boot.js';

type WorkerThreads = typeof import('node:worker_threads');
type MessagePort = import('node:worker_threads').MessagePort;

/** The links every worker job carries (see the header). */
export interface WorkerLinks {
  control: SharedArrayBuffer;
  port: MessagePort;
}

/** A started worker, as its caller holds it. */
export interface WorkerHandle {
  worker: import('node:worker_threads').Worker;
  port: MessagePort;
  control: Int32Array;
}

/** node:worker_threads where synchronous workers can run (Node.js with SharedArrayBuffer and Atomics.wait), else null. */
export function workerThreads(): WorkerThreads | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = p?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  return mod && typeof SharedArrayBuffer !== 'undefined' && typeof Atomics?.wait === 'function' ? mod : null;
}

/**
 * Starts a worker that loads the module `name` beside this file (`name.ts` from the sources under tsx, else
 * the compiled `name.js`) with `job` and its links as workerData. `what` names the worker in a load failure.
 */
export function startWorker<J extends object>(wt: WorkerThreads, name: string, job: J, what: string): WorkerHandle {
  const url = new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
  const { port1, port2 } = new wt.MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(4));
  const boot = workerBoot(url, `could not load the ${what}: `, 'Atomics.store(c, 0, 1); Atomics.notify(c, 0);');
  const links: WorkerLinks = { control: control.buffer as SharedArrayBuffer, port: port2 };
  const worker = new wt.Worker(boot, { eval: true, workerData: { ...job, ...links }, transferList: [port2] });
  worker.unref();
  port1.unref();
  return { worker, port: port1, control };
}

/**
 * Sleeps until every worker has raised its done flag, calling `drain` (which reads the workers' posts)
 * whenever one wakes it and at least every `everyMs`; then drains once more and terminates the workers.
 */
export function waitForWorkers(handles: readonly WorkerHandle[], drain: () => void, everyMs = 1000): void {
  for (const h of handles) {
    while (Atomics.load(h.control, 0) === 0) {
      Atomics.wait(h.control, 0, 0, everyMs);
      drain();
    }
  }
  drain();
  for (const h of handles) void h.worker.terminate();
}
