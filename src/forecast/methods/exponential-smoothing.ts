/**
 * Additive-error exponential smoothing without season, estimated as R's forecast::ses and forecast::holt do
 * (they call ets(y, "ANN" / "AAN", damped, opt.crit = "mse")); ses.ts, holt.ts and theta.ts stand on it.
 * With y_1 … y_n, level l, trend b, damping φ (φ = 1 undamped; b ≡ 0, β ≡ 0 without trend):
 *
 *   one-step forecast   ŷ_t = l_{t−1} + φ·b_{t−1},          error e_t = y_t − ŷ_t
 *   level               l_t = l_{t−1} + φ·b_{t−1} + α·e_t
 *   trend               b_t = φ·b_{t−1} + β·e_t
 *   forecast            ŷ_{n+k} = l_n + (φ + φ² + … + φ^k)·b_n
 *
 * Estimation (ets' defaults): α, β, φ and the initial states l_0, b_0 minimise MSE = (1/n) Σ e_t², by the
 * Nelder–Mead search of nelder-mead.ts (R's variant; ≤ 2000 evaluations, relative tolerance √ε), over the parameter
 * vector (α, β, φ, l_0, b_0) in that order, started from
 *   α = 0.0001 + 0.2·(0.9999 − 0.0001),  β = 0.0001 + 0.1·(α − 0.0001),  φ = 0.8 + 0.99·(0.98 − 0.8),
 *   l_0 = mean(y_1 … y_10) without trend; with trend, l_0 and b_0 are the intercept and slope of the least
 *   squares line through (1, y_1) … (10, y_10) (fewer when n < 10),
 * and confined (the objective is +∞ outside) to 0.0001 ≤ α ≤ 0.9999, 0.0001 ≤ β ≤ α, 0.8 ≤ φ ≤ 0.98, and
 * the admissible region α ∈ [1 − 1/φ, 1 + 1/φ], β ∈ [α(φ − 1), (1 + φ)(2 − α)].
 *
 * Intervals (Hyndman et al. 2008, class 1 models, as forecast.ets computes them):
 *   σ² = Σ e_t² / (n − p),  p = number of estimated values (parameters and initial states)
 *   v_k = σ² · (1 + Σ_{j=1..k−1} c_j²),  c_j = α + β·(φ + φ² + … + φ^j)
 *   bounds ŷ_{n+k} ± z·√v_k.  When n ≤ p there is no σ² and no interval (said in the notes).
 */
import type { MethodForecast } from './types.js';
import { checkHorizon, checkLevels, normalIntervals } from './common.js';
import { nelderMead } from './nelder-mead.js';

export type TrendKind = 'none' | 'additive' | 'damped';

export interface SmoothingFit {
  trend: TrendKind;
  alpha: number;
  /** 0 without trend. */
  beta: number;
  /** 1 unless damped. */
  phi: number;
  /** Estimated initial states. */
  l0: number;
  b0: number;
  /** Final states l_n, b_n. */
  level: number;
  slope: number;
  /** One-step in-sample forecasts ŷ_1 … ŷ_n. */
  fitted: Float64Array;
  /** In-sample MSE (the minimised objective). */
  mse: number;
  /** Residual variance for intervals (NaN when n ≤ p). */
  sigma2: number;
  /** Number of estimated values (α, β, φ, l_0, b_0 as present). */
  estimated: number;
  /** Objective evaluations the search used, and whether it met its tolerance within the budget. */
  evaluations: number;
  converged: boolean;
}

const LOWER = { alpha: 1e-4, beta: 1e-4, phi: 0.8 };
const UPPER = { alpha: 0.9999, beta: 0.9999, phi: 0.98 };

/** Mean squared one-step error from the given parameters and initial states: the objective (hot loop). */
function mseOf(y: Float64Array, alpha: number, beta: number, phi: number, l0: number, b0: number): number {
  let l = l0;
  let b = b0;
  let ss = 0;
  const n = y.length;
  if (beta === 0 && b0 === 0) {
    for (let t = 0; t < n; t++) {
      const e = y[t]! - l;
      ss += e * e;
      l += alpha * e;
    }
  } else {
    for (let t = 0; t < n; t++) {
      const f = l + phi * b;
      const e = y[t]! - f;
      ss += e * e;
      l = f + alpha * e;
      b = phi * b + beta * e;
    }
  }
  return ss / n;
}

/** The same recursion, keeping the fitted values and the final states. */
function runFilter(y: Float64Array, alpha: number, beta: number, phi: number, l0: number, b0: number, fitted: Float64Array): { mse: number; level: number; slope: number } {
  let l = l0;
  let b = b0;
  let ss = 0;
  for (let t = 0; t < y.length; t++) {
    const f = l + phi * b;
    fitted[t] = f;
    const e = y[t]! - f;
    ss += e * e;
    l = f + alpha * e;
    b = phi * b + beta * e;
  }
  return { mse: ss / y.length, level: l, slope: b };
}

function admissible(trend: TrendKind, alpha: number, beta: number, phi: number): boolean {
  if (alpha < LOWER.alpha || alpha > UPPER.alpha) return false;
  if (trend !== 'none' && (beta < LOWER.beta || beta > alpha || beta > UPPER.beta)) return false;
  if (trend === 'damped' && (phi < LOWER.phi || phi > UPPER.phi)) return false;
  if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
  if (trend !== 'none' && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
  return true;
}

/** Initial states as ets' initstate for a non-seasonal model. */
function startStates(y: Float64Array, trend: TrendKind): { l0: number; b0: number } {
  const k = Math.min(10, y.length);
  if (trend === 'none') {
    let s = 0;
    for (let t = 0; t < k; t++) s += y[t]!;
    return { l0: s / k, b0: 0 };
  }
  if (k === 1) return { l0: y[0]!, b0: 0 };
  let mx = 0;
  let my = 0;
  for (let t = 0; t < k; t++) {
    mx += t + 1;
    my += y[t]!;
  }
  mx /= k;
  my /= k;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < k; t++) {
    sxy += (t + 1 - mx) * (y[t]! - my);
    sxx += (t + 1 - mx) ** 2;
  }
  let b0 = sxy / sxx;
  let l0 = my - b0 * mx;
  if (Math.abs(l0 + b0) < 1e-8) {
    l0 *= 1 + 1e-3;
    b0 *= 1 - 1e-3;
  }
  return { l0, b0 };
}

/** Fits ETS(A,N,N), ETS(A,A,N) or ETS(A,Ad,N) by MSE on a checked, non-empty series. */
export function fitSmoothing(y: Float64Array, trend: TrendKind): SmoothingFit {
  const n = y.length;
  const alpha0 = LOWER.alpha + 0.2 * (UPPER.alpha - LOWER.alpha);
  const beta0 = LOWER.beta + 0.1 * (Math.min(UPPER.beta, alpha0) - LOWER.beta);
  const phi0 = LOWER.phi + 0.99 * (UPPER.phi - LOWER.phi);
  const { l0, b0 } = startStates(y, trend);
  // Parameter vector in ets' order: alpha, [beta], [phi], l0, [b0].
  const start = trend === 'none' ? [alpha0, l0] : trend === 'additive' ? [alpha0, beta0, l0, b0] : [alpha0, beta0, phi0, l0, b0];
  const unpack = (p: Float64Array) =>
    trend === 'none'
      ? { alpha: p[0]!, beta: 0, phi: 1, l0: p[1]!, b0: 0 }
      : trend === 'additive'
        ? { alpha: p[0]!, beta: p[1]!, phi: 1, l0: p[2]!, b0: p[3]! }
        : { alpha: p[0]!, beta: p[1]!, phi: p[2]!, l0: p[3]!, b0: p[4]! };
  const objective = (p: Float64Array): number => {
    const q = unpack(p);
    if (!admissible(trend, q.alpha, q.beta, q.phi)) return Infinity;
    const mse = mseOf(y, q.alpha, q.beta, q.phi, q.l0, q.b0);
    return Number.isNaN(mse) ? Infinity : mse;
  };
  const best = nelderMead(objective, start, { relativeTolerance: Math.sqrt(Number.EPSILON), maxEvaluations: 2000 });
  const q = unpack(best.x);
  const fitted = new Float64Array(n);
  const run = runFilter(y, q.alpha, q.beta, q.phi, q.l0, q.b0, fitted);
  const estimated = start.length;
  const p = estimated;
  return {
    trend,
    ...q,
    level: run.level,
    slope: run.slope,
    fitted,
    mse: run.mse,
    sigma2: n > p ? (run.mse * n) / (n - p) : NaN,
    estimated,
    evaluations: best.evaluations,
    converged: best.converged,
  };
}

/** Point forecasts and class-1 normal intervals of a fitted smoothing model. */
export function smoothingForecast(name: string, fit: SmoothingFit, h: number, levels: readonly number[] | undefined): MethodForecast {
  checkHorizon(name, h);
  const lv = checkLevels(name, levels);
  const mean = new Float64Array(h);
  const se = new Float64Array(h);
  let damp = 0; // φ + … + φ^k
  let phiK = 1;
  let sumC2 = 0; // Σ_{j<k} c_j²
  for (let k = 0; k < h; k++) {
    se[k] = Math.sqrt(fit.sigma2 * (1 + sumC2));
    phiK *= fit.phi;
    damp += phiK;
    mean[k] = fit.level + damp * fit.slope;
    const c = fit.alpha + fit.beta * damp;
    sumC2 += c * c;
  }
  if (lv.length > 0 && Number.isNaN(fit.sigma2)) {
    return { mean, intervals: [], notes: [`${name}: ${fit.fitted.length} values are too few to estimate the error variance of ${fit.estimated} estimated values, so no intervals`] };
  }
  return { mean, intervals: normalIntervals(mean, se, lv) };
}

/** "α = 0.123, β = …" for descriptions. */
export function describeSmoothing(fit: SmoothingFit): string {
  const parts = [`α = ${fit.alpha.toPrecision(3)}`];
  if (fit.trend !== 'none') parts.push(`β = ${fit.beta.toPrecision(3)}`);
  if (fit.trend === 'damped') parts.push(`φ = ${fit.phi.toPrecision(3)}`);
  return parts.join(', ');
}
