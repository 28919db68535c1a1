/**
 * STL: the seasonal-trend decomposition by loess of Cleveland, Cleveland, McRae & Terpenning ("STL: A
 * seasonal-trend decomposition procedure based on loess", J. Official Statistics 6(1), 1990), written from the
 * paper's equations, with R `stl()`'s options and defaults. With y_1 … y_N and the period m (n_p in the paper):
 *
 *   y_v = T_v + S_v + R_v                                               trend, seasonal, remainder
 *
 * Loess. The estimate at x from the values y_i at the positions x_i = 1 … k, with q the window (number of
 * points) and d ∈ {0, 1} the degree: the q positions nearest x (for positions outside 1 … k, the first or
 * last q), λ the largest distance from x among them (when q > k, all k positions, and λ widened by
 * ⌊(q − k)/2⌋, as R's stl widens it), and
 *
 *   w_i = ρ_i · W(|x_i − x| / λ),   W(u) = (1 − u³)³ for u < 1, else 0         (tricube neighbourhood weight)
 *   ĝ(x) = the value at x of the weighted least-squares polynomial of degree d through (x_i, y_i, w_i)
 *
 * ρ_i are the robustness weights (1 when not robust). ĝ(x) falls back to the weighted mean (d = 0) when the
 * weighted positions hardly spread (var_w(x_i) ≤ 1e-6 (k − 1)²), and to y at x itself when every weight is 0.
 * With a jump j > 1 the estimate is computed at 1, 1 + j, 1 + 2j, … and at k, and interpolated linearly
 * between (R's `*.jump`; the paper's speed-up).
 *
 * The inner loop, one pass from T^(k) to T^(k+1), S^(k+1), starting from T^(0) = 0:
 *   1. detrend:                    y_v − T_v^(k)
 *   2. cycle-subseries smoothing:  each subseries (the values at one position of the season, k of them) is
 *                                  smoothed by loess (q = n_s, d = s.degree, weights ρ) at the positions 0 … k + 1
 *                                  (one period before the start and one after the end): C, N + 2m values
 *   3. low-pass filter of C:       moving averages of lengths m, m and 3 (N values remain), then loess
 *                                  (q = n_l, d = l.degree, no robustness weights): L
 *   4. detrend the smoothed subseries: S_v = C_{v+m} − L_v,  v = 1 … N
 *   5. deseasonalise:              y_v − S_v
 *   6. trend smoothing:            T^(k+1) = loess of y − S (q = n_t, d = t.degree, weights ρ)
 * The outer loop runs the inner loop `inner` times, then sets the robustness weights from the
 * remainder R = y − S − T,
 *   ρ_v = B(|R_v| / (6 · median |R|)),   B(u) = (1 − u²)² for u < 1, else 0                  (bisquare)
 * and repeats: `outer` times after the first (R: inner = 2, outer = 0 when not robust; inner = 1, outer = 15
 * when robust). R's fits part from ours where its scale is not 6 · median |R| (stl.test.ts, KNOWN_ROBUST_GAP).
 *
 * Windows (R's `stl` defaults; each made odd by adding 1 to an even value): s.window = n_s, which R requires
 * and ours defaults to 11 (what stlf uses), is a number or 'periodic': n_s = 10N + 1 and s.degree = 0, and the seasonal component is then replaced by its
 * mean at each position of the season, as R documents: "smoothing is effectively replaced by taking the mean");
 * t.window n_t = ⌈1.5m / (1 − 1.5/n_s)⌉; l.window n_l = m; degrees s = 0, t = 1, l = t; jumps ⌈window / 10⌉.
 *
 * W and B are taken as 1 for u ≤ 0.001 and 0 for u > 0.999, as R's stl takes them (see tricube below). The
 * paper's seasonal degree is 1; R's default, and so ours, is 0.
 *
 * What R's forecast package runs for one seasonal period (`stlf`, `stlm`, `mstl`): stl(y, s.window = 11),
 * not robust. The remainder is y − S − T.
 */
import { UnrollError } from '../../util/errors.js';
import { checkOptions, is } from '../../util/options.js';
import { median } from './common.js';

export interface StlOptions {
  /** Seasonal smoothing window n_s (odd, at least 3), or 'periodic'. @default 11 (what R's mstl/stlf use) */
  sWindow?: number | 'periodic';
  /** Degree of the seasonal loess, 0 or 1. @default 0 */
  sDegree?: 0 | 1;
  /** Trend window n_t. @default nextOdd(⌈1.5m / (1 − 1.5 / n_s)⌉) */
  tWindow?: number;
  /** Degree of the trend loess. @default 1 */
  tDegree?: 0 | 1;
  /** Window n_l of the low-pass filter's loess. @default nextOdd(m) */
  lWindow?: number;
  /** Degree of the low-pass filter's loess. @default tDegree */
  lDegree?: 0 | 1;
  /** Jumps of the three smoothers. @default ⌈window / 10⌉ each */
  sJump?: number;
  tJump?: number;
  lJump?: number;
  /** Robustness weights from the remainder (the outer loop). @default false */
  robust?: boolean;
  /** Passes of the inner loop. @default robust ? 1 : 2 */
  inner?: number;
  /** Passes of the outer loop after the first. @default robust ? 15 : 0 */
  outer?: number;
}

export interface StlResult {
  seasonal: Float64Array;
  trend: Float64Array;
  remainder: Float64Array;
  /** The final robustness weights ρ (all 1 when not robust). */
  weights: Float64Array;
}

/** The smallest odd integer at least x (x rounded first). */
const nextOdd = (x: number): number => { const r = Math.round(x); return r % 2 === 0 ? r + 1 : r; };

/**
 * Tricube W(u) = (1 − u³)³, and bisquare B(u) = (1 − u²)², each taken as 1 for u ≤ 0.001 and 0 for u > 0.999
 * as R's stl takes them (measured: without the cut, a window whose robustness weights leave only its edge points
 * is smoothed from those points, where R leaves the value as it is; weekly1 of the fixture moved by 1 %).
 */
const tricube = (u: number): number => (u <= 0.001 ? 1 : u <= 0.999 ? (1 - u * u * u) ** 3 : 0);
const bisquare = (u: number): number => (u <= 0.001 ? 1 : u <= 0.999 ? (1 - u * u) ** 2 : 0);

/**
 * The loess estimate ĝ(x) from y[0 … k−1] at the positions 1 … k, on the window of positions lo … hi
 * (1-based, inclusive), with robustness weights rho (or none); null when every weight is 0.
 */
function loessAt(y: ArrayLike<number>, rho: ArrayLike<number> | null, k: number, q: number, degree: 0 | 1, x: number, lo: number, hi: number): number | null {
  let lambda = Math.max(x - lo, hi - x);
  if (q > k) lambda += Math.floor((q - k) / 2);
  // Weighted sums for the least-squares line: Σw, Σw·t, Σw·t², Σw·y, Σw·t·y, with t = x_i − x.
  let sw = 0, swt = 0, swtt = 0, swy = 0, swty = 0;
  for (let i = lo; i <= hi; i++) {
    const t = i - x;
    const w = (rho ? rho[i - 1]! : 1) * (lambda > 0 ? tricube(Math.abs(t) / lambda) : 1);
    if (w === 0) continue;
    const v = y[i - 1]!;
    sw += w; swt += w * t; swtt += w * t * t; swy += w * v; swty += w * t * v;
  }
  if (sw <= 0) return null;
  if (degree === 0) return swy / sw;
  // The line a + b·t at t = 0: a = (Σw·y − b Σw·t) / Σw, b = cov_w(t, y) / var_w(t); a local constant when the
  // weighted positions hardly spread (one point, or all weight on one place).
  const meanT = swt / sw;
  const varT = swtt / sw - meanT * meanT;
  if (!(varT > 1e-6 * (k - 1) * (k - 1))) return swy / sw;
  const b = (swty / sw - meanT * (swy / sw)) / varT;
  return swy / sw - b * meanT;
}

/** The window of q positions nearest x within 1 … k (all of them when q ≥ k). */
function windowAt(x: number, k: number, q: number): [number, number] {
  if (q >= k) return [1, k];
  const half = (q - 1) >> 1;
  const lo = Math.min(Math.max(1, x - half), k - q + 1);
  return [lo, lo + q - 1];
}

/** Loess of y (positions 1 … k) at every position, computed every `jump` positions and at k, linear in between. */
function loessSmooth(y: ArrayLike<number>, rho: ArrayLike<number> | null, q: number, degree: 0 | 1, jump: number, out: Float64Array): void {
  const k = y.length;
  if (k === 1) { out[0] = y[0]!; return; }
  const j = Math.max(1, Math.min(jump, k - 1));
  const at = (x: number): void => {
    const [lo, hi] = windowAt(x, k, q);
    const g = loessAt(y, rho, k, q, degree, x, lo, hi);
    out[x - 1] = g ?? y[x - 1]!; // No weight: the value stands.
  };
  const nodes: number[] = [];
  for (let x = 1; x <= k; x += j) nodes.push(x);
  if (nodes[nodes.length - 1] !== k) nodes.push(k);
  for (const x of nodes) at(x);
  if (j === 1) return;
  for (let a = 0; a + 1 < nodes.length; a++) {
    const x0 = nodes[a]!, x1 = nodes[a + 1]!;
    const g0 = out[x0 - 1]!, g1 = out[x1 - 1]!;
    for (let x = x0 + 1; x < x1; x++) out[x - 1] = g0 + ((g1 - g0) * (x - x0)) / (x1 - x0);
  }
}

/** Moving average of length len: out[i] = mean(x[i … i+len−1]), x.length − len + 1 values. */
function movingAverage(x: Float64Array, len: number): Float64Array {
  const out = new Float64Array(x.length - len + 1);
  let s = 0;
  for (let i = 0; i < len; i++) s += x[i]!;
  out[0] = s / len;
  for (let i = 1; i < out.length; i++) { s += x[i + len - 1]! - x[i - 1]!; out[i] = s / len; }
  return out;
}


const degree = is.oneOf(0, 1);
/** The keys of StlOptions, for the options checker (util/options.ts): a misspelt key is refused by name. */
export const STL_OPTION_RULES = {
  sWindow: is.either(is.positiveInt, is.oneOf('periodic')), sDegree: degree, tWindow: is.positiveInt, tDegree: degree,
  lWindow: is.positiveInt, lDegree: degree, sJump: is.positiveInt, tJump: is.positiveInt, lJump: is.positiveInt,
  robust: is.boolean, inner: is.positiveInt, outer: is.nonNegativeInt,
};

function checkWindow(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new UnrollError(`stl: ${name} must be a positive whole number, got ${v}`);
  return v;
}

/**
 * STL of y with period m ≥ 2 (y must have more than 2m values, as R's stl requires two full periods). The
 * third argument is the options, or the seasonal window alone (`stl(y, m, 11)` = R's `stl(y, s.window = 11)`).
 */
export function stl(values: ArrayLike<number>, m: number, options: StlOptions | number = {}): StlResult {
  const o: StlOptions = typeof options === 'number' ? { sWindow: options } : checkOptions<StlOptions>(options, STL_OPTION_RULES, { where: 'stl' });
  const N = values.length;
  if (!Number.isInteger(m) || m < 2) throw new UnrollError(`stl: the period must be a whole number of at least 2, got ${m}`);
  if (N <= 2 * m) throw new UnrollError(`stl: the series needs more than two periods (${2 * m} values), got ${N}`);
  for (let v = 0; v < N; v++) if (!Number.isFinite(values[v]!)) throw new UnrollError(`stl: value ${v + 1} is not a finite number`);
  const periodic = o.sWindow === 'periodic';
  const ns = periodic ? 10 * N + 1 : nextOdd(checkWindow('sWindow', (o.sWindow ?? 11) as number)); // a bare number skips the checker
  const sDegree: 0 | 1 = periodic ? 0 : (o.sDegree ?? 0);
  const tDegree: 0 | 1 = o.tDegree ?? 1;
  const lDegree: 0 | 1 = o.lDegree ?? tDegree;
  const nt = nextOdd(o.tWindow ?? Math.ceil((1.5 * m) / (1 - 1.5 / ns)));
  const nl = nextOdd(o.lWindow ?? m);
  const sJump = o.sJump ?? Math.ceil(ns / 10);
  const tJump = o.tJump ?? Math.ceil(nt / 10);
  const lJump = o.lJump ?? Math.ceil(nl / 10);
  const robust = o.robust ?? false;
  const inner = o.inner ?? (robust ? 1 : 2);
  const outer = o.outer ?? (robust ? 15 : 0);

  const y = Float64Array.from(values as ArrayLike<number>);
  const T = new Float64Array(N);
  const S = new Float64Array(N);
  const R = new Float64Array(N);
  const rho = new Float64Array(N).fill(1);
  const C = new Float64Array(N + 2 * m);
  const work = new Float64Array(N);

  const innerPass = (useRho: boolean): void => {
    const weights = useRho ? rho : null;
    // 1. Detrend.
    for (let v = 0; v < N; v++) work[v] = y[v]! - T[v]!;
    // 2. Cycle-subseries smoothing at the positions 0 … k + 1 of each subseries.
    for (let p = 0; p < m; p++) {
      const k = Math.floor((N - 1 - p) / m) + 1;
      const sub = new Float64Array(k);
      const subRho = new Float64Array(k);
      for (let i = 0; i < k; i++) { sub[i] = work[p + i * m]!; subRho[i] = rho[p + i * m]!; }
      const smooth = new Float64Array(k);
      loessSmooth(sub, weights && subRho, ns, sDegree, sJump, smooth);
      const [lo0, hi0] = windowAt(1, k, ns);
      const before = loessAt(sub, weights && subRho, k, ns, sDegree, 0, lo0, hi0) ?? smooth[0]!;
      const [loK, hiK] = windowAt(k, k, ns);
      const after = loessAt(sub, weights && subRho, k, ns, sDegree, k + 1, loK, hiK) ?? smooth[k - 1]!;
      // C holds the positions −m+1 … N+m of the series: index v + m − 1 for position v.
      C[p] = before;
      for (let i = 0; i < k; i++) C[p + (i + 1) * m] = smooth[i]!;
      C[p + (k + 1) * m] = after;
    }
    // 3. Low-pass filter: moving averages m, m, 3, then loess.
    const low = movingAverage(movingAverage(movingAverage(C, m), m), 3);
    const L = new Float64Array(N);
    loessSmooth(low, null, nl, lDegree, lJump, L);
    // 4. Seasonal: the smoothed subseries, detrended.
    for (let v = 0; v < N; v++) S[v] = C[v + m]! - L[v]!;
    // 5–6. Deseasonalise, then smooth the trend.
    for (let v = 0; v < N; v++) work[v] = y[v]! - S[v]!;
    loessSmooth(work, weights, nt, tDegree, tJump, T);
  };

  for (let pass = 0; pass <= outer; pass++) {
    for (let i = 0; i < inner; i++) innerPass(pass > 0);
    if (pass === outer) break;
    // Robustness weights from the remainder.
    for (let v = 0; v < N; v++) R[v] = Math.abs(y[v]! - S[v]! - T[v]!);
    const h = 6 * median(R);
    for (let v = 0; v < N; v++) rho[v] = h > 0 ? bisquare(R[v]! / h) : 1;
  }
  if (periodic) {
    // The seasonal component replaced by its mean at each position of the season.
    for (let p = 0; p < m; p++) {
      let s = 0, c = 0;
      for (let v = p; v < N; v += m) { s += S[v]!; c++; }
      for (let v = p; v < N; v += m) S[v] = s / c;
    }
  }
  for (let v = 0; v < N; v++) R[v] = y[v]! - S[v]! - T[v]!;
  return { seasonal: S, trend: T, remainder: R, weights: robust ? rho : new Float64Array(N).fill(1) };
}
