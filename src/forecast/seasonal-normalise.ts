/**
 * Per-series seasonal normalisation of the single-series Forecaster (forecaster.ts), the ES-RNN idea in
 * its simplest (baseline) form: the network sees each series with its seasonality divided out, and
 * every forecast is multiplied back by the seasonal index of the row it forecasts.
 *
 * Rows and positions. y_t is the target column, t = 0 … n−1 the rows of the data the forecaster is
 * given; a is the row holding an anchor date saved at training (the first or the last training row,
 * with its season position p_a). Row t has season position j(t) = (p_a + t − a) mod m.
 *
 * Fit (training rows only, 'classical'): the indices S_0 … S_{m−1} of the classical multiplicative
 * decomposition with period m (methods/seasonality.ts, R's decompose; they average 1).
 *
 * Normalise:  z_t = y_t / S_{j(t)}        (the network's features, targets and scalers are built from z)
 * Inverse:    ŷ_t = ẑ_t · S_{j(t)}        (for every forecast row, past or future: the indices repeat)
 *
 * 'holt-winters': the seasonal states evolve, by exponential smoothing. The ETS model with
 * multiplicative error and season and trend N, A or Ad (methods/ets.ts: maximum likelihood on the
 * training rows, the lowest AICc of the three; ETS allows m ≤ 24, beyond it the classical indices are
 * used) gives α, β, γ, φ and the initial states; its filter then runs over every row of the data:
 *   q_t = ℓ_{t−1} + φ b_{t−1},   ℓ_t = q_t + α (y_t / s_{t−m} − q_t),
 *   b_t = φ b_{t−1} + β (ℓ_t − ℓ_{t−1} − φ b_{t−1}) / α,   s_t = s_{t−m} + γ (y_t / q_t − s_{t−m})
 * Normalise:  z_t = y_t / s_{t−m}     (the seasonal state of t's position before y_t is seen: causal)
 * Inverse:    ŷ_r = ẑ_r · s_τ,  τ = r − m⌈(r − e)/m⌉  (e the forecast origin: the latest state of r's
 *             position known at e, as ETS forecasts; for a one-step forecast τ = r − m)
 * The filter starts from the initial states at the first training row, or from the final states
 * after the last training row when the data start later (rows before it take the seasonal state of
 * their position at that row).
 *
 * 'auto' normalises a series with the 'holt-winters' states (measured better than the classical indices
 * on the development series: docs/forecasting.md), and only when it is seasonal by two checks on its
 * training rows:
 *   1. M4's 90% autocorrelation test at lag m (methods/seasonality.ts, as M4 applies it), and
 *   2. strength F_S ≥ 0.5, where, over the rows with a centred moving average T_t,
 *        d_t = log(y_t / T_t)  (detrended),   r_t = d_t − log S_{j(t)}  (remainder),
 *        F_S = max(0, 1 − Var(r) / Var(d))    (Wang, Smith & Hyndman 2006; Hyndman & Athanasopoulos, FPP3 §4.3):
 *      the share of the detrended variation the seasonal indices explain.
 *   The test alone calls every trending series seasonal (a random walk of prices has r_m ≈ 1); its
 *   indices then sit within noise of 1 and F_S is near 0 (random walks that pass the test: F_S below
 *   0.36 in 99% of 200 draws at n = 40, m = 4, and below 0.02 for daily prices at m = 5), while
 *   seasonal series score above 0.5. 'classical' skips both checks and normalises whenever it can.
 * Never normalised: period m ≤ 1, fewer than 2m training rows (3m for 'auto'), a value ≤ 0 in the
 * training rows (a multiplicative index needs positive values), or an index that is not finite and > 0.
 * Each decision keeps its reason (`note`), saved with the model.
 */
import { multiplicativeDecomposition, seasonalityTest } from './methods/seasonality.js';
import { UnrollError } from '../util/errors.js';
import type { Frame } from '../data/frame.js';
import { etsDescription, fitEtsModel, type EtsModel } from './methods/ets.js';

export type SeasonalMode = 'auto' | 'off' | 'classical' | 'holt-winters';
export const SEASONAL_MODES: readonly SeasonalMode[] = ['auto', 'off', 'classical', 'holt-winters'];

/** The least seasonal strength F_S for which 'auto' normalises a series. */
export const MIN_SEASONAL_STRENGTH = 0.5;

/** A row whose season position is known: its date and its position (0 … m−1). */
export interface SeasonAnchor { date: string; position: number }

/** The saved normalisation of one series (part of the forecaster file). */
export type SeasonalJSON =
  | { kind: 'none'; note: string }
  | { kind: 'classical'; period: number; indices: number[]; anchors: SeasonAnchor[]; note: string }
  | {
    kind: 'holt-winters'; period: number; trend: 'N' | 'A' | 'Ad'; alpha: number; beta: number; gamma: number; phi: number;
    /** The states (ℓ, b when there is a trend, s_0, s_{−1} … s_{1−m}) before the row dated `start.date`, and after the row dated `end.date`. */
    start: { date: string; states: number[] }; end: { date: string; states: number[] }; note: string;
  };

/** The seasonal factor of every row of a series' data, and of rows past its end. */
export interface SeasonalView {
  /** S_{j(t)} for every row t of the data. */
  factors: Float64Array;
  /** z_t = y_t / S_{j(t)}: the target as the network sees it. */
  adjusted: Float64Array;
  /**
   * The factor of row `row` (any row, including rows past the end of the data) as known after row
   * `origin` (default row − 1, the one-step factor). Only 'holt-winters' factors depend on the origin.
   */
  factorAt(row: number, origin?: number): number;
}

/** Seasonal strength F_S of y with the classical decomposition's trend and indices (see the header). */
export function seasonalStrength(y: ArrayLike<number>, trend: Float64Array, indices: Float64Array): number {
  const m = indices.length;
  const d: number[] = [];
  const r: number[] = [];
  for (let t = 0; t < y.length; t++) {
    const ratio = y[t]! / trend[t]!;
    if (!(ratio > 0) || !Number.isFinite(ratio)) continue;
    d.push(Math.log(ratio));
    r.push(Math.log(ratio / indices[t % m]!));
  }
  if (d.length < 2) return 0;
  const vd = variance(d);
  return vd > 0 ? Math.max(0, 1 - variance(r) / vd) : 0;
}

function variance(x: number[]): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let s = 0;
  for (const v of x) s += (v - mean) ** 2;
  return s / (x.length - 1);
}

/**
 * Decides and fits the normalisation of one series from its training rows `y` (dates `dates`, the same
 * length) with period m.
 */
export function fitSeasonal(y: ArrayLike<number>, dates: readonly string[], mode: SeasonalMode, m: number): SeasonalJSON {
  const method = mode === 'auto' ? AUTO_METHOD : mode;
  const n = y.length;
  const none = (why: string): SeasonalJSON => ({ kind: 'none', note: `not seasonally normalised: ${why}` });
  if (mode === 'off') return none("seasonal: 'off'");
  if (!(m > 1)) return none(`period ${m}: no season`);
  const need = mode === 'auto' ? 3 * m : 2 * m;
  if (n < need) return none(`${n} training rows < ${need / m} × period ${m}`);
  for (let t = 0; t < n; t++) if (!(y[t]! > 0)) return none(`training row ${t + 1} is ${y[t]}; multiplicative indices need values > 0`);
  const { trend, indices } = multiplicativeDecomposition(y, m);
  for (let j = 0; j < m; j++) if (!(indices[j]! > 0 && Number.isFinite(indices[j]!))) return none(`seasonal index ${j + 1} of ${m} is ${indices[j]}`);
  const strength = seasonalStrength(y, trend, indices);
  let why = `mode '${mode}'`;
  if (mode === 'auto') {
    const test = seasonalityTest(y, m);
    if (!test.seasonal) return none(test.reason);
    if (strength < MIN_SEASONAL_STRENGTH) return none(`${test.reason}, but seasonal strength ${strength.toFixed(2)} < ${MIN_SEASONAL_STRENGTH} (a trend, not a season)`);
    why = `${test.reason}, seasonal strength ${strength.toFixed(2)} ≥ ${MIN_SEASONAL_STRENGTH}`;
  }
  if (method === 'holt-winters') {
    const hw = fitHoltWinters(y, dates, m, why);
    if (hw) return hw;
    why += '; no multiplicative-season ETS model could be fitted' + (m > 24 ? ` (ETS allows periods up to 24, this is ${m})` : '') + ', so classical indices';
  }
  return {
    kind: 'classical', period: m, indices: Array.from(indices),
    anchors: [{ date: dates[0]!, position: 0 }, { date: dates[n - 1]!, position: (n - 1) % m }],
    note: `seasonally normalised (classical multiplicative indices, period ${m}): ${why}`,
  };
}

/**
 * The factors of a series' data under a saved normalisation (null for kind 'none'). `y` is the target
 * column of `frame`; `id` names the series in errors.
 */
export function seasonalView(s: SeasonalJSON, frame: Frame, y: Float64Array, id: string): SeasonalView | null {
  if (s.kind === 'none') return null;
  if (s.kind === 'holt-winters') return holtWintersView(s, frame, y, id);
  const m = s.period;
  let base = NaN;
  for (const a of s.anchors) {
    const row = frame.dates.indexOf(a.date);
    if (row >= 0) { base = a.position - row; break; }
  }
  if (Number.isNaN(base)) {
    throw new UnrollError(`series "${id}": the seasonal indices (period ${m}) are anchored at the dates ${s.anchors.map((a) => a.date).join(' and ')} of the training data, and ${frame.source} has neither; expected data that includes one of them (or a model trained with seasonal 'off')`, 'data');
  }
  const factorAt = (row: number): number => s.indices[(((base + row) % m) + m) % m]!;
  const factors = new Float64Array(y.length);
  const adjusted = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) {
    factors[t] = factorAt(t);
    adjusted[t] = y[t]! / factors[t]!;
  }
  return { factors, adjusted, factorAt };
}

/** `frame` with column `name` replaced by `values` (the other columns are shared, not copied). */
export function withColumn(frame: Frame, name: string, values: Float64Array): Frame {
  const columns: Record<string, Float64Array> = Object.assign(Object.create(null), frame.columns);
  columns[name] = values;
  return { ...frame, columns };
}

/** The method 'auto' uses on a series it finds seasonal (the better of the two on the development series, docs/forecasting.md). */
export const AUTO_METHOD: 'classical' | 'holt-winters' = 'holt-winters';

const HW_TRENDS = ['N', 'A', 'Ad'] as const;

/** The multiplicative-season ETS model with the lowest AICc on the training rows, as a saved normalisation (null when none fits). */
function fitHoltWinters(y: ArrayLike<number>, dates: readonly string[], m: number, why: string): SeasonalJSON | null {
  if (m > 24) return null;
  let best: EtsModel | null = null;
  for (const trend of HW_TRENDS) {
    const fit = fitEtsModel(y, { error: 'M', trend, season: 'M' }, m);
    if (fit && Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) best = fit;
  }
  if (!best) return null;
  const trend = best.spec.trend;
  return {
    kind: 'holt-winters', period: m, trend, alpha: best.alpha, beta: trend === 'N' ? 0 : best.beta, gamma: best.gamma, phi: trend === 'Ad' ? best.phi : 1,
    start: { date: dates[0]!, states: Array.from(best.initialStates) }, end: { date: dates[y.length - 1]!, states: Array.from(best.finalStates) },
    note: `seasonally normalised (Holt-Winters seasonal states of ${etsDescription(best.spec)}, period ${m}, γ = ${best.gamma.toPrecision(3)}): ${why}`,
  };
}

function holtWintersView(s: Extract<SeasonalJSON, { kind: 'holt-winters' }>, frame: Frame, y: Float64Array, id: string): SeasonalView {
  const m = s.period;
  const n = y.length;
  const so = s.trend === 'N' ? 1 : 2;
  // season[r + m] = the seasonal state of row r's position as set after row r (rows −m … n−1).
  const season = new Float64Array(n + m);
  let from: number;
  let states: number[];
  const a = frame.dates.indexOf(s.start.date);
  if (a >= 0) {
    from = a;
    states = s.start.states;
  } else {
    const b = frame.dates.indexOf(s.end.date);
    if (b < 0) {
      throw new UnrollError(`series "${id}": the seasonal states (period ${m}) start at the date ${s.start.date} and end at ${s.end.date} of the training data, and ${frame.source} has neither; expected data that includes one of them (or a model trained with seasonal 'off')`, 'data');
    }
    from = b + 1;
    states = s.end.states;
  }
  // States before row `from`: s_{−k} (k = 0 … m−1) belongs to row from − 1 − k; earlier rows repeat them by position.
  for (let r = -m; r < from; r++) season[r + m] = states[so + ((((from - 1 - r) % m) + m) % m)]!;
  let l = states[0]!;
  let b = so === 2 ? states[1]! : 0;
  for (let t = from; t < n; t++) {
    const sOld = season[t]!;
    const q = l + s.phi * b;
    const lNew = q + s.alpha * (y[t]! / sOld - q);
    if (so === 2) b = s.phi * b + (s.beta / s.alpha) * (lNew - l - s.phi * b);
    season[t + m] = sOld + s.gamma * (y[t]! / q - sOld);
    l = lNew;
  }
  const factorAt = (row: number, origin = row - 1): number => {
    const e = Math.min(origin, n - 1, row - 1);
    const tau = row - m * Math.ceil((row - e) / m);
    return season[Math.max(tau, -m) + m]!;
  };
  const factors = new Float64Array(n);
  const adjusted = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    factors[t] = season[t]!;
    adjusted[t] = y[t]! / factors[t]!;
    if (!(factors[t]! > 0) || !Number.isFinite(adjusted[t]!)) {
      throw new UnrollError(`series "${id}": the Holt-Winters seasonal state of row ${t + 1} of ${frame.source} is ${factors[t]}; expected a positive number (values ≤ 0 after training?). Train with seasonal 'classical' or 'off'`, 'data');
    }
  }
  return { factors, adjusted, factorAt };
}
