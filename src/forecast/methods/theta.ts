/**
 * The classic Theta method (Assimakopoulos & Nikolopoulos 2000) as M4's benchmark code computes it
 * (Theta.classic, θ = 2, equal weights), on the seasonally adjusted series a_1 … a_n, re-seasonalised:
 *
 *   theta-0 line   L_t = c + d·t, the least-squares line through (t, a_t), t = 1 … n, extrapolated: L_{n+k}
 *   theta-2 line   Z_t = 2·a_t − L_t, forecast by SES (ETS(A,N,N) fitted by MSE, as forecast::ses): Ẑ_{n+k}
 *   forecast       â_{n+k} = max(0, ½·L_{n+k} + ½·Ẑ_{n+k}),   ŷ_{n+k} = â_{n+k} · S_{(n+k−1) mod m}
 *   fitted         ½·L_t + ½·(SES one-step fit of Z)_t, re-seasonalised (not truncated at 0, as in M4's code)
 *
 * No intervals: M4's Theta has no standard interval (forecast::thetaf's is for a different formulation);
 * a request for levels is answered with a note.
 */
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions, MethodForecast } from './types.js';
import { checkHorizon, checkLevels, checkPeriod, checkSeries } from './common.js';
import { deseasonalised } from './deseasonalised.js';
import { describeSmoothing, fitSmoothing, smoothingForecast } from './exponential-smoothing.js';
import { checkedMethod } from './checked.js';

/** Theta on a series as it is (no seasonal adjustment). */
export function fitThetaClassic(a: Float64Array, name = 'theta'): FittedMethod {
  const n = a.length;
  let mt = 0;
  let ma = 0;
  for (let t = 0; t < n; t++) {
    mt += t + 1;
    ma += a[t]!;
  }
  mt /= n;
  ma /= n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t + 1 - mt) * (a[t]! - ma);
    sxx += (t + 1 - mt) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = ma - slope * mt;
  const z = new Float64Array(n);
  for (let t = 0; t < n; t++) z[t] = 2 * a[t]! - (intercept + slope * (t + 1));
  const ses = fitSmoothing(z, 'none');
  const fitted = new Float64Array(n);
  for (let t = 0; t < n; t++) fitted[t] = 0.5 * (intercept + slope * (t + 1)) + 0.5 * ses.fitted[t]!;
  return {
    name,
    fitted,
    description: `Theta (line ${intercept.toPrecision(4)} + ${slope.toPrecision(3)}·t; SES on the theta-2 line, ${describeSmoothing(ses)})`,
    forecast(h: number, options: ForecastOptions = {}): MethodForecast {
      checkHorizon(name, h);
      const levels = checkLevels(name, options.levels);
      const z2 = smoothingForecast(name, ses, h, []).mean;
      const mean = new Float64Array(h);
      for (let k = 0; k < h; k++) mean[k] = Math.max(0, 0.5 * (intercept + slope * (n + k + 1)) + 0.5 * z2[k]!);
      return { mean, intervals: [], notes: levels.length > 0 ? [`${name}: no prediction intervals (the classic Theta method has no standard one)`] : undefined };
    },
  };
}

export const theta: ForecastMethod = checkedMethod({
  name: 'theta',
  fit(y: ArrayLike<number>, options: FitOptions): FittedMethod {
    const m = checkPeriod('theta', options.period);
    return deseasonalised('theta', checkSeries('theta', y, 1), m, (a) => fitThetaClassic(a));
  },
});
