/**
 * Unconstrained minimisation by the variable-metric (BFGS) method of Nash, "Compact Numerical Methods for
 * Computers" (2nd ed., 1990), Algorithm 21: the method R's `optim(method = "BFGS")` documents that it is
 * based on, with optim's defaults, so that the ARIMA fits of arima.ts and arima-ml.ts stop where R's
 * stats::arima stops (on flat likelihoods the point it stops at decides which order the search keeps).
 *
 * Parameters are optimised on a scale: f is evaluated at x = s ∘ p (optim's `parscale`), and the gradient in
 * p is a central difference with step h = 1e-3 (optim's `ndeps`):
 *
 *   g_i = (f(s ∘ (p + h e_i)) − f(s ∘ (p − h e_i))) / 2h;   a non-finite g_i ends the search as a failure.
 *
 * Each iteration takes the direction t = −B g (B the inverse-Hessian approximation, the identity at the
 * start and after every reset) and, when it points downhill (gᵀt < 0), tries the steps λ = 1, 0.2, 0.04, …
 * until f(p + λt) ≤ f(p) + 10⁻⁴ λ gᵀt (a non-finite value fails the test) or the step no longer changes any
 * coordinate (10 + p_i + λt_i = 10 + p_i in floating point). An accepted point that lowers f by no more than
 * reltol (|f| + reltol) (reltol = 1e-8; `offset` is added to f in this test only, so that a caller that
 * minimises a shifted objective stops where the unshifted one would) counts as no progress, but becomes the
 * current point and value. After progress, with δ = λt and γ = g⁺ − g, if δᵀγ > 0
 *
 *   B⁺ = B + ((1 + γᵀBγ / δᵀγ) δδᵀ − δ(Bγ)ᵀ − (Bγ)δᵀ) / δᵀγ,
 *
 * else B is reset. No progress, or an uphill direction, resets B and tries again from the current point (with
 * the gradient last computed), unless B was just reset: then the search ends. B is also reset every 2n + 1
 * gradients. The search stops after maxIterations gradients (the first included), and then reports that it
 * did not converge.
 */

export interface BfgsResult {
  /** The parameters x = s ∘ p at the end. */
  x: Float64Array;
  value: number;
  /** Gradients computed (optim's iteration count). */
  iterations: number;
  /** False when f is not finite at the start or a finite-difference gradient was not finite. */
  ok: boolean;
  /** False when it stopped at maxIterations (optim's convergence code 1). */
  converged: boolean;
}

const STEP = 1e-3;
const ACCTOL = 1e-4;
const STEPREDN = 0.2;
const RELTEST = 10;

export function bfgsMinimise(
  f: (x: Float64Array) => number, start: ArrayLike<number>, maxIterations = 100, reltol = 1e-8, offset = 0,
  scale?: ArrayLike<number>,
): BfgsResult {
  const n = start.length;
  const s = new Float64Array(n).fill(1);
  if (scale) for (let i = 0; i < n; i++) s[i] = scale[i];
  const xOut = new Float64Array(n);
  const at = (p: Float64Array): number => {
    for (let i = 0; i < n; i++) xOut[i] = p[i] * s[i];
    return f(xOut);
  };
  const finish = (p: Float64Array, value: number, iterations: number, ok: boolean, converged: boolean): BfgsResult => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = p[i] * s[i];
    return { x, value, iterations, ok, converged };
  };
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[i] = start[i] / s[i];
  let fmin = at(b);
  if (!Number.isFinite(fmin)) return finish(b, fmin, 0, false, false);
  if (n === 0) return finish(b, fmin, 0, true, true);
  const probe = new Float64Array(n);
  const gradient = (p: Float64Array, out: Float64Array): boolean => {
    probe.set(p);
    for (let i = 0; i < n; i++) {
      probe[i] = p[i] + STEP;
      const f1 = at(probe);
      probe[i] = p[i] - STEP;
      const f2 = at(probe);
      probe[i] = p[i];
      out[i] = (f1 - f2) / (2 * STEP);
      if (!Number.isFinite(out[i])) return false;
    }
    return true;
  };
  const g = new Float64Array(n);
  const X = new Float64Array(n);
  const c = new Float64Array(n);
  const t = new Float64Array(n);
  const Bc = new Float64Array(n);
  const B = new Float64Array(n * n);
  if (!gradient(b, g)) return finish(b, fmin, 1, false, false);
  let gradcount = 1;
  let iter = 1;
  let ilast = gradcount;
  let count = 0;
  do {
    if (ilast === gradcount) {
      B.fill(0);
      for (let i = 0; i < n; i++) B[i * n + i] = 1;
    }
    X.set(b);
    c.set(g);
    let gradproj = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= B[i * n + j] * g[j];
      t[i] = v;
      gradproj += v * g[i];
    }
    if (gradproj < 0) {
      let steplength = 1;
      let accpoint = false;
      let fNew = fmin;
      do {
        count = 0;
        for (let i = 0; i < n; i++) {
          b[i] = X[i] + steplength * t[i];
          if (RELTEST + X[i] === RELTEST + b[i]) count++;
        }
        if (count < n) {
          fNew = at(b);
          accpoint = Number.isFinite(fNew) && fNew <= fmin + gradproj * steplength * ACCTOL;
          if (!accpoint) steplength *= STEPREDN;
        }
      } while (!(count === n || accpoint));
      const enough = Math.abs(fNew - fmin) > reltol * (Math.abs(fmin + offset) + reltol);
      if (!enough) {
        count = n;
        fmin = fNew;
      }
      if (count < n) {
        fmin = fNew;
        if (!gradient(b, g)) return finish(b, fmin, iter, false, false);
        gradcount++;
        iter++;
        let d1 = 0;
        for (let i = 0; i < n; i++) {
          t[i] *= steplength;
          c[i] = g[i] - c[i];
          d1 += t[i] * c[i];
        }
        if (d1 > 0) {
          let d2 = 0;
          for (let i = 0; i < n; i++) {
            let v = 0;
            for (let j = 0; j < n; j++) v += B[i * n + j] * c[j];
            Bc[i] = v;
            d2 += v * c[i];
          }
          d2 = 1 + d2 / d1;
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) B[i * n + j] += (d2 * t[i] * t[j] - Bc[i] * t[j] - t[i] * Bc[j]) / d1;
          }
        } else {
          ilast = gradcount;
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      count = 0;
      if (ilast === gradcount) count = n;
      else ilast = gradcount;
    }
    if (iter >= maxIterations) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count !== n || ilast !== gradcount);
  return finish(b, fmin, iter, true, iter < maxIterations);
}
