/**
 * The playground's two charts, drawn with uPlot: the loss by epoch (growing live while the worker
 * trains) and the test span with the baselines and the forecast past the end. Each chart records
 * how often it drew and how many points each series has, in `registry`, for tests and debugging.
 */
import uPlot from 'uplot';
import type { TrainResult } from './protocol.js';

export interface ChartState {
  draws: number;
  series: { label: string; points: number }[];
}

export const registry: Record<string, ChartState> = {};

const COLORS = { actual: '#3b3b3b', model: '#d62728', band: 'rgba(214, 39, 40, 0.15)', train: '#1f77b4', validation: '#ff7f0e' };
const PALETTE = ['#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  return a >= 100 ? v.toFixed(2) : v.toPrecision(4);
}

function countPoints(values: ArrayLike<number | null | undefined>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined && Number.isFinite(values[i])) n++;
  return n;
}

function track(id: string, u: uPlot): void {
  const state = registry[id];
  state.series = u.series.slice(1).map((s, i) => ({ label: String(s.label ?? ''), points: countPoints(u.data[i + 1] as (number | null)[]) }));
}

function widthOf(el: HTMLElement): number {
  return Math.max(200, el.clientWidth);
}

function keepWide(el: HTMLElement, u: uPlot, height: number): void {
  const onResize = (): void => {
    const w = widthOf(el);
    if (w !== u.width) u.setSize({ width: w, height });
  };
  window.addEventListener('resize', onResize);
  const destroy = u.destroy.bind(u);
  u.destroy = () => { window.removeEventListener('resize', onResize); destroy(); };
}

/** The loss chart: call `add` after every epoch. */
export class LossChart {
  private readonly epochs: number[] = [];
  private readonly train: number[] = [];
  private readonly validation: (number | null)[] = [];
  private plot: uPlot | null = null;

  constructor(private readonly el: HTMLElement) {}

  reset(): void {
    this.epochs.length = 0;
    this.train.length = 0;
    this.validation.length = 0;
    this.plot?.destroy();
    this.plot = null;
    this.el.replaceChildren();
    registry.loss = { draws: 0, series: [] };
    const height = 260;
    const o: uPlot.Options = {
      width: widthOf(this.el), height,
      scales: { x: { time: false } },
      series: [
        { label: 'epoch' },
        { label: 'training loss', stroke: COLORS.train, width: 2, points: { show: true, size: 5 }, value: (_u, v) => fmt(v) },
        { label: 'validation loss', stroke: COLORS.validation, width: 2, points: { show: true, size: 5 }, value: (_u, v) => fmt(v) },
      ],
      axes: [{ label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] }, { label: 'loss (MSE, scaled)', size: 70, values: (_u, s) => s.map((v) => fmt(v)) }],
      hooks: { draw: [() => { registry.loss.draws++; }] },
    };
    this.plot = new uPlot(o, [[], [], []], this.el);
    keepWide(this.el, this.plot, height);
  }

  add(epoch: number, loss: number, valLoss: number | null): void {
    if (!this.plot) this.reset();
    this.epochs.push(epoch);
    this.train.push(loss);
    this.validation.push(valLoss);
    this.plot!.setData([this.epochs, this.train, this.validation] as uPlot.AlignedData);
    track('loss', this.plot!);
  }
}

/** x values: seconds since the epoch for ISO dates, else the row index (with the labels kept for display). */
function xAxis(dates: string[]): { x: number[]; time: boolean } {
  if (dates.every((d) => ISO_DATE.test(d))) return { x: dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), time: true };
  return { x: dates.map((_, i) => i), time: false };
}

let forecastPlot: uPlot | null = null;

/** Draws the test span (actual, model, baselines), the history before it and the future forecast. */
export function drawForecast(el: HTMLElement, r: TrainResult): void {
  forecastPlot?.destroy();
  el.replaceChildren();
  const nc = r.context.dates.length;
  const nt = r.test.dates.length;
  const dates = [...r.context.dates, ...r.test.dates, ...r.future.dates];
  const { x, time } = xAxis(dates);
  const N = dates.length;
  const column = (offset: number, values: readonly (number | null)[]): (number | null)[] => {
    const c = new Array<number | null>(N).fill(null);
    values.forEach((v, i) => { c[offset + i] = Number.isFinite(v) ? v : null; });
    return c;
  };
  const actual = column(0, [...r.context.values, ...r.test.actual]);
  const series: uPlot.Series[] = [{ label: time ? 'date' : 'row', value: time ? '{YYYY}-{MM}-{DD}' : (_u, v) => (v == null ? '–' : dates[v] ?? String(v)) }];
  const data: (number | null)[][] = [];
  series.push({ label: `actual ${r.target}`, stroke: COLORS.actual, width: 1.5, value: (_u, v) => fmt(v) });
  data.push(actual);
  let b = 0;
  for (const m of r.test.methods) {
    const isModel = m.role === 'model';
    series.push({
      label: m.name, stroke: isModel ? COLORS.model : PALETTE[b++ % PALETTE.length], width: isModel ? 2 : 1.25,
      dash: isModel ? undefined : [6, 4], value: (_u, v) => fmt(v),
    });
    data.push(column(nc, m.predicted));
  }
  const pct = `${Math.round(r.future.level * 100)}%`;
  // The forecast starts at the last actual value so that the line joins the history.
  const lastActual = r.test.actual[nt - 1];
  const lowerIndex = series.length;
  series.push({ label: `${pct} interval, lower`, stroke: COLORS.model, width: 1, dash: [2, 3], value: (_u, v) => fmt(v) });
  data.push(column(nc + nt, r.future.lower));
  series.push({ label: `${pct} interval, upper`, stroke: COLORS.model, width: 1, dash: [2, 3], value: (_u, v) => fmt(v) });
  data.push(column(nc + nt, r.future.upper));
  series.push({ label: 'forecast', stroke: COLORS.model, width: 2, points: { show: true, size: 6, fill: COLORS.model }, value: (_u, v) => fmt(v) });
  data.push(column(nc + nt - 1, [lastActual, ...r.future.value]));
  registry.forecast = { draws: 0, series: [] };
  const height = 380;
  const o: uPlot.Options = {
    width: widthOf(el), height,
    scales: { x: { time } },
    series,
    bands: [{ series: [lowerIndex + 1, lowerIndex], fill: COLORS.band }],
    axes: [
      { label: time ? 'date (UTC)' : 'row', values: time ? undefined : (_u, s) => s.map((v) => dates[v] ?? '') },
      { label: r.target, size: 72, values: (_u, s) => s.map((v) => fmt(v)) },
    ],
    cursor: { drag: { x: true, y: false } },
    hooks: { draw: [() => { registry.forecast.draws++; }] },
  };
  if (time) o.tzDate = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
  forecastPlot = new uPlot(o, [x, ...data] as uPlot.AlignedData, el);
  keepWide(el, forecastPlot, height);
  track('forecast', forecastPlot);
}
