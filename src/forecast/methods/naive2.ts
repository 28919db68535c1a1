/**
 * Naive2 (M4): the naive forecast of the seasonally adjusted series, re-seasonalised. With the adjusted
 * series a_t = y_t / S_{(t−1) mod m} (see seasonality.ts; a_t = y_t when the 90% ACF test finds no season):
 *
 *   ŷ_{n+k} = a_n · S_{(n+k−1) mod m}
 *
 * Intervals: the naive (random-walk) intervals of the adjusted series, a_n ± z·σ_a·√k with σ_a² the mean
 * squared one-step change of a, multiplied by the same seasonal factor as the point forecast.
 */
import type { FitOptions, FittedMethod, ForecastMethod } from './types.js';
import { checkPeriod, checkSeries } from './common.js';
import { fitNaive } from './naive.js';
import { deseasonalised } from './deseasonalised.js';
import { checkedMethod } from './checked.js';

export const naive2: ForecastMethod = checkedMethod({
  name: 'naive2',
  fit(y: ArrayLike<number>, options: FitOptions): FittedMethod {
    const m = checkPeriod('naive2', options.period);
    return deseasonalised('naive2', checkSeries('naive2', y, 1), m, (a) => fitNaive(a, 'naive2'));
  },
});
