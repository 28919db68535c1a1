/**
 * Supervision of the synchronous worker threads (train/parallel.ts's training workers, forecast/panel/workers.ts's
 * member and companion workers): a worker that V8 stops before its script ends ends the caller's wait with an
 * UnrollError, never a hang.
 *
 * Why a supervisor: the calling thread sleeps in Atomics.wait on a slot of the worker's control block (an Int32
 * over a SharedArrayBuffer) until the worker writes its answer there. A worker that runs out of memory (Node's
 * ERR_WORKER_OUT_OF_MEMORY), calls process.exit() or is aborted by a crash in the WebAssembly module writes
 * nothing; only an event loop hears its 'error'/'exit' events, and the caller's is blocked in that very wait.
 *
 * So every watched worker is started by one supervisor thread per calling thread (started on first use, about
 * 40 lines of JavaScript with its own event loop; unref'd, so it never keeps a process alive; the caller waits
 * for it to be ready, at most SUPERVISOR_START_MS). The caller posts
 * { start } to it; the supervisor starts the real worker (a nested Worker running util/worker-boot.ts's bootstrap)
 * and listens to its events. When a worker ends (its 'error' event, else its 'exit') and the caller neither stopped
 * it nor sees its work done (its slot holds `final`), the supervisor
 *   1. posts { id, why } on its port to the caller (why: { error: { code, message } } or { code: exit code }),
 *   2. stops the other workers of the same group (so no sibling computes on for a failed call, none is orphaned),
 *      posting { id, sibling } for each that was still at work,
 *   3. stores DIED in each one's slot and notifies it,
 * in that order, so the caller, whichever slot it sleeps on, wakes within milliseconds of the death, and the reason
 * is already on the port when it sees DIED (it reads the port with receiveMessageOnPort, no event loop needed).
 * Nothing is time-based: a long honest fit is never called dead. Measured (compiled, Node 20, this 2-core machine
 * shared with other work): from a worker's process.exit() to the caller's wake-up 6–13 ms; an out-of-memory
 * worker under a 48 MB heap limit wakes the caller 0.35 s after it starts allocating.
 *
 * Cost on the normal path: the job is posted on the worker's own port (util/worker-boot.ts takes it into
 * workerData), so it is cloned once, as by a Worker started directly; the supervisor gets the control
 * block, the port, the bootstrap source and a copy of the caller's environment (a few kB). Measured as the time from the call to a trivial worker's flag, 21 starts in each of 6
 * processes per way (medians per process): later starts in a process, 74–81 ms supervised (median 76) against
 * 70–82 ms (75) direct, no difference above the noise (with a 3.3 MB job: 69–83 (78) against 74–83 (79)); the
 * first start of a process pays the supervisor's own start: 125–184 ms (141) against 58–96 ms (71), about
 * +70 ms once a process (with the 3.3 MB job 171–201 (183) against 100–171 (104), about +80 ms); again on a
 * quieter machine with the readiness wait: 104–137 ms (108) against 50–70 ms (58), +50 ms. The workers'
 * work and results are untouched (the threaded tests give the serial values bit for bit, as before).
 *
 * Browser-safe: no static `node:` import; node:worker_threads is reached through process.getBuiltinModule.
 * Debt: the supervisor itself is not watched (it runs no user work and holds no job); a worker's stdout and
 * stderr pass through it to the caller's, which prints them when its event loop runs (as before).
 */
import { UnrollError } from './errors.js';
import { workerBoot } from './worker-boot.js';

type WorkerThreads = typeof import('node:worker_threads');
type MessagePort = import('node:worker_threads').MessagePort;
type ResourceLimits = import('node:worker_threads').ResourceLimits;

/** The value the supervisor stores in a worker's wait slot when the worker ended before its work was done. */
export const DIED = -2147483648;

/** Why a worker ended, as the supervisor reports it. */
type Why = { error: { code?: string; message: string } } | { code: number } | { sibling: number };

/** node:worker_threads where synchronous workers can run (Node.js with SharedArrayBuffer and Atomics.wait), else null. */
export function workerThreads(): WorkerThreads | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = p?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  return mod && typeof SharedArrayBuffer !== 'undefined' && typeof Atomics?.wait === 'function' ? mod : null;
}

/** The supervisor's source (see the header); `DIED` is spliced in. Runs as CommonJS or as a module. */
const SUPERVISOR = `(async () => {
  const { workerData, Worker } = await import('node:worker_threads');
  const port = workerData.port;
  const live = new Map();
  const groups = new Map();
  const died = (w) => { Atomics.store(w.c, w.slot, ${DIED}); Atomics.notify(w.c, w.slot); };
  const end = (w, why) => {
    if (w.ended) return;
    w.ended = true;
    live.delete(w.id);
    const group = groups.get(w.group);
    group?.delete(w);
    if (group?.size === 0) groups.delete(w.group);
    if (w.stopping || Atomics.load(w.c, w.slot) === w.final) return;
    port.postMessage({ id: w.id, why });
    const siblings = [...(groups.get(w.group) ?? [])];
    groups.delete(w.group);
    for (const s of siblings) {
      s.ended = s.stopping = true;
      live.delete(s.id);
      if (s.worker) void s.worker.terminate();
      if (Atomics.load(s.c, s.slot) !== s.final) port.postMessage({ id: s.id, why: { sibling: w.id } });
    }
    died(w);
    for (const s of siblings) if (Atomics.load(s.c, s.slot) !== s.final) died(s);
  };
  port.on('message', (m) => {
    if (m.stop !== undefined) {
      const w = live.get(m.stop);
      if (w) { w.stopping = true; void w.worker?.terminate(); }
      return;
    }
    const w = { ...m, c: new Int32Array(m.data.control), ended: false, stopping: false, worker: null };
    live.set(w.id, w);
    if (!groups.has(w.group)) groups.set(w.group, new Set());
    groups.get(w.group).add(w);
    try {
      w.worker = new Worker(m.source, { eval: true, workerData: m.data, transferList: [m.data.port], resourceLimits: m.limits, env: m.env });
    } catch (e) {
      end(w, { error: { code: e && e.code, message: String(e && e.message || e) } });
      return;
    }
    w.worker.on('error', (e) => end(w, { error: { code: e && e.code, message: String(e && e.message || e) } }));
    w.worker.on('exit', (code) => end(w, { code }));
  });
  const ready = new Int32Array(workerData.ready);
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
})();`;

/** How long the supervisor may take to start (a bound on starting a thread, never on anyone's work). */
const SUPERVISOR_START_MS = 60_000;

interface Supervisor {
  port: MessagePort;
  reasons: Map<number, Why>;
}

let supervisor: Supervisor | null = null;
let nextId = 1;
let nextGroup = 1;

/**
 * The calling thread's supervisor, started on first use. The caller waits for it to be ready: a thread that
 * cannot start reports that only to an event loop (as a worker's death does), so a supervisor that never
 * starts ends the call here, after SUPERVISOR_START_MS, instead of leaving every later wait without a watcher.
 */
function supervisorOf(wt: WorkerThreads): Supervisor {
  if (supervisor) return supervisor;
  const { port1, port2 } = new wt.MessageChannel();
  const ready = new Int32Array(new SharedArrayBuffer(4));
  const thread = new wt.Worker(SUPERVISOR, { eval: true, workerData: { port: port2, ready: ready.buffer }, transferList: [port2] });
  thread.unref();
  port1.unref();
  const t0 = Date.now();
  while (Atomics.load(ready, 0) === 0) {
    if (Date.now() - t0 > SUPERVISOR_START_MS) {
      void thread.terminate();
      throw new UnrollError(`the thread that watches the worker threads did not start within ${SUPERVISOR_START_MS / 1000} s (too many threads, or too little memory?); threads 1 (--threads 1) runs everything on the calling thread`, 'threads');
    }
    Atomics.wait(ready, 0, 0, 1000);
  }
  return (supervisor = { port: port1, reasons: new Map() });
}

/** What a group's workers are, for its messages. */
export interface GroupInfo {
  /** Names a worker of the group in messages, e.g. 'panel model: member worker'. */
  what: string;
  /** What the user can do when a worker ran out of memory, e.g. 'use fewer threads (--threads 1) or a smaller panel'. */
  memoryAdvice: string;
  /** What the user can do when a worker stopped otherwise. */
  otherAdvice: string;
}

/** How one worker is started (see WorkerGroup.start). */
export interface WorkerSpec {
  /** URL of the worker module (workerBoot loads it). */
  url: string;
  /** The worker's data; `control` and `port` are added (the control block's buffer, the worker's end of its port). */
  data: object;
  /** The control block: `slot` is where the caller waits; `final` is the value there that means the worker's work is done for good (null: none). */
  control: Int32Array;
  slot: number;
  final: number | null;
  /** workerBoot's arguments: what a load failure's message starts with, and the statements that signal it on `c`. */
  failurePrefix: string;
  signal: string;
  /** Tests only: the worker's resource limits (to see it run out of memory). */
  resourceLimits?: ResourceLimits;
}

/** A started worker, as its caller holds it. */
export interface WatchedWorker {
  /** The caller's end of the worker's port (read it with receiveMessageOnPort). */
  port: MessagePort;
  control: Int32Array;
  /** True once the supervisor stored DIED in the worker's slot. */
  died(): boolean;
  /** The UnrollError that says how the worker (or the group's worker that died first) ended and what to do. */
  death(): UnrollError;
}

/**
 * Workers started for one call, watched as a group: when one dies, the supervisor stops the others and marks
 * them too, so a caller that sleeps on any of them wakes. stop() ends them all (idempotent).
 */
export class WorkerGroup {
  readonly workers: WatchedWorker[] = [];
  private readonly ids: number[] = [];
  private readonly group = nextGroup++;
  private readonly sup: Supervisor;

  constructor(private readonly wt: WorkerThreads, private readonly info: GroupInfo) {
    this.sup = supervisorOf(wt);
  }

  start(spec: WorkerSpec): WatchedWorker {
    const { port1, port2 } = new this.wt.MessageChannel();
    port1.unref();
    const id = nextId++;
    // The job travels on the worker's own port (worker-boot.ts takes it into workerData): cloned once, not twice.
    port1.postMessage(spec.data);
    const data = { control: spec.control.buffer as SharedArrayBuffer, port: port2 };
    const source = workerBoot(spec.url, spec.failurePrefix, spec.signal);
    // The caller's environment as it is now (a Worker started here would copy it), not the supervisor's copy.
    const env = { ...(globalThis as { process?: { env?: object } }).process?.env };
    this.sup.port.postMessage({ id, group: this.group, source, data, slot: spec.slot, final: spec.final, limits: spec.resourceLimits, env }, [port2]);
    const w: WatchedWorker = {
      port: port1,
      control: spec.control,
      died: () => Atomics.load(spec.control, spec.slot) === DIED,
      death: () => this.deathOf(id),
    };
    this.ids.push(id);
    this.workers.push(w);
    return w;
  }

  /** Throws the death of the first worker that died, if one did. */
  check(): void {
    for (const w of this.workers) if (w.died()) throw w.death();
  }

  /** Ends every worker of the group (those that ended already are left alone). */
  stop(): void {
    for (const id of this.ids) this.sup.port.postMessage({ stop: id });
  }

  /** The supervisor's reports so far, by worker id (read from its port into the map they accumulate in). */
  private reasons(): Map<number, Why> {
    const reasons = this.sup.reasons;
    for (let m = this.wt.receiveMessageOnPort(this.sup.port); m; m = this.wt.receiveMessageOnPort(this.sup.port)) {
      const r = m.message as { id: number; why: Why };
      reasons.set(r.id, r.why);
    }
    return reasons;
  }

  /** The id of the worker whose end ended worker `id`: the sibling it was stopped for, else itself. */
  private causeOf(id: number): number {
    const why = this.reasons().get(id);
    return why && 'sibling' in why ? why.sibling : id;
  }

  private deathOf(id: number): UnrollError {
    const first = this.causeOf(id);
    const why = this.reasons().get(first);
    const { what, memoryAdvice, otherAdvice } = this.info;
    const who = `${what} ${this.ids.indexOf(first) + 1} of ${this.ids.length}`;
    if (why && 'error' in why && why.error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new UnrollError(`${who} ran out of memory and was stopped (${why.error.code}: ${why.error.message}); ${memoryAdvice}`, 'threads');
    }
    const how = !why || 'sibling' in why ? 'for a reason the supervisor did not learn'
      : 'error' in why ? `on an uncaught error: ${why.error.code ? `${why.error.code}: ` : ''}${why.error.message}`
        : `with exit code ${why.code} (process.exit() in the worker, or the WebAssembly module aborted it)`;
    return new UnrollError(`${who} stopped before its work was done, ${how}; ${otherAdvice}`, 'threads');
  }
}
