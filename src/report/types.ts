/**
 * The data of one forecast report (see docs/report.md). The CLI fills it from a trained forecaster
 * and its backtest; `renderReport` turns it into one self-contained HTML file.
 *
 * Conventions:
 * - Dates are ISO calendar dates, `YYYY-MM-DD`, or date-times, `YYYY-MM-DD HH:MM[:SS]` (hourly data),
 *   strictly ascending within each series. They are read as UTC, so the chart shows the same day and
 *   hour whatever the viewer's time zone.
 * - Values are in the units of the price (after the inverse scaling), finite numbers.
 * - Every piece of text (title, series names, details) is plain text: it is escaped, never
 *   interpreted as HTML.
 */
export interface ReportData {
  /** The report's heading, e.g. "unroll: S&P 500 daily close, LSTM forecast". */
  title: string;
  /** One or two plain sentences under the title (optional), e.g. what was trained on what. */
  description?: string;
  /** Settings shown as a small label/value list: model, lookback, epochs, seed, data file… */
  details?: ReportDetail[];
  /** The model's name as shown in legends and the metrics table, e.g. "LSTM (64 units)". */
  modelName: string;
  /**
   * The words for one time step of the data, from its frequency, e.g. { one: 'month', many: 'months',
   * ahead: 'one-month-ahead' }. Optional: without it the report says "step".
   */
  step?: { one: string; many: string; ahead: string };
  /** The price history, the test span, and every forecast drawn over it. */
  price: PriceSection;
  /** Training (and validation) loss by epoch. */
  loss: LossSection;
  /** The metrics table: exactly one row with role 'model' and one with role 'naive'. */
  metrics: MetricRow[];
  /**
   * The verdict against the best benchmark (forecast/verdict.ts): its tone colours the headline box
   * (win green, tie neutral, loss red) and its first line is the headline. Optional: without it the
   * headline compares the model with naive on MASE.
   */
  verdict?: ReportVerdict;
  /**
   * The gradient norm per time step over the lookback window, for the trained model (the seeds'
   * vanishing-gradient picture). Optional: when absent the report says it was not computed.
   */
  gradients?: GradientSection;
}

/** One "label: value" line in the report's settings list. */
export interface ReportDetail {
  label: string;
  value: string;
}

/** A named series on calendar dates. `dates` and `values` have the same length. */
export interface DatedSeries {
  name: string;
  dates: string[];
  values: number[];
}

export interface PriceSection {
  /** What the price is, e.g. "S&P 500 close (USD)"; used as the history's legend label and y-axis label. */
  name: string;
  /** The observed history (train, validation and test spans together). */
  dates: string[];
  values: number[];
  /** The test span, first and last date inclusive; both must be dates of the history. It is shaded. */
  testSpan: { start: string; end: string };
  /** The model's forecasts over the test span (usually one step ahead, walk-forward). */
  modelTest: { dates: string[]; values: number[] };
  /** The model's forecast past the end of the history, with its prediction interval. Optional. */
  future?: FutureForecast;
  /** The baselines' forecasts on the same test span: naive, drift, moving average, seasonal naive… */
  baselines: DatedSeries[];
}

/** A forecast beyond the history, with a prediction interval: lower[i] <= values[i] <= upper[i]. */
export interface FutureForecast {
  /** Dates after the last history date. */
  dates: string[];
  values: number[];
  lower: number[];
  upper: number[];
  /** The interval's nominal coverage in (0, 1), e.g. 0.9 for a 90% interval. */
  level: number;
}

export interface LossSection {
  /** Mean training loss of each epoch; epoch k (1-based) is train[k - 1]. */
  train: number[];
  /** Mean validation loss of each epoch (same length as train), when a validation span was used. */
  validation?: number[];
  /** The loss's name, e.g. "MSE (scaled)". @default "loss" */
  name?: string;
}

/** Who a metrics row belongs to. The report compares the 'model' row with the 'naive' row. */
export type MetricRole = 'model' | 'naive' | 'baseline';

/**
 * One row of the metrics table, all measured on the same test span. A metric that is undefined
 * (e.g. MAPE when a price is 0) may be NaN; it is shown as "n/a".
 */
export interface MetricRow {
  name: string;
  role: MetricRole;
  /** Mean absolute error, in the units of the series. */
  mae: number;
  /** Root mean squared error, in the units of the series. */
  rmse: number;
  /** Mean absolute percentage error, in percent (2.5 means 2.5%). */
  mape: number;
  /** Symmetric MAPE, in percent (0..200). */
  smape: number;
  /** Mean absolute scaled error (MAE over the in-sample naive MAE); below 1 beats in-sample naive. */
  mase: number;
  /** Share of steps whose predicted direction of move matches the actual one, as a fraction 0..1. */
  directionalAccuracy: number;
}

export interface GradientSection {
  /** What is measured, e.g. "‖∂L/∂h_t‖" or "‖∂L/∂x_t‖". */
  quantity: string;
  /**
   * One or more curves (e.g. "epoch 1" and "final epoch"), each with T norms: norms[i] belongs to
   * time step t = i - (T - 1), so the last entry is t = 0, the most recent input. Norms are >= 0;
   * a 0 cannot be drawn on the log axis and is left as a gap.
   */
  series: { name: string; norms: number[] }[];
}

/** The verdict shown in the report's headline box. */
export interface ReportVerdict {
  tone: 'win' | 'tie' | 'loss';
  /** The headline first, then the other lines of the verdict (plain text). */
  lines: string[];
}
