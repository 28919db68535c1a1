/**
 * The wrapper M4 puts around Naive2, SES, Holt, damped Holt and Theta: seasonally adjust (seasonality.ts),
 * fit the inner method to the adjusted series a_t, and multiply its forecasts (and interval bounds, and
 * fitted values) back by the seasonal indices:
 *
 *   ŷ_{n+k} = â_{n+k} · S_{(n+k−1) mod m},     fitted_t = â_t · S_{(t−1) mod m}
 */
import type { FittedMethod, ForecastOptions, MethodForecast } from './types.js';
import { scaleForecast } from './common.js';
import { futureIndices, pastIndices, seasonalAdjustment } from './seasonality.js';

export function deseasonalised(name: string, y: Float64Array, m: number, fitInner: (adjusted: Float64Array) => FittedMethod): FittedMethod {
  const adj = seasonalAdjustment(y, m);
  const inner = fitInner(adj.series);
  let fitted: Float64Array | undefined;
  if (inner.fitted) {
    fitted = inner.fitted.slice();
    const past = pastIndices(adj);
    for (let t = 0; t < fitted.length; t++) fitted[t] = fitted[t]! * past[t]!;
  }
  return {
    name,
    fitted,
    description: `${inner.description ?? inner.name}${adj.adjusted ? `, on the series adjusted by ${m} multiplicative seasonal indices` : ''}`,
    forecast(h: number, options: ForecastOptions = {}): MethodForecast {
      const f = inner.forecast(h, options);
      if (adj.adjusted) scaleForecast(f.mean, f.intervals, futureIndices(adj, h));
      return { mean: f.mean, intervals: f.intervals, notes: [adj.note, ...(f.notes ?? [])] };
    },
  };
}
