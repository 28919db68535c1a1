/**
 * ETS forecasts and their variances (HKOS ch. 6), from the final states x_n of a fitted model:
 *
 *   ŷ_{n+h} = (ℓ_n + φ_h b_n) ∘ s_{n+h−m⌈h/m⌉},   φ_h = φ + φ² + … + φ^h,   ∘ = + (S = A), × (S = M)
 *
 * Var(y_{n+h} | x_n) exactly for the linear models (class 1: σ² (1 + Σ_{j<h} c_j²), c_j of Table 6.1) and
 * the multiplicative-error ones without multiplicative season (class 2: (1 + σ²) θ_h − μ_h²), and by the
 * second-order approximation of HKOS §6.5 for M,·,M (class 3, as R's forecast:::class3).
 */
import type { EtsModel } from './ets-model.js';

/** Point forecasts from the final states: (ℓ + φ_h b) combined with s_{n+h−m⌈h/m⌉}. */
export function etsPointForecast(model: EtsModel, h: number): Float64Array {
  const { spec, period: m, finalStates: x } = model;
  const phi = spec.trend === 'Ad' ? model.phi : 1;
  const b = spec.trend !== 'N' ? x[1] : 0;
  const so = spec.trend !== 'N' ? 2 : 1;
  const out = new Float64Array(h);
  let phiSum = phi;
  for (let i = 0; i < h; i++) {
    let f = x[0] + phiSum * b;
    if (spec.season !== 'N') {
      const s = x[so + m - 1 - (i % m)];
      f = spec.season === 'A' ? f + s : f * s;
    }
    out[i] = f;
    phiSum += phi ** (i + 2);
  }
  return out;
}

/** c_j of HKOS Table 6.1: the effect of ε_{n+h−j} on y_{n+h} in the linear part of the model. */
function linearWeights(model: EtsModel, h: number): Float64Array {
  const { spec, period: m } = model;
  const c = new Float64Array(h);
  const phi = spec.trend === 'Ad' ? model.phi : 1;
  let phiSum = 0;
  for (let j = 1; j < h; j++) {
    phiSum += phi ** j;
    let v = model.alpha;
    if (spec.trend !== 'N') v += model.beta * (spec.trend === 'Ad' ? phiSum : j);
    if (spec.season !== 'N' && j % m === 0) v += model.gamma;
    c[j] = v;
  }
  return c;
}

/** Forecast variances Var(y_{n+h} | x_n), h = 1 … H, and (for class 3) the forecast means. */
export function etsForecastVariance(model: EtsModel, h: number): { mean: Float64Array; variance: Float64Array } {
  const mean = etsPointForecast(model, h);
  const variance = new Float64Array(h);
  const { spec, sigma2 } = model;
  if (spec.error === 'A' && spec.season !== 'M') {
    const c = linearWeights(model, h);
    let acc = 1;
    for (let i = 0; i < h; i++) {
      if (i > 0) acc += c[i] * c[i];
      variance[i] = sigma2 * acc;
    }
    return { mean, variance };
  }
  if (spec.error === 'M' && spec.season !== 'M') {
    const c = linearWeights(model, h);
    const theta = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      let t = mean[i] * mean[i];
      for (let j = 1; j <= i; j++) t += sigma2 * c[j] * c[j] * theta[i - j];
      theta[i] = t;
      variance[i] = (1 + sigma2) * t - mean[i] * mean[i];
    }
    return { mean, variance };
  }
  return class3(model, h);
}

/** The HKOS §6.5 recursion for models with multiplicative season (class 3), as R's forecast:::class3. */
function class3(model: EtsModel, h: number): { mean: Float64Array; variance: Float64Array } {
  const { spec, period: m, sigma2, finalStates: x } = model;
  const hasTrend = spec.trend !== 'N';
  const p1 = hasTrend ? 2 : 1;
  const phi = spec.trend === 'Ad' ? model.phi : 1;
  // Level/growth block (p1 × p1) and seasonal block (m × m).
  const F1 = hasTrend ? [[1, 1], [0, phi]] : [[1]];
  const G1 = hasTrend ? [[model.alpha, model.alpha], [model.beta, model.beta]] : [[model.alpha]];
  const H1 = new Array(p1).fill(1);
  const F2: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row = new Array(m).fill(0);
    if (i === 0) row[m - 1] = 1;
    else row[i - 1] = 1;
    F2.push(row);
  }
  const G2: number[][] = Array.from({ length: m }, () => new Array(m).fill(0));
  G2[0][m - 1] = model.gamma;
  const H2 = new Array(m).fill(0);
  H2[m - 1] = 1;
  const kron = (A: number[][], B: number[][]): number[][] => {
    const ra = A.length, ca = A[0].length, rb = B.length, cb = B[0].length;
    const out = Array.from({ length: ra * rb }, () => new Array(ca * cb).fill(0));
    for (let i = 0; i < ra; i++) for (let j = 0; j < ca; j++) {
      const a = A[i][j];
      if (a === 0) continue;
      for (let k = 0; k < rb; k++) for (let l = 0; l < cb; l++) out[i * rb + k][j * cb + l] = a * B[k][l];
    }
    return out;
  };
  const mul = (A: number[][], B: number[][]): number[][] => {
    const r = A.length, inner = B.length, c = B[0].length;
    const out = Array.from({ length: r }, () => new Array(c).fill(0));
    for (let i = 0; i < r; i++) for (let k = 0; k < inner; k++) {
      const a = A[i][k];
      if (a === 0) continue;
      const bk = B[k];
      const oi = out[i];
      for (let j = 0; j < c; j++) oi[j] += a * bk[j];
    }
    return out;
  };
  const tr = (A: number[][]): number[][] => A[0].map((_, j) => A.map((row) => row[j]));
  const add = (A: number[][], B: number[][], s = 1): number[][] => A.map((row, i) => row.map((v, j) => v + s * B[i][j]));
  const scale = (A: number[][], s: number): number[][] => A.map((row) => row.map((v) => v * s));
  // Mh = (ℓ, b)ᵀ (s_1 … s_m), states newest first.
  let Mh: number[][] = [];
  for (let i = 0; i < p1; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) row.push(x[i] * x[p1 + j]);
    Mh.push(row);
  }
  const dim = p1 * m;
  let Vh: number[][] = Array.from({ length: dim }, () => new Array(dim).fill(0));
  const H21 = kron([H2], [H1])[0];
  const F21 = kron(F2, F1);
  const G21 = kron(G2, G1);
  const K = add(kron(G2, F1), kron(F2, G1));
  const F21t = tr(F21);
  const G21t = tr(G21);
  const Kt = tr(K);
  const mean = new Float64Array(h);
  const variance = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    let mu = 0;
    for (let a = 0; a < p1; a++) for (let b = 0; b < m; b++) mu += H1[a] * Mh[a][b] * H2[b];
    let quad = 0;
    for (let a = 0; a < dim; a++) {
      if (H21[a] === 0) continue;
      for (let b = 0; b < dim; b++) quad += H21[a] * Vh[a][b] * H21[b];
    }
    mean[i] = mu;
    variance[i] = (1 + sigma2) * quad + sigma2 * mu * mu;
    // vec(Mh), column-major as R's c(Mh).
    const vec: number[] = [];
    for (let b = 0; b < m; b++) for (let a = 0; a < p1; a++) vec.push(Mh[a][b]);
    const vv = vec.map((u) => vec.map((w) => u * w));
    const term1 = mul(mul(F21, Vh), F21t);
    const term2 = add(mul(mul(F21, Vh), G21t), mul(mul(G21, Vh), F21t));
    const term3 = mul(mul(K, add(Vh, vv)), Kt);
    const term4 = mul(mul(G21, add(scale(Vh, 3), scale(vv, 2))), G21t);
    Vh = add(term1, scale(add(add(term2, term3), scale(term4, sigma2)), sigma2));
    Mh = add(mul(mul(F1, Mh), tr(F2)), scale(mul(mul(G1, Mh), tr(G2)), sigma2));
  }
  return { mean, variance };
}

