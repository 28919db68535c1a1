/**
 * Automatic ARIMA: the stepwise order search of Hyndman & Khandakar, "Automatic time series forecasting:
 * the forecast package for R" (J. Stat. Software 27(3), 2008), as R's `forecast::auto.arima` runs it with
 * its defaults. Written from the published procedure; the tests pin it to values R computed
 * (src/forecast/methods/fixtures/).
 *
 * A seasonal ARIMA(p,d,q)(P,D,Q)[m] with constant c on the differenced series w_t = (1 − B)^d (1 − B^m)^D y_t:
 *
 *   φ(B) Φ(B^m) (w_t − c) = θ(B) Θ(B^m) ε_t,    ε_t ~ N(0, σ²)
 *   φ(B) = 1 − φ_1 B − … − φ_p B^p,   Φ(B^m) = 1 − Φ_1 B^m − … − Φ_P B^{mP},
 *   θ(B) = 1 + θ_1 B + … + θ_q B^q,   Θ(B^m) = 1 + Θ_1 B^m + … + Θ_Q B^{mQ}.
 *
 * c is the mean when d + D = 0 and the drift (times m when D = 1) when d + D = 1; there is none otherwise.
 *
 * Differencing (before any model is fitted):
 *   D: 1 when the seasonal strength F_S = max(0, 1 − Var(R) / Var(S + R)) of an STL decomposition
 *      (stl.ts, seasonal window 11, as R's `mstl`) exceeds 0.64 (Wang, Smith & Hyndman 2006; R's `nsdiffs`).
 *   d: KPSS tests (level stationarity, Bartlett window of trunc(3√n / 13) lags, 5 % critical value 0.463),
 *      differencing until one no longer rejects, at most twice (R's `ndiffs`).
 *
 * Estimation, as R's auto.arima (stats::arima underneath):
 * - CSS (conditional sum of squares): with a_k, b_k the coefficients of the multiplied-out polynomials,
 *   ε_t = (w_t − c) − Σ a_k (w_{t−k} − c) − Σ b_k ε_{t−k} for t > p + mP (earlier ε = 0), σ²_CSS = Σ ε_t² / n_u,
 *   minimised over (φ, Φ, θ, Θ, c) by BFGS (bfgs.ts, as R's optim) from zero coefficients, unconstrained as
 *   in R (a non-stationary AR part is rejected afterwards: by the root check, or by the CSS-ML fit it starts).
 * - CSS-ML (arima-ml.ts, arima-likelihood.ts): from the CSS estimates, the exact Gaussian likelihood (Kalman
 *   filter) is maximised; forecasts start from the filtered state.
 * When n ≤ 150 and m ≤ 12 every candidate is fitted by CSS-ML and compared by
 * AICc = −2 log L + 2k + 2k(k + 1) / (n* − k − 1) (n* = n − d − mD, k the coefficients + 1). Otherwise (R's
 * `approximation`) the search compares the CSS criterion n* log σ²_CSS + 2k + … (plus the constant
 * n*(log 2π + 1); R adds another constant, which changes no comparison), then refits the candidates by
 * CSS-ML in increasing order of that criterion until one succeeds; if none does, the CSS winner stays, with
 * σ² = Σ ε_t² / (n* − k + 1) as R's forecast::Arima and forecasts from the CSS residuals.
 *
 * The search (stepwise): start from the best of (2,d,2)(1,D,1) (on fewer than 10 values (1,d,1)(0,D,0), as
 * R), (0,d,0)(0,D,0), (1,d,0)(1,D,0), (0,d,1)(0,D,1) (with a constant where allowed) and (0,d,0)(0,D,0)
 * without, then move to any better
 * neighbour — p, q, P or Q ± 1, p and q together ± 1, P and Q together ± 1, constant on/off — until none
 * improves (as R, when the null model without a constant wins among the starting models, it is the best so
 * far but the neighbours are still searched with the constant). Bounds p, q ≤ 5, P, Q ≤ 2 (and ≤ n/3, n/3m; p < m where P can be positive, q < m where Q can). A fit whose full AR or MA polynomial (in B,
 * seasonal factor included) has a root within 1.01 of the unit circle is rejected, as in R, and so is one
 * whose Hessian gives a NaN standard error (R's checkarima; arima-hessian.ts), tested only for a fit that would
 * otherwise become the best so far or the refitted answer.
 *
 * Short series, as R's auto.arima: any n ≥ 1 is fitted. A constant series (one value too) is ARIMA(0,0,0)
 * with its value as mean and σ² = 0; n ≤ 2m means D = 0, n < 3 means d = 0 (no KPSS test); with n ≤ 3 the
 * orders are compared by AIC (AICc's n − k − 2 has no room), so 2 or 3 values give ARIMA(0,0,0) with or
 * without a mean: mean ȳ, σ² = Σ(y − ȳ)² / (n − 1). R's σ² for a differenced model carries its diffuse
 * prior (about 1e-5 relative; arima-likelihood.ts).
 *
 * Forecasts of a CSS-ML fit: arima-ml.ts. Of a CSS fit: the recursion run forward with future ε = 0 and the
 * differencing undone; the h-step variance is σ² Σ_{j<h} ψ_j² with ψ the MA(∞) weights of the full model
 * (differencing included). Intervals are Gaussian: ŷ ± z √Var.
 */
import { UnrollError } from '../../util/errors.js';
import { checkOptions, is } from '../../util/options.js';
import { bfgsMinimise } from './bfgs.js';
import { checkHorizon, checkLevels, checkPeriod, checkSeries, normalIntervals } from './common.js';
import { stl } from './stl.js';
import { CssEvaluator } from './arima-css.js';
import { armaPolys, difference, differencingPoly, nearUnitRoot, polyMul, standardise } from './arima-poly.js';
import { fitArimaOrderMl, mlForecastMoments, mlInnovations } from './arima-ml.js';
import { hessianRejects } from './arima-hessian.js';
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions, IntervalBounds, MethodForecast } from './types.js';
import { checkedMethod } from './checked.js';

export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** Seasonal period m (1 = none). */
  period: number;
  /** Mean (d + D = 0) or drift (d + D = 1) included. */
  constant: boolean;
}

export interface ArimaOptions {
  /** Largest p and q. @default 5 */
  maxP?: number;
  maxQ?: number;
  /** Largest seasonal P and Q. @default 2 */
  maxSeasonalP?: number;
  maxSeasonalQ?: number;
  /** Largest d and D. @default 2, 1 */
  maxD?: number;
  maxSeasonalD?: number;
  /** Search seasonal models at all (false: P = Q = D = 0). @default true */
  seasonal?: boolean;
  /**
   * Evaluation budget of each CSS fit's BFGS search: it stops after maxEvaluations / (2k + 2) iterations (each
   * takes about 2k + 2 evaluations for k coefficients). @default 100 iterations
   */
  maxEvaluations?: number;
  /**
   * Reject a fit whose AR or MA polynomial has a root within 1.01 of the unit circle (auto.arima does; a
   * fit of one given order, like R's Arima(), does not). @default true
   */
  rejectNearUnitRoots?: boolean;
}

export interface ArimaModel {
  order: ArimaOrder;
  /** φ_1 … φ_p, Φ_1 … Φ_P, θ_1 … θ_q, Θ_1 … Θ_Q. */
  ar: Float64Array;
  sar: Float64Array;
  ma: Float64Array;
  sma: Float64Array;
  /** c on the differenced scale (0 without constant); `drift` is c per step of y when d + D = 1. */
  intercept: number;
  sigma2: number;
  loglik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Residuals on the differenced series: CSS ε_t (NaN where conditioned on), or the CSS-ML fit's Kalman innovations v_t. */
  residuals: Float64Array;
  /** The series the model was fitted to. */
  y: Float64Array;
  converged: boolean;
  /** How it was estimated: 'CSS' (conditional sum of squares) or 'CSS-ML' (exact likelihood from the CSS start). */
  method: 'CSS' | 'CSS-ML';
}

// ---------------------------------------------------------------------------------------------------------
// Unit-root and seasonality tests

/** KPSS statistic for level stationarity with a Bartlett window of `lags` lags. */
export function kpssStatistic(x: ArrayLike<number>, lags: number): number {
  const n = x.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t] / n;
  const e = new Float64Array(n);
  for (let t = 0; t < n; t++) e[t] = x[t] - mean;
  let s = 0;
  let eta = 0;
  for (let t = 0; t < n; t++) { s += e[t]; eta += s * s; }
  eta /= n * n;
  let s2 = 0;
  for (let t = 0; t < n; t++) s2 += e[t] * e[t];
  s2 /= n;
  for (let i = 1; i <= lags; i++) {
    let acc = 0;
    for (let t = i; t < n; t++) acc += e[t] * e[t - i];
    s2 += (2 / n) * (1 - i / (lags + 1)) * acc;
  }
  return eta / s2;
}

function isConstant(x: ArrayLike<number>): boolean {
  for (let t = 1; t < x.length; t++) if (x[t] !== x[0]) return false;
  return true;
}

/** Number of first differences by repeated KPSS tests at 5 % (R's `ndiffs` with its defaults). */
export function kpssDiffs(y: ArrayLike<number>, maxD = 2): number {
  let x: Float64Array = Float64Array.from(y);
  if (isConstant(x) || x.length < 3) return 0;
  const rejects = (v: Float64Array): boolean => kpssStatistic(v, Math.trunc((3 * Math.sqrt(v.length)) / 13)) > 0.463;
  let d = 0;
  let dodiff = rejects(x);
  while (dodiff && d < maxD) {
    d++;
    x = difference(x, 1, 0, 1);
    if (isConstant(x) || x.length < 3) return d;
    dodiff = rejects(x);
  }
  return d;
}

/**
 * Seasonal strength F_S = max(0, 1 − Var(R) / Var(S + R)) of an STL decomposition with a seasonal window of
 * 11 (what R's `mstl()` uses for one seasonal period, and so what `nsdiffs` measures).
 */
export function seasonalStrength(y: ArrayLike<number>, m: number): number {
  const { seasonal, remainder } = stl(y, m, 11);
  const variance = (v: ArrayLike<number>): number => {
    let mu = 0;
    for (let i = 0; i < v.length; i++) mu += v[i] / v.length;
    let s2 = 0;
    for (let i = 0; i < v.length; i++) s2 += (v[i] - mu) ** 2;
    return s2 / (v.length - 1);
  };
  const sr = remainder.map((r, i) => r + seasonal[i]);
  const vsr = variance(sr);
  if (!(vsr > 0)) return 0;
  return Math.max(0, Math.min(1, 1 - variance(remainder) / vsr));
}

/** Seasonal differences: 1 when the seasonal strength exceeds 0.64 (R's `nsdiffs` heuristic). */
export function seasonalDiffs(y: ArrayLike<number>, m: number, maxD = 1): number {
  // mstl drops a period of half the length or more; nsdiffs then finds no season.
  if (m < 2 || maxD < 1 || m >= y.length / 2 || isConstant(y)) return 0;
  return seasonalStrength(y, m) > 0.64 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Fitting one order by CSS

interface Coefs { ar: Float64Array; sar: Float64Array; ma: Float64Array; sma: Float64Array; c: number }

function split(v: Float64Array, o: ArimaOrder): Coefs {
  let i = 0;
  const take = (k: number): Float64Array => { const out = v.slice(i, i + k); i += k; return out; };
  const ar = take(o.p);
  const sar = take(o.P);
  const ma = take(o.q);
  const sma = take(o.Q);
  const c = o.constant ? v[i] : 0;
  return { ar, sar, ma, sma, c };
}

/** Fits one ARIMA order by CSS. Returns null when the fit fails or lies too near the unit circle. */
export function fitArimaOrder(y: ArrayLike<number>, order: ArimaOrder, options: ArimaOptions = {}): ArimaModel | null {
  const { p, d, q, P, D, Q } = order;
  const m = order.period;
  const w = difference(y, d, D, m);
  const nw = w.length;
  const ncond = p + m * P;
  const nu = nw - ncond;
  const k = p + q + P + Q + (order.constant ? 1 : 0);
  // More residuals than coefficients, and one more with ARMA terms (a mean alone fits 2 values, as in R).
  if (nu <= k + (p + q + P + Q > 0 ? 1 : 0)) return null;
  // Work on a standardised copy so that one finite-difference step (1e-3) suits every coefficient.
  const { ws, centre, sd } = standardise(w, order.constant);
  const e = new Float64Array(nw);
  const css = new CssEvaluator(order, nw);
  // Unconstrained, as R's CSS (a non-stationary AR part is rejected afterwards: by the root check, or by the
  // exact-likelihood fit that starts from it).
  const objective = (v: Float64Array): number => {
    css.setCoefficients(v, false);
    const sse = css.sse(ws, css.constant, e);
    return 0.5 * Math.log(sse / nu);
  };
  const start = new Float64Array(k);
  // optim's parscale, as R's arima sets it: 1 for the ARMA coefficients, 10 × the standard error of the
  // constant's least-squares estimate (10 sd / √n* on the original scale, 10 / √n* on this one).
  const scale = new Float64Array(k).fill(1);
  if (order.constant) scale[k - 1] = 10 / Math.sqrt(nw);
  const maxIterations = options.maxEvaluations ? Math.max(1, Math.floor(options.maxEvaluations / (2 * k + 2))) : 100;
  const res = k > 0
    // The objective on the standardised series is R's (on the raw one) minus log sd: stop where R's would.
    ? bfgsMinimise(objective, start, maxIterations, 1e-8, Math.log(sd), scale)
    : { x: start, value: objective(start), converged: true, iterations: 0, ok: true };
  if (!res.ok || !Number.isFinite(res.value)) return null;
  const cf = split(res.x, order);
  if (options.rejectNearUnitRoots !== false && nearUnitRoot(cf, m)) return null;
  const intercept = order.constant ? centre + cf.c * sd : 0;
  css.setCoefficients(res.x, false);
  const sse = css.sse(w, intercept, e);
  const cssSigma2 = sse / nu;
  const sigma2 = sse / (nw - k);
  const residuals = Float64Array.from(e);
  for (let t = 0; t < ncond; t++) residuals[t] = NaN;
  const nstar = nw;
  const npar = k + 1;
  const loglik = -0.5 * nstar * (Math.log(2 * Math.PI * cssSigma2) + 1);
  const aic = -2 * loglik + 2 * npar;
  const aicc = nstar - npar - 1 > 0 ? aic + (2 * npar * (npar + 1)) / (nstar - npar - 1) : Infinity;
  const bic = -2 * loglik + Math.log(nstar) * npar;
  return {
    order: { ...order }, ar: cf.ar, sar: cf.sar, ma: cf.ma, sma: cf.sma, intercept, sigma2, loglik, aic, aicc, bic,
    residuals, y: Float64Array.from(y), converged: res.converged, method: 'CSS',
  };
}

// ---------------------------------------------------------------------------------------------------------
// The stepwise search

/** "ARIMA(2,1,1)(0,1,0)[12] with drift", in R's wording. */
export function arimaDescription(o: ArimaOrder): string {
  let s = `ARIMA(${o.p},${o.d},${o.q})`;
  if (o.period > 1 && o.P + o.D + o.Q > 0) s += `(${o.P},${o.D},${o.Q})[${o.period}]`;
  if (o.d + o.D === 0) s += o.constant ? ' with non-zero mean' : ' with zero mean';
  else if (o.d + o.D === 1 && o.constant) s += ' with drift';
  return s;
}


/** Chooses d and D, then the orders by the stepwise search; returns the fit with the smallest AICc. */
export function autoArima(y: ArrayLike<number>, period: number, options: ArimaOptions = {}): ArimaModel {
  y = checkSeries('arima', y, 1);
  checkPeriod('arima', period);
  const n = y.length;
  const seasonal = (options.seasonal ?? true) && period > 1;
  const m = seasonal ? period : 1;
  if (isConstant(y)) {
    // ARIMA(0,0,0) with mean y_1 and no noise (R: "with non-zero mean", σ² = 0).
    const e = new Float64Array(n);
    return {
      order: { p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0, period: 1, constant: true }, ar: new Float64Array(0),
      sar: new Float64Array(0), ma: new Float64Array(0), sma: new Float64Array(0), intercept: y[0], sigma2: 0,
      loglik: Infinity, aic: -Infinity, aicc: -Infinity, bic: -Infinity, residuals: e, y: Float64Array.from(y), converged: true, method: 'CSS',
    };
  }
  const D = seasonal ? seasonalDiffs(y, m, options.maxSeasonalD ?? 1) : 0;
  const d = kpssDiffs(D > 0 ? difference(y, 0, D, m) : y, options.maxD ?? 2);
  const maxP = seasonal ? Math.min(options.maxSeasonalP ?? 2, Math.floor(n / 3 / m)) : 0;
  const maxQ = seasonal ? Math.min(options.maxSeasonalQ ?? 2, Math.floor(n / 3 / m)) : 0;
  // As R: with seasonal terms possible, p and q stay below m (a lag-m term belongs to the seasonal part).
  const maxp = Math.min(options.maxP ?? 5, Math.floor(n / 3), m > 1 && maxP > 0 ? m - 1 : Infinity);
  const maxq = Math.min(options.maxQ ?? 5, Math.floor(n / 3), m > 1 && maxQ > 0 ? m - 1 : Infinity);
  const allowConstant = d + D <= 1;
  // R compares by AIC when n ≤ 3 (AICc does not exist there).
  const ic = (f: ArimaModel): number => (n <= 3 ? f.aic : f.aicc);
  // R's approximation: search by CSS, then refit the winner by exact likelihood (below).
  const approximation = n > 150 || period > 12;
  const reject = options.rejectNearUnitRoots !== false;
  const fitMl = (order: ArimaOrder, css: ArimaModel | null): ArimaModel | null =>
    fitArimaOrderMl(y, order, css ?? fitArimaOrder(y, order, { ...options, rejectNearUnitRoots: false }), reject);
  const tried = new Map<string, ArimaModel | null>();
  const fit = (p: number, q: number, P: number, Q: number, constant: boolean): ArimaModel | null => {
    const key = `${p},${q},${P},${Q},${constant}`;
    if (tried.has(key)) return tried.get(key)!;
    const order = { p, d, q, P, D, Q, period: m, constant };
    const r = approximation ? fitArimaOrder(y, order, options) : fitMl(order, null);
    tried.set(key, r);
    return r;
  };
  // R starts from (2,d,2)(1,D,1), or from (1,d,1)(0,D,0) on fewer than 10 values.
  const short = n < 10;
  let p = Math.min(short ? 1 : 2, maxp);
  let q = Math.min(short ? 1 : 2, maxq);
  let P = short ? 0 : Math.min(1, maxP);
  let Q = short ? 0 : Math.min(1, maxQ);
  let constant = allowConstant;
  // R's checkarima: a fit whose Hessian gives a NaN standard error counts as Inf (arima-hessian.ts). It is
  // tested only where it can matter: for a fit that would beat the best so far, and in the refits below.
  const hessianOk = new Map<string, boolean>();
  const passes = (key: string, f: ArimaModel): boolean => {
    if (!hessianOk.has(key)) hessianOk.set(key, !hessianRejects(f));
    return hessianOk.get(key)!;
  };
  let best: ArimaModel | null = null;
  const better = (key: string, f: ArimaModel | null): boolean =>
    f !== null && (best === null || ic(f) < ic(best)) && passes(key, f);
  const consider = (np: number, nq: number, nP: number, nQ: number, nc: boolean, keepConstant = false): boolean => {
    const key = `${np},${nq},${nP},${nQ},${nc}`;
    if (tried.has(key)) return false;
    const f = fit(np, nq, nP, nQ, nc);
    if (better(key, f)) { best = f; p = np; q = nq; P = nP; Q = nQ; if (!keepConstant) constant = nc; return true; }
    return false;
  };
  consider(p, q, P, Q, constant);
  consider(0, 0, 0, 0, constant);
  if (maxp > 0 || maxP > 0) consider(maxp > 0 ? 1 : 0, 0, maxP > 0 ? 1 : 0, 0, constant);
  if (maxq > 0 || maxQ > 0) consider(0, maxq > 0 ? 1 : 0, 0, maxQ > 0 ? 1 : 0, constant);
  // As R's auto.arima: when the null model without a constant wins here, it becomes the best fit, but the
  // neighbours are then searched with the constant (the search's constant is not switched off).
  if (constant) consider(0, 0, 0, 0, false, true);
  const maxModels = 94;
  for (let moved = true; moved && tried.size < maxModels;) {
    moved =
      (P > 0 && consider(p, q, P - 1, Q, constant)) ||
      (Q > 0 && consider(p, q, P, Q - 1, constant)) ||
      (P < maxP && consider(p, q, P + 1, Q, constant)) ||
      (Q < maxQ && consider(p, q, P, Q + 1, constant)) ||
      (Q > 0 && P > 0 && consider(p, q, P - 1, Q - 1, constant)) ||
      (Q < maxQ && P > 0 && consider(p, q, P - 1, Q + 1, constant)) ||
      (Q > 0 && P < maxP && consider(p, q, P + 1, Q - 1, constant)) ||
      (Q < maxQ && P < maxP && consider(p, q, P + 1, Q + 1, constant)) ||
      (p > 0 && consider(p - 1, q, P, Q, constant)) ||
      (q > 0 && consider(p, q - 1, P, Q, constant)) ||
      (p < maxp && consider(p + 1, q, P, Q, constant)) ||
      (q < maxq && consider(p, q + 1, P, Q, constant)) ||
      (q > 0 && p > 0 && consider(p - 1, q - 1, P, Q, constant)) ||
      (q < maxq && p > 0 && consider(p - 1, q + 1, P, Q, constant)) ||
      (q > 0 && p < maxp && consider(p + 1, q - 1, P, Q, constant)) ||
      (q < maxq && p < maxp && consider(p + 1, q + 1, P, Q, constant)) ||
      (allowConstant && consider(p, q, P, Q, !constant));
  }
  if (approximation && best !== null) {
    // Refit by CSS-ML in the order of the CSS criterion (models the CSS search rejected last, in the order
    // tried); the first whose refit succeeds is the answer. If none does, R keeps the CSS winner.
    // A CSS fit that R's checkarima rejects ranks with the failures (Inf), in the order tried.
    const ranked = [...tried.entries()].map(([key, f], i) => ({ key, f, i, v: f === null ? Infinity : ic(f) }));
    const byCriterion = (a: { v: number; i: number }, b: { v: number; i: number }): number => (a.v === b.v ? a.i - b.i : a.v < b.v ? -1 : 1);
    ranked.sort(byCriterion);
    for (let j = 0; j < ranked.length; j++) {
      const { key, f, v } = ranked[j];
      if (f !== null && Number.isFinite(v) && !passes(key, f)) {
        ranked[j].v = Infinity;
        ranked.sort(byCriterion);
        j--;
        continue;
      }
      const [rp, rq, rP, rQ] = key.split(',').map(Number);
      const refit = fitMl({ p: rp, d, q: rq, P: rP, D, Q: rQ, period: m, constant: key.endsWith('true') }, f);
      if (refit !== null && ic(refit) < Infinity && !hessianRejects(refit)) { best = refit; break; }
    }
  }
  if (best === null) throw new UnrollError(`ARIMA: no model could be fitted to this series (${n} values, period ${period})`, 'data');
  return best;
}

// ---------------------------------------------------------------------------------------------------------
// Forecasting

/** Point forecasts and h-step variances. */
export function arimaForecastMoments(model: ArimaModel, h: number): { mean: Float64Array; variance: Float64Array } {
  if (model.method === 'CSS-ML') return mlForecastMoments(model, h);
  const o = model.order;
  const m = o.period;
  const y = model.y;
  const n = y.length;
  const w = difference(y, o.d, o.D, m);
  const nw = w.length;
  const { arPoly, maPoly } = armaPolys(model, m);
  const c = model.intercept;
  // ARMA recursion on z = w − c with future errors 0.
  const z = new Float64Array(nw + h);
  const e = new Float64Array(nw + h);
  for (let t = 0; t < nw; t++) { z[t] = w[t] - c; e[t] = Number.isNaN(model.residuals[t]) ? 0 : model.residuals[t]; }
  for (let t = nw; t < nw + h; t++) {
    let v = 0;
    for (let k = 1; k < arPoly.length; k++) if (t - k >= 0) v -= arPoly[k] * z[t - k];
    for (let k = 1; k < maPoly.length; k++) if (t - k >= 0) v += maPoly[k] * e[t - k];
    z[t] = v;
  }
  // Undo the differencing: y_t = w_t − Σ_{k≥1} δ_k y_{t−k}.
  const delta = differencingPoly(o.d, o.D, m);
  const yy = new Float64Array(n + h);
  yy.set(y);
  for (let i = 0; i < h; i++) {
    const t = n + i;
    let v = z[nw + i] + c;
    for (let k = 1; k < delta.length; k++) v -= delta[k] * yy[t - k];
    yy[t] = v;
  }
  // ψ weights of the full model: (AR × differencing) ψ = MA.
  const full = polyMul(arPoly, delta);
  const psi = new Float64Array(h);
  psi[0] = 1;
  for (let j = 1; j < h; j++) {
    let v = j < maPoly.length ? maPoly[j] : 0;
    for (let k = 1; k <= j && k < full.length; k++) v -= full[k] * psi[j - k];
    psi[j] = v;
  }
  const variance = new Float64Array(h);
  let acc = 0;
  for (let j = 0; j < h; j++) { acc += psi[j] * psi[j]; variance[j] = model.sigma2 * acc; }
  return { mean: yy.slice(n), variance };
}

export function arimaForecast(model: ArimaModel, h: number, levels: readonly number[] = []): MethodForecast {
  checkHorizon('arima', h);
  checkLevels('arima', levels);
  const { mean, variance } = arimaForecastMoments(model, h);
  const se = variance.map(Math.sqrt);
  const notes: string[] = [];
  if (!model.converged) notes.push('the optimiser stopped at its evaluation budget before converging');
  return { mean, intervals: normalIntervals(mean, se, levels), notes };
}

/** One-step fitted values ŷ_t = y_t − ε_t (NaN where the CSS conditions on the first values). */
function fittedValues(model: ArimaModel): Float64Array {
  const o = model.order;
  const n = model.y.length;
  const offset = o.d + o.D * o.period;
  const out = new Float64Array(n).fill(NaN);
  for (let t = offset; t < n; t++) {
    const r = model.residuals[t - offset];
    if (!Number.isNaN(r)) out[t] = model.y[t] - r;
  }
  return out;
}

/**
 * The model with its coefficients, σ² and constant kept, run over a longer history y (whose first values are
 * the ones it was fitted to): the CSS residuals are recomputed through the new values, so that forecasts
 * start from the end of y. Nothing is re-estimated.
 */
export function extendArima(model: ArimaModel, y: ArrayLike<number>): ArimaModel {
  const o = model.order;
  if (!(y?.length >= model.y.length)) {
    throw new UnrollError(`ARIMA extend: the new history has ${y?.length} values; expected at least the ${model.y.length} it was fitted to`, 'data');
  }
  if (model.method === 'CSS-ML') {
    const innovations = mlInnovations(model, y);
    if (innovations === null) throw new UnrollError(`ARIMA extend: ${arimaDescription(o)} is not stationary`, 'data');
    for (let t = 0; t < innovations.length; t++) {
      if (!Number.isFinite(innovations[t])) throw new UnrollError(`ARIMA extend: ${arimaDescription(o)} gives a residual of ${innovations[t]} on the new values`, 'data');
    }
    return { ...model, y: Float64Array.from(y), residuals: innovations };
  }
  const w = difference(y, o.d, o.D, o.period);
  const css = new CssEvaluator(o, w.length);
  const v = Float64Array.from([...model.ar, ...model.sar, ...model.ma, ...model.sma, model.intercept]);
  if (!css.setCoefficients(v)) throw new UnrollError(`ARIMA extend: ${arimaDescription(o)} is not stationary`, 'data');
  const residuals = new Float64Array(w.length);
  css.sse(w, model.intercept, residuals);
  for (let t = 0; t < css.ncond && t < w.length; t++) residuals[t] = NaN;
  for (let t = 0; t < w.length; t++) {
    if (!Number.isFinite(residuals[t]) && t >= css.ncond) throw new UnrollError(`ARIMA extend: ${arimaDescription(o)} gives a residual of ${residuals[t]} on the new values`, 'data');
  }
  return { ...model, y: Float64Array.from(y), residuals };
}

/** A fitted ARIMA model behind the contract. */
function fittedArima(model: ArimaModel): FittedMethod {
  return {
    name: 'arima',
    description: arimaDescription(model.order),
    fitted: fittedValues(model),
    forecast: (h: number, o: ForecastOptions = {}) => arimaForecast(model, h, o.levels ?? []),
    extend: (y: ArrayLike<number>) => fittedArima(extendArima(model, y)),
  };
}

/** The automatic ARIMA method behind the common contract. */
export function arimaMethod(options: ArimaOptions = {}): ForecastMethod {
  checkOptions(options, {
    maxP: is.nonNegativeInt, maxQ: is.nonNegativeInt, maxSeasonalP: is.nonNegativeInt, maxSeasonalQ: is.nonNegativeInt,
    maxD: is.nonNegativeInt, maxSeasonalD: is.nonNegativeInt, seasonal: is.boolean, maxEvaluations: is.positiveInt,
    rejectNearUnitRoots: is.boolean,
  }, { where: 'arimaMethod' });
  return checkedMethod({
    name: 'arima',
    fit(y: ArrayLike<number>, fitOptions: FitOptions): FittedMethod {
      return fittedArima(autoArima(y, fitOptions.period, options));
    },
  });
}

/** Automatic ARIMA with R's default search. */
export const arima: ForecastMethod = arimaMethod();
