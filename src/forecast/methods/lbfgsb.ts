/**
 * L-BFGS-B (Byrd, Lu, Nocedal & Zhu, "A limited memory algorithm for bound constrained optimization", SIAM
 * J. Sci. Comput. 16(5), 1995) for a few variables with finite bounds l ≤ x ≤ u, with the settings and the
 * steps of R's `optim(method = "L-BFGS-B")` (its lbfgsb.c, version 2.3 of the algorithm), so that the small
 * least-squares fits of ets-small.ts stop where R's do. Written from the paper and the published algorithm;
 * the limited-memory matrix is kept dense (at most 3 variables here), which is the same matrix.
 *
 * R's defaults: m = 5 correction pairs, factr = 1e7, pgtol = 0, maxit = 100, and the gradient by optim's
 * finite differences (ndeps = 1e-3, the step cut at a bound):
 *
 *   g_i = (f(x + ε⁺ e_i) − f(x − ε⁻ e_i)) / (ε⁺ + ε⁻),   ε⁺ = min(1e-3, u_i − x_i),  ε⁻ = min(1e-3, x_i − l_i)
 *
 * Each iteration:
 * 1. B = θ I updated by BFGS with the stored pairs (s_k, y_k), oldest first (θ = yᵀy / sᵀy of the newest;
 *    B = I before the first pair): B⁺ = B − B s sᵀ B / (sᵀ B s) + y yᵀ / (yᵀ s).
 * 2. Generalized Cauchy point: the first local minimiser of the model q(s) = gᵀs + ½ sᵀ B s along the
 *    projected steepest-descent path x(t) = P(x − t g), taken segment by segment between the breakpoints
 *    t_i = (x_i − l_i)/g_i (g_i > 0) or (x_i − u_i)/g_i (g_i < 0): on a segment with direction d and
 *    displacement z, q′ = gᵀd + dᵀBz, q″ = dᵀBd, and the minimum lies Δt = −q′/q″ along it.
 * 3. Subspace minimisation (once pairs are stored): over the variables not at a bound at the Cauchy point
 *    x_c, the Newton step d_F = −B_FF⁻¹ (g + B (x_c − x))_F, cut back to stay inside the box.
 * 4. Line search from x along d = z − x with the Moré–Thuente search (MINPACK-2 dcsrch/dcstep:
 *    sufficient decrease f(x + αd) ≤ f(x) + 1e-3 α gᵀd, curvature |g(x + αd)ᵀd| ≤ 0.9 |gᵀd|), first trial
 *    α = 1, α ≤ the largest step inside the box (1 on the first iteration); after 20 trials, or an ascent
 *    direction, the memory is dropped and the iteration restarts (with no memory: abnormal end, x kept).
 * 5. Stop when the projected gradient is 0 or (f_old − f) ≤ factr·ε·max(|f_old|, |f|, 1); a pair is stored
 *    when sᵀy > ε·(−gᵀs).
 *
 * A non-finite f anywhere ends the search as a failure (R's optim stops: "L-BFGS-B needs finite values of
 * 'fn'"), and so do 100 iterations (R's HoltWintersZZ then reports "optimization failure").
 */

export interface LbfgsbResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** False where R's optim would stop with an error or HoltWintersZZ with "optimization failure". */
  ok: boolean;
}

const EPS = 2.220446049250313e-16;
const NDEPS = 1e-3;

class Failure extends Error {}

export function lbfgsb(fn: (x: Float64Array) => number, start: ArrayLike<number>, lower: number[], upper: number[],
  options: { factr?: number; maxit?: number; m?: number } = {}): LbfgsbResult {
  const n = start.length;
  const factr = options.factr ?? 1e7;
  const maxit = options.maxit ?? 100;
  const mem = options.m ?? 5;
  const f = (x: Float64Array): number => {
    const v = fn(x);
    if (!Number.isFinite(v)) throw new Failure();
    return v;
  };
  const grad = (x: Float64Array): Float64Array => {
    const g = new Float64Array(n);
    const p = Float64Array.from(x);
    for (let i = 0; i < n; i++) {
      let epsUp = NDEPS;
      let hi = x[i] + NDEPS;
      if (hi > upper[i]) { hi = upper[i]; epsUp = hi - x[i]; }
      p[i] = hi;
      const v1 = f(p);
      let epsDown = NDEPS;
      let lo = x[i] - NDEPS;
      if (lo < lower[i]) { lo = lower[i]; epsDown = x[i] - lo; }
      p[i] = lo;
      const v2 = f(p);
      p[i] = x[i];
      g[i] = (v1 - v2) / (epsUp + epsDown);
      if (!Number.isFinite(g[i])) throw new Failure();
    }
    return g;
  };
  let x: Float64Array = Float64Array.from(start, (v, i) => Math.min(Math.max(v, lower[i]), upper[i]));
  try {
    let fx = f(x);
    let g = grad(x);
    const pairs: { s: Float64Array; y: Float64Array; sy: number }[] = [];
    let theta = 1;
    if (projectedNorm(x, g, lower, upper) <= 0) return { x, value: fx, iterations: 0, ok: true };
    let iter = 0;
    for (;;) {
      const B = lbfgsMatrix(n, theta, pairs);
      // 2. Cauchy point, and the variables free there.
      const { xc, free } = cauchyPoint(x, g, B, lower, upper);
      // 3. Subspace minimisation.
      const z = Float64Array.from(xc);
      if (pairs.length > 0 && free.some((v) => v)) subspaceStep(x, g, B, xc, free, lower, upper, z);
      const d = z.map((v, i) => v - x[i]);
      // 4. Line search.
      const gd0 = dot(g, d);
      let stpmax: number;
      if (iter === 0) stpmax = 1;
      else {
        stpmax = 1e10;
        for (let i = 0; i < n; i++) {
          const a1 = d[i];
          if (a1 < 0) { const a2 = lower[i] - x[i]; if (a2 >= 0) stpmax = 0; else if (a1 * stpmax < a2) stpmax = a2 / a1; }
          else if (a1 > 0) { const a2 = upper[i] - x[i]; if (a2 <= 0) stpmax = 0; else if (a1 * stpmax > a2) stpmax = a2 / a1; }
        }
      }
      let accepted: { x: Float64Array; f: number; g: Float64Array; stp: number; gd: number } | null = null;
      if (gd0 < 0) {
        const search = new MoreThuente(1, fx, gd0, 1e-3, 0.9, 0.1, 0, stpmax);
        for (let trial = 0; trial < 20; trial++) {
          const stp = search.stp;
          const xt = stp === 1 ? Float64Array.from(z) : x.map((v, i) => v + stp * d[i]);
          const ft = f(xt);
          const gt = grad(xt);
          const gd = dot(gt, d);
          if (search.next(ft, gd)) { accepted = { x: xt, f: ft, g: gt, stp, gd }; break; }
        }
      }
      if (!accepted) {
        if (pairs.length === 0) return { x, value: fx, iterations: iter + 1, ok: true }; // abnormal end in the line search: R warns, keeps x
        pairs.length = 0;
        theta = 1;
        continue;
      }
      iter++;
      if (iter > maxit) return { x: accepted.x, value: accepted.f, iterations: iter, ok: false };
      const fold = fx;
      const s = accepted.x.map((v, i) => v - x[i]);
      const yv = accepted.g.map((v, i) => v - g[i]);
      x = accepted.x;
      fx = accepted.f;
      g = accepted.g;
      // 5. Stopping rules, then the new pair.
      if (projectedNorm(x, g, lower, upper) <= 0) break;
      if (fold - fx <= EPS * factr * Math.max(Math.abs(fold), Math.abs(fx), 1)) break;
      const dr = (accepted.gd - gd0) * accepted.stp;
      const ddum = -gd0 * accepted.stp;
      if (dr <= EPS * ddum) continue;
      theta = dot(yv, yv) / dr;
      pairs.push({ s, y: yv, sy: dr });
      if (pairs.length > mem) pairs.shift();
    }
    return { x, value: fx, iterations: iter, ok: true };
  } catch (e) {
    if (e instanceof Failure) return { x, value: NaN, iterations: 0, ok: false };
    throw e;
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Infinity norm of the projected gradient (R's projgr). */
function projectedNorm(x: Float64Array, g: Float64Array, lower: number[], upper: number[]): number {
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    let gi = g[i];
    if (gi < 0) gi = Math.max(x[i] - upper[i], gi);
    else gi = Math.min(x[i] - lower[i], gi);
    norm = Math.max(norm, Math.abs(gi));
  }
  return norm;
}

/** θI updated by BFGS with the stored pairs, oldest first: the L-BFGS matrix, dense. */
function lbfgsMatrix(n: number, theta: number, pairs: { s: Float64Array; y: Float64Array; sy: number }[]): number[][] {
  let B = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? theta : 0)));
  for (const { s, y, sy: ys } of pairs) {
    const Bs = B.map((row) => dot(row, s));
    const sBs = dot(s, Bs);
    B = B.map((row, i) => row.map((v, j) => v - (Bs[i] * Bs[j]) / sBs + (y[i] * y[j]) / ys));
  }
  return B;
}

const mulVec = (B: number[][], v: ArrayLike<number>): number[] => B.map((row) => dot(row, v));

/** The generalized Cauchy point (R's cauchy) and which variables are free (not at a bound) there. */
function cauchyPoint(x: Float64Array, g: Float64Array, B: number[][], lower: number[], upper: number[]): { xc: Float64Array; free: boolean[] } {
  const n = x.length;
  const xc = Float64Array.from(x);
  const d = new Float64Array(n);
  const atBound = new Array<boolean>(n).fill(false);
  const breaks: { t: number; i: number }[] = [];
  let bounded = true;
  for (let i = 0; i < n; i++) {
    const neg = -g[i];
    const tl = x[i] - lower[i];
    const tu = upper[i] - x[i];
    if (tl <= 0 && neg <= 0) { atBound[i] = true; continue; }
    if (tu <= 0 && neg >= 0) { atBound[i] = true; continue; }
    if (tl > 0 && tu > 0 && neg === 0) continue; // R's iwhere = −3: free, d = 0
    d[i] = neg;
    if (neg < 0) breaks.push({ t: tl / -neg, i });
    else if (neg > 0) breaks.push({ t: tu / neg, i });
    else if (Math.abs(neg) > 0) bounded = false;
  }
  const free = (): boolean[] => Array.from({ length: n }, (_, i) => !atBound[i]);
  if (d.every((v) => v === 0)) return { xc, free: free() };
  breaks.sort((a, b) => a.t - b.t);
  const z = new Float64Array(n); // x(t) − x at the last breakpoint passed
  let f1 = dot(g, d);
  let f2 = dot(d, mulVec(B, d));
  const f2org = f2;
  let dtm = -f1 / f2;
  let tsum = 0;
  let tPrev = 0;
  let k = 0;
  for (; k < breaks.length; k++) {
    const { t, i } = breaks[k];
    const dt = t - tPrev;
    if (dtm < dt) break;
    tsum += dt;
    tPrev = t;
    const di = d[i];
    d[i] = 0;
    xc[i] = di > 0 ? upper[i] : lower[i];
    atBound[i] = true;
    for (let j = 0; j < n; j++) if (d[j] !== 0) z[j] += dt * d[j];
    z[i] = xc[i] - x[i];
    if (k === breaks.length - 1 && breaks.length === n) {
      // Every variable reached its bound.
      return { xc, free: free() };
    }
    f1 = dot(g, d) + dot(d, mulVec(B, z));
    f2 = Math.max(EPS * f2org, dot(d, mulVec(B, d)));
    dtm = k < breaks.length - 1 || !bounded ? -f1 / f2 : 0;
  }
  if (!(dtm > 0)) dtm = 0;
  tsum += dtm;
  for (let j = 0; j < n; j++) if (d[j] !== 0) xc[j] = x[j] + tsum * d[j];
  return { xc, free: free() };
}

/** R's subsm (2.3): the Newton step on the free variables from the Cauchy point, cut back to the box. */
function subspaceStep(x: Float64Array, g: Float64Array, B: number[][], xc: Float64Array, free: boolean[], lower: number[], upper: number[], z: Float64Array): void {
  const idx = free.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
  const Bdx = mulVec(B, xc.map((v, i) => v - x[i]));
  const r = idx.map((i) => -(g[i] + Bdx[i]));
  const A = idx.map((i) => idx.map((j) => B[i][j]));
  const dF = solve(A, r);
  if (!dF) return;
  let alpha = 1;
  let hit = -1;
  idx.forEach((i, k) => {
    const dk = dF[k];
    let t = alpha;
    if (dk < 0) { const room = lower[i] - xc[i]; if (room >= 0) t = 0; else if (dk * alpha < room) t = room / dk; }
    else if (dk > 0) { const room = upper[i] - xc[i]; if (room <= 0) t = 0; else if (dk * alpha > room) t = room / dk; }
    if (t < alpha) { alpha = t; hit = k; }
  });
  if (alpha < 1 && hit >= 0) z[idx[hit]] = dF[hit] > 0 ? upper[idx[hit]] : lower[idx[hit]];
  idx.forEach((i, k) => { if (!(alpha < 1 && k === hit)) z[i] = xc[i] + alpha * dF[k]; });
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (M[p][c] === 0) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const fct = M[r][c] / M[c][c];
      for (let j = c; j <= n; j++) M[r][j] -= fct * M[c][j];
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let j = r + 1; j < n; j++) s -= M[r][j] * out[j];
    out[r] = s / M[r][r];
  }
  return out;
}

/**
 * The Moré–Thuente line search (MINPACK-2 dcsrch with dcstep), as a state machine: `stp` is the step to try;
 * next(f, g) takes f and the directional derivative there and returns true when the step is accepted
 * (convergence or one of dcsrch's warnings, which L-BFGS-B accepts too), else sets the next `stp`.
 */
class MoreThuente {
  stp: number;
  private brackt = false;
  private stage = 1;
  private readonly ginit: number;
  private readonly gtest: number;
  private width: number;
  private width1: number;
  private stx = 0; private fx: number; private gx: number;
  private sty = 0; private fy: number; private gy: number;
  private stmin = 0; private stmax: number;

  constructor(stp: number, private readonly finit: number, ginit: number, private readonly ftol: number, private readonly gtol: number,
    private readonly xtol: number, private readonly stpmin: number, private readonly stpmaxv: number) {
    this.stp = stp;
    this.ginit = ginit;
    this.gtest = ftol * ginit;
    this.width = stpmaxv - stpmin;
    this.width1 = this.width / 0.5;
    this.fx = finit; this.gx = ginit; this.fy = finit; this.gy = ginit;
    this.stmax = stp + 4 * stp;
  }

  next(f: number, g: number): boolean {
    const stp = this.stp;
    const ftest = this.finit + stp * this.gtest;
    if (this.stage === 1 && f <= ftest && g >= 0) this.stage = 2;
    if (this.brackt && (stp <= this.stmin || stp >= this.stmax)) return true;
    if (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax) return true;
    if (stp === this.stpmaxv && f <= ftest && g <= this.gtest) return true;
    if (stp === this.stpmin && (f > ftest || g >= this.gtest)) return true;
    if (f <= ftest && Math.abs(g) <= this.gtol * -this.ginit) return true;
    if (this.stage === 1 && f <= this.fx && f > ftest) {
      const fm = f - stp * this.gtest;
      const s = { stx: this.stx, fx: this.fx - this.stx * this.gtest, dx: this.gx - this.gtest, sty: this.sty, fy: this.fy - this.sty * this.gtest, dy: this.gy - this.gtest, stp, brackt: this.brackt };
      dcstep(s, fm, g - this.gtest, this.stmin, this.stmax);
      this.stx = s.stx; this.sty = s.sty; this.brackt = s.brackt; this.stp = s.stp;
      this.fx = s.fx + s.stx * this.gtest; this.fy = s.fy + s.sty * this.gtest;
      this.gx = s.dx + this.gtest; this.gy = s.dy + this.gtest;
    } else {
      const s = { stx: this.stx, fx: this.fx, dx: this.gx, sty: this.sty, fy: this.fy, dy: this.gy, stp, brackt: this.brackt };
      dcstep(s, f, g, this.stmin, this.stmax);
      this.stx = s.stx; this.fx = s.fx; this.gx = s.dx; this.sty = s.sty; this.fy = s.fy; this.gy = s.dy; this.brackt = s.brackt; this.stp = s.stp;
    }
    if (this.brackt) {
      if (Math.abs(this.sty - this.stx) >= 0.66 * this.width1) this.stp = this.stx + 0.5 * (this.sty - this.stx);
      this.width1 = this.width;
      this.width = Math.abs(this.sty - this.stx);
    }
    if (this.brackt) {
      this.stmin = Math.min(this.stx, this.sty);
      this.stmax = Math.max(this.stx, this.sty);
    } else {
      this.stmin = this.stp + 1.1 * (this.stp - this.stx);
      this.stmax = this.stp + 4 * (this.stp - this.stx);
    }
    this.stp = Math.min(Math.max(this.stp, this.stpmin), this.stpmaxv);
    if ((this.brackt && (this.stp <= this.stmin || this.stp >= this.stmax)) || (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax)) this.stp = this.stx;
    return false;
  }
}

interface StepState { stx: number; fx: number; dx: number; sty: number; fy: number; dy: number; stp: number; brackt: boolean }

/** MINPACK-2 dcstep: the safeguarded cubic/quadratic step of the Moré–Thuente search; updates the interval. */
function dcstep(s: StepState, fp: number, dp: number, stpmin: number, stpmax: number): void {
  const { stx, fx, dx, sty, fy, dy, stp } = s;
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;
  if (fp > fx) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt((theta / sc) ** 2 - (dx / sc) * (dp / sc));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const r = p / q;
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    s.brackt = true;
  } else if (sgnd < 0) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt((theta / sc) ** 2 - (dx / sc) * (dp / sc));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const r = p / q;
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    s.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dx / sc) * (dp / sc)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (s.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else if (s.brackt) {
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = sc * Math.sqrt((theta / sc) ** 2 - (dy / sc) * (dp / sc));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    const r = p / q;
    stpf = stp + r * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }
  if (fp > fx) {
    s.sty = stp; s.fy = fp; s.dy = dp;
  } else {
    if (sgnd < 0) { s.sty = stx; s.fy = fx; s.dy = dx; }
    s.stx = stp; s.fx = fp; s.dx = dp;
  }
  s.stp = stpf;
}
