/**
 * The fit loop: epochs of seeded-shuffled mini-batches, a validation split taken from the END of
 * the data (a split by time, never random), a history of losses, early stopping that restores
 * the best weights, callbacks, and an AbortSignal.
 */
import type { Network } from '../nn/model.js';
import { toSequenceSet, toTargetArray, type SequenceInput, type SequenceSet, type TargetInput } from '../nn/sequences.js';
import { UnrollError, badOption } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { checkOptions, is, type Spec } from '../util/options.js';
import { LOSS_NAMES } from './losses.js';
import { OPTIMIZER_NAMES, type Optimizer } from './optimizers.js';
import { createSchedule, type ScheduleOptions } from './schedules.js';
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
};

/** Checks fit options (unknown keys, types, sub-objects) for `where` ('fit', 'Seq2Seq.fit', …). */
export function checkFitOptions(options: unknown, where: string, cannot?: Record<string, string>): FitOptions {
  const o = checkOptions<FitOptions>(options, LOOP_OPTION_SPEC, { where, cannot });
  checkOptions(o.earlyStopping, { patience: is.positiveInt, minDelta: is.nonNegative, monitor: is.oneOf('loss', 'valLoss') }, { where, prefix: 'earlyStopping.' });
  if (o.earlyStopping && o.earlyStopping.patience === undefined) badOption('earlyStopping.patience', undefined, 'a positive integer');
  checkOptions(o.clip, { globalNorm: is.positive, value: is.positive }, { where, prefix: 'clip.' });
  checkOptions(o.validationData, { x: is.array, y: is.array }, { where, prefix: 'validationData.' });
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
}

/**
 * The shared training loop: epochs of seeded-shuffled mini-batches, validation after each epoch,
 * a learning-rate schedule, early stopping that restores the best weights, callbacks (one of which
 * may stop training) and an AbortSignal honoured between batches. `options` were checked by
 * checkFitOptions.
 */
export function trainLoop(task: LoopTask, options: FitOptions): History {
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
  const batches = Math.ceil(task.trainCount / batchSize);

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      if (options.signal?.aborted) { history.aborted = true; break; }
      if (schedule) {
        const watched = schedule.monitor === 'valLoss' ? lastLog?.valLoss : lastLog?.loss;
        const lr = schedule.next(epoch - 1, task.optimizers[0].learningRate, watched);
        for (const opt of task.optimizers) opt.learningRate = lr;
      }
      const learningRate = task.optimizers[0]?.learningRate ?? 0;
      if (options.shuffle ?? true) rng.shuffle(order);
      const epochLoss = task.average('train');
      for (let i = 0; i < batches; i++) {
        // A stop request is honoured between batches, not only between epochs.
        if (options.signal?.aborted) { history.aborted = true; break; }
        const from = i * batchSize;
        const B = Math.min(batchSize, task.trainCount - from);
        const loss = task.trainStep(order, from, B);
        epochLoss.add(loss, order, from, B);
        options.onBatchEnd?.({ epoch, batch: i + 1, batches, loss });
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
      history.epochs.push(log);
      lastLog = log;
      const verdict = options.onEpochEnd?.(log);

      const current = monitor === 'valLoss' ? log.valLoss! : log.loss;
      if (current < best - (es?.minDelta ?? 0)) {
        best = current;
        history.bestEpoch = epoch;
        sinceBest = 0;
        if (es) bestWeights = task.snapshot();
      } else if (es && ++sinceBest >= es.patience) {
        history.stoppedEarly = true;
        break;
      }
      if (verdict === false) { history.stoppedByCallback = true; break; }
    }
  } finally {
    task.close();
  }
  if (bestWeights) task.restore(bestWeights);
  else history.bestEpoch = history.epochs.length;
  return history;
}

/** The training loop of one network (RNN.fit). */
export function fit(model: Network, x: SequenceInput, y: TargetInput, options: FitOptions = {}): History {
  const o = checkFitOptions(options, 'fit');
  const batchSize = o.batchSize ?? 32;
  const split = o.validationSplit ?? 0;
  const trainer = new Trainer(model, o);
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
  private sum = 0;
  private weight = 0;

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
  const trainer = new Trainer(model, options);
  const set = toSequenceSet(x, model.inputSize, 'x');
  const targets = toTargetSet(model, set, y, trainer.loss.classification, 'y');
  return evaluateSet(trainer, set, targets, Int32Array.from({ length: set.count }, (_, i) => i), options.batchSize ?? 256);
}
