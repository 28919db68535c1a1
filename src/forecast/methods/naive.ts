/**
 * Naive (random walk) forecast: the last value, repeated. With y_1 … y_n the history and k = 1 … h:
 *
 *   ŷ_{n+k} = y_n
 *
 * Intervals (the random-walk model y_t = y_{t−1} + ε_t, as forecast::naive in R gives them):
 *   σ² = (1/(n−1)) Σ_{t=2..n} (y_t − y_{t−1})²       (mean squared one-step in-sample residual)
 *   s_k = σ · √k,   bounds ŷ_{n+k} ± z · s_k
 * A series of one value has no residual: it gets the point forecast and no intervals (said in `notes`).
 */
import type { FitOptions, FittedMethod, ForecastMethod } from './types.js';
import { checkPeriod, checkSeries } from './common.js';
import { lagWalk } from './seasonal-naive.js';
import { checkedMethod } from './checked.js';

/** The naive forecast of a series (naive2 applies it to the seasonally adjusted series). */
export function fitNaive(y: ArrayLike<number>, name = 'naive'): FittedMethod {
  return lagWalk(checkSeries(name, y, 1), 1, name);
}

export const naive: ForecastMethod = checkedMethod({
  name: 'naive',
  fit(y: ArrayLike<number>, options: FitOptions): FittedMethod {
    checkPeriod('naive', options?.period); // not used, but a wrong value is a caller's mistake worth naming
    return fitNaive(y);
  },
});
