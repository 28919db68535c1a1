/**
 * The one contract every forecasting method stands behind, so that evaluation code can put the RNN, the
 * panel model and every statistical benchmark in one table without special-casing any of them (the
 * statsforecast idea). With y_1 … y_n the history of one series and m its seasonal period:
 *
 *   fit(y, { period: m })            → FittedMethod      (all parameters estimated from y alone)
 *   fitted.forecast(h, { levels })   → MethodForecast    (ŷ_{n+1} … ŷ_{n+h}, optional intervals)
 *
 * A level is a nominal central coverage in (0, 1), e.g. 0.95 → the 2.5 % and 97.5 % bounds. A method
 * that cannot give intervals leaves `intervals` empty; one that cannot give a level says why in `notes`.
 */

/** Bounds of one central prediction interval, one value per step ahead. */
export interface IntervalBounds {
  level: number;
  lower: Float64Array;
  upper: Float64Array;
}

export interface MethodForecast {
  /** Point forecasts, h values. */
  mean: Float64Array;
  /** Prediction intervals, one entry per requested level the method could give. */
  intervals: IntervalBounds[];
  /** Plain-language remarks (e.g. "not seasonal by the 90% ACF test: no adjustment"). */
  notes?: string[];
}

export interface FitOptions {
  /** Seasonal period m (1 = none): 24 for hourly, 7 for daily, 12 for monthly, 4 for quarterly. */
  period: number;
  /**
   * The horizon the forecasts will be asked for, for methods that train for it (direct multi-step models
   * such as the panel RNN). Statistical methods ignore it and forecast any h.
   */
  horizon?: number;
}

export interface ForecastOptions {
  /** Nominal coverages of the intervals wanted, each in (0, 1). @default [] */
  levels?: readonly number[];
}

export interface FittedMethod {
  /** Short name used in tables: 'naive', 'snaive', 'naive2', 'ses', 'holt', 'damped', 'theta', 'comb', 'ets', 'arima', … */
  readonly name: string;
  forecast(h: number, options?: ForecastOptions): MethodForecast;
  /** One-step in-sample fitted values where the method has them (aligned with y; NaN where undefined). */
  readonly fitted?: Float64Array;
  /** The chosen model in words, e.g. "ETS(M,Ad,M)" or "ARIMA(1,1,1)(0,1,1)[12]". */
  readonly description?: string;
  /**
   * The same fitted model run on to the end of a longer history y, whose first values are the ones it was
   * fitted to: its states (or residuals) are updated through the new values, nothing is re-estimated. A
   * rolling evaluation calls it between costly refits so that every forecast is still one step ahead.
   * Offered by methods whose fit is expensive (ETS, ARIMA). Throws an UnrollError when the recursion
   * breaks down on the new values.
   */
  extend?(y: ArrayLike<number>): FittedMethod;
}

export interface ForecastMethod {
  readonly name: string;
  fit(y: ArrayLike<number>, options: FitOptions): FittedMethod;
}

/** A fitted global model: one set of parameters for every series of a panel. */
export interface FittedPanel {
  readonly name: string;
  /** Forecasts of every series, in the order the series were given to fitPanel. */
  forecast(h: number, options?: ForecastOptions): MethodForecast[];
  readonly description?: string;
  /**
   * What forecasts in the model's place, when it is not the model's own kind: e.g. "the ets-arima companion
   * alone; the network's weight is 0, chosen on validation". A verdict names it beside the method's name.
   */
  readonly standIn?: string;
}

/**
 * A method fitted on a whole panel at once (a global model such as the ES-RNN): it learns from every series
 * and forecasts each. Per-series methods (ForecastMethod) stand in the same benchmark table through
 * src/forecast/panel-benchmark.ts, which fits them series by series.
 */
export interface PanelMethod {
  readonly name: string;
  fitPanel(series: readonly ArrayLike<number>[], options: FitOptions): FittedPanel;
}
