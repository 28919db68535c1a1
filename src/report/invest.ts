/**
 * The investing report (issue 15): one self-contained HTML page for an `invest()` result. It shows
 * the verdict first, then the equity curves on a log scale, their drawdowns, the model policy's
 * positions over time, the figures of every strategy and the significance tests. It reuses the
 * forecast report's chart script and inlined uPlot (see html.ts); nothing is fetched.
 */
import type { InvestResult } from '../invest/invest.js';
import { loadUplotAssets, type UplotAssets } from './assets.js';
import { COLORS, type ChartSpec, type ChartSeriesSpec } from './charts.js';
import { CLIENT_SCRIPT } from './client.js';
import { escapeHtml, fixed, jsonForScript } from './format.js';
import { isoDateToSeconds } from './validate.js';

export interface InvestReportMeta {
  title: string;
  /** Label/value lines: data file, span, model, policy, costs… */
  details: { label: string; value: string }[];
  generatedAt?: string;
  assets?: UplotAssets;
}

const ROLE_COLOR: Record<string, string> = { model: COLORS.model, basket: '#1f77b4', naive: '#ff7f0e', coin: '#7f7f7f' };
/** Single companies held: colours none of the roles above use. */
const HOLD_COLORS = ['#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

function xAxis(dates: string[]): { x: number[]; kind: 'time' | 'number' } {
  const iso = dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
  return iso ? { x: dates.map(isoDateToSeconds), kind: 'time' } : { x: dates.map((_, i) => i), kind: 'number' };
}

/** The chart specifications (plain JSON for the page script). */
export function investCharts(r: InvestResult): ChartSpec[] {
  const { x, kind } = xAxis(r.dates);
  let holdColor = 0;
  const style = (role: string): { color: string; width: number; dash?: number[] } => {
    if (role === 'hold') return { color: HOLD_COLORS[holdColor++ % HOLD_COLORS.length], width: 1.2, dash: [5, 3] };
    return { color: ROLE_COLOR[role] ?? '#333', width: role === 'model' ? 2.2 : 1.5, ...(role === 'coin' ? { dash: [2, 3] } : {}) };
  };
  const styles = r.strategies.map((s) => style(s.role));
  const line = (label: string, values: ArrayLike<number>, st: { color: string; width: number; dash?: number[] }): ChartSeriesSpec =>
    ({ label, values: Array.from(values, (v) => (Number.isFinite(v) ? v : null)), style: 'line', ...st });
  const equity: ChartSpec = {
    id: 'equity', title: 'Growth of 1 StatBuck (log scale)', xKind: kind, xLabel: 'date', yLabel: 'equity', logY: true, x, bands: [], height: 380,
    caption: 'Each curve starts at 1 on the first decision date and includes trading costs and interest on cash. On a log scale equal slopes are equal growth rates.',
    series: r.strategies.map((s, i) => line(s.name, s.backtest.equity, styles[i])),
  };
  const drawdown: ChartSpec = {
    id: 'drawdown', title: 'Drawdown: the fall from the highest value so far', xKind: kind, xLabel: 'date', yLabel: 'drawdown (%)', logY: false, x, bands: [], height: 260,
    caption: '0% is a new high; −30% means the strategy is 30% below its best value so far.',
    series: r.strategies.map((s, i) => line(s.name, Array.from(s.drawdown, (v) => 100 * v), styles[i])),
  };
  const model = r.strategies.find((s) => s.role === 'model')!;
  const positions: ChartSpec = {
    id: 'positions', title: "The model policy's positions", xKind: kind, xLabel: 'date', yLabel: 'weight', logY: false, x: x.slice(0, -1), bands: [], height: 240,
    caption: 'The weight held in each company from each decision date to the next (1 = all in; 0 in every company = all in cash).',
    series: r.ids.map((id, i) => line(id, model.backtest.weights[i], { color: COLORS.palette[i % COLORS.palette.length], width: 1.4 })),
  };
  return [equity, drawdown, positions];
}

function chartFigure(spec: ChartSpec): string {
  return `<figure class="chart">
<figcaption><h3>${escapeHtml(spec.title)}</h3></figcaption>
<div class="plot" id="chart-${escapeHtml(spec.id)}" role="img" aria-label="${escapeHtml(spec.title)}"></div>
<p class="note">${escapeHtml(spec.caption)}</p>
</figure>`;
}

const pct = (v: number): string => (Number.isFinite(v) ? `${fixed(100 * v, 1)}%` : 'n/a');

function figuresTable(r: InvestResult): string {
  const rows = r.strategies.map((s) => {
    const f = s.figures;
    const cells = [pct(f.totalReturn), pct(f.annualisedReturn), pct(f.volatility), fixed(f.sharpe, 2), pct(-f.maxDrawdown), fixed(f.turnover, 1), pct(f.hitRate), pct(f.costsPaid), pct(f.exposure)];
    return `<tr class="role-${s.role}"><th scope="row">${escapeHtml(s.name)}</th>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  }).join('\n');
  const heads = [
    ['total', 'total return over the span, after costs'], ['a year', 'annualised (compound) return'], ['volatility', 'annualised standard deviation of period returns'],
    ['Sharpe', 'annualised Sharpe ratio of returns over the cash rate'], ['max DD', 'maximum drawdown: the worst fall from a previous high'],
    ['turnover', 'share of the portfolio traded per year (1 = all of it once)'], ['hit rate', 'share of invested periods that beat cash'],
    ['costs', 'trading costs paid, as a share of the starting capital'], ['invested', 'share of periods with a position'],
  ];
  return `<table class="metrics">
<thead><tr><th scope="col">Strategy</th>${heads.map(([h, t]) => `<th scope="col" title="${escapeHtml(t)}">${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function testsTable(r: InvestResult): string {
  const rows = r.tests.map((t) => `<tr><th scope="row">${escapeHtml(t.against)}</th><td>${escapeHtml(fixed(t.difference, 2))}</td><td>${escapeHtml(t.pValue < 0.001 ? '< 0.001' : fixed(t.pValue, 3))}</td></tr>`).join('\n');
  const coin = r.coinSharpes;
  const q = (p: number): number => coin[Math.min(coin.length - 1, Math.floor(p * coin.length))];
  return `<table class="metrics">
<thead><tr><th scope="col">Model policy against</th><th scope="col" title="model Sharpe ratio minus the yardstick's, annualised">Sharpe difference</th><th scope="col" title="one-sided p-value of H0: the model's Sharpe ratio is not above the yardstick's">p-value</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="note">Stationary block bootstrap (Politis &amp; Romano 1994) of the Sharpe-ratio difference: ${r.resamples} resamples, mean block length ${r.blockLength} periods, both strategies resampled on the same dates. The model beats the yardsticks only if every p-value is below 5%. Coin flips (${coin.length} seeded runs of the same policy) gave Sharpe ratios from ${escapeHtml(fixed(q(0.05), 2))} to ${escapeHtml(fixed(q(0.95), 2))} (5th to 95th percentile): a result inside that range is what luck alone gives.</p>`;
}

const CSS = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1120px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.3em; } h2 { font-size: 1.25em; margin: 1.6em 0 0.4em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05em; margin: 0 0 0.3em; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 0.92em; } dl.details dt { color: #666; } dl.details dd { margin: 0; }
.verdict { background: #fff; border-left: 5px solid #d62728; padding: 10px 16px; margin: 1em 0; box-shadow: 0 1px 2px rgba(0,0,0,0.08); font-weight: 600; }
.verdict.beats { border-left-color: #2ca02c; }
figure.chart { background: #fff; margin: 1em 0; padding: 12px 14px 8px; box-shadow: 0 1px 2px rgba(0,0,0,0.08); }
.plot { width: 100%; min-height: 200px; } .note { color: #555; font-size: 0.9em; } .chart-error { color: #b00; font-weight: 600; }
table.metrics { border-collapse: collapse; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,0.08); font-variant-numeric: tabular-nums; }
table.metrics th, table.metrics td { padding: 5px 10px; text-align: right; border-bottom: 1px solid #eee; }
table.metrics th[scope=row], table.metrics thead th:first-child { text-align: left; } table.metrics thead th { background: #f0f0f0; cursor: help; }
table.metrics tr.role-model { background: #fff3f3; }
footer { color: #777; font-size: 0.85em; margin-top: 2em; } .u-legend { font-size: 0.85em; }
`;

/** Renders the investing report as one HTML string. */
export function renderInvestReport(r: InvestResult, meta: InvestReportMeta): string {
  const assets = meta.assets ?? loadUplotAssets();
  const charts = investCharts(r);
  const details = meta.details.map((d) => `<dt>${escapeHtml(d.label)}</dt><dd>${escapeHtml(d.value)}</dd>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="unroll">
<title>${escapeHtml(meta.title)}</title>
<style>${inlineSafe(assets.css, 'style')}</style>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(meta.title)}</h1>
<dl class="details">${details}</dl>
</header>
<section class="verdict${r.beats ? ' beats' : ''}" id="verdict"><p>${escapeHtml(r.verdict)}</p></section>
<section id="equity">
<h2>What each strategy would have earned</h2>
${chartFigure(charts[0])}
${chartFigure(charts[1])}
</section>
<section id="positions">
<h2>Where the model put the money</h2>
${chartFigure(charts[2])}
</section>
<section id="figures">
<h2>Figures</h2>
${figuresTable(r)}
<p class="note">All strategies trade on the same decision dates with the same costs (${escapeHtml(String(r.costBps))} bp per unit traded) and cash rate (${escapeHtml(pct(r.cashRate))} a year), ${escapeHtml(String(r.periodsPerYear))} periods a year. Past figures on one span promise nothing about the next.</p>
</section>
<section id="tests">
<h2>Beyond luck?</h2>
${testsTable(r)}
</section>
<footer>Made by unroll on ${escapeHtml(meta.generatedAt ?? new Date().toISOString())}. Charts drawn with uPlot ${escapeHtml(assets.version)} (MIT licence), inlined: this file needs no network.</footer>
</main>
<script type="application/json" id="unroll-data">${jsonForScript({ charts })}</script>
<script>${inlineSafe(assets.js, 'script')}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
