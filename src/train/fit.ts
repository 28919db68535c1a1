/**
 * The fit loop: epochs of seeded-shuffled mini-batches, a validation split taken from the END of
 * the data (a split by time, never random), a history of losses, early stopping that restores
 * the best weights, callbacks, and an AbortSignal.
 */
import type { Network } from '../nn/model.js';
import { toSequenceSet, toTargetArray, type SequenceInput, type SequenceSet, type TargetInput } from '../nn/sequences.js';
import { UnrollError, badOption } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { checkOptions, is, type KeyRules, type Spec } from '../util/options.js';
import { LOSS_NAMES } from './losses.js';
import { OPTIMIZER_NAMES, type Optimizer, type OptimizerState } from './optimizers.js';
import { everyMinutesMs } from './checkpoint-rules.js';
import { createSchedule, type ScheduleOptions, type ScheduleState } from './schedules.js';
import { Trainer, type TargetSet, type TrainerOptions } from './trainer.js';

export interface EpochLog {
  epoch: number;
  loss: number;
  valLoss?: number;
  /** Global gradient norm of the epoch's last batch. */
  gradNorm: number;
  /** The learning rate the epoch ran with (changes under a `schedule`). */
  learningRate?: number;
}

export interface FitOptions extends TrainerOptions {
  /** @default 100 */
  epochs?: number;
  /** @default 32 */
  batchSize?: number;
  /** Shuffle the order of samples each epoch (seeded). @default true */
  shuffle?: boolean;
  /** Seed for shuffling. @default 42 */
  seed?: number;
  /** Fraction of samples, taken from the end, held out for validation. @default 0 */
  validationSplit?: number;
  /** Explicit validation data (instead of validationSplit). */
  validationData?: { x: SequenceInput; y: TargetInput };
  /** Stop when the monitored loss has not improved for this many epochs, and restore the best weights. */
  earlyStopping?: EarlyStoppingOptions;
  /** Learning-rate schedule, applied between epochs (see schedules.ts). @default none */
  schedule?: ScheduleOptions;
  /** Called after every epoch; returning `false` stops training there (`history.stoppedByCallback`). */
  onEpochEnd?: (log: EpochLog) => unknown;
  onBatchEnd?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
  signal?: AbortSignal;
  /**
   * Divergence: stop with an error when an epoch's loss exceeds `factor` times the loss before
   * the first update (a non-finite loss always stops). `{}` uses a factor of 1000; the Forecaster and
   * the CLI turn it on. @default off
   */
  divergence?: { factor?: number } | false;
  /**
   * Checkpoints: `save` receives the whole training state at every epoch end (and, with
   * `everyMinutes`, after the first batch that ends that long after the last save); `resume` continues
   * from such a state. A resumed run gives the same weights, bit for bit, as an uninterrupted one.
   * Node's `fileCheckpoints(dir)` (train/checkpoint.ts) writes them to a folder atomically.
   */
  checkpoint?: CheckpointOptions;
}

export interface CheckpointOptions {
  save: (state: TrainingState) => void;
  /** Also save mid-epoch when this many minutes have passed since the last save. */
  everyMinutes?: number;
  /** A state saved by an earlier run of the same training (same model, data and settings). */
  resume?: TrainingState | null;
  /** Clock for `everyMinutes` (for tests). @default Date.now */
  now?: () => number;
  /** Called once `resume` has been checked against this run and applied, with where training continues. */
  onResume?: (from: { epoch: number; batch: number }) => void;
}

/**
 * Everything the fit loop needs to continue where it stopped: the weights, the optimizer's moments,
 * the shuffling generator, the sample order, the dropout pass count, the position in the data
 * (epochs done, batches of the next epoch done and their loss so far), the history and the
 * early-stopping state. `key` identifies the run (model, data and settings), so a state is never
 * applied to a different one.
 */
export interface TrainingState {
  key: string;
  epoch: number;
  batch: number;
  weights: Float64Array;
  /** One state per optimizer of the task (a Seq2Seq has two). */
  optimizers: OptimizerState[];
  rng: { state: number; spareNormal: number | null };
  order: Int32Array;
  maskEpoch: number;
  lossSum: number;
  lossWeight: number;
  history: History;
  best: number;
  bestWeights: Float64Array | null;
  sinceBest: number;
  /** Loss of the first batch before any update (for the divergence check). */
  startLoss: number | null;
  /**
   * With a learning-rate schedule: the rate in use when the state was taken and the schedule's own
   * state (a plateau's best loss and counters); null without a schedule.
   */
  schedule?: (ScheduleState & { learningRate: number }) | null;
}


export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Smallest decrease that counts as an improvement. @default 0 */
  minDelta?: number;
  /** @default 'valLoss' when there is validation data, else 'loss' */
  monitor?: 'loss' | 'valLoss';
}

export interface History {
  epochs: EpochLog[];
  /** The epoch whose weights the model holds at the end (after early-stopping restore). */
  bestEpoch: number;
  stoppedEarly: boolean;
  aborted: boolean;
  /** True when `onEpochEnd` returned false. */
  stoppedByCallback: boolean;
}

/** The options every training loop shares (RNN.fit, Seq2Seq.fit), with their rules. */
export const LOOP_OPTION_SPEC: Spec = {
  epochs: is.positiveInt,
  batchSize: is.positiveInt,
  shuffle: is.boolean,
  seed: is.number,
  validationSplit: is.range(0, 1, false, true),
  validationData: is.object,
  earlyStopping: is.object,
  schedule: is.object,
  onEpochEnd: is.function,
  onBatchEnd: is.function,
  signal: is.described((v) => (v !== null && typeof v === 'object' && typeof (v as AbortSignal).aborted === 'boolean' ? null : 'x'), 'an AbortSignal'),
  // Objects (a pinball spec, a custom loss) are checked key by key by resolveLoss.
  loss: (v) => ((LOSS_NAMES as readonly unknown[]).includes(v) || (typeof v === 'object' && v !== null && !Array.isArray(v))
    ? null : `one of ${LOSS_NAMES.join(', ')}, { type: 'pinball', quantiles: [...] }, or an object with compute(batch)`),
  optimizer: is.either(is.oneOf(...OPTIMIZER_NAMES), is.object),
  clip: is.object,
  threads: is.positiveInt,
  checkpoint: is.object,
  divergence: is.described((v) => (v === false || (v !== null && typeof v === 'object' && !Array.isArray(v)) ? null : 'x'), 'false or { factor }'),
};

/** Checks fit options (unknown keys, types, sub-objects) for `where` ('fit', 'Seq2Seq.fit', …). */
export function checkFitOptions(options: unknown, where: string, cannot?: Record<string, string>): FitOptions {
  const o = checkOptions<FitOptions>(options, LOOP_OPTION_SPEC, { where, cannot });
  checkOptions(o.earlyStopping, { patience: is.positiveInt, minDelta: is.nonNegative, monitor: is.oneOf('loss', 'valLoss') }, { where, prefix: 'earlyStopping.' });
  if (o.earlyStopping && o.earlyStopping.patience === undefined) badOption('earlyStopping.patience', undefined, 'a positive integer');
  checkOptions(o.clip, { globalNorm: is.positive, value: is.positive }, { where, prefix: 'clip.' });
  checkOptions(o.validationData, { x: is.array, y: is.array }, { where, prefix: 'validationData.' });
  checkOptions(o.checkpoint, {
    save: is.function, everyMinutes: is.number, resume: is.either(is.object, is.oneOf(null)), now: is.function, onResume: is.function,
  } satisfies KeyRules<CheckpointOptions>, { where, prefix: 'checkpoint.' });
  if (o.validationData && o.validationSplit) badOption('validationSplit', o.validationSplit, '0 or nothing when validationData is given (one source of validation data)');
  return o;
}

/** Packs targets for a model: class indices for classification losses, numbers otherwise. */
export function toTargetSet(model: Network, set: SequenceSet, y: TargetInput, classification: boolean, what = 'y'): TargetSet {
  const perStep = model.outputMode === 'sequence';
  if (!classification) {
    return { values: toTargetArray(y, model.outputSize, set, perStep, what), classes: null, steps: perStep ? set.maxSteps : 1 };
  }
  const raw = toTargetArray(y, 1, set, perStep, what);
  const classes = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (!Number.isInteger(c) || c < 0 || c >= model.outputSize) {
      throw new UnrollError(`${what}: class labels must be integers in [0, ${model.outputSize - 1}] (outputSize = number of classes), got ${c}`, 'input');
    }
    classes[i] = c;
  }
  return { values: null, classes, steps: perStep ? set.maxSteps : 1 };
}

/** Samples [from, to) of a data set and its targets. */
export function subset(set: SequenceSet, targets: TargetSet, from: number, to: number): [SequenceSet, TargetSet] {
  const per = set.maxSteps * set.inputSize;
  const s: SequenceSet = { count: to - from, maxSteps: set.maxSteps, inputSize: set.inputSize, data: set.data.subarray(from * per, to * per), lengths: set.lengths.subarray(from, to) };
  const tPer = targets.steps * (targets.classes ? 1 : (targets.values!.length / (set.count * targets.steps)));
  const t: TargetSet = {
    steps: targets.steps,
    values: targets.values ? targets.values.subarray(from * tPer, to * tPer) : null,
    classes: targets.classes ? targets.classes.subarray(from * targets.steps, to * targets.steps) : null,
  };
  return [s, t];
}

/**
 * What a training loop trains: one network through a Trainer, or an encoder-decoder (Seq2Seq).
 * The loop only orders samples, calls these, and keeps the books.
 */
export interface LoopTask {
  /** Samples to train on, and held out for validation (0 = none). */
  readonly trainCount: number;
  readonly valCount: number;
  /** The optimizers whose learning rate a schedule sets. */
  readonly optimizers: readonly Optimizer[];
  /** Global gradient norm of the last step. */
  readonly lastGradNorm: number;
  /** One training step on training samples order[from .. from+B); returns the batch loss. */
  trainStep(order: Int32Array, from: number, batch: number): number;
  /** The loss on validation samples order[from .. from+B), no update. */
  valLoss(order: Int32Array, from: number, batch: number): number;
  /** Running averages of batch losses, weighted as the loss defines (see LossAverage). */
  average(part: 'train' | 'val'): LossAverage;
  /** A copy of every trained parameter, and putting such a copy back (early stopping). */
  snapshot(): Float64Array;
  restore(weights: Float64Array): void;
  close(): void;
  /** For checkpoints: the dropout pass count (dropout masks depend on it), read and set. */
  dropoutPass?: { get(): number; set(pass: number): void };
  /** For checkpoints: a fingerprint of the model and data (what a checkpoint must match). */
  fingerprint?(): string;
  /** The loss's name ('ssr' sums over batches; the divergence check scales by the batch count). */
  lossName?: string;
}

/**
 * The shared training loop: epochs of seeded-shuffled mini-batches, validation after each epoch,
 * a learning-rate schedule, early stopping that restores the best weights, callbacks (one of which
 * may stop training) and an AbortSignal honoured between batches. `options` were checked by
 * checkFitOptions.
 */
export function trainLoop(task: LoopTask, options: FitOptions): History {
  checkFitOptions(options, 'trainLoop');
  const epochs = options.epochs ?? 100;
  const batchSize = options.batchSize ?? 32;
  const hasVal = task.valCount > 0;
  const rng = new Rng(options.seed ?? 42);
  const order = Int32Array.from({ length: task.trainCount }, (_, i) => i);
  const valOrder = Int32Array.from({ length: task.valCount }, (_, i) => i);
  const history: History = { epochs: [], bestEpoch: 0, stoppedEarly: false, aborted: false, stoppedByCallback: false };
  const es = options.earlyStopping;
  const monitor = es?.monitor ?? (hasVal ? 'valLoss' : 'loss');
  if (es && monitor === 'valLoss' && !hasVal) badOption('earlyStopping.monitor', 'valLoss', "'loss', or give validationSplit / validationData");
  const base = task.optimizers[0]?.learningRate ?? 0;
  const schedule = options.schedule ? createSchedule(options.schedule, base, epochs, hasVal) : null;
  let best = Infinity;
  let bestWeights: Float64Array | null = null;
  let sinceBest = 0;
  let lastLog: EpochLog | null = null;
  let startLoss: number | null = null;
  const batches = Math.ceil(task.trainCount / batchSize);

  const ck = options.checkpoint;
  if (ck !== undefined && typeof ck.save !== 'function') badOption('checkpoint.save', ck.save, 'a function receiving the training state');
  const everyMs = everyMinutesMs(ck?.everyMinutes);
  const now = ck?.now ?? Date.now;
  const key = ck ? runKey(task, options, batchSize, epochs) : '';
  let firstEpoch = 1;
  let firstBatch = 0;
  let resumedLoss: [number, number] | null = null;
  if (ck?.resume) {
    const r = ck.resume;
    if (r.key !== key) throw new UnrollError('checkpoint: it was saved by a different training run (another model, data or settings); expected the same command and data, or start afresh without resume', 'checkpoint');
    const weights = task.snapshot();
    if (r.weights.length !== weights.length || r.order.length !== order.length || r.optimizers.length !== task.optimizers.length) {
      throw new UnrollError('checkpoint: its weights, optimizers or sample order do not fit this model and data', 'checkpoint');
    }
    task.restore(r.weights);
    task.optimizers.forEach((opt, i) => opt.loadState(r.optimizers[i]));
    rng.setState(r.rng);
    order.set(r.order);
    task.dropoutPass?.set(r.maskEpoch);
    if (schedule) {
      // The key holds the schedule, so a run with one was saved with its state.
      if (!r.schedule) throw new UnrollError('checkpoint: it holds no learning-rate schedule state, but this run has a schedule; start afresh without resume', 'checkpoint');
      for (const opt of task.optimizers) opt.learningRate = r.schedule.learningRate;
      schedule.setState(r.schedule);
    }
    history.epochs.push(...r.history.epochs.map((e) => ({ ...e })));
    history.bestEpoch = r.history.bestEpoch;
    best = r.best;
    bestWeights = r.bestWeights ? Float64Array.from(r.bestWeights) : null;
    sinceBest = r.sinceBest;
    startLoss = r.startLoss;
    lastLog = history.epochs[history.epochs.length - 1] ?? null;
    firstEpoch = r.epoch + 1;
    firstBatch = r.batch;
    if (r.batch > 0) resumedLoss = [r.lossSum, r.lossWeight];
    if (r.history.stoppedEarly) { history.stoppedEarly = true; firstEpoch = epochs + 1; }
    ck.onResume?.({ epoch: r.epoch, batch: r.batch });
  }
  let lastSave = now();
  const save = (epoch: number, batch: number, loss: LossAverage | null): void => {
    if (!ck) return;
    ck.save({
      key, epoch, batch, weights: task.snapshot(), optimizers: task.optimizers.map((o) => o.saveState()),
      rng: rng.getState(), order: Int32Array.from(order), maskEpoch: task.dropoutPass?.get() ?? 0,
      lossSum: loss ? loss.sum : 0, lossWeight: loss ? loss.weight : 0,
      history: { ...history, epochs: history.epochs.map((e) => ({ ...e })) },
      best, bestWeights: bestWeights ? Float64Array.from(bestWeights) : null, sinceBest, startLoss,
      schedule: schedule ? { learningRate: task.optimizers[0].learningRate, ...schedule.getState() } : null,
    });
    lastSave = now();
  };

  try {
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
      if (options.signal?.aborted) { history.aborted = true; break; }
      const resumingMidEpoch = epoch === firstEpoch && firstBatch > 0;
      // A mid-epoch checkpoint already holds the rate this epoch's schedule step chose.
      if (schedule && !resumingMidEpoch) {
        const watched = schedule.monitor === 'valLoss' ? lastLog?.valLoss : lastLog?.loss;
        const lr = schedule.next(epoch - 1, task.optimizers[0].learningRate, watched);
        for (const opt of task.optimizers) opt.learningRate = lr;
      }
      const learningRate = task.optimizers[0]?.learningRate ?? 0;
      // A mid-epoch checkpoint holds the order this epoch was already shuffled into.
      if ((options.shuffle ?? true) && !resumingMidEpoch) rng.shuffle(order);
      const epochLoss = task.average('train');
      if (resumingMidEpoch && resumedLoss) { epochLoss.sum = resumedLoss[0]; epochLoss.weight = resumedLoss[1]; }
      for (let i = resumingMidEpoch ? firstBatch : 0; i < batches; i++) {
        // A stop request is honoured between batches, not only between epochs.
        if (options.signal?.aborted) { history.aborted = true; break; }
        const from = i * batchSize;
        const B = Math.min(batchSize, task.trainCount - from);
        const loss = task.trainStep(order, from, B);
        // The loss before the first update is where the run started (a summed loss scales by the batch count).
        startLoss ??= task.lossName === 'ssr' ? loss * batches : loss;
        epochLoss.add(loss, order, from, B);
        options.onBatchEnd?.({ epoch, batch: i + 1, batches, loss });
        if (i + 1 < batches && now() - lastSave >= everyMs) save(epoch - 1, i + 1, epochLoss);
      }
      if (history.aborted) break;
      const log: EpochLog = { epoch, loss: epochLoss.value(), gradNorm: task.lastGradNorm, learningRate };
      if (hasVal) {
        const v = task.average('val');
        for (let from = 0; from < task.valCount; from += batchSize) {
          const B = Math.min(batchSize, task.valCount - from);
          v.add(task.valLoss(valOrder, from, B), valOrder, from, B);
        }
        log.valLoss = v.value();
      }
      checkDivergence(log, startLoss ?? log.loss, options.divergence);
      history.epochs.push(log);
      lastLog = log;
      const verdict = options.onEpochEnd?.(log);

      const current = monitor === 'valLoss' ? log.valLoss! : log.loss;
      let stop = false;
      if (current < best - (es?.minDelta ?? 0)) {
        best = current;
        history.bestEpoch = epoch;
        sinceBest = 0;
        if (es) bestWeights = task.snapshot();
      } else if (es && ++sinceBest >= es.patience) {
        history.stoppedEarly = true;
        stop = true;
      }
      save(epoch, 0, null);
      if (stop) break;
      if (verdict === false) { history.stoppedByCallback = true; break; }
    }
  } finally {
    task.close();
  }
  if (bestWeights) task.restore(bestWeights);
  else history.bestEpoch = history.epochs.length;
  return history;
}

/**
 * Stops a run whose loss has exploded relative to where it started: an epoch loss more than
 * `factor` (default 1000) times the loss before the first update means the updates are
 * throwing the weights away, even if every number is still finite (`lr 1e6`). The weights are
 * useless by then, so the caller must not save them over a good model.
 */
function checkDivergence(log: EpochLog, startLoss: number, d: FitOptions['divergence']): void {
  if (d === false || d === undefined) return;
  const factor = d?.factor ?? 1000;
  if (!(typeof factor === 'number' && factor > 1)) badOption('divergence.factor', factor, 'a number above 1');
  const worst = Math.max(log.loss, log.valLoss ?? -Infinity);
  const floor = Math.max(Math.abs(startLoss), 1e-12);
  if (worst > factor * floor) {
    throw new UnrollError(
      `training diverged: the loss in epoch ${log.epoch} is ${worst.toExponential(3)}, more than ${factor} times the ${startLoss.toExponential(3)} it started from; ` +
      'nothing was saved from this run. Try a smaller learning rate or gradient clipping.', 'diverged');
  }
}

/** A fingerprint of the run (model, data, settings other than the epoch count) for checkpoints. */
function runKey(task: LoopTask, options: FitOptions, batchSize: number, epochs: number): string {
  const opts = task.optimizers.map((o) => {
    const { step: _step, ...rest } = o.describe() as Record<string, unknown>;
    return rest;
  });
  return JSON.stringify({
    task: task.fingerprint?.() ?? null, n: task.trainCount, val: task.valCount, batchSize, shuffle: options.shuffle ?? true, seed: options.seed ?? 42,
    optimizers: opts, clip: options.clip ?? null, earlyStopping: options.earlyStopping ?? null, threads: options.threads ?? 1, loss: task.lossName ?? null,
    // Only with a schedule, so the keys of checkpoints saved without one stay as they were.
    ...(options.schedule ? { schedule: scheduleKey(options.schedule, epochs) } : {}),
  });
}

/** A schedule's settings as they take effect (a cosine's default half-period is the run's epoch count). */
function scheduleKey(s: ScheduleOptions, epochs: number): ScheduleOptions {
  return s.type === 'cosine' ? { ...s, tMax: s.tMax ?? epochs } : { ...s };
}

/** A hash of the numbers of a data set (FNV-1a over their bytes). */
export function dataHash(...arrays: (Float64Array | Int32Array | null | undefined)[]): number {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    if (!a) continue;
    const words = new Uint32Array(a.buffer, a.byteOffset, a.byteLength >>> 2);
    for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 16777619) >>> 0;
  }
  return h;
}

/** The training loop of one network (RNN.fit). */
export function fit(model: Network, x: SequenceInput, y: TargetInput, options: FitOptions = {}): History {
  const o = checkFitOptions(options, 'fit');
  const batchSize = o.batchSize ?? 32;
  const split = o.validationSplit ?? 0;
  const trainer = new Trainer(model, { loss: o.loss, optimizer: o.optimizer, clip: o.clip, threads: o.threads });
  const all = toSequenceSet(x, model.inputSize, 'x');
  const allTargets = toTargetSet(model, all, y, trainer.loss.classification, 'y');
  let train: [SequenceSet, TargetSet] = [all, allTargets];
  let val: [SequenceSet, TargetSet] | null = null;
  if (o.validationData) {
    const vx = toSequenceSet(o.validationData.x, model.inputSize, 'validationData.x');
    val = [vx, toTargetSet(model, vx, o.validationData.y, trainer.loss.classification, 'validationData.y')];
  } else if (split > 0) {
    const cut = splitPoint(all.count, split);
    train = subset(all, allTargets, 0, cut);
    val = subset(all, allTargets, cut, all.count);
  }
  const [trainX, trainY] = train;
  model.plan(Math.min(batchSize, Math.max(trainX.count, val ? val[0].count : 0)), Math.max(trainX.maxSteps, val ? val[0].maxSteps : 0));
  const perStep = model.outputMode === 'sequence';
  const summed = trainer.loss.name === 'ssr';
  return trainLoop({
    trainCount: trainX.count,
    valCount: val ? val[0].count : 0,
    optimizers: [trainer.optimizer],
    get lastGradNorm() { return trainer.lastGradNorm; },
    trainStep: (order, from, B) => trainer.step(trainX, trainY, order, from, B),
    valLoss: (order, from, B) => trainer.evaluateBatch(val![0], val![1], order, from, B, false),
    average: (part) => new LossAverage(summed, perStep ? (part === 'train' ? trainX : val![0]).lengths : null),
    snapshot: () => Float64Array.from(model.store.values),
    restore: (w) => { model.store.values.set(w); },
    close: () => trainer.close(),
    dropoutPass: { get: () => model.stack.maskEpoch, set: (p) => { model.stack.maskEpoch = p; } },
    fingerprint: () => JSON.stringify({ config: model.config, t: trainX.maxSteps, d: trainX.inputSize, data: dataHash(trainX.data, trainX.lengths, trainY.values, trainY.classes, val?.[0].data, val?.[1].values, val?.[1].classes) }),
    lossName: trainer.loss.name,
  }, o);
}

/** Where a validation split of `fraction` starts; the validation samples are the last ones. */
export function splitPoint(count: number, fraction: number): number {
  const nVal = Math.floor(count * fraction);
  if (nVal < 1 || nVal >= count) badOption('validationSplit', fraction, `a fraction that leaves at least 1 sample on each side (there are ${count} samples)`);
  return count - nVal;
}

/**
 * The loss of a whole epoch (or data set) from batch losses: SSR adds up; a mean loss (MSE,
 * cross-entropy) is the mean over every target that counted, so each batch weighs by its number of
 * targets — in many-to-many mode, by the valid steps of its samples, not by its sample count.
 */
export class LossAverage {
  sum = 0;
  weight = 0;

  /** `lengths`: the samples' lengths when every step is a target (many-to-many), else null. */
  constructor(private readonly summed: boolean, private readonly lengths: Int32Array | null) {}

  add(loss: number, order: ArrayLike<number>, from: number, batch: number): void {
    if (this.summed) { this.sum += loss; return; }
    let w = batch;
    if (this.lengths) { w = 0; for (let b = 0; b < batch; b++) w += this.lengths[order[from + b]]; }
    this.sum += loss * w;
    this.weight += w;
  }

  value(): number {
    return this.summed ? this.sum : this.sum / this.weight;
  }
}

function evaluateSet(trainer: Trainer, set: SequenceSet, targets: TargetSet, order: Int32Array, batchSize: number): number {
  const total = new LossAverage(trainer.loss.name === 'ssr', trainer.model.outputMode === 'sequence' ? set.lengths : null);
  for (let from = 0; from < set.count; from += batchSize) {
    const B = Math.min(batchSize, set.count - from);
    total.add(trainer.evaluateBatch(set, targets, order, from, B, false), order, from, B);
  }
  return total.value();
}

/** Mean loss of a model on data (no update). */
export function evaluate(model: Network, x: SequenceInput, y: TargetInput, options: TrainerOptions & { batchSize?: number } = {}): number {
  checkOptions(options, { loss: LOOP_OPTION_SPEC.loss, batchSize: is.positiveInt }, { where: 'evaluate',
    cannot: { optimizer: 'evaluate makes no update', clip: 'evaluate makes no update', threads: 'evaluate runs on one thread' } });
  const trainer = new Trainer(model, { loss: options.loss });
  const set = toSequenceSet(x, model.inputSize, 'x');
  const targets = toTargetSet(model, set, y, trainer.loss.classification, 'y');
  return evaluateSet(trainer, set, targets, Int32Array.from({ length: set.count }, (_, i) => i), options.batchSize ?? 256);
}
