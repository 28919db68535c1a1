/**
 * Training of the RNN forecaster on every series up to its training end:
 *
 *   each series ─ feature scaler fitted on rows [0, end) ─ target scaler (the value, the return
 *   p_t / p_{t−1} − 1 standard-scaled, or the classes {0, 1}) ─ sliding windows of `lookback` rows
 *   ─ windows of all series ordered by relative origin date (so the validation split, the last part,
 *   is the most recent period of every series, never a random sample) ─ RNN.fit (Adam, clipping,
 *   early stopping on the validation loss, an optional learning-rate schedule; the MSE, or with
 *   intervalMethod 'quantile' or 'cqr' the pinball loss at the τ of rnn/quantiles.ts).
 *
 * The last rows of each training span (calibration.ts: calibrationStart) make no window: they are
 * held out from training and early stopping for the interval calibration (unless `run.holdOut` is
 * false: the refit of calibrationRefit, which trains on every row once the intervals are calibrated).
 * The scalers are fitted on the whole training span.
 *
 * It sets the state's scalers, seen input ranges, network, training log and error scale; the
 * intervals are calibrated afterwards (calibration.ts).
 */
import { createScaler, scalerFromJSON } from '../../data/scaler.js';
import { makeWindows, type WindowSource } from '../../data/windows.js';
import type { CellKind } from '../../nn/cells.js';
import type { SequenceSet } from '../../nn/sequences.js';
import type { Backend } from '../../kernels/index.js';
import type { CheckpointOptions, EpochLog, History } from '../../train/fit.js';
import { RNN, type RNNOptions } from '../../train/model.js';
import { UnrollError } from '../../util/errors.js';
import { outputCount, stepCount } from './options.js';
import { learnsQuantiles, outputBlocks, quantileTaus } from './quantiles.js';
import { resolveBudget, type Budget } from './budget.js';
import { calibrationStart } from './calibration.js';
import { assertRecursiveFeatures, resolveEnd, type Prepared } from './series.js';
import type { ForecasterState } from './state.js';

export interface FitOptions {
  trainEnd?: number | Record<string, number>;
  onEpochEnd?: (log: EpochLog) => void;
  onBatchEnd?: (i: { epoch: number; batch: number; batches: number; loss: number }) => void;
  signal?: AbortSignal;
  checkpoint?: CheckpointOptions;
  /**
   * Told the epochs and patience before training starts ('auto' resolved from the windows), and which
   * run it is: 'calibration' (the network whose held-out errors calibrate the intervals, trained
   * again afterwards with calibrationRefit), 'refit' (that second run, on every row) or 'final'.
   */
  onBudget?: (budget: Budget, run: TrainingRun) => void;
}

export type TrainingRun = 'calibration' | 'refit' | 'final';

export interface FitReport {
  history: History;
  /** Training windows, and the row (per series) where the training span ends. */
  windows: number;
  trainEnd: Record<string, number>;
  /** Per series, the first row of the span held out for interval calibration (= trainEnd when none; calibration.ts). */
  calibrationStart: Record<string, number>;
}

/** Trains the network of `f` on `series`; returns the report and each series' training end (feature rows). */
export function trainForecaster(f: ForecasterState, series: Prepared[], options: FitOptions, backend: Backend | undefined, run: { holdOut: boolean; name: TrainingRun } = { holdOut: true, name: 'final' }): FitReport {
  const o = f.options;
  const trainEnd: Record<string, number> = Object.create(null);
  const calStart: Record<string, number> = Object.create(null);
  const sources: WindowSource[] = [];
  f.scalers = Object.create(null);
  f.seenRange = Object.create(null);
  let positive = true;
  for (const p of series) {
    if (o.strategy === 'recursive' && o.predict !== 'direction') assertRecursiveFeatures(p.specs, p.target);
    const end = resolveEnd(options.trainEnd, p);
    trainEnd[p.id] = end;
    // Windows (training and validation) end before the rows held out for the intervals.
    const windowEnd = run.holdOut ? calibrationStart(f, end) : end;
    calStart[p.id] = windowEnd;
    for (let i = 0; i < end; i++) if (!(p.y[i] > 0)) positive = false;
    const fs = createScaler(o.scaler).fit(p.fm.data, p.fm.cols, { span: { start: 0, end } });
    const ts = createScaler(o.predict === 'value' ? o.scaler : 'standard');
    if (o.predict === 'value') ts.fit(p.z, 1, { span: { start: 0, end } });
    else if (o.predict === 'direction') ts.fit([0, 1], 1);
    else {
      const r = new Float64Array(end - 1);
      for (let i = 1; i < end; i++) r[i - 1] = p.z[i] / p.z[i - 1] - 1;
      if (r.length < 2) throw new UnrollError(`series "${p.id}": too short to learn returns from (${end} training rows)`, 'data');
      ts.fit(r, 1);
    }
    f.scalers[p.id] = { features: fs.toJSON(), target: ts.toJSON() };
    const scaledX = fs.transform(p.fm.data, p.fm.cols);
    f.seenRange[p.id] = columnRange(scaledX, p.fm.cols, end);
    sources.push({ x: { rows: p.fm.rows, cols: p.fm.cols, data: scaledX }, y: p.z, span: { start: 0, end: windowEnd }, name: p.id, source: p.fm.source, lines: p.fm.lines });
  }
  const direction = o.predict === 'direction';
  const outputs = outputCount(o);
  const w = makeWindows(sources, { lookback: o.lookback, minLength: o.minLength, horizon: stepCount(o), target: o.predict });
  // A quantile forecaster's Q output blocks all learn the same targets (each at its own τ).
  const blocks = outputBlocks(o);
  // Scale the targets with each series' target scaler.
  const targets = new Float64Array(w.targets.length);
  const tScalers = series.map((p) => scalerFromJSON(f.scalers[p.id].target));
  for (let i = 0; i < w.count; i++) for (let h = 0; h < w.horizon; h++) targets[i * w.horizon + h] = direction ? w.targets[i * w.horizon + h] : tScalers[w.sourceIndex[i]].transformValue(w.targets[i * w.horizon + h], 0);

  // Order windows by origin date across series, so the validation split (the last part) is the
  // most recent period of every series, never a random sample.
  const order = Array.from({ length: w.count }, (_, i) => i);
  const rel = (i: number): number => w.end[i] / Math.max(1, calStart[series[w.sourceIndex[i]].id]);
  order.sort((a, b) => rel(a) - rel(b) || a - b);
  const set = reorder(w, order);
  const y: number[][] | number[] = direction ? order.map((i) => targets[i]) : order.map((i) => {
    const row = Array.from(targets.subarray(i * w.horizon, (i + 1) * w.horizon));
    return blocks === 1 ? row : Array.from({ length: blocks }, () => row).flat();
  });

  const { cell, ...modelRest } = o.model;
  f.model = new RNN({ ...(modelRest as object), cell: cell as CellKind, inputSize: w.features, outputSize: outputs, seed: o.training.seed, ...(backend ? { backend } : {}) } as RNNOptions);
  const t = o.training;
  const budget = resolveBudget(t, w.count);
  f.budget = budget;
  options.onBudget?.(budget, run.name);
  const history = f.model.fit(set, y, {
    epochs: budget.epochs, batchSize: t.batchSize, loss: direction ? 'crossEntropy' : learnsQuantiles(o) ? { type: 'pinball', quantiles: quantileTaus(o.intervalLevel) } : 'mse', optimizer: { type: 'adam', learningRate: t.learningRate },
    clip: t.clipNorm > 0 ? { globalNorm: t.clipNorm } : undefined, seed: t.seed,
    ...(t.schedule ? { schedule: t.schedule } : {}),
    validationSplit: t.validationSplit > 0 ? t.validationSplit : undefined,
    earlyStopping: budget.patience > 0 && t.validationSplit > 0 ? { patience: budget.patience } : undefined,
    onEpochEnd: options.onEpochEnd, onBatchEnd: options.onBatchEnd, signal: options.signal, checkpoint: options.checkpoint,
    // A loss 1000 times its start stops the run (issue 14): a diverged model is never returned or saved.
    divergence: { factor: 1000 },
    threads: t.threads,
  });
  f.epochs = history.epochs;
  f.errorScale = positive ? 'relative' : 'absolute';
  return { history, windows: w.count, trainEnd, calibrationStart: calStart };
}

function reorder(w: { count: number; steps: number; features: number; x: Float64Array; lengths: Int32Array }, order: number[]): SequenceSet {
  const per = w.steps * w.features;
  const data = new Float64Array(w.count * per);
  const lengths = new Int32Array(w.count);
  order.forEach((src, dst) => { data.set(w.x.subarray(src * per, (src + 1) * per), dst * per); lengths[dst] = w.lengths[src]; });
  return { count: w.count, maxSteps: w.steps, inputSize: w.features, data, lengths };
}

function columnRange(x: Float64Array, cols: number, rows: number): { min: number[]; max: number[] } {
  const min = new Array<number>(cols).fill(Infinity);
  const max = new Array<number>(cols).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const v = x[r * cols + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  return { min, max };
}
