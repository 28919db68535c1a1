/**
 * Comb (M4's "Com" benchmark): the arithmetic mean of the SES, Holt and damped-trend forecasts, each made on
 * the seasonally adjusted series and re-seasonalised (ses.ts, holt.ts):
 *
 *   ŷ_{n+k} = (ŷ^SES_{n+k} + ŷ^Holt_{n+k} + ŷ^Damped_{n+k}) / 3
 *
 * No intervals: the mean of three forecasts has no standard interval (their errors are correlated), so a
 * request for levels is answered with a note. Fitted values are the mean of the three fitted series.
 */
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions, MethodForecast } from './types.js';
import { checkHorizon, checkLevels, checkPeriod, checkSeries } from './common.js';
import { ses } from './ses.js';
import { holt, damped } from './holt.js';
import { checkedMethod } from './checked.js';

export const comb: ForecastMethod = checkedMethod({
  name: 'comb',
  fit(y: ArrayLike<number>, options: FitOptions): FittedMethod {
    checkPeriod('comb', options.period);
    const x = checkSeries('comb', y, 1);
    const parts = [ses, holt, damped].map((m) => m.fit(x, options));
    const n = x.length;
    const fitted = new Float64Array(n);
    for (let t = 0; t < n; t++) fitted[t] = (parts[0]!.fitted![t]! + parts[1]!.fitted![t]! + parts[2]!.fitted![t]!) / 3;
    return {
      name: 'comb',
      fitted,
      description: `mean of ${parts.map((p) => p.description).join('; ')}`,
      forecast(h: number, o: ForecastOptions = {}): MethodForecast {
        checkHorizon('comb', h);
        const levels = checkLevels('comb', o.levels);
        const fs = parts.map((p) => p.forecast(h));
        const mean = new Float64Array(h);
        for (let k = 0; k < h; k++) mean[k] = (fs[0]!.mean[k]! + fs[1]!.mean[k]! + fs[2]!.mean[k]!) / 3;
        const notes = [...(fs[0]!.notes ?? []).slice(0, 1)];
        if (levels.length > 0) notes.push('comb: no prediction intervals (a mean of three forecasts has no standard one)');
        return { mean, intervals: [], notes };
      },
    };
  },
});
