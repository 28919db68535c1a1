/**
 * Honest evaluation of a forecaster: the model and every baseline on the SAME test span, every
 * metric, and a plain verdict on whether the model beats the naive (persistence) forecast.
 *
 * Daily stock prices are close to a random walk, so "tomorrow = today" is hard to beat; a model that
 * learned only to copy yesterday shows up here with a MASE ratio near 1 against naive and a
 * directional accuracy indistinguishable from a coin flip.
 *
 * - `holdoutEvaluation`: fit once on the rows before the test span, then one-step-ahead forecasts
 *   over it, each from the actual history before it.
 * - `walkForwardBacktest`: rolling origin; a fresh forecaster (and fresh scalers) is fitted on each
 *   fold's training rows and forecasts the fold's test rows; refit every `refitEvery` rows.
 */
import { walkForwardFolds } from '../data/split.js';
import { UnrollError } from '../util/errors.js';
import { oneStepBaseline, standardBaselines, type BaselineSpec } from './baselines.js';
import { Forecaster, toSeriesList, type ForecastData, type ForecasterOptions, type OneStepResult } from './forecaster.js';
import { evaluateForecast, type ForecastMetrics } from './metrics.js';
import type { Frame } from '../data/frame.js';
import type { Backend } from '../kernels/index.js';
import { frameLength, sliceFrame } from '../data/frame.js';

export interface MethodResult {
  name: string;
  role: 'model' | 'naive' | 'baseline';
  predicted: Float64Array;
  metrics: ForecastMetrics;
}

export interface SeriesEvaluation {
  id: string;
  dates: string[];
  actual: Float64Array;
  /** The model first, then naive, drift, moving average and (with a period) seasonal naive. */
  methods: MethodResult[];
  /** MAE of the model divided by MAE of naive (below 1: the model beats naive). */
  relativeMae: number;
  beatsNaive: boolean;
  /**
   * Diebold-Mariano statistic on absolute errors, model minus naive (one-step forecasts, so no
   * autocorrelation correction): below −1.96 the model is better than naive at the 5% level,
   * above 1.96 worse; in between, the two cannot be told apart on this span.
   */
  dieboldMariano: number;
  /** Two standard errors of a coin flip's directional accuracy on this many steps. */
  coinFlipMargin: number;
  verdict: string;
}

export interface EvaluationOptions {
  /** Seasonal period (for MASE and seasonal naive), e.g. 12 for monthly data, 5 for business days. @default 1 (no seasonal baseline) */
  period?: number;
  /** Window of the moving-average baseline. @default 5 */
  movingAverage?: number;
  /** Name of the model in tables. @default 'model' */
  modelName?: string;
}

/** Compares one-step model predictions with the baselines on the same span, for one series. */
export function compareWithBaselines(result: OneStepResult, history: Float64Array, testStart: number, options: EvaluationOptions = {}): SeriesEvaluation {
  const period = options.period ?? 1;
  const train = history.subarray(0, testStart);
  const span = { start: testStart, end: testStart + result.actual.length };
  const specs: { name: string; spec: BaselineSpec }[] = standardBaselines({ window: options.movingAverage ?? 5, period: period > 1 ? period : undefined });
  const methods: MethodResult[] = [{ name: options.modelName ?? 'model', role: 'model', predicted: result.predicted, metrics: evaluateForecast(result.actual, result.predicted, { train, period, previous: result.previous }) }];
  for (const { name, spec } of specs) {
    if (spec.kind === 'seasonalNaive' && period <= 1) continue;
    const predicted = oneStepBaseline(history, span, spec);
    methods.push({ name, role: spec.kind === 'naive' ? 'naive' : 'baseline', predicted, metrics: evaluateForecast(result.actual, predicted, { train, period, previous: result.previous }) });
  }
  const model = methods[0].metrics;
  const naive = methods.find((m) => m.role === 'naive')!.metrics;
  const relativeMae = model.mae / naive.mae;
  const beatsNaive = relativeMae < 1;
  const n = result.actual.length;
  const naivePred = methods.find((m) => m.role === 'naive')!.predicted;
  const dm = dieboldMariano(result.actual, result.predicted, naivePred);
  const significance = Math.abs(dm) < 1.96
    ? ` The difference is within noise (Diebold-Mariano statistic ${dm.toFixed(2)}, |DM| < 1.96).`
    : ` The difference is statistically significant at the 5% level (Diebold-Mariano statistic ${dm.toFixed(2)}).`;
  const coinFlipMargin = 2 * Math.sqrt(0.25 / n);
  const da = model.directionalAccuracy;
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const directional = da === null
    ? 'It never predicts a move, so it makes no call on the direction of the next move.'
    : Math.abs(da - 0.5) <= coinFlipMargin
    ? `Its directional accuracy, ${pct(da)}, is within ±${pct(coinFlipMargin)} of a coin flip (50%) on ${n} steps: no evidence it knows the direction of the next move.`
    : da > 0.5
      ? `Its directional accuracy, ${pct(da)}, is above a coin flip by more than two standard errors (±${pct(coinFlipMargin)}) on ${n} steps.`
      : `Its directional accuracy, ${pct(da)}, is below a coin flip by more than two standard errors on ${n} steps.`;
  const verdict = (beatsNaive
    ? `The model beats the naive (persistence) forecast on this test span: MAE ${fmt(model.mae)} vs ${fmt(naive.mae)} (${pct(1 - relativeMae)} lower).${significance}`
    : `The model does NOT beat the naive (persistence) forecast on this test span: MAE ${fmt(model.mae)} vs ${fmt(naive.mae)} (${pct(relativeMae - 1)} higher). Predicting "tomorrow = today" is better.${significance}`) +
    ' ' + directional;
  return { id: result.id, dates: result.dates, actual: result.actual, methods, relativeMae, beatsNaive, dieboldMariano: dm, coinFlipMargin, verdict };
}

/** Diebold-Mariano statistic for equal mean absolute error of two one-step forecasts. */
export function dieboldMariano(actual: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = actual.length;
  let mean = 0;
  const d = new Float64Array(n);
  for (let t = 0; t < n; t++) { d[t] = Math.abs(actual[t] - a[t]) - Math.abs(actual[t] - b[t]); mean += d[t]; }
  mean /= n;
  let v = 0;
  for (let t = 0; t < n; t++) v += (d[t] - mean) ** 2;
  v /= n;
  return v === 0 ? 0 : mean / Math.sqrt(v / n);
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(2) : v.toPrecision(4));

/** Fits on rows before `testStart` (a row count or fraction) and evaluates one step ahead over the rest. */
export function holdoutEvaluation(forecaster: Forecaster, data: ForecastData, testStart: number, options: EvaluationOptions = {}): SeriesEvaluation[] {
  const results = forecaster.predictSpan(data, { start: testStart });
  const histories = forecaster.seriesValues(data);
  return results.map((r) => {
    const h = histories.find((s) => s.id === r.id)!;
    const start = h.dates.indexOf(r.dates[0]);
    return compareWithBaselines(r, h.values, start, options);
  });
}

export interface WalkForwardOptions extends EvaluationOptions {
  /** Rows before the first forecast origin. */
  initialTrain: number;
  /** Refit every k rows. @default 20 */
  refitEvery?: number;
  /** 'expanding' (all rows before the origin) or 'sliding' (the last `window` rows). @default 'expanding' */
  mode?: 'expanding' | 'sliding';
  window?: number;
  /** Kernel backend for the fold models. */
  backend?: Backend;
  /** Called after each fold is fitted. */
  onFold?: (fold: number, folds: number) => void;
}

/**
 * Walk-forward (rolling-origin) backtest of ONE series: a fresh forecaster per fold, scalers refitted
 * on that fold's training rows, one-step forecasts over the fold's test rows.
 */
export function walkForwardBacktest(options: ForecasterOptions, data: Frame, wf: WalkForwardOptions): SeriesEvaluation {
  const n = frameLength(data);
  const folds = walkForwardFolds(n, { initialTrain: wf.initialTrain, step: wf.refitEvery ?? 20, mode: wf.mode, window: wf.window });
  if (folds.length === 0) throw new UnrollError('walk-forward backtest: no folds; expected initialTrain below the number of rows', 'option');
  const parts: OneStepResult[] = [];
  folds.forEach((fold, i) => {
    const f = new Forecaster(options, { backend: wf.backend });
    const trainFrame = sliceFrame(data, fold.train.start, fold.train.end);
    f.fit(trainFrame);
    // Predict the fold's test rows from a frame that starts at the fold's training start.
    const upto = sliceFrame(data, fold.train.start, fold.test.end);
    const [r] = f.predictSpan(upto, { start: fold.test.start - fold.train.start });
    parts.push(r);
    wf.onFold?.(i + 1, folds.length);
  });
  const joined: OneStepResult = {
    id: toSeriesList(data)[0].id,
    dates: parts.flatMap((p) => p.dates),
    actual: concat(parts.map((p) => p.actual)),
    predicted: concat(parts.map((p) => p.predicted)),
    previous: concat(parts.map((p) => p.previous)),
  };
  const f = new Forecaster(options);
  const history = f.seriesValues(data)[0];
  const start = history.dates.indexOf(joined.dates[0]);
  return compareWithBaselines(joined, history.values, start, wf);
}

function concat(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of arrays) { out.set(a, o); o += a.length; }
  return out;
}

export interface DirectionEvaluation {
  id: string;
  dates: string[];
  steps: number;
  /** P(up) the classifier gave for each test step. */
  probabilityUp: Float64Array;
  /** Share of test steps whose direction it called right (threshold 0.5). */
  accuracy: number;
  /** Share of up moves in the training rows (the base rate). */
  trainUpRate: number;
  baselines: { name: string; accuracy: number }[];
  /** Mean cross-entropy of the classifier, and of always predicting the training base rate. */
  logLoss: number;
  baseRateLogLoss: number;
  verdict: string;
}

/**
 * Evaluates a direction classifier ("invest or not") one step ahead over the rows from `testStart`,
 * against always-up, the training majority class and momentum (the last move repeats).
 */
export function directionEvaluation(forecaster: Forecaster, data: ForecastData, testStart: number | Record<string, number>): DirectionEvaluation[] {
  const results = forecaster.predictSpan(data, { start: testStart });
  const histories = forecaster.seriesValues(data);
  return results.map((r) => {
    const h = histories.find((s) => s.id === r.id)!;
    const start = h.dates.indexOf(r.dates[0]);
    let ups = 0;
    for (let t = 1; t < start; t++) if (h.values[t] > h.values[t - 1]) ups++;
    const trainUpRate = ups / Math.max(1, start - 1);
    const n = r.actual.length;
    let hit = 0, up = 0, momentum = 0, ll = 0, base = 0;
    const clamp = (q: number): number => Math.min(1 - 1e-12, Math.max(1e-12, q));
    for (let i = 0; i < n; i++) {
      const y = r.actual[i] > r.previous[i] ? 1 : 0;
      const p = r.predicted[i];
      if ((p > 0.5 ? 1 : 0) === y) hit++;
      if (y === 1) up++;
      const prevIdx = start + i - 1;
      const lastMove = prevIdx >= 1 && h.values[prevIdx] > h.values[prevIdx - 1] ? 1 : 0;
      if (lastMove === y) momentum++;
      ll -= y ? Math.log(clamp(p)) : Math.log(clamp(1 - p));
      base -= y ? Math.log(clamp(trainUpRate)) : Math.log(clamp(1 - trainUpRate));
    }
    const accuracy = hit / n;
    const baselines = [
      { name: 'always up', accuracy: up / n },
      { name: `training majority (${trainUpRate >= 0.5 ? 'up' : 'down'})`, accuracy: trainUpRate >= 0.5 ? up / n : 1 - up / n },
      { name: 'momentum (last move repeats)', accuracy: momentum / n },
    ];
    const best = baselines.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    const margin = 2 * Math.sqrt(0.25 / n);
    const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
    const verdict = (accuracy > best.accuracy + margin
      ? `The classifier calls the direction right ${pct(accuracy)} of the time, above the best baseline (${best.name}, ${pct(best.accuracy)}) by more than two standard errors (±${pct(margin)}).`
      : `The classifier calls the direction right ${pct(accuracy)} of the time; the best baseline (${best.name}) gets ${pct(best.accuracy)}. The difference is within two standard errors (±${pct(margin)}) on ${n} steps, so there is no evidence it helps decide whether to invest.`) +
      ` Its log loss is ${(ll / n).toFixed(4)} vs ${(base / n).toFixed(4)} for always predicting the training base rate of up moves (${pct(trainUpRate)}).`;
    return { id: r.id, dates: r.dates, steps: n, probabilityUp: r.predicted, accuracy, trainUpRate, baselines, logLoss: ll / n, baseRateLogLoss: base / n, verdict };
  });
}
