/**
 * Where the ETS optimiser starts: R's `initstate` and `initparam` (forecast 8.20).
 *
 * Initial states: the seasonal states come from a classical decomposition of the series (R's decompose:
 * the centred moving average's detrended values averaged by position, centred) when it spans three
 * seasons, otherwise from a regression on (1, t, sin 2πt/m, cos 2πt/m); ℓ_0 and b_0 from a straight line
 * through the first max(10, 2m) seasonally adjusted values (ℓ_0 their mean without trend).
 *
 * Initial parameters: α = 1e-4 + 0.2 (0.9999 − 1e-4)/m, β = 1e-4 + 0.1 (α − 1e-4),
 * γ = 1e-4 + 0.05 (1 − α − 1e-4), φ = 0.8 + 0.99 (0.98 − 0.8), each pulled inside its bounds.
 */
import { centredMovingAverage } from './seasonality.js';
import { LOWER, UPPER, type EtsSpec } from './ets-model.js';


/** Classical decomposition's seasonal figure (R's `decompose`) of y, length m, position 0 = y[0]. */
function seasonalFigure(y: ArrayLike<number>, m: number, multiplicative: boolean): Float64Array {
  const len = y.length;
  // The centred moving average of order m (2×m when m is even): the trend of R's decompose.
  const trend = centredMovingAverage(y, m);
  const sum = new Float64Array(m);
  const count = new Float64Array(m);
  for (let t = 0; t < len; t++) {
    if (Number.isNaN(trend[t])) continue;
    const d = multiplicative ? y[t] / trend[t] : y[t] - trend[t];
    sum[t % m] += d;
    count[t % m]++;
  }
  const fig = new Float64Array(m);
  let mean = 0;
  for (let i = 0; i < m; i++) { fig[i] = sum[i] / count[i]; mean += fig[i] / m; }
  for (let i = 0; i < m; i++) fig[i] = multiplicative ? fig[i] / mean : fig[i] - mean;
  return fig;
}

/**
 * The seasonal component R's `initstate` starts from: a classical decomposition of the whole series when it
 * spans three seasons, otherwise y minus the straight-line part of a regression on (1, t, sin, cos) of one
 * Fourier pair (y divided by it for S = M). Position t = 0 is y's first value.
 */
function initialSeasonal(y: ArrayLike<number>, m: number, multiplicative: boolean): Float64Array {
  const n = y.length;
  if (n >= 3 * m) {
    const fig = seasonalFigure(y, m, multiplicative);
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) out[t] = fig[t % m];
    return out;
  }
  // Least squares on columns (1, t, sin 2πt/m, cos 2πt/m) with t = 1 … n (no sine when m = 2: it is zero).
  const cols: ((t: number) => number)[] = [() => 1, (t) => t, (t) => Math.cos((2 * Math.PI * t) / m)];
  if (m > 2) cols.splice(2, 0, (t) => Math.sin((2 * Math.PI * t) / m));
  const k = cols.length;
  const A = Array.from({ length: k }, () => new Array(k + 1).fill(0));
  for (let t = 1; t <= n; t++) {
    for (let i = 0; i < k; i++) {
      const xi = cols[i](t);
      for (let j = 0; j < k; j++) A[i][j] += xi * cols[j](t);
      A[i][k] += xi * y[t - 1];
    }
  }
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = 0; r < k; r++) {
      if (r === c || A[c][c] === 0) continue;
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
    }
  }
  const b0 = A[0][k] / A[0][0];
  const b1 = A[1][k] / A[1][1];
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const line = b0 + b1 * (t + 1);
    out[t] = multiplicative ? y[t] / line : y[t] - line;
  }
  return out;
}

/** Initial states (ℓ_0, b_0?, s_0 … s_{2−m}): m − 1 seasonal states, the last one follows from the constraint. */
export function initialStates(y: ArrayLike<number>, spec: EtsSpec, m: number): Float64Array {
  const n = y.length;
  let ysa: Float64Array;
  let seas: number[] = [];
  if (spec.season !== 'N') {
    const mult = spec.season === 'M';
    const sc = initialSeasonal(y, m, mult);
    // R: init.seas = rev(seasonal[2:m]), i.e. (sc[m−1], sc[m−2], …, sc[1]).
    for (let i = m - 1; i >= 1; i--) seas.push(sc[i]);
    if (mult) {
      seas = seas.map((v) => Math.max(v, 0.01));
      const total = seas.reduce((a, b) => a + b, 0);
      if (total > m) {
        const denom = seas.reduce((a, b) => a + b + 0.01, 0);
        seas = seas.map((v) => v / denom);
      }
    }
    ysa = new Float64Array(n);
    for (let t = 0; t < n; t++) ysa[t] = mult ? y[t] / Math.max(sc[t], 0.01) : y[t] - sc[t];
  } else {
    ysa = Float64Array.from(y);
    seas = [];
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  const out: number[] = [];
  if (spec.trend === 'N') {
    let s = 0;
    for (let t = 0; t < maxn; t++) s += ysa[t];
    out.push(s / maxn);
  } else {
    // Least-squares line through (1, ysa_1) … (maxn, ysa_maxn): ℓ_0 = intercept, b_0 = slope.
    const xm = (maxn + 1) / 2;
    let ym = 0;
    for (let t = 0; t < maxn; t++) ym += ysa[t] / maxn;
    let sxy = 0;
    let sxx = 0;
    for (let t = 0; t < maxn; t++) { sxy += (t + 1 - xm) * (ysa[t] - ym); sxx += (t + 1 - xm) ** 2; }
    const slope = sxx > 0 ? sxy / sxx : 0;
    let l0 = ym - slope * xm;
    if (Math.abs(l0 + slope) < 1e-8) l0 = l0 * (1 + 1e-3);
    out.push(l0, slope);
  }
  return Float64Array.from([...out, ...seas]);
}

export function initialParams(spec: EtsSpec, m: number): number[] {
  const out: number[] = [];
  let alpha = LOWER.alpha + (0.2 * (UPPER.alpha - LOWER.alpha)) / m;
  if (alpha > 1 || alpha < 0) alpha = LOWER.alpha + 2e-3;
  out.push(alpha);
  if (spec.trend !== 'N') {
    const ub = Math.min(UPPER.beta, alpha);
    let beta = LOWER.beta + 0.1 * (ub - LOWER.beta);
    if (beta < 0 || beta > alpha) beta = alpha - 1e-3;
    out.push(beta);
  }
  if (spec.season !== 'N') {
    const ug = Math.min(UPPER.gamma, 1 - alpha);
    let gamma = LOWER.gamma + 0.05 * (ug - LOWER.gamma);
    if (gamma < 0 || gamma > 1 - alpha) gamma = 1 - alpha - 1e-3;
    out.push(gamma);
  }
  if (spec.trend === 'Ad') {
    let phi = LOWER.phi + 0.99 * (UPPER.phi - LOWER.phi);
    if (phi < 0 || phi > 1) phi = UPPER.phi - 1e-3;
    out.push(phi);
  }
  return out;
}

