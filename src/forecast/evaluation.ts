/**
 * Honest evaluation of a forecaster: the model and every benchmark on the SAME test span, every
 * metric, the coverage of its intervals, and the verdict (verdict.ts) against the best benchmark.
 *
 * - `holdoutEvaluation`: fit once on the rows before the test span, then one-step-ahead forecasts
 *   over it, each from the actual history before it.
 * - `walkForwardBacktest`: rolling origin; a fresh forecaster (and fresh scalers) is fitted on each
 *   fold's training rows and forecasts the fold's test rows; refit every `refitEvery` rows.
 *
 * The benchmarks (benchmarks.ts) are methods behind the one contract, each refitted at every origin
 * on the history before it; none is special-cased here. MASE divides every MAE by one scale: the
 * in-sample MAE of the seasonal naive method (period m) over the rows before the test span, and the
 * evaluation says which (`scale.text`).
 */
import { walkForwardFolds } from '../data/split.js';
import { UnrollError } from '../util/errors.js';
import { checkOptions, is, type KeyRules } from '../util/options.js';
import { defaultBenchmarks, methodLabel, runBenchmarks } from './benchmarks.js';
import { Forecaster, toSeriesList, type ForecastData, type ForecasterOptions, type OneStepResult } from './forecaster.js';
import { coverage, coverageText, type Coverage } from './intervals.js';
import { evaluateForecast, naiveScale, type ForecastMetrics } from './metrics.js';
import type { ForecastMethod } from './methods/types.js';
import { dieboldMarianoTest, judge, type Verdict, type VerdictTone } from './verdict.js';
import type { Frame } from '../data/frame.js';
import type { Backend } from '../kernels/index.js';
import { frameLength, sliceFrame } from '../data/frame.js';

export interface MethodResult {
  /** Short name: 'model', or the method's name ('naive', 'snaive', 'naive2', 'drift', …). */
  name: string;
  /** The name in sentences and tables ("seasonal naive"). */
  label: string;
  role: 'model' | 'naive' | 'baseline';
  predicted: Float64Array;
  metrics: ForecastMetrics;
  /** A benchmark refitted every this many origins (1: all its forecasts are one step ahead). */
  refitEvery?: number;
}

export interface SeriesEvaluation {
  id: string;
  dates: string[];
  actual: Float64Array;
  /** The last actual value before each test point. */
  previous: Float64Array;
  /** The model first, then every benchmark that ran (naive among them). */
  methods: MethodResult[];
  /** The whole verdict (verdict.ts): tone, headline, comparisons, tests. */
  judgement: Verdict;
  /** green (win) / neutral (tie) / red (loss) against the best benchmark. */
  tone: VerdictTone;
  /** The verdict's lines, then the direction line, as one paragraph. */
  verdict: string;
  /** The same, line by line (the first is the headline). */
  lines: string[];
  /** MAE of the model divided by MAE of naive (below 1: lower error than naive). */
  relativeMae: number;
  /** The model's MAE is below naive's (not necessarily significantly; see `judgement.naive`). */
  beatsNaive: boolean;
  /** The HLN-corrected Diebold–Mariano statistic of the model against naive (absolute errors, HAC variance). */
  dieboldMariano: number;
  /** Two standard errors of a coin flip's directional accuracy on this many steps. */
  coinFlipMargin: number;
  /** The model's one-step intervals on the span (null where none could be given), and their coverage. */
  lower: (number | null)[] | null;
  upper: (number | null)[] | null;
  coverage: Coverage | null;
  /** MASE's denominator: the in-sample MAE of seasonal naive with `period` over `trainRows` rows. */
  scale: { period: number; value: number; trainRows: number; text: string };
  /** Benchmarks left out, and why. */
  notes: string[];
}

export interface EvaluationOptions {
  /** Seasonal period (for MASE and the seasonal benchmarks), e.g. 12 for monthly data, 5 for business days. @default 1 */
  period?: number;
  /** Window of the moving-average benchmark. @default 5 */
  movingAverage?: number;
  /** Name of the model in sentences. @default 'the model' */
  modelName?: string;
  /** The benchmarks. @default defaultBenchmarks() (M4's, drift, moving average) */
  benchmarks?: readonly ForecastMethod[];
  /** CPU time allowed to each benchmark's refits over the span, in ms (see benchmarks.ts). @default 1500 */
  benchmarkBudgetMs?: number;
  /** The model's training log (for the never-improved line and the best epoch). */
  epochs?: readonly { loss: number; valLoss?: number }[];
  /** Nominal level of the model's intervals (for the coverage line). @default 0.9 */
  intervalLevel?: number;
}

/** The keys of EvaluationOptions and their types (the one options checker). */
const EVALUATION_RULES = {
  period: is.positiveInt, movingAverage: is.positiveInt, modelName: is.string, benchmarks: is.array,
  benchmarkBudgetMs: is.nonNegative, epochs: is.array, intervalLevel: is.number,
} satisfies KeyRules<EvaluationOptions>;

/** Compares one-step model predictions with every benchmark on the same span, for one series. */
export function compareWithBaselines(result: OneStepResult, history: Float64Array, testStart: number, options: EvaluationOptions = {}): SeriesEvaluation {
  checkOptions(options, EVALUATION_RULES, { where: 'compareWithBaselines' });
  const period = options.period ?? 1;
  const train = history.subarray(0, testStart);
  const span = { start: testStart, end: testStart + result.actual.length };
  const metricsOf = (predicted: Float64Array): ForecastMetrics => evaluateForecast(result.actual, predicted, { train, period, previous: result.previous });
  const modelName = options.modelName ?? 'the model';
  const methods: MethodResult[] = [{ name: 'model', label: modelName, role: 'model', predicted: result.predicted, metrics: metricsOf(result.predicted) }];
  const { runs, notes } = runBenchmarks(options.benchmarks ?? defaultBenchmarks({ movingAverage: options.movingAverage }), history, span, { period, budgetMs: options.benchmarkBudgetMs });
  for (const r of runs) methods.push({ name: r.name, label: methodLabel(r.name), role: r.name === 'naive' ? 'naive' : 'baseline', predicted: r.predicted, metrics: metricsOf(r.predicted), refitEvery: r.refitEvery });
  const naive = methods.find((m) => m.role === 'naive');
  if (!naive) throw new UnrollError('evaluation: the naive benchmark did not run on this span; expected it among the benchmarks', 'data');
  const scaleValue = naiveScale(train, period);
  const scale = {
    period, value: scaleValue, trainRows: train.length,
    text: `MASE divides each MAE by ${fmt(scaleValue)}, the in-sample MAE of ${period > 1 ? `seasonal naive (period ${period})` : 'naive (period 1)'} over the ${train.length} rows before the test span.`,
  };
  const judgement = judge({
    actual: result.actual,
    model: { name: modelName, predicted: result.predicted },
    benchmarks: methods.slice(1).map((m) => ({ name: `the ${m.label} forecast`, predicted: m.predicted })),
    naiveName: `the ${naive.label} forecast`,
    scale: scaleValue > 0 ? scaleValue : undefined,
    previous: result.previous,
    epochs: options.epochs,
  });
  const n = result.actual.length;
  const dm = n >= 3 ? dieboldMarianoTest(result.actual, result.predicted, naive.predicted).statistic : 0;
  const coinFlipMargin = 2 * Math.sqrt(0.25 / n);
  const da = methods[0].metrics.directionalAccuracy;
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const directional = da === null
    ? 'It never predicts a move, so it makes no call on the direction of the next move.'
    : Math.abs(da - 0.5) <= coinFlipMargin
      ? `Its directional accuracy, ${pct(da)}, is within ±${pct(coinFlipMargin)} of a coin flip (50%) on ${n} steps: no evidence it knows the direction of the next move.`
      : da > 0.5
        ? `Its directional accuracy, ${pct(da)}, is above a coin flip by more than two standard errors (±${pct(coinFlipMargin)}) on ${n} steps.`
        : `Its directional accuracy, ${pct(da)}, is below a coin flip by more than two standard errors on ${n} steps.`;
  const level = options.intervalLevel ?? 0.9;
  const cov = result.lower && result.upper ? coverage(result.actual, result.lower, result.upper, level) : null;
  const lines = [...judgement.lines, directional];
  if (cov) lines.push(`Intervals: ${coverageText(cov)}.`);
  const relativeMae = methods[0].metrics.mae / naive.metrics.mae;
  return {
    id: result.id, dates: result.dates, actual: result.actual, previous: result.previous, methods,
    judgement, tone: judgement.tone, verdict: lines.join(' '), lines,
    relativeMae, beatsNaive: relativeMae < 1, dieboldMariano: dm, coinFlipMargin,
    lower: result.lower ?? null, upper: result.upper ?? null, coverage: cov, scale, notes,
  };
}

/** The HLN-corrected Diebold–Mariano statistic for equal mean absolute error (HAC variance; see verdict.ts). */
export function dieboldMariano(actual: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>): number {
  return dieboldMarianoTest(actual, a, b).statistic;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(2) : v.toPrecision(4));

/** Fits on rows before `testStart` (a row count or fraction) and evaluates one step ahead over the rest. */
export function holdoutEvaluation(forecaster: Forecaster, data: ForecastData, testStart: number | Record<string, number>, options: EvaluationOptions = {}): SeriesEvaluation[] {
  checkOptions(options, EVALUATION_RULES, { where: 'holdoutEvaluation' });
  const results = forecaster.predictSpan(data, { start: testStart });
  const histories = forecaster.seriesValues(data);
  const opts = { epochs: forecaster.epochs, intervalLevel: forecaster.options.intervalLevel, ...options };
  return results.map((r) => {
    const h = histories.find((s) => s.id === r.id)!;
    const start = h.dates.indexOf(r.dates[0]);
    return compareWithBaselines(r, h.values, start, opts);
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
  /** Called with each warning of the fold models (e.g. inputs outside the training range). */
  onWarning?: (message: string) => void;
  /** Called after each fold is fitted. */
  onFold?: (fold: number, folds: number) => void;
}

/**
 * Walk-forward (rolling-origin) backtest of ONE series: a fresh forecaster per fold, scalers refitted
 * on that fold's training rows, one-step forecasts over the fold's test rows.
 */
export function walkForwardBacktest(options: ForecasterOptions, data: Frame, wf: WalkForwardOptions): SeriesEvaluation {
  checkOptions(wf, {
    ...EVALUATION_RULES, initialTrain: is.positiveInt, refitEvery: is.positiveInt, mode: is.oneOf('expanding', 'sliding'), window: is.positiveInt,
    backend: is.object, onWarning: is.function, onFold: is.function,
  }, { where: 'walkForwardBacktest' }, false);
  const n = frameLength(data);
  const folds = walkForwardFolds(n, { initialTrain: wf.initialTrain, step: wf.refitEvery ?? 20, mode: wf.mode, window: wf.window });
  if (folds.length === 0) throw new UnrollError('walk-forward backtest: no folds; expected initialTrain below the number of rows', 'option');
  const parts: OneStepResult[] = [];
  folds.forEach((fold, i) => {
    const f = new Forecaster(options, { backend: wf.backend, onWarning: wf.onWarning });
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
    ...(parts.every((p) => p.lower && p.upper) ? { lower: parts.flatMap((p) => p.lower!), upper: parts.flatMap((p) => p.upper!) } : {}),
  };
  const f = new Forecaster(options);
  const history = f.seriesValues(data)[0];
  const start = history.dates.indexOf(joined.dates[0]);
  const evaluation: Record<string, unknown> = { intervalLevel: f.options.intervalLevel };
  for (const key of Object.keys(EVALUATION_RULES)) if ((wf as unknown as Record<string, unknown>)[key] !== undefined) evaluation[key] = (wf as unknown as Record<string, unknown>)[key];
  return compareWithBaselines(joined, history.values, start, evaluation as EvaluationOptions);
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
