/**
 * The benchmarks every evaluation runs beside the model, and how any method behind the contract
 * (methods/types.ts) makes one-step-ahead forecasts over a test span.
 *
 * Rolling origin, refitted at every origin: for t = start … end − 1,
 *
 *   ŷ_t = method.fit(y_{t−W} … y_{t−1}, { period: m }).forecast(1).mean[0]
 *
 * so every parameter a benchmark has is estimated from the history before the point it forecasts,
 * exactly as the model's one-step forecast uses only the history before it. Nothing is special-cased:
 * the M4 benchmarks, ETS, ARIMA, drift and the moving average all go through it.
 *
 * Each fit sees the last W = max(1000, 10·m) values before its origin (all of them when fewer), so
 * a refit stays quick on long daily files.
 *
 * Time budget: a method whose fit takes t ms of CPU time (the least of its first three fits) would
 * need t × (span length) in all. When that
 * exceeds `budgetMs`, it is refitted every k = ⌈t · span / budgetMs⌉ origins instead. Between refits a
 * method that can extend its fit (FittedMethod.extend: ETS, ARIMA) runs its states on through each new
 * value, so its forecasts stay one step ahead with parameters at most k − 1 steps old; any other method
 * forecasts 1 … k steps ahead from the last refit (a handicap to the benchmark, so the verdict can only
 * understate it). The stride is reported with the method, and k = 1 otherwise.
 * The stride depends on the machine's speed; pass `refitEvery` to fix it.
 * A method that cannot be fitted at some origin (too short a history, …) is left out of the table with
 * a note saying why; a method whose forecasts equal an earlier one's on the span (seasonal naive with
 * m = 1 is naive) is left out as a duplicate.
 */
import { checkBaselineSpec, forecastBaseline, type BaselineSpec } from './baselines.js';
import { M4_BENCHMARKS, arima, ets } from './methods/index.js';
import type { FitOptions, FittedMethod, ForecastMethod } from './methods/types.js';
import { UnrollError } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import { checkedMethod } from './methods/checked.js';

/** A baseline of baselines.ts (drift, moving average, …) behind the method contract. */
export function baselineMethod(name: string, spec: BaselineSpec): ForecastMethod {
  checkBaselineSpec(spec); // the spec's keys and values are checked now, before any series
  return checkedMethod({
    name,
    fit(y: ArrayLike<number>, _options: FitOptions): FittedMethod {
      const history = Float64Array.from(y);
      forecastBaseline(history, 1, spec); // validates the spec and the history length now
      return { name, forecast: (h: number) => ({ mean: forecastBaseline(history, h, spec), intervals: [] }) };
    },
  });
}

/** M4's statistical benchmarks (as many as are built), then drift and a moving average. */
export function defaultBenchmarks(options: { movingAverage?: number } = {}): ForecastMethod[] {
  checkOptions(options, { movingAverage: is.positiveInt }, { where: 'defaultBenchmarks' });
  return [
    ...M4_BENCHMARKS,
    ets,
    arima,
    baselineMethod('drift', { kind: 'drift' }),
    baselineMethod(`movingAverage(${options.movingAverage ?? 5})`, { kind: 'movingAverage', window: options.movingAverage ?? 5 }),
  ];
}

const LABELS: Record<string, string> = {
  naive: 'naive (persistence)', snaive: 'seasonal naive', naive2: 'Naive2', ses: 'SES', holt: 'Holt', damped: 'damped Holt',
  theta: 'Theta', comb: 'Comb', ets: 'ETS', arima: 'ARIMA',
};

/** The name of a method in sentences ("seasonal naive" for 'snaive'). */
export function methodLabel(name: string): string {
  return LABELS[name] ?? name;
}

/** CPU time allowed to each benchmark's refits over a span before it is refitted less often. */
export const BENCHMARK_BUDGET_MS = 1500;
/** Each fit sees at most the last max(BENCHMARK_WINDOW, 10·m) values before its origin. */
export const BENCHMARK_WINDOW = 1000;

/** The keys of RollingOptions and their types (ranges are checked where they are used). */
const ROLLING_RULES = { period: is.number, horizon: is.positiveInt, budgetMs: is.nonNegative, refitEvery: is.positiveInt, window: is.positiveInt };

export interface RollingOptions extends FitOptions {
  /** Time allowed to the method's fits over the span (ms). @default BENCHMARK_BUDGET_MS */
  budgetMs?: number;
  /** Refit every k origins (1 = every origin), overriding the budget. */
  refitEvery?: number;
  /** Fit on at most this many values before each origin. @default max(BENCHMARK_WINDOW, 10·period) */
  window?: number;
}

/**
 * Forecasts of y[start … end−1]: refitted on all values before the origin every `refitEvery`
 * origins (every origin when the budget allows), each forecast as few steps ahead as that allows
 * (one step at every origin for a method that can extend its fit). `oneStep` says whether every
 * forecast was one step ahead.
 */
export function rollingForecasts(method: ForecastMethod, y: Float64Array, span: { start: number; end: number }, options: RollingOptions): { predicted: Float64Array; refitEvery: number; oneStep: boolean } {
  checkOptions(options, ROLLING_RULES, { where: 'rollingForecasts' }, false);
  const len = span.end - span.start;
  const out = new Float64Array(len);
  const fitOptions: FitOptions = { period: options.period };
  const window = options.window ?? Math.max(BENCHMARK_WINDOW, 10 * options.period);
  let k = options.refitEvery ?? 0;
  // The first fits are timed (the least of up to three, past the compiler's warm-up) to pick k.
  let fastest = Infinity;
  let extended = false;
  for (let t = span.start; t < span.end;) {
    const t0 = cpuMs();
    const fitted = method.fit(y.subarray(Math.max(0, t - window), t), fitOptions);
    if (k === 0) {
      fastest = Math.min(fastest, Math.max(cpuMs() - t0, 0.001));
      if (t - span.start >= 2 || fastest * len <= (options.budgetMs ?? BENCHMARK_BUDGET_MS) / 4) {
        k = Math.max(1, Math.ceil((fastest * len) / (options.budgetMs ?? BENCHMARK_BUDGET_MS)));
      }
    }
    const steps = Math.min(Math.max(k, 1), span.end - t);
    if (steps > 1 && fitted.extend) {
      // One step ahead at every origin: the fit's states run on through the values since the refit.
      const from = Math.max(0, t - window);
      let s = 0;
      for (; s < steps; s++) {
        let f: FittedMethod;
        try {
          f = s === 0 ? fitted : fitted.extend(y.subarray(from, t + s));
        } catch (e) {
          if (e instanceof UnrollError) break; // the recursion broke down: refit at this origin
          throw e;
        }
        const v = f.forecast(1).mean[0];
        if (!Number.isFinite(v)) throw new UnrollError(`${method.name}: its one-step forecast from ${t + s} values is ${v}`, 'data');
        out[t - span.start + s] = v;
      }
      extended = true;
      t += s;
      continue;
    }
    const mean = fitted.forecast(steps).mean;
    for (let s = 0; s < steps; s++) {
      if (!Number.isFinite(mean[s])) throw new UnrollError(`${method.name}: its ${s + 1}-step forecast from ${t} values is ${mean[s]}`, 'data');
      out[t - span.start + s] = mean[s];
    }
    t += steps;
  }
  return { predicted: out, refitEvery: Math.max(k, 1), oneStep: k <= 1 || extended };
}

/** CPU time of this process in ms where it can be read (Node), else wall-clock time. */
function cpuMs(): number {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  if (p?.cpuUsage) { const u = p.cpuUsage(); return (u.user + u.system) / 1000; }
  return performance.now();
}

/** One-step-ahead forecasts of y[start … end−1], each from a fit on all values before it. */
export function rollingOneStep(method: ForecastMethod, y: Float64Array, span: { start: number; end: number }, options: FitOptions): Float64Array {
  return rollingForecasts(method, y, span, { ...options, refitEvery: 1 }).predicted;
}

export interface BenchmarkRun {
  name: string;
  predicted: Float64Array;
  /** Refitted every this many origins (1: every forecast is one step ahead). */
  refitEvery: number;
  /** The model the method chose at its last refit, e.g. "ETS(M,Ad,M)". */
  description?: string;
}

/** Runs every benchmark over the span; returns those that ran, and notes on those left out or refitted less often. */
export function runBenchmarks(methods: readonly ForecastMethod[], y: Float64Array, span: { start: number; end: number }, options: RollingOptions): { runs: BenchmarkRun[]; notes: string[] } {
  checkOptions(options, ROLLING_RULES, { where: 'runBenchmarks' }, false);
  const runs: BenchmarkRun[] = [];
  const notes: string[] = [];
  for (const m of methods) {
    let r: { predicted: Float64Array; refitEvery: number; oneStep: boolean };
    try {
      r = rollingForecasts(m, y, span, options);
    } catch (e) {
      if (!(e instanceof UnrollError)) throw e;
      notes.push(`${methodLabel(m.name)} left out: ${e.message}`);
      continue;
    }
    const same = runs.find((x) => x.predicted.every((v, i) => v === r.predicted[i]));
    if (same) { notes.push(`${methodLabel(m.name)} left out: its forecasts equal ${methodLabel(same.name)}'s on this span (period ${options.period})`); continue; }
    if (r.refitEvery > 1 && r.oneStep) notes.push(`${methodLabel(m.name)} was re-estimated every ${r.refitEvery} steps to bound the time, its states updated at every step (all its forecasts are one step ahead, as the model's)`);
    else if (r.refitEvery > 1) notes.push(`${methodLabel(m.name)} was refitted every ${r.refitEvery} steps to bound the time (its forecasts are 1 to ${r.refitEvery} steps ahead; the model's are one step ahead), which can only flatter the model`);
    runs.push({ name: m.name, predicted: r.predicted, refitEvery: r.refitEvery });
  }
  const window = options.window ?? Math.max(BENCHMARK_WINDOW, 10 * options.period);
  if (span.start > window) notes.push(`each benchmark was fitted on the last ${window} values before every step it forecasts`);
  return { runs, notes };
}
