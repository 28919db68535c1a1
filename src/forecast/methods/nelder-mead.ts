/**
 * Nelder–Mead simplex minimisation, in the variant that R's `optim(method = "Nelder-Mead")` uses (Nash,
 * Compact Numerical Methods, 1990, algorithm 19), which is also what R's `forecast::ets` runs. Keeping the
 * same moves, the same starting simplex and the same stopping rule means our ETS lands where R's does.
 *
 * With n parameters the simplex has n + 1 vertices. Each iteration takes the worst vertex H, the best L
 * and the centroid c of all vertices but H, and tries
 *   reflection   x_r = (1 + α) c − α x_H                (α = 1)
 *   expansion    x_e = γ x_r + (1 − γ) c                 (γ = 2)       when x_r beats the best
 *   contraction  x_c = (1 − β) x_H + β c                 (β = 0.5)     when x_r does not
 *   shrink       x_j ← β (x_j − x_L) + x_L for all j ≠ L                when the contraction fails too
 * The starting simplex steps each coordinate by 0.1 · max|x_i| (0.1 when x = 0). It stops when
 * f(x_H) ≤ f(x_L) + tol · (|f(x_0)| + tol), after maxEvaluations function calls, or when a shrink no longer
 * makes the simplex smaller. A non-finite function value counts as a very large one.
 */

export interface NelderMeadOptions {
  /** Relative tolerance on the spread of function values over the simplex. @default 1e-8 */
  relativeTolerance?: number;
  /** Most function evaluations. @default 500 */
  maxEvaluations?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  evaluations: number;
  /** True when the tolerance was met (not stopped by the evaluation budget or a failed shrink). */
  converged: boolean;
}

const BIG = 1e35;

export function nelderMead(
  fn: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const tol = options.relativeTolerance ?? 1e-8;
  const maxit = options.maxEvaluations ?? 500;
  const n = start.length;
  const value = (x: Float64Array): number => {
    const f = fn(x);
    return Number.isFinite(f) ? f : BIG;
  };
  const b = Float64Array.from(start);
  if (n === 0) return { x: b, value: value(b), evaluations: 1, converged: true };
  // Vertices are the columns 0..n of p (stored as arrays), fv their values; column n+1 is the centroid.
  const p: Float64Array[] = [];
  for (let j = 0; j < n + 2; j++) p.push(new Float64Array(n));
  const fv = new Float64Array(n + 2);
  let f = value(b);
  let evaluations = 1;
  const convtol = tol * (Math.abs(f) + tol);
  p[0].set(b);
  fv[0] = f;
  let step = 0;
  for (let i = 0; i < n; i++) step = Math.max(step, 0.1 * Math.abs(b[i]));
  if (step === 0) step = 0.1;
  let size = 0;
  for (let j = 1; j <= n; j++) {
    p[j].set(b);
    let trystep = step;
    while (p[j][j - 1] === b[j - 1]) {
      p[j][j - 1] = b[j - 1] + trystep;
      trystep *= 10;
    }
    size += trystep;
  }
  let oldsize = size;
  let calcvert = true;
  let L = 0;
  let converged = false;
  const c = p[n + 1];
  for (;;) {
    if (calcvert) {
      for (let j = 0; j <= n; j++) {
        if (j === L) continue;
        fv[j] = value(p[j]);
        evaluations++;
      }
      calcvert = false;
    }
    let VL = fv[L];
    let VH = VL;
    let H = L;
    for (let j = 0; j <= n; j++) {
      if (j === L) continue;
      const fj = fv[j];
      if (fj < VL) { L = j; VL = fj; }
      if (fj > VH) { H = j; VH = fj; }
    }
    if (VH <= VL + convtol) { converged = true; break; }
    if (evaluations > maxit) break;
    for (let i = 0; i < n; i++) {
      let t = -p[H][i];
      for (let j = 0; j <= n; j++) t += p[j][i];
      c[i] = t / n;
    }
    for (let i = 0; i < n; i++) b[i] = 2 * c[i] - p[H][i];
    f = value(b);
    evaluations++;
    const VR = f;
    if (VR < VL) {
      // Expansion: c's column temporarily holds the reflected point.
      fv[n + 1] = f;
      for (let i = 0; i < n; i++) {
        const e = 2 * b[i] - c[i];
        c[i] = b[i];
        b[i] = e;
      }
      f = value(b);
      evaluations++;
      if (f < VR) { p[H].set(b); fv[H] = f; } else { p[H].set(c); fv[H] = VR; }
    } else {
      if (VR < VH) { p[H].set(b); fv[H] = VR; }
      for (let i = 0; i < n; i++) b[i] = 0.5 * p[H][i] + 0.5 * c[i];
      f = value(b);
      evaluations++;
      if (f < fv[H]) {
        p[H].set(b);
        fv[H] = f;
      } else if (VR >= VH) {
        calcvert = true;
        size = 0;
        for (let j = 0; j <= n; j++) {
          if (j === L) continue;
          for (let i = 0; i < n; i++) {
            p[j][i] = 0.5 * (p[j][i] - p[L][i]) + p[L][i];
            size += Math.abs(p[j][i] - p[L][i]);
          }
        }
        if (size < oldsize) oldsize = size;
        else break;
      }
    }
  }
  return { x: Float64Array.from(p[L]), value: fv[L], evaluations, converged };
}
