/**
 * The statistical companion of the panel forecaster: strong classical methods fitted to each series alone,
 * whose forecasts the network is combined with (combine.ts).
 *
 * The default where it is affordable ('ets-arima', autoCompanion: every panel whose etsArimaCost is at most
 * AUTO_COST_MAX) is a fixed combination, the mean of the automatic ETS and ARIMA of each series (ets.ts, arima.ts):
 *
 *   c_k = (e_k + a_k) / 2,   k = 1 … h
 *
 * (for m > 24, weekly data with m = 52, ARIMA is fitted without a seasonal part: ETS has no seasonal model
 * there either, and a seasonal ARIMA at lag 52 costs seconds per fit; STL + ETS and STL + ARIMA can stand in for
 * them where n > 2m: etsArimaForecast's useStl, on by default, STL_PAST_24). It chooses nothing, so nothing rests
 * on a few windows' luck; it was chosen over the rules below on every panel already looked at at once
 * (the development and first held-out panels, docs/forecasting.md "Choosing the companion on every panel
 * looked at"). Where a series' last change is a break against its own earlier changes (break-guard.ts), it is
 * Theta's forecast instead (BREAK_GUARD).
 *
 * The cheap candidates (M4's definitions, src/forecast/methods/):
 *
 *   theta    M4's classic Theta                       damped   damped Holt on the adjusted series
 *   ses      SES on the adjusted series               snaive   the last season repeated (naive when m = 1)
 *
 * The panel-wide companion ('select', the default only where the ETS–ARIMA companion costs too much:
 * AUTO_COST_MAX; it scored 5% behind it on the sixteen panels looked at) is one of five
 * choices: each cheap candidate alone, or their median step by step (for four candidates the mean of the
 * middle two),
 *
 *   c_k = median(θ_k, d_k, s_k, n_k),
 *
 * the one with the lowest mean sMAPE over the last two windows of h values of every series (each
 * forecast from the values before it): one choice for the whole panel, so that it rests on many windows.
 * A candidate that cannot fit a series (too short, degenerate) is replaced by the naive forecast.
 *
 * The per-series choice ('series', the default before) chooses for each series alone, from its own values
 * only, among six forecasts:
 *
 *   mean_k = (θ_k + d_k + e_k + a_k) / 4,   median_k = median(θ_k, d_k, e_k, a_k),   θ, d, e (ETS), a (ARIMA)
 *
 * the one with the lowest sum of sMAPE over the series' last two windows of h values (each forecast from
 * the values before it; one window when the series is short; with none, the mean). Its validation forecast
 * (from y_1 … y_{n−h}) chooses on the two windows before its own, never on the window it is scored on.
 * It was the best rule on the development panels it was designed on (no worse than the best benchmark there)
 * and lost on the first held-out panels (no win, one tie, eleven losses: choosing among six on two windows
 * is noisy), so it is no longer the default.
 */
import { breakAtOrigin } from './break-guard.js';
import { hasWindowA } from './validation.js';
import { arima, arimaMethod } from '../methods/arima.js';
import { ets } from '../methods/ets.js';
import { damped } from '../methods/holt.js';
import { naive2 } from '../methods/naive2.js';
import { seasonalNaive } from '../methods/seasonal-naive.js';
import { ses } from '../methods/ses.js';
import { stlf, stlfArima } from '../methods/stlf.js';
import { theta } from '../methods/theta.js';
import type { ForecastMethod } from '../methods/types.js';

export const COMPANION_CANDIDATES: readonly ForecastMethod[] = [theta, damped, ses, seasonalNaive];

/** The h-step forecast of one method, or the naive forecast when the method cannot fit `y`. */
function forecastOrNaive(method: ForecastMethod, y: ArrayLike<number>, h: number, period: number): Float64Array {
  try {
    const f = method.fit(y, { period }).forecast(h).mean;
    if (f.length === h && f.every((v) => Number.isFinite(v))) return Float64Array.from(f);
  } catch {
    // Too short or degenerate for this method: the naive forecast stands in.
  }
  return new Float64Array(h).fill(y[y.length - 1]!);
}

/** Every candidate's forecast by name (with `withNaive2`, also Naive2's, for OWA in the benchmarks). */
export function candidateForecasts(y: ArrayLike<number>, h: number, period: number, withNaive2 = false): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const method of withNaive2 ? [...COMPANION_CANDIDATES, naive2] : COMPANION_CANDIDATES) out[method.name] = Array.from(forecastOrNaive(method, y, h, period));
  return out;
}

/** The median of several forecasts, step by step. */
export function medianForecast(forecasts: readonly ArrayLike<number>[], h: number): Float64Array {
  const out = new Float64Array(h);
  const v = new Float64Array(forecasts.length);
  for (let k = 0; k < h; k++) {
    forecasts.forEach((f, j) => { v[j] = f[k]!; });
    v.sort();
    const n = v.length;
    out[k] = n % 2 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
  }
  return out;
}

/**
 * The cost of the ETS–ARIMA companion in fits of a value: Σ_i n_i · c, with c = 12 where the ARIMA is seasonal
 * with m ≤ 12, 90 where 12 < m ≤ SEASONAL_ARIMA_MAX_PERIOD, and 2 otherwise (m = 1, or m past 24 where the
 * companion's ARIMA is not seasonal), so that a unit stays about 0.13 ms of one thread, as the limit below was
 * set with. The factors follow the exact-likelihood ARIMA's cost (one ETS and one ARIMA fit and forecast per
 * series, one thread, 2026-12-07, CPU ms per value: monthly 1.7, quarterly 1.4, hourly 11.2, weekly (m = 1)
 * 0.16, yearly 0.31; docs/forecasting.md, "The companion's cost rule after the exact-likelihood ARIMA"). With
 * the CSS ARIMA they were 6 and 1 (0.6 and 0.1 ms per value).
 */
export function etsArimaCost(series: readonly ArrayLike<number>[], period: number): number {
  const c = period >= 2 && period <= 12 ? 12 : period > 12 && period <= SEASONAL_ARIMA_MAX_PERIOD ? 90 : 2;
  let n = 0;
  for (const y of series) n += y.length;
  return n * c;
}

/**
 * Panels whose ETS–ARIMA companion costs at most this (etsArimaCost) get it by default ('auto'); costlier ones
 * get the panel-wide cheap choice ('select'). A fit makes two passes of these fits and a forecast one. At the
 * limit a pass costs 2.4–3 minutes of CPU here, which the fit's threads (companion-threads.ts) share: on two
 * free cores about 71–91 s a pass (estimated: half the CPU; not timed on free cores), about what a pass took on one thread at the former limit, 600,000 (68–88 s;
 * docs/forecasting.md, "The companion's fits on worker threads"). A fixed number, not scaled by the threads or
 * cores at hand, so that the forecast never depends on the machine; on one thread a pass now takes up to twice
 * as long as before. M4 Hourly (Hourly-train.csv: 414 series of 700 or 960 values, period 24: 31,815,000) is
 * far over it, so `npm run bench:m4` (its 15-minute budget) is unchanged by construction.
 */
export const AUTO_COST_MAX = 1_200_000;

/** The companion 'auto' stands for on this panel: 'ets-arima' when it is affordable (AUTO_COST_MAX), else 'select'. */
export function autoCompanion(series: readonly ArrayLike<number>[], period: number): 'ets-arima' | 'select' {
  return etsArimaCost(series, period) <= AUTO_COST_MAX ? 'ets-arima' : 'select';
}

/** The panel-wide choices of 'select' (COMPANION_CANDIDATES in order, then their median). */
const PANEL_CHOICES = ['theta', 'damped', 'ses', 'snaive', 'median'] as const;

/** The companions a panel can have: the panel-wide choices ('select': each cheap candidate alone, and their median), 'series' and 'ets-arima'. */
export const COMPANION_CHOICES = [...PANEL_CHOICES, 'series', 'ets-arima'] as const;
export type CompanionChoice = (typeof COMPANION_CHOICES)[number];

/** Seasonal periods above this get a non-seasonal ARIMA in the companion (as ETS has no seasonal model past 24). */
export const SEASONAL_ARIMA_MAX_PERIOD = 24;
const nonSeasonalArima = arimaMethod({ seasonal: false });
/**
 * With `useStl`, past SEASONAL_ARIMA_MAX_PERIOD and on a series of more than two periods (n > 2m, what STL needs),
 * the ETS–ARIMA companion's two methods are STL + ETS and STL + ARIMA (stlf.ts, R's stlf and stlm(method =
 * "arima")), so that the season is used; shorter series, and every m ≤ 24, keep ETS and ARIMA as they are. On by
 * default, as R's forecast() uses STL for these periods: on the weekly panels of heldout2–4 with m = 52 (298 pairs,
 * bench/stl/weekly.ts) it lowered MASE (0.987 → 0.888, p = 0.04) but not sMAPE (23.59 → 23.71), the paired
 * relative OWA, D = −0.049, leans its way without significance (p = 0.19), and heldout4's panel got worse on
 * both; on nine hourly series with m = 168, D = −0.34 (p = 0.36) (docs/forecasting.md, "Seasonal periods above
 * 24 (STL)").
 */
export const STL_PAST_24 = true;
/** STL forecasts stand in for this series: m > SEASONAL_ARIMA_MAX_PERIOD, n > 2m, and asked for. */
const stlFits = (n: number, period: number, useStl: boolean): boolean => useStl && period > SEASONAL_ARIMA_MAX_PERIOD && n > 2 * period;
/** The companion's ARIMA for a period: seasonal up to SEASONAL_ARIMA_MAX_PERIOD, non-seasonal past it (STL + ARIMA where stlFits). */
const arimaFor = (period: number, n = 0, useStl = false): ForecastMethod =>
  (stlFits(n, period, useStl) ? stlfArima : period > SEASONAL_ARIMA_MAX_PERIOD ? nonSeasonalArima : arima);
/** The companion's ETS for a period: ets.ts (seasonal only up to 24), or STL + ETS where stlFits. */
const etsFor = (period: number, n: number, useStl: boolean): ForecastMethod => (stlFits(n, period, useStl) ? stlf : ets);
/** The per-series companion's options, in the order ties are broken. */
export const SERIES_OPTIONS = ['mean', 'median', 'theta', 'damped', 'ets', 'arima'] as const;
export type SeriesOption = (typeof SERIES_OPTIONS)[number];

/** The six forecasts of the per-series companion from the values y (each method or the naive when it cannot fit). */
export function seriesOptionForecasts(y: ArrayLike<number>, h: number, period: number): Record<SeriesOption, Float64Array> {
  const methods = [theta, damped, ets, arimaFor(period)];
  const [t, d, e, a] = methods.map((m) => forecastOrNaive(m, y, h, period)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const mean = new Float64Array(h);
  for (let k = 0; k < h; k++) mean[k] = (t[k]! + d[k]! + e[k]! + a[k]!) / 4;
  return { mean, median: medianForecast([t, d, e, a], h), theta: t, damped: d, ets: e, arima: a };
}

/**
 * The per-series companion of y: the option with the lowest sum of sMAPE over y's last two windows of h
 * values (one when y has fewer than 2h + 3 values, none when fewer than h + 3: then the mean), and its
 * forecast of the h values after y. `scores` are each option's sums (zeros without a window).
 */
export function seriesCompanion(y: ArrayLike<number>, h: number, period: number): { option: SeriesOption; forecast: Float64Array; scores: number[] } {
  const n = y.length;
  const ends = [n - h, n - 2 * h].filter((e) => e >= 3);
  const scores = SERIES_OPTIONS.map(() => 0);
  for (const end of ends) {
    const fs = seriesOptionForecasts(Array.prototype.slice.call(y, 0, end) as number[], h, period);
    const actual = Array.prototype.slice.call(y, end, end + h) as number[];
    SERIES_OPTIONS.forEach((o, j) => { scores[j] += smapeOf(actual, fs[o]); });
  }
  let best = 0;
  scores.forEach((v, j) => { if (v < scores[best]!) best = j; });
  const option = SERIES_OPTIONS[best]!;
  return { option, forecast: seriesOptionForecasts(y, h, period)[option], scores };
}

/**
 * On by default: where y's last change is a break against its earlier ones (break-guard.ts), the ETS–ARIMA
 * companion is Theta's forecast instead of the mean, so that a one-off shock at the origin is not carried on as a
 * trend. Chosen on development data: pooled over the held-out sets 2–7 it lowers the default's geometric-mean
 * relative OWA from 1.0311 to 1.0116, nearly all of it on heldout6, cut at the 2020 trough (docs/forecasting.md,
 * "A guard against a break at the origin").
 */
export const BREAK_GUARD = true;

/**
 * The ETS–ARIMA companion of y: the mean of the automatic ETS and ARIMA forecasts (each, or the naive when it
 * cannot fit); for m > 24 and n > 2m, of STL + ETS and STL + ARIMA (`useStl`, default STL_PAST_24); Theta's
 * forecast where `guard` (default BREAK_GUARD) is on and y ends in a break (breakAtOrigin).
 */
export function etsArimaForecast(y: ArrayLike<number>, h: number, period: number, useStl = STL_PAST_24, guard = BREAK_GUARD): Float64Array {
  if (guard && breakAtOrigin(y, period)) return forecastOrNaive(theta, y, h, period);
  const e = forecastOrNaive(etsFor(period, y.length, useStl), y, h, period);
  const a = forecastOrNaive(arimaFor(period, y.length, useStl), y, h, period);
  const out = new Float64Array(h);
  for (let k = 0; k < h; k++) out[k] = (e[k]! + a[k]!) / 2;
  return out;
}

function choiceForecast(choice: CompanionChoice, y: ArrayLike<number>, h: number, period: number): Float64Array {
  if (choice === 'ets-arima') return etsArimaForecast(y, h, period);
  if (choice === 'series') return seriesCompanion(y, h, period).forecast;
  if (choice === 'median') return medianForecast(candidateWindowForecasts(y, h, period), h);
  return forecastOrNaive(COMPANION_CANDIDATES.find((m) => m.name === choice)!, y, h, period);
}

/** The companion forecast of one series by a fixed choice ('median' of the candidates, or one of them). */
export function companionForecast(y: ArrayLike<number>, h: number, period: number, choice: CompanionChoice = 'median'): Float64Array {
  return choiceForecast(choice, y, h, period);
}

function smapeOf(actual: ArrayLike<number>, f: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < f.length; k++) {
    const d = Math.abs(actual[k]!) + Math.abs(f[k]!);
    s += d > 0 ? (2 * Math.abs(actual[k]! - f[k]!)) / d : 0;
  }
  return s / f.length;
}

/** The cheap candidates' forecasts of the h values after y (COMPANION_CANDIDATES in order; the naive where one cannot fit). */
export function candidateWindowForecasts(y: ArrayLike<number>, h: number, period: number): Float64Array[] {
  return COMPANION_CANDIDATES.map((m) => forecastOrNaive(m, y, h, period));
}

/** Every cut's candidate forecasts (candidateWindowForecasts), here in order; companion-threads.ts gives one on threads. */
export type CandidateForecasts = (cuts: readonly Float64Array[], h: number, period: number) => Float64Array[][];
const candidatesHere: CandidateForecasts = (cuts, h, period) => cuts.map((y) => candidateWindowForecasts(y, h, period));

/**
 * Chooses one companion for a whole panel ('select'): the choice with the lowest mean sMAPE over the last
 * two windows of h values of every series (each forecast from the values before it; a series with fewer
 * than 2h + 3 values offers only the last window). Returns the choice, each choice's score, and the chosen
 * companion's forecasts of the last window (from y_1 … y_{n−h}) and of the window before it (from
 * y_1 … y_{n−2h}; null for a series that offers only the last) of the series in `index`. The candidates'
 * fits of every window are made by `candidates` (on threads: companion-threads.ts), all before the scoring.
 */
export function selectCompanion(series: readonly ArrayLike<number>[], index: readonly number[], h: number, period: number, candidates: CandidateForecasts = candidatesHere):
  { choice: CompanionChoice; scores: number[]; lastWindow: Float64Array[]; previousWindow: (Float64Array | null)[] } {
  // Each series' windows: the last (ending at n − h), then the one before (n − 2h) where 3 values precede it.
  const windows = index.map((i) => {
    const n = series[i]!.length;
    return hasWindowA(n, h) ? [n - h, n - 2 * h] : [n - h];
  });
  const cuts = index.flatMap((i, u) => windows[u]!.map((end) => Float64Array.from(Array.prototype.slice.call(series[i]!, 0, end) as number[])));
  const forecasts = candidates(cuts, h, period);
  const sums = PANEL_CHOICES.map(() => 0);
  let count = 0;
  const last = PANEL_CHOICES.map(() => [] as Float64Array[]);
  const previous = PANEL_CHOICES.map(() => [] as (Float64Array | null)[]);
  index.forEach((i, u) => {
    const y = series[i]!;
    const n = y.length;
    const ends = windows[u]!;
    if (ends.length === 1) previous.forEach((p) => p.push(null));
    for (const end of ends) {
      const actual = Array.prototype.slice.call(y, end, end + h) as number[];
      const fs = forecasts[count]!;
      const med = medianForecast(fs, h);
      PANEL_CHOICES.forEach((c, j) => {
        const f = c === 'median' ? med : fs[j]!;
        sums[j] += smapeOf(actual, f);
        (end === n - h ? last : previous)[j]!.push(f);
      });
      count++;
    }
  });
  const scores = sums.map((v) => (count ? v / count : Infinity));
  // Ties, and a panel with no window, go to the median.
  let best = PANEL_CHOICES.indexOf('median');
  scores.forEach((v, j) => { if (v < scores[best]!) best = j; });
  return { choice: PANEL_CHOICES[best]!, scores, lastWindow: last[best]!, previousWindow: previous[best]! };
}
