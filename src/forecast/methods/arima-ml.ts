/**
 * One ARIMA order estimated by exact maximum likelihood from the CSS estimates, as R's `stats::arima` does
 * by default (method "CSS-ML"), and the forecasts from the Kalman-filtered state. The likelihood is
 * arima-likelihood.ts (the model and the filter are written out there); the optimiser is bfgs.ts.
 *
 * Parameters. The ARMA is fitted to z_t = w_t − c with w = (1 − B)^d (1 − B^m)^D y and c the mean (d + D = 0)
 * or the drift (d + D = 1: R's regression on t = 1 … n, which after differencing is a constant; c is the drift
 * per step, times m when D = 1), estimated jointly with the ARMA coefficients. The AR parts φ and Φ are
 * optimised through their partial autocorrelations (Jones 1980; Monahan 1984): unconstrained u_k, r_k = tanh u_k,
 * and the Durbin–Levinson recursion
 *
 *   φ^{(k)}_k = r_k,   φ^{(k)}_j = φ^{(k−1)}_j − r_k φ^{(k−1)}_{k−j}   (j < k),
 *
 * which maps ℝ^p onto the stationary region (its inverse starts the search from the CSS estimates). The MA
 * parts are unconstrained; an MA polynomial with roots inside the unit circle (at the start or at the optimum)
 * has those roots replaced by their reciprocals, which leaves the Gaussian likelihood unchanged (Brockwell &
 * Davis §4.4) and makes it invertible, as R does. The objective is ½ (log σ̂² + Σ log F_t / n*) on the series
 * scaled by its standard deviation sd, minimised by BFGS as R's optim (bfgs.ts), with R's parscale for the
 * constant (10 standard errors of its least-squares estimate, 10 / √n* on this scale), stopping on R's
 * relative tolerance applied to the unscaled objective (the scaled one plus log sd). As R's arima, a CSS fit
 * that stopped at its iteration limit gives no start: the search then starts from zero coefficients.
 *
 * The reported fit, as R's `forecast::Arima`: with n* = n − d − mD values of w and k estimated coefficients,
 *
 *   −2 log L = n* log(2π Σ v_t²/F_t / n*) + n* + Σ log F_t,   AIC = −2 log L + 2(k + 1),
 *   AICc = AIC + 2(k + 1)(k + 2) / (n* − k − 2),   BIC = AIC + (k + 1)(log n* − 2),
 *   σ² = Σ v_t² / F_t / (n* − k)   (forecast's σ², from the standardised innovations; stats::arima's is / n*).
 *
 * Forecasts: ẑ_{n+j} = Z T^{j−1} a_{n+1} from the filtered state, plus c, with the differencing undone. The
 * h-step variance is exact for the model, including the uncertainty left in the state: with x_j the state's
 * error and s_j the error of ŷ_{n+j}, s_j = Z x_j − Σ_k δ_k s_{j−k} (δ the coefficients of the differencing
 * polynomial, s_j = 0 for j ≤ 0) and x_{j+1} = T x_j + R ε_{n+j+1}; we carry the covariance of (x_j, s_{j−1}, …,
 * s_{j−d−mD}) forward from Cov(x_1) = P_{n+1}, so Var(s_j) = σ² gᵀ C_j g. It equals σ² Σ_{i<j} ψ_i² (the CSS
 * forecasts' formula) once the filter has reached its steady state.
 */
import { ArmaKalman } from './arima-likelihood.js';
import { bfgsMinimise } from './bfgs.js';
import { difference, differencingPoly, nearUnitRoot, standardise } from './arima-poly.js';
import { rootsOutside } from './schur-cohn.js';
import type { ArimaModel, ArimaOrder } from './arima.js';

// ---------------------------------------------------------------------------------------------------------
// Partial autocorrelations ↔ AR coefficients

/** AR coefficients from the unconstrained u[from … from + p) (r_k = tanh u_k), written to out[0 … p). */
export function arFromUnconstrained(u: ArrayLike<number>, from: number, p: number, out: Float64Array, work: Float64Array): void {
  for (let k = 0; k < p; k++) {
    const rk = Math.tanh(u[from + k]);
    for (let j = 0; j < k; j++) work[j] = out[j] - rk * out[k - 1 - j];
    for (let j = 0; j < k; j++) out[j] = work[j];
    out[k] = rk;
  }
}

/** The inverse: u from a stationary φ (null when some partial autocorrelation is not inside (−1, 1)). */
export function unconstrainedFromAr(phi: ArrayLike<number>): Float64Array | null {
  const p = phi.length;
  let cur = Float64Array.from(phi);
  const u = new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    const rk = cur[k];
    if (!(Math.abs(rk) < 1)) return null;
    u[k] = Math.atanh(rk);
    const prev = new Float64Array(k);
    for (let j = 0; j < k; j++) prev[j] = (cur[j] + rk * cur[k - 1 - j]) / (1 - rk * rk);
    cur = prev;
  }
  return u;
}

// ---------------------------------------------------------------------------------------------------------
// MA roots inside the unit circle replaced by their reciprocals

/** Roots of c[0] + c[1] z + … + c[d] z^d (c[d] ≠ 0) by the Durand–Kerner (Weierstrass) iteration. */
function polyRoots(c: number[]): { re: number[]; im: number[] } {
  const d = c.length - 1;
  const re = new Array<number>(d);
  const im = new Array<number>(d);
  // Start on a circle of the roots' geometric-mean radius, at angles that avoid symmetry.
  const radius = Math.pow(Math.abs(c[0] / c[d]), 1 / d) || 1;
  for (let i = 0; i < d; i++) {
    const ang = (2 * Math.PI * i) / d + 0.4;
    re[i] = radius * Math.cos(ang);
    im[i] = radius * Math.sin(ang);
  }
  for (let it = 0; it < 1000; it++) {
    let moved = 0;
    for (let i = 0; i < d; i++) {
      // p(z_i) / c_d by Horner's scheme.
      let pr = 1;
      let pi = 0;
      for (let k = d - 1; k >= 0; k--) {
        const nr = pr * re[i] - pi * im[i] + c[k] / c[d];
        const ni = pr * im[i] + pi * re[i];
        pr = nr;
        pi = ni;
      }
      let qr = 1;
      let qi = 0;
      for (let j = 0; j < d; j++) {
        if (j === i) continue;
        const dr = re[i] - re[j];
        const di = im[i] - im[j];
        const nr = qr * dr - qi * di;
        qi = qr * di + qi * dr;
        qr = nr;
      }
      const den = qr * qr + qi * qi;
      if (!(den > 0)) continue;
      const sr = (pr * qr + pi * qi) / den;
      const si = (pi * qr - pr * qi) / den;
      re[i] -= sr;
      im[i] -= si;
      moved = Math.max(moved, Math.hypot(sr, si));
    }
    if (moved < 1e-15) break;
  }
  return { re, im };
}

/** θ (of 1 + θ_1 B + … + θ_q B^q) with every root inside the unit circle replaced by its reciprocal. */
export function maInvert(theta: ArrayLike<number>): Float64Array {
  let q0 = theta.length;
  while (q0 > 0 && theta[q0 - 1] === 0) q0--;
  const out = Float64Array.from(theta);
  if (q0 === 0 || rootsOutside(Array.from(theta).slice(0, q0), 1)) return out;
  // Degree 1 in closed form: 1 + θB has its root at −1/θ, whose reciprocal gives 1 + B/θ (exact, no root finder).
  if (q0 === 1) { out[0] = 1 / theta[0]; return out; }
  const { re, im } = polyRoots([1, ...Array.from(theta).slice(0, q0)]);
  // Π (1 − z / ρ_k) over the (reflected) roots ρ_k: constant term 1, real up to rounding.
  let pr = [1];
  let pi = [0];
  for (let k = 0; k < q0; k++) {
    let a = re[k];
    let b = im[k];
    const m2 = a * a + b * b;
    if (m2 < 1) { a = a / m2; b = -b / m2; }
    // 1/ρ = conj(ρ)/|ρ|²
    const n2 = a * a + b * b;
    const ir = a / n2;
    const ii = -b / n2;
    const nr = new Array<number>(pr.length + 1).fill(0);
    const ni = new Array<number>(pr.length + 1).fill(0);
    for (let i = 0; i < pr.length; i++) {
      nr[i] += pr[i];
      ni[i] += pi[i];
      // − z/ρ × (pr + i pi) z^i
      nr[i + 1] -= pr[i] * ir - pi[i] * ii;
      ni[i + 1] -= pr[i] * ii + pi[i] * ir;
    }
    pr = nr;
    pi = ni;
  }
  for (let i = 0; i < q0; i++) out[i] = pr[i + 1];
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The objective

/**
 * Full polynomial coefficients: out[k−1] = coefficient of B^k in s((1 + s Σ a_i B^i)(1 + s Σ A_j B^{mj}) − 1),
 * the dense product of the two lag polynomials: every pair (regular term i, seasonal term j) but the two
 * constants adds s · (its regular coefficient) · (its seasonal coefficient) at lag i + mj. Allocates nothing.
 */
function fullPoly(a: Float64Array, na: number, A: Float64Array, nA: number, m: number, sign: 1 | -1, out: Float64Array): number {
  const len = na + m * nA;
  out.fill(0, 0, len);
  for (let i = 0; i <= na; i++) {
    const ca = i === 0 ? 1 : sign * a[i - 1];
    for (let j = 0; j <= nA; j++) {
      if (i + j === 0) continue;
      const cb = j === 0 ? 1 : sign * A[j - 1];
      out[i + m * j - 1] += sign * (ca * cb);
    }
  }
  return len;
}

/** The ML objective of one order on one (scaled) differenced series; evaluations allocate nothing. */
export class MlObjective {
  readonly kalman: ArmaKalman;
  private readonly o: ArimaOrder;
  private readonly w: Float64Array;
  private readonly z: Float64Array;
  readonly ar: Float64Array;
  readonly sar: Float64Array;
  readonly ma: Float64Array;
  readonly sma: Float64Array;
  private readonly work: Float64Array;
  private readonly phiFull: Float64Array;
  private readonly thetaFull: Float64Array;
  c = 0;

  constructor(o: ArimaOrder, w: Float64Array) {
    this.o = o;
    this.w = w;
    const m = o.period;
    this.kalman = new ArmaKalman(o.p + m * o.P, o.q + m * o.Q);
    this.z = new Float64Array(w.length);
    this.ar = new Float64Array(o.p);
    this.sar = new Float64Array(o.P);
    this.ma = new Float64Array(o.q);
    this.sma = new Float64Array(o.Q);
    this.work = new Float64Array(Math.max(o.p, o.P, 1));
    this.phiFull = new Float64Array(o.p + m * o.P + 1);
    this.thetaFull = new Float64Array(o.q + m * o.Q + 1);
  }

  /** Reads (u_φ, u_Φ, θ, Θ, c) and sets the model; false when the state space cannot be formed. */
  set(v: ArrayLike<number>): boolean {
    const { p, P, q, Q, constant, period: m } = this.o;
    arFromUnconstrained(v, 0, p, this.ar, this.work);
    arFromUnconstrained(v, p, P, this.sar, this.work);
    for (let i = 0; i < q; i++) this.ma[i] = v[p + P + i];
    for (let i = 0; i < Q; i++) this.sma[i] = v[p + P + q + i];
    this.c = constant ? v[p + P + q + Q] : 0;
    return this.setCoefficients();
  }

  setCoefficients(): boolean {
    const { p, P, q, Q, period: m } = this.o;
    // (1 − Σ φ B^i)(1 − Σ Φ B^{mj}) = 1 − Σ φ'_k B^k  ⇒  φ'_{i+mj} gains −φ_i Φ_j.
    const np = fullPoly(this.ar, p, this.sar, P, m, -1, this.phiFull);
    const nq = fullPoly(this.ma, q, this.sma, Q, m, 1, this.thetaFull);
    return this.kalman.setModel(this.phiFull, np, this.thetaFull, nq);
  }

  /** ½ (log σ̂² + Σ log F_t / n) at the current model and constant. */
  value(): number {
    const n = this.w.length;
    const z = this.z;
    for (let t = 0; t < n; t++) z[t] = this.w[t] - this.c;
    if (!this.kalman.filter(z, n)) return Infinity;
    const s2 = this.kalman.ssq / n;
    if (!(s2 > 0)) return Infinity;
    return 0.5 * (Math.log(s2) + this.kalman.sumlog / n);
  }
}

// ---------------------------------------------------------------------------------------------------------
// CSS-ML for one order

/**
 * Fits one order by exact maximum likelihood, starting from its CSS fit (`css`, from fitArimaOrder without
 * the unit-root rejection). Returns null when there is no start, when the start's AR part is not stationary
 * (R: "non-stationary AR part from CSS"), when the likelihood cannot be evaluated, or (unless
 * rejectNearUnitRoots is false) when a root of the fitted AR or MA polynomials lies within 1.01 of the unit
 * circle.
 */
export function fitArimaOrderMl(
  y: ArrayLike<number>, order: ArimaOrder, css: ArimaModel | null, rejectNearUnitRoots = true, maxIterations = 100,
): ArimaModel | null {
  if (css === null) return null;
  const { p, d, q, P, D, Q, period: m, constant } = order;
  const w = difference(y, d, D, m);
  const nw = w.length;
  const k = p + q + P + Q + (constant ? 1 : 0);
  if (nw - k <= 0) return null;
  const { ws, centre, sd } = standardise(w, constant);
  // The start: partial autocorrelations of the CSS AR parts, invertible CSS MA parts, the CSS constant.
  const uAr = unconstrainedFromAr(css.ar);
  const uSar = unconstrainedFromAr(css.sar);
  if (css.converged && (uAr === null || uSar === null)) return null;
  // As R's arima: a CSS search that stopped at its iteration limit gives no start; ML starts from zero
  // coefficients and the mean of w (which the standardised series has at 0).
  const start = css.converged
    ? Float64Array.from([...uAr!, ...uSar!, ...maInvert(css.ma), ...maInvert(css.sma), ...(constant ? [(css.intercept - centre) / sd] : [])])
    : new Float64Array(k);
  const obj = new MlObjective(order, ws);
  const f = (v: Float64Array): number => (obj.set(v) ? obj.value() : Infinity);
  // On the standardised series the objective is R's minus log sd: stop where R's optim would stop.
  // optim's parscale as R's arima sets it (the constant's: 10 standard errors, 10 / √n* on this scale).
  const scale = new Float64Array(k).fill(1);
  if (constant) scale[k - 1] = 10 / Math.sqrt(nw);
  const res = bfgsMinimise(f, start, maxIterations, 1e-8, Math.log(sd), scale);
  if (!res.ok || !Number.isFinite(res.value)) return null;
  obj.set(res.x);
  const ar = Float64Array.from(obj.ar);
  const sar = Float64Array.from(obj.sar);
  const ma = maInvert(obj.ma);
  const sma = maInvert(obj.sma);
  const intercept = constant ? centre + obj.c * sd : 0;
  if (rejectNearUnitRoots && nearUnitRoot({ ar, sar, ma, sma }, m)) return null;
  const model: ArimaModel = {
    order: { ...order }, ar, sar, ma, sma, intercept, sigma2: NaN, loglik: NaN, aic: NaN, aicc: NaN, bic: NaN,
    residuals: new Float64Array(nw), y: Float64Array.from(y), converged: res.converged, method: 'CSS-ML',
  };
  const run = filterModel(model, w);
  if (run === null) return null;
  const { ssq, sumlog } = run.kalman;
  model.residuals = run.innovations;
  const npar = k + 1;
  model.sigma2 = ssq / (nw - k);
  model.loglik = -0.5 * (nw * (Math.log((2 * Math.PI * ssq) / nw) + 1) + sumlog);
  model.aic = -2 * model.loglik + 2 * npar;
  model.aicc = nw - npar - 1 > 0 ? model.aic + (2 * npar * (npar + 1)) / (nw - npar - 1) : Infinity;
  model.bic = model.aic + npar * (Math.log(nw) - 2);
  if (!Number.isFinite(model.loglik)) return null;
  return model;
}

/** Runs the filter of a fitted model over the differenced series w; null when it cannot be formed. */
function filterModel(model: ArimaModel, w: Float64Array): { kalman: ArmaKalman; innovations: Float64Array; phiFull: Float64Array } | null {
  const o = model.order;
  const obj = new MlObjective(o, w);
  obj.ar.set(model.ar);
  obj.sar.set(model.sar);
  obj.ma.set(model.ma);
  obj.sma.set(model.sma);
  if (!obj.setCoefficients()) return null;
  const n = w.length;
  const z = new Float64Array(n);
  for (let t = 0; t < n; t++) z[t] = w[t] - model.intercept;
  const innovations = new Float64Array(n);
  if (!obj.kalman.filter(z, n, innovations)) return null;
  const phiFull = new Float64Array(obj.kalman.r + 1);
  const m = o.period;
  fullPoly(model.ar, o.p, model.sar, o.P, m, -1, phiFull);
  return { kalman: obj.kalman, innovations, phiFull };
}

/**
 * The exact log-likelihood of a model at its coefficients (whatever estimated them) and stats::arima's σ²
 * (Σ v_t²/F_t / n*); null when the state space cannot be formed.
 */
export function mlLikelihood(model: ArimaModel): { loglik: number; sigma2: number } | null {
  const o = model.order;
  const w = difference(model.y, o.d, o.D, o.period);
  const run = filterModel(model, w);
  if (run === null) return null;
  const n = w.length;
  const { ssq, sumlog } = run.kalman;
  return { loglik: -0.5 * (n * (Math.log((2 * Math.PI * ssq) / n) + 1) + sumlog), sigma2: ssq / n };
}

/** The innovations v_t of a CSS-ML model over a (longer) series y; throws nothing, returns null on failure. */
export function mlInnovations(model: ArimaModel, y: ArrayLike<number>): Float64Array | null {
  const o = model.order;
  const run = filterModel(model, difference(y, o.d, o.D, o.period));
  return run === null ? null : run.innovations;
}

/** Point forecasts and h-step variances of a CSS-ML model, from the filtered state at the end of its series. */
export function mlForecastMoments(model: ArimaModel, h: number): { mean: Float64Array; variance: Float64Array } {
  const o = model.order;
  const m = o.period;
  const y = model.y;
  const n = y.length;
  const w = difference(y, o.d, o.D, m);
  const run = filterModel(model, w);
  if (run === null) throw new RangeError('mlForecastMoments: the fitted model has no state space');
  const { kalman, phiFull } = run;
  const r = kalman.r;
  const phi = (i: number): number => (i < phiFull.length ? phiFull[i] : 0); // φ'_{i+1} at index i
  // Point forecasts of z, then w = z + c, then y.
  const a = Float64Array.from(kalman.a.subarray(0, r));
  const delta = differencingPoly(o.d, o.D, m);
  const yy = new Float64Array(n + h);
  yy.set(y);
  for (let j = 0; j < h; j++) {
    let v = a[0] + model.intercept;
    for (let k = 1; k < delta.length; k++) v -= delta[k] * yy[n + j - k];
    yy[n + j] = v;
    const a0 = a[0];
    for (let i = 0; i < r - 1; i++) a[i] = phi(i) * a0 + a[i + 1];
    a[r - 1] = phi(r - 1) * a0;
  }
  // Covariance of u_j = (x_j, s_{j−1}, …, s_{j−D'}), D' = d + mD.
  const Dp = delta.length - 1;
  const N = r + Dp;
  const C = new Float64Array(N * N);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) C[i * N + j] = kalman.P[i * r + j];
  const gIdx: number[] = [0];
  const gVal: number[] = [1];
  for (let k = 1; k <= Dp; k++) if (delta[k] !== 0) { gIdx.push(r + k - 1); gVal.push(-delta[k]); }
  const Rv = new Float64Array(r);
  const thetaFull = new Float64Array(o.q + m * o.Q + 1);
  fullPoly(model.ma, o.q, model.sma, o.Q, m, 1, thetaFull);
  Rv[0] = 1;
  for (let i = 1; i < r; i++) Rv[i] = i - 1 < o.q + m * o.Q ? thetaFull[i - 1] : 0;
  const applyM = (u: Float64Array, uo: number, stride: number, out: Float64Array, oo: number, ostride: number): void => {
    const u0 = u[uo];
    for (let i = 0; i < r; i++) out[oo + i * ostride] = phi(i) * u0 + (i + 1 < r ? u[uo + (i + 1) * stride] : 0);
    if (Dp > 0) {
      let s = 0;
      for (let k = 0; k < gIdx.length; k++) s += gVal[k] * u[uo + gIdx[k] * stride];
      out[oo + r * ostride] = s;
      for (let k = 1; k < Dp; k++) out[oo + (r + k) * ostride] = u[uo + (r + k - 1) * stride];
    }
  };
  const B = new Float64Array(N * N);
  const variance = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    let v = 0;
    for (let a1 = 0; a1 < gIdx.length; a1++) for (let b1 = 0; b1 < gIdx.length; b1++) v += gVal[a1] * gVal[b1] * C[gIdx[a1] * N + gIdx[b1]];
    variance[j] = model.sigma2 * v;
    if (j === h - 1) break;
    // B = M C (column by column), then C = M Bᵀ (row by row of B) + R Rᵀ.
    for (let col = 0; col < N; col++) applyM(C, col, N, B, col, N);
    for (let row = 0; row < N; row++) applyM(B, row * N, 1, C, row, N);
    for (let i = 0; i < r; i++) for (let k = 0; k < r; k++) C[i * N + k] += Rv[i] * Rv[k];
  }
  return { mean: yy.slice(n), variance };
}

