/**
 * ETS on series too short for the likelihood search, as R's `forecast::ets` (8.20) fits them: when
 * n ≤ npars + 4 (npars = 2, + 2 with a trend, + m with a season, + 1 when damped; the automatic "ZZZ" counts 2,
 * so n ≤ 6) R leaves its search and fits Holt–Winters by least squares (`forecast:::HoltWintersZZ`).
 *
 * The recursions (R's `zzhw`), with level ℓ, growth b and seasonal states s (s_{t−m} the one for period t):
 *
 *   ŷ_t = ℓ_{t−1} + b_{t−1} + s_{t−m}           (S = N: s = 0;  S = M: (ℓ_{t−1} + b_{t−1}) · s_{t−m})
 *   ℓ_t = α (y_t − s_{t−m}) + (1 − α)(ℓ_{t−1} + b_{t−1})          (S = M: α y_t / s_{t−m} + …)
 *   b_t = β (ℓ_t − ℓ_{t−1}) + (1 − β) b_{t−1}                      (b = 0 without trend)
 *   s_t = γ (y_t − ℓ_{t−1} − b_{t−1}) + (1 − γ) s_{t−m}             (S = M: γ y_t / (ℓ_{t−1} + b_{t−1}) + …)
 *
 * Note β here is Holt's (the ETS β is α·β). Starting states are not estimated: without season ℓ_0 = y_1 and
 * b_0 = y_2 − y_1; with a season of period m, ℓ_0 = mean(y_1 … y_m), b_0 = (mean(y_{m+1} … y_{2m}) − ℓ_0) / m
 * and s_{i−m} = y_i − ℓ_0 (S = M: y_i / ℓ_0), i = 1 … m (so a seasonal fit needs 2m values).
 * α, β, γ ∈ [0, 1] minimise SSE = Σ (y_t − ŷ_t)², starting from R's `initparam` with bounds [0, 1]:
 * α = 0.2/m, β = 0.1 α, γ = 0.05 (1 − α), by a box-constrained quasi-Newton search (projected-bfgs.ts, where R
 * uses L-BFGS-B). σ² = SSE / n (S = M: the mean of the squared relative errors (y_t − ŷ_t)/ŷ_t).
 *
 * Which fit R makes:
 * - the automatic model: Holt (trend) and SES both, and the one with the smaller σ² (a Holt fit needs 2 values;
 *   on a tie SES); a constant series, and so a single value, is ets.ts's constant model before this;
 * - a given model with a season (n > m > 1): the seasonal fit, with a trend whatever the model's trend; a given
 *   model with a trend: Holt; with neither: SES; where the fit asked for cannot be made (a season needs 2m values,
 *   a trend 2), the automatic pair above (a damped trend counts in npars, but the fit is undamped, as R's).
 *
 * The fit becomes an EtsModel whose β (and γ) are these Holt–Winters parameters, as R's `ets` object reports
 * them; its forecasts and their variances are then the ETS ones of ets-forecast.ts (ETS(A,·,·) class 1,
 * ETS(M,A,M) class 3) with that β in the place of the ETS β, which is what R's `forecast.ets` computes for it.
 */
import { UnrollError } from '../../util/errors.js';
import type { EtsModel, EtsSeason, EtsSpec } from './ets-model.js';
import { boxMinimise } from './projected-bfgs.js';

/** What the least-squares fit estimates: a trend or not, and the kind of season. */
export interface HoltWintersKind { trend: boolean; season: EtsSeason }

interface Starts { l: number; b: number; s: Float64Array }

/** R's starting states; null where they do not exist (a trend needs 2 values, a season 2m). */
function starts(y: Float64Array, m: number, kind: HoltWintersKind): Starts | null {
  const n = y.length;
  if (kind.season === 'N') {
    if (kind.trend && n < 2) return null;
    return { l: y[0], b: kind.trend ? y[1] - y[0] : 0, s: new Float64Array(0) };
  }
  if (n < 2 * m) return null;
  let l = 0;
  let next = 0;
  for (let i = 0; i < m; i++) { l += y[i] / m; next += y[m + i] / m; }
  const s = new Float64Array(m);
  for (let i = 0; i < m; i++) s[i] = kind.season === 'A' ? y[i] - l : y[i] / l;
  return { l, b: (next - l) / m, s };
}

interface Run { sse: number; fitted: Float64Array; residuals: Float64Array; l: number; b: number; seasons: Float64Array }

/** R's zzhw: the recursions over y; `seasons` holds s_{1−m} … s_n (oldest first). */
function run(y: Float64Array, m: number, kind: HoltWintersKind, alpha: number, beta: number, gamma: number, st: Starts, keep: boolean): Run {
  const n = y.length;
  const seasonal = kind.season !== 'N';
  const mult = kind.season === 'M';
  const mm = seasonal ? m : 0;
  const seasons = new Float64Array(seasonal ? m + n : 0);
  if (seasonal) seasons.set(st.s);
  const fitted = keep ? new Float64Array(n) : new Float64Array(0);
  const residuals = keep ? new Float64Array(n) : new Float64Array(0);
  let l = st.l;
  let b = kind.trend ? st.b : 0;
  let sse = 0;
  for (let t = 0; t < n; t++) {
    const s = seasonal ? seasons[t] : mult ? 1 : 0;
    const q = l + b;
    const yhat = mult ? q * s : q + s;
    const e = y[t] - yhat;
    if (keep) { fitted[t] = yhat; residuals[t] = e; }
    sse += e * e;
    const lNew = alpha * (mult ? y[t] / s : y[t] - s) + (1 - alpha) * q;
    if (kind.trend) b = beta * (lNew - l) + (1 - beta) * b;
    if (seasonal) seasons[t + mm] = gamma * (mult ? y[t] / q : y[t] - q) + (1 - gamma) * s;
    l = lNew;
  }
  return { sse, fitted, residuals, l, b, seasons };
}

/** The fitted model in ets.ts's form (β, γ Holt–Winters'; lik and the criteria NaN: R reports none). */
function toModel(y: Float64Array, m: number, kind: HoltWintersKind, alpha: number, beta: number, gamma: number, st: Starts): EtsModel {
  const n = y.length;
  const r = run(y, m, kind, alpha, beta, gamma, st, true);
  const seasonal = kind.season !== 'N';
  const spec: EtsSpec = { error: kind.season === 'M' ? 'M' : 'A', trend: kind.trend ? 'A' : 'N', season: kind.season };
  // States newest season first: (ℓ, b?, s_t, s_{t−1}, …, s_{t−m+1}).
  const stateAt = (l: number, b: number, newest: number): Float64Array => {
    const out: number[] = [l];
    if (kind.trend) out.push(b);
    if (seasonal) for (let i = 0; i < m; i++) out.push(r.seasons[newest - i]);
    return Float64Array.from(out);
  };
  let sigma2 = 0;
  for (let t = 0; t < n; t++) sigma2 += (kind.season === 'M' ? r.residuals[t] / r.fitted[t] : r.residuals[t]) ** 2 / n;
  const parameterCount = 1 + (kind.trend ? 1 : 0) + (seasonal ? 1 : 0);
  return {
    spec, period: seasonal ? m : 1, alpha, beta: kind.trend ? beta : NaN, gamma: seasonal ? gamma : NaN, phi: NaN,
    initialStates: stateAt(st.l, kind.trend ? st.b : 0, m - 1), finalStates: stateAt(r.l, r.b, m + n - 1),
    lik: NaN, aic: NaN, aicc: NaN, bic: NaN, sigma2, residuals: r.residuals, fitted: r.fitted, parameterCount,
    converged: true, leastSquares: true,
  };
}

/**
 * HoltWintersZZ: α, β (with a trend), γ (with a season) in [0, 1] by least squares from R's starting values.
 * Null where R's fit fails (too few values for the starting states, or a non-finite SSE at the start).
 */
export function fitHoltWinters(y: Float64Array, period: number, kind: HoltWintersKind): EtsModel | null {
  const m = kind.season === 'N' ? Math.max(period, 1) : period;
  const st = starts(y, m, kind);
  if (!st) return null;
  if (kind.season === 'M' && y.some((v) => v <= 0)) return null;
  // R's initparam with lower 0, upper 1 and the series' own frequency m (also without a season).
  const alpha0 = 0.2 / m;
  const x0 = [alpha0];
  if (kind.trend) x0.push(0.1 * alpha0);
  if (kind.season !== 'N') x0.push(0.05 * (1 - alpha0));
  const sse = (v: Float64Array): number => {
    const r = run(y, m, kind, v[0], kind.trend ? v[1] : 0, kind.season !== 'N' ? v[kind.trend ? 2 : 1] : 0, st, false);
    return r.sse;
  };
  const lower = x0.map(() => 0);
  const upper = x0.map(() => 1);
  const res = boxMinimise(sse, x0, lower, upper);
  if (!res.ok) return null;
  const v = res.x;
  return toModel(y, m, kind, v[0], kind.trend ? v[1] : 0, kind.season !== 'N' ? v[kind.trend ? 2 : 1] : 0, st);
}

/** SES by least squares, which exists wherever its sum of squares is finite (R: "Unable to estimate a model" otherwise). */
function sesOrThrow(y: Float64Array, period: number): EtsModel {
  const ses = fitHoltWinters(y, period, { trend: false, season: 'N' });
  if (!ses) throw new UnrollError(`ETS: no model could be fitted to this series (${y.length} values, period ${period}): the least-squares fit's sum of squared errors is not finite (it overflows for values this large); rescale the series`, 'data');
  return ses;
}

/** R's automatic small-sample choice: Holt and SES by least squares, the one with the smaller σ² (SES on a tie). */
export function smallSampleAuto(y: Float64Array, period: number): EtsModel {
  const holt = fitHoltWinters(y, period, { trend: true, season: 'N' });
  const ses = sesOrThrow(y, period);
  return holt && holt.sigma2 < ses.sigma2 ? holt : ses;
}

/**
 * R's small-sample path for one given model (ets(y, model = spec)): a season (when n > m > 1) tries the seasonal
 * fit; a trend, Holt; neither, SES; and where the fit a model asks for fails, the automatic pair.
 */
export function smallSampleGiven(y: Float64Array, period: number, spec: EtsSpec): EtsModel {
  const season = period > 1 && y.length > period ? spec.season : 'N';
  if (season !== 'N') {
    const fit = fitHoltWinters(y, period, { trend: true, season });
    if (fit) return fit;
  }
  if (spec.trend !== 'N') {
    const fit = fitHoltWinters(y, period, { trend: true, season: 'N' });
    if (fit) return fit;
  }
  if (spec.trend === 'N' && season === 'N') return sesOrThrow(y, period);
  return smallSampleAuto(y, period);
}

/** The least-squares model run over a longer y from its own starting states, nothing re-estimated (extend). */
export function extendHoltWinters(model: EtsModel, y: Float64Array): EtsModel {
  const kind: HoltWintersKind = { trend: model.spec.trend !== 'N', season: model.spec.season };
  const m = model.period;
  const x = model.initialStates;
  const so = kind.trend ? 2 : 1;
  const s = new Float64Array(kind.season !== 'N' ? m : 0);
  for (let i = 0; i < s.length; i++) s[i] = x[so + m - 1 - i];
  const st: Starts = { l: x[0], b: kind.trend ? x[1] : 0, s };
  return toModel(y, m, kind, model.alpha, kind.trend ? model.beta : 0, kind.season !== 'N' ? model.gamma : 0, st);
}

/** R's npars for ets(y, model): 2, + 2 with a trend, + m with a season, + 1 when damped. */
export function rParameterCount(spec: EtsSpec, period: number): number {
  return 2 + (spec.trend !== 'N' ? 2 : 0) + (spec.season !== 'N' ? period : 0) + (spec.trend === 'Ad' ? 1 : 0);
}
