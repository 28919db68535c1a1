/**
 * The registry of forecasting methods behind the one contract (types.ts), by the short names used in
 * tables and on the command line, and the list of M4's statistical benchmarks in M4's order.
 */
import { UnrollError, describe } from '../../util/errors.js';
import type { ForecastMethod } from './types.js';
import { naive } from './naive.js';
import { seasonalNaive } from './seasonal-naive.js';
import { naive2 } from './naive2.js';
import { ets } from './ets.js';
import { arima } from './arima.js';
import { ses } from './ses.js';
import { holt, damped } from './holt.js';
import { theta } from './theta.js';
import { comb } from './comb.js';

export type { ForecastMethod, FittedMethod, FitOptions, ForecastOptions, MethodForecast, IntervalBounds, PanelMethod, FittedPanel } from './types.js';
export { naive, fitNaive } from './naive.js';
export { seasonalNaive } from './seasonal-naive.js';
export { naive2 } from './naive2.js';
export { ses, fitSes } from './ses.js';
export { holt, damped } from './holt.js';
export { theta, fitThetaClassic } from './theta.js';
export { comb } from './comb.js';
export { fitSmoothing, type SmoothingFit, type TrendKind } from './exponential-smoothing.js';
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from './nelder-mead.js';
export { seasonalityTest, multiplicativeDecomposition, seasonalAdjustment, autocorrelations } from './seasonality.js';
export type { SeasonalityTestResult, Decomposition, SeasonalAdjustment } from './seasonality.js';
export { normalQuantile } from './common.js';
export { ets, etsMethod, autoEts, etsDescription, type EtsOptions, type EtsSpec, type EtsModel } from './ets.js';
export { arima, arimaMethod, autoArima, arimaDescription, type ArimaOptions, type ArimaOrder, type ArimaModel } from './arima.js';

/** M4's statistical benchmarks, in the order of the competition's code. */
export const M4_BENCHMARKS: readonly ForecastMethod[] = [naive, seasonalNaive, naive2, ses, holt, damped, theta, comb];

const REGISTRY = new Map<string, ForecastMethod>([...M4_BENCHMARKS, ets, arima].map((m) => [m.name, m]));

/** The names methodByName knows. */
export function methodNames(): string[] {
  return [...REGISTRY.keys()];
}

/** The method registered under `name` ('naive', 'snaive', 'naive2', 'ses', 'holt', 'damped', 'theta', 'comb', …). */
export function methodByName(name: string): ForecastMethod {
  const m = REGISTRY.get(name);
  if (!m) throw new UnrollError(`forecasting method ${describe(name)} is unknown; expected one of ${methodNames().join(', ')}`, 'option');
  return m;
}

