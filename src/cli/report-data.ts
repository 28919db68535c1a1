/**
 * Builds the HTML report's data from a trained forecaster, its evaluation and its forecast.
 */
import type { SeriesEvaluation } from '../forecast/evaluation.js';
import type { ForecastPoint, Forecaster, ForecastData } from '../forecast/forecaster.js';
import type { MetricRow, ReportData } from '../report/types.js';
import { aheadWord, stepWord, type Frequency } from '../data/frequency.js';
import { parseDate } from '../data/dates.js';

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
  /** Only this many of the latest history rows are drawn (all by default); the report then says so. */
  historyRows?: number;
  /** The series' name in legends and on the y axis (its column, e.g. "passengers"). */
  seriesName?: string;
  /** The data's frequency, for the words of the charts ("the last 34 months"). */
  frequency?: Frequency | null;
}

/**
 * The report draws calendar time. ISO dates pass through; ISO date-times (hourly and other sub-daily
 * data, any offset) become UTC `YYYY-MM-DD HH:MM:SS`, placed at their real times. Time labels that are
 * decimal years (as in R's ts data sets, e.g. EuStockMarkets) become the calendar day they fall on; any
 * other labels (row numbers) become consecutive days from 2000-01-01, and the report says so.
 */
export function toCalendarDates(labels: readonly string[]): { dates: string[]; note: string | null } {
  if (labels.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))) return { dates: [...labels], note: null };
  if (labels.some((d) => /^\d{4}-\d{2}-\d{2}[T ]\d/.test(d.trim()))) {
    const parsed = labels.map((d) => parseDate(d));
    if (parsed.every((p) => p !== null && p.kind === 'iso')) {
      // Whole seconds (the report's axis has no finer step); the label of each row is its UTC time.
      return { dates: parsed.map((p) => new Date(Math.floor(p!.key / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ')), note: null };
    }
  }
  // Months written YYYY-MM are drawn on their first day.
  if (labels.every((d) => /^\d{4}-\d{2}(-\d{2})?$/.test(d))) return { dates: labels.map((d) => (d.length === 7 ? `${d}-01` : d)), note: null };
  const nums = labels.map(Number);
  const day = 86400000;
  if (nums.every((v) => Number.isFinite(v) && v > 1800 && v < 2200)) {
    const out: string[] = [];
    let last = -Infinity;
    for (const v of nums) {
      const year = Math.floor(v);
      const start = Date.UTC(year, 0, 1);
      let t = start + Math.floor((v - year) * (Date.UTC(year + 1, 0, 1) - start) / day) * day;
      if (t <= last) t = last + day; // keep the axis strictly increasing
      last = t;
      out.push(new Date(t).toISOString().slice(0, 10));
    }
    return { dates: out, note: 'The time column holds decimal years; the charts place each row on the calendar day it falls on.' };
  }
  return {
    dates: labels.map((_, i) => new Date(Date.UTC(2000, 0, 1) + i * day).toISOString().slice(0, 10)),
    note: 'The data has no calendar dates; the charts draw row i as day i after 2000-01-01.',
  };
}

export function buildReportData(r: ReportInputs): ReportData {
  const series = r.forecaster.seriesValues(r.data).find((s) => s.id === r.evaluation.id)!;
  // One mapping for history, test span and future, so every chart shares the same time axis.
  const all = toCalendarDates([...series.dates, ...r.futureDates]);
  const toDate = new Map([...series.dates, ...r.futureDates].map((d, i) => [d, all.dates[i]]));
  const cal = (d: string): string => toDate.get(d) ?? d;
  const from = r.historyRows ? Math.max(0, series.dates.length - r.historyRows) : 0;
  const dates = series.dates.slice(from).map(cal);
  const cut = from > 0 ? ` The charts show the last ${series.dates.length - from} of ${series.dates.length} rows (from ${series.dates[from]}).` : '';
  const freq = r.frequency ?? null;
  // An interval that does not contain its own forecast cannot be drawn honestly: leave the future
  // out of the charts and say why, rather than fail the whole report.
  const bad = r.future.findIndex((p) => !(p.lower !== null && p.upper !== null && Number.isFinite(p.lower) && Number.isFinite(p.upper) && p.lower <= p.value && p.value <= p.upper));
  const drawable = r.future.length > 0 && bad < 0;
  const badPoint = bad >= 0 ? r.future[bad] : null;
  const futureNote = !badPoint ? ''
    : badPoint.lower === null || badPoint.upper === null ? ` The forecast past the end is not drawn: at step ${bad + 1} it has no interval (${badPoint.note ?? 'too few calibration errors'}).`
      : ` The forecast past the end is not drawn: at step ${bad + 1} its interval (${badPoint.lower.toPrecision(4)} … ${badPoint.upper.toPrecision(4)}) does not contain the forecast (${badPoint.value.toPrecision(4)}).`;
  const values = Array.from(series.values.subarray(from));
  const ev = r.evaluation;
  const metrics: MetricRow[] = ev.methods.map((m) => ({
    name: m.role === 'model' ? r.modelName : m.label,
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
    description: `${r.description}${all.note ? ` ${all.note}` : ''}${cut}${futureNote}`,
    step: { one: stepWord(freq, 1), many: stepWord(freq, 2), ahead: aheadWord(freq) },
    details: r.details,
    modelName: r.modelName,
    price: {
      name: r.seriesName ?? (series.id === 'series' ? r.forecaster.options.target ?? 'value' : series.id),
      dates,
      values,
      testSpan: { start: cal(ev.dates[0]), end: cal(ev.dates[ev.dates.length - 1]) },
      modelTest: { dates: ev.dates.map(cal), values: Array.from(ev.methods[0].predicted) },
      future: drawable ? {
        dates: r.futureDates.map(cal),
        values: r.future.map((p) => p.value),
        lower: r.future.map((p) => p.lower as number),
        upper: r.future.map((p) => p.upper as number),
        level,
      } : undefined,
      baselines: ev.methods.filter((m) => m.role !== 'model').map((m) => ({ name: m.label, dates: ev.dates.map(cal), values: Array.from(m.predicted) })),
    },
    loss: {
      train: epochs.map((e) => e.loss),
      validation: hasVal ? epochs.map((e) => e.valLoss!) : undefined,
      name: 'MSE (scaled)',
    },
    metrics,
    verdict: { tone: ev.tone, lines: ev.lines },
    gradients: {
      quantity: '‖∂prediction/∂x_t‖ (mean over the last 50 windows)',
      series: [{ name: r.modelName, norms }],
    },
  };
}
