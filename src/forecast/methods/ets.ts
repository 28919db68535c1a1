/**
 * Automatic exponential smoothing: the ETS state-space models of Hyndman, Koehler, Ord & Snyder,
 * "Forecasting with Exponential Smoothing" (Springer, 2008), fitted by maximum likelihood and chosen by
 * AICc, as R's `forecast::ets` does with its defaults. Written from the published equations; the tests pin
 * it to values R computed (src/forecast/methods/fixtures/).
 *
 * A model ETS(E,T,S) has error E ∈ {A, M}, trend T ∈ {N, A, Ad} and season S ∈ {N, A, M}. With level ℓ,
 * growth b, seasonal states s (s_{t−m} the one for the period being forecast), damping φ (φ = 1 without
 * damping, b = 0 without trend):
 *
 *   q_t = ℓ_{t−1} + φ b_{t−1}                                  (level plus damped growth)
 *   μ_t = q_t            (S = N),  q_t + s_{t−m}  (S = A),  q_t · s_{t−m}  (S = M)      one-step forecast
 *   ε_t = y_t − μ_t      (E = A),  (y_t − μ_t) / μ_t                           (E = M)
 *   ℓ_t = q_t + α (p_t − q_t),  with p_t = y_t, y_t − s_{t−m} or y_t / s_{t−m}
 *   b_t = φ b_{t−1} + β (ℓ_t − ℓ_{t−1} − φ b_{t−1}) / α
 *   s_t = s_{t−m} + γ (r_t − s_{t−m}),  with r_t = y_t − q_t (S = A) or y_t / q_t (S = M)
 *
 * This error-correction form is the same for both error types; the error type changes the likelihood:
 *
 *   −2 log L + const = n log Σ ε_t² + 2 Σ log |μ_t|   (the last sum only for E = M)
 *   AICc = −2 log L + 2k + 2k(k + 1) / (n − k − 1),   k = free parameters + initial states + 1 (σ²)
 *
 * Parameters are estimated by Nelder–Mead (nelder-mead.ts) from R's starting values, inside R's "both"
 * bounds: 1e-4 ≤ α ≤ 0.9999, 1e-4 ≤ β ≤ α, 1e-4 ≤ γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98, plus the admissible
 * region of HKOS §10 (checked with the Schur–Cohn test instead of polynomial roots). The initial states are
 * estimated too: ℓ_0, b_0 and m − 1 seasonal states (the last follows from Σ s = 0, or Σ s = m when S = M).
 * They start where R's `initstate` starts: a classical decomposition of the series (a regression on one
 * Fourier pair when it spans fewer than three seasons) and a straight line through the first max(10, 2m)
 * seasonally adjusted values.
 *
 * The search, as R's default: every model with E ∈ {A, M}, T ∈ {N, A, Ad}, S ∈ {N, A, M}, except additive
 * error with multiplicative season (numerically unstable), multiplicative error or season only for positive
 * data, seasonal models only for 1 < m ≤ 24 and n > m, and no model with n ≤ (its R parameter count) + 4
 * (R falls back to Holt–Winters there; we leave such a model out). Multiplicative trends are not searched
 * (R leaves them out by default too).
 *
 * Prediction intervals (HKOS ch. 6): σ² = Σ ε_t² / (n − k′) with k′ the parameters and initial states;
 * Var(y_{n+h}) exactly for the linear models (class 1) and the multiplicative-error ones without
 * multiplicative season (class 2), and by the second-order approximation of HKOS §6.5 for M,·,M (class 3).
 * Bounds are ŷ ± z·√Var (Gaussian).
 */
import { UnrollError } from '../../util/errors.js';
import { checkOptions, is } from '../../util/options.js';
import { nelderMead } from './nelder-mead.js';
import { checkHorizon, checkLevels, checkPeriod, checkSeries, normalIntervals } from './common.js';
import { SchurCohn } from './schur-cohn.js';
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions, IntervalBounds, MethodForecast } from './types.js';

export type EtsError = 'A' | 'M';
export type EtsTrend = 'N' | 'A' | 'Ad';
export type EtsSeason = 'N' | 'A' | 'M';

export interface EtsSpec {
  error: EtsError;
  trend: EtsTrend;
  season: EtsSeason;
}

export interface EtsOptions {
  /** Only these models are searched (e.g. [{ error: 'A', trend: 'N', season: 'N' }]). @default every model R searches */
  models?: readonly EtsSpec[];
  /** Nelder–Mead evaluation budget per model (R's `maxit`). @default 2000 */
  maxEvaluations?: number;
}

/** A fitted ETS model: everything needed to forecast and to compare with R. */
export interface EtsModel {
  spec: EtsSpec;
  period: number;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** Initial states x_0 = (ℓ_0, b_0?, s_0, s_{−1}, …, s_{1−m}). */
  initialStates: Float64Array;
  /** Final states x_n, same layout. */
  finalStates: Float64Array;
  /** −2 log L up to a constant, as R's `ets` reports it (its `-2 * loglik`). */
  lik: number;
  aic: number;
  aicc: number;
  bic: number;
  sigma2: number;
  /** Residuals ε_t (relative errors when E = M). */
  residuals: Float64Array;
  /** One-step fitted values μ_t. */
  fitted: Float64Array;
  /** Number of parameters and initial states estimated. */
  parameterCount: number;
  converged: boolean;
}

const LOWER = { alpha: 1e-4, beta: 1e-4, gamma: 1e-4, phi: 0.8 };
const UPPER = { alpha: 0.9999, beta: 0.9999, gamma: 0.9999, phi: 0.98 };
const TOL = 1e-10;
const HUGE = 1e10;

/** "ETS(M,Ad,M)". */
export function etsDescription(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

/** Parses "MAdM", "ANN", "MAM" (3 or 4 letters: error, trend with optional d, season). */
export function parseEtsSpec(text: string): EtsSpec {
  const m = /^([AM])(N|A|Ad)([NAM])$/.exec(text);
  if (!m) throw new UnrollError(`ETS model "${text}" is not one of ANN, AAN, AAdN, ANA, AAA, AAdA, MNN, …, MAdM`, 'option');
  return { error: m[1] as EtsError, trend: m[2] as EtsTrend, season: m[3] as EtsSeason };
}

/** The models R's `ets(y)` searches for a series with this period and positivity. */
export function etsCandidates(period: number, positive: boolean, n: number): EtsSpec[] {
  const seasons: EtsSeason[] = period > 1 && period <= 24 && n > period ? ['N', 'A', 'M'] : ['N'];
  const out: EtsSpec[] = [];
  for (const error of ['A', 'M'] as EtsError[]) {
    for (const trend of ['N', 'A', 'Ad'] as EtsTrend[]) {
      for (const season of seasons) {
        if (!positive && (error === 'M' || season === 'M')) continue;
        if (error === 'A' && season === 'M') continue;
        out.push({ error, trend, season });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The recursions

interface Params { alpha: number; beta: number; gamma: number; phi: number }

/**
 * Runs the model over y from the initial states x0 (layout of EtsModel.initialStates, with all m seasonal
 * states). Writes residuals and fitted values when given; returns the likelihood term
 * n log Σ ε² (+ 2 Σ log|μ| for E = M), or NaN when a forecast breaks down.
 *
 * This is the optimiser's inner loop (some 30 000 calls per series): one loop per kind of season, no
 * allocation, the seasonal states in a circular buffer (work[head] = s_{t−m}).
 */
function runFilter(y: Float64Array, spec: EtsSpec, m: number, p: Params, x0: Float64Array,
  work: Float64Array, resid?: Float64Array, fitted?: Float64Array, xEnd?: Float64Array): number {
  const hasTrend = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const multError = spec.error === 'M';
  const so = hasTrend ? 2 : 1;
  const mm = spec.season !== 'N' ? m : 1;
  // x0 seasonal layout is (s_0, s_{−1}, …, s_{1−m}); the one used first (for t = 1) is s_{1−m}.
  if (spec.season !== 'N') for (let k = 0; k < mm; k++) work[k] = x0[so + mm - 1 - k];
  else work[0] = 0;
  const state: FilterState = { l: x0[0], b: hasTrend ? x0[1] : 0, head: 0, sse: 0, logSum: 0 };
  const ok = spec.season === 'N'
    ? filterNoSeason(y, phi, p.alpha, p.beta, hasTrend, multError, state, resid, fitted)
    : filterSeasonal(y, mm, spec.season === 'A', phi, p.alpha, p.beta, p.gamma, hasTrend, multError, work, state, resid, fitted);
  if (!ok) return NaN;
  if (xEnd) {
    xEnd[0] = state.l;
    if (hasTrend) xEnd[1] = state.b;
    // After the loop work[head] is the oldest (s_{n+1−m}); the newest s_n sits just before head.
    if (spec.season !== 'N') for (let k = 0; k < mm; k++) xEnd[so + k] = work[(state.head - 1 - k + 2 * mm) % mm];
  }
  let lik = y.length * Math.log(state.sse);
  if (multError) lik += 2 * state.logSum;
  return lik;
}

interface FilterState { l: number; b: number; head: number; sse: number; logSum: number }

/** The recursions without season (μ_t = q_t, p_t = y_t). False when a forecast breaks down. */
function filterNoSeason(y: Float64Array, phi: number, alpha: number, beta: number, hasTrend: boolean, multError: boolean,
  st: FilterState, resid?: Float64Array, fitted?: Float64Array): boolean {
  const n = y.length;
  const ba = beta / alpha;
  let l = st.l;
  let b = st.b;
  let sse = 0;
  let logSum = 0;
  for (let t = 0; t < n; t++) {
    const phib = phi * b;
    const mu = l + phib;
    if (!(mu - mu === 0)) return false; // ±∞ or NaN
    const yt = y[t];
    let e: number;
    if (multError) {
      if (Math.abs(mu) < TOL) return false;
      e = (yt - mu) / mu;
      logSum += Math.log(Math.abs(mu));
    } else {
      e = yt - mu;
    }
    if (resid) resid[t] = e;
    if (fitted) fitted[t] = mu;
    sse += e * e;
    const lNew = mu + alpha * (yt - mu);
    if (hasTrend) b = phib + ba * (lNew - l - phib);
    l = lNew;
  }
  st.l = l; st.b = b; st.sse = sse; st.logSum = logSum;
  return true;
}

/** The recursions with an additive or multiplicative season of period m. False when a forecast breaks down. */
function filterSeasonal(y: Float64Array, m: number, additive: boolean, phi: number, alpha: number, beta: number, gamma: number,
  hasTrend: boolean, multError: boolean, work: Float64Array, st: FilterState, resid?: Float64Array, fitted?: Float64Array): boolean {
  const n = y.length;
  const ba = beta / alpha;
  let l = st.l;
  let b = st.b;
  let head = 0;
  let sse = 0;
  let logSum = 0;
  for (let t = 0; t < n; t++) {
    const phib = phi * b;
    const q = l + phib;
    const sOld = work[head];
    const mu = additive ? q + sOld : q * sOld;
    if (!(mu - mu === 0)) return false; // ±∞ or NaN
    const yt = y[t];
    let e: number;
    if (multError) {
      if (Math.abs(mu) < TOL) return false;
      e = (yt - mu) / mu;
      logSum += Math.log(Math.abs(mu));
    } else {
      e = yt - mu;
    }
    if (resid) resid[t] = e;
    if (fitted) fitted[t] = mu;
    sse += e * e;
    let pt: number;
    let r: number;
    if (additive) {
      pt = yt - sOld;
      r = yt - q;
    } else {
      pt = Math.abs(sOld) < TOL ? HUGE : yt / sOld;
      r = Math.abs(q) < TOL ? HUGE : yt / q;
    }
    const lNew = q + alpha * (pt - q);
    if (hasTrend) b = phib + ba * (lNew - l - phib);
    work[head] = sOld + gamma * (r - sOld);
    head = head + 1 === m ? 0 : head + 1;
    l = lNew;
  }
  st.l = l; st.b = b; st.head = head; st.sse = sse; st.logSum = logSum;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Starting values (R's initstate and initparam)

/** Classical decomposition's seasonal figure (R's `decompose`) of y[0 .. len), length m, position 0 = y[0]. */
function seasonalFigure(y: ArrayLike<number>, len: number, m: number, multiplicative: boolean): Float64Array {
  // Centred moving average of order m (2×m when m is even).
  const trend = new Float64Array(len).fill(NaN);
  const half = Math.floor(m / 2);
  for (let t = half; t < len - half; t++) {
    let s = 0;
    if (m % 2 === 0) {
      s = 0.5 * y[t - half] + 0.5 * y[t + half];
      for (let k = -half + 1; k <= half - 1; k++) s += y[t + k];
    } else {
      for (let k = -half; k <= half; k++) s += y[t + k];
    }
    trend[t] = s / m;
  }
  const sum = new Float64Array(m);
  const count = new Float64Array(m);
  for (let t = 0; t < len; t++) {
    if (Number.isNaN(trend[t])) continue;
    const d = multiplicative ? y[t] / trend[t] : y[t] - trend[t];
    sum[t % m] += d;
    count[t % m]++;
  }
  const fig = new Float64Array(m);
  let mean = 0;
  for (let i = 0; i < m; i++) { fig[i] = sum[i] / count[i]; mean += fig[i] / m; }
  for (let i = 0; i < m; i++) fig[i] = multiplicative ? fig[i] / mean : fig[i] - mean;
  return fig;
}

/**
 * The seasonal component R's `initstate` starts from: a classical decomposition of the whole series when it
 * spans three seasons, otherwise y minus the straight-line part of a regression on (1, t, sin, cos) of one
 * Fourier pair (y divided by it for S = M). Position t = 0 is y's first value.
 */
function initialSeasonal(y: ArrayLike<number>, m: number, multiplicative: boolean): Float64Array {
  const n = y.length;
  if (n >= 3 * m) {
    const fig = seasonalFigure(y, n, m, multiplicative);
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) out[t] = fig[t % m];
    return out;
  }
  // Least squares on columns (1, t, sin 2πt/m, cos 2πt/m) with t = 1 … n (no sine when m = 2: it is zero).
  const cols: ((t: number) => number)[] = [() => 1, (t) => t, (t) => Math.cos((2 * Math.PI * t) / m)];
  if (m > 2) cols.splice(2, 0, (t) => Math.sin((2 * Math.PI * t) / m));
  const k = cols.length;
  const A = Array.from({ length: k }, () => new Array(k + 1).fill(0));
  for (let t = 1; t <= n; t++) {
    for (let i = 0; i < k; i++) {
      const xi = cols[i](t);
      for (let j = 0; j < k; j++) A[i][j] += xi * cols[j](t);
      A[i][k] += xi * y[t - 1];
    }
  }
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = 0; r < k; r++) {
      if (r === c || A[c][c] === 0) continue;
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
    }
  }
  const b0 = A[0][k] / A[0][0];
  const b1 = A[1][k] / A[1][1];
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const line = b0 + b1 * (t + 1);
    out[t] = multiplicative ? y[t] / line : y[t] - line;
  }
  return out;
}

/** Initial states (ℓ_0, b_0?, s_0 … s_{2−m}): m − 1 seasonal states, the last one follows from the constraint. */
function initialStates(y: ArrayLike<number>, spec: EtsSpec, m: number): Float64Array {
  const n = y.length;
  let ysa: Float64Array;
  let seas: number[] = [];
  if (spec.season !== 'N') {
    const mult = spec.season === 'M';
    const sc = initialSeasonal(y, m, mult);
    // R: init.seas = rev(seasonal[2:m]), i.e. (sc[m−1], sc[m−2], …, sc[1]).
    for (let i = m - 1; i >= 1; i--) seas.push(sc[i]);
    if (mult) {
      seas = seas.map((v) => Math.max(v, 0.01));
      const total = seas.reduce((a, b) => a + b, 0);
      if (total > m) {
        const denom = seas.reduce((a, b) => a + b + 0.01, 0);
        seas = seas.map((v) => v / denom);
      }
    }
    ysa = new Float64Array(n);
    for (let t = 0; t < n; t++) ysa[t] = mult ? y[t] / Math.max(sc[t], 0.01) : y[t] - sc[t];
  } else {
    ysa = Float64Array.from(y);
    seas = [];
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  const out: number[] = [];
  if (spec.trend === 'N') {
    let s = 0;
    for (let t = 0; t < maxn; t++) s += ysa[t];
    out.push(s / maxn);
  } else {
    // Least-squares line through (1, ysa_1) … (maxn, ysa_maxn): ℓ_0 = intercept, b_0 = slope.
    const xm = (maxn + 1) / 2;
    let ym = 0;
    for (let t = 0; t < maxn; t++) ym += ysa[t] / maxn;
    let sxy = 0;
    let sxx = 0;
    for (let t = 0; t < maxn; t++) { sxy += (t + 1 - xm) * (ysa[t] - ym); sxx += (t + 1 - xm) ** 2; }
    const slope = sxx > 0 ? sxy / sxx : 0;
    let l0 = ym - slope * xm;
    if (Math.abs(l0 + slope) < 1e-8) l0 = l0 * (1 + 1e-3);
    out.push(l0, slope);
  }
  return Float64Array.from([...out, ...seas]);
}

function initialParams(spec: EtsSpec, m: number): number[] {
  const out: number[] = [];
  let alpha = LOWER.alpha + (0.2 * (UPPER.alpha - LOWER.alpha)) / m;
  if (alpha > 1 || alpha < 0) alpha = LOWER.alpha + 2e-3;
  out.push(alpha);
  if (spec.trend !== 'N') {
    const ub = Math.min(UPPER.beta, alpha);
    let beta = LOWER.beta + 0.1 * (ub - LOWER.beta);
    if (beta < 0 || beta > alpha) beta = alpha - 1e-3;
    out.push(beta);
  }
  if (spec.season !== 'N') {
    const ug = Math.min(UPPER.gamma, 1 - alpha);
    let gamma = LOWER.gamma + 0.05 * (ug - LOWER.gamma);
    if (gamma < 0 || gamma > 1 - alpha) gamma = 1 - alpha - 1e-3;
    out.push(gamma);
  }
  if (spec.trend === 'Ad') {
    let phi = LOWER.phi + 0.99 * (UPPER.phi - LOWER.phi);
    if (phi < 0 || phi > 1) phi = UPPER.phi - 1e-3;
    out.push(phi);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Constraints

/** R's `admissible()`: the parameters give a forecastable (stable) model. */
export function admissible(p: Params, spec: EtsSpec, m: number): boolean {
  return admissibleWith(p, spec, m, new SchurCohn(m + 2));
}

/** admissible() with the Schur–Cohn work space given (capacity ≥ m + 2), so that it allocates nothing. */
function admissibleWith(p: Params, spec: EtsSpec, m: number, roots: SchurCohn): boolean {
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const alpha = p.alpha;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (spec.season === 'N') {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (spec.trend !== 'N') {
      if (p.beta < alpha * (phi - 1) || p.beta > (1 + phi) * (2 - alpha)) return false;
    }
    return true;
  }
  const beta = spec.trend !== 'N' ? p.beta : 0;
  const gamma = p.gamma;
  if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  // The characteristic polynomial φ(1 − α − γ) + (α + β − αφ + γ − 1) z + (α + β − αφ)(z² + … + z^{m−1}) + (α + β − φ) z^m + z^{m+1}.
  const c = roots.coef;
  c[0] = phi * (1 - alpha - gamma);
  c[1] = alpha + beta - alpha * phi + gamma - 1;
  for (let i = 0; i < m - 2; i++) c[2 + i] = alpha + beta - alpha * phi;
  c[m] = alpha + beta - phi;
  c[m + 1] = 1;
  return roots.inUnitDisc(m + 2);
}

function withinBounds(p: Params, spec: EtsSpec): boolean {
  if (p.alpha < LOWER.alpha || p.alpha > UPPER.alpha) return false;
  if (spec.trend !== 'N' && (p.beta < LOWER.beta || p.beta > Math.min(p.alpha, UPPER.beta))) return false;
  if (spec.season !== 'N' && (p.gamma < LOWER.gamma || p.gamma > Math.min(1 - p.alpha, UPPER.gamma))) return false;
  if (spec.trend === 'Ad' && (p.phi < LOWER.phi || p.phi > UPPER.phi)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Fitting one model

/** Reads the smoothing parameters of spec from v into p; returns where the initial states start in v. */
function unpack(v: Float64Array, spec: EtsSpec, p: Params): number {
  let i = 0;
  p.alpha = v[i++];
  p.beta = spec.trend !== 'N' ? v[i++] : 0;
  p.gamma = spec.season !== 'N' ? v[i++] : 0;
  p.phi = spec.trend === 'Ad' ? v[i++] : 1;
  return i;
}

/** Full initial state vector: the free states plus the seasonal state fixed by the normalisation. */
function fullStates(v: Float64Array, from: number, spec: EtsSpec, m: number, out: Float64Array): boolean {
  const nFree = v.length - from;
  for (let i = 0; i < nFree; i++) out[i] = v[from + i];
  if (spec.season === 'N') return true;
  const so = spec.trend !== 'N' ? 2 : 1;
  let sum = 0;
  for (let i = so; i < nFree; i++) sum += out[i];
  out[nFree] = spec.season === 'A' ? -sum : m - sum;
  if (spec.season === 'M') for (let i = so; i <= nFree; i++) if (out[i] < 0) return false;
  return true;
}

/** Fits one ETS model by maximum likelihood. Returns null when no admissible fit exists. */
export function fitEtsModel(y: ArrayLike<number>, spec: EtsSpec, period: number, options: EtsOptions = {}): EtsModel | null {
  const yy = Float64Array.from(y);
  const m = spec.season === 'N' ? 1 : period;
  const seasonal = spec.season !== 'N';
  const nStates = 1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? m : 0);
  const x0 = new Float64Array(nStates);
  const work = new Float64Array(Math.max(m, 1));
  const roots = new SchurCohn(m + 2);
  const p: Params = { alpha: 0, beta: 0, gamma: 0, phi: 1 };
  const start = [...initialParams(spec, m), ...initialStates(yy, spec, m)];
  const objective = (v: Float64Array): number => {
    const next = unpack(v, spec, p);
    if (!withinBounds(p, spec) || !admissibleWith(p, spec, m, roots)) return Infinity;
    if (!fullStates(v, next, spec, m, x0)) return Infinity;
    let lik = runFilter(yy, spec, m, p, x0, work);
    if (Number.isNaN(lik)) return Infinity;
    if (lik < -1e10) lik = -1e10;
    return lik;
  };
  if (!Number.isFinite(objective(Float64Array.from(start)))) return null;
  const res = nelderMead(objective, start, { maxEvaluations: options.maxEvaluations ?? 2000, relativeTolerance: Math.sqrt(2.220446049250313e-16) });
  if (!Number.isFinite(res.value)) return null;
  const next = unpack(res.x, spec, p);
  fullStates(res.x, next, spec, m, x0);
  const model = etsModelFromParameters(yy, spec, period, p, x0);
  if (model) model.converged = res.converged;
  return model;
}

/**
 * The model with given smoothing parameters and initial states x_0 = (ℓ_0, b_0?, s_0 … s_{1−m}) (all m
 * seasonal states): its likelihood, residuals, final states and σ². Null when the recursion breaks down.
 */
export function etsModelFromParameters(y: ArrayLike<number>, spec: EtsSpec, period: number,
  params: { alpha: number; beta?: number; gamma?: number; phi?: number }, initialStates: ArrayLike<number>): EtsModel | null {
  const n = y.length;
  const m = spec.season === 'N' ? 1 : period;
  const seasonal = spec.season !== 'N';
  const nStates = 1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? m : 0);
  if (initialStates.length !== nStates) {
    throw new UnrollError(`ETS ${etsDescription(spec)} with period ${period} has ${nStates} initial states; got ${initialStates.length}`, 'shape');
  }
  const p: Params = { alpha: params.alpha, beta: params.beta ?? 0, gamma: params.gamma ?? 0, phi: params.phi ?? 1 };
  const x0 = Float64Array.from(initialStates);
  const residuals = new Float64Array(n);
  const fitted = new Float64Array(n);
  const xEnd = new Float64Array(nStates);
  const lik = runFilter(y instanceof Float64Array ? y : Float64Array.from(y), spec, m, p, x0, new Float64Array(Math.max(m, 1)), residuals, fitted, xEnd);
  if (!Number.isFinite(lik)) return null;
  // Estimated: the smoothing parameters and the initial states less the one the seasonal constraint fixes.
  const nPar = 1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? 1 : 0) + (spec.trend === 'Ad' ? 1 : 0) + nStates - (seasonal ? 1 : 0);
  const k = nPar + 1;
  const aic = lik + 2 * k;
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Infinity;
  const bic = lik + Math.log(n) * k;
  let sse = 0;
  for (let t = 0; t < n; t++) sse += residuals[t] * residuals[t];
  const sigma2 = sse / (n - nPar);
  return {
    spec, period: m, alpha: p.alpha, beta: spec.trend !== 'N' ? p.beta : NaN, gamma: seasonal ? p.gamma : NaN,
    phi: spec.trend === 'Ad' ? p.phi : NaN, initialStates: x0, finalStates: xEnd, lik, aic, aicc, bic,
    sigma2, residuals, fitted, parameterCount: nPar, converged: true,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Forecasts and their variances

/** Point forecasts from the final states: (ℓ + φ_h b) combined with s_{n+h−m⌈h/m⌉}. */
export function etsPointForecast(model: EtsModel, h: number): Float64Array {
  const { spec, period: m, finalStates: x } = model;
  const phi = spec.trend === 'Ad' ? model.phi : 1;
  const b = spec.trend !== 'N' ? x[1] : 0;
  const so = spec.trend !== 'N' ? 2 : 1;
  const out = new Float64Array(h);
  let phiSum = phi;
  for (let i = 0; i < h; i++) {
    let f = x[0] + phiSum * b;
    if (spec.season !== 'N') {
      const s = x[so + m - 1 - (i % m)];
      f = spec.season === 'A' ? f + s : f * s;
    }
    out[i] = f;
    phiSum += phi ** (i + 2);
  }
  return out;
}

/** c_j of HKOS Table 6.1: the effect of ε_{n+h−j} on y_{n+h} in the linear part of the model. */
function linearWeights(model: EtsModel, h: number): Float64Array {
  const { spec, period: m } = model;
  const c = new Float64Array(h);
  const phi = spec.trend === 'Ad' ? model.phi : 1;
  let phiSum = 0;
  for (let j = 1; j < h; j++) {
    phiSum += phi ** j;
    let v = model.alpha;
    if (spec.trend !== 'N') v += model.beta * (spec.trend === 'Ad' ? phiSum : j);
    if (spec.season !== 'N' && j % m === 0) v += model.gamma;
    c[j] = v;
  }
  return c;
}

/** Forecast variances Var(y_{n+h} | x_n), h = 1 … H, and (for class 3) the forecast means. */
export function etsForecastVariance(model: EtsModel, h: number): { mean: Float64Array; variance: Float64Array } {
  const mean = etsPointForecast(model, h);
  const variance = new Float64Array(h);
  const { spec, sigma2 } = model;
  if (spec.error === 'A' && spec.season !== 'M') {
    const c = linearWeights(model, h);
    let acc = 1;
    for (let i = 0; i < h; i++) {
      if (i > 0) acc += c[i] * c[i];
      variance[i] = sigma2 * acc;
    }
    return { mean, variance };
  }
  if (spec.error === 'M' && spec.season !== 'M') {
    const c = linearWeights(model, h);
    const theta = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      let t = mean[i] * mean[i];
      for (let j = 1; j <= i; j++) t += sigma2 * c[j] * c[j] * theta[i - j];
      theta[i] = t;
      variance[i] = (1 + sigma2) * t - mean[i] * mean[i];
    }
    return { mean, variance };
  }
  return class3(model, h);
}

/** The HKOS §6.5 recursion for models with multiplicative season (class 3), as R's forecast:::class3. */
function class3(model: EtsModel, h: number): { mean: Float64Array; variance: Float64Array } {
  const { spec, period: m, sigma2, finalStates: x } = model;
  const hasTrend = spec.trend !== 'N';
  const p1 = hasTrend ? 2 : 1;
  const phi = spec.trend === 'Ad' ? model.phi : 1;
  // Level/growth block (p1 × p1) and seasonal block (m × m).
  const F1 = hasTrend ? [[1, 1], [0, phi]] : [[1]];
  const G1 = hasTrend ? [[model.alpha, model.alpha], [model.beta, model.beta]] : [[model.alpha]];
  const H1 = new Array(p1).fill(1);
  const F2: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row = new Array(m).fill(0);
    if (i === 0) row[m - 1] = 1;
    else row[i - 1] = 1;
    F2.push(row);
  }
  const G2: number[][] = Array.from({ length: m }, () => new Array(m).fill(0));
  G2[0][m - 1] = model.gamma;
  const H2 = new Array(m).fill(0);
  H2[m - 1] = 1;
  const kron = (A: number[][], B: number[][]): number[][] => {
    const ra = A.length, ca = A[0].length, rb = B.length, cb = B[0].length;
    const out = Array.from({ length: ra * rb }, () => new Array(ca * cb).fill(0));
    for (let i = 0; i < ra; i++) for (let j = 0; j < ca; j++) {
      const a = A[i][j];
      if (a === 0) continue;
      for (let k = 0; k < rb; k++) for (let l = 0; l < cb; l++) out[i * rb + k][j * cb + l] = a * B[k][l];
    }
    return out;
  };
  const mul = (A: number[][], B: number[][]): number[][] => {
    const r = A.length, inner = B.length, c = B[0].length;
    const out = Array.from({ length: r }, () => new Array(c).fill(0));
    for (let i = 0; i < r; i++) for (let k = 0; k < inner; k++) {
      const a = A[i][k];
      if (a === 0) continue;
      const bk = B[k];
      const oi = out[i];
      for (let j = 0; j < c; j++) oi[j] += a * bk[j];
    }
    return out;
  };
  const tr = (A: number[][]): number[][] => A[0].map((_, j) => A.map((row) => row[j]));
  const add = (A: number[][], B: number[][], s = 1): number[][] => A.map((row, i) => row.map((v, j) => v + s * B[i][j]));
  const scale = (A: number[][], s: number): number[][] => A.map((row) => row.map((v) => v * s));
  // Mh = (ℓ, b)ᵀ (s_1 … s_m), states newest first.
  let Mh: number[][] = [];
  for (let i = 0; i < p1; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) row.push(x[i] * x[p1 + j]);
    Mh.push(row);
  }
  const dim = p1 * m;
  let Vh: number[][] = Array.from({ length: dim }, () => new Array(dim).fill(0));
  const H21 = kron([H2], [H1])[0];
  const F21 = kron(F2, F1);
  const G21 = kron(G2, G1);
  const K = add(kron(G2, F1), kron(F2, G1));
  const F21t = tr(F21);
  const G21t = tr(G21);
  const Kt = tr(K);
  const mean = new Float64Array(h);
  const variance = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    let mu = 0;
    for (let a = 0; a < p1; a++) for (let b = 0; b < m; b++) mu += H1[a] * Mh[a][b] * H2[b];
    let quad = 0;
    for (let a = 0; a < dim; a++) {
      if (H21[a] === 0) continue;
      for (let b = 0; b < dim; b++) quad += H21[a] * Vh[a][b] * H21[b];
    }
    mean[i] = mu;
    variance[i] = (1 + sigma2) * quad + sigma2 * mu * mu;
    // vec(Mh), column-major as R's c(Mh).
    const vec: number[] = [];
    for (let b = 0; b < m; b++) for (let a = 0; a < p1; a++) vec.push(Mh[a][b]);
    const vv = vec.map((u) => vec.map((w) => u * w));
    const term1 = mul(mul(F21, Vh), F21t);
    const term2 = add(mul(mul(F21, Vh), G21t), mul(mul(G21, Vh), F21t));
    const term3 = mul(mul(K, add(Vh, vv)), Kt);
    const term4 = mul(mul(G21, add(scale(Vh, 3), scale(vv, 2))), G21t);
    Vh = add(term1, scale(add(add(term2, term3), scale(term4, sigma2)), sigma2));
    Mh = add(mul(mul(F1, Mh), tr(F2)), scale(mul(mul(G1, Mh), tr(G2)), sigma2));
  }
  return { mean, variance };
}

// ---------------------------------------------------------------------------------------------------------
// Automatic selection and the method contract


/** Fits every candidate model and returns the one with the smallest AICc. */
export function autoEts(y: ArrayLike<number>, period: number, options: EtsOptions = {}): EtsModel {
  y = checkSeries('ets', y, 4);
  checkPeriod('ets', period);
  let positive = true;
  for (let t = 0; t < y.length; t++) if (y[t] <= 0) positive = false;
  const candidates = options.models ?? etsCandidates(period, positive, y.length);
  let best: EtsModel | null = null;
  for (const spec of candidates) {
    if (!positive && (spec.error === 'M' || spec.season === 'M')) continue;
    if (spec.season !== 'N' && (period < 2 || y.length <= period)) continue;
    const rParams = 2 + (spec.trend !== 'N' ? 2 : 0) + (spec.season !== 'N' ? period : 0) + (spec.trend === 'Ad' ? 1 : 0);
    if (y.length <= rParams + 4) continue;
    const fit = fitEtsModel(y, spec, period, options);
    if (fit && Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) best = fit;
  }
  if (!best) throw new UnrollError(`ETS: no model could be fitted to this series (${y.length} values, period ${period})`, 'data');
  return best;
}

/** Forecast with Gaussian intervals at the requested levels. */
export function etsForecast(model: EtsModel, h: number, levels: readonly number[] = []): MethodForecast {
  checkHorizon('ets', h);
  checkLevels('ets', levels);
  // With a multiplicative season the forecast mean is not the state-space point forecast: R reports the mean
  // of the §6.5 recursion (it adds σ²-order terms), and so do we.
  const needMoments = levels.length > 0 || model.spec.season === 'M';
  const moments = needMoments ? etsForecastVariance(model, h) : null;
  const mean = moments ? moments.mean : etsPointForecast(model, h);
  const se = new Float64Array(h);
  if (moments) for (let i = 0; i < h; i++) se[i] = Math.sqrt(Math.max(moments.variance[i], 0));
  const notes: string[] = [];
  if (!model.converged) notes.push('the optimiser stopped at its evaluation budget before converging');
  return { mean, intervals: normalIntervals(mean, se, levels), notes };
}

/** The automatic ETS method behind the common contract. */
export function etsMethod(options: EtsOptions = {}): ForecastMethod {
  checkOptions(options, { models: is.array, maxEvaluations: is.positiveInt }, { where: 'etsMethod' });
  // Each model parses like "MAdM", so a bad entry is named before any fitting.
  for (const spec of options.models ?? []) parseEtsSpec(`${spec?.error}${spec?.trend}${spec?.season}`);
  return {
    name: 'ets',
    fit(y: ArrayLike<number>, fitOptions: FitOptions): FittedMethod {
      const model = autoEts(y, fitOptions.period, options);
      return {
        name: 'ets',
        description: etsDescription(model.spec),
        fitted: model.fitted,
        forecast: (h: number, o: ForecastOptions = {}) => etsForecast(model, h, o.levels ?? []),
      };
    },
  };
}

/** Automatic ETS with R's default search. */
export const ets: ForecastMethod = etsMethod();
