/**
 * Holt's linear trend and the damped trend as M4 benchmarks: ETS(A,A,N) and ETS(A,Ad,N) fitted by MSE as
 * forecast::holt (damped = FALSE / TRUE) does (exponential-smoothing.ts), on the seasonally adjusted series
 * a_t, re-seasonalised (deseasonalised.ts):
 *
 *   l_t = l_{t−1} + φb_{t−1} + α e_t,   b_t = φb_{t−1} + β e_t,   e_t = a_t − (l_{t−1} + φb_{t−1})
 *   ŷ_{n+k} = (l_n + (φ + … + φ^k)·b_n) · S_{(n+k−1) mod m}            (Holt: φ = 1)
 *
 * Intervals: the class-1 ETS variance, σ²(1 + Σ_{j<k} (α + β(φ + … + φ^j))²), times the seasonal factor.
 */
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions } from './types.js';
import { checkPeriod, checkSeries } from './common.js';
import { deseasonalised } from './deseasonalised.js';
import { describeSmoothing, fitSmoothing, smoothingForecast, type TrendKind } from './exponential-smoothing.js';
import { checkedMethod } from './checked.js';

function trendMethod(name: string, trend: TrendKind, label: string): ForecastMethod {
  return {
    name,
    fit(y: ArrayLike<number>, options: FitOptions): FittedMethod {
      const m = checkPeriod(name, options.period);
      return deseasonalised(name, checkSeries(name, y, 1), m, (a) => {
        const fit = fitSmoothing(a, trend);
        return {
          name,
          fitted: fit.fitted,
          description: `${label} (${describeSmoothing(fit)})`,
          forecast: (h: number, o: ForecastOptions = {}) => smoothingForecast(name, fit, h, o.levels),
        };
      });
    },
  };
}

export const holt: ForecastMethod = checkedMethod(trendMethod('holt', 'additive', "Holt's linear trend"));
export const damped: ForecastMethod = checkedMethod(trendMethod('damped', 'damped', 'damped trend'));
