/**
 * The options of the method contract (types.ts) through the one options checker (util/options.ts):
 *
 *   method.fit(y, { period, horizon })         unknown keys and wrong types refused by name
 *   fitted.forecast(h, { levels })             the same, on every fitted model (and on extend()'s)
 *   method.fitPanel(series, { period, … })     as fit, for a panel method (its fitted panel's forecast too)
 *
 * Every exported method is wrapped once where it is defined, so a typo such as `{ perod: 12 }` or
 * `{ level: [0.9] }` is an UnrollError naming the key and the known keys instead of a silent default.
 * Ranges (a period ≥ 1, levels in (0, 1)) stay with checkPeriod / checkLevels in common.ts.
 */
import { checkOptions, is, type Rule } from '../../util/options.js';
import type { FittedMethod, FittedPanel, ForecastMethod, ForecastOptions, MethodForecast, PanelMethod } from './types.js';

/** The keys of FitOptions. */
export const METHOD_FIT_RULES = { period: is.number, horizon: is.positiveInt };
/** The keys of ForecastOptions (a wrong type says what levels look like, as checkLevels does for their values). */
export const METHOD_FORECAST_RULES = { levels: ((v) => (Array.isArray(v) ? null : 'an array of coverages in (0, 1), e.g. [0.8, 0.95]')) as Rule };

/** Checks the options of a method's fit. */
export function checkMethodFit(name: string, options: unknown): void {
  checkOptions(options, METHOD_FIT_RULES, { where: `${name}.fit` }, false);
}

/** Checks the options of a fitted method's forecast. */
export function checkMethodForecast(name: string, options: unknown): void {
  checkOptions(options, METHOD_FORECAST_RULES, { where: `${name} forecast` });
}

/**
 * The fitted model, of one series or of a panel (FittedPanel), with its forecast (and extend) checking
 * their options; its other members are the model's.
 */
export function checkedFitted<F extends FittedMethod | FittedPanel>(fitted: F): F {
  const out = Object.create(fitted) as { forecast: (h: number, options?: ForecastOptions) => MethodForecast | MethodForecast[]; extend?: FittedMethod['extend'] };
  out.forecast = (h, options) => {
    checkMethodForecast(fitted.name, options);
    return fitted.forecast(h, options);
  };
  const extend = (fitted as Partial<FittedMethod>).extend;
  if (typeof extend === 'function') out.extend = (y) => checkedFitted(extend.call(fitted, y));
  return out as F;
}

/**
 * The method with its fit (and its fitted models' forecast) checking their options; a panel method's
 * fitPanel too.
 */
export function checkedMethod<M extends ForecastMethod>(method: M): M {
  const out = Object.create(method) as M & { fit: ForecastMethod['fit']; fitPanel?: PanelMethod['fitPanel'] };
  out.fit = (y, options) => {
    checkMethodFit(method.name, options);
    return checkedFitted(method.fit(y, options));
  };
  const fitPanel = (method as Partial<PanelMethod>).fitPanel;
  if (typeof fitPanel === 'function') {
    out.fitPanel = (series, options) => {
      checkMethodFit(method.name, options);
      return checkedFitted(fitPanel.call(method, series, options));
    };
  }
  return out;
}
