/**
 * Prediction intervals calibrated per horizon step by split-conformal prediction on rolling-origin
 * errors, and the coverage they achieved.
 *
 * From each origin e of a calibration span the forecaster predicts ŷ_{e+h} for h = 1 … H, never
 * having trained on that span's targets. Step h collects its own k_h errors
 *
 *   relative:  r = y_{e+h} / ŷ_{e+h} − 1     (positive series: bounds scale with the level)
 *   absolute:  r = y_{e+h} − ŷ_{e+h}         (a series that reaches 0 or below)
 *
 * sorted r_(1) ≤ … ≤ r_(k). For a central interval of nominal coverage 1 − α each tail gets α/2; the
 * conformal order statistics
 *
 *   low_h  = r_(⌊(k+1) α/2⌋)          high_h = r_(⌈(k+1)(1 − α/2)⌉)
 *
 * give P(low_h ≤ r ≤ high_h) ≥ 1 − α for a new error exchangeable with the calibration ones. When
 * ⌊(k+1) α/2⌋ < 1 (fewer than 2/α − 1 errors, 19 for a 90% interval) there is no such order statistic
 * for the step alone. Short series meet this often (a calibration span of a dozen origins), so such a
 * step falls back on the errors of every step pooled, each divided by its own step's scale (the mean
 * absolute error of that step, s_j = mean |r| over its errors: normalised conformal scores):
 *
 *   z = r / s_j  for every error r of every step j with s_j > 0,
 *   low_h = z_(⌊(K+1) α/2⌋) s_h,   high_h = z_(⌈(K+1)(1 − α/2)⌉) s_h   (K pooled errors)
 *
 * and a step with k ≥ 19 errors of its own (enough for a 90% interval) widens that to at least their
 * range [r_(1), r_(k)], so that its 95% interval is never narrower than its 90% one (nested levels).
 *
 * A step with no errors at all takes the scale of the last step j before it that has some, grown by
 * √(h/j). The scales follow the errors, however they grow with h (a random walk's as √h, a model that
 * tracks a season's hardly at all); coverage measured in intervals.test.ts and docs/forecasting.md.
 * Only when even the K pooled errors are too few has the step no interval, and a note says so (never
 * a NaN).
 *
 * Then, in this order:
 *   - contain the point forecast:  low_h ← min(low_h, 0),  high_h ← max(high_h, 0);
 *   - widen with the horizon:      low_h ← min(low_h, low_{h−1}),  high_h ← max(high_h, high_{h−1})
 *     (an h-step forecast is never more certain than an (h−1)-step one; where the errors widen, the
 *     interval follows them);
 *   - past the last calibrated step H: low_h = low_H √(h/H), high_h = high_H √(h/H) (random-walk
 *     growth), with a note.
 *
 * Bounds: relative  [ŷ (1 + low_h), ŷ (1 + high_h)];  absolute  [ŷ + low_h, ŷ + high_h].
 */
import { badOption, UnrollError } from '../util/errors.js';

export type ErrorScale = 'relative' | 'absolute';

export interface StepOffsets {
  low: number;
  high: number;
  /** Calibration errors behind this step (0 for an extrapolated step; all steps' when pooled). */
  count: number;
  /** From the errors of every step pooled on one scale (this step had too few of its own). */
  pooled?: boolean;
}

export interface IntervalCalibration {
  level: number;
  scale: ErrorScale;
  /** offsets[h − 1] for h = 1 … H; null where there were too few errors. */
  offsets: (StepOffsets | null)[];
  /** Errors per step needed for this level: ⌈2/α⌉ − 1. */
  minErrors: number;
  /** Error counts per step (for the "too few errors" message). */
  counts: number[];
}

export interface IntervalBound {
  lower: number | null;
  upper: number | null;
  /** Why there is no interval, or how it was obtained when not from this step's own errors. */
  note?: string;
}

/** The fewest errors a step needs for a central interval at `level`. */
export function minErrorsFor(level: number): number {
  const a = (1 - level) / 2;
  // ⌊(k+1) a⌋ ≥ 1  ⇔  k ≥ 1/a − 1
  return Math.max(1, Math.ceil(1 / a - 1 - 1e-9));
}

/** The signed error of one forecast on the given scale. */
export function forecastError(actual: number, predicted: number, scale: ErrorScale): number {
  return scale === 'relative' ? actual / predicted - 1 : actual - predicted;
}

/** Calibrates per-step offsets from signed errors: errors[h − 1] holds the step-h errors (any order). */
export function calibrateIntervals(errors: readonly (readonly number[])[], level: number, scale: ErrorScale): IntervalCalibration {
  if (!(typeof level === 'number' && level > 0 && level < 1)) badOption('intervalLevel', level, 'a number in (0, 1)');
  const a = (1 - level) / 2;
  const minErrors = minErrorsFor(level);
  const counts: number[] = [];
  const offsets: (StepOffsets | null)[] = [];
  const sorted = errors.map((raw) => raw.filter(Number.isFinite).sort((x, y) => x - y));
  // Each step's scale (mean absolute error); a step without errors grows the last known scale by √(h/j).
  const scales: number[] = [];
  let lastScale: { s: number; j: number } | null = null;
  sorted.forEach((r, j) => {
    const s = r.length ? r.reduce((t, v) => t + Math.abs(v), 0) / r.length : 0;
    if (s > 0) { scales.push(s); lastScale = { s, j: j + 1 }; }
    else scales.push(lastScale ? (lastScale as { s: number; j: number }).s * Math.sqrt((j + 1) / (lastScale as { s: number; j: number }).j) : 0);
  });
  // Every step's errors on one scale (r / s_j), for the steps with too few of their own.
  const pooled = sorted.flatMap((r, j) => (scales[j]! > 0 && r.length ? r.map((v) => v / scales[j]!) : [])).sort((x, y) => x - y);
  const quantiles = (r: number[]): { low: number; high: number } | null => {
    const k = r.length;
    const lo = Math.floor((k + 1) * a + 1e-9);
    const hi = Math.ceil((k + 1) * (1 - a) - 1e-9);
    return lo < 1 || hi > k ? null : { low: r[lo - 1]!, high: r[hi - 1]! };
  };
  const pooledQ = quantiles(pooled);
  let prev: StepOffsets | null = null;
  sorted.forEach((r, j) => {
    counts.push(r.length);
    const own = quantiles(r);
    const g = scales[j]!;
    // A step with enough errors of its own for a 90% interval (19) keeps their range when pooled at a
    // higher level, so that its 95% interval is never narrower than its 90% one.
    const floor = r.length >= minErrorsFor(0.9) ? { low: r[0]!, high: r[r.length - 1]! } : { low: 0, high: 0 };
    const q = own ?? (pooledQ && g > 0 ? { low: Math.min(pooledQ.low * g, floor.low), high: Math.max(pooledQ.high * g, floor.high) } : null);
    if (!q) { offsets.push(null); return; }
    let low = Math.min(q.low, 0);
    let high = Math.max(q.high, 0);
    if (prev) { low = Math.min(low, prev.low); high = Math.max(high, prev.high); }
    prev = own ? { low, high, count: r.length } : { low, high, count: pooled.length, pooled: true };
    offsets.push(prev);
  });
  return { level, scale, offsets, minErrors, counts };
}

/** The interval around a point forecast `value` made `step` steps ahead. */
export function intervalAt(cal: IntervalCalibration, value: number, step: number): IntervalBound {
  if (!Number.isInteger(step) || step < 1) throw new UnrollError(`interval: step ${step}; expected an integer ≥ 1`, 'option');
  const H = cal.offsets.length;
  const pct = `${Math.round(cal.level * 1000) / 10}%`;
  if (H === 0) return { lower: null, upper: null, note: `no ${pct} interval: the model has no calibration errors` };
  let o: StepOffsets | null;
  let note: string | undefined;
  if (step <= H) {
    o = cal.offsets[step - 1];
    if (!o) {
      const pooled = cal.counts.reduce((x, y) => x + y, 0);
      return { lower: null, upper: null, note: `no ${pct} interval at step ${step}: ${cal.counts[step - 1]} calibration errors (${pooled} over all steps), at least ${cal.minErrors} needed (train on a longer series or lower the level)` };
    }
    if (o.pooled) note = `step ${step} has ${cal.counts[step - 1]} calibration errors of its own (fewer than ${cal.minErrors}): its interval pools the ${o.count} errors of every step, each divided by its step's mean absolute error, times this step's`;
  } else {
    const last = cal.offsets[H - 1];
    if (!last) return { lower: null, upper: null, note: `no ${pct} interval at step ${step}: too few calibration errors at step ${H}, the last calibrated step, even pooled over all steps` };
    const g = Math.sqrt(step / H);
    o = { low: last.low * g, high: last.high * g, count: 0 };
    note = `step ${step} is past the last calibrated step (${H}): the step-${H} interval widened by √(${step}/${H})`;
  }
  const lower = cal.scale === 'relative' ? value * (1 + o.low) : value + o.low;
  const upper = cal.scale === 'relative' ? value * (1 + o.high) : value + o.high;
  // A negative point forecast on the relative scale flips the bounds.
  return { lower: Math.min(lower, upper), upper: Math.max(lower, upper), ...(note ? { note } : {}) };
}

export interface Coverage {
  /** Nominal level, e.g. 0.9. */
  level: number;
  /** Share of actual values inside their interval, over the points that had one. */
  empirical: number | null;
  /** Points that had an interval. */
  count: number;
  /** Points without one (too few calibration errors). */
  missing: number;
}

/** Empirical coverage of intervals over a span: the share of actual values within [lower, upper]. */
export function coverage(actual: ArrayLike<number>, lower: ArrayLike<number | null>, upper: ArrayLike<number | null>, level: number): Coverage {
  let inside = 0, count = 0, missing = 0;
  for (let i = 0; i < actual.length; i++) {
    const lo = lower[i], hi = upper[i];
    if (lo === null || hi === null || !Number.isFinite(lo) || !Number.isFinite(hi)) { missing++; continue; }
    count++;
    if (actual[i] >= lo && actual[i] <= hi) inside++;
  }
  return { level, empirical: count > 0 ? inside / count : null, count, missing };
}

/** "90% interval held 87.3% of 504 actual values" (or why there is no coverage). */
export function coverageText(c: Coverage): string {
  const nominal = `${Math.round(c.level * 1000) / 10}%`;
  if (c.empirical === null) return `no ${nominal} intervals on this span (too few calibration errors)`;
  const miss = c.missing > 0 ? `; ${c.missing} points had no interval` : '';
  return `the ${nominal} intervals held ${(c.empirical * 100).toFixed(1)}% of ${c.count} actual values${miss}`;
}
