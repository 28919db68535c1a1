/**
 * Seasonal naive forecast: the last m values (one season), repeated. With y_1 … y_n, period m, k = 1 … h:
 *
 *   ŷ_{n+k} = y_{n − m + ((k−1) mod m) + 1}
 *
 * With m = 1, or a history shorter than m, it is the naive forecast (as M4's benchmark code does for
 * non-seasonal data). Intervals (the seasonal random walk y_t = y_{t−m} + ε_t, as forecast::snaive):
 *   σ² = (1/(n−m)) Σ_{t=m+1..n} (y_t − y_{t−m})²
 *   s_k = σ · √(⌊(k−1)/m⌋ + 1),   bounds ŷ_{n+k} ± z · s_k
 */
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions, MethodForecast } from './types.js';
import { checkHorizon, checkLevels, checkPeriod, checkSeries, normalIntervals } from './common.js';
import { checkedMethod } from './checked.js';

/** The lag-`lag` random walk fitted to a checked series: naive (lag 1) and seasonal naive (lag m). */
export function lagWalk(y: Float64Array, lag: number, name: string): FittedMethod {
  const n = y.length;
  const fitted = new Float64Array(n).fill(NaN);
  let ss = 0;
  for (let t = lag; t < n; t++) {
    fitted[t] = y[t - lag]!;
    ss += (y[t]! - y[t - lag]!) ** 2;
  }
  const sigma = n > lag ? Math.sqrt(ss / (n - lag)) : NaN;
  const last = y.slice(n - lag);
  return {
    name,
    fitted,
    description: lag === 1 ? 'naive (last value)' : `seasonal naive (last ${lag} values)`,
    forecast(h: number, options: ForecastOptions = {}): MethodForecast {
      checkHorizon(name, h);
      const levels = checkLevels(name, options.levels);
      const mean = new Float64Array(h);
      const se = new Float64Array(h);
      for (let k = 0; k < h; k++) {
        mean[k] = last[k % lag]!;
        se[k] = sigma * Math.sqrt(Math.floor(k / lag) + 1);
      }
      if (levels.length > 0 && Number.isNaN(sigma)) {
        return { mean, intervals: [], notes: [`${name}: a history of ${n} values leaves no in-sample residual, so no intervals`] };
      }
      return { mean, intervals: normalIntervals(mean, se, levels) };
    },
  };
}

export const seasonalNaive: ForecastMethod = checkedMethod({
  name: 'snaive',
  fit(y: ArrayLike<number>, options: FitOptions): FittedMethod {
    const m = checkPeriod('snaive', options.period);
    const x = checkSeries('snaive', y, 1);
    return lagWalk(x, m > 1 && x.length >= m ? m : 1, 'snaive');
  },
});
