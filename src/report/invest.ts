/**
 * The investing report (issue 15): one self-contained HTML page for an `invest()` result. It shows
 * the verdict first, then the equity curves on a log scale, their drawdowns, the model policy's
 * positions over time, the figures of every strategy and the significance tests. It reuses the
 * forecast report's page, stylesheet, chart script and inlined uPlot (page.ts); nothing is fetched.
 */
import type { InvestResult } from '../invest/invest.js';
import { loadUplotAssets, type UplotAssets } from './assets.js';
import { COLORS, type ChartSpec, type ChartSeriesSpec } from './charts.js';
import { escapeHtml, fixed } from './format.js';
import { chartFigure, detailsList, renderPage } from './page.js';
import { isoDateToSeconds } from './validate.js';
import { checkOptions, is } from '../util/options.js';

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
  return `<div class="scroll"><table class="metrics">
<thead><tr><th scope="col">Strategy</th>${heads.map(([h, t]) => `<th scope="col" title="${escapeHtml(t)}">${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`;
}

function testsTable(r: InvestResult): string {
  const rows = r.tests.map((t) => `<tr><th scope="row">${escapeHtml(t.against)}</th><td>${escapeHtml(fixed(t.difference, 2))}</td><td>${escapeHtml(t.pValue < 0.001 ? '< 0.001' : fixed(t.pValue, 3))}</td></tr>`).join('\n');
  const coin = r.coinSharpes;
  const q = (p: number): number => coin[Math.min(coin.length - 1, Math.floor(p * coin.length))];
  return `<div class="scroll"><table class="metrics">
<thead><tr><th scope="col">Model policy against</th><th scope="col" title="model Sharpe ratio minus the yardstick's, annualised">Sharpe difference</th><th scope="col" title="one-sided p-value of H0: the model's Sharpe ratio is not above the yardstick's">p-value</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
<p class="note">Stationary block bootstrap (Politis &amp; Romano 1994) of the Sharpe-ratio difference: ${r.resamples} resamples, mean block length ${r.blockLength} periods, both strategies resampled on the same dates. The model beats the yardsticks only if every p-value is below 5%. Coin flips (${coin.length} seeded runs of the same policy) gave Sharpe ratios from ${escapeHtml(fixed(q(0.05), 2))} to ${escapeHtml(fixed(q(0.95), 2))} (5th to 95th percentile): a result inside that range is what luck alone gives.</p>`;
}

/** The investing page's differences from the shared stylesheet (page.ts): a bold one-paragraph verdict, tighter table cells. */
const CSS = `
.verdict { font-weight: 600; }
table.metrics th, table.metrics td { padding: 5px 10px; }
`;

/** Renders the investing report as one HTML string. */
export function renderInvestReport(r: InvestResult, meta: InvestReportMeta): string {
  checkOptions(meta, { title: is.string, details: is.array, generatedAt: is.string, assets: is.object }, { where: 'renderInvestReport' }, false);
  const assets = meta.assets ?? loadUplotAssets();
  const charts = investCharts(r);
  const body = `<header>
<h1>${escapeHtml(meta.title)}</h1>
${detailsList(meta.details)}
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
</section>`;
  return renderPage({ title: meta.title, body, charts, assets, generatedAt: meta.generatedAt ?? new Date().toISOString(), css: CSS });
}
