/**
 * Builds the HTML report's data from a trained forecaster, its evaluation and its forecast.
 */
import type { SeriesEvaluation } from '../forecast/evaluation.js';
import type { ForecastPoint, Forecaster, ForecastData } from '../forecast/forecaster.js';
import type { MetricRow, ReportData } from '../report/types.js';

export interface ReportInputs {
  title: string;
  description: string;
  source: string;
  modelName: string;
  forecaster: Forecaster;
  data: ForecastData;
  evaluation: SeriesEvaluation;
  future: ForecastPoint[];
  futureDates: string[];
  details: { label: string; value: string }[];
  /** Only this many of the latest history rows are drawn (all by default). */
  historyRows?: number;
}

export function buildReportData(r: ReportInputs): ReportData {
  const series = r.forecaster.seriesValues(r.data).find((s) => s.id === r.evaluation.id)!;
  const from = r.historyRows ? Math.max(0, series.dates.length - r.historyRows) : 0;
  const dates = series.dates.slice(from);
  const values = Array.from(series.values.subarray(from));
  const ev = r.evaluation;
  const metrics: MetricRow[] = ev.methods.map((m) => ({
    name: m.role === 'model' ? r.modelName : m.name,
    role: m.role,
    mae: m.metrics.mae,
    rmse: m.metrics.rmse,
    mape: m.metrics.mape ?? NaN,
    smape: m.metrics.smape,
    mase: m.metrics.mase ?? NaN,
    directionalAccuracy: m.metrics.directionalAccuracy ?? NaN,
  }));
  const epochs = r.forecaster.epochs;
  const hasVal = epochs.length > 0 && epochs.every((e) => e.valLoss !== undefined);
  const norms = r.forecaster.gradientByStep(r.data);
  const level = r.forecaster.options.intervalLevel;
  return {
    title: r.title,
    description: r.description,
    details: r.details,
    modelName: r.modelName,
    price: {
      name: `${series.id === 'series' ? r.forecaster.options.target ?? 'close' : series.id}`,
      dates,
      values,
      testSpan: { start: ev.dates[0], end: ev.dates[ev.dates.length - 1] },
      modelTest: { dates: ev.dates, values: Array.from(ev.methods[0].predicted) },
      future: r.future.length > 0 && r.future.every((p) => Number.isFinite(p.lower) && Number.isFinite(p.upper)) ? {
        dates: r.futureDates,
        values: r.future.map((p) => p.value),
        lower: r.future.map((p) => p.lower),
        upper: r.future.map((p) => p.upper),
        level,
      } : undefined,
      baselines: ev.methods.filter((m) => m.role !== 'model').map((m) => ({ name: m.name, dates: ev.dates, values: Array.from(m.predicted) })),
    },
    loss: {
      train: epochs.map((e) => e.loss),
      validation: hasVal ? epochs.map((e) => e.valLoss!) : undefined,
      name: 'MSE (scaled)',
    },
    metrics,
    gradients: {
      quantity: '‖∂prediction/∂x_t‖ (mean over the last 50 windows)',
      series: [{ name: r.modelName, norms }],
    },
  };
}
