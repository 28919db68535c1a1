/**
 * Automatic exponential smoothing: the ETS state-space models of Hyndman, Koehler, Ord & Snyder,
 * "Forecasting with Exponential Smoothing" (Springer, 2008), fitted by maximum likelihood and chosen by
 * AICc, as R's `forecast::ets` does with its defaults. Written from the published equations; the tests pin
 * it to values R computed (src/forecast/methods/fixtures/).
 *
 * The pieces: the model family, its bounds and admissible region (ets-model.ts); the recursions and the
 * likelihood −2 log L + const = n log Σ ε_t² + 2 Σ log |μ_t| (ets-filter.ts); the starting values
 * (ets-init.ts); forecasts and their variances (ets-forecast.ts). This file fits one model and chooses by
 *
 *   AICc = −2 log L + 2k + 2k(k + 1) / (n − k − 1),   k = free parameters + initial states + 1 (σ²)
 *
 * Parameters are estimated by Nelder–Mead (nelder-mead.ts) from R's starting values, inside R's "both"
 * bounds: 1e-4 ≤ α ≤ 0.9999, 1e-4 ≤ β ≤ α, 1e-4 ≤ γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98, plus the admissible
 * region of HKOS §10 (checked with the Schur–Cohn test instead of polynomial roots). The initial states are
 * estimated too: ℓ_0, b_0 and m − 1 seasonal states (the last follows from Σ s = 0, or Σ s = m when S = M).
 * They start where R's `initstate` starts: a classical decomposition of the series (a regression on one
 * Fourier pair when it spans fewer than three seasons) and a straight line through the first max(10, 2m)
 * seasonally adjusted values.
 *
 * The search, as R's default: every model with E ∈ {A, M}, T ∈ {N, A, Ad}, S ∈ {N, A, M}, except additive
 * error with multiplicative season (numerically unstable), multiplicative error or season only for positive
 * data, seasonal models only for 1 < m ≤ 24 and n > m, and no model with n ≤ (its R parameter count) + 4.
 * Multiplicative trends are not searched (R leaves them out by default too).
 *
 * Short series, as R: a constant series (a single value too) gets the constant model below; otherwise, when
 * n ≤ npars + 4 with R's npars of the model asked for (2 for the automatic search, so n ≤ 6; for one given
 * model its own count), R fits Holt–Winters by least squares instead: ets-small.ts.
 *
 * Prediction intervals (HKOS ch. 6): σ² = Σ ε_t² / (n − k′) with k′ the parameters and initial states;
 * Var(y_{n+h}) exactly for the linear models (class 1) and the multiplicative-error ones without
 * multiplicative season (class 2), and by the second-order approximation of HKOS §6.5 for M,·,M (class 3).
 * Bounds are ŷ ± z·√Var (Gaussian).
 */
import { UnrollError } from '../../util/errors.js';
import { checkOptions, is } from '../../util/options.js';
import { nelderMead } from './nelder-mead.js';
import { checkHorizon, checkLevels, checkPeriod, checkSeries, normalIntervals } from './common.js';
import { SchurCohn } from './schur-cohn.js';
import { admissibleWith, etsCandidates, etsDescription, parseEtsSpec, withinBounds, type EtsModel, type EtsOptions, type EtsSpec, type Params } from './ets-model.js';
import { runFilter } from './ets-filter.js';
import { initialParams, initialStates } from './ets-init.js';
import { etsForecastVariance, etsPointForecast } from './ets-forecast.js';
import { extendHoltWinters, rParameterCount, smallSampleAuto, smallSampleGiven } from './ets-small.js';
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions, MethodForecast } from './types.js';
import { checkedMethod } from './checked.js';

export { admissible, etsCandidates, etsDescription, parseEtsSpec, type EtsError, type EtsModel, type EtsOptions, type EtsSeason, type EtsSpec, type EtsTrend } from './ets-model.js';
export { etsForecastVariance, etsPointForecast } from './ets-forecast.js';

/** Reads the smoothing parameters of spec from v into p; returns where the initial states start in v. */
function unpack(v: Float64Array, spec: EtsSpec, p: Params): number {
  let i = 0;
  p.alpha = v[i++];
  p.beta = spec.trend !== 'N' ? v[i++] : 0;
  p.gamma = spec.season !== 'N' ? v[i++] : 0;
  p.phi = spec.trend === 'Ad' ? v[i++] : 1;
  return i;
}

/** Full initial state vector: the free states plus the seasonal state fixed by the normalisation. */
function fullStates(v: Float64Array, from: number, spec: EtsSpec, m: number, out: Float64Array): boolean {
  const nFree = v.length - from;
  for (let i = 0; i < nFree; i++) out[i] = v[from + i];
  if (spec.season === 'N') return true;
  const so = spec.trend !== 'N' ? 2 : 1;
  let sum = 0;
  for (let i = so; i < nFree; i++) sum += out[i];
  out[nFree] = spec.season === 'A' ? -sum : m - sum;
  if (spec.season === 'M') for (let i = so; i <= nFree; i++) if (out[i] < 0) return false;
  return true;
}

/** Fits one ETS model by maximum likelihood. Returns null when no admissible fit exists. */
export function fitEtsModel(y: ArrayLike<number>, spec: EtsSpec, period: number, options: EtsOptions = {}): EtsModel | null {
  const yy = Float64Array.from(y);
  const m = spec.season === 'N' ? 1 : period;
  const seasonal = spec.season !== 'N';
  const nStates = 1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? m : 0);
  const x0 = new Float64Array(nStates);
  const work = new Float64Array(Math.max(m, 1));
  const roots = new SchurCohn(m + 2);
  const p: Params = { alpha: 0, beta: 0, gamma: 0, phi: 1 };
  const start = [...initialParams(spec, m), ...initialStates(yy, spec, m)];
  const objective = (v: Float64Array): number => {
    const next = unpack(v, spec, p);
    if (!withinBounds(p, spec) || !admissibleWith(p, spec, m, roots)) return Infinity;
    if (!fullStates(v, next, spec, m, x0)) return Infinity;
    let lik = runFilter(yy, spec, m, p, x0, work);
    if (Number.isNaN(lik)) return Infinity;
    if (lik < -1e10) lik = -1e10;
    return lik;
  };
  if (!Number.isFinite(objective(Float64Array.from(start)))) return null;
  const res = nelderMead(objective, start, { maxEvaluations: options.maxEvaluations ?? 2000, relativeTolerance: Math.sqrt(2.220446049250313e-16) });
  if (!Number.isFinite(res.value)) return null;
  const next = unpack(res.x, spec, p);
  fullStates(res.x, next, spec, m, x0);
  const model = etsModelFromParameters(yy, spec, period, p, x0);
  if (model) model.converged = res.converged;
  return model;
}

/**
 * The model with given smoothing parameters and initial states x_0 = (ℓ_0, b_0?, s_0 … s_{1−m}) (all m
 * seasonal states): its likelihood, residuals, final states and σ². Null when the recursion breaks down.
 */
export function etsModelFromParameters(y: ArrayLike<number>, spec: EtsSpec, period: number,
  params: { alpha: number; beta?: number; gamma?: number; phi?: number }, initialStates: ArrayLike<number>): EtsModel | null {
  const n = y.length;
  const m = spec.season === 'N' ? 1 : period;
  const seasonal = spec.season !== 'N';
  const nStates = 1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? m : 0);
  if (initialStates.length !== nStates) {
    throw new UnrollError(`ETS ${etsDescription(spec)} with period ${period} has ${nStates} initial states; got ${initialStates.length}`, 'shape');
  }
  const p: Params = { alpha: params.alpha, beta: params.beta ?? 0, gamma: params.gamma ?? 0, phi: params.phi ?? 1 };
  const x0 = Float64Array.from(initialStates);
  const residuals = new Float64Array(n);
  const fitted = new Float64Array(n);
  const xEnd = new Float64Array(nStates);
  const lik = runFilter(y instanceof Float64Array ? y : Float64Array.from(y), spec, m, p, x0, new Float64Array(Math.max(m, 1)), residuals, fitted, xEnd);
  if (!Number.isFinite(lik)) return null;
  // Estimated: the smoothing parameters and the initial states less the one the seasonal constraint fixes.
  const nPar = 1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? 1 : 0) + (spec.trend === 'Ad' ? 1 : 0) + nStates - (seasonal ? 1 : 0);
  const k = nPar + 1;
  const aic = lik + 2 * k;
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Infinity;
  const bic = lik + Math.log(n) * k;
  let sse = 0;
  for (let t = 0; t < n; t++) sse += residuals[t] * residuals[t];
  const sigma2 = sse / (n - nPar);
  return {
    spec, period: m, alpha: p.alpha, beta: spec.trend !== 'N' ? p.beta : NaN, gamma: seasonal ? p.gamma : NaN,
    phi: spec.trend === 'Ad' ? p.phi : NaN, initialStates: x0, finalStates: xEnd, lik, aic, aicc, bic,
    sigma2, residuals, fitted, parameterCount: nPar, converged: true,
  };
}


/**
 * A constant series (a single value too), as R's `ets` treats it (`ses(y, alpha = 0.99999, initial = "simple")`,
 * described as "Simple exponential smoothing"): no likelihood
 * exists (σ² = 0), so nothing is estimated; ETS(A,N,N) with α = 0.99999 and ℓ_0 = y_1 forecasts the constant
 * with bands of zero width.
 */
function constantEtsModel(y: Float64Array): EtsModel {
  const n = y.length;
  const c = y[0]!;
  return {
    spec: parseEtsSpec('ANN'), period: 1, alpha: 0.99999, beta: NaN, gamma: NaN, phi: NaN,
    initialStates: Float64Array.of(c), finalStates: Float64Array.of(c), lik: -Infinity, aic: -Infinity, aicc: -Infinity, bic: -Infinity,
    sigma2: 0, residuals: new Float64Array(n), fitted: new Float64Array(n).fill(c), parameterCount: 0, converged: true,
  };
}

/**
 * Fits every candidate model and returns the one with the smallest AICc (a constant series: constantEtsModel;
 * a series too short for the search: R's least-squares fit, ets-small.ts).
 */
export function autoEts(y: ArrayLike<number>, period: number, options: EtsOptions = {}): EtsModel {
  const x = checkSeries('ets', y, 1);
  y = x;
  checkPeriod('ets', period);
  if (options.models === undefined && x.every((v) => v === x[0])) return constantEtsModel(x);
  // R's ets(y) counts npars = 2 for its automatic model; ets(y, model = spec), spec's own.
  let positive = true;
  for (let t = 0; t < y.length; t++) if (y[t] <= 0) positive = false;
  const given = options.models?.length === 1 ? options.models[0] : undefined;
  if (options.models === undefined && x.length <= 6) return smallSampleAuto(x, period);
  // R refuses a multiplicative model for data that are not all positive, before its short-series path.
  if (given && !positive && (given.error === 'M' || given.season === 'M')) {
    throw new UnrollError(`ETS: no model could be fitted to this series (${y.length} values, period ${period}): ${etsDescription(given)} is multiplicative and needs every value > 0; ask for an additive model (e.g. ANN) or let the search choose`, 'data');
  }
  if (given && x.length <= rParameterCount(given, period) + 4) return smallSampleGiven(x, period, given);
  const candidates = options.models ?? etsCandidates(period, positive, y.length);
  let best: EtsModel | null = null;
  for (const spec of candidates) {
    if (!positive && (spec.error === 'M' || spec.season === 'M')) continue;
    if (spec.season !== 'N' && (period < 2 || y.length <= period)) continue;
    if (y.length <= rParameterCount(spec, period) + 4) continue;
    const fit = fitEtsModel(y, spec, period, options);
    if (fit && Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) best = fit;
  }
  if (!best) throw new UnrollError(`ETS: no model could be fitted to this series (${y.length} values, period ${period})`, 'data');
  return best;
}

/** Forecast with Gaussian intervals at the requested levels. */
export function etsForecast(model: EtsModel, h: number, levels: readonly number[] = []): MethodForecast {
  checkHorizon('ets', h);
  checkLevels('ets', levels);
  // With a multiplicative season the forecast mean is not the state-space point forecast: R reports the mean
  // of the §6.5 recursion (it adds σ²-order terms), and so do we.
  const needMoments = levels.length > 0 || model.spec.season === 'M';
  const moments = needMoments ? etsForecastVariance(model, h) : null;
  const mean = moments ? moments.mean : etsPointForecast(model, h);
  const se = new Float64Array(h);
  if (moments) for (let i = 0; i < h; i++) se[i] = Math.sqrt(Math.max(moments.variance[i], 0));
  const notes: string[] = [];
  if (!model.converged) notes.push('the optimiser stopped at its evaluation budget before converging');
  return { mean, intervals: normalIntervals(mean, se, levels), notes };
}

/** The automatic ETS method behind the common contract. */
export function etsMethod(options: EtsOptions = {}): ForecastMethod {
  checkOptions(options, { models: is.array, maxEvaluations: is.positiveInt }, { where: 'etsMethod' });
  // Each model parses like "MAdM", so a bad entry is named before any fitting.
  for (const spec of options.models ?? []) parseEtsSpec(`${spec?.error}${spec?.trend}${spec?.season}`);
  return checkedMethod({
    name: 'ets',
    fit(y: ArrayLike<number>, fitOptions: FitOptions): FittedMethod {
      return fittedEts(autoEts(y, fitOptions.period, options));
    },
  });
}

/** A fitted ETS model behind the contract; extend() runs its parameters and initial states over a longer y. */
export function fittedEts(model: EtsModel): FittedMethod {
  return {
    name: 'ets',
    // R names the constant model by the function that made it (ses).
    description: model.parameterCount === 0 ? 'Simple exponential smoothing' : etsDescription(model.spec),
    fitted: model.fitted,
    forecast: (h: number, o: ForecastOptions = {}) => etsForecast(model, h, o.levels ?? []),
    extend(y: ArrayLike<number>): FittedMethod {
      if (!(y?.length >= model.fitted.length)) {
        throw new UnrollError(`ETS extend: the new history has ${y?.length} values; expected at least the ${model.fitted.length} it was fitted to`, 'data');
      }
      if (model.parameterCount === 0) {
        // The constant model (constantEtsModel): over values that stay constant it is that model again (σ² = 0 has no likelihood).
        const x = Float64Array.from(y);
        if (x.every((v) => v === x[0])) return fittedEts(constantEtsModel(x));
      }
      if (model.leastSquares) return fittedEts(extendHoltWinters(model, Float64Array.from(y)));
      const { spec } = model;
      const params = { alpha: model.alpha, beta: spec.trend !== 'N' ? model.beta : 0, gamma: spec.season !== 'N' ? model.gamma : 0, phi: spec.trend === 'Ad' ? model.phi : 1 };
      const next = etsModelFromParameters(y, spec, model.period, params, model.initialStates);
      if (!next) throw new UnrollError(`ETS extend: ${etsDescription(model.spec)} breaks down on the new values (a one-step forecast is not finite or 0)`, 'data');
      next.converged = model.converged;
      return fittedEts(next);
    },
  };
}

/** Automatic ETS with R's default search. */
export const ets: ForecastMethod = etsMethod();
