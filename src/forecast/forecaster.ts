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
 * (the calibration span, held out from training and early stopping: rnn/calibration.ts), never on
 * test data; or, with intervalMethod 'quantile', the network's own bounds (rnn/quantiles.ts).
 *
 * Several series (companies) train one model together, each with its own scalers and its own
 * history length.
 *
 * This class holds the state (rnn/state.ts) and is the public face; each job lives in its own file:
 * rnn/options.ts (options and defaults), rnn/series.ts (data preparation), rnn/train.ts (training),
 * rnn/rollout.ts (predictions from origins), rnn/calibration.ts (the errors the intervals are
 * calibrated on), rnn/explain.ts (the glass box), rnn/file.ts (the file format).
 * methods/rnn.ts puts it behind the one method contract.
 */
import type { Backend } from '../kernels/index.js';
import type { EpochLog } from '../train/fit.js';
import { RNN } from '../train/model.js';
import { normalizeOptions, type NetworkOptions } from '../nn/model.js';
import { UnrollError, badOption, inFile } from '../util/errors.js';
import { checkSize } from '../util/limits.js';
import { calibrateIntervals, intervalAt, type ErrorScale, type IntervalBound, type IntervalCalibration } from './intervals.js';
import { resolveOptions, type ForecasterOptions, type ResolvedOptions } from './rnn/options.js';
import { checkOptions, is, underPrefix } from '../util/options.js';
import { prepareSeries, resolveEnd, toSeriesList, type ForecastData, type Prepared, type Series } from './rnn/series.js';
import { trainForecaster, type FitOptions, type FitReport } from './rnn/train.js';
import { forecastFrom } from './rnn/rollout.js';
import { calibrationStart, rollingOriginErrors, trainingCalibrationSpans, type CalibrationSpan } from './rnn/calibration.js';
import { explainWindow, gradientByStep, type WindowExplanation } from './rnn/explain.js';
import { checkForecasterFile, checkNetworkFitsOptions, forecasterToJSON, restoreState, type ForecasterJSON } from './rnn/file.js';
import { boundFromOffsets, composeSteps, learnsQuantiles, quantileLevels, stepOffsets } from './rnn/quantiles.js';
import { applyCqr, cqrCorrection, cqrScores, isConformalized, type CqrCorrection } from './rnn/cqr.js';
import type { ForecasterState, SeriesScalers } from './rnn/state.js';
import { trainingSummary, type TrainingSummary } from './rnn/budget.js';
import { fitSeasonal, type SeasonalJSON } from './seasonal-normalise.js';
import { getColumn } from '../data/frame.js';
import { inferFrequency, seasonalPeriod } from '../data/frequency.js';

export type { ForecasterOptions, ForecastTarget, ForecastStrategy } from './rnn/options.js';
export { isSeriesSet, toSeriesList, type ForecastData } from './rnn/series.js';
export type { FitReport } from './rnn/train.js';
export type { SeriesScalers } from './rnn/state.js';
export { FORECASTER_FORMAT, FORECASTER_VERSION, type ForecasterJSON } from './rnn/file.js';
export { CALIBRATED_STEPS } from './rnn/calibration.js';
export { RANGE_MARGIN } from './rnn/rollout.js';
export type { TrainingSummary } from './rnn/budget.js';

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

/** The fewest recent rows `recalibrate` takes (the CLI's run checks its --test-size against it before training). */
export const RECALIBRATION_MIN_ROWS = 10;

export class Forecaster implements ForecasterState {
  readonly options: ResolvedOptions;
  model: RNN | null = null;
  /** Per-series scalers, fitted on each series' training span. */
  scalers: Record<string, SeriesScalers> = Object.create(null);
  /** Signed h-step errors on the calibration span: residuals[h−1] = sorted errors on `errorScale`. */
  residuals: number[][] = [];
  /** A conformalized quantile forecaster's scores on its calibration span (rnn/cqr.ts: intervalMethod 'cqr'); null otherwise. */
  cqrScores: number[][][] | null = null;
  private cqrCache: CqrCorrection[] | null = null;
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
  /** Per series, its seasonal normalisation (seasonal-normalise.ts, fitted on its training span) and why. */
  seasonal: Record<string, SeasonalJSON> = Object.create(null);
  /** The epochs and patience of the last fit ('auto' resolved); null before one. */
  budget: { epochs: number; patience: number } | null = null;

  /** Kernel backend of the network (not saved with the forecaster). @default the reference backend */
  readonly backend: Backend | undefined;

  constructor(options: ForecasterOptions = {}, runtime: { backend?: Backend; onWarning?: (message: string) => void } = {}) {
    this.options = resolveOptions(options);
    checkModelSection(this.options.model);
    checkOptions(runtime, { backend: is.object, onWarning: is.function }, { where: 'Forecaster (runtime)' });
    this.backend = runtime.backend;
    this.onWarning = runtime.onWarning;
  }

  private readonly warnOnce = (message: string): void => {
    if (this.warnings.includes(message)) return;
    this.warnings.push(message);
    this.onWarning?.(message);
  };

  /** A series prepared with its seasonal normalisation (the only one when the forecaster knows one series). */
  private prepare(s: Series): Prepared {
    const known = Object.values(this.seasonal);
    return prepareSeries(s, this.options, this.seasonal[s.id] ?? (known.length === 1 ? known[0] : null));
  }

  /** Fits the seasonal normalisation of a series on its training rows, and prepares the series with it. */
  private prepareForFit(s: Series, trainEnd: FitOptions['trainEnd']): Prepared {
    const raw = prepareSeries(s, this.options);
    const rows = resolveEnd(trainEnd, raw) + raw.offset;
    const m = this.options.period ?? seasonalPeriod(inferFrequency(s.frame.dates));
    this.seasonal[s.id] = fitSeasonal(getColumn(s.frame, raw.target).subarray(0, rows), s.frame.dates.slice(0, rows), this.options.seasonal, m);
    return prepareSeries(s, this.options, this.seasonal[s.id]);
  }

  private forecastFrom(p: Prepared, origins: number[], steps: number): Float64Array[] {
    return forecastFrom(this, p, origins, steps, this.warnOnce);
  }

  /**
   * Trains on every series up to `trainEnd` (a row count per series, or a fraction of each series;
   * default: all rows). Scalers are fitted on that span only.
   */
  fit(data: ForecastData, options: FitOptions = {}): FitReport {
    checkOptions(options, { trainEnd: is.any, onEpochEnd: is.function, onBatchEnd: is.function, signal: is.object, checkpoint: is.object, onBudget: is.function }, { where: 'Forecaster.fit' });
    this.seasonal = Object.create(null);
    const series = toSeriesList(data).map((s) => this.prepareForFit(s, options.trainEnd));
    // calibrationRefit: the intervals keep the held-out calibration of a first network; a second is
    // trained on every training row (same options and budget rule), so the point forecast loses none
    // of them. Only the last run is checkpointed (a resumed fit trains the first again, bit for bit).
    const refits = this.options.predict !== 'direction' && this.options.calibrationRefit && series.some((p) => {
      const end = resolveEnd(options.trainEnd, p);
      return calibrationStart(this, end) < end;
    });
    const { checkpoint, ...first } = options;
    const report = trainForecaster(this, series, refits ? first : options, this.backend, { holdOut: true, name: refits ? 'calibration' : 'final' });
    if (this.options.predict === 'direction') return report;
    this.setResiduals(trainingCalibrationSpans(this, series, report.trainEnd, report.calibrationStart));
    // A stopped fit (its signal aborted) starts no second run: the first network and its calibration stand.
    if (!refits || options.signal?.aborted) return report;
    const refit = trainForecaster(this, series, { ...first, ...(checkpoint ? { checkpoint } : {}) }, this.backend, { holdOut: false, name: 'refit' });
    return { ...refit, calibrationStart: report.calibrationStart };
  }

  private setResiduals(spans: CalibrationSpan[]): void {
    this.residuals = rollingOriginErrors(this, spans, this.warnOnce);
    this.cqrScores = isConformalized(this) ? cqrScores(this, spans, this.warnOnce) : null;
    this.calibrationCache = null;
    this.cqrCache = null;
  }

  /**
   * Re-estimates the prediction intervals from the model's errors over the last `rows` rows of each
   * series. Use it before forecasting past the end of data the model was not trained on (e.g. after
   * a test span): those errors are history by then, and they reflect the latest volatility.
   */
  recalibrate(data: ForecastData, rows: number): void {
    if (!Number.isInteger(rows) || rows < RECALIBRATION_MIN_ROWS) badOption('rows', rows, `an integer ≥ ${RECALIBRATION_MIN_ROWS}`);
    this.setResiduals(toSeriesList(data).map((s) => {
      const p = this.prepare(s);
      return { p, start: Math.max(this.options.minLength - 1, p.fm.rows - rows), end: p.fm.rows };
    }));
  }

  /** The best epoch of the last fit, and whether it stopped early, was still improving or kept its first epoch (rnn/budget.ts). */
  trainingSummary(): TrainingSummary {
    const t = this.options.training;
    const budget = this.budget ?? { epochs: t.epochs === 'auto' ? this.epochs.length : t.epochs, patience: t.patience === 'auto' ? 0 : t.patience };
    return trainingSummary(this.epochs, budget);
  }

  /** The per-step conformal calibration of the intervals at the forecaster's level. */
  get calibration(): IntervalCalibration {
    this.calibrationCache ??= calibrateIntervals(this.residuals, this.options.intervalLevel, this.errorScale);
    return this.calibrationCache;
  }

  /**
   * The conformal interval around a point forecast `step` steps ahead (null bounds and a note when it
   * cannot be given). A quantile forecaster's intervals depend on the origin: see forecastIntervals.
   */
  interval(value: number, step: number): IntervalBound {
    return intervalAt(this.calibration, value, step);
  }

  /**
   * Point forecasts of `steps` steps from each origin of a prepared series, with the interval of every
   * step at each level: from the network's quantile outputs (intervalMethod 'quantile',
   * rnn/quantiles.ts; only the levels it learnt) or from the calibration errors (conformal).
   */
  private withIntervals(p: Prepared, origins: number[], steps: number, levels: readonly number[]): { values: Float64Array[]; bounds: IntervalBound[][][] } {
    if (learnsQuantiles(this.options)) {
      const blocks: Float64Array[][] = origins.map(() => new Array<Float64Array>(steps));
      const values = forecastFrom(this, p, origins, steps, this.warnOnce, blocks);
      const learnt = quantileLevels(this.options.intervalLevel);
      const pct = learnt.map((x) => `${Math.round(x * 1000) / 10}%`);
      const corrections = this.cqrCorrections(learnt);
      const bounds = values.map((v, i) => {
        const raw = composeSteps(blocks[i]!.map((b) => stepOffsets(b, learnt, this.errorScale)));
        const { offsets, notes } = corrections ? applyCqr(raw, corrections, pct) : { offsets: raw, notes: null };
        return Array.from(v, (value, h) => levels.map((L) => {
          const li = learnt.indexOf(L);
          if (li < 0) return { lower: null, upper: null, note: `no ${Math.round(L * 1000) / 10}% interval: this quantile forecaster learnt the bounds of ${pct.join(', ')} only` };
          const b = boundFromOffsets(value, offsets[h]![li]![0], offsets[h]![li]![1], this.errorScale);
          const note = notes?.[h]?.[li];
          return note && b.lower !== null ? { ...b, note } : b;
        }));
      });
      return { values, bounds };
    }
    const values = forecastFrom(this, p, origins, steps, this.warnOnce);
    const cals = levels.map((L) => (L === this.options.intervalLevel ? this.calibration : calibrateIntervals(this.residuals, L, this.errorScale)));
    return { values, bounds: values.map((v) => Array.from(v, (value, h) => cals.map((c) => intervalAt(c, value, h + 1)))) };
  }

  /** The CQR corrections of each learnt level (null when the quantile bounds are not conformalized). */
  private cqrCorrections(learnt: readonly number[]): CqrCorrection[] | null {
    if (!this.cqrScores) return null;
    this.cqrCache ??= learnt.map((L, li) => cqrCorrection(this.cqrScores![li] ?? [], L));
    return this.cqrCache;
  }

  private checkDiverged(p: Prepared, pred: Float64Array): void {
    const bad = pred.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new UnrollError(`series "${p.id}": the recursive forecast diverged at step ${bad + 1} (the predicted ${p.target} left the range its input features are defined on); forecast fewer steps or use strategy 'direct'`, 'diverged');
    }
  }

  /**
   * Forecasts `steps` steps past the last row of each series with the interval of every step at each
   * of `levels` (a conformal forecaster gives any level; a quantile one the levels it learnt, with a
   * note for the others).
   */
  forecastIntervals(data: ForecastData, steps: number, levels: readonly number[]): Record<string, { step: number; value: number; intervals: (IntervalBound & { level: number })[] }[]> {
    if (!Number.isInteger(steps) || steps < 1) badOption('horizon', steps, 'a positive integer');
    checkSize('option "horizon"', steps, 'horizon');
    if (!Array.isArray(levels) || levels.some((L) => typeof L !== 'number' || !(L > 0 && L < 1))) badOption('levels', levels, 'an array of levels in (0, 1)');
    if (this.options.predict === 'direction') throw new UnrollError("this forecaster predicts the direction of the next move (predict: 'direction'); it has no intervals", 'option');
    const out: Record<string, { step: number; value: number; intervals: (IntervalBound & { level: number })[] }[]> = Object.create(null);
    for (const s of toSeriesList(data)) {
      const p = this.prepare(s);
      const { values, bounds } = this.withIntervals(p, [p.fm.rows - 1], steps, levels);
      this.checkDiverged(p, values[0]!);
      out[p.id] = Array.from(values[0]!, (value, h) => ({ step: h + 1, value, intervals: bounds[0]![h]!.map((b, li) => ({ level: levels[li]!, ...b })) }));
    }
    return out;
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
      const { values: [pred], bounds: [bounds] } = this.withIntervals(p, [p.fm.rows - 1], steps, [this.options.intervalLevel]);
      this.checkDiverged(p, pred);
      out[p.id] = Array.from(pred, (value, i) => ({ step: i + 1, value, ...bounds[i]![0]! }));
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
      const direction = this.options.predict === 'direction';
      const run = direction ? { values: this.forecastFrom(p, origins, 1), bounds: null } : this.withIntervals(p, origins, 1, [this.options.intervalLevel]);
      const predicted = Float64Array.from(run.values, (q) => q[0]);
      const bounds = run.bounds ? run.bounds.map((b) => b[0]![0]!) : null;
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
    checkOptions(options, { count: is.positiveInt }, { where: 'gradientByStep' });
    return gradientByStep(this, this.prepare(toSeriesList(data)[0]), options.count);
  }

  /**
   * The unrolled computation of the window ending at row `end` (default: the last row) of the first
   * series: every step's scaled input, every layer's state, ‖∂y/∂x_t‖, the raw output and the price.
   */
  explainWindow(data: ForecastData, end?: number): WindowExplanation {
    return explainWindow(this, this.prepare(toSeriesList(data)[0]), end);
  }

  /** The rows of each series as the model sees them (after feature construction), for reports. */
  seriesValues(data: ForecastData): { id: string; dates: string[]; values: Float64Array }[] {
    return toSeriesList(data).map((s) => {
      const p = this.prepare(s);
      return { id: p.id, dates: p.dates, values: p.y };
    });
  }

  toJSON(): ForecasterJSON {
    return forecasterToJSON(this);
  }

  static fromJSON(json: unknown, options: { source?: string; backend?: Backend; onWarning?: (message: string) => void } = {}): Forecaster {
    checkOptions(options, { source: is.string, backend: is.object, onWarning: is.function }, { where: 'Forecaster.fromJSON' });
    const where = options.source ? `forecaster file ${options.source}` : 'forecaster JSON';
    const j = checkForecasterFile(json, where);
    const f = inFile(where, () => new Forecaster(j.options, { backend: options.backend, onWarning: options.onWarning }), 'options');
    f.model = RNN.fromJSON(j.model, { source: options.source, section: 'model', backend: options.backend });
    checkNetworkFitsOptions(f.options, j, where);
    restoreState(f, j);
    return f;
  }
}

/**
 * The `model` section checked when the Forecaster is made (by the network's own options checker), not
 * first at fit; the keys the Forecaster sets itself are refused with the reason.
 */
function checkModelSection(model: ResolvedOptions['model']): void {
  const m = model as Record<string, unknown>;
  checkOptions({ inputSize: m.inputSize, outputSize: m.outputSize, outputMode: m.outputMode, seed: m.seed, backend: m.backend }, {}, {
    where: 'Forecaster', prefix: 'model.', cannot: {
      inputSize: 'the inputs are the features (option "features")',
      outputSize: 'the outputs follow from "predict" and "horizon"',
      outputMode: 'the network gives one output per window',
      seed: 'the seed is "training.seed"',
      backend: 'the backend is a runtime option: new Forecaster(options, { backend })',
    },
  });
  // The network's checker names its keys bare ("hiddenSize"); under the prefix they are "model.hiddenSize".
  underPrefix('model.', () => normalizeOptions({ ...m, inputSize: 1, outputSize: 1 } as NetworkOptions, 'Forecaster'));
}
