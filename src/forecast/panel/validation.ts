/**
 * The validation split of the panel forecaster, on which its combination is chosen (combine.ts). With h
 * the horizon, c the chunk, W the validation windows asked for (settings.validationWindows) and y_1 … y_n
 * a series:
 *
 *   'honest', two windows (W = 2, when some series has n ≥ c + 4h; not with the per-series companion, whose
 *   forecast of window A would choose on two windows further back)
 *     the network's data   y_1 … y_{n−2h}        the members train on windows whose targets end by n − 3h
 *                                                and stop early on y_{n−3h+1} … y_{n−2h} (train.ts)
 *     validation window A  y_{n−2h+1} … y_{n−h}  forecast from y_1 … y_{n−2h} (series with n − 2h ≥ 3; the
 *                                                network's share is weighed on it where n − 2h ≥ c)
 *     validation window B  y_{n−h+1} … y_n      forecast from y_1 … y_{n−h} (every series with n − h ≥ c)
 *
 *   'honest', one window (W = 1, companion 'series', or no series that long but some with n ≥ c + 3h)
 *     the network's data   y_1 … y_{n−h}        targets end by n − 2h, early stopping on y_{n−2h+1} … y_{n−h}
 *     validation window B  y_{n−h+1} … y_n      forecast from y_1 … y_{n−h} (every series with n − h ≥ c)
 *
 *   'shared' (otherwise)
 *     the members train on all of y and stop early on y_{n−h+1} … y_n, which are also the validation
 *     window (series with n ≥ c + 2h): the choice then leans toward the network.
 *
 *   'honest', companion alone (companionOnlySplit: no series has the c + 2h values a member needs to train)
 *     no network is trained (model.ts); the band of the companion is calibrated on window B of every series
 *     with n − h ≥ MIN_CUT_VALUES (3), and on window A where hasWindowA: a forecast from fewer values says
 *     little, and a band template (combine.ts) needs differences of the values before the window.
 *
 * In the honest split the weight and the interval factor are chosen on values no member trained or
 * stopped on. Two windows give each series twice the evidence (one window of h values is a noisy judge of
 * a network against a statistical forecast), at the price of training the members of this first pass on h
 * values fewer. When the weight gives the network any share, the members are then trained again on every
 * value (model.ts), as in the shared split, so the forecast does not lose the newest values; this doubles
 * the training time. (Without the second training, M4 Hourly's development split lost 0.012 of OWA: 0.474
 * against 0.462.)
 */
import type { PanelSettings } from './settings.js';
import { endRange } from './windows.js';

export interface ValidationSplit {
  kind: 'honest' | 'shared';
  /** Validation windows per series (1, or 2 in the honest split when asked for and the series are long enough). */
  windows: 1 | 2;
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
    return { kind: 'shared', windows: 1, train: [...series], index };
  }
  const index: number[] = [];
  series.forEach((y, i) => { if (y.length - h >= s.chunk) index.push(i); });
  const windows = s.validationWindows === 2 && s.companion !== 'series' && series.some((y) => y.length >= s.chunk + 4 * h) ? 2 : 1;
  return { kind: 'honest', windows, train: series.map((y) => y.subarray(0, Math.max(0, y.length - windows * h))), index };
}

/** The fewest values a validation window of the companion is forecast from (window A; window B of companionOnlySplit). */
export const MIN_CUT_VALUES = 3;

/** Whether series y (n values) also has validation window A in a two-window split: a forecast from n − 2h ≥ 3 values. */
export const hasWindowA = (n: number, h: number): boolean => n - 2 * h >= MIN_CUT_VALUES;

/** Whether some series has the c + 2h values a member network needs: a validation pair of train.ts validationPairs (windows.ts endRange: a training target, then the early-stopping window). */
export const canTrainNetwork = (series: readonly ArrayLike<number>[], s: PanelSettings): boolean => series.some((y) => endRange(y.length - s.horizon, s) !== null);

/**
 * The split of a panel on which no network can train (canTrainNetwork false): no member trains, and the companion's
 * band is calibrated on window B of every series with n − h ≥ MIN_CUT_VALUES (its index; empty when none has h + 3
 * values) and on window A where hasWindowA (model.ts chooseCombination, as for any weight of 0).
 */
export function companionOnlySplit(series: readonly Float64Array[], s: PanelSettings): ValidationSplit {
  const index: number[] = [];
  series.forEach((y, i) => { if (y.length - s.horizon >= MIN_CUT_VALUES) index.push(i); });
  return { kind: 'honest', windows: 1, train: [], index };
}
