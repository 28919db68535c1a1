/**
 * The options of the method contract (types.ts) through the one options checker (util/options.ts):
 *
 *   method.fit(y, { period, horizon })         unknown keys and wrong types refused by name
 *   fitted.forecast(h, { levels })             the same, on every fitted model (and on extend()'s)
 *
 * Every exported method is wrapped once where it is defined, so a typo such as `{ perod: 12 }` or
 * `{ level: [0.9] }` is an UnrollError naming the key and the known keys instead of a silent default.
 * Ranges (a period ≥ 1, levels in (0, 1)) stay with checkPeriod / checkLevels in common.ts.
 */
import { checkOptions, is, type Rule } from '../../util/options.js';
import type { FittedMethod, FittedPanel, ForecastMethod, PanelMethod } from './types.js';

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

/** The fitted model with its forecast (and extend) checking their options; its other members are the model's. */
export function checkedFitted<F extends FittedMethod>(fitted: F): F {
  const out = Object.create(fitted) as F & { forecast: FittedMethod['forecast']; extend?: FittedMethod['extend'] };
  out.forecast = (h, options) => {
    checkMethodForecast(fitted.name, options);
    return fitted.forecast(h, options);
  };
  if (typeof fitted.extend === 'function') out.extend = (y) => checkedFitted(fitted.extend!(y));
  return out;
}

/** The method with its fit (and its fitted models' forecast) checking their options. */
export function checkedMethod<M extends ForecastMethod>(method: M): M {
  const out = Object.create(method) as M & { fit: ForecastMethod['fit'] };
  out.fit = (y, options) => {
    checkMethodFit(method.name, options);
    return checkedFitted(method.fit(y, options));
  };
  return out;
}

/** The panel method's fitPanel (and its forecasts) checking their options, as checkedMethod. */
export function checkedPanelMethod<M extends PanelMethod & ForecastMethod>(method: M): M {
  const out = checkedMethod(method) as M & { fitPanel: PanelMethod['fitPanel'] };
  out.fitPanel = (series, options) => {
    checkMethodFit(method.name, options);
    const fitted = method.fitPanel(series, options);
    const panel = Object.create(fitted) as FittedPanel & { forecast: FittedPanel['forecast'] };
    panel.forecast = (h, o) => {
      checkMethodForecast(method.name, o);
      return fitted.forecast(h, o);
    };
    return panel;
  };
  return out;
}
