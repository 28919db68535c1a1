/**
 * The fit loop: epochs of seeded-shuffled mini-batches, a validation split taken from the END of
 * the data (a split by time, never random), a history of losses, early stopping that restores
 * the best weights, callbacks, and an AbortSignal.
 */
import type { Network } from '../nn/model.js';
import { toSequenceSet, toTargetArray, type SequenceInput, type SequenceSet, type TargetInput } from '../nn/sequences.js';
import { UnrollError, badOption } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { Trainer, type TargetSet, type TrainerOptions } from './trainer.js';

export interface EpochLog {
  epoch: number;
  loss: number;
  valLoss?: number;
  /** Global gradient norm of the epoch's last batch. */
  gradNorm: number;
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
  earlyStopping?: { patience: number; minDelta?: number; monitor?: 'loss' | 'valLoss' };
  onEpochEnd?: (log: EpochLog) => void;
  onBatchEnd?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
  signal?: AbortSignal;
}

export interface History {
  epochs: EpochLog[];
  /** The epoch whose weights the model holds at the end (after early-stopping restore). */
  bestEpoch: number;
  stoppedEarly: boolean;
  aborted: boolean;
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

function subset(set: SequenceSet, targets: TargetSet, from: number, to: number): [SequenceSet, TargetSet] {
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

export function fit(model: Network, x: SequenceInput, y: TargetInput, options: FitOptions = {}): History {
  const epochs = options.epochs ?? 100;
  if (!Number.isInteger(epochs) || epochs < 1) badOption('epochs', options.epochs, 'a positive integer');
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) badOption('batchSize', options.batchSize, 'a positive integer');
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) badOption('validationSplit', options.validationSplit, 'a number in [0, 1)');
  if (options.earlyStopping && !(Number.isInteger(options.earlyStopping.patience) && options.earlyStopping.patience >= 1)) {
    badOption('earlyStopping.patience', options.earlyStopping.patience, 'a positive integer');
  }

  const trainer = new Trainer(model, options);
  const all = toSequenceSet(x, model.inputSize, 'x');
  const allTargets = toTargetSet(model, all, y, trainer.loss.classification, 'y');
  let train: [SequenceSet, TargetSet] = [all, allTargets];
  let val: [SequenceSet, TargetSet] | null = null;
  if (options.validationData) {
    const vx = toSequenceSet(options.validationData.x, model.inputSize, 'validationData.x');
    val = [vx, toTargetSet(model, vx, options.validationData.y, trainer.loss.classification, 'validationData.y')];
  } else if (split > 0) {
    const nVal = Math.floor(all.count * split);
    if (nVal < 1 || nVal >= all.count) badOption('validationSplit', split, `a fraction that leaves at least 1 sample on each side (there are ${all.count} samples)`);
    const cut = all.count - nVal;
    train = subset(all, allTargets, 0, cut);
    val = subset(all, allTargets, cut, all.count);
  }
  const [trainX, trainY] = train;
  model.plan(Math.min(batchSize, Math.max(trainX.count, val ? val[0].count : 0)), Math.max(trainX.maxSteps, val ? val[0].maxSteps : 0));

  const rng = new Rng(options.seed ?? 42);
  const order = Int32Array.from({ length: trainX.count }, (_, i) => i);
  const valOrder = val ? Int32Array.from({ length: val[0].count }, (_, i) => i) : null;
  const history: History = { epochs: [], bestEpoch: 0, stoppedEarly: false, aborted: false };
  const monitor = options.earlyStopping?.monitor ?? (val ? 'valLoss' : 'loss');
  if (monitor === 'valLoss' && !val && options.earlyStopping) badOption('earlyStopping.monitor', 'valLoss', "'loss', or give validationSplit / validationData");
  let best = Infinity;
  let bestWeights: Float64Array | null = null;
  let sinceBest = 0;
  const batches = Math.ceil(trainX.count / batchSize);

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      if (options.signal?.aborted) { history.aborted = true; break; }
      if (options.shuffle ?? true) rng.shuffle(order);
      const epochLoss = new LossAverage(trainer, model);
      for (let i = 0; i < batches; i++) {
        // A stop request is honoured between batches, not only between epochs.
        if (options.signal?.aborted) { history.aborted = true; break; }
        const from = i * batchSize;
        const B = Math.min(batchSize, trainX.count - from);
        const loss = trainer.step(trainX, trainY, order, from, B);
        epochLoss.add(loss, trainX, order, from, B);
        options.onBatchEnd?.({ epoch, batch: i + 1, batches, loss });
      }
      if (history.aborted) break;
      const log: EpochLog = { epoch, loss: epochLoss.value(), gradNorm: trainer.lastGradNorm };
      if (val && valOrder) log.valLoss = evaluateSet(trainer, val[0], val[1], valOrder, batchSize);
      history.epochs.push(log);
      options.onEpochEnd?.(log);

      const current = monitor === 'valLoss' ? log.valLoss! : log.loss;
      if (current < best - (options.earlyStopping?.minDelta ?? 0)) {
        best = current;
        history.bestEpoch = epoch;
        sinceBest = 0;
        if (options.earlyStopping) bestWeights = Float64Array.from(model.store.values);
      } else if (options.earlyStopping && ++sinceBest >= options.earlyStopping.patience) {
        history.stoppedEarly = true;
        break;
      }
    }
  } finally {
    trainer.close();
  }
  if (bestWeights) model.store.values.set(bestWeights);
  else history.bestEpoch = history.epochs.length;
  return history;
}

/**
 * The loss of a whole epoch (or data set) from batch losses: SSR adds up; a mean loss (MSE,
 * cross-entropy) is the mean over every target that counted, so each batch weighs by its number of
 * targets — in many-to-many mode, by the valid steps of its samples, not by its sample count.
 */
class LossAverage {
  private sum = 0;
  private weight = 0;
  private readonly summed: boolean;
  private readonly perStep: boolean;

  constructor(trainer: Trainer, model: Network) {
    this.summed = trainer.loss.name === 'ssr';
    this.perStep = model.outputMode === 'sequence';
  }

  add(loss: number, set: SequenceSet, order: ArrayLike<number>, from: number, batch: number): void {
    if (this.summed) { this.sum += loss; return; }
    let w = batch;
    if (this.perStep) { w = 0; for (let b = 0; b < batch; b++) w += set.lengths[order[from + b]]; }
    this.sum += loss * w;
    this.weight += w;
  }

  value(): number {
    return this.summed ? this.sum : this.sum / this.weight;
  }
}

function evaluateSet(trainer: Trainer, set: SequenceSet, targets: TargetSet, order: Int32Array, batchSize: number): number {
  const total = new LossAverage(trainer, trainer.model);
  for (let from = 0; from < set.count; from += batchSize) {
    const B = Math.min(batchSize, set.count - from);
    total.add(trainer.evaluateBatch(set, targets, order, from, B, false), set, order, from, B);
  }
  return total.value();
}

/** Mean loss of a model on data (no update). */
export function evaluate(model: Network, x: SequenceInput, y: TargetInput, options: TrainerOptions & { batchSize?: number } = {}): number {
  const trainer = new Trainer(model, options);
  const set = toSequenceSet(x, model.inputSize, 'x');
  const targets = toTargetSet(model, set, y, trainer.loss.classification, 'y');
  return evaluateSet(trainer, set, targets, Int32Array.from({ length: set.count }, (_, i) => i), options.batchSize ?? 256);
}
