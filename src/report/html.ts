/**
 * renderReport: one self-contained HTML file (uPlot, styles, data and script all inline; a
 * Content-Security-Policy forbids every fetch) showing a forecast run. See docs/report.md.
 */
import type { ReportData, MetricRow } from './types.js';
import { validateReportData } from './validate.js';
import { buildCharts, type ChartSpec } from './charts.js';
import { loadUplotAssets, type UplotAssets } from './assets.js';
import { CLIENT_SCRIPT } from './client.js';
import {
  escapeHtml, jsonForScript, formatValue, fixed, percentOfFraction, beatsNaiveSentence, directionSentence,
} from './format.js';

export interface RenderReportOptions {
  /** uPlot's files to inline. @default loadUplotAssets() (read from node_modules/uplot) */
  assets?: UplotAssets;
  /** The generation time shown in the footer (ISO string). @default the current time */
  generatedAt?: string;
}

/** Keeps inlined code from closing its own element early. */
function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
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

function chartBox(spec: ChartSpec): string {
  const shade = spec.shade
    ? `<p class="legend-extra"><span class="swatch" style="background:${escapeHtml(spec.shade.fill)}"></span>${escapeHtml(spec.shade.label)}</p>`
    : '';
  return `<figure class="chart">
<figcaption><h3>${escapeHtml(spec.title)}</h3></figcaption>
<div class="plot" id="chart-${escapeHtml(spec.id)}" role="img" aria-label="${escapeHtml(spec.title)}"></div>
${shade}<p class="note">${escapeHtml(spec.caption)}</p>
</figure>`;
}

function forecastSentence(data: ReportData): string {
  const f = data.price.future;
  if (!f) return '';
  const pct = Math.round(f.level * 1000) / 10;
  const more = f.dates.length > 1 ? ` The forecast runs ${f.dates.length} steps, to ${f.dates[f.dates.length - 1]}.` : '';
  return `Forecast for ${f.dates[0]}: ${formatValue(f.values[0])} (${pct}% interval ${formatValue(f.lower[0])} to ${formatValue(f.upper[0])}).${more}`;
}

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1120px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.4em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin: 0 0 0.3em; }
.description { color: #444; margin: 0 0 0.6em; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0.4em 0 1em; font-size: 0.92em; }
dl.details dt { color: #666; } dl.details dd { margin: 0; }
.verdict { background: #fff; border-left: 5px solid #d62728; padding: 10px 16px; margin: 1em 0; box-shadow: 0 1px 2px rgba(0,0,0,0.08); }
.verdict.beats { border-left-color: #2ca02c; }
.verdict.tie { border-left-color: #999; }
.verdict p { margin: 0.25em 0; } .verdict .headline { font-weight: 600; font-size: 1.08em; }
figure.chart { background: #fff; margin: 1em 0; padding: 12px 14px 8px; box-shadow: 0 1px 2px rgba(0,0,0,0.08); }
.plot { width: 100%; min-height: 200px; }
.note { color: #555; font-size: 0.9em; margin: 0.4em 0; }
.legend-extra { font-size: 0.85em; color: #444; margin: 0.2em 0; }
.swatch { display: inline-block; width: 14px; height: 10px; margin-right: 6px; border: 1px solid #aac; vertical-align: baseline; }
.chart-error { color: #b00; font-weight: 600; }
table.metrics { border-collapse: collapse; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,0.08); font-variant-numeric: tabular-nums; }
table.metrics th, table.metrics td { padding: 5px 12px; text-align: right; border-bottom: 1px solid #eee; }
table.metrics th[scope=row], table.metrics thead th:first-child { text-align: left; }
table.metrics thead th { background: #f0f0f0; cursor: help; }
table.metrics td.best { font-weight: 700; }
table.metrics tr.role-model { background: #fff3f3; }
.tag { font-size: 0.75em; color: #666; border: 1px solid #ccc; border-radius: 3px; padding: 0 4px; margin-left: 4px; font-weight: 400; }
footer { color: #777; font-size: 0.85em; margin-top: 2em; overflow-wrap: anywhere; }
.u-legend { font-size: 0.85em; }
.scroll { max-width: 100%; overflow-x: auto; }
h1, .description, dl.details dd { overflow-wrap: anywhere; }
@media (max-width: 600px) {
  main { padding: 12px 10px 32px; }
  figure.chart { padding: 8px 6px 6px; }
  dl.details { grid-template-columns: 1fr; }
  dl.details dd { margin-bottom: 4px; }
  table.metrics th, table.metrics td { padding: 4px 6px; }
  .u-legend { font-size: 0.78em; }
}
`;

/** Renders the report. Throws an UnrollError naming the field when `data` is malformed. */
export function renderReport(data: ReportData, options: RenderReportOptions = {}): string {
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
  const details = (data.details ?? []).map((d) => `<dt>${escapeHtml(d.label)}</dt><dd>${escapeHtml(d.value)}</dd>`).join('');
  const gradients = byId.get('gradients');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="unroll">
<title>${escapeHtml(data.title)}</title>
<style>${inlineSafe(assets.css, 'style')}</style>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(data.title)}</h1>
${data.description ? `<p class="description">${escapeHtml(data.description)}</p>` : ''}
${details ? `<dl class="details">${details}</dl>` : ''}
</header>
<section class="verdict${tone === 'win' ? ' beats' : tone === 'tie' ? ' tie' : ''}" id="verdict">
<p class="headline">${escapeHtml(headline)}</p>
${verdictLines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
${data.price.future ? `<p>${escapeHtml(forecastSentence(data))}</p>` : ''}
</section>
<section id="forecasts">
<h2>History and forecasts</h2>
${chartBox(byId.get('price')!)}
${chartBox(byId.get('price-closeup')!)}
</section>
<section id="metrics">
<h2>Model against baselines</h2>
${metricsTable(data.metrics)}
</section>
<section id="training">
<h2>Training</h2>
${chartBox(byId.get('loss')!)}
${gradients ? chartBox(gradients) : '<p class="note">The gradient norm per time step was not computed for this run.</p>'}
</section>
<footer>Made by unroll on ${escapeHtml(generatedAt)}. Charts drawn with uPlot ${escapeHtml(assets.version)} (MIT licence), inlined: this file needs no network.</footer>
</main>
<script type="application/json" id="unroll-data">${jsonForScript({ charts })}</script>
<script>${inlineSafe(assets.js, 'script')}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
