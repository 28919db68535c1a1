/**
 * R's auto.arima rejects a fitted order whose estimated coefficients have a standard error that is not a
 * number: stats::arima estimates their covariance from the Hessian of its objective at the optimum (optim's
 * `hessian = TRUE`, i.e. `optimHess`), and forecast's `checkarima` sets the criterion of a fit with a NaN in
 * `sqrt(diag(var.coef))` to Inf. A fit whose Hessian cannot be inverted fails outright (R's `solve` stops on
 * an exactly or computationally singular matrix), and so does one where the finite differences meet a
 * non-finite value. This file repeats that test for one fit, from the documented procedure:
 *
 * - The objective f is the one the fit minimised: ½ log σ̂²_CSS for a CSS fit (in the coefficients
 *   themselves), ½ (log σ̂² + Σ log F_t / n*) for an exact-likelihood fit, in the parameters it was optimised
 *   over (the AR parts through their partial autocorrelations, u = atanh r; the MA parts after roots inside
 *   the unit circle were reflected, where R evaluates the Hessian again).
 * - Hessian by optimHess's rule: central differences, with step ε = 1e-3 in the parameter's own units, of the
 *   gradient, itself a central difference with step δ_j = 1e-3 times the parameter's scale (optim's
 *   parscale: 1 for the ARMA coefficients; for the mean or drift R's arima sets 10 × the standard error of
 *   its least-squares estimate, 10 s / √n* on the differenced series), then made symmetric:
 *   H_ij = (g_j(x + ε e_i) − g_j(x − ε e_i)) / 2ε, H ← (H + Hᵀ) / 2. (optimHess's outer step ignores parscale:
 *   checked in R by recording the points it evaluates.)
 * - Covariance: H⁻¹ (CSS), or Aᵀ H⁻¹ A with A_ij = ∂coef_j / ∂u_i the forward-difference (step 1e-3) Jacobian
 *   of the partial-autocorrelation map (exact likelihood; identity outside the AR blocks). The fit is
 *   rejected when a diagonal entry is negative or not a number, or when H is singular or has a reciprocal
 *   condition number (1-norm, in R's units: the constant unscaled) below 2.2e-16.
 *
 * The factor n* that R multiplies H by, and the scaling of the series, change no sign, and the condition
 * number is taken in R's units, so the test gives R's answer up to rounding. One difference: the reciprocal
 * condition number here is the exact 1-norm one, where R's `solve` uses LAPACK's estimate (dgecon), so the
 * two can part on a matrix right at the threshold.
 */
import { CssEvaluator } from './arima-css.js';
import { MlObjective, arFromUnconstrained, unconstrainedFromAr } from './arima-ml.js';
import { difference, standardise } from './arima-poly.js';
import type { ArimaModel } from './arima.js';

const STEP = 1e-3;

/** True when R's auto.arima would reject this fit for its Hessian (see the file's header). */
export function hessianRejects(model: ArimaModel): boolean {
  const o = model.order;
  const { p, q, P, Q, d, D, period: m, constant } = o;
  const w = difference(model.y, d, D, m);
  const nw = w.length;
  const k = p + q + P + Q + (constant ? 1 : 0);
  if (k === 0) return false;
  const { ws, centre, sd } = standardise(w, constant);
  const x = new Float64Array(k);
  const ml = model.method === 'CSS-ML';
  let f: (v: Float64Array) => number;
  if (ml) {
    const uAr = unconstrainedFromAr(model.ar);
    const uSar = unconstrainedFromAr(model.sar);
    if (uAr === null || uSar === null) return true;
    x.set(uAr, 0);
    x.set(uSar, p);
    const obj = new MlObjective(o, ws);
    f = (v) => (obj.set(v) ? obj.value() : Infinity);
  } else {
    x.set(model.ar, 0);
    x.set(model.sar, p);
    const css = new CssEvaluator(o, nw);
    const e = new Float64Array(nw);
    const nu = nw - css.ncond;
    f = (v) => (css.setCoefficients(v, false), 0.5 * Math.log(css.sse(ws, css.constant, e) / nu));
  }
  x.set(model.ma, p + P);
  x.set(model.sma, p + P + q);
  if (constant) x[k - 1] = (model.intercept - centre) / sd;
  // R's units: the constant unscaled (and the drift per step, c / m, when the difference is seasonal).
  const unit = new Float64Array(k).fill(1);
  if (constant) unit[k - 1] = (d === 0 && D === 1 ? m : 1) / sd;
  // Steps on the standardised scale. The gradient's: 1e-3 × parscale (the constant's 1e-3 × 10 / √n*); the
  // outer difference's: 1e-3 in R's units, whatever the parscale (as optimHess does).
  const step = new Float64Array(k).fill(STEP);
  if (constant) step[k - 1] = (STEP * 10) / Math.sqrt(nw);
  const outer = new Float64Array(k).fill(STEP);
  if (constant) outer[k - 1] = STEP * unit[k - 1];
  // H_ij: the outer difference along i of the inner difference along j, the probe restored after each.
  const probe = Float64Array.from(x);
  const H = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) H[i * k + j] = centralDifference((v) => centralDifference(f, v, j, step[j]), probe, i, outer[i]);
  }
  // A non-finite value met on the way leaves a non-finite entry (R's optim stops there).
  if (!H.every(Number.isFinite)) return true;
  symmetrise(H, k);
  // In R's units: H_R = U H U with U = diag(unit).
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) H[i * k + j] *= unit[i] * unit[j];
  const inv = invert(H, k);
  if (inv === null) return true;
  // Aᵀ H⁻¹ A (exact likelihood: the AR blocks' Jacobian), else H⁻¹.
  const A = new Float64Array(k * k);
  for (let i = 0; i < k; i++) A[i * k + i] = 1;
  if (ml) {
    // The partial-autocorrelation map of each AR block, differenced forward in each of its inputs.
    const block = (from: number, n: number): void => {
      if (n === 0) return;
      const out = new Float64Array(n);
      const work = new Float64Array(n);
      const map = (u: Float64Array): Float64Array => (arFromUnconstrained(u, 0, n, out, work), out);
      forwardJacobian(map, x.subarray(from, from + n), STEP, (i, j, v) => { A[(from + i) * k + from + j] = v; });
    };
    block(0, p);
    block(p, P);
  }
  for (let j = 0; j < k; j++) {
    let v = 0;
    for (let a = 0; a < k; a++) {
      if (A[a * k + j] === 0) continue;
      for (let b = 0; b < k; b++) v += A[a * k + j] * inv[a * k + b] * A[b * k + j];
    }
    if (!(v >= 0)) return true;
  }
  return false;
}

/** (fn(at + h eᵢ) − fn(at − h eᵢ)) / 2h, with at[i] restored afterwards. */
function centralDifference(fn: (v: Float64Array) => number, at: Float64Array, i: number, h: number): number {
  const keep = at[i];
  at[i] = keep + h;
  const up = fn(at);
  at[i] = keep - h;
  const down = fn(at);
  at[i] = keep;
  return (up - down) / (2 * h);
}

/** M ← (M + Mᵀ) / 2 for a k × k matrix stored by rows. */
function symmetrise(M: Float64Array, k: number): void {
  const T = Float64Array.from(M);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) M[i * k + j] = 0.5 * (T[i * k + j] + T[j * k + i]);
}

/**
 * J_ij = (map(u + h eᵢ)_j − map(u)_j) / h for a map of n inputs to n outputs (u is not changed), each entry
 * handed to put.
 */
function forwardJacobian(map: (u: Float64Array) => Float64Array, u: ArrayLike<number>, h: number, put: (i: number, j: number, v: number) => void): void {
  const n = u.length;
  const at = Float64Array.from(u);
  const base = Float64Array.from(map(at));
  for (let i = 0; i < n; i++) {
    at[i] += h;
    const moved = map(at);
    at[i] -= h;
    for (let j = 0; j < n; j++) put(i, j, (moved[j] - base[j]) / h);
  }
}

/** H⁻¹ by Gauss–Jordan elimination with partial pivoting; null when H is singular or its reciprocal 1-norm condition number is below machine epsilon. */
function invert(H: Float64Array, k: number): Float64Array | null {
  const a = Float64Array.from(H);
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r * k + c]) > Math.abs(a[piv * k + c])) piv = r;
    const pv = a[piv * k + c];
    if (!(pv !== 0) || !Number.isFinite(pv)) return null;
    if (piv !== c) {
      for (let j = 0; j < k; j++) {
        let t = a[c * k + j]; a[c * k + j] = a[piv * k + j]; a[piv * k + j] = t;
        t = inv[c * k + j]; inv[c * k + j] = inv[piv * k + j]; inv[piv * k + j] = t;
      }
    }
    for (let j = 0; j < k; j++) { a[c * k + j] /= pv; inv[c * k + j] /= pv; }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const fct = a[r * k + c];
      if (fct === 0) continue;
      for (let j = 0; j < k; j++) { a[r * k + j] -= fct * a[c * k + j]; inv[r * k + j] -= fct * inv[c * k + j]; }
    }
  }
  const norm1 = (M: Float64Array): number => {
    let best = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += Math.abs(M[i * k + j]);
      best = Math.max(best, s);
    }
    return best;
  };
  const rcond = 1 / (norm1(H) * norm1(inv));
  if (!(rcond >= 2.220446049250313e-16)) return null;
  return inv;
}
