/**
 * The ETS recursions and the likelihood they give (HKOS ch. 2), the inner loop of the fit. With level ℓ,
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
 */
import type { EtsSpec, Params } from './ets-model.js';

const TOL = 1e-10;
const HUGE = 1e10;

/**
 * Runs the model over y from the initial states x0 (layout of EtsModel.initialStates, with all m seasonal
 * states). Writes residuals and fitted values when given; returns the likelihood term
 * n log Σ ε² (+ 2 Σ log|μ| for E = M), or NaN when a forecast breaks down.
 *
 * This is the optimiser's inner loop (some 30 000 calls per series): one loop per kind of season, no
 * allocation, the seasonal states in a circular buffer (work[head] = s_{t−m}).
 */
export function runFilter(y: Float64Array, spec: EtsSpec, m: number, p: Params, x0: Float64Array,
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

/**
 * ε_t of the one-step forecast μ_t: y_t − μ_t (E = A) or (y_t − μ_t) / μ_t (E = M); NaN where a
 * multiplicative error breaks down (|μ_t| < TOL). y and μ are finite here (checkSeries; the callers'
 * test on μ), so NaN means exactly that.
 */
function stepError(yt: number, mu: number, multError: boolean): number {
  if (!multError) return yt - mu;
  return Math.abs(mu) < TOL ? NaN : (yt - mu) / mu;
}

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
    const e = stepError(yt, mu, multError);
    if (e !== e) return false; // μ_t ≈ 0 under a multiplicative error
    if (multError) logSum += Math.log(Math.abs(mu));
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
    const e = stepError(yt, mu, multError);
    if (e !== e) return false; // μ_t ≈ 0 under a multiplicative error
    if (multError) logSum += Math.log(Math.abs(mu));
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

