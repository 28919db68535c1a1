/**
 * Forecast accuracy metrics. `actual` (A) and `predicted` (F) are aligned arrays over a test span;
 * `previous` (P) holds, for each test point, the last actual value known before it (for one-step-ahead
 * forecasts: the training series' last value, then the actual values shifted by one).
 *
 *   MAE    = mean |A - F|
 *   RMSE   = sqrt(mean (A - F)^2)
 *   MAPE   = 100 · mean |A - F| / |A|                      (percent; undefined when some A = 0)
 *   sMAPE  = 100 · mean 2|A - F| / (|A| + |F|)            (percent, 0..200; a 0/0 term counts as 0)
 *   MASE   = MAE / mean_{t>=m} |y_t - y_{t-m}|  over the training series y (seasonal period m; m = 1 is
 *            the in-sample naive forecast). Below 1: better than the naive method was in-sample.
 *   DA     = share of points where sign(F - P) = sign(A - P)   (directional accuracy, 0..1; chance ≈ 0.5)
 *   Theil's U (U2) = sqrt(Σ (F - A)^2) / sqrt(Σ (A - P)^2)  (1 = as good as naive persistence; below 1 beats it)
 *
 * The M4 competition's scores (Makridakis, Spiliotis & Assimakopoulos 2020), for one series with h test
 * values, forecasts F, and for intervals [L, U] at nominal level 1 − α:
 *   sMAPE  as above (M4's form: 200 · |A − F| / (|A| + |F|), averaged over the h steps)
 *   MASE   as above with the seasonal period m of the data (24 hourly, 12 monthly, 4 quarterly, 1 yearly)
 *   MSIS   = (1/h) Σ [ (U − L) + (2/α)(L − A)·1{A < L} + (2/α)(A − U)·1{A > U} ] / scale
 *            (scale: MASE's in-sample seasonal-naive MAE; M4 scored α = 0.05)
 *   coverage = share of the h actual values inside [L, U]
 * Over a panel (a set of series) M4 averages each score over the series, then
 *   OWA    = ½ · (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2)
 * from the set's means (not the mean of per-series ratios). A series whose MASE scale is 0 (its training
 * values never change at the seasonal lag) has no MASE or MSIS: it is left out of those means and counted.
 */
import { UnrollError, describe } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';

type Values = ArrayLike<number>;

function check(what: string, arrays: Record<string, Values>): number {
  const entries = Object.entries(arrays);
  const n = entries[0]![1].length;
  for (const [name, a] of entries) {
    if (a.length !== n) {
      throw new UnrollError(`${what}: "${name}" has ${a.length} values but "${entries[0]![0]}" has ${n}; expected equal lengths`, 'shape');
    }
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i]!)) throw new UnrollError(`${what}: "${name}"[${i}] is ${a[i]}; expected finite numbers`, 'data');
    }
  }
  if (n === 0) throw new UnrollError(`${what}: no values; expected at least one forecast`, 'data');
  return n;
}

/** Mean absolute error. */
export function mae(actual: Values, predicted: Values): number {
  const n = check('mae', { actual, predicted });
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(actual[i]! - predicted[i]!);
  return s / n;
}

/** Root mean squared error. */
export function rmse(actual: Values, predicted: Values): number {
  const n = check('rmse', { actual, predicted });
  let s = 0;
  for (let i = 0; i < n; i++) s += (actual[i]! - predicted[i]!) ** 2;
  return Math.sqrt(s / n);
}

/** Mean absolute percentage error, in percent. Throws when an actual value is 0. */
export function mape(actual: Values, predicted: Values): number {
  const n = check('mape', { actual, predicted });
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (actual[i] === 0) throw new UnrollError(`mape: actual[${i}] is 0, where a percentage error is undefined; expected non-zero actual values (use sMAPE or MASE)`, 'data');
    s += Math.abs((actual[i]! - predicted[i]!) / actual[i]!);
  }
  return (100 * s) / n;
}

/** Symmetric mean absolute percentage error, in percent (0..200). */
export function smape(actual: Values, predicted: Values): number {
  const n = check('smape', { actual, predicted });
  let s = 0;
  for (let i = 0; i < n; i++) {
    const denom = Math.abs(actual[i]!) + Math.abs(predicted[i]!);
    if (denom > 0) s += (2 * Math.abs(actual[i]! - predicted[i]!)) / denom;
  }
  return (100 * s) / n;
}

export interface MaseOptions {
  /** The training series the scale is computed on (in-sample seasonal naive MAE). */
  train: Values;
  /** Seasonal period m (1 = non-seasonal naive; 12 for monthly data with a yearly season). @default 1 */
  period?: number;
}

/** The in-sample MAE of the seasonal naive method with period m on `train`: MASE's denominator. */
export function naiveScale(train: Values, period = 1): number {
  if (!Number.isInteger(period) || period < 1) throw new UnrollError(`option "period" is ${describe(period)}; expected an integer >= 1`, 'option');
  check('mase', { train });
  if (train.length <= period) {
    throw new UnrollError(`mase: the training series has ${train.length} values; expected more than the period (${period})`, 'data');
  }
  let s = 0;
  for (let t = period; t < train.length; t++) s += Math.abs(train[t]! - train[t - period]!);
  return s / (train.length - period);
}

/** Mean absolute scaled error (Hyndman & Koehler 2006). Throws when the training series never changes. */
export function mase(actual: Values, predicted: Values, options: MaseOptions): number {
  checkOptions(options, { train: is.arrayLike, period: is.number }, { where: 'mase' }, false);
  const scale = naiveScale(options.train, options.period ?? 1);
  if (scale === 0) throw new UnrollError('mase: the training series is constant at the seasonal lag, so the scale is 0; expected a series that varies', 'data');
  return mae(actual, predicted) / scale;
}

/** Share (0..1) of forecasts that move in the same direction from `previous` as the actual value did. */
export function directionalAccuracy(actual: Values, predicted: Values, previous: Values): number {
  const n = check('directionalAccuracy', { actual, predicted, previous });
  let hits = 0;
  for (let i = 0; i < n; i++) {
    if (Math.sign(actual[i]! - previous[i]!) === Math.sign(predicted[i]! - previous[i]!)) hits++;
  }
  return hits / n;
}

/** Theil's U2 against naive persistence. Throws when the actual values never move from `previous`. */
export function theilU(actual: Values, predicted: Values, previous: Values): number {
  const n = check('theilU', { actual, predicted, previous });
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (predicted[i]! - actual[i]!) ** 2;
    den += (actual[i]! - previous[i]!) ** 2;
  }
  if (den === 0) throw new UnrollError('theilU: the actual values never move, so naive is perfect and U is undefined', 'data');
  return Math.sqrt(num / den);
}

/**
 * The "previous actual" of each one-step-ahead test point: the last training value, then the actual
 * test values shifted by one.
 */
export function oneStepPrevious(train: Values, actual: Values): Float64Array {
  if (train.length === 0) throw new UnrollError('oneStepPrevious: the training series is empty; expected at least one value', 'data');
  const out = new Float64Array(actual.length);
  for (let i = 0; i < actual.length; i++) out[i] = i === 0 ? train[train.length - 1]! : actual[i - 1]!;
  return out;
}

export interface ForecastMetrics {
  mae: number;
  rmse: number;
  /** null when some actual value is 0. */
  mape: number | null;
  smape: number;
  /** null when the training series gives a zero scale. */
  mase: number | null;
  /** null when the forecast never predicts a move (e.g. naive): it makes no call on direction. */
  directionalAccuracy: number | null;
  /** null when the actual values never move. */
  theilU: number | null;
}

export interface EvaluateOptions {
  /** The training series (for MASE, and for `previous` by default). */
  train: Values;
  /** Seasonal period for MASE. @default 1 */
  period?: number;
  /** Last known actual value before each test point. @default oneStepPrevious(train, actual) */
  previous?: Values;
}

/** Every metric at once; metrics that are undefined for these data are null instead of throwing. */
export function evaluateForecast(actual: Values, predicted: Values, options: EvaluateOptions): ForecastMetrics {
  checkOptions(options, { train: is.arrayLike, period: is.number, previous: is.arrayLike }, { where: 'evaluateForecast' }, false);
  const previous = options.previous ?? oneStepPrevious(options.train, actual);
  const orNull = (f: () => number): number | null => {
    try {
      return f();
    } catch (e) {
      if (e instanceof UnrollError && e.code === 'data') return null;
      throw e;
    }
  };
  const period = options.period ?? 1;
  naiveScale(options.train, period); // bad options or a too-short training series are errors, not nulls
  return {
    mae: mae(actual, predicted),
    rmse: rmse(actual, predicted),
    mape: orNull(() => mape(actual, predicted)),
    smape: smape(actual, predicted),
    mase: orNull(() => mase(actual, predicted, { train: options.train, period })),
    directionalAccuracy: predictsMoves(predicted, previous) ? directionalAccuracy(actual, predicted, previous) : null,
    theilU: orNull(() => theilU(actual, predicted, previous)),
  };
}

/** True when at least one forecast differs from the last known value (it calls a direction). */
function predictsMoves(predicted: Values, previous: Values): boolean {
  for (let i = 0; i < predicted.length; i++) if (predicted[i] !== previous[i]) return true;
  return false;
}

/** M4's Overall Weighted Average of a method's pooled sMAPE and MASE relative to Naive2's on the same set. */
export function owa(smapeMean: number, maseMean: number, naive2Smape: number, naive2Mase: number): number {
  for (const [name, v] of Object.entries({ smapeMean, maseMean, naive2Smape, naive2Mase })) {
    if (!Number.isFinite(v) || v < 0) throw new UnrollError(`owa: "${name}" is ${v}; expected a finite score >= 0`, 'data');
  }
  if (naive2Smape === 0 || naive2Mase === 0) throw new UnrollError('owa: Naive2 scores 0 on this set, so the ratios are undefined', 'data');
  return 0.5 * (smapeMean / naive2Smape + maseMean / naive2Mase);
}

/** Share (0..1) of actual values inside [lower, upper] (bounds included). */
export function coverage(actual: Values, lower: Values, upper: Values): number {
  const n = check('coverage', { actual, lower, upper });
  let inside = 0;
  for (let i = 0; i < n; i++) if (actual[i]! >= lower[i]! && actual[i]! <= upper[i]!) inside++;
  return inside / n;
}

export interface MsisOptions extends MaseOptions {
  /** Nominal coverage of the interval, in (0, 1): α = 1 − level. M4 used 0.95. */
  level: number;
}

/** M4's mean scaled interval score. Throws when the scale is 0 (see mase). */
export function msis(actual: Values, lower: Values, upper: Values, options: MsisOptions): number {
  checkOptions(options, { train: is.arrayLike, period: is.number, level: is.number }, { where: 'msis' }, false);
  const n = check('msis', { actual, lower, upper });
  const level = options.level;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new UnrollError(`option "level" is ${describe(level)}; expected a nominal coverage in (0, 1) such as 0.95`, 'option');
  const scale = naiveScale(options.train, options.period ?? 1);
  if (scale === 0) throw new UnrollError('msis: the training series is constant at the seasonal lag, so the scale is 0; expected a series that varies', 'data');
  const k = 2 / (1 - level);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const lo = lower[i]!;
    const hi = upper[i]!;
    s += hi - lo;
    if (a < lo) s += k * (lo - a);
    if (a > hi) s += k * (a - hi);
  }
  return s / n / scale;
}
