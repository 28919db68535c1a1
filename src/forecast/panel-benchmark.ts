/**
 * Runs forecasting methods over a panel (many series, each with its training values and its test values)
 * and scores them the way the M4 competition did, so that every method — the statistical benchmarks, ETS,
 * ARIMA, the per-series RNN or the panel RNN — stands in one table.
 *
 * For each method and series i (training y_1 … y_n, test values A_1 … A_h, forecasts F_1 … F_h):
 *   sMAPE_i, MASE_i (seasonal period m), and for each interval level: coverage_i and MSIS_i (metrics.ts).
 * Pooled over the panel (M4's way): each score's mean over the series; OWA = ½ (sMAPE/sMAPE_Naive2 +
 * MASE/MASE_Naive2) from those means. Naive2 is run as the reference when it is not in the list.
 * A series whose MASE scale is 0 or undefined (training values constant at lag m, or n ≤ m) has no MASE
 * or MSIS; it is left out of those means, and the result names it.
 *
 * A per-series method (ForecastMethod) is fitted to each series on its own; a panel method (PanelMethod)
 * is fitted once to all the training series. Timings are wall-clock milliseconds (performance.now).
 */
import { UnrollError, describe } from '../util/errors.js';
import { coverage, msis, naiveScale, owa, smape } from './metrics.js';
import type { FittedMethod, ForecastMethod, MethodForecast, PanelMethod } from './methods/types.js';
import { naive2 } from './methods/naive2.js';
import { checkHorizon, checkLevels, checkPeriod } from './methods/common.js';
import { checkOptions, is, type KeyRules, type Spec } from '../util/options.js';

export interface PanelBenchmarkData {
  /** Series ids for messages and tables. @default '1', '2', … */
  ids?: readonly string[];
  /** Training values of each series, oldest first. */
  train: readonly ArrayLike<number>[];
  /** Test values of each series (the values that follow its training values); the first h are scored. */
  test: readonly ArrayLike<number>[];
}

export interface PanelBenchmarkOptions {
  /** Forecast horizon h (48 for M4 Hourly). */
  horizon: number;
  /** Seasonal period m, given to the methods and used by MASE/MSIS (24 for hourly data). */
  period: number;
  /** Interval levels to request and score (coverage, MSIS), each in (0, 1). @default [] */
  levels?: readonly number[];
  /** Keep each method's forecasts in the result. @default false */
  keepForecasts?: boolean;
  /** Called after each series (per-series methods) or once (panel methods) with the progress of a method. */
  onProgress?: (method: string, done: number, total: number) => void;
}

export interface IntervalScore {
  level: number;
  /** Share of the h actual values inside the interval. */
  coverage: number;
  /** Mean scaled interval score; null when the series has no MASE scale. */
  msis: number | null;
}

export interface SeriesScore {
  id: string;
  smape: number;
  /** null when the series' in-sample seasonal-naive scale is 0 or undefined. */
  mase: number | null;
  /** One entry per requested level the method gave an interval for. */
  intervals: IntervalScore[];
}

export interface PooledIntervalScore {
  level: number;
  /** Mean coverage over the series that got this interval. */
  coverage: number;
  /** Mean MSIS over those series with a scale (null when none has). */
  msis: number | null;
  /** How many series got an interval at this level. */
  series: number;
}

export interface MethodScore {
  name: string;
  /** The fitted model in words (of the first series, for per-series methods). */
  description?: string;
  /** What forecast in a panel method's place, when not its own kind of model (FittedPanel.standIn). */
  standIn?: string;
  /** Mean sMAPE over all series. */
  smape: number;
  /** Mean MASE over the series with a scale (null when no series has one). */
  mase: number | null;
  /** OWA relative to Naive2 on the same series (null without MASE, or when Naive2 scores 0). */
  owa: number | null;
  intervals: PooledIntervalScore[];
  /** Time spent fitting (all series), ms. */
  fitMs: number;
  /** Time spent forecasting (all series), ms. */
  forecastMs: number;
  series: SeriesScore[];
  /** Forecasts of each series (only with keepForecasts). */
  forecasts?: MethodForecast[];
}

export interface PanelBenchmarkResult {
  ids: string[];
  horizon: number;
  period: number;
  levels: number[];
  /** One entry per method, in the order given; Naive2 is appended when it was not given. */
  methods: MethodScore[];
  /** Ids of the series with no MASE scale (left out of MASE and MSIS means). */
  withoutScale: string[];
}

export type AnyMethod = ForecastMethod | PanelMethod;

function isPanel(m: AnyMethod): m is PanelMethod {
  return typeof (m as PanelMethod).fitPanel === 'function';
}

function fail(msg: string, code = 'data'): never {
  throw new UnrollError(msg, code);
}

function checkData(data: PanelBenchmarkData, h: number): string[] {
  if (!data || !Array.isArray(data.train) || !Array.isArray(data.test)) fail('panel benchmark: expected data with "train" and "test" arrays of series', 'option');
  const n = data.train.length;
  if (n === 0) fail('panel benchmark: the panel has no series; expected at least one');
  if (data.test.length !== n) fail(`panel benchmark: ${n} training series but ${data.test.length} test series; expected one test series per training series`);
  const ids = data.ids ? [...data.ids] : data.train.map((_, i) => String(i + 1));
  if (ids.length !== n) fail(`panel benchmark: ${ids.length} ids for ${n} series; expected one id per series`);
  for (let i = 0; i < n; i++) {
    const tr = data.train[i]!;
    const te = data.test[i]!;
    if (!tr || typeof tr.length !== 'number' || tr.length === 0) fail(`panel benchmark: series "${ids[i]}" has no training values; expected at least one`);
    if (!te || typeof te.length !== 'number' || te.length < h) {
      fail(`panel benchmark: series "${ids[i]}" has ${te?.length ?? 0} test values; expected at least the horizon h = ${h}`);
    }
    for (const [what, s, len] of [['training', tr, tr.length], ['test', te, h]] as const) {
      for (let t = 0; t < len; t++) {
        if (!Number.isFinite(s[t]!)) fail(`panel benchmark: series "${ids[i]}", ${what} value [${t}] is ${describe(s[t])}; expected finite numbers`);
      }
    }
  }
  return ids;
}

/** The MASE scale of each series, or null when it is 0 or undefined. */
function scales(train: readonly ArrayLike<number>[], m: number): (number | null)[] {
  return train.map((y) => {
    if (y.length <= m) return null;
    const s = naiveScale(y, m);
    return s > 0 ? s : null;
  });
}

function checkForecast(f: MethodForecast, method: string, id: string, h: number): void {
  if (!f || !(f.mean instanceof Float64Array) || f.mean.length !== h) {
    fail(`panel benchmark: method "${method}" gave ${f?.mean?.length ?? 'no'} forecasts for series "${id}"; expected h = ${h}`, 'method');
  }
  for (let k = 0; k < h; k++) {
    if (!Number.isFinite(f.mean[k]!)) fail(`panel benchmark: method "${method}" forecast ${f.mean[k]} at step ${k + 1} of series "${id}"; expected finite forecasts`, 'method');
  }
}

/** Re-throws a method's error naming the method and the series. */
export function inSeries<T>(method: string, id: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof UnrollError) throw new UnrollError(`method "${method}" on series "${id}": ${e.message}`, e.code);
    throw e;
  }
}

/** One method's forecasts of every series, with the time spent fitting and forecasting. */
export interface MethodRun { forecasts: MethodForecast[]; fitMs: number; forecastMs: number; description?: string; standIn?: string }

/** Fits one method to the panel (series by series, or once for a panel method) and forecasts h steps. */
export function runMethod(
  m: AnyMethod, data: PanelBenchmarkData, ids: string[], options: PanelBenchmarkOptions, levels: readonly number[],
): MethodRun {
  const h = options.horizon;
  const fitOptions = { period: options.period, horizon: h };
  const n = data.train.length;
  if (isPanel(m)) {
    let t0 = performance.now();
    const fitted = inSeries(m.name, 'the panel', () => m.fitPanel(data.train, fitOptions));
    const fitMs = performance.now() - t0;
    t0 = performance.now();
    const forecasts = inSeries(m.name, 'the panel', () => fitted.forecast(h, { levels }));
    const forecastMs = performance.now() - t0;
    if (!Array.isArray(forecasts) || forecasts.length !== n) fail(`panel benchmark: method "${m.name}" gave ${Array.isArray(forecasts) ? forecasts.length : 'no'} forecasts; expected one per series (${n})`, 'method');
    options.onProgress?.(m.name, n, n);
    return { forecasts, fitMs, forecastMs, description: fitted.description, ...(fitted.standIn ? { standIn: fitted.standIn } : {}) };
  }
  const forecasts: MethodForecast[] = [];
  let fitMs = 0;
  let forecastMs = 0;
  let description: string | undefined;
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    const fitted: FittedMethod = inSeries(m.name, ids[i]!, () => m.fit(data.train[i]!, fitOptions));
    fitMs += performance.now() - t0;
    t0 = performance.now();
    forecasts.push(inSeries(m.name, ids[i]!, () => fitted.forecast(h, { levels })));
    forecastMs += performance.now() - t0;
    if (i === 0) description = fitted.description;
    options.onProgress?.(m.name, i + 1, n);
  }
  return { forecasts, fitMs, forecastMs, description };
}

function mean(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** The checked inputs of a panel benchmark: ids, h, m, levels and the methods to run (Naive2 appended). */
export interface PreparedPanelBenchmark {
  ids: string[];
  horizon: number;
  period: number;
  levels: number[];
  methods: AnyMethod[];
}

/** The keys of PanelBenchmarkOptions and their types (ranges: checkHorizon, checkPeriod, checkLevels). */
export const PANEL_BENCHMARK_RULES = {
  horizon: is.number, period: is.number, levels: is.array, keepForecasts: is.boolean, onProgress: is.function,
} satisfies KeyRules<PanelBenchmarkOptions>;

/** Checks methods, data and options before anything runs (runPanelBenchmark and its parallel form). */
export function preparePanelBenchmark(
  methods: readonly AnyMethod[], data: PanelBenchmarkData, options: PanelBenchmarkOptions, where = 'runPanelBenchmark', extra: Spec = {},
): PreparedPanelBenchmark {
  checkOptions(options, { ...PANEL_BENCHMARK_RULES, ...extra }, { where }, false);
  if (!Array.isArray(methods) || methods.length === 0) fail('panel benchmark: no methods; expected at least one forecasting method', 'option');
  const h = checkHorizon('panel benchmark', options?.horizon);
  const period = checkPeriod('panel benchmark', options.period);
  const levels = checkLevels('panel benchmark', options.levels);
  const names = new Set<string>();
  for (const m of methods) {
    if (!m || typeof m.name !== 'string' || (typeof (m as ForecastMethod).fit !== 'function' && !isPanel(m))) {
      fail(`panel benchmark: ${describe(m)} is not a forecasting method; expected an object with a name and fit (or fitPanel)`, 'option');
    }
    if (names.has(m.name)) fail(`panel benchmark: method name "${m.name}" appears twice; expected unique names`, 'option');
    names.add(m.name);
  }
  const ids = checkData(data, h);
  const all = names.has(naive2.name) ? [...methods] : [...methods, naive2];
  return { ids, horizon: h, period, levels: [...levels], methods: all };
}

/** Runs each method over the panel and scores it per series and pooled (M4's sMAPE, MASE, OWA, MSIS, coverage). */
export function runPanelBenchmark(methods: readonly AnyMethod[], data: PanelBenchmarkData, options: PanelBenchmarkOptions): PanelBenchmarkResult {
  const prep = preparePanelBenchmark(methods, data, options);
  const runs = prep.methods.map((m) => runMethod(m, data, prep.ids, options, prep.levels));
  return scorePanelBenchmark(prep, runs, data, !!options.keepForecasts);
}

/** Scores the runs (one per prepared method, in its order) against the test values. */
export function scorePanelBenchmark(prep: PreparedPanelBenchmark, runs: readonly MethodRun[], data: PanelBenchmarkData, keepForecasts: boolean): PanelBenchmarkResult {
  const { ids, horizon: h, period, levels, methods: all } = prep;
  const scale = scales(data.train, period);
  const raw = all.map((m, j) => {
    const run = runs[j]!;
    const series: SeriesScore[] = run.forecasts.map((f, i) => {
      checkForecast(f, m.name, ids[i]!, h);
      const actual = Array.prototype.slice.call(data.test[i]!, 0, h) as number[];
      const s = scale[i]!;
      let absErr = 0;
      for (let k = 0; k < h; k++) absErr += Math.abs(actual[k]! - f.mean[k]!);
      const intervals: IntervalScore[] = [];
      for (const b of f.intervals ?? []) {
        if (!levels.includes(b.level)) continue;
        if (b.lower.length !== h || b.upper.length !== h) fail(`panel benchmark: method "${m.name}" gave a ${b.level} interval of ${b.lower.length} steps for series "${ids[i]}"; expected h = ${h}`, 'method');
        intervals.push({
          level: b.level,
          coverage: coverage(actual, b.lower, b.upper),
          msis: s === null ? null : msis(actual, b.lower, b.upper, { train: data.train[i]!, period, level: b.level }),
        });
      }
      return { id: ids[i]!, smape: smape(actual, f.mean), mase: s === null ? null : absErr / h / s, intervals };
    });
    return { m, run, series };
  });
  const withScale = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  const pooled = raw.map(({ series }) => ({ smape: mean(series.map((s) => s.smape)), mase: mean(withScale(series.map((s) => s.mase))) }));
  const ref = pooled[all.findIndex((m) => m.name === naive2.name)]!;
  const result: MethodScore[] = raw.map(({ m, run, series }, j) => {
    const intervals: PooledIntervalScore[] = levels.map((level) => {
      const got = series.map((s) => s.intervals.find((b) => b.level === level)).filter((b): b is IntervalScore => b !== undefined);
      const ms = withScale(got.map((b) => b.msis));
      return { level, coverage: mean(got.map((b) => b.coverage)), msis: ms.length ? mean(ms) : null, series: got.length };
    }).filter((b) => b.series > 0);
    const p = pooled[j]!;
    const noScale = scale.every((s) => s === null);
    return {
      name: m.name,
      description: run.description,
      ...(run.standIn ? { standIn: run.standIn } : {}),
      smape: p.smape,
      mase: noScale ? null : p.mase,
      owa: noScale || ref.smape === 0 || ref.mase === 0 ? null : owa(p.smape, p.mase, ref.smape, ref.mase),
      intervals,
      fitMs: run.fitMs,
      forecastMs: run.forecastMs,
      series,
      ...(keepForecasts ? { forecasts: run.forecasts } : {}),
    };
  });
  return { ids, horizon: h, period, levels: [...levels], methods: result, withoutScale: ids.filter((_, i) => scale[i] === null) };
}
