/**
 * SES as an M4 benchmark: simple exponential smoothing, ETS(A,N,N) fitted by MSE as forecast::ses does
 * (exponential-smoothing.ts), on the seasonally adjusted series, re-seasonalised (deseasonalised.ts):
 *
 *   l_t = l_{t−1} + α·(a_t − l_{t−1}),    â_{n+k} = l_n,    ŷ_{n+k} = l_n · S_{(n+k−1) mod m}
 *
 * Intervals: ETS(A,N,N)'s, l_n ± z·σ·√(1 + (k−1)α²), times the seasonal factor.
 * `fitSes` is plain SES without the seasonal step (Theta uses it on its theta line).
 */
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions } from './types.js';
import { checkPeriod, checkSeries } from './common.js';
import { deseasonalised } from './deseasonalised.js';
import { describeSmoothing, fitSmoothing, smoothingForecast } from './exponential-smoothing.js';
import { checkedMethod } from './checked.js';

/** Simple exponential smoothing of a series as it is (no seasonal adjustment). */
export function fitSes(y: ArrayLike<number>, name = 'ses'): FittedMethod {
  const fit = fitSmoothing(checkSeries(name, y, 1), 'none');
  return {
    name,
    fitted: fit.fitted,
    description: `SES (${describeSmoothing(fit)})`,
    forecast: (h: number, options: ForecastOptions = {}) => smoothingForecast(name, fit, h, options.levels),
  };
}

export const ses: ForecastMethod = checkedMethod({
  name: 'ses',
  fit(y: ArrayLike<number>, options: FitOptions): FittedMethod {
    const m = checkPeriod('ses', options.period);
    return deseasonalised('ses', checkSeries('ses', y, 1), m, (a) => fitSes(a));
  },
});
