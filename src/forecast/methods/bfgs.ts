/**
 * Unconstrained minimisation by the BFGS quasi-Newton method (Nocedal & Wright, Numerical Optimization,
 * 2nd ed., Algorithm 6.1), for the few-parameter exact-likelihood problems of arima-ml.ts.
 *
 * The gradient is a central finite difference with step h = 1e-3 (the step R's `optim` takes by default):
 *
 *   g_i = (f(x + h e_i) − f(x − h e_i)) / (2h).
 *
 * Each iteration takes the direction d = −H g (H the inverse-Hessian approximation, the identity at the start
 * and again whenever d is not a descent direction) and backtracks from t = 1 (the first step of a fresh H
 * moves at most 0.2 in any coordinate) until the Armijo condition f(x + t d) ≤ f(x) + 1e-4 t gᵀd holds;
 * a non-finite f only shortens the step. The update, with s = x⁺ − x, y = g⁺ − g, ρ = 1 / sᵀy (only when
 * sᵀy > 0):
 *
 *   H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ.
 *
 * It stops when an accepted step lowers f by no more than reltol (|f + offset| + reltol) (reltol = 1e-8, the
 * relative tolerance R's optim uses; `offset` lets a caller that minimises a shifted objective, such as a
 * log-likelihood of a rescaled series, stop where the unshifted one would), when the line search fails, or
 * after maxIterations.
 */

export interface BfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** False when f is not finite at the start. */
  ok: boolean;
  /** True when it stopped on the tolerance (not on the iteration limit or a failed line search). */
  converged: boolean;
}

const STEP = 1e-3;

export function bfgsMinimise(f: (x: Float64Array) => number, start: ArrayLike<number>, maxIterations = 100, reltol = 1e-8, offset = 0): BfgsResult {
  const n = start.length;
  const x = Float64Array.from(start);
  let fx = f(x);
  if (!Number.isFinite(fx)) return { x, value: fx, iterations: 0, ok: false, converged: false };
  if (n === 0) return { x, value: fx, iterations: 0, ok: true, converged: true };
  const probe = new Float64Array(n);
  const g = new Float64Array(n);
  const gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const trial = new Float64Array(n);
  const s = new Float64Array(n);
  const yv = new Float64Array(n);
  const Hy = new Float64Array(n);
  const H = new Float64Array(n * n);
  const gradient = (at: Float64Array, out: Float64Array): void => {
    probe.set(at);
    for (let i = 0; i < n; i++) {
      probe[i] = at[i] + STEP;
      const f1 = f(probe);
      probe[i] = at[i] - STEP;
      const f2 = f(probe);
      probe[i] = at[i];
      out[i] = Number.isFinite(f1) && Number.isFinite(f2) ? (f1 - f2) / (2 * STEP) : 0;
    }
  };
  const reset = (): void => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = 1;
  };
  reset();
  let fresh = true;
  gradient(x, g);
  let it = 0;
  let converged = false;
  for (; it < maxIterations; it++) {
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      d[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      reset();
      fresh = true;
      slope = 0;
      for (let i = 0; i < n; i++) { d[i] = -g[i]; slope -= g[i] * g[i]; }
      if (!(slope < 0)) { converged = true; break; }
    }
    let t = 1;
    if (fresh) {
      let dmax = 0;
      for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(d[i]));
      t = Math.min(1, 0.2 / dmax);
    }
    let fNew = NaN;
    let accepted = false;
    for (let k = 0; k < 50; k++) {
      for (let i = 0; i < n; i++) trial[i] = x[i] + t * d[i];
      fNew = f(trial);
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * t * slope) { accepted = true; break; }
      t *= 0.5;
    }
    if (!accepted) break;
    // Stopping here needs no gradient at the new point (2n evaluations saved).
    if (fx - fNew <= reltol * (Math.abs(fx + offset) + reltol)) { x.set(trial); fx = fNew; it++; converged = true; break; }
    gradient(trial, gNew);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = trial[i] - x[i];
      yv[i] = gNew[i] - g[i];
      sy += s[i] * yv[i];
    }
    x.set(trial);
    g.set(gNew);
    fx = fNew;
    if (sy > 0) {
      const rho = 1 / sy;
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * yv[j];
        Hy[i] = v;
        yHy += yv[i] * v;
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
        }
      }
      fresh = false;
    }
  }
  return { x, value: fx, iterations: it, ok: true, converged };
}
