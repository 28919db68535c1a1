/**
 * STL: seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae & Terpenning, J. Official
 * Statistics 6(1), 1990), the non-robust version R's `stl()` runs by default, with R's default windows. Used
 * by ARIMA's seasonal-differencing heuristic as R's `mstl()` uses it (one seasonal period).
 *
 * y_t = S_t + T_t + R_t. Starting from T = 0, each of the two inner passes does:
 *   1. detrend: w = y − T;
 *   2. cycle-subseries smoothing: each subseries (values at one position of the season) is smoothed by loess
 *      (window n_s, degree 0) and extended one period before and after: C, length n + 2m;
 *   3. low-pass filter of C: moving averages of lengths m, m, 3, then loess (window n_l, degree 1): L;
 *   4. S = C_{m+1 … m+n} − L;
 *   5. T = loess(y − S) (window n_t, degree 1).
 * Loess at x uses the points of the window nearest x with tricube weights (1 − (|j − x|/h)³)³, local
 * constant or local line; it is evaluated every `jump` points and linearly interpolated in between, as in
 * the reference Fortran. Windows (R's defaults for s.window = w): n_s = w, n_t = nextodd(⌈1.5 m / (1 − 1.5 / w)⌉),
 * n_l = nextodd(m), jumps ⌈window / 10⌉.
 */

/** Loess estimate at position xs (1-based) from y[nleft..nright] (1-based, inclusive); null when no weight. */
function est(y: Float64Array, n: number, len: number, degree: number, xs: number, nleft: number, nright: number, w: Float64Array): number | null {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    w[j] = 0;
    const r = Math.abs(j - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1 : (1 - (r / h) ** 3) ** 3;
      a += w[j];
    }
  }
  if (a <= 0) return null;
  for (let j = nleft; j <= nright; j++) w[j] /= a;
  if (h > 0 && degree > 0) {
    let mean = 0;
    for (let j = nleft; j <= nright; j++) mean += w[j] * j;
    let b = xs - mean;
    let c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j] * (j - mean) ** 2;
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j] *= b * (j - mean) + 1;
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j] * y[j];
  return ys;
}

/** Loess smoothing of y[1..n] (1-based arrays, index 0 unused) into ys[1..n]. */
function stless(y: Float64Array, n: number, len: number, degree: number, jump: number, ys: Float64Array): void {
  const w = new Float64Array(n + 1);
  if (n < 2) { ys[1] = y[1]; return; }
  const nj = Math.min(jump, n - 1);
  let nleft = 1;
  let nright = n;
  const at = (i: number): void => { const v = est(y, n, len, degree, i, nleft, nright, w); ys[i] = v === null ? y[i] : v; };
  if (len >= n) {
    nleft = 1; nright = n;
    for (let i = 1; i <= n; i += nj) at(i);
  } else if (nj === 1) {
    const nsh = Math.floor((len + 1) / 2);
    nleft = 1; nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) { nleft++; nright++; }
      at(i);
    }
  } else {
    const nsh = Math.floor((len + 1) / 2);
    for (let i = 1; i <= n; i += nj) {
      if (i < nsh) { nleft = 1; nright = len; } else if (i >= n - nsh + 1) { nleft = n - len + 1; nright = n; } else { nleft = i - nsh + 1; nright = len + i - nsh; }
      at(i);
    }
  }
  if (nj !== 1) {
    for (let i = 1; i <= n - nj; i += nj) {
      const delta = (ys[i + nj] - ys[i]) / nj;
      for (let j = i + 1; j <= i + nj - 1; j++) ys[j] = ys[i] + delta * (j - i);
    }
    const k = Math.floor((n - 1) / nj) * nj + 1;
    if (k !== n) {
      at(n);
      if (k !== n - 1) {
        const delta = (ys[n] - ys[k]) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) ys[j] = ys[k] + delta * (j - k);
      }
    }
  }
}

/** Moving average of x[1..n] with window len into out[1..n − len + 1]. */
function movingAverage(x: Float64Array, n: number, len: number, out: Float64Array): void {
  const newn = n - len + 1;
  let v = 0;
  for (let i = 1; i <= len; i++) v += x[i];
  out[1] = v / len;
  for (let j = 2; j <= newn; j++) {
    v += x[j + len - 1] - x[j - 1];
    out[j] = v / len;
  }
}

const nextOdd = (x: number): number => { const r = Math.round(x); return r % 2 === 0 ? r + 1 : r; };

export interface StlResult { seasonal: Float64Array; trend: Float64Array; remainder: Float64Array }

/** STL of y with period m (≥ 2) and seasonal window sWindow (R's `stl(x, s.window = sWindow)`, robust = FALSE). */
export function stl(values: ArrayLike<number>, m: number, sWindow: number): StlResult {
  const n = values.length;
  const ns = Math.max(3, nextOdd(sWindow));
  const nt = Math.max(3, nextOdd(Math.ceil((1.5 * m) / (1 - 1.5 / ns))));
  const nl = Math.max(3, nextOdd(m));
  const [sj, tj, lj] = [ns, nt, nl].map((v) => Math.ceil(v / 10));
  const y = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) y[i] = values[i - 1];
  const trend = new Float64Array(n + 1);
  const season = new Float64Array(n + 1);
  const w = new Float64Array(n + 1);
  const C = new Float64Array(n + 2 * m + 1);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 1; i <= n; i++) w[i] = y[i] - trend[i];
    // Cycle-subseries smoothing, each subseries extended by one value at both ends.
    for (let j = 1; j <= m; j++) {
      const k = Math.floor((n - j) / m) + 1;
      const sub = new Float64Array(k + 1);
      for (let i = 1; i <= k; i++) sub[i] = w[(i - 1) * m + j];
      const sm = new Float64Array(k + 3);
      const smooth = new Float64Array(k + 1);
      stless(sub, k, ns, 0, sj, smooth);
      for (let i = 1; i <= k; i++) sm[i + 1] = smooth[i];
      const wk = new Float64Array(k + 1);
      const first = est(sub, k, ns, 0, 0, 1, Math.min(ns, k), wk);
      sm[1] = first === null ? sm[2] : first;
      const last = est(sub, k, ns, 0, k + 1, Math.max(1, k - ns + 1), k, wk);
      sm[k + 2] = last === null ? sm[k + 1] : last;
      for (let i = 1; i <= k + 2; i++) C[(i - 1) * m + j] = sm[i];
    }
    // Low-pass filter.
    const a1 = new Float64Array(n + m + 2);
    movingAverage(C, n + 2 * m, m, a1);
    const a2 = new Float64Array(n + 3);
    movingAverage(a1, n + m + 1, m, a2);
    const a3 = new Float64Array(n + 1);
    movingAverage(a2, n + 2, 3, a3);
    const L = new Float64Array(n + 1);
    stless(a3, n, nl, 1, lj, L);
    for (let i = 1; i <= n; i++) season[i] = C[m + i] - L[i];
    for (let i = 1; i <= n; i++) w[i] = y[i] - season[i];
    stless(w, n, nt, 1, tj, trend);
  }
  const out: StlResult = { seasonal: season.slice(1), trend: trend.slice(1), remainder: new Float64Array(n) };
  for (let i = 0; i < n; i++) out.remainder[i] = values[i] - out.seasonal[i] - out.trend[i];
  return out;
}
