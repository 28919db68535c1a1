/**
 * `unroll invest`: which company, or none? Runs invest() (src/invest/) on one or more price series
 * and prints what each strategy would have earned, the significance tests and the verdict, and
 * writes the HTML investing report.
 */
import { Option, type Command } from 'commander';
import { frameFromArrays, frameLength, sliceFrame, type Frame, type SeriesSet } from '../../data/frame.js';
import { writeFileAtomic } from '../../data/node-io.js';
import { isSeriesSet } from '../../forecast/forecaster.js';
import { invest, type InvestResult } from '../../invest/invest.js';
import type { Policy } from '../../invest/policies.js';
import { DEFAULT_INVEST_FORECASTER } from '../../invest/walkforward.js';
import { renderInvestReport } from '../../report/invest.js';
import { UnrollError } from '../../util/errors.js';
import { addRuntimeFlags, chooseBackend, say, type RuntimeFlags } from '../common.js';
import { loadData, type DataFlags } from '../data.js';
import { addDataFlags, addModelFlags, forecasterOptions, type ModelFlags } from '../options.js';
import { intFlag, numberFlag, printJson, runCommand } from '../run.js';

type Flags = RuntimeFlags & DataFlags & ModelFlags & {
  assets?: string; until?: string; start?: string; policy?: string; k?: number; threshold?: number; short?: boolean;
  costBps?: number; cashRate?: number; refitEvery?: number; minHistory?: number; coinRuns?: number; resamples?: number;
  block?: number; report?: string;
};

export function registerInvest(program: Command): void {
  const cmd = program.command('invest').description('which company, or none? a walk-forward model policy judged against buy-and-hold, momentum and coin flips after costs');
  addDataFlags(cmd);
  addModelFlags(cmd, { showDefaults: false });
  addRuntimeFlags(cmd)
    .option('--assets <columns>', 'columns of one file (after --join) that are companies, each optionally renamed, e.g. "close=S&P 500,gold" (default: every column, or every series with --series)')
    .option('--until <date>', 'drop dates after this one')
    .option('--start <when>', 'first decision: a date, a fraction of the dates (0.5 = second half), or a row index', '0.5')
    .addOption(new Option('--policy <kind>', 'all-in on the best, top-k equal weight, or invest-or-cash on a threshold').choices(['all-in', 'top-k', 'threshold']).default('all-in'))
    .option('--k <n>', 'companies held by --policy top-k', intFlag('k'), 2)
    .option('--threshold <x>', 'hurdle of --policy threshold (default 0.5 for P(up) with --predict direction, else a forecast return of 0)', numberFlag('threshold'))
    .option('--short', 'let --policy threshold go short below the mirror threshold (long-only by default)')
    .option('--cost-bps <bp>', 'trading cost in basis points per unit traded (10 = 0.1%)', numberFlag('cost-bps'), 10)
    .option('--cash-rate <rate>', 'annual interest on cash as a fraction (0.02 = 2%)', numberFlag('cash-rate'), 0)
    .option('--refit-every <k>', 'retrain the model every k decisions (default: a quarter of the decisions, at most 252)', intFlag('refit-every'))
    .option('--min-history <n>', 'prices a company needs before the model ranks it (default lookback + 20)', intFlag('min-history'))
    .option('--coin-runs <n>', 'seeded coin-flip runs (the median is reported)', intFlag('coin-runs'), 101)
    .option('--resamples <n>', 'bootstrap resamples of the significance tests', intFlag('resamples'), 999)
    .option('--block <L>', 'mean block length of the stationary bootstrap (default ⌈n^(1/3)⌉)', numberFlag('block'))
    .option('--report <file>', 'where to write the HTML investing report', 'invest-report.html')
    .addHelpText('after', `
Examples:
  unroll invest --data data/stocks_monthly_5tickers_2000_2010.csv --series --lookback 12 --policy top-k --k 2
  unroll invest --data data/sp500_daily_ohlcv_2000_2020.csv --join data/gold_silver_daily_1978_2012.csv \\
                --assets "close=S&P 500,gold"
  unroll invest --data prices.csv --series --predict direction --policy threshold --threshold 0.55`)
    .action((flags: Flags) => runCommand(flags, () => investCommand(flags)));
}

function cutUntil(data: Frame | SeriesSet, until: string | undefined): Frame | SeriesSet {
  if (!until) return data;
  const cut = (f: Frame): Frame => {
    let end = 0;
    while (end < frameLength(f) && f.dates[end] <= until) end++;
    if (end < 3) throw new UnrollError(`option --until ${until}: ${f.source} has fewer than 3 dates up to it; expected a later date`, 'usage');
    return sliceFrame(f, 0, end);
  };
  if (isSeriesSet(data)) return { ...data, series: Object.fromEntries(data.ids.map((id) => [id, cut(data.series[id])])) };
  return cut(data);
}

function parseStart(s: string): number | string {
  if (/^\d{4}-\d{2}/.test(s)) return s;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UnrollError(`option --start must be a date (2006-01-01), a fraction in (0, 1) or a row index, got "${s}"`, 'usage');
  return n;
}

function investCommand(flags: Flags): void {
  const started = Date.now();
  const loaded = loadData(flags);
  const data = cutUntil(loaded.data, flags.until);
  const picked = flags.assets ? flags.assets.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const eq = s.indexOf('=');
    return eq < 0 ? { column: s, name: s } : { column: s.slice(0, eq).trim(), name: s.slice(eq + 1).trim() || s.slice(0, eq).trim() };
  }) : undefined;
  if (picked && isSeriesSet(data)) throw new UnrollError('--assets picks columns of one file; with --series every series is a company', 'usage');
  let prices: Frame | SeriesSet = data;
  if (picked && !isSeriesSet(data)) {
    const missing = picked.find((p) => !data.names.includes(p.column));
    if (missing) throw new UnrollError(`--assets: ${loaded.source} has no column "${missing.column}"; its columns are ${data.names.join(', ')}`, 'usage');
    prices = frameFromArrays(Object.fromEntries(picked.map((p) => [p.name, data.columns[p.column]])), { dates: data.dates, source: loaded.source });
  }
  const options = forecasterOptions(flags, DEFAULT_INVEST_FORECASTER);
  const policy: Policy = flags.policy === 'top-k' ? { kind: 'top-k', k: flags.k! } : flags.policy === 'threshold' ? { kind: 'threshold', threshold: flags.threshold, short: flags.short ?? false } : { kind: 'all-in' };
  const backend = chooseBackend(flags.backend);
  say(flags, `unroll invest: ${loaded.source} (backend ${backend.name})`);
  const result = invest(prices, {
    policy, forecaster: options, start: parseStart(flags.start!), costBps: flags.costBps, cashRate: flags.cashRate,
    refitEvery: flags.refitEvery, minHistory: flags.minHistory, coinRuns: flags.coinRuns, backend, seed: flags.seed ?? 1,
    bootstrap: { resamples: flags.resamples, blockLength: flags.block },
    onRefit: (i) => say(flags, `  refit ${i.refit}/${i.refits} at ${i.date} on ${i.companies.join(', ')}`),
  });
  const seconds = (Date.now() - started) / 1000;
  const model = options.model ?? {};
  const details = [
    { label: 'data', value: `${loaded.source}${flags.join?.length ? ` joined with ${flags.join.join(', ')} on common dates` : ''}` },
    { label: 'companies', value: result.ids.join(', ') },
    { label: 'decisions', value: `${result.dates[0]} … ${result.dates[result.dates.length - 2]} (${result.dates.length - 1} periods, ${result.periodsPerYear} a year)` },
    { label: 'policy', value: result.policyText },
    { label: 'model', value: `${String(model.cell ?? 'gru').toUpperCase()} (${model.hiddenSize ?? 8} units) on ${options.lookback} periods of ${(options.features ?? []).join(', ')}, predicting the next ${options.predict}; retrained walk-forward ${result.refits.length} times (expanding window)` },
    { label: 'costs', value: `${result.costBps} bp per unit traded; cash earns ${(result.cashRate * 100).toFixed(2)}% a year` },
    { label: 'time', value: `${seconds.toFixed(1)} s` },
  ];
  const html = renderInvestReport(result, { title: `unroll invest: ${result.ids.join(', ')}`, details });
  writeFileAtomic(flags.report!, html);
  if (flags.json) {
    printJson(toJson(result, flags.report!, seconds));
    return;
  }
  process.stdout.write(textTable(result) + `\n\n${result.verdict}\n\nReport written to ${flags.report} (${seconds.toFixed(1)} s in all).\n`);
}

const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');

export function textTable(r: InvestResult): string {
  const head = ['strategy', 'total', 'a year', 'vol', 'Sharpe', 'max DD', 'turnover', 'hit', 'costs'];
  const rows = r.strategies.map((s) => {
    const f = s.figures;
    return [s.name, pct(f.totalReturn), pct(f.annualisedReturn), pct(f.volatility), f.sharpe.toFixed(2), pct(-f.maxDrawdown), f.turnover.toFixed(1), pct(f.hitRate), pct(f.costsPaid)];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const fmt = (row: string[]): string => row.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  const lines = [`Decisions ${r.dates[0]} … ${r.dates[r.dates.length - 2]}; policy: ${r.policyText}; costs ${r.costBps} bp, cash ${pct(r.cashRate)} a year.`, fmt(head), ...rows.map(fmt), ''];
  lines.push(`Model policy against (stationary block bootstrap, ${r.resamples} resamples, mean block ${r.blockLength}):`);
  for (const t of r.tests) lines.push(`  ${t.against}: Sharpe difference ${t.difference.toFixed(2)}, p ${t.pValue < 0.001 ? '< 0.001' : '= ' + t.pValue.toFixed(3)}`);
  return lines.join('\n');
}

function toJson(r: InvestResult, report: string, seconds: number): unknown {
  return {
    companies: r.ids, first: r.dates[0], last: r.dates[r.dates.length - 1], periods: r.dates.length - 1, periodsPerYear: r.periodsPerYear,
    policy: r.policy, costBps: r.costBps, cashRate: r.cashRate,
    strategies: r.strategies.map((s) => ({ name: s.name, role: s.role, ...s.figures })),
    tests: r.tests, pValue: r.pValue, beats: r.beats, anythingBeatsHold: r.anythingBeatsHold, verdict: r.verdict,
    refits: r.refits, report, seconds,
  };
}
