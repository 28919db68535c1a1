/**
 * STL forecasts, as R's forecast package makes them (`stlf(y)`; `forecast(stlm(y, method = "arima"))`):
 * decompose y_1 … y_n with STL (stl.ts; by default R's choice for one seasonal period, s.window = 11, not
 * robust), forecast the seasonally adjusted series with a non-seasonal model, and add back the last season of
 * the seasonal component:
 *
 *   y_t = S_t + A_t,             A_t = T_t + R_t                         (the seasonally adjusted series)
 *   ŷ_{n+k} = Â_{n+k} + S_{n−m+1+((k−1) mod m)},   k = 1 … h                (the seasonal naive of S)
 *
 * Â is the automatic ETS (ets.ts; R's ets(model = "ZZN"), no multiplicative trend) or the automatic ARIMA
 * without a seasonal part (arima.ts; R's auto.arima(seasonal = FALSE)), each fitted with period 1. Intervals are
 * Â's, shifted by the same seasonal values (R ignores the uncertainty of S). Fitted values are Â's plus S.
 *
 * STL needs more than two full periods (n > 2m); a shorter series, or m = 1, is an error (as in R).
 */
import { arimaMethod } from './arima.js';
import { checkedMethod } from './checked.js';
import { checkPeriod, checkSeries } from './common.js';
import { ets } from './ets.js';
import { STL_OPTION_RULES, stl, type StlOptions } from './stl.js';
import type { FittedMethod, ForecastMethod, ForecastOptions, MethodForecast } from './types.js';
import { UnrollError } from '../../util/errors.js';
import { checkOptions, is } from '../../util/options.js';

export interface StlfOptions {
  /** The model of the seasonally adjusted series. @default 'ets' */
  model?: 'ets' | 'arima';
  /** The STL decomposition's options. @default { sWindow: 11 } (R's mstl for one period) */
  stl?: StlOptions;
}

const nonSeasonalArima = arimaMethod({ seasonal: false });

/** The last season of S repeated over h steps: S_{n−m+1+((k−1) mod m)}. */
export function lastSeason(seasonal: ArrayLike<number>, m: number, h: number): Float64Array {
  const n = seasonal.length;
  const out = new Float64Array(h);
  for (let k = 0; k < h; k++) out[k] = seasonal[n - m + (k % m)]!;
  return out;
}

/** STL + ETS ('stlf') or STL + ARIMA ('stlf-arima') behind the common contract. */
export function stlfMethod(options: StlfOptions = {}): ForecastMethod {
  checkOptions(options, { model: is.oneOf('ets', 'arima'), stl: is.object }, { where: 'stlfMethod' });
  if (options.stl) checkOptions(options.stl, STL_OPTION_RULES, { where: 'stlfMethod', prefix: 'stl.' });
  const model = options.model ?? 'ets';
  const name = model === 'ets' ? 'stlf' : 'stlf-arima';
  const inner = model === 'ets' ? ets : nonSeasonalArima;
  return checkedMethod({
    name,
    fit(values, fitOptions): FittedMethod {
      const y = checkSeries(name, values, 1);
      const m = checkPeriod(name, fitOptions.period);
      if (m < 2) throw new UnrollError(`${name}: needs a seasonal period of at least 2, got ${m}`);
      if (y.length <= 2 * m) throw new UnrollError(`${name}: STL needs more than two periods (${2 * m} values) of period ${m}, got ${y.length}`);
      const { seasonal } = stl(y, m, { sWindow: 11, ...options.stl });
      const adjusted = y.map((v, t) => v - seasonal[t]!);
      const fitted = inner.fit(adjusted, { period: 1 });
      const withSeason = fitted.fitted?.map((v, t) => v + seasonal[t]!);
      return {
        name,
        description: `STL + ${fitted.description ?? fitted.name}`,
        ...(withSeason ? { fitted: withSeason } : {}),
        forecast(h: number, o: ForecastOptions = {}): MethodForecast {
          const f = fitted.forecast(h, o);
          const s = lastSeason(seasonal, m, f.mean.length);
          const shift = (v: Float64Array): Float64Array => v.map((x, k) => x + s[k]!);
          return {
            mean: shift(f.mean),
            intervals: f.intervals.map((b) => ({ level: b.level, lower: shift(b.lower), upper: shift(b.upper) })),
            ...(f.notes ? { notes: f.notes } : {}),
          };
        },
      };
    },
  });
}

/** STL + automatic ETS on the seasonally adjusted series (R's stlf). */
export const stlf: ForecastMethod = stlfMethod();
/** STL + automatic non-seasonal ARIMA on the seasonally adjusted series (R's stlm(method = "arima")). */
export const stlfArima: ForecastMethod = stlfMethod({ model: 'arima' });
