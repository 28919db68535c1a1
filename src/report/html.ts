/**
 * renderReport: one self-contained HTML file (uPlot, styles, data and script all inline; a
 * Content-Security-Policy forbids every fetch) showing a forecast run. See docs/report.md. The page,
 * stylesheet and figure markup are page.ts's, shared with the panel and investing reports.
 */
import type { ReportData, MetricRow } from './types.js';
import { validateReportData } from './validate.js';
import { buildCharts } from './charts.js';
import { loadUplotAssets, type UplotAssets } from './assets.js';
import { chartFigure, detailsList, renderPage } from './page.js';
import { checkOptions, is } from '../util/options.js';
import {
  escapeHtml, formatValue, fixed, percentOfFraction, beatsNaiveSentence, directionSentence,
} from './format.js';

/** The keys of RenderReportOptions and their types (the one options checker). */
export const RENDER_REPORT_RULES = { assets: is.object, generatedAt: is.string };

export interface RenderReportOptions {
  /** uPlot's files to inline. @default loadUplotAssets() (read from node_modules/uplot) */
  assets?: UplotAssets;
  /** The generation time shown in the footer (ISO string). @default the current time */
  generatedAt?: string;
}

const METRIC_COLUMNS: { key: keyof Omit<MetricRow, 'name' | 'role'>; label: string; help: string; higherIsBetter: boolean; show: (x: number) => string }[] = [
  { key: 'mae', label: 'MAE', help: 'mean absolute error, in the units of the series', higherIsBetter: false, show: formatValue },
  { key: 'rmse', label: 'RMSE', help: 'root mean squared error, in the units of the series', higherIsBetter: false, show: formatValue },
  { key: 'mape', label: 'MAPE', help: 'mean absolute percentage error', higherIsBetter: false, show: (x) => (Number.isFinite(x) ? `${fixed(x, 2)}%` : 'n/a') },
  { key: 'smape', label: 'sMAPE', help: 'symmetric mean absolute percentage error (0 to 200%)', higherIsBetter: false, show: (x) => (Number.isFinite(x) ? `${fixed(x, 2)}%` : 'n/a') },
  { key: 'mase', label: 'MASE', help: 'mean absolute scaled error: MAE divided by the in-sample MAE of the naive forecast; below 1 beats it', higherIsBetter: false, show: (x) => fixed(x, 3) },
  { key: 'directionalAccuracy', label: 'Direction', help: 'share of steps whose direction of move was called right (a coin flip: 50%)', higherIsBetter: true, show: percentOfFraction },
];

function metricsTable(rows: MetricRow[]): string {
  const best = METRIC_COLUMNS.map((c) => {
    const vals = rows.map((r) => r[c.key]).filter(Number.isFinite);
    return vals.length === 0 ? NaN : c.higherIsBetter ? Math.max(...vals) : Math.min(...vals);
  });
  const head = METRIC_COLUMNS.map((c) => `<th scope="col" title="${escapeHtml(c.help)}">${escapeHtml(c.label)}</th>`).join('');
  const body = rows.map((r) => {
    const role = r.role === 'model' ? ' <span class="tag">model</span>' : r.role === 'naive' ? ' <span class="tag">persistence</span>' : '';
    const cells = METRIC_COLUMNS.map((c, j) => {
      const v = r[c.key];
      const cls = v === best[j] ? ' class="best"' : '';
      return `<td${cls}>${escapeHtml(c.show(v))}</td>`;
    }).join('');
    return `<tr class="role-${r.role}"><th scope="row">${escapeHtml(r.name)}${role}</th>${cells}</tr>`;
  }).join('\n');
  return `<div class="scroll"><table class="metrics">
<thead><tr><th scope="col">Forecast</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>
<p class="note">All rows are measured on the same test span. Lower is better, except Direction; the best value of each column is in bold.</p>`;
}

function forecastSentence(data: ReportData): string {
  const f = data.price.future;
  if (!f) return '';
  const pct = Math.round(f.level * 1000) / 10;
  const more = f.dates.length > 1 ? ` The forecast runs ${f.dates.length} steps, to ${f.dates[f.dates.length - 1]}.` : '';
  return `Forecast for ${f.dates[0]}: ${formatValue(f.values[0])} (${pct}% interval ${formatValue(f.lower[0])} to ${formatValue(f.upper[0])}).${more}`;
}

/** Renders the report. Throws an UnrollError naming the field when `data` is malformed. */
export function renderReport(data: ReportData, options: RenderReportOptions = {}): string {
  checkOptions(options, RENDER_REPORT_RULES, { where: 'renderReport' });
  validateReportData(data);
  const assets = options.assets ?? loadUplotAssets();
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const charts = buildCharts(data);
  const byId = new Map(charts.map((c) => [c.id, c]));
  const model = data.metrics.find((r) => r.role === 'model')!;
  const naive = data.metrics.find((r) => r.role === 'naive')!;
  // With a verdict, its tone colours the box: green only for a significant win over the best benchmark.
  const tone = data.verdict ? data.verdict.tone : Number.isFinite(model.mase) && Number.isFinite(naive.mase) && model.mase < naive.mase ? 'win' : 'loss';
  const headline = data.verdict ? data.verdict.lines[0] : beatsNaiveSentence(data.metrics);
  const verdictLines = data.verdict ? data.verdict.lines.slice(1) : [directionSentence(data.metrics)];
  const gradients = byId.get('gradients');

  const body = `<header>
<h1>${escapeHtml(data.title)}</h1>
${data.description ? `<p class="description">${escapeHtml(data.description)}</p>` : ''}
${detailsList(data.details ?? [])}
</header>
<section class="verdict${tone === 'win' ? ' beats' : tone === 'tie' ? ' tie' : ''}" id="verdict">
<p class="headline">${escapeHtml(headline)}</p>
${verdictLines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
${data.price.future ? `<p>${escapeHtml(forecastSentence(data))}</p>` : ''}
</section>
<section id="forecasts">
<h2>History and forecasts</h2>
${chartFigure(byId.get('price')!)}
${chartFigure(byId.get('price-closeup')!)}
</section>
<section id="metrics">
<h2>Model against baselines</h2>
${metricsTable(data.metrics)}
</section>
<section id="training">
<h2>Training</h2>
${chartFigure(byId.get('loss')!)}
${gradients ? chartFigure(gradients) : '<p class="note">The gradient norm per time step was not computed for this run.</p>'}
</section>`;
  return renderPage({ title: data.title, body, charts, assets, generatedAt });
}
