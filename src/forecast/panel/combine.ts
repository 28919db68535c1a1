/**
 * The combination of the panel forecaster: the network's forecast mixed with a statistical companion
 * (companion.ts), one weight for the whole panel, chosen on validation windows the network never saw
 * (each series' last 2h training values, as two windows of h, or its last h where the series are short; the
 * members of the first training train and stop early on the values before them, validation.ts), and a prediction interval calibrated on the same windows.
 *
 * Point forecast, with w ∈ {0, ¼, ½, ¾, 1}:
 *
 *   ŷ_k = w · ŷ^net_k + (1 − w) · c_k
 *   w = argmin_w  S(w),  S(w) = mean over series i and steps k of 2 |y_{i,k} − ŷ_{i,k}| / (|y_{i,k}| + |ŷ_{i,k}|)
 *
 * or, given each series' MASE scale s_i, an OWA-like score relative to the companion alone:
 *
 *   S(w) = ½ · sMAPE(w) / sMAPE(0) + ½ · MASE(w) / MASE(0),   MASE(w) = mean of |y_{i,k} − ŷ_{i,k}| / s_i
 *
 * Ties go to the smaller w (the companion), so a network that adds nothing on validation is not used.
 *
 * Interval of a combination (split-conformal on the validation windows): each series' template half-width
 * d_{i,k} = s_i · √k (s_i its MASE scale, bandTemplate) is scaled by one factor f. With the validation
 * residuals e = y − ŷ of the combined forecast, the scores are |e| / d; f is their ⌈(n + 1) · level⌉-th
 * smallest of n (the largest when that rank exceeds n), and the band is ŷ ± f·d. (The network's own quantile
 * band as the template failed: where a tiny network's band collapses to zero width on one side, one ratio
 * explodes and so does every band.) Residuals of one series at different steps are not exchangeable, so the
 * coverage is approximate; it is measured on the development panels (docs/forecasting.md).
 *
 * With two validation windows (validation.ts; the default) the weight is chosen on both, each series' windows
 * scored together as one forecast of 2h values; and the combination, whatever its weight below 1, is also scored
 * on the window before (y_{n−2h+1} … y_{n−h}, forecast from y_1 … y_{n−2h}), as the companion alone (w = 0) is
 * with one window. The band takes the larger of the two windows' factors,
 *
 *   f = max(f_1, f_2),
 *
 * the narrowest band that would have covered the level in each of the last two windows (calibrateBandOnWindows).
 * One window's factor varies from one stretch of time to the next, and a band too narrow loses more coverage
 * than one as much too wide gains, so one window under-covered on average (0.934 for a 95% band over sixteen
 * panels; docs/forecasting.md "Intervals that cover what they say").
 */

export const COMBINATION_WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;

/**
 * The weight of the network in the combination that scores best on the validation windows. With
 * `scales` (each series' in-sample MASE scale) the score is OWA-like (sMAPE and MASE relative to the
 * companion alone); without, it is sMAPE/200. With `evidence` z > 0, a weight w > 0 is kept only when its
 * gain over the companion is at least z standard errors of a sum over series,
 *
 *   Σ_i d_i ≥ z · √N · sd(d),   d_i = c_i(0) − c_i(w),   S(w) = Σ_i c_i(w)  (series i's share of the score),
 *
 * and the companion alone (w = 0) otherwise; a single series (no spread to measure) never passes.
 * `evidence` in the result is that ratio for the best weight (Infinity when the best is the companion).
 * With fewer than `minSeries` validation windows (series) the weight is 0: the companion alone.
 */
export function chooseWeight(net: readonly ArrayLike<number>[], companion: readonly ArrayLike<number>[], actual: readonly ArrayLike<number>[],
  scales?: readonly number[], evidence = 0, minSeries = 1): { weight: number; scores: number[]; evidence: number } {
  // Each series' sums at each weight: sMAPE terms, scaled errors, and their counts.
  const per = COMBINATION_WEIGHTS.map((w) => net.map((f, i) => {
    let sm = 0, sc = 0, count = 0, scaled = 0;
    const a = actual[i]!;
    const s = scales?.[i];
    for (let k = 0; k < f.length; k++) {
      const yhat = w * f[k]! + (1 - w) * companion[i]![k]!;
      const den = Math.abs(a[k]!) + Math.abs(yhat);
      sm += den > 0 ? (2 * Math.abs(a[k]! - yhat)) / den : 0;
      count++;
      if (s !== undefined && s > 0 && Number.isFinite(s)) { sc += Math.abs(a[k]! - yhat) / s; scaled++; }
    }
    return { sm, sc, count, scaled };
  }));
  const total = (j: number, key: 'sm' | 'sc' | 'count' | 'scaled'): number => per[j]!.reduce((t, r) => t + r[key], 0);
  const raw = COMBINATION_WEIGHTS.map((_, j) => ({
    smape: total(j, 'count') ? total(j, 'sm') / total(j, 'count') : Infinity,
    mase: total(j, 'scaled') ? total(j, 'sc') / total(j, 'scaled') : NaN,
  }));
  const useMase = scales !== undefined && raw.every((r) => Number.isFinite(r.mase)) && raw[0]!.mase > 0 && raw[0]!.smape > 0;
  const scores = raw.map((r) => (useMase ? 0.5 * (r.smape / raw[0]!.smape) + 0.5 * (r.mase / raw[0]!.mase) : r.smape));
  // Series i's share of the score at weight j, so that S(w) = Σ_i c_i(w).
  const n0 = total(0, 'count');
  const s0 = total(0, 'scaled');
  const share = (j: number, i: number): number => {
    const r = per[j]![i]!;
    return useMase ? 0.5 * (r.sm / n0) / raw[0]!.smape + 0.5 * (r.sc / s0) / raw[0]!.mase : r.sm / n0;
  };
  let best = 0;
  scores.forEach((s, j) => { if (s < scores[best]!) best = j; });
  // The gain over the companion in standard errors of its sum over series: Σ d_i / (√N · sd(d)).
  let z = Infinity;
  if (best > 0) {
    const d = net.map((_, i) => share(0, i) - share(best, i));
    const N = d.length;
    const mean = d.reduce((a, b) => a + b, 0) / N;
    const sd = N > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1)) : NaN;
    z = sd > 0 ? (N * mean) / (Math.sqrt(N) * sd) : N > 1 && mean > 0 ? Infinity : 0;
    if (!(z >= evidence) && evidence > 0) best = 0;
  }
  if (net.length < minSeries) best = 0;
  return { weight: COMBINATION_WEIGHTS[best]!, scores, evidence: z };
}

/**
 * The half-widths the band factor scales, for a series y: s·√k at step k (both sides), with s the in-sample
 * mean absolute error of the seasonal naive forecast (lag m; lag 1 when y is one season or shorter), the
 * scale of MASE. It is positive for any series that varies, and grows like a random walk's spread.
 */
export function bandTemplate(y: ArrayLike<number>, h: number, period: number): Float64Array {
  const lag = y.length > period ? period : 1;
  let s = 0;
  for (let t = lag; t < y.length; t++) s += Math.abs(y[t]! - y[t - lag]!);
  const n = y.length - lag;
  let scale = n > 0 ? s / n : 0;
  if (!(scale > 0)) scale = Math.max(1e-6 * Math.abs(y[y.length - 1] ?? 0), 1e-12);
  const out = new Float64Array(h);
  for (let k = 0; k < h; k++) out[k] = scale * Math.sqrt(k + 1);
  return out;
}

/**
 * The band factor f calibrated on validation windows: `forecast` are the combined forecasts there,
 * `widths` the half-widths of each series' band template there (bandTemplate), `actual` the values.
 */
export function calibrateBand(forecast: readonly ArrayLike<number>[], widths: readonly ArrayLike<number>[], actual: readonly ArrayLike<number>[],
  level: number): { factor: number; n: number } {
  const scores: number[] = [];
  forecast.forEach((f, i) => {
    const d = widths[i]!;
    const a = actual[i]!;
    for (let k = 0; k < f.length; k++) {
      const s = Math.abs(a[k]! - f[k]!) / d[k]!;
      if (Number.isFinite(s)) scores.push(s);
    }
  });
  if (scores.length === 0) return { factor: 1, n: 0 };
  scores.sort((x, y) => x - y);
  const rank = Math.min(Math.ceil((scores.length + 1) * level), scores.length);
  return { factor: scores[rank - 1]!, n: scores.length };
}

/** One calibration window of calibrateBandOnWindows: per series, the forecast, the template half-widths and the actual values. */
export interface BandWindow { forecast: readonly ArrayLike<number>[]; widths: readonly ArrayLike<number>[]; actual: readonly ArrayLike<number>[] }

/**
 * The band factor over several windows: the largest of each window's calibrateBand factor (windows without
 * a finite score are skipped; 1 when none has one), so the band would have covered `level` in every window.
 */
export function calibrateBandOnWindows(windows: readonly BandWindow[], level: number): { factor: number; n: number } {
  let factor = -Infinity;
  let n = 0;
  for (const w of windows) {
    const c = calibrateBand(w.forecast, w.widths, w.actual, level);
    if (c.n === 0) continue;
    factor = Math.max(factor, c.factor);
    n += c.n;
  }
  return n === 0 ? { factor: 1, n: 0 } : { factor, n };
}

/** The band around a combined forecast: ŷ ± factor · template. */
export function combinedBand(forecast: ArrayLike<number>, widths: ArrayLike<number>, factor: number): { lower: Float64Array; upper: Float64Array } {
  const h = forecast.length;
  const lower = new Float64Array(h);
  const upper = new Float64Array(h);
  for (let k = 0; k < h; k++) {
    lower[k] = forecast[k]! - factor * widths[k]!;
    upper[k] = forecast[k]! + factor * widths[k]!;
  }
  return { lower, upper };
}
