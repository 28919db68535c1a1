/**
 * Turns a validated ReportData into chart specifications: plain JSON that the page's small script
 * hands to uPlot. All alignment (one shared x axis per chart, nulls where a series has no value)
 * happens here, in tested TypeScript, so the page script stays a thin adapter.
 */
import type { ReportData, DatedSeries } from './types.js';
import { isoTimeToSeconds } from './validate.js';
import { describeLossCurve } from './loss-story.js';

/** How one series is drawn. */
export type SeriesStyle = 'line' | 'bars' | 'line+points';

export interface ChartSeriesSpec {
  label: string;
  /** One entry per x value; null where the series has no value (a gap). */
  values: (number | null)[];
  color: string;
  style: SeriesStyle;
  /** Line width in CSS pixels. */
  width: number;
  /** Canvas dash pattern, e.g. [6, 4]; absent for solid lines. */
  dash?: number[];
}

export interface ChartSpec {
  id: string;
  title: string;
  /** A plain sentence under the chart saying how to read it. */
  caption: string;
  /** 'time': x values are seconds since the epoch (UTC dates); 'number': plain numbers. */
  xKind: 'time' | 'number';
  xLabel: string;
  yLabel: string;
  logY: boolean;
  x: number[];
  series: ChartSeriesSpec[];
  /** Filled bands between two series, given as indices into `series`. */
  bands: { upper: number; lower: number; fill: string }[];
  /** An x range shaded behind the data (the test span), with its legend text. */
  shade?: { from: number; to: number; fill: string; label: string };
  /** Plot height in CSS pixels; the width follows the page. */
  height: number;
}

export const COLORS = {
  history: '#3b3b3b',
  model: '#d62728',
  band: 'rgba(214, 39, 40, 0.16)',
  shade: 'rgba(31, 119, 180, 0.08)',
  train: '#1f77b4',
  validation: '#ff7f0e',
  gradient: '#6a3d9a',
  /** Baselines and extra curves, in order. */
  palette: ['#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'],
} as const;

interface Dated {
  dates: string[];
  values: number[];
}

/** Aligns dated series onto the sorted union of their dates (or date-times: hourly data keeps its hours). */
function alignOnDates(all: Dated[]): { x: number[]; columns: (number | null)[][] } {
  const seconds = new Set<number>();
  for (const s of all) for (const d of s.dates) seconds.add(isoTimeToSeconds(d));
  const x = [...seconds].sort((a, b) => a - b);
  const index = new Map(x.map((t, i) => [t, i]));
  const columns = all.map((s) => {
    const col: (number | null)[] = new Array<number | null>(x.length).fill(null);
    s.dates.forEach((d, i) => {
      col[index.get(isoTimeToSeconds(d))!] = s.values[i];
    });
    return col;
  });
  return { x, columns };
}

/** How many history points the close-up shows at most (plus the future forecast). */
export const CLOSE_UP_DAYS = 120;

/** The words for one step of the data (from its frequency; "step" when unknown). */
function stepWords(data: ReportData): { one: string; many: string; ahead: string } {
  return data.step ?? { one: 'step', many: 'steps', ahead: 'one-step-ahead' };
}

/** The full price history chart and its close-up on the test span and future forecast. */
export function priceCharts(data: ReportData): ChartSpec[] {
  const p = data.price;
  const f = p.future;
  const inputs: { dated: Dated; spec: Omit<ChartSeriesSpec, 'values'> }[] = [];
  inputs.push({ dated: p, spec: { label: p.name, color: COLORS.history, style: 'line', width: 1.5 } });
  p.baselines.forEach((b: DatedSeries, i) => {
    const color = COLORS.palette[i % COLORS.palette.length];
    inputs.push({ dated: b, spec: { label: b.name, color, style: 'line', width: 1.25, dash: [6, 4] } });
  });
  inputs.push({ dated: p.modelTest, spec: { label: `${data.modelName} (test span)`, color: COLORS.model, style: 'line', width: 2 } });
  let band: ChartSpec['bands'][number] | undefined;
  if (f) {
    const pct = `${Math.round(f.level * 1000) / 10}%`;
    const lowerIndex = inputs.length;
    inputs.push({ dated: { dates: f.dates, values: f.lower }, spec: { label: `${pct} interval, lower`, color: COLORS.model, style: 'line', width: 1, dash: [2, 3] } });
    inputs.push({ dated: { dates: f.dates, values: f.upper }, spec: { label: `${pct} interval, upper`, color: COLORS.model, style: 'line', width: 1, dash: [2, 3] } });
    inputs.push({ dated: f, spec: { label: `${data.modelName} (forecast)`, color: COLORS.model, style: 'line+points', width: 2 } });
    band = { upper: lowerIndex + 1, lower: lowerIndex, fill: COLORS.band };
  }
  const { x, columns } = alignOnDates(inputs.map((s) => s.dated));
  const series = inputs.map((s, i) => ({ ...s.spec, values: columns[i] }));
  const shade = {
    from: isoTimeToSeconds(p.testSpan.start),
    to: isoTimeToSeconds(p.testSpan.end),
    fill: COLORS.shade,
    label: `test span ${p.testSpan.start} to ${p.testSpan.end}`,
  };
  const bands = band ? [band] : [];
  const full: ChartSpec = {
    id: 'price',
    title: `${p.name}: the whole history and the forecasts`,
    caption: `All ${p.dates.length} observations, ${p.dates[0]} to ${p.dates[p.dates.length - 1]}. The shaded area is the test span (${p.testSpan.start} to ${p.testSpan.end}); the model and the baselines forecast it without seeing it.` +
      (f ? ` The red band is the model's ${Math.round(f.level * 100)}% prediction interval past the last date.` : '') +
      ' Drag across the chart to zoom, double-click to reset.',
    xKind: 'time', xLabel: 'date (UTC)', yLabel: p.name, logY: false, x, series, bands, shade, height: 360,
  };

  // Close-up: the last CLOSE_UP_DAYS history days (or from a little before the test span, if it is
  // shorter) through the end of the future forecast, so the forecast and its interval are legible.
  const testStartIndex = x.indexOf(shade.from);
  const testLength = x.filter((t) => t >= shade.from && t <= shade.to).length;
  const lastHistory = isoTimeToSeconds(p.dates[p.dates.length - 1]);
  const lastHistoryIndex = x.indexOf(lastHistory);
  const from = Math.max(0, testStartIndex - Math.max(10, Math.round(testLength / 4)), lastHistoryIndex - (CLOSE_UP_DAYS - 1));
  const shown = lastHistoryIndex - from + 1;
  const words = stepWords(data);
  const closeUp: ChartSpec = {
    ...full,
    id: 'price-closeup',
    title: `Close-up: the last ${shown} ${shown === 1 ? words.one : words.many}${f ? ' and the forecast' : ''}`,
    caption: `The same series, zoomed in on the end. Compare the model's ${words.ahead} forecasts (red) with the naive forecast, which repeats the last observed value: a model is only useful where it does better.`,
    x: x.slice(from),
    series: series.map((s) => ({ ...s, values: s.values.slice(from) })),
    height: 360,
  };
  return [full, closeUp];
}

export function lossChart(data: ReportData): ChartSpec {
  const { train, validation } = data.loss;
  const name = data.loss.name ?? 'loss';
  const x = train.map((_, i) => i + 1);
  const style: SeriesStyle = x.length <= 60 ? 'line+points' : 'line';
  const series: ChartSeriesSpec[] = [{ label: `training ${name}`, values: [...train], color: COLORS.train, style, width: 2 }];
  if (validation) series.push({ label: `validation ${name}`, values: [...validation], color: COLORS.validation, style, width: 2 });
  const logY = series.every((s) => s.values.every((v) => v !== null && v > 0));
  return {
    id: 'loss',
    title: 'Training and validation loss by epoch',
    caption: describeLossCurve(train, validation) + (validation ? '' : ' No validation span was used.') + (logY ? ' The y axis is logarithmic.' : ''),
    xKind: 'number', xLabel: 'epoch', yLabel: name + (logY ? ' (log scale)' : ''), logY, x, series, bands: [], height: 300,
  };
}

/** The gradient norm per time step over the lookback window, on a log axis; undefined without data. */
export function gradientChart(data: ReportData): ChartSpec | undefined {
  const g = data.gradients;
  if (!g) return undefined;
  const T = g.series[0].norms.length;
  const x = Array.from({ length: T }, (_, i) => i - (T - 1));
  const single = g.series.length === 1;
  const anyPositive = g.series.some((s) => s.norms.some((v) => v > 0));
  const logY = anyPositive;
  const series: ChartSeriesSpec[] = g.series.map((s, i) => ({
    label: s.name,
    // A log axis cannot show 0: leave a gap there.
    values: s.norms.map((v) => (logY && v === 0 ? null : v)),
    color: single ? COLORS.gradient : COLORS.palette[i % COLORS.palette.length],
    style: single ? 'bars' : 'line+points',
    width: single ? 1 : 2,
  }));
  return {
    id: 'gradients',
    title: `Gradient norm per time step: ${g.quantity}`,
    caption: `How strongly each step of the lookback window still moves the result at the end of it (t = 0 is the most recent input, t = ${-(T - 1)} the oldest). ` +
      'A norm that falls by orders of magnitude as t goes back is the vanishing gradient: the model barely learns from early steps.' +
      (logY ? ' The y axis is logarithmic.' : ''),
    xKind: 'number', xLabel: 'time step t in the lookback window', yLabel: logY ? 'gradient norm (log scale)' : 'gradient norm', logY, x, series, bands: [], height: 300,
  };
}

/** Every chart of the report, in page order. */
export function buildCharts(data: ReportData): ChartSpec[] {
  const charts = [...priceCharts(data), lossChart(data)];
  const g = gradientChart(data);
  if (g) charts.push(g);
  return charts;
}
