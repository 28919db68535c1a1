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

/** optim's ndeps: the central difference's half-width, on the scaled parameters. */
const DIFF_STEP = 1e-3;
/** The sufficient-decrease fraction of the step test, and the factor a rejected step is shortened by. */
const ARMIJO = 1e-4;
const SHRINK = 0.2;
/** A step moves coordinate i only if SHIFT + p_i + λt_i differs from SHIFT + p_i in floating point. */
const SHIFT = 10;

/** What one backtracking pass along t ended with. */
interface StepOutcome {
  /** A point passed the decrease test. */
  accepted: boolean;
  /** The value at the last point evaluated (the current value when none was). */
  value: number;
  /** The step length of the last point tried. */
  length: number;
}

export function bfgsMinimise(
  f: (x: Float64Array) => number, start: ArrayLike<number>, maxIterations = 100, reltol = 1e-8, offset = 0,
  scale?: ArrayLike<number>,
): BfgsResult {
  const n = start.length;
  const s = Float64Array.from({ length: n }, (_, i) => (scale ? scale[i] : 1));
  const x = new Float64Array(n);
  const valueAt = (q: Float64Array): number => {
    for (let i = 0; i < n; i++) x[i] = q[i] * s[i];
    return f(x);
  };
  const result = (q: Float64Array, value: number, iterations: number, ok: boolean, converged: boolean): BfgsResult =>
    ({ x: Float64Array.from(q, (v, i) => v * s[i]), value, iterations, ok, converged });

  // p: the current point on the scale; value: f there; grad: its finite-difference gradient.
  const p = Float64Array.from({ length: n }, (_, i) => start[i] / s[i]);
  let value = valueAt(p);
  if (!Number.isFinite(value)) return result(p, value, 0, false, false);
  if (n === 0) return result(p, value, 0, true, true);

  const shifted = new Float64Array(n);
  /** Central differences of f at q into out; false when one is not finite (optim's error). */
  const differences = (q: Float64Array, out: Float64Array): boolean => {
    shifted.set(q);
    for (let i = 0; i < n; i++) {
      shifted[i] = q[i] + DIFF_STEP;
      const up = valueAt(shifted);
      shifted[i] = q[i] - DIFF_STEP;
      const down = valueAt(shifted);
      shifted[i] = q[i];
      out[i] = (up - down) / (2 * DIFF_STEP);
      if (!Number.isFinite(out[i])) return false;
    }
    return true;
  };

  const grad = new Float64Array(n);
  const origin = new Float64Array(n); // the point the step starts from
  const y = new Float64Array(n); // the previous gradient, then the change in it (γ)
  const dir = new Float64Array(n); // the direction −B g, then the step taken (δ)
  const By = new Float64Array(n);
  const B = new Float64Array(n * n);
  const resetB = (): void => { B.fill(0); for (let i = 0; i < n; i++) B[i * n + i] = 1; };

  /** dir = −B grad; returns gradᵀ dir (negative when dir points downhill). */
  const direction = (): number => {
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= B[i * n + j] * grad[j];
      dir[i] = v;
      slope += v * grad[i];
    }
    return slope;
  };

  /** Backtracks from origin along dir (λ = 1, 0.2, 0.04 …), leaving p at the last point tried. */
  const backtrack = (slope: number): StepOutcome => {
    let length = 1;
    let last = value;
    for (;;) {
      let moves = false;
      for (let i = 0; i < n; i++) {
        p[i] = origin[i] + length * dir[i];
        if (SHIFT + origin[i] !== SHIFT + p[i]) moves = true;
      }
      if (!moves) return { accepted: false, value: last, length };
      last = valueAt(p);
      if (Number.isFinite(last) && last <= value + slope * length * ARMIJO) return { accepted: true, value: last, length };
      length *= SHRINK;
    }
  };

  /** B ← B + ((1 + γᵀBγ / δᵀγ) δδᵀ − δ(Bγ)ᵀ − (Bγ)δᵀ) / δᵀγ, with δ = dir and γ = y; false when δᵀγ ≤ 0. */
  const update = (): boolean => {
    let dy = 0;
    for (let i = 0; i < n; i++) dy += dir[i] * y[i];
    if (!(dy > 0)) return false;
    let yBy = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += B[i * n + j] * y[j];
      By[i] = v;
      yBy += v * y[i];
    }
    const k = 1 + yBy / dy;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) B[i * n + j] += (k * dir[i] * dir[j] - By[i] * dir[j] - dir[i] * By[j]) / dy;
    }
    return true;
  };

  // No iterations allowed: the start, as optim returns it for maxit = 0.
  if (maxIterations <= 0) return result(p, value, 0, true, false);
  if (!differences(p, grad)) return result(p, value, 1, false, false);
  let gradients = 1;
  // fresh: B is the identity, set since the last gradient; a failure to progress from a fresh B ends the search.
  let fresh = true;
  let sinceReset = 0;
  for (;;) {
    if (fresh) resetB();
    origin.set(p);
    y.set(grad);
    const slope = direction();
    let progressed = false;
    if (slope < 0) {
      const step = backtrack(slope);
      const decrease = Math.abs(step.value - value) > reltol * (Math.abs(value + offset) + reltol);
      if (!decrease) value = step.value; // too little decrease (or none tried): kept, but not progress
      else if (step.accepted) {
        progressed = true;
        value = step.value;
        if (!differences(p, grad)) return result(p, value, gradients, false, false);
        gradients++;
        for (let i = 0; i < n; i++) {
          dir[i] *= step.length;
          y[i] = grad[i] - y[i];
        }
        fresh = !update();
        sinceReset = fresh ? 0 : sinceReset + 1;
      }
    }
    if (!progressed) {
      if (fresh) break;
      fresh = true;
      sinceReset = 0;
    }
    if (gradients >= maxIterations) break;
    if (sinceReset > 2 * n) { fresh = true; sinceReset = 0; }
  }
  return result(p, value, gradients, true, gradients < maxIterations);
}
