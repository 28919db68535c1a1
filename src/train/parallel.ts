/**
 * Data-parallel training across worker threads (Node.js only; opt-in with `threads` in the trainer
 * or fit options). Each training step splits the batch into one shard per thread: the main thread
 * runs forward + BPTT on the first shard while every worker (worker.ts) runs it on its own shard
 * with a replica of the model, reading the main thread's current parameters and writing its
 * gradients into shared memory. The main thread then combines the shard gradients as the loss
 * defines them (a mean over the whole batch is the count-weighted mean of the shard means), and
 * the trainer applies ONE optimizer step. The result equals single-threaded training up to the
 * order of float32 summation.
 *
 * Workers are started on the first step and woken per batch (never per time step) through
 * `Atomics.wait` / `Atomics.notify`, so `Trainer.step` and `fit` stay synchronous. Workers are
 * unref'd (they never keep a process alive); `close()` ends them. A failure in a worker surfaces
 * on the main thread as an UnrollError with the worker's message. A worker that dies (out of memory,
 * process.exit, a crash of the WebAssembly module) is seen by the supervisor that started it
 * (util/worker-watch.ts): it stops the other workers and stores DIED in their `done` slots, so the
 * main thread's wait ends with an UnrollError saying how the worker ended; every later call throws it
 * again.
 */
import type { Buf } from '../kernels/index.js';
import { Network } from '../nn/model.js';
import { RecurrentLayer } from '../nn/layer.js';
import { toSequenceSet, type SequenceInput, type SequenceSet } from '../nn/sequences.js';
import { UnrollError, badOption } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import { PREDICT_OPTION_SPEC } from '../nn/model.js';
import type { LossSpec } from './losses.js';
import { CMD, CTRL, LOAD_FAILED, STATUS, describeShared, type SharedView } from './shared.js';
import type { TargetSet } from './trainer.js';
import { DIED, WorkerGroup, workerThreads as maybeWorkerThreads, type WatchedWorker } from '../util/worker-watch.js';

type WorkerThreads = typeof import('node:worker_threads');
type ResourceLimits = import('node:worker_threads').ResourceLimits;

/** Tests only: another worker module (its URL), resource limits for the workers (to see a worker die). */
export interface ParallelTestOptions {
  worker?: string;
  resourceLimits?: ResourceLimits;
}

/** Most threads the option accepts. */
export const MAX_THREADS = 64;
/** How long to wait for a worker to start before giving up. */
const START_TIMEOUT_MS = 60_000;

/** What the data-parallel driver needs of the trainer: forming the gradients of one shard. */
export interface ShardEvaluator {
  evaluateBatch(inputs: SequenceSet, targets: TargetSet, indices: ArrayLike<number>, from: number, batch: number, backward: boolean): number;
}

/** Validates the `threads` option: a positive integer (1 = no worker threads). */
export function checkThreads(threads: unknown): number {
  const t = threads ?? 1;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > MAX_THREADS) badOption('threads', threads, `an integer in [1, ${MAX_THREADS}] (1 = no worker threads)`);
  return t;
}

function workerThreads(): WorkerThreads {
  const mod = maybeWorkerThreads();
  if (!mod) throw new UnrollError('option "threads" > 1 needs Node.js ≥ 20.16 (worker_threads and SharedArrayBuffer); use threads: 1 here', 'option');
  return mod;
}

interface Handle {
  watched: WatchedWorker;
  port: import('node:worker_threads').MessagePort;
  control: Int32Array;
  result: Float64Array;
  indices: Int32Array;
  /** Where this worker writes its gradients (in the main backend's memory when it is shared). */
  grads: Buf;
  seq: number;
}

export class DataParallel {
  private readonly handles: Handle[] = [];
  private readonly n: number;
  /** The parameters as workers read them: the model's own buffer when it is shared, else a mirror. */
  private readonly params: SharedView;
  private readonly mirror: Float32Array | Float64Array | null;
  private loadedSet: SequenceSet | null = null;
  private loadedTargets: TargetSet | null = null;
  private capacity = 0;
  private outSteps = 0;
  /** Outputs of a threaded forward pass (shared with the workers). */
  private out: Float32Array | Float64Array = new Float32Array(0);
  private closed = false;
  private readonly group: WorkerGroup;
  /** The death of a worker, once one died: every later call throws it. */
  private death: UnrollError | null = null;

  /**
   * Starts `threads − 1` workers holding replicas of `model`. `loss` must be a built-in loss name
   * (the combination of shard gradients depends on how the loss normalises).
   */
  constructor(readonly model: Network, readonly loss: LossSpec, readonly threads: number, test: ParallelTestOptions = {}) {
    checkThreads(threads);
    if (model.forward !== Network.prototype.forward || model.backward !== Network.prototype.backward) {
      throw new UnrollError('option "threads" > 1 supports Network/RNN models only (this model overrides forward or backward); use threads: 1', 'option');
    }
    const wt = workerThreads();
    const k = model.backend;
    this.n = model.store.count;
    const own = describeShared(model.store.values);
    if (own) {
      this.params = own;
      this.mirror = null;
    } else {
      const bytes = k.dtype === 'float32' ? 4 : 8;
      const sab = new SharedArrayBuffer(this.n * bytes);
      this.mirror = bytes === 4 ? new Float32Array(sab) : new Float64Array(sab);
      this.params = describeShared(this.mirror)!;
    }
    const url = test.worker ?? new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href;
    this.group = new WorkerGroup(wt, {
      what: 'training worker',
      memoryAdvice: 'use fewer threads (option threads; 1 runs everything on the calling thread), a smaller batch or a smaller model',
      otherAdvice: 'with threads: 1 the same work runs on the calling thread, where its cause shows itself',
    });
    try {
      for (let i = 1; i < threads; i++) this.handles.push(this.spawn(url, test.resourceLimits));
      for (const h of this.handles) this.awaitStart(h);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private spawn(url: string, resourceLimits?: ResourceLimits): Handle {
    const control = new Int32Array(new SharedArrayBuffer(CTRL.size * 4));
    control[CTRL.done] = -1;
    const result = new Float64Array(new SharedArrayBuffer(16));
    const k = this.model.backend;
    // Started by the supervisor (util/worker-watch.ts) through the bootstrap (util/worker-boot.ts), so that
    // a failure to load the worker module is reported through the control block, and its death too.
    const watched = this.group.start({
      url, control, slot: CTRL.done, final: LOAD_FAILED, resourceLimits,
      data: {
        result: result.buffer, config: this.model.config, loss: this.loss,
        backend: k.name === 'wasm' ? 'wasm' : 'reference',
        relaxedSimd: (k as { relaxedSimd?: boolean }).relaxedSimd === true,
      },
      failurePrefix: `could not load the training worker (${url}): `,
      signal: `Atomics.store(c, ${CTRL.status}, ${STATUS.error}); Atomics.store(c, ${CTRL.done}, ${LOAD_FAILED}); Atomics.notify(c, ${CTRL.done});`,
    });
    const shared = k.alloc(this.n);
    const grads = describeShared(shared) ? shared : (k.dtype === 'float32' ? new Float32Array(new SharedArrayBuffer(this.n * 4)) : new Float64Array(new SharedArrayBuffer(this.n * 8)));
    return { watched, port: watched.port, control, result, indices: new Int32Array(0), grads, seq: 0 };
  }

  private awaitStart(h: Handle): void {
    const t0 = Date.now();
    for (let done = Atomics.load(h.control, CTRL.done); done === -1 || done === DIED; done = Atomics.load(h.control, CTRL.done)) {
      if (done === DIED) this.died(h);
      if (Date.now() - t0 > START_TIMEOUT_MS) throw new UnrollError(`option "threads": a training worker did not start within ${START_TIMEOUT_MS / 1000} s`, 'threads');
      Atomics.wait(h.control, CTRL.done, -1, 1000);
    }
    this.check(h);
  }

  /**
   * Throws for a worker whose slot holds DIED (the supervisor's report of how it, or the worker of the group that
   * died first, ended); the workers are closed, and every later call throws the same error. A module that could
   * not be loaded is no death: it stores LOAD_FAILED, its final word, and check() throws the error it posted.
   */
  private died(h: Handle): never {
    this.death = h.watched.death();
    this.close();
    throw this.death;
  }

  /** The error message the worker posted, if any. */
  private posted(h: Handle): string | undefined {
    return (this.wt().receiveMessageOnPort(h.port)?.message as { error?: string } | undefined)?.error;
  }

  /** Throws the worker's error, if its last command failed. */
  private check(h: Handle): void {
    if (Atomics.load(h.control, CTRL.status) === STATUS.error) throw failed(this.posted(h) ?? 'unknown error');
  }

  private wt(): WorkerThreads {
    return workerThreads();
  }

  private command(h: Handle, cmd: number): void {
    Atomics.store(h.control, CTRL.cmd, cmd);
    h.seq++;
    Atomics.store(h.control, CTRL.seq, h.seq);
    Atomics.notify(h.control, CTRL.seq);
  }

  private wait(h: Handle): void {
    if (this.death) throw this.death;
    // Wait on exactly the value just checked: reading `done` again for the wait could see the
    // worker's answer and then sleep through the notify that came with it.
    for (;;) {
      const done = Atomics.load(h.control, CTRL.done);
      if (done === h.seq) break;
      if (done === DIED) this.died(h);
      Atomics.wait(h.control, CTRL.done, done);
    }
    this.check(h);
  }

  /** Sends the data set to every worker (once per distinct data set, and when batches outgrow the shared buffers). */
  private load(inputs: SequenceSet, targets: TargetSet | null, batch: number): void {
    if (inputs === this.loadedSet && targets === this.loadedTargets && batch <= this.capacity && inputs.maxSteps <= this.outSteps) return;
    this.capacity = Math.max(batch, this.capacity);
    this.outSteps = Math.max(this.outSteps, inputs.maxSteps);
    // Copies of exactly the used range (a subarray would carry its whole underlying buffer along).
    const set: SequenceSet = { count: inputs.count, maxSteps: inputs.maxSteps, inputSize: inputs.inputSize, data: inputs.data.slice(), lengths: inputs.lengths.slice() };
    const tg: TargetSet | null = targets && { steps: targets.steps, values: targets.values ? targets.values.slice() : null, classes: targets.classes ? targets.classes.slice() : null };
    const m = this.model;
    const outRows = this.capacity * (m.outputMode === 'sequence' ? this.outSteps : 1);
    this.out = m.backend.dtype === 'float32' ? new Float32Array(new SharedArrayBuffer(outRows * m.outputSize * 4)) : new Float64Array(new SharedArrayBuffer(outRows * m.outputSize * 8));
    for (const h of this.handles) {
      h.indices = new Int32Array(new SharedArrayBuffer(this.capacity * 4));
      h.port.postMessage({ set, targets: tg, indices: h.indices, params: this.params, grads: describeShared(h.grads as Float32Array | Float64Array), out: describeShared(this.out) });
      this.command(h, CMD.load);
    }
    for (const h of this.handles) this.wait(h);
    this.loadedSet = inputs;
    this.loadedTargets = targets;
  }

  private shardSizes(batch: number): number[] {
    const shards = Math.min(this.handles.length + 1, batch);
    const base = Math.floor(batch / shards);
    const extra = batch % shards;
    const sizes: number[] = [];
    for (let s = 0; s < shards; s++) sizes.push(base + (s < extra ? 1 : 0));
    return sizes;
  }

  /**
   * Inference across the threads: the outputs of batch `indices[from .. from+batch)`, laid out as
   * `model.y` would hold them after `loadBatch` + `forward` of the whole batch ([B, K] for 'last',
   * time-major [T·B, K] for 'sequence', T = the batch's longest sequence; rows past a sample's end
   * are not meaningful). The returned view is valid until the next call.
   */
  forward(inputs: SequenceSet, indices: ArrayLike<number>, from: number, batch: number): { y: Float32Array | Float64Array; steps: number } {
    if (this.closed) throw this.death ?? new UnrollError('option "threads": the predictor was closed; create a new one', 'threads');
    const m = this.model;
    this.load(inputs, this.loadedSet === inputs ? this.loadedTargets : null, batch);
    if (this.mirror) this.mirror.set(m.store.values);
    const sizes = this.shardSizes(batch);
    const seq = m.outputMode === 'sequence';
    let steps = 0;
    for (let i = 0; i < batch; i++) steps = Math.max(steps, inputs.lengths[indices[from + i]]);
    let start = from + sizes[0];
    for (let s = 1; s < sizes.length; s++) {
      const h = this.handles[s - 1];
      for (let i = 0; i < sizes[s]; i++) h.indices[i] = indices[start + i];
      h.control[CTRL.count] = sizes[s];
      h.control[CTRL.training] = 0;
      h.control[CTRL.start] = start - from;
      h.control[CTRL.total] = batch;
      h.control[CTRL.steps] = steps;
      this.command(h, CMD.forward);
      start += sizes[s];
    }
    let failure: unknown = null;
    try {
      m.loadBatch(inputs, indices, from, sizes[0]);
      m.forward();
      copyShardOutputs(m, this.out, 0, batch, steps);
    } catch (e) {
      failure = e;
    }
    for (let s = 1; s < sizes.length; s++) {
      try { this.wait(this.handles[s - 1]); } catch (e) { failure ??= e; }
    }
    if (failure) throw failure;
    const rows = seq ? steps * batch : batch;
    return { y: this.out.subarray(0, rows * m.outputSize), steps };
  }

  /** How much a shard counts in a mean loss: the number of target numbers (mse, pinball) or target rows (crossEntropy). */
  private weight(inputs: SequenceSet, indices: ArrayLike<number>, from: number, count: number): number {
    const m = this.model;
    let rows = 0;
    if (m.outputMode === 'sequence') for (let i = 0; i < count; i++) rows += inputs.lengths[indices[from + i]];
    else rows = count;
    return this.loss === 'crossEntropy' ? rows : rows * m.outputSize;
  }

  /**
   * Forms the gradients of batch `indices[from .. from+batch)` into `model.store.grads` (zeroed
   * first) across the threads, and returns the batch loss, as `evaluateBatch(…, true)` does.
   */
  gradients(trainer: ShardEvaluator, inputs: SequenceSet, targets: TargetSet, indices: ArrayLike<number>, from: number, batch: number): number {
    if (this.closed) throw this.death ?? new UnrollError('option "threads": the trainer was closed; create a new one', 'threads');
    const m = this.model;
    const sizes = this.shardSizes(batch);
    const shards = sizes.length;
    if (shards < 2) return trainer.evaluateBatch(inputs, targets, indices, from, batch, true);
    for (const layer of m.layers) {
      if (layer instanceof RecurrentLayer && layer.initial) throw new UnrollError('option "threads" > 1: the model starts from external states (encoder-decoder); use threads: 1', 'option');
    }
    this.load(inputs, targets, batch);
    if (this.mirror) this.mirror.set(m.store.values);
    let start = from + sizes[0];
    // The main thread's shard is samples 0 … sizes[0] − 1 of the batch; each worker draws dropout
    // masks for its samples' positions with the main thread's pass count (Stack.maskEpoch).
    m.stack.maskSampleOffset = 0;
    for (let s = 1; s < shards; s++) {
      const h = this.handles[s - 1];
      for (let i = 0; i < sizes[s]; i++) h.indices[i] = indices[start + i];
      h.control[CTRL.count] = sizes[s];
      h.control[CTRL.training] = m.training ? 1 : 0;
      h.control[CTRL.start] = start - from;
      h.control[CTRL.maskEpoch] = m.stack.maskEpoch;
      this.command(h, CMD.step);
      start += sizes[s];
    }
    let loss0 = 0;
    let failure: unknown = null;
    try {
      loss0 = trainer.evaluateBatch(inputs, targets, indices, from, sizes[0], true);
    } catch (e) {
      failure = e;
    }
    // Always collect every worker, so none is left running into the next step.
    for (let s = 1; s < shards; s++) {
      try { this.wait(this.handles[s - 1]); } catch (e) { failure ??= e; }
    }
    if (failure) throw failure;

    const k = m.backend;
    const n = this.n;
    if (this.loss === 'ssr') {
      let loss = loss0;
      for (let s = 1; s < shards; s++) {
        const h = this.handles[s - 1];
        k.axpy(n, 1, h.grads, 0, m.store.grads, 0);
        loss += h.result[0];
      }
      return loss;
    }
    // Mean losses: the batch mean is the weighted mean of the shard means.
    const weights: number[] = [];
    start = from;
    for (let s = 0; s < shards; s++) { weights.push(this.weight(inputs, indices, start, sizes[s])); start += sizes[s]; }
    const total = weights.reduce((a, b) => a + b, 0);
    if (total === 0) return 0;
    let loss = (weights[0] / total) * loss0;
    k.scale(n, weights[0] / total, m.store.grads, 0);
    for (let s = 1; s < shards; s++) {
      const h = this.handles[s - 1];
      k.axpy(n, weights[s] / total, h.grads, 0, m.store.grads, 0);
      loss += (weights[s] / total) * h.result[0];
    }
    return loss;
  }

  /**
   * Ends the workers (idempotent): the supervisor terminates them (in their Atomics.wait too). No command asks
   * them to leave by themselves: a worker that ended before the supervisor heard of the stop would look dead.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.group.stop();
    for (const h of this.handles) h.port.close();
  }
}

/** A worker's own error (caught and posted by worker.ts, or a failure to load it) as the main thread throws it. */
function failed(message: string): UnrollError {
  return new UnrollError(`training worker failed: ${message}`, 'threads');
}

/**
 * Copies the outputs of the shard just run by `model` (its `y`, for its `batch` samples and
 * `steps`) into the whole batch's output `out`, at sample `start` of `total` samples whose longest
 * sequence has `totalSteps` steps.
 */
export function copyShardOutputs(model: Network, out: Float32Array | Float64Array, start: number, total: number, totalSteps: number): void {
  const K = model.outputSize;
  const Bs = model.batch;
  const y = model.y;
  if (model.outputMode !== 'sequence') {
    for (let i = 0; i < Bs * K; i++) out[start * K + i] = y[i];
    return;
  }
  for (let t = 0; t < totalSteps; t++) {
    for (let b = 0; b < Bs; b++) {
      const dst = (t * total + start + b) * K;
      if (t < model.steps) for (let o = 0; o < K; o++) out[dst + o] = y[(t * Bs + b) * K + o];
      else for (let o = 0; o < K; o++) out[dst + o] = 0;
    }
  }
}

export interface ParallelPredictorOptions {
  /** Threads (the main thread and threads − 1 workers). @default 2 */
  threads?: number;
}

/**
 * Batch-parallel inference (Node.js only): each batch is split across worker threads holding
 * replicas of the model, which read its current parameters at every call. Same outputs as
 * `model.predict` up to float32 rounding. Call `close()` when done (workers never keep a process alive).
 */
export class ParallelPredictor {
  private readonly dp: DataParallel;

  constructor(readonly model: Network, options: ParallelPredictorOptions = {}) {
    checkOptions(options, { threads: is.positiveInt }, { where: 'ParallelPredictor' });
    this.dp = new DataParallel(model, 'mse', checkThreads(options.threads ?? 2));
  }

  /** Outputs of samples `indices[from .. from+batch)` of a packed set, in `model.y`'s layout (see DataParallel.forward). */
  forward(set: SequenceSet, indices: ArrayLike<number>, from: number, batch: number): { y: Float32Array | Float64Array; steps: number } {
    return this.dp.forward(set, indices, from, batch);
  }

  /** Like `model.predict`: one K-vector per sample ('last'), or per valid step of each sample ('sequence'). */
  predict(x: SequenceInput, options: { batchSize?: number } = {}): number[][] | number[][][] {
    const m = this.model;
    const o = checkOptions<{ batchSize?: number }>(options, PREDICT_OPTION_SPEC, { where: 'ParallelPredictor.predict' });
    const set = toSequenceSet(x, m.inputSize, 'x');
    const batchSize = o.batchSize ?? 256;
    const K = m.outputSize;
    const order = Int32Array.from({ length: set.count }, (_, i) => i);
    const out: (number[] | number[][])[] = [];
    for (let from = 0; from < set.count; from += batchSize) {
      const B = Math.min(batchSize, set.count - from);
      const { y } = this.forward(set, order, from, B);
      for (let b = 0; b < B; b++) {
        if (m.outputMode === 'last') out.push(Array.from(y.subarray(b * K, (b + 1) * K)));
        else {
          const steps: number[][] = [];
          for (let t = 0; t < set.lengths[from + b]; t++) steps.push(Array.from(y.subarray((t * B + b) * K, (t * B + b + 1) * K)));
          out.push(steps);
        }
      }
    }
    return out as number[][] | number[][][];
  }

  /** Ends the workers (idempotent). */
  close(): void {
    this.dp.close();
  }
}
