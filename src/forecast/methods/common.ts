/**
 * Small pieces every method file uses: checking a series, a horizon and interval levels, the standard
 * normal quantile, normal prediction intervals, and the median of a sample.
 *
 * Normal interval at level L for step k, with point forecast ŷ_k and forecast standard error s_k:
 *   ŷ_k ± z · s_k,   z = Φ⁻¹(½ + L/2)        (e.g. L = 0.95 → z = 1.959964)
 *
 * Φ⁻¹ is Acklam's rational approximation (relative error below 1.2e-9 over (0, 1)), refined by one Halley
 * step on Φ computed from erfc (W. J. Cody's rational approximations), which takes it to about 1e-15.
 */
import { UnrollError, describe } from '../../util/errors.js';
import type { IntervalBounds } from './types.js';

/** Checks a history: finite values, at least `min` of them. Returns it as a Float64Array (a copy). */
export function checkSeries(method: string, y: ArrayLike<number>, min = 1): Float64Array {
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new UnrollError(`${method}: the series is ${describe(y)}; expected an array of numbers`, 'data');
  }
  if (y.length < min) throw new UnrollError(`${method}: the series has ${y.length} values; expected at least ${min}`, 'data');
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UnrollError(`${method}: value [${i}] of the series is ${describe(v)}; expected finite numbers`, 'data');
    out[i] = v;
  }
  return out;
}

/** Checks the seasonal period option: an integer >= 1. */
export function checkPeriod(method: string, period: unknown): number {
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1) {
    throw new UnrollError(`${method}: option "period" is ${describe(period)}; expected an integer >= 1 (1 = no season)`, 'option');
  }
  return period;
}

/** Checks a horizon: an integer >= 1 (an allocation is sized by it, so it is bounded). */
export function checkHorizon(method: string, h: unknown): number {
  if (typeof h !== 'number' || !Number.isInteger(h) || h < 1 || h > 1e7) {
    throw new UnrollError(`${method}: horizon h is ${describe(h)}; expected an integer from 1 to 10000000`, 'option');
  }
  return h;
}

/** Checks interval levels: each in (0, 1). */
export function checkLevels(method: string, levels: unknown): readonly number[] {
  if (levels === undefined) return [];
  if (!Array.isArray(levels)) throw new UnrollError(`${method}: option "levels" is ${describe(levels)}; expected an array of coverages in (0, 1), e.g. [0.8, 0.95]`, 'option');
  for (const l of levels) {
    if (typeof l !== 'number' || !(l > 0 && l < 1)) {
      throw new UnrollError(`${method}: interval level ${describe(l)} is not in (0, 1); expected a nominal coverage such as 0.95`, 'option');
    }
  }
  return levels as number[];
}

/** erfc(x) after W. J. Cody (1969), three rational approximations; relative error ~1e-16. */
export function erfc(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 0.5) {
    const t = x * x;
    const top = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947;
    const bot = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    return 1 - (x * top) / bot;
  } else if (ax < 4) {
    const top = (((((((2.15311535474403846e-8 * ax + 0.564188496988670089) * ax + 8.88314979438837594) * ax + 66.1191906371416295) * ax + 298.635138197400131) * ax
      + 881.952221241769090) * ax + 1712.04761263407058) * ax + 2051.07837782607147) * ax + 1230.33935479799725;
    const bot = (((((((ax + 15.7449261107098347) * ax + 117.693950891312499) * ax + 537.181101862009858) * ax + 1621.38957456669019) * ax
      + 3290.79923573345963) * ax + 4362.61909014324716) * ax + 3439.36767414372164) * ax + 1230.33935480374942;
    r = (Math.exp(-ax * ax) * top) / bot;
  } else {
    const z = 1 / (ax * ax);
    const top = ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z + 0.125781726111229246) * z + 0.0160837851487422766) * z + 6.58749161529837803e-4;
    const bot = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z + 0.0605183413124413191) * z + 0.00233520497626869185;
    r = (Math.exp(-ax * ax) / ax) * (1 / Math.sqrt(Math.PI) - (z * top) / bot);
  }
  return x < 0 ? 2 - r : r;
}

/** The standard normal quantile Φ⁻¹(p) for p in (0, 1). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new UnrollError(`normalQuantile: p is ${describe(p)}; expected a probability in (0, 1)`, 'option');
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  let x: number;
  if (p < pLow || p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(p < pLow ? p : 1 - p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    if (p > 1 - pLow) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  // One Halley step: e = Φ(x) - p, u = e·√(2π)·exp(x²/2), x ← x − u / (1 + x·u/2).
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Normal intervals ŷ_k ± z·s_k for each level; `se` holds s_k per step. */
export function normalIntervals(mean: Float64Array, se: Float64Array, levels: readonly number[]): IntervalBounds[] {
  return levels.map((level) => {
    const z = normalQuantile(0.5 + level / 2);
    const lower = new Float64Array(mean.length);
    const upper = new Float64Array(mean.length);
    for (let k = 0; k < mean.length; k++) {
      lower[k] = mean[k]! - z * se[k]!;
      upper[k] = mean[k]! + z * se[k]!;
    }
    return { level, lower, upper };
  });
}

/** Multiplies point forecasts and interval bounds by per-step factors (re-seasonalising). */
export function scaleForecast(mean: Float64Array, intervals: IntervalBounds[], factors: Float64Array): void {
  for (let k = 0; k < mean.length; k++) mean[k] = mean[k]! * factors[k]!;
  for (const b of intervals) {
    for (let k = 0; k < mean.length; k++) {
      const lo = b.lower[k]! * factors[k]!;
      const hi = b.upper[k]! * factors[k]!;
      b.lower[k] = Math.min(lo, hi); // a negative factor would swap the bounds
      b.upper[k] = Math.max(lo, hi);
    }
  }
}

/** The median of v (the mean of the middle two for an even count); v is not changed. */
export function median(v: ArrayLike<number>): number {
  const s = Float64Array.from(v).sort();
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}
