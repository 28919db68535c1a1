/**
 * Baseline forecasts that every model must be compared with, on the same test span. With y_0..y_{n-1}
 * the history known at the forecast origin and k = 1..h the steps ahead:
 *
 *   naive (persistence)  ŷ_{n-1+k} = y_{n-1}
 *   drift                ŷ_{n-1+k} = y_{n-1} + k · (y_{n-1} - y_0) / (n - 1)
 *   moving average (w)   ŷ_{n-1+k} = mean(y_{n-w} .. y_{n-1})
 *   seasonal naive (m)   ŷ_{n-1+k} = y_{n-1+k-m·(⌊(k-1)/m⌋+1)}   (the same season of the last full cycle)
 *
 * forecastBaseline makes h-step forecasts from one origin; oneStepBaseline walks a test span, each point
 * forecast one step ahead from all actual values before it (as a one-day-ahead model report is made).
 */
import { UnrollError, describe } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';

export type BaselineKind = 'naive' | 'drift' | 'movingAverage' | 'seasonalNaive';

export interface BaselineSpec {
  kind: BaselineKind;
  /** movingAverage: the number of last values averaged (required for movingAverage). */
  window?: number;
  /** seasonalNaive: the seasonal period m, e.g. 12 for monthly data (required for seasonalNaive). */
  period?: number;
}

type Values = ArrayLike<number>;

const KINDS: readonly BaselineKind[] = ['naive', 'drift', 'movingAverage', 'seasonalNaive'];

/** Checks a baseline spec (keys, kind, window / period) and returns the history it needs. */
export function checkBaselineSpec(spec: BaselineSpec): number {
  // window belongs to the moving average and period to the seasonal naive baseline: another kind says so.
  const cannot: Record<string, string> = {};
  if (spec?.kind !== 'movingAverage') cannot.window = `the ${describe(spec?.kind)} baseline averages no window (only 'movingAverage' has one)`;
  if (spec?.kind !== 'seasonalNaive') cannot.period = `the ${describe(spec?.kind)} baseline has no season (only 'seasonalNaive' has one)`;
  checkOptions(spec, { kind: is.string, window: is.number, period: is.number }, { where: 'baseline spec', cannot }, false);
  if (!KINDS.includes(spec.kind)) throw new UnrollError(`baseline kind ${describe(spec.kind)} is unknown; expected one of ${KINDS.join(', ')}`, 'option');
  const int = (v: unknown, option: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new UnrollError(`option "${option}" of the ${spec.kind} baseline is ${describe(v)}; expected an integer >= 1`, 'option');
    }
    return v;
  };
  switch (spec.kind) {
    case 'naive':
      return 1;
    case 'drift':
      return 2;
    case 'movingAverage':
      return int(spec.window, 'window');
    case 'seasonalNaive':
      return int(spec.period, 'period');
  }
}

function label(spec: BaselineSpec): string {
  if (spec.kind === 'movingAverage') return `movingAverage(${spec.window})`;
  if (spec.kind === 'seasonalNaive') return `seasonalNaive(${spec.period})`;
  return spec.kind;
}

/** Forecast of step k (1-based) from history y[0..n-1]; n has been checked against checkBaselineSpec(). */
function forecastAt(y: Values, n: number, k: number, spec: BaselineSpec): number {
  const last = y[n - 1]!;
  switch (spec.kind) {
    case 'naive':
      return last;
    case 'drift':
      return last + (k * (last - y[0]!)) / (n - 1);
    case 'movingAverage': {
      const w = spec.window!;
      let s = 0;
      for (let t = n - w; t < n; t++) s += y[t]!;
      return s / w;
    }
    case 'seasonalNaive': {
      const m = spec.period!;
      return y[n - 1 + k - m * (Math.floor((k - 1) / m) + 1)]!;
    }
  }
}

function checkFinite(y: Values, what: string): void {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) throw new UnrollError(`${what}: value [${i}] is ${y[i]}; expected finite numbers`, 'data');
  }
}

/** h-step forecasts from the end of `history`. */
export function forecastBaseline(history: Values, horizon: number, spec: BaselineSpec): Float64Array {
  const need = checkBaselineSpec(spec);
  if (!Number.isInteger(horizon) || horizon < 1) throw new UnrollError(`option "horizon" is ${describe(horizon)}; expected an integer >= 1`, 'option');
  checkFinite(history, `${label(spec)} baseline`);
  if (history.length < need) {
    throw new UnrollError(`${label(spec)} baseline: the history has ${history.length} values; expected at least ${need}`, 'data');
  }
  const out = new Float64Array(horizon);
  for (let k = 1; k <= horizon; k++) out[k - 1] = forecastAt(history, history.length, k, spec);
  return out;
}

/**
 * One-step-ahead forecasts of series[span.start .. span.end-1], each from all values before it.
 * @param span rows [start, end) of `series` to forecast; start must leave enough history before it.
 */
export function oneStepBaseline(series: Values, span: { start: number; end: number }, spec: BaselineSpec): Float64Array {
  const need = checkBaselineSpec(spec);
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > series.length || end <= start) {
    throw new UnrollError(`option "span" is {start: ${start}, end: ${end}}; expected integers with 0 <= start < end <= ${series.length}`, 'option');
  }
  checkFinite(series, `${label(spec)} baseline`);
  if (start < need) {
    throw new UnrollError(`${label(spec)} baseline: the test span starts at row ${start}, leaving ${start} values of history; expected at least ${need}`, 'data');
  }
  const out = new Float64Array(end - start);
  for (let t = start; t < end; t++) out[t - start] = forecastAt(series, t, 1, spec);
  return out;
}

/** The standard set of baselines for a report: naive and drift always, moving average and seasonal naive when configured. */
export function standardBaselines(options: { window?: number; period?: number } = {}): { name: string; spec: BaselineSpec }[] {
  checkOptions(options, { window: is.number, period: is.number }, { where: 'standardBaselines' });
  const specs: BaselineSpec[] = [{ kind: 'naive' }, { kind: 'drift' }];
  if (options.window !== undefined) specs.push({ kind: 'movingAverage', window: options.window });
  if (options.period !== undefined) specs.push({ kind: 'seasonalNaive', period: options.period });
  return specs.map((spec) => {
    checkBaselineSpec(spec);
    return { name: label(spec), spec };
  });
}
