/**
 * Minimisation inside a box l ≤ x ≤ u by a projected quasi-Newton method: our stand-in for R's
 * `optim(method = "L-BFGS-B")` on the few-parameter problems of ets-small.ts (1 to 3 parameters in [0, 1]).
 *
 * The gradient is R's own finite difference (optim's default ndeps = 1e-3), with the step cut at a bound:
 *
 *   g_i = (f(x + ε⁺ e_i) − f(x − ε⁻ e_i)) / (ε⁺ + ε⁻),   ε⁺ = min(1e-3, u_i − x_i),  ε⁻ = min(1e-3, x_i − l_i)
 *
 * so that where R sees a flat function (g = 0 at the start) we stop where it stops: at the start.
 *
 * Each iteration fixes the variables at a bound whose gradient points out of the box (the active set), takes the
 * quasi-Newton direction d = −H g on the others (H the BFGS inverse-Hessian approximation, reset to the identity
 * whenever the active set changes or d is not a descent direction), and backtracks along the projected path
 * x(t) = P(x + t d) until the Armijo condition f(x(t)) ≤ f(x) + 1e-4 g·(x(t) − x) holds. BFGS update, with
 * s = x⁺ − x and y = g⁺ − g (only when sᵀy > 0):
 *
 *   H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ,   ρ = 1 / (sᵀy)
 *
 * It stops when the projected gradient is zero, when a step no longer lowers f by more than 1e-14 of |f|
 * (tighter than L-BFGS-B's default factr · ε = 2.2e-9, so that we land on the minimum R approaches), when
 * the line search fails, or after maxIterations. A non-finite f at the start is a failure (R's optim stops
 * there too: "L-BFGS-B needs finite values of 'fn'"); later a non-finite f only rejects the step.
 *
 * Not an implementation of L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995): on a smooth function with one minimum in
 * the box both reach it; on a flat stretch, or with two minima, they can stop in different places.
 */

export interface BoxResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** False when f was not finite at the start. */
  ok: boolean;
}

const NDEPS = 1e-3;

/** R's optim finite-difference gradient for bounded methods (steps cut at the bounds). */
function gradient(f: (x: Float64Array) => number, x: Float64Array, lower: number[], upper: number[], out: Float64Array): void {
  const probe = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const hi = Math.min(x[i] + NDEPS, upper[i]);
    const lo = Math.max(x[i] - NDEPS, lower[i]);
    probe[i] = hi;
    const f1 = f(probe);
    probe[i] = lo;
    const f2 = f(probe);
    probe[i] = x[i];
    out[i] = hi > lo ? (f1 - f2) / (hi - lo) : 0;
  }
}

export function boxMinimise(f: (x: Float64Array) => number, start: ArrayLike<number>, lower: number[], upper: number[], maxIterations = 200): BoxResult {
  const n = start.length;
  const clamp = (v: number, i: number): number => Math.min(Math.max(v, lower[i]), upper[i]);
  let x: Float64Array = Float64Array.from(start, clamp);
  let fx = f(x);
  if (!Number.isFinite(fx)) return { x, value: fx, iterations: 0, ok: false };
  let g: Float64Array = new Float64Array(n);
  gradient(f, x, lower, upper, g);
  let H = identity(n);
  let lastActive = '';
  let it = 0;
  for (; it < maxIterations; it++) {
    const free = new Array<boolean>(n);
    let pg = 0;
    for (let i = 0; i < n; i++) {
      free[i] = !((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0));
      if (free[i]) pg = Math.max(pg, Math.abs(g[i]));
    }
    if (pg === 0) break;
    const active = free.map((v) => (v ? '1' : '0')).join('');
    if (active !== lastActive) { H = identity(n); lastActive = active; }
    const d = new Float64Array(n);
    let slope = 0;
    for (let i = 0; i < n; i++) {
      if (!free[i]) continue;
      for (let j = 0; j < n; j++) if (free[j]) d[i] -= H[i][j] * g[j];
      slope += d[i] * g[i];
    }
    if (!(slope < 0)) {
      H = identity(n);
      for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
    }
    // The first step of a fresh H is scaled to move at most 0.1 along d (the box is [0, 1]-sized).
    let dmax = 0;
    for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(d[i]));
    let t = isIdentity(H) ? Math.min(1, 0.1 / dmax) : 1;
    let xNew: Float64Array | null = null;
    let fNew = fx;
    for (let k = 0; k < 60; k++) {
      const trial = Float64Array.from(x, (v, i) => clamp(v + t * d[i], i));
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += g[i] * (trial[i] - x[i]);
      const ft = f(trial);
      if (Number.isFinite(ft) && ft <= fx + 1e-4 * decrease) { xNew = trial; fNew = ft; break; }
      t *= 0.5;
    }
    if (xNew === null) break;
    const gNew = new Float64Array(n);
    gradient(f, xNew, lower, upper, gNew);
    const s = xNew.map((v, i) => v - x[i]);
    const yv = gNew.map((v, i) => v - g[i]);
    const small = fx - fNew <= 1e-14 * Math.max(Math.abs(fx), Math.abs(fNew), 1e-300);
    x = xNew;
    fx = fNew;
    g = gNew;
    if (small) { it++; break; }
    let sy = 0;
    for (let i = 0; i < n; i++) sy += s[i] * yv[i];
    if (sy > 1e-12) H = bfgsUpdate(H, s, yv, 1 / sy);
  }
  return { x, value: fx, iterations: it, ok: true };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function isIdentity(H: number[][]): boolean {
  return H.every((row, i) => row.every((v, j) => v === (i === j ? 1 : 0)));
}

/** H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ. */
function bfgsUpdate(H: number[][], s: Float64Array, y: Float64Array, rho: number): number[][] {
  const n = s.length;
  const Hy = H.map((row) => row.reduce((a, v, j) => a + v * y[j], 0));
  const yHy = y.reduce((a, v, i) => a + v * Hy[i], 0);
  return H.map((row, i) => row.map((v, j) => v - rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j]));
}
