/**
 * The HTML report of a panel run (`unroll benchmark --report`, `unroll train --series … --test-size h
 * --report`): the verdict against the best benchmark, the metrics table of the model and every
 * benchmark (M4's sMAPE, MASE and OWA; the 95% interval's coverage and MSIS), and three series drawn
 * with their forecasts and intervals: the model's best, median and worst by MASE.
 *
 * The verdict and its sign test over the series are forecast/panel-verdict.ts's, the same as the
 * terminal's and --json's.
 */
import type { Frequency } from '../data/frequency.js';
import type { PanelBenchmarkResult, MethodScore } from '../forecast/panel-benchmark.js';
import { bestBenchmark, panelVerdict } from '../forecast/panel-verdict.js';
import { loadUplotAssets, type UplotAssets } from './assets.js';
import { COLORS, type ChartSeriesSpec, type ChartSpec } from './charts.js';
import { escapeHtml, fixed } from './format.js';
import { chartFigure, detailsList, renderPage } from './page.js';
import { isoTimeToSeconds } from './validate.js';
import { checkOptions, is } from '../util/options.js';
import { UnrollError } from '../util/errors.js';

export interface PanelReportInput {
  title: string;
  description?: string;
  details: { label: string; value: string }[];
  /** The benchmark run; the model is methods[0], and its forecasts must have been kept (keepForecasts). */
  result: PanelBenchmarkResult;
  /** Training values of each series (aligned with result.ids). */
  train: readonly ArrayLike<number>[];
  /** Test values of each series (the first h are scored). */
  test: readonly ArrayLike<number>[];
  /** Date labels of each series' training then test values, when the data has dates. */
  dates?: readonly (readonly string[])[];
  frequency?: Frequency | null;
  generatedAt?: string;
  assets?: UplotAssets;
}

export interface SeriesPick {
  /** 'best', 'median' or 'worst' by the model's MASE (sMAPE when no series has a MASE scale). */
  pick: 'best' | 'median' | 'worst';
  index: number;
  id: string;
  mase: number | null;
  smape: number;
}

/** The model's best, median and worst series by MASE (by sMAPE when no series has a MASE); distinct series only. */
export function pickSeries(model: MethodScore): SeriesPick[] {
  const scored = model.series.map((s, i) => ({ i, s })).filter(({ s }) => s.mase !== null);
  const byMase = scored.length > 0;
  const list = (byMase ? scored : model.series.map((s, i) => ({ i, s })))
    .sort((a, b) => (byMase ? a.s.mase! - b.s.mase! : a.s.smape - b.s.smape) || a.i - b.i);
  if (list.length === 0) return [];
  const at = [['best', 0], ['median', Math.floor((list.length - 1) / 2)], ['worst', list.length - 1]] as const;
  const seen = new Set<number>();
  const out: SeriesPick[] = [];
  for (const [pick, k] of at) {
    const { i, s } = list[k]!;
    if (seen.has(i)) continue;
    seen.add(i);
    out.push({ pick, index: i, id: s.id, mase: s.mase, smape: s.smape });
  }
  return out;
}

const show = (v: number | null | undefined, d: number): string => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : fixed(v, d));

function metricsTable(result: PanelBenchmarkResult, level: number): string {
  type Col = { label: string; help: string; get: (m: MethodScore) => number | null | undefined; digits: number; best?: 'min' };
  const iv = (m: MethodScore) => m.intervals.find((b) => b.level === level);
  const pct = Math.round(level * 100);
  const cols: Col[] = [
    { label: 'sMAPE', help: 'symmetric mean absolute percentage error, mean over the series (0 to 200)', get: (m) => m.smape, digits: 3, best: 'min' },
    { label: 'MASE', help: 'mean absolute scaled error: the error over the in-sample seasonal-naive error, mean over the series', get: (m) => m.mase, digits: 3, best: 'min' },
    { label: 'OWA', help: 'overall weighted average: the mean of sMAPE and MASE relative to Naive2 (below 1 beats Naive2)', get: (m) => m.owa, digits: 3, best: 'min' },
    { label: `coverage ${pct}%`, help: `share of the test values inside the ${pct}% interval (the target is ${pct}%)`, get: (m) => (iv(m) ? 100 * iv(m)!.coverage : null), digits: 1 },
    { label: 'MSIS', help: `mean scaled interval score of the ${pct}% interval (M4's interval score: width plus penalties for misses, scaled like MASE)`, get: (m) => iv(m)?.msis, digits: 3, best: 'min' },
    { label: 'time s', help: 'seconds to fit and forecast every series', get: (m) => (m.fitMs + m.forecastMs) / 1000, digits: 1 },
  ];
  const best = cols.map((c) => {
    if (!c.best) return NaN;
    const vals = result.methods.map(c.get).filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
    return vals.length ? Math.min(...vals) : NaN;
  });
  const head = cols.map((c) => `<th scope="col" title="${escapeHtml(c.help)}">${escapeHtml(c.label)}</th>`).join('');
  const body = result.methods.map((m, i) => {
    const role = i === 0 ? 'model' : m.name === 'naive2' ? 'reference' : 'benchmark';
    const tag = role === 'model' ? ' <span class="tag">model</span>' : role === 'reference' ? ' <span class="tag">OWA reference</span>' : '';
    const cells = cols.map((c, j) => {
      const v = c.get(m);
      return `<td${v === best[j] ? ' class="best"' : ''}>${escapeHtml(show(v, c.digits))}</td>`;
    }).join('');
    return `<tr class="role-${role}"><th scope="row">${escapeHtml(m.name)}${tag}</th>${cells}</tr>`;
  }).join('\n');
  return `<div class="scroll"><table class="metrics">
<thead><tr><th scope="col">Method</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>
<p class="note">Every method forecasts the same ${result.ids.length} series ${result.horizon} steps ahead from the same training values and is scored on the same test values (M4's definitions; seasonal period ${result.period}). Lower is better; the best value of each column is in bold. A ${pct}% interval should cover about ${pct}% of the test values.</p>`;
}

/** The x values of one series' history and test steps: real times when every label is an ISO date or date-time, else step numbers. */
function xValues(labels: readonly string[] | undefined, n: number): { x: number[]; kind: 'time' | 'number' } {
  if (labels && labels.length === n) {
    const t = labels.map(isoTimeToSeconds);
    if (t.every((v, i) => Number.isFinite(v) && (i === 0 || v > t[i - 1]!))) return { x: t, kind: 'time' };
  }
  return { x: Array.from({ length: n }, (_, i) => i + 1), kind: 'number' };
}

/** The chart of one picked series: the end of its history, the test values, the model's forecast and interval, and the best benchmark's forecast. */
export function seriesChart(input: PanelReportInput, pick: SeriesPick, level: number): ChartSpec {
  const { result } = input;
  const i = pick.index;
  const h = result.horizon;
  const train = input.train[i]!;
  const test = Array.prototype.slice.call(input.test[i]!, 0, h) as number[];
  const n = train.length;
  const model = result.methods[0]!;
  const f = model.forecasts?.[i];
  if (!f) throw new Error('panel report: the model\'s forecasts were not kept (keepForecasts)');
  const bench = bestBenchmark(result);
  const bf = bench?.forecasts?.[i];
  const shown = Math.min(n, Math.max(3 * h, 2 * result.period + h, 24));
  const { x: allX, kind } = xValues(input.dates?.[i]?.slice(0, n + h), n + h);
  const x = allX.slice(n - shown);
  const len = x.length;
  const col = (from: number, values: ArrayLike<number>): (number | null)[] => {
    const c: (number | null)[] = new Array<number | null>(len).fill(null);
    for (let k = 0; k < values.length; k++) c[from + k] = Number.isFinite(values[k]!) ? values[k]! : null;
    return c;
  };
  const trainShown = Array.prototype.slice.call(train, n - shown) as number[];
  // The history line runs on into the test values so the actual path reads as one line.
  const series: ChartSeriesSpec[] = [
    { label: 'history', values: col(0, trainShown), color: COLORS.history, style: 'line', width: 1.5 },
    { label: 'actual (test)', values: col(shown - 1, [trainShown[shown - 1]!, ...test]), color: COLORS.history, style: 'line+points', width: 1.5 },
  ];
  const bands: ChartSpec['bands'] = [];
  const band = f.intervals.find((b) => b.level === level);
  const pct = `${Math.round(level * 100)}%`;
  if (band) {
    series.push({ label: `${pct} interval, lower`, values: col(shown, band.lower), color: COLORS.model, style: 'line', width: 1, dash: [2, 3] });
    series.push({ label: `${pct} interval, upper`, values: col(shown, band.upper), color: COLORS.model, style: 'line', width: 1, dash: [2, 3] });
    bands.push({ upper: series.length - 1, lower: series.length - 2, fill: COLORS.band });
  }
  series.push({ label: `${model.name} forecast`, values: col(shown, f.mean), color: COLORS.model, style: 'line', width: 2 });
  if (bench && bf) series.push({ label: `${bench.name} forecast`, values: col(shown, bf.mean), color: COLORS.palette[0], style: 'line', width: 1.25, dash: [6, 4] });
  const mase = pick.mase === null ? 'no MASE scale' : `MASE ${fixed(pick.mase, 3)}`;
  const word = pick.pick === 'best' ? 'best' : pick.pick === 'median' ? 'median' : 'worst';
  return {
    id: `series-${pick.pick}`,
    title: `The ${word} series by MASE: ${pick.id} (${mase}, sMAPE ${fixed(pick.smape, 2)})`,
    caption: `The last ${shown} of ${n} training values, then the ${h} test values (points) the model never saw. Red: ${model.name}'s forecast${band ? ` and its ${pct} interval (shaded)` : ''}` +
      `${bench && bf ? `; dashed blue: the best benchmark, ${bench.name}` : ''}. The shaded span is the test.`,
    xKind: kind,
    xLabel: kind === 'time' ? 'time (UTC)' : 'step',
    yLabel: 'value',
    logY: false,
    x,
    series,
    bands,
    shade: { from: x[shown]!, to: x[len - 1]!, fill: COLORS.shade, label: `test span: ${h} steps` },
    height: 300,
  };
}

/** Renders the panel report as one self-contained HTML string. */
export function renderPanelReport(input: PanelReportInput): string {
  checkOptions(input, {
    title: is.string, description: is.string, details: is.array, result: is.object, train: is.array, test: is.array, dates: is.array,
    frequency: is.either(is.string, is.oneOf(null)), generatedAt: is.string, assets: is.object,
  }, { where: 'renderPanelReport' }, false);
  const { result } = input;
  if (!result.methods[0]?.forecasts) throw new UnrollError('panel report: the model\'s forecasts were not kept; expected a result of runPanelBenchmark with keepForecasts: true', 'option');
  const assets = input.assets ?? loadUplotAssets();
  const level = result.levels.includes(0.95) ? 0.95 : result.levels[0] ?? 0.95;
  const v = panelVerdict(result, level);
  const picks = pickSeries(result.methods[0]);
  const charts = picks.map((p) => seriesChart(input, p, level));
  const tone = v.tone === 'win' ? ' beats' : v.tone === 'tie' ? ' tie' : '';
  const body = `<header>
<h1>${escapeHtml(input.title)}</h1>
${input.description ? `<p class="description">${escapeHtml(input.description)}</p>` : ''}
${detailsList(input.details)}
</header>
<section class="verdict${tone}" id="verdict">
<p class="headline">${escapeHtml(v.lines[0]!)}</p>
${v.lines.slice(1).map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
</section>
<section id="metrics">
<h2>The model against every benchmark</h2>
${metricsTable(result, level)}
</section>
<section id="series">
<h2>Three series: the best, the median and the worst</h2>
<p class="note">Chosen by the model's MASE on the test values among ${result.ids.length} series${picks.length < 3 ? ` (the panel has only ${picks.length} distinct)` : ''}; values in the units of the data.</p>
${charts.map(chartFigure).join('\n')}
</section>`;
  return renderPage({ title: input.title, body, charts, assets, generatedAt: input.generatedAt ?? new Date().toISOString() });
}
