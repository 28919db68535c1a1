/**
 * A guard against a break at the forecast origin, for the ETS–ARIMA companion (companion.ts).
 *
 * ETS with a trend, ARIMA with a drift or a difference, and damped Holt all read the last change of a series as
 * evidence of its trend. When that change is a one-off shock (a crash, a strike, a change of definition) they
 * carry it on for the whole horizon, to values far outside anything the series has shown: on the sixth held-out
 * set, quarterly US indices cut at the 2020Q2 trough were forecast to fall below zero. Theta's trend is the slope
 * of the whole series, halved, and its level is simple exponential smoothing's, so one shock moves its level but
 * not its slope.
 *
 * The test compares the series' last one-step change with the changes before it, on a robust scale:
 *
 *   a_t = y_t / S_t where the period m > 1 and M4's test finds y seasonal (seasonality.ts: the 90% ACF test, then
 *         classical multiplicative indices S), else a_t = y_t; so a regular seasonal spike is not a change
 *   z_t = log a_t when every a > 0, else z_t = a_t
 *   d_t = z_t − z_{t−1},   t = 2 … n
 *   D   = {d_2, …, d_{n−1}}                    (every change but the last)
 *   μ   = median(D),   σ = 1.4826 · median(|d − μ| : d ∈ D)      (the MAD, scaled to a normal's σ)
 *   σ   = 1.2533 · mean(|d − μ| : d ∈ D)       where that MAD is 0 (most changes equal: a rate that moves in
 *                                               steps, values rounded coarsely), scaled to a normal's σ too
 *
 *   break  ⇔  |D| ≥ BREAK_MIN_CHANGES  and  |d_n − μ| > BREAK_K · max(σ, 1e−12 · (|μ| + 1))
 *
 * With log values the changes are relative, so a series growing at a steady rate has steady changes. The floor
 * on σ keeps a series whose earlier changes are all equal (both scales 0) from dividing by zero: any other last
 * change is then a break.
 *
 * BREAK_K = 8 and the use of Theta were chosen on development data (docs/forecasting.md, "A guard against a
 * break at the origin"): over the held-out sets 2–6 (3061 series-origin pairs), k = 6 and 8 fired on few pairs
 * outside heldout6's quarterly origin 1 (where 25 of 80 series end at the 2020 trough with k = 8); Theta was a
 * better stand-in than SES, damped Holt, or the mean or median of ETS, ARIMA and Theta, and the last change alone
 * better than either of the last two. The seasonal adjustment and the second scale came after a review found
 * that the first version (one-step changes of y, the MAD alone) fired on a December spike and on a rate's usual
 * step; on heldout2–7 they changed the pooled figure by 0.0001.
 */
import { median } from '../methods/common.js';
import { seasonalAdjustment } from '../methods/seasonality.js';

/** The guard's threshold, in robust standard deviations of the series' own one-step changes. */
export const BREAK_K = 8;
/** Fewer earlier changes than this never count as a break: the spread is not known well enough. */
export const BREAK_MIN_CHANGES = 8;

/**
 * Whether y's last one-step change is a break against its earlier changes (the header's test), `k` robust
 * standard deviations out, with y seasonally adjusted first where `period` > 1 and y is seasonal. Non-finite
 * values are the caller's to reject (companion inputs are checked).
 */
export function breakAtOrigin(y: ArrayLike<number>, period = 1, k = BREAK_K): boolean {
  const n = y.length;
  if (n - 2 < BREAK_MIN_CHANGES) return false;
  const a = period > 1 ? seasonalAdjustment(Float64Array.from(y), period).series : y;
  let positive = true;
  for (let t = 0; t < n; t++) if (!(a[t]! > 0)) { positive = false; break; }
  const z = (t: number): number => (positive ? Math.log(a[t]!) : a[t]!);
  const before = new Float64Array(n - 2);
  for (let t = 1; t < n - 1; t++) before[t - 1] = z(t) - z(t - 1);
  const mu = median(before);
  const dev = before.map((d) => Math.abs(d - mu));
  let sigma = 1.4826 * median(dev);
  if (sigma === 0) sigma = (1.2533 * dev.reduce((s, d) => s + d, 0)) / dev.length;
  const last = z(n - 1) - z(n - 2);
  return Math.abs(last - mu) > k * Math.max(sigma, 1e-12 * (Math.abs(mu) + 1));
}
