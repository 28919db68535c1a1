/**
 * One training step on one batch, allocation-free:
 *   zero grads → forward → loss and dL/dy → BPTT → finiteness check → clip → optimizer update.
 *
 * Before every update the current parameters are copied to a planned snapshot buffer, so when a
 * loss or gradient turns NaN/Infinity the step is refused, the last good weights are restored and
 * an UnrollError('diverged') says what happened.
 */
import type { Buf } from '../kernels/index.js';
import type { Network } from '../nn/model.js';
import type { SequenceSet } from '../nn/sequences.js';
import { UnrollError, badOption } from '../util/errors.js';
import { resolveLoss, type Loss, type LossBatch, type LossSpec, type SequenceLoss } from './losses.js';
import { createOptimizer, type Optimizer, type OptimizerName, type OptimizerOptions } from './optimizers.js';
import { DataParallel, checkThreads } from './parallel.js';
import { checkOptions, is } from '../util/options.js';

export interface ClipOptions {
  /** Rescale all gradients together when their global L2 norm exceeds this. */
  globalNorm?: number;
  /** Clamp every gradient component to [−value, value]. */
  value?: number;
}

export interface TrainerOptions {
  /** @default 'mse' */
  loss?: LossSpec | Loss | SequenceLoss;
  /** @default { type: 'adam', learningRate: 0.001 } */
  optimizer?: OptimizerOptions | OptimizerName;
  /** Gradient clipping. @default none */
  clip?: ClipOptions;
  /**
   * Threads for training steps (Node.js only): with 2 or more, each batch is split across
   * worker threads (data parallelism; see parallel.ts) and the gradients are summed before one
   * optimizer step, which equals single-threaded training up to float32 summation order. Needs a
   * built-in loss. Call `close()` (fit does) to end the workers; they never keep a process alive.
   * @default 1
   */
  threads?: number;
}

/** Targets of a whole data set, laid out per sample: [N, steps, K] (steps = 1 for 'last'). */
export interface TargetSet {
  readonly values: Float64Array | null;
  readonly classes: Int32Array | null;
  /** Steps per sample in `values`/`classes` (1 for many-to-one, maxSteps for many-to-many). */
  readonly steps: number;
}

export class Trainer {
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  readonly clip: ClipOptions;
  /** Global gradient norm of the last step, before clipping. */
  lastGradNorm = 0;
  private snapshot: Buf;
  private lb: LossBatch;
  private readonly threads: number;
  private parallel: DataParallel | null = null;

  constructor(readonly model: Network, options: TrainerOptions = {}) {
    checkOptions(options, { loss: is.any, optimizer: is.either(is.string, is.object), clip: is.object, threads: is.number }, { where: 'Trainer' });
    checkOptions(options.clip, { globalNorm: is.number, value: is.number }, { where: 'Trainer', prefix: 'clip.' });
    this.loss = resolveLoss(options.loss, 'mse');
    this.optimizer = createOptimizer(model.backend, model.store.count, options.optimizer ?? 'adam');
    this.clip = options.clip ?? {};
    const { globalNorm, value } = this.clip;
    if (globalNorm !== undefined && !(typeof globalNorm === 'number' && globalNorm > 0)) badOption('clip.globalNorm', globalNorm, 'a positive number');
    if (value !== undefined && !(typeof value === 'number' && value > 0)) badOption('clip.value', value, 'a positive number');
    if (this.loss.classification && model.outputMode === 'last' && model.outputSize < 2) {
      badOption('loss', this.loss.name, 'a regression loss, or outputSize ≥ 2 (one logit per class) for crossEntropy');
    }
    this.threads = checkThreads(options.threads);
    if (this.threads > 1 && !this.loss.spec) badOption('threads', this.threads, "1 with a custom loss object (threads > 1 needs a built-in loss: 'mse', 'ssr', 'crossEntropy', 'pinball' or pinball(levels))");
    this.snapshot = model.backend.alloc(model.store.count);
    const k = model.backend;
    this.lb = { backend: k, rows: 0, size: model.outputSize, y: model.y, dy: model.dy, target: new Float64Array(0), classes: new Int32Array(0), mask: new Uint8Array(0), probs: k.alloc(0) };
  }

  /** Plans loss buffers for batches of up to B samples of up to T steps. */
  private planLoss(batch: number, steps: number): void {
    const rows = this.model.outputMode === 'sequence' ? batch * steps : batch;
    const K = this.model.outputSize;
    if (this.lb.mask.length < rows) {
      this.lb.target = new Float64Array(rows * K);
      this.lb.classes = new Int32Array(rows);
      this.lb.mask = new Uint8Array(rows);
      this.lb.probs = this.model.backend.alloc(rows * K);
    }
    this.lb.y = this.model.y;
    this.lb.dy = this.model.dy;
  }

  /** Copies the targets of the loaded batch into the loss buffers (time-major for 'sequence'). */
  private loadTargets(targets: TargetSet, indices: ArrayLike<number>, from: number): void {
    const m = this.model;
    const K = m.outputSize;
    const B = m.batch;
    const T = m.steps;
    const seq = m.outputMode === 'sequence';
    const rows = seq ? T * B : B;
    this.planLoss(B, T);
    this.lb.rows = rows;
    for (let b = 0; b < B; b++) {
      const n = indices[from + b];
      for (let t = 0; t < (seq ? T : 1); t++) {
        const r = seq ? t * B + b : b;
        const valid = !seq || t < m.lengths[b];
        this.lb.mask[r] = valid ? 1 : 0;
        const src = (n * targets.steps + t) * (targets.classes ? 1 : K);
        if (targets.classes) this.lb.classes[r] = valid ? targets.classes[src] : -1;
        else if (targets.values) for (let o = 0; o < K; o++) this.lb.target[r * K + o] = valid ? targets.values[src + o] : 0;
      }
    }
  }

  /**
   * Loads batch `indices[from .. from+B)` and runs forward + loss. Returns the loss. With
   * `backward`, also forms the gradients (zeroed first).
   */
  evaluateBatch(inputs: SequenceSet, targets: TargetSet, indices: ArrayLike<number>, from: number, batch: number, backward: boolean): number {
    const m = this.model;
    m.loadBatch(inputs, indices, from, batch);
    this.loadTargets(targets, indices, from);
    m.forward();
    const loss = this.loss.compute(this.lb);
    if (backward) {
      m.backend.fill(m.store.count, 0, m.store.grads, 0);
      m.backward(false);
    }
    return loss;
  }

  /** One full training step. Returns the batch loss (before the update). */
  step(inputs: SequenceSet, targets: TargetSet, indices: ArrayLike<number>, from: number, batch: number): number {
    const m = this.model;
    const k = m.backend;
    const n = m.store.count;
    let loss: number;
    // Dropout (where configured) is on for training steps only, never for evaluation.
    m.training = true;
    try {
      if (this.threads > 1) {
        this.parallel ??= new DataParallel(m, this.loss.spec!, this.threads);
        loss = this.parallel.gradients(this, inputs, targets, indices, from, batch);
      } else loss = this.evaluateBatch(inputs, targets, indices, from, batch, true);
    } finally {
      m.training = false;
    }
    const sq = k.sumSquares(n, m.store.grads, 0);
    this.lastGradNorm = Math.sqrt(sq);
    if (!Number.isFinite(loss) || !Number.isFinite(sq)) {
      throw new UnrollError(
        `training diverged: the ${Number.isFinite(loss) ? 'gradient norm' : 'loss'} became ${Number.isFinite(loss) ? sq : loss}; ` +
        'the last good weights are kept. Try a smaller learningRate, gradient clipping (clip.globalNorm), or scaled inputs.',
        'diverged');
    }
    if (this.clip.value !== undefined) k.clip(n, this.clip.value, m.store.grads, 0);
    if (this.clip.globalNorm !== undefined) {
      const norm = this.clip.value !== undefined ? Math.sqrt(k.sumSquares(n, m.store.grads, 0)) : this.lastGradNorm;
      if (norm > this.clip.globalNorm) k.scale(n, this.clip.globalNorm / norm, m.store.grads, 0);
    }
    k.copy2d(1, n, m.store.values, 0, n, this.snapshot, 0, n);
    this.optimizer.step(m.store.values, m.store.grads);
    if (!k.allFinite(n, m.store.values, 0)) {
      k.copy2d(1, n, this.snapshot, 0, n, m.store.values, 0, n);
      throw new UnrollError('training diverged: an update made a weight non-finite; the last good weights are kept. Try a smaller learningRate or gradient clipping.', 'diverged');
    }
    return loss;
  }

  /** Ends the worker threads of a `threads` > 1 trainer (idempotent; a no-op otherwise). */
  close(): void {
    this.parallel?.close();
    this.parallel = null;
  }
}
