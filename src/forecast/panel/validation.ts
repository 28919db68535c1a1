/**
 * The validation split of the panel forecaster, on which its combination is chosen (combine.ts). With h
 * the horizon, c the chunk and y_1 … y_n a series:
 *
 *   'honest' (when some series has n ≥ c + 3h)
 *     the network's data   y_1 … y_{n−h}    the members train on windows whose targets end by n − 2h and
 *                                            stop early on y_{n−2h+1} … y_{n−h} (train.ts)
 *     validation window    y_{n−h+1} … y_n   forecast from y_1 … y_{n−h} (every series with n − h ≥ c)
 *
 *   'shared' (otherwise)
 *     the members train on all of y and stop early on y_{n−h+1} … y_n, which are also the validation
 *     window (series with n ≥ c + 2h): the choice then leans toward the network.
 *
 * In the honest split the weight and the interval factor are chosen on values no member trained or
 * stopped on. When the weight gives the network any share, the members are then trained again on every
 * value (model.ts), as in the shared split, so the forecast does not lose the newest h values; this
 * doubles the training time. (Without the second training, M4 Hourly's development split lost 0.012 of
 * OWA: 0.474 against 0.462.)
 */
import type { PanelSettings } from './settings.js';

export interface ValidationSplit {
  kind: 'honest' | 'shared';
  /** The values each member trains on (and stops early on, at their end). */
  train: Float64Array[];
  /** Indices of the series whose last h values are validation windows. */
  index: number[];
}

/** Splits the (positive-shifted) series for training and validation. */
export function validationSplit(series: readonly Float64Array[], s: PanelSettings): ValidationSplit {
  const h = s.horizon;
  const honest = series.some((y) => y.length >= s.chunk + 3 * h);
  if (!honest) {
    const index: number[] = [];
    series.forEach((y, i) => { if (y.length >= s.chunk + 2 * h) index.push(i); });
    return { kind: 'shared', train: [...series], index };
  }
  const index: number[] = [];
  series.forEach((y, i) => { if (y.length - h >= s.chunk) index.push(i); });
  return { kind: 'honest', train: series.map((y) => y.subarray(0, Math.max(0, y.length - h))), index };
}
