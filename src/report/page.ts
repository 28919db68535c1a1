/**
 * The parts every unroll HTML page shares (the forecast report, the panel report, the investing
 * report): the stylesheet, a chart's figure markup, and the self-contained page around them (uPlot,
 * styles, chart data and the page script inline; a Content-Security-Policy forbids every fetch).
 */
import type { UplotAssets } from './assets.js';
import type { ChartSpec } from './charts.js';
import { CLIENT_SCRIPT } from './client.js';
import { escapeHtml, jsonForScript } from './format.js';

/** Keeps inlined code from closing its own element early. */
export function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

/** The pages' stylesheet: readable from 1120 px down to a 390 px phone (tables scroll inside `.scroll`). */
export const PAGE_CSS = `
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

/** A chart's figure: its title, the box the page script draws into, the shaded span's legend and the caption. */
export function chartFigure(spec: ChartSpec): string {
  const shade = spec.shade
    ? `<p class="legend-extra"><span class="swatch" style="background:${escapeHtml(spec.shade.fill)}"></span>${escapeHtml(spec.shade.label)}</p>`
    : '';
  return `<figure class="chart">
<figcaption><h3>${escapeHtml(spec.title)}</h3></figcaption>
<div class="plot" id="chart-${escapeHtml(spec.id)}" role="img" aria-label="${escapeHtml(spec.title)}"></div>
${shade}<p class="note">${escapeHtml(spec.caption)}</p>
</figure>`;
}

/** The label/value list under a page's title. */
export function detailsList(details: readonly { label: string; value: string }[]): string {
  const items = details.map((d) => `<dt>${escapeHtml(d.label)}</dt><dd>${escapeHtml(d.value)}</dd>`).join('');
  return items ? `<dl class="details">${items}</dl>` : '';
}

export interface PageParts {
  title: string;
  /** HTML of the page's body inside <main>, after nothing (the caller writes its header). */
  body: string;
  /** The charts the page script draws (each into #chart-<id>). */
  charts: ChartSpec[];
  assets: UplotAssets;
  /** ISO time for the footer. */
  generatedAt: string;
  /** Extra CSS after PAGE_CSS. */
  css?: string;
}

/** The whole self-contained HTML document. */
export function renderPage(p: PageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="unroll">
<title>${escapeHtml(p.title)}</title>
<style>${inlineSafe(p.assets.css, 'style')}</style>
<style>${PAGE_CSS}${p.css ?? ''}</style>
</head>
<body>
<main>
${p.body}
<footer>Made by unroll on ${escapeHtml(p.generatedAt)}. Charts drawn with uPlot ${escapeHtml(p.assets.version)} (MIT licence), inlined: this file needs no network.</footer>
</main>
<script type="application/json" id="unroll-data">${jsonForScript({ charts: p.charts })}</script>
<script>${inlineSafe(p.assets.js, 'script')}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
