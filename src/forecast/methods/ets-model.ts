/**
 * The ETS model family and its parameter space (Hyndman, Koehler, Ord & Snyder, "Forecasting with
 * Exponential Smoothing", Springer 2008): the names ETS(E,T,S), the candidates R's `forecast::ets` searches,
 * R's "both" bounds and the admissible region of HKOS §10.
 *
 * A model ETS(E,T,S) has error E ∈ {A, M}, trend T ∈ {N, A, Ad} and season S ∈ {N, A, M}; its smoothing
 * parameters are α (level), β (growth), γ (season) and φ (damping; 1 without).
 *
 * Bounds ("usual" and "both" in R): 1e-4 ≤ α ≤ 0.9999, 1e-4 ≤ β ≤ α, 1e-4 ≤ γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98.
 *
 * Admissible ("admissible" in R, HKOS §10.2): without season, 1 − 1/φ < α < 1 + 1/φ and
 * α(φ − 1) < β < (1 + φ)(2 − α); with a season of period m, max(1 − 1/φ − α, 0) < γ < 1 + 1/φ − α,
 * α > 1 − 1/φ − γ(1 − m + φ + φm)/(2φm), β > −(1 − φ)(γ/m + α), and every root of the characteristic
 * polynomial
 *   φ(1 − α − γ) + (α + β − αφ + γ − 1) z + (α + β − αφ)(z² + … + z^{m−1}) + (α + β − φ) z^m + z^{m+1}
 * in the unit disc (checked by the Schur–Cohn recursion, schur-cohn.ts, instead of computing the roots).
 */
import { UnrollError } from '../../util/errors.js';
import { SchurCohn } from './schur-cohn.js';

export type EtsError = 'A' | 'M';
export type EtsTrend = 'N' | 'A' | 'Ad';
export type EtsSeason = 'N' | 'A' | 'M';

export interface EtsSpec {
  error: EtsError;
  trend: EtsTrend;
  season: EtsSeason;
}

export interface EtsOptions {
  /** Only these models are searched (e.g. [{ error: 'A', trend: 'N', season: 'N' }]). @default every model R searches */
  models?: readonly EtsSpec[];
  /** Nelder–Mead evaluation budget per model (R's `maxit`). @default 2000 */
  maxEvaluations?: number;
}

/** A fitted ETS model: everything needed to forecast and to compare with R. */
export interface EtsModel {
  spec: EtsSpec;
  period: number;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** Initial states x_0 = (ℓ_0, b_0?, s_0, s_{−1}, …, s_{1−m}). */
  initialStates: Float64Array;
  /** Final states x_n, same layout. */
  finalStates: Float64Array;
  /** −2 log L up to a constant, as R's `ets` reports it (its `-2 * loglik`). */
  lik: number;
  aic: number;
  aicc: number;
  bic: number;
  sigma2: number;
  /** Residuals ε_t (relative errors when E = M). */
  residuals: Float64Array;
  /** One-step fitted values μ_t. */
  fitted: Float64Array;
  /** Number of parameters and initial states estimated. */
  parameterCount: number;
  converged: boolean;
  /**
   * Fitted by least squares, as R fits a series too short for its likelihood search (ets-small.ts): β and γ are
   * then the Holt–Winters smoothing parameters (the ETS β is α·β), lik and the criteria are NaN.
   */
  leastSquares?: boolean;
}


/** Smoothing parameters (β = 0 without trend, γ = 0 without season, φ = 1 without damping). */
export interface Params { alpha: number; beta: number; gamma: number; phi: number }

export const LOWER = { alpha: 1e-4, beta: 1e-4, gamma: 1e-4, phi: 0.8 };
export const UPPER = { alpha: 0.9999, beta: 0.9999, gamma: 0.9999, phi: 0.98 };

/** "ETS(M,Ad,M)". */
export function etsDescription(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

/** Parses "MAdM", "ANN", "MAM" (3 or 4 letters: error, trend with optional d, season). */
export function parseEtsSpec(text: string): EtsSpec {
  const m = /^([AM])(N|A|Ad)([NAM])$/.exec(text);
  if (!m) throw new UnrollError(`ETS model "${text}" is not one of ANN, AAN, AAdN, ANA, AAA, AAdA, MNN, …, MAdM`, 'option');
  return { error: m[1] as EtsError, trend: m[2] as EtsTrend, season: m[3] as EtsSeason };
}

/** The models R's `ets(y)` searches for a series with this period and positivity. */
export function etsCandidates(period: number, positive: boolean, n: number): EtsSpec[] {
  const seasons: EtsSeason[] = period > 1 && period <= 24 && n > period ? ['N', 'A', 'M'] : ['N'];
  const out: EtsSpec[] = [];
  for (const error of ['A', 'M'] as EtsError[]) {
    for (const trend of ['N', 'A', 'Ad'] as EtsTrend[]) {
      for (const season of seasons) {
        if (!positive && (error === 'M' || season === 'M')) continue;
        if (error === 'A' && season === 'M') continue;
        out.push({ error, trend, season });
      }
    }
  }
  return out;
}


/** R's `admissible()`: the parameters give a forecastable (stable) model. */
export function admissible(p: Params, spec: EtsSpec, m: number): boolean {
  return admissibleWith(p, spec, m, new SchurCohn(m + 2));
}

/** admissible() with the Schur–Cohn work space given (capacity ≥ m + 2), so that it allocates nothing. */
export function admissibleWith(p: Params, spec: EtsSpec, m: number, roots: SchurCohn): boolean {
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const alpha = p.alpha;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (spec.season === 'N') {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (spec.trend !== 'N') {
      if (p.beta < alpha * (phi - 1) || p.beta > (1 + phi) * (2 - alpha)) return false;
    }
    return true;
  }
  const beta = spec.trend !== 'N' ? p.beta : 0;
  const gamma = p.gamma;
  if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  // The characteristic polynomial φ(1 − α − γ) + (α + β − αφ + γ − 1) z + (α + β − αφ)(z² + … + z^{m−1}) + (α + β − φ) z^m + z^{m+1}.
  const c = roots.coef;
  c[0] = phi * (1 - alpha - gamma);
  c[1] = alpha + beta - alpha * phi + gamma - 1;
  for (let i = 0; i < m - 2; i++) c[2 + i] = alpha + beta - alpha * phi;
  c[m] = alpha + beta - phi;
  c[m + 1] = 1;
  return roots.inUnitDisc(m + 2);
}

export function withinBounds(p: Params, spec: EtsSpec): boolean {
  if (p.alpha < LOWER.alpha || p.alpha > UPPER.alpha) return false;
  if (spec.trend !== 'N' && (p.beta < LOWER.beta || p.beta > Math.min(p.alpha, UPPER.beta))) return false;
  if (spec.season !== 'N' && (p.gamma < LOWER.gamma || p.gamma > Math.min(1 - p.alpha, UPPER.gamma))) return false;
  if (spec.trend === 'Ad' && (p.phi < LOWER.phi || p.phi > UPPER.phi)) return false;
  return true;
}

