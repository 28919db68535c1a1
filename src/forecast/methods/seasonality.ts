/**
 * M4's seasonality test and the classical multiplicative decomposition that M4's benchmarks use to
 * seasonally adjust a series (the R functions SeasonalityTest and stats::decompose in the competition's
 * benchmark code). With y_1 … y_n, mean ȳ and period m:
 *
 * Autocorrelation (as R's acf: demeaned, denominator n):
 *   r_k = Σ_{t=1..n−k} (y_t − ȳ)(y_{t+k} − ȳ) / Σ_{t=1..n} (y_t − ȳ)²
 *
 * Seasonality test (90%, one-sided z = 1.645 on |r_m|, Bartlett's variance of r_m):
 *   seasonal ⇔ m > 1, n ≥ 3m and |r_m| > 1.645 · √((1 + 2 Σ_{k=1..m−1} r_k²) / n)
 *   (R's acf stops at lag ⌊10·log10 n⌋ by default, so the R code calls a series shorter than 10^(m/10)
 *   values non-seasonal whatever its r_m. That limit never bound in M4, whose Hourly series, the only
 *   ones tested with m > 12, have n ≥ 700; this implementation computes r_m for every n ≥ 3m.)
 *
 * Classical multiplicative decomposition (stats::decompose, type "multiplicative"):
 *   trend T_t: centred moving average of order m (2×m for even m: weights ½, 1, …, 1, ½ over m+1
 *              values, divided by m), undefined for the first and last ⌊m/2⌋ values;
 *   raw index of position j (j = 0 … m−1, position of y_t is (t−1) mod m): the mean of y_t / T_t over the
 *              t of that position where T_t is defined;
 *   indices S_j = raw_j / mean(raw)    (they average 1);
 *   adjusted series a_t = y_t / S_{(t−1) mod m};  the forecast of step k is multiplied by S_{(n+k−1) mod m}.
 *
 * Beyond M4: a series with a negative value is not adjusted (a multiplicative index is meaningless there),
 * nor one whose indices come out non-finite or ≤ 0 (a trend of 0, a season of zeros); the R code would
 * divide by them. The adjustment says why in its note. All M4 data are positive, so M4's figures are
 * unaffected.
 */
import { UnrollError } from '../../util/errors.js';

/** r_1 … r_maxLag (index 0 holds r_1), as R's acf(y, lag.max = maxLag). A constant series gives NaN. */
export function autocorrelations(y: ArrayLike<number>, maxLag: number): Float64Array {
  const n = y.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += y[t]!;
  mean /= n;
  let c0 = 0;
  for (let t = 0; t < n; t++) c0 += (y[t]! - mean) ** 2;
  const r = new Float64Array(Math.max(0, Math.min(maxLag, n - 1)));
  for (let k = 1; k <= r.length; k++) {
    let s = 0;
    for (let t = 0; t + k < n; t++) s += (y[t]! - mean) * (y[t + k]! - mean);
    r[k - 1] = s / c0;
  }
  return r;
}

export interface SeasonalityTestResult {
  seasonal: boolean;
  /** r_m (NaN when not computed: m = 1, n < 3m, or a constant series). */
  acf: number;
  /** The 90% limit |r_m| is compared with (NaN when not computed). */
  limit: number;
  /** Why the test said what it said, in words. */
  reason: string;
}

/** M4's 90% autocorrelation test for seasonality at lag m. */
export function seasonalityTest(y: ArrayLike<number>, m: number): SeasonalityTestResult {
  const n = y.length;
  if (m <= 1) return { seasonal: false, acf: NaN, limit: NaN, reason: 'period 1: no season to test' };
  if (n < 3 * m) return { seasonal: false, acf: NaN, limit: NaN, reason: `${n} values < 3 × period ${m}: too short to test, treated as not seasonal` };
  const r = autocorrelations(y, m);
  let sum = 1;
  for (let k = 0; k < m - 1; k++) sum += 2 * r[k]! ** 2;
  const limit = (1.645 * Math.sqrt(sum)) / Math.sqrt(n);
  const acf = r[m - 1]!;
  if (!Number.isFinite(acf)) return { seasonal: false, acf, limit, reason: 'constant series: autocorrelation undefined, treated as not seasonal' };
  const seasonal = Math.abs(acf) > limit;
  const reason = `|r_${m}| = ${Math.abs(acf).toFixed(3)} ${seasonal ? '>' : '≤'} ${limit.toFixed(3)} (90% ACF test)`;
  return { seasonal, acf, limit, reason };
}

export interface Decomposition {
  /** Centred moving average (NaN at both ends where it is undefined). */
  trend: Float64Array;
  /** The m seasonal indices; index j belongs to positions t with (t−1) mod m = j (counting from y_1). */
  indices: Float64Array;
}

/**
 * The centred moving average of order m (2×m when m is even: weights ½, 1, …, 1, ½ over m + 1 values,
 * divided by m), NaN for the first and last ⌊m/2⌋ values: the trend of R's decompose (also the start of
 * ETS's initial seasonal states).
 */
export function centredMovingAverage(y: ArrayLike<number>, m: number): Float64Array {
  const n = y.length;
  const half = Math.floor(m / 2);
  const trend = new Float64Array(n).fill(NaN);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (m % 2 === 0) {
      s = 0.5 * (y[t - half]! + y[t + half]!);
      for (let j = -half + 1; j < half; j++) s += y[t + j]!;
    } else {
      for (let j = -half; j <= half; j++) s += y[t + j]!;
    }
    trend[t] = s / m;
  }
  return trend;
}

/** Classical multiplicative decomposition with period m (R's decompose); needs n ≥ 2m. */
export function multiplicativeDecomposition(y: ArrayLike<number>, m: number): Decomposition {
  const n = y.length;
  if (!Number.isInteger(m) || m < 2) throw new UnrollError(`decomposition: period is ${m}; expected an integer >= 2`, 'option');
  if (n < 2 * m) throw new UnrollError(`decomposition: the series has ${n} values; expected at least two periods (${2 * m})`, 'data');
  const trend = centredMovingAverage(y, m);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    const ratio = y[t]! / trend[t]!;
    if (Number.isNaN(ratio)) continue; // R's mean(na.rm = TRUE) skips NA and NaN (0/0)
    sums[t % m] += ratio;
    counts[t % m] += 1;
  }
  const indices = new Float64Array(m);
  let mean = 0;
  for (let j = 0; j < m; j++) {
    indices[j] = sums[j]! / counts[j]!;
    mean += indices[j]!;
  }
  mean /= m;
  for (let j = 0; j < m; j++) indices[j] = indices[j]! / mean;
  return { trend, indices };
}

export interface SeasonalAdjustment {
  /** True when the series was divided by seasonal indices. */
  adjusted: boolean;
  /** The seasonally adjusted series (a copy of y when not adjusted). */
  series: Float64Array;
  /** The m indices (all 1 when not adjusted). */
  indices: Float64Array;
  /** Length of the history: positions of future steps continue from it. */
  n: number;
  /** Why the series was or was not adjusted. */
  note: string;
}

/** M4's seasonal adjustment: test at lag m; when seasonal, divide by classical multiplicative indices. */
export function seasonalAdjustment(y: Float64Array, m: number): SeasonalAdjustment {
  const n = y.length;
  const none = (note: string): SeasonalAdjustment => ({ adjusted: false, series: y.slice(), indices: new Float64Array(Math.max(m, 1)).fill(1), n, note });
  const test = seasonalityTest(y, m);
  if (!test.seasonal) return none(`not seasonally adjusted: ${test.reason}`);
  for (let t = 0; t < n; t++) {
    if (y[t]! < 0) return none(`not seasonally adjusted: value [${t}] is ${y[t]}, and a multiplicative decomposition needs values >= 0 (${test.reason})`);
  }
  const { indices } = multiplicativeDecomposition(y, m);
  for (let j = 0; j < m; j++) {
    if (!(indices[j]! > 0 && Number.isFinite(indices[j]!))) return none(`not seasonally adjusted: seasonal index ${j + 1} of ${m} is ${indices[j]} (${test.reason})`);
  }
  const series = new Float64Array(n);
  for (let t = 0; t < n; t++) series[t] = y[t]! / indices[t % m]!;
  return { adjusted: true, series, indices, n, note: `seasonally adjusted (multiplicative, period ${m}): ${test.reason}` };
}

/** The seasonal factors of future steps 1 … h: S_{(n+k−1) mod m}. */
export function futureIndices(adj: SeasonalAdjustment, h: number): Float64Array {
  const out = new Float64Array(h);
  const m = adj.indices.length;
  for (let k = 0; k < h; k++) out[k] = adj.indices[(adj.n + k) % m]!;
  return out;
}

/** The seasonal factors of the history's positions 1 … n (to re-seasonalise fitted values). */
export function pastIndices(adj: SeasonalAdjustment): Float64Array {
  const out = new Float64Array(adj.n);
  const m = adj.indices.length;
  for (let t = 0; t < adj.n; t++) out[t] = adj.indices[t % m]!;
  return out;
}
