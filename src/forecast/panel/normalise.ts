/**
 * Per-window normalisation of the panel forecaster (the baseline normalisation: no learned
 * parameters). For a window of one series that ends at time e (inputs y_{e−L} … y_{e−1}, targets
 * y_e … y_{e+h−1}), chunk c and K' = min(K, ⌊e / c⌋) whole chunks:
 *
 *   level          ℓ   = (1/c) Σ_{i=1..c} y_{e−i}                     (mean of the last chunk = last season)
 *   inputs         x_t = log(y_t / ℓ),            t = e − K'c … e − 1  (log-squashed, scale-free)
 *   baseline       b_k = log(y_{e−c+(k mod c)} / ℓ)   ('snaive': the seasonal naive forecast in log space)
 *                  b_k = 0                            ('level')
 *   target         z_k = log(y_{e+k} / ℓ) − b_k,   k = 0 … h−1
 *   forecast       ŷ_{e+k} = ℓ · exp(b_k + o_k)       (o = the network's outputs)
 *
 * Logs need positive values: a series with a value ≤ 0 is shifted up by a constant first (`positiveShift`)
 * and the shift is taken off its forecasts.
 */
import type { PanelSettings } from './settings.js';

/** The constant added to a series so that all its values are positive (0 when they already are). */
export function positiveShift(y: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < lo) lo = y[i];
    if (y[i] > hi) hi = y[i];
  }
  if (lo > 0) return 0;
  const range = hi - lo;
  return -lo + (range > 0 ? 0.1 * range : Math.max(1, Math.abs(lo)));
}

/** Whole chunks a window ending at `end` uses. */
export function windowChunks(end: number, s: PanelSettings): number {
  return Math.min(s.lookbackChunks, Math.floor(end / s.chunk));
}

/**
 * Writes the normalised inputs of the window ending at `end` to `out` (chunk j at out[j·c …]) and
 * returns log ℓ. `end` must leave at least one whole chunk before it.
 */
export function windowInputs(y: Float64Array, end: number, s: PanelSettings, out: Float64Array | Float32Array, outOff: number): number {
  const c = s.chunk;
  const chunks = windowChunks(end, s);
  let sum = 0;
  for (let i = end - c; i < end; i++) sum += y[i];
  const logLevel = Math.log(sum / c);
  const start = end - chunks * c;
  for (let t = start; t < end; t++) out[outOff + t - start] = Math.log(y[t]) - logLevel;
  return logLevel;
}

/** Writes the baseline b_0 … b_{h−1} (log space, relative to the level) of the window ending at `end`. */
export function windowBaseline(y: Float64Array, end: number, logLevel: number, s: PanelSettings, out: Float64Array, outOff: number): void {
  const c = s.chunk;
  for (let k = 0; k < s.horizon; k++) out[outOff + k] = s.baseline === 'snaive' ? Math.log(y[end - c + (k % c)]) - logLevel : 0;
}
