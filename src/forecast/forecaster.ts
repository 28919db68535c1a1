/**
 * The Forecaster: the seeds' stock job as one object.
 *
 *   prices ─ features (levels, returns, OHLC, log volume) ─ scalers fitted on the training span only
 *          ─ sliding windows of `lookback` days (shorter for companies with short histories)
 *          ─ RNN (LSTM by default) ─ next value or next return ─ inverse scaling ─ price
 *
 * Multi-step forecasts are recursive (each prediction is fed back as the next input, seed 004's
 * `[0.5, 0.6, 0.7] → 0.72`, then `[0.6, 0.7, 0.72] → …`) or direct (the network has one output per
 * step ahead). Prediction intervals are split-conformal per horizon step (intervals.ts): order
 * statistics of the model's own h-step errors from the origins in the last part of its training span
 * (the calibration span, which early stopping watches but gradients never see), never on test data.
 *
 * Several series (companies) train one model together, each with its own scalers and its own
 * history length.
 */
import { checkOptions, is } from '../util/options.js';
import { buildFeatures, normalizeFeatures, type FeatureMatrix, type FeatureSpec, type FeatureSpecObject } from '../data/features.js';
import { frameLength, getColumn, type Frame, type SeriesSet } from '../data/frame.js';
import { createScaler, scalerFromJSON, type Scaler, type ScalerJSON, type ScalerKind } from '../data/scaler.js';
import { makeWindows, type WindowSource } from '../data/windows.js';
import type { CellKind } from '../nn/cells.js';
import type { Backend } from '../kernels/index.js';
import type { SequenceSet } from '../nn/sequences.js';
import type { CheckpointOptions, EpochLog, History } from '../train/fit.js';
import { RNN, type ModelJSON, type RNNOptions } from '../train/model.js';
import { explain } from '../train/explain.js';
import { UnrollError, badOption, describe, inFile } from '../util/errors.js';
import { calibrateIntervals, forecastError, intervalAt, type ErrorScale, type IntervalBound, type IntervalCalibration } from './intervals.js';
import { checkSize, listSome, type LimitName } from '../util/limits.js';
import { validateForecasterFile } from './model-file.js';

/**
 * 'value': the next (scaled) price; 'return': the next return; 'direction': whether the next move
 * is up (a two-class classifier, "invest or not" in CMU 11-785), trained with softmax cross-entropy.
 */
export type ForecastTarget = 'value' | 'return' | 'direction';
export type ForecastStrategy = 'recursive' | 'direct';

export interface ForecasterOptions {
  /** Column to forecast. @default 'close' when present, else the frame's only column */
  target?: string;
  /** Input features (see data/features.ts). @default [target] */
  features?: FeatureSpec[];
  /** Days (steps) of history per window. @default 30 */
  lookback?: number;
  /** Shortest history a window may have (for short series). @default lookback */
  minLength?: number;
  /** What the network predicts: the next (scaled) value, or the next return. @default 'value' */
  predict?: ForecastTarget;
  /** Multi-step strategy. @default 'recursive' */
  strategy?: ForecastStrategy;
  /** Steps ahead the network outputs with strategy 'direct'. @default 1 */
  horizon?: number;
  /** Feature scaling, fitted on the training span of each series. @default 'minmax' (0..1, as in the seeds) */
  scaler?: ScalerKind;
  /** The network. @default { cell: 'lstm', hiddenSize: 32, numLayers: 1 } */
  model?: Partial<Pick<RNNOptions, 'hiddenSize' | 'numLayers' | 'activation' | 'learnInitialState'>> & { cell?: CellKind | string } & Record<string, unknown>;
  /** Training. */
  training?: {
    /** @default 30 */ epochs?: number;
    /** @default 64 */ batchSize?: number;
    /** Adam learning rate. @default 0.003 */ learningRate?: number;
    /** Fraction of training windows (the latest) used for validation, early stopping and interval calibration. @default 0.1 */
    validationSplit?: number;
    /** Early-stopping patience in epochs (0 = off). @default 6 */ patience?: number;
    /** Gradient clipping by global norm. @default 1 */ clipNorm?: number;
    /** @default 42 */ seed?: number;
    /** Worker threads for data-parallel training (Node only; 1 = none). @default 1 */ threads?: number;
  };
  /** Coverage of prediction intervals. @default 0.9 */
  intervalLevel?: number;
}

type Resolved = Required<Omit<ForecasterOptions, 'model' | 'training' | 'features' | 'target'>> & {
  target: string | null;
  features: FeatureSpecObject[] | null;
  model: NonNullable<ForecasterOptions['model']>;
  training: Required<NonNullable<ForecasterOptions['training']>>;
};

/** Input data: one frame, several named frames, or a SeriesSet from parseCsvSeries. */
export type ForecastData = Frame | SeriesSet | Record<string, Frame>;

interface Series {
  id: string;
  frame: Frame;
}

interface Prepared {
  id: string;
  target: string;
  specs: FeatureSpecObject[];
  /** Frame rows dropped at the start by the features (1 when a return feature is used). */
  offset: number;
  fm: FeatureMatrix;
  /** Target column values aligned with the feature rows. */
  y: Float64Array;
  dates: string[];
}

export interface SeriesScalers {
  features: ScalerJSON;
  target: ScalerJSON;
}

/** One-step-ahead predictions over a span of one series. */
export interface OneStepResult {
  id: string;
  dates: string[];
  actual: Float64Array;
  predicted: Float64Array;
  /** The actual value the day before each point (the naive forecast). */
  previous: Float64Array;
  /** The one-step interval of each prediction at `intervalLevel` (null where it could not be given; absent for a direction classifier). */
  lower?: (number | null)[];
  upper?: (number | null)[];
}

export interface ForecastPoint {
  step: number;
  value: number;
  /** Interval bounds at `intervalLevel`; null (with a note) when there were too few calibration errors. */
  lower: number | null;
  upper: number | null;
  note?: string;
}

/** Steps ahead calibrated for a recursive forecaster; later steps widen the last one by √h. */
export const CALIBRATED_STEPS = 20;
/** Origins (over all series) whose h-step errors calibrate the intervals. */
const CALIBRATION_ORIGINS = 600;

export const FORECASTER_FORMAT = 'unroll-forecaster';
export const FORECASTER_VERSION = 1;

export function isSeriesSet(d: unknown): d is SeriesSet {
  return !!d && typeof d === 'object' && Array.isArray((d as SeriesSet).ids) && typeof (d as SeriesSet).series === 'object';
}
function isFrame(d: unknown): d is Frame {
  return !!d && typeof d === 'object' && Array.isArray((d as Frame).dates) && typeof (d as Frame).columns === 'object';
}

export function toSeriesList(data: ForecastData): Series[] {
  if (isFrame(data)) return [{ id: 'series', frame: data }];
  if (isSeriesSet(data)) return data.ids.map((id) => ({ id, frame: data.series[id] }));
  if (data && typeof data === 'object') {
    const ids = Object.keys(data);
    if (ids.length > 0 && ids.every((id) => isFrame((data as Record<string, Frame>)[id]))) return ids.map((id) => ({ id, frame: (data as Record<string, Frame>)[id] }));
  }
  throw new UnrollError('forecast data: expected a Frame, a SeriesSet (from parseCsvSeries) or an object of named Frames', 'data');
}

/** The documented limit (util/limits.ts) of each integer option, checked before anything is allocated. */
const INT_LIMITS: Record<string, LimitName> = {
  horizon: 'horizon', lookback: 'lookback', minLength: 'lookback', 'training.epochs': 'epochs', 'training.batchSize': 'batchSize',
  'training.patience': 'epochs', 'training.threads': 'threads',
};

function resolveOptions(o: ForecasterOptions): Resolved {
  checkOptions(o, {
    // Keys with is.any get their range checks (and messages) below.
    target: is.string, features: is.array, lookback: is.any, minLength: is.any, predict: is.any, strategy: is.any,
    horizon: is.any, scaler: is.any, model: is.object, training: is.object, intervalLevel: is.any,
  }, { where: 'Forecaster' });
  checkOptions(o.training, {
    epochs: is.any, batchSize: is.any, learningRate: is.positive, validationSplit: is.any, patience: is.any,
    clipNorm: is.positive, seed: is.number, threads: is.any,
  }, { where: 'Forecaster', prefix: 'training.' });
  const int = (name: string, v: unknown, dflt: number, min = 1): number => {
    const x = v ?? dflt;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) badOption(name, v, `an integer ≥ ${min}`);
    const limit = INT_LIMITS[name];
    if (limit) checkSize(`option "${name}"`, x, limit, min);
    return x;
  };
  const predict = o.predict ?? 'value';
  if (predict !== 'value' && predict !== 'return' && predict !== 'direction') badOption('predict', predict, "'value', 'return' or 'direction'");
  const strategy = o.strategy ?? 'recursive';
  if (strategy !== 'recursive' && strategy !== 'direct') badOption('strategy', strategy, "'recursive' or 'direct'");
  const horizon = int('horizon', o.horizon, 1);
  if (strategy === 'recursive' && horizon !== 1) badOption('horizon', horizon, "1 with strategy 'recursive' (use strategy 'direct' for a multi-output network)");
  const lookback = int('lookback', o.lookback, 30);
  const minLength = int('minLength', o.minLength, lookback);
  if (minLength > lookback) badOption('minLength', minLength, `at most lookback (${lookback})`);
  const scaler = o.scaler ?? 'minmax';
  if (!['minmax', 'standard', 'none'].includes(scaler)) badOption('scaler', scaler, "'minmax', 'standard' or 'none'");
  const t = o.training ?? {};
  const level = o.intervalLevel ?? 0.9;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) badOption('intervalLevel', level, 'a number in (0, 1)');
  const vs = t.validationSplit ?? 0.1;
  if (typeof vs !== 'number' || !(vs >= 0 && vs < 0.9)) badOption('training.validationSplit', vs, 'a number in [0, 0.9)');
  return {
    target: o.target ?? null,
    features: o.features ? normalizeFeatures(o.features) : null,
    lookback, minLength, predict, strategy, horizon, scaler, intervalLevel: level,
    model: { cell: 'lstm', hiddenSize: 32, numLayers: 1, ...(o.model ?? {}) },
    training: {
      epochs: int('training.epochs', t.epochs, 30), batchSize: int('training.batchSize', t.batchSize, 64),
      learningRate: t.learningRate ?? 0.003, validationSplit: vs, patience: int('training.patience', t.patience, 6, 0),
      clipNorm: t.clipNorm ?? 1, seed: t.seed ?? 42, threads: int('training.threads', t.threads, 1),
    },
  };
}

function defaultTarget(frame: Frame): string {
  if (frame.names.includes('close')) return 'close';
  if (frame.names.length === 1) return frame.names[0];
  throw new UnrollError(`${frame.source}: which column should be forecast? It has ${listSome(frame.names)}; expected option "target"`, 'option');
}

export interface FitReport {
  history: History;
  /** Training windows, and the row (per series) where the training span ends. */
  windows: number;
  trainEnd: Record<string, number>;
}

export class Forecaster {
  readonly options: Resolved;
  model: RNN | null = null;
  /** Per-series scalers, fitted on each series' training span. */
  scalers: Record<string, SeriesScalers> = Object.create(null);
  /** Signed h-step errors on the calibration span: residuals[h−1] = sorted errors on `errorScale`. */
  residuals: number[][] = [];
  /** 'relative' (actual/predicted − 1) for positive series, 'absolute' (actual − predicted) otherwise. */
  errorScale: ErrorScale = 'relative';
  /** Warnings met while forecasting (each said once), e.g. inputs far outside the training range. */
  readonly warnings: string[] = [];
  private readonly onWarning: ((message: string) => void) | undefined;
  private calibrationCache: IntervalCalibration | null = null;
  /** Per series, the range [min, max] of each scaled input column over the training span. */
  seenRange: Record<string, { min: number[]; max: number[] }> = Object.create(null);
  /** Loss by epoch of the last fit. */
  epochs: EpochLog[] = [];

  /** Kernel backend of the network (not saved with the forecaster). @default the reference backend */
  readonly backend: Backend | undefined;

  constructor(options: ForecasterOptions = {}, runtime: { backend?: Backend; onWarning?: (message: string) => void } = {}) {
    this.options = resolveOptions(options);
    this.backend = runtime.backend;
    this.onWarning = runtime.onWarning;
  }

  private warnOnce(message: string): void {
    if (this.warnings.includes(message)) return;
    this.warnings.push(message);
    this.onWarning?.(message);
  }

  private targetName(frame: Frame): string {
    return this.options.target ?? defaultTarget(frame);
  }

  private featureSpecs(frame: Frame): FeatureSpecObject[] {
    return this.options.features ?? normalizeFeatures([this.targetName(frame)]);
  }

  /** Features and target of one series, aligned row by row. */
  private prepare(s: Series): Prepared {
    const specs = this.featureSpecs(s.frame);
    const target = this.targetName(s.frame);
    const fm = buildFeatures(s.frame, specs);
    const col = getColumn(s.frame, target);
    const offset = frameLength(s.frame) - fm.rows;
    return { id: s.id, target, specs, offset, fm, y: col.subarray(offset), dates: fm.dates };
  }

  private get outputs(): number {
    if (this.options.predict === 'direction') return 2;
    return this.options.strategy === 'direct' ? this.options.horizon : 1;
  }

  /** Window targets: the raw value or the raw return at e+k; scaled later by the target scaler. */
  private windowTarget(): ForecastTarget {
    return this.options.predict;
  }

  /**
   * Trains on every series up to `trainEnd` (a row count per series, or a fraction of each series;
   * default: all rows). Scalers are fitted on that span only.
   */
  fit(data: ForecastData, options: { trainEnd?: number | Record<string, number>; onEpochEnd?: (log: EpochLog) => void; onBatchEnd?: (i: { epoch: number; batch: number; batches: number; loss: number }) => void; signal?: AbortSignal; checkpoint?: CheckpointOptions } = {}): FitReport {
    const o = this.options;
    const series = toSeriesList(data).map((s) => this.prepare(s));
    const trainEnd: Record<string, number> = Object.create(null);
    const sources: WindowSource[] = [];
    this.scalers = Object.create(null);
    this.seenRange = Object.create(null);
    let positive = true;
    for (const p of series) {
      if (o.strategy === 'recursive' && o.predict !== 'direction') assertRecursiveFeatures(p.specs, p.target);
      const end = resolveEnd(options.trainEnd, p);
      trainEnd[p.id] = end;
      for (let i = 0; i < end; i++) if (!(p.y[i] > 0)) positive = false;
      const fs = createScaler(o.scaler).fit(p.fm.data, p.fm.cols, { span: { start: 0, end } });
      const ts = createScaler(o.predict === 'value' ? o.scaler : 'standard');
      if (o.predict === 'value') ts.fit(p.y, 1, { span: { start: 0, end } });
      else if (o.predict === 'direction') ts.fit([0, 1], 1);
      else {
        const r = new Float64Array(end - 1);
        for (let i = 1; i < end; i++) r[i - 1] = p.y[i] / p.y[i - 1] - 1;
        if (r.length < 2) throw new UnrollError(`series "${p.id}": too short to learn returns from (${end} training rows)`, 'data');
        ts.fit(r, 1);
      }
      this.scalers[p.id] = { features: fs.toJSON(), target: ts.toJSON() };
      const scaledX = fs.transform(p.fm.data, p.fm.cols);
      this.seenRange[p.id] = columnRange(scaledX, p.fm.cols, end);
      sources.push({ x: { rows: p.fm.rows, cols: p.fm.cols, data: scaledX }, y: p.y, span: { start: 0, end }, name: p.id, source: p.fm.source, lines: p.fm.lines });
    }
    const direction = o.predict === 'direction';
    const w = makeWindows(sources, { lookback: o.lookback, minLength: o.minLength, horizon: direction ? 1 : this.outputs, target: this.windowTarget() });
    // Scale the targets with each series' target scaler.
    const targets = new Float64Array(w.targets.length);
    const tScalers = series.map((p) => scalerFromJSON(this.scalers[p.id].target));
    for (let i = 0; i < w.count; i++) for (let h = 0; h < w.horizon; h++) targets[i * w.horizon + h] = direction ? w.targets[i * w.horizon + h] : tScalers[w.sourceIndex[i]].transformValue(w.targets[i * w.horizon + h], 0);

    // Order windows by origin date across series, so the validation split (the last part) is the
    // most recent period of every series, never a random sample.
    const order = Array.from({ length: w.count }, (_, i) => i);
    const rel = (i: number): number => w.end[i] / Math.max(1, trainEnd[series[w.sourceIndex[i]].id]);
    order.sort((a, b) => rel(a) - rel(b) || a - b);
    const set = reorder(w, order);
    const y: number[][] | number[] = direction ? order.map((i) => targets[i]) : order.map((i) => Array.from(targets.subarray(i * w.horizon, (i + 1) * w.horizon)));

    const { cell, ...modelRest } = o.model;
    this.model = new RNN({ ...(modelRest as object), cell: cell as CellKind, inputSize: w.features, outputSize: this.outputs, seed: o.training.seed, ...(this.backend ? { backend: this.backend } : {}) } as RNNOptions);
    const t = o.training;
    const history = this.model.fit(set, y, {
      epochs: t.epochs, batchSize: t.batchSize, loss: direction ? 'crossEntropy' : 'mse', optimizer: { type: 'adam', learningRate: t.learningRate },
      clip: t.clipNorm > 0 ? { globalNorm: t.clipNorm } : undefined, seed: t.seed,
      validationSplit: t.validationSplit > 0 ? t.validationSplit : undefined,
      earlyStopping: t.patience > 0 && t.validationSplit > 0 ? { patience: t.patience } : undefined,
      onEpochEnd: options.onEpochEnd, onBatchEnd: options.onBatchEnd, signal: options.signal, checkpoint: options.checkpoint,
      // A loss 1000 times its start stops the run (issue 14): a diverged model is never returned or saved.
      divergence: { factor: 1000 },
      threads: t.threads,
    });
    this.epochs = history.epochs;
    this.errorScale = positive ? 'relative' : 'absolute';
    if (!direction) this.calibrate(series, trainEnd);
    return { history, windows: w.count, trainEnd };
  }

  private requireModel(): RNN {
    if (!this.model) throw new UnrollError('the forecaster has no trained model; call fit(data) first (or load a saved forecaster)', 'state');
    return this.model;
  }

  private scalersFor(p: Prepared): { fs: Scaler; ts: Scaler } {
    const s = this.scalers[p.id] ?? (Object.keys(this.scalers).length === 1 ? Object.values(this.scalers)[0] : undefined);
    if (!s) {
      throw new UnrollError(`series "${p.id}" was not in the training data (known: ${listSome(Object.keys(this.scalers))}); expected one of those`, 'data');
    }
    return { fs: scalerFromJSON(s.features), ts: scalerFromJSON(s.target) };
  }

  /**
   * Recursive (or direct) forecasts of `steps` steps from several origins of one series at once.
   * `origins[i]` is the last known feature row; returns predictions [origins × steps] in price units.
   */
  private forecastFrom(p: Prepared, origins: number[], steps: number): Float64Array[] {
    const model = this.requireModel();
    const o = this.options;
    const { fs, ts } = this.scalersFor(p);
    const D = p.fm.cols;
    const T = o.lookback;
    const scaled = fs.transform(p.fm.data, D);
    this.checkRange(p, scaled, origins);
    const out = origins.map(() => new Float64Array(steps));
    if (o.predict === 'direction') {
      if (steps !== 1) throw new UnrollError("a direction classifier (predict: 'direction') says whether the NEXT move is up; it cannot forecast several steps", 'option');
      const logits = predictWindows(model, origins.map((e) => windowAt(scaled, D, T, e, o.minLength, p.id)), D, T);
      // P(up) = softmax(logits)[1]
      logits.forEach((l, i) => { out[i][0] = 1 / (1 + Math.exp(l[0] - l[1])); });
      return out;
    }
    if (o.strategy === 'direct') {
      if (steps > o.horizon) throw new UnrollError(`this forecaster was trained for ${o.horizon} steps ahead (strategy 'direct'); asked for ${steps}`, 'option');
      const pred = predictWindows(model, origins.map((e) => windowAt(scaled, D, T, e, o.minLength, p.id)), D, T);
      origins.forEach((e, i) => {
        for (let h = 0; h < steps; h++) out[i][h] = this.toPrice(ts.inverseValue(pred[i][h], 0), h === 0 ? p.y[e] : out[i][h - 1]);
      });
      return out;
    }
    // Recursive: keep each origin's own window and roll it forward with the predicted value.
    const specs = p.specs;
    assertRecursiveFeatures(specs, p.target);
    const windows = origins.map((e) => windowAt(scaled, D, T, e, o.minLength, p.id));
    const last = origins.map((e) => p.y[e]);
    const prevLevel = origins.map((e) => p.y[e]);
    const diverged = origins.map(() => false);
    for (let h = 0; h < steps; h++) {
      const pred = predictWindows(model, windows, D, T);
      windows.forEach((win, i) => {
        if (diverged[i]) { out[i][h] = NaN; return; }
        const price = this.toPrice(ts.inverseValue(pred[i][0], 0), last[i]);
        out[i][h] = price;
        // The new row of features computed from the predicted price, scaled like the rest.
        const row = specs.map((f, j) => fs.transformValue(featureValue(f, price, prevLevel[i]), j));
        // A path whose price left the domain of its features (e.g. a log-return of a price ≤ 0) has
        // diverged: its later steps are NaN, and its window is no longer fed to the network.
        if (!row.every(Number.isFinite)) { diverged[i] = true; return; }
        prevLevel[i] = price;
        last[i] = price;
        if (win.length < T) {
          win.data.set(row, win.length * D);
          win.length++;
        } else {
          win.data.copyWithin(0, D, T * D);
          win.data.set(row, (T - 1) * D);
        }
      });
    }
    return out;
  }

  /**
   * Warns once when the scaled inputs of the windows ending at `origins` leave the range the scaler
   * saw in training by more than RANGE_MARGIN of its width (e.g. test prices above the training
   * maximum with min-max scaling of levels: the network never saw such inputs).
   */
  private checkRange(p: Prepared, scaled: Float64Array, origins: number[]): void {
    const seen = this.seenRange[p.id];
    if (!seen || origins.length === 0) return;
    const D = p.fm.cols;
    const first = Math.max(0, Math.min(...origins) - this.options.lookback + 1);
    const last = Math.max(...origins);
    for (let j = 0; j < D; j++) {
      const width = Math.max(seen.max[j] - seen.min[j], 1e-12);
      let lo = Infinity, hi = -Infinity;
      for (let r = first; r <= last; r++) { const v = scaled[r * D + j]; if (v < lo) lo = v; if (v > hi) hi = v; }
      const out = Math.max(seen.min[j] - lo, hi - seen.max[j]) / width;
      if (out > RANGE_MARGIN) {
        const name = featureLabel(p.specs[j]);
        this.warnOnce(`input "${name}" of series "${p.id}" goes ${Math.round(out * 100)}% of its training range beyond it (scaled ${lo.toFixed(2)} … ${hi.toFixed(2)}, training ${seen.min[j].toFixed(2)} … ${seen.max[j].toFixed(2)}): the network never saw such values, so its forecasts there are extrapolation. Features of returns or log-returns with standard scaling avoid this.`);
      }
    }
  }

  private toPrice(modelValue: number, lastPrice: number): number {
    return this.options.predict === 'value' ? modelValue : lastPrice * (1 + modelValue);
  }

  /** h-step errors (h = 1 … H) from every origin in the calibration span (the validation part). */
  private calibrate(series: Prepared[], trainEnd: Record<string, number>): void {
    const frac = Math.max(this.options.training.validationSplit, 0.05);
    const spans = series.map((p) => {
      const end = trainEnd[p.id];
      return { p, start: Math.max(this.options.minLength - 1, Math.floor(end * (1 - frac))), end };
    });
    this.residuals = this.errorsOn(spans);
    this.calibrationCache = null;
  }

  /**
   * Re-estimates the prediction intervals from the model's errors over the last `rows` rows of each
   * series. Use it before forecasting past the end of data the model was not trained on (e.g. after
   * a test span): those errors are history by then, and they reflect the latest volatility.
   */
  recalibrate(data: ForecastData, rows: number): void {
    if (!Number.isInteger(rows) || rows < 10) badOption('rows', rows, 'an integer ≥ 10');
    const spans = toSeriesList(data).map((s) => {
      const p = this.prepare(s);
      return { p, start: Math.max(this.options.minLength - 1, p.fm.rows - rows), end: p.fm.rows };
    });
    this.residuals = this.errorsOn(spans);
    this.calibrationCache = null;
  }

  private errorsOn(spans: { p: Prepared; start: number; end: number }[]): number[][] {
    const H = this.options.strategy === 'direct' ? this.options.horizon : CALIBRATED_STEPS;
    const errors: number[][] = Array.from({ length: H }, () => []);
    for (const { p, start, end } of spans) {
      const maxOrigins = Math.max(20, Math.floor(CALIBRATION_ORIGINS / spans.length));
      const origins: number[] = [];
      const stride = Math.max(1, Math.ceil((end - 1 - start) / maxOrigins));
      for (let e = start; e < end - 1; e += stride) origins.push(e);
      if (origins.length === 0) continue;
      const preds = this.forecastFrom(p, origins, H);
      origins.forEach((e, i) => {
        for (let h = 0; h < H && e + 1 + h < end; h++) errors[h].push(forecastError(p.y[e + 1 + h], preds[i][h], this.errorScale));
      });
    }
    return errors.map((r) => r.filter(Number.isFinite).sort((a, b) => a - b));
  }

  /** The per-step conformal calibration of the intervals at the forecaster's level. */
  get calibration(): IntervalCalibration {
    this.calibrationCache ??= calibrateIntervals(this.residuals, this.options.intervalLevel, this.errorScale);
    return this.calibrationCache;
  }

  /** The interval around a point forecast `step` steps ahead (null bounds and a note when it cannot be given). */
  interval(value: number, step: number): IntervalBound {
    return intervalAt(this.calibration, value, step);
  }

  /**
   * For a direction classifier: the probability that the next move of each series is up, from the
   * last row of its data.
   */
  classify(data: ForecastData): Record<string, number> {
    if (this.options.predict !== 'direction') throw new UnrollError("classify() needs a forecaster made with predict: 'direction'", 'option');
    const out: Record<string, number> = Object.create(null);
    for (const s of toSeriesList(data)) {
      const p = this.prepare(s);
      out[p.id] = this.forecastFrom(p, [p.fm.rows - 1], 1)[0][0];
    }
    return out;
  }

  /** Forecasts `steps` steps past the last row of each series, with prediction intervals. */
  forecast(data: ForecastData, steps = 1): Record<string, ForecastPoint[]> {
    if (!Number.isInteger(steps) || steps < 1) badOption('horizon', steps, 'a positive integer');
    checkSize('option "horizon"', steps, 'horizon');
    if (this.options.predict === 'direction') throw new UnrollError("this forecaster predicts the direction of the next move (predict: 'direction'); use classify() for P(up)", 'option');
    const out: Record<string, ForecastPoint[]> = Object.create(null);
    for (const s of toSeriesList(data)) {
      const p = this.prepare(s);
      const [pred] = this.forecastFrom(p, [p.fm.rows - 1], steps);
      const bad = pred.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new UnrollError(`series "${p.id}": the recursive forecast diverged at step ${bad + 1} (the predicted ${p.target} left the range its input features are defined on); forecast fewer steps or use strategy 'direct'`, 'diverged');
      }
      out[p.id] = Array.from(pred, (value, i) => ({ step: i + 1, value, ...this.interval(value, i + 1) }));
    }
    return out;
  }

  /**
   * One-step-ahead predictions for rows [start, end) of each series, each from the actual history
   * before it (the model is not refitted). `start` is a row count or a fraction of the series.
   */
  predictSpan(data: ForecastData, span: { start: number | Record<string, number>; end?: number }): OneStepResult[] {
    const results: OneStepResult[] = [];
    for (const s of toSeriesList(data)) {
      const p = this.prepare(s);
      const start = resolveEnd(span.start, p);
      const end = span.end ?? p.fm.rows;
      if (start < 1 || start >= end) throw new UnrollError(`series "${p.id}": test span [${start}, ${end}) is empty or starts before any history`, 'option');
      const origins: number[] = [];
      for (let r = start; r < end; r++) origins.push(r - 1);
      const preds = this.forecastFrom(p, origins, 1);
      const predicted = Float64Array.from(preds, (q) => q[0]);
      const bounds = this.options.predict === 'direction' ? null : Array.from(predicted, (v) => this.interval(v, 1));
      results.push({
        id: p.id,
        dates: p.dates.slice(start, end),
        actual: p.y.slice(start, end),
        predicted,
        previous: p.y.slice(start - 1, end - 1),
        ...(bounds ? { lower: bounds.map((b) => b.lower), upper: bounds.map((b) => b.upper) } : {}),
      });
    }
    return results;
  }

  /**
   * The glass box on the trained model: ‖∂prediction/∂x_t‖ for each step of the lookback window
   * (oldest first), averaged over the last `count` full windows of the first series. With a basic
   * RNN it shows the seeds' W2^n pattern: the oldest inputs barely move the prediction.
   */
  gradientByStep(data: ForecastData, options: { count?: number } = {}): number[] {
    const model = this.requireModel();
    const p = this.prepare(toSeriesList(data)[0]);
    const { fs } = this.scalersFor(p);
    const D = p.fm.cols;
    const T = this.options.lookback;
    const scaled = fs.transform(p.fm.data, D);
    const count = Math.max(1, Math.min(options.count ?? 50, p.fm.rows - T + 1));
    const sum = new Float64Array(T);
    for (let k = 0; k < count; k++) {
      const end = p.fm.rows - 1 - k;
      const rows: number[][] = [];
      for (let t = end - T + 1; t <= end; t++) rows.push(Array.from(scaled.subarray(t * D, (t + 1) * D)));
      const ex = explain(model, rows);
      ex.sensitivity.forEach((v, t) => (sum[t] += v / count));
    }
    return Array.from(sum);
  }

  /**
   * The unrolled computation of the window ending at row `end` (default: the last row) of the first
   * series: every step's scaled input, every layer's state, ‖∂y/∂x_t‖, the raw output and the price.
   */
  explainWindow(data: ForecastData, end?: number): {
    steps: { t: number; date: string; input: number[]; layers: number[][]; sensitivity: number }[];
    output: number[];
    predicted: number;
  } {
    const model = this.requireModel();
    const p = this.prepare(toSeriesList(data)[0]);
    const { fs, ts } = this.scalersFor(p);
    const D = p.fm.cols;
    const last = end === undefined ? p.fm.rows - 1 : end - p.offset;
    if (!Number.isInteger(last) || last < 0 || last >= p.fm.rows) {
      throw new UnrollError(`option --end ${end} is outside the rows of ${p.fm.source} (expected ${p.offset} to ${p.fm.rows + p.offset - 1})`, 'option');
    }
    const scaled = fs.transform(p.fm.data, D);
    const first = Math.max(0, last - this.options.lookback + 1);
    // The same rule as forecasting: a window shorter than minLength is refused, not explained.
    if (last - first + 1 < this.options.minLength) {
      throw new UnrollError(`series "${p.id}": only ${last - first + 1} rows of history up to row ${last + 1}; the model needs at least ${this.options.minLength}`, 'data');
    }
    const rows: number[][] = [];
    for (let t = first; t <= last; t++) rows.push(Array.from(scaled.subarray(t * D, (t + 1) * D)));
    const ex = explain(model, rows);
    return {
      steps: ex.steps.map((s, i) => ({ t: s.t, date: p.dates[first + i], input: s.input, layers: s.layers, sensitivity: ex.sensitivity[i] })),
      output: ex.output,
      predicted: this.toPrice(ts.inverseValue(ex.output[0], 0), p.y[last]),
    };
  }

  /** The rows of each series as the model sees them (after feature construction), for reports. */
  seriesValues(data: ForecastData): { id: string; dates: string[]; values: Float64Array }[] {
    return toSeriesList(data).map((s) => {
      const p = this.prepare(s);
      return { id: p.id, dates: p.dates, values: p.y };
    });
  }

  toJSON(): ForecasterJSON {
    const model = this.requireModel();
    return {
      format: FORECASTER_FORMAT, version: FORECASTER_VERSION,
      options: { ...this.options, features: this.options.features ?? undefined, target: this.options.target ?? undefined } as ForecasterOptions,
      scalers: this.scalers, residuals: this.residuals, errorScale: this.errorScale, seenRange: this.seenRange, epochs: this.epochs, model: model.toJSON(),
    };
  }

  static fromJSON(json: unknown, options: { source?: string; backend?: Backend; onWarning?: (message: string) => void } = {}): Forecaster {
    const where = options.source ? `forecaster file ${options.source}` : 'forecaster JSON';
    const j = json as Partial<ForecasterJSON> | null;
    if (!j || typeof j !== 'object' || j.format !== FORECASTER_FORMAT) {
      throw new UnrollError(`${where}: not an unroll forecaster (format is ${describe(j && (j as { format?: unknown }).format)}, expected "${FORECASTER_FORMAT}")`, 'model-file');
    }
    if (j.version !== FORECASTER_VERSION) throw new UnrollError(`${where}: format version ${describe(j.version)} is not supported; this unroll reads version ${FORECASTER_VERSION}`, 'model-file');
    validateForecasterFile(j, where);
    const f = inFile(where, () => new Forecaster(j.options, { backend: options.backend, onWarning: options.onWarning }));
    f.model = RNN.fromJSON(j.model, { source: options.source, backend: options.backend });
    f.scalers = Object.assign(Object.create(null), j.scalers);
    f.residuals = j.residuals ?? [];
    f.errorScale = j.errorScale === 'absolute' ? 'absolute' : 'relative';
    f.seenRange = Object.assign(Object.create(null), j.seenRange ?? {});
    f.epochs = j.epochs ?? [];
    return f;
  }
}


export interface ForecasterJSON {
  format: typeof FORECASTER_FORMAT;
  version: number;
  options: ForecasterOptions;
  scalers: Record<string, SeriesScalers>;
  residuals: number[][];
  /** Scale of the residuals. @default 'relative' (files written before it existed) */
  errorScale?: ErrorScale;
  /** Range of each scaled input over the training span, per series (for the out-of-range warning). */
  seenRange?: Record<string, { min: number[]; max: number[] }>;
  epochs: EpochLog[];
  model: ModelJSON;
}

/**
 * A row boundary given by the user in rows of the data (or as a fraction of them), converted to a
 * row of the feature matrix (which starts `offset` rows later when return features are used).
 */
function resolveEnd(v: number | Record<string, number> | undefined, p: Prepared): number {
  const n = p.fm.rows + p.offset;
  const x = v === undefined ? n : typeof v === 'number' ? v : v[p.id] ?? n;
  if (n < p.offset + 2) throw new UnrollError(`series "${p.id}" has only ${n} row${n === 1 ? '' : 's'} (${p.fm.source}); training needs at least ${p.offset + 2}`, 'data');
  const end = x > 0 && x < 1 ? Math.floor(n * x) : x;
  if (!Number.isInteger(end) || end - p.offset < 2 || end > n) {
    throw new UnrollError(`series "${p.id}": row boundary ${x} is not within its ${n} rows (expected a row count from ${p.offset + 2} to ${n}, or a fraction)`, 'option');
  }
  return end - p.offset;
}

interface Win { data: Float64Array; length: number }

function windowAt(scaled: Float64Array, D: number, T: number, end: number, minLength: number, id: string): Win {
  const len = Math.min(T, end + 1);
  if (len < minLength) throw new UnrollError(`series "${id}": only ${len} rows of history before row ${end + 1}; the model needs at least ${minLength}`, 'data');
  const data = new Float64Array(T * D);
  data.set(scaled.subarray((end - len + 1) * D, (end + 1) * D));
  return { data, length: len };
}

function predictWindows(model: RNN, windows: Win[], D: number, T: number): number[][] {
  const set: SequenceSet = { count: windows.length, maxSteps: T, inputSize: D, data: new Float64Array(windows.length * T * D), lengths: new Int32Array(windows.length) };
  windows.forEach((w, i) => { set.data.set(w.data, i * T * D); set.lengths[i] = w.length; });
  return model.predict(set) as number[][];
}

function assertRecursiveFeatures(specs: FeatureSpecObject[], target: string): void {
  for (const f of specs) {
    if (f.column !== target || f.kind === 'log') {
      throw new UnrollError(
        `strategy 'recursive' feeds predictions of "${target}" back as inputs, so every feature must be computed from "${target}" (its level, return or log-return); ` +
        `feature "${f.name ?? f.column}" is not. Use strategy 'direct' for other inputs (e.g. OHLC, volume, gold)`, 'option');
    }
  }
}

function featureValue(f: FeatureSpecObject, price: number, prev: number): number {
  switch (f.kind) {
    case 'level': return price;
    case 'return': return price / prev - 1;
    case 'logReturn': return Math.log(price / prev);
    default: return Math.log(price);
  }
}

function reorder(w: { count: number; steps: number; features: number; x: Float64Array; lengths: Int32Array }, order: number[]): SequenceSet {
  const per = w.steps * w.features;
  const data = new Float64Array(w.count * per);
  const lengths = new Int32Array(w.count);
  order.forEach((src, dst) => { data.set(w.x.subarray(src * per, (src + 1) * per), dst * per); lengths[dst] = w.lengths[src]; });
  return { count: w.count, maxSteps: w.steps, inputSize: w.features, data, lengths };
}

/** Beyond this fraction of the training range's width, scaled inputs trigger a warning. */
export const RANGE_MARGIN = 0.2;

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

function featureLabel(f: FeatureSpecObject): string {
  return f.name ?? (f.kind === 'level' ? f.column : `${f.kind}:${f.column}`);
}
