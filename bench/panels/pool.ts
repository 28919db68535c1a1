// Companion rules pooled over the panels already looked at (issue 10, generalisation): the development panels
// (bench/data/dev-panels, cache of bench/panels/fit.ts) and the held-out sets once they have been scored
// (heldout-panels, heldout2-panels, heldout3-panels, heldout4-panels: each scored once, then development data). For each
// rule of the statistical companion, and for the panel forecaster built on it (the network's weight chosen on
// the validation window as model.ts does, the forecast from members trained again on every value), it prints
// the geometric means over the panels of sMAPE and MASE relative to each panel's best benchmark (the best of
// unroll's and, where cached, R's ETS, ARIMA, Theta, damped and seasonal naive, picked after the fact), the
// worst panel, the 95% band's coverage and MSIS per panel, each benchmark's own relative OWA, the paired test of
// the model against each benchmark over (series, origin) pairs, and with --detail each panel's raw figures and
// weights. A rule is chosen here, on the panels looked at, and then judged once on a held-out set nobody has
// looked at (`--sources heldoutN`).
//
// With --comb, M4's Comb (and SES) join the benchmarks and the rules 'fixed comb', 'fixed mean(e,a,c)', 'fixed
// median(e,a,c)' and 'fixed mean(e,a,t,c)' join the rules; Comb's forecasts come from the side files of
// comb-cache.ts (run it first), not from fit.ts's caches. Without it the output is as before, to the character.
//
// With --arima-ml, the ARIMA forecasts of the side files of arima-cache.ts (the exact-likelihood ARIMA; run it
// first) replace the cached ones (CSS) everywhere: as a benchmark, in every rule that uses 'arima' (the default
// companion 'fixed mean(e,a)' among them) and in the best benchmark of a panel. Two more tables follow: the
// paired test of the new ARIMA against the cached one (the same test as the model's below, per (series,
// origin) pair), and how often each matches R's auto.arima (its sMAPE and MASE within 0.1 % of R's, from the
// r-benchmarks files). Without it the output is as before, to the character.
//
// With --complete-only, a panel that lacks anything for scoring (R's benchmarks, or at an origin where some series
// is long enough: the stat file, a network cache of a mode used, the --arima-ml side file) is left out with a line
// that says what it lacks, as the held-out readings allow; without it a missing cache stops the run.
//
//   npx tsx bench/panels/pool.ts [--complete-only] [--rules 'a;b;...'] [--evidence z|none (default 3)] [--min-series n] [--detail] [--sources dev,heldout] [--band-windows 1|2|max2] [--band-level l] [--weight w] [--origins 1,2,3] [--net-windows 1|2] [--comb] [--arima-ml]
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCsvCells } from '../../src/data/csv.js';
import { bandTemplate, calibrateBand, calibrateBandOnWindows, chooseWeight, combinedBand } from '../../src/forecast/panel/combine.js';
import { medianForecast } from '../../src/forecast/panel/companion.js';
import { breakAtOrigin } from '../../src/forecast/panel/break-guard.js';
import { seasonalAdjustment } from '../../src/forecast/methods/seasonality.js';
import { median } from '../../src/forecast/methods/common.js';
import { panelSettings } from '../../src/forecast/panel/settings.js';
import { mae, naiveScale, smape } from '../../src/forecast/metrics.js';
import { parseWidePanel } from '../../src/data/wide.js';
import { PANEL_SPECS } from './panels.js';

const { values: args } = parseArgs({ options: { rules: { type: 'string', default: '' }, detail: { type: 'boolean', default: false },
  evidence: { type: 'string', default: '3' }, 'min-series': { type: 'string', default: '2' },
  sources: { type: 'string', default: 'dev,heldout' }, 'band-windows': { type: 'string', default: 'max2' },
  'band-level': { type: 'string', default: '0.95' }, weight: { type: 'string', default: '' },
  origins: { type: 'string', default: '1,2,3' }, 'net-windows': { type: 'string', default: '1' }, comb: { type: 'boolean', default: false },
  'arima-ml': { type: 'boolean', default: false }, 'complete-only': { type: 'boolean', default: false } } });
// Origins scored (each panel's cut after n − o·h values).
const ORIGINS = args.origins.split(',').map(Number);
// Validation windows the network's weight is chosen on: 1 = the last h values of the cut, the members trained
// on the values before (model.ts); 2 = the last two windows of h, the members trained on the cut minus 2h
// (fit.ts --modes honest2), each series' two windows scored together, and the band of any w < 1 calibrated
// on both windows (the larger factor). (model.ts keeps one window with the per-series companion, 'series'; the
// rules here do not.)
const NET_WINDOWS = Number(args['net-windows']);
// Windows the 95% band's factor is calibrated on: 1 = the validation window (model.ts before the two-window
// band); 2 = also the window before it, pooled, where the network has no weight (its forecast there is not
// cached); max2 (model.ts now, combine.ts calibrateBandOnWindows) = the larger of the two windows' factors.
const BAND_MAX = args['band-windows'] === 'max2';
const BAND_WINDOWS = BAND_MAX ? 2 : Number(args['band-windows']);
// The level the band's factor is calibrated at (the band is still scored as a 95% band).
const BAND_LEVEL = Number(args['band-level']);
// The weight rule: chooseWeight's evidence z (a weight > 0 only with a gain of z standard errors over the
// series) and its minimum number of series (MIN_WEIGHED_SERIES in model.ts); z = 'none' keeps w = 0.
const EVIDENCE = args.evidence === 'none' ? Infinity : Number(args.evidence);
const MIN_SERIES = Number(args['min-series']);

type F = Record<string, number[]>;
interface Stat { ids: string[]; h: number; m: number; cut: number[][]; test: number[][]; test_f: F[]; val_f: F[]; val2_f: F[]; val3_f: F[] }
type Band = { mean: number[]; lower: number[] | null; upper: number[] | null };
interface Net { val: Band[]; test: Band[] }

const ALL_SOURCES = [
  { name: 'dev', cache: '/tmp/combine-cache', prefix: '', dir: 'bench/data/dev-panels', panels: ['weekly', 'monthly', 'quarterly', 'yearly'] },
  { name: 'heldout', cache: '/tmp/heldout-cache', prefix: 'heldout-panels-', dir: 'bench/data/heldout-panels', panels: ['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] },
  // The second held-out set: scored once, with the rule already chosen (`--sources heldout2 --rules 'fixed mean(e,a)'`).
  { name: 'heldout2', cache: '/tmp/heldout2-cache', prefix: 'heldout2-panels-', dir: 'bench/data/heldout2-panels', panels: ['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] },
  // The third held-out set (bench/data/heldout3-panels; no hourly panel): scored once, by the lead, after the design is frozen.
  { name: 'heldout3', cache: '/tmp/heldout3-cache', prefix: 'heldout3-panels-', dir: 'bench/data/heldout3-panels', panels: ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] },
  // The fourth held-out set (bench/data/heldout4-panels; no hourly panel): scored once at 639441c (docs/forecasting.md "Fourth held-out panels").
  { name: 'heldout4', cache: '/tmp/heldout4-cache', prefix: 'heldout4-panels-', dir: 'bench/data/heldout4-panels', panels: ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] },
  // The fifth held-out set (bench/data/heldout5-panels, from Debian's gretl-data; no hourly panel): scored once
  // (2026-12-07, docs/forecasting.md "Fifth held-out panels"); development data since.
  { name: 'heldout5', cache: '/tmp/heldout5-cache', prefix: 'heldout5-panels-', dir: 'bench/data/heldout5-panels', panels: ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] },
  // The sixth held-out set (bench/data/heldout6-panels, FRED series from gretl's database; monthly, quarterly and
  // yearly only: a panel the folder lacks is skipped): scored once (2026-12-07, docs/forecasting.md "Sixth
  // held-out panels"); development data since.
  { name: 'heldout6', cache: '/tmp/heldout6-cache', prefix: 'heldout6-panels-', dir: 'bench/data/heldout6-panels', panels: ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] },
  // The seventh held-out set (bench/data/heldout7-panels, from four sources no earlier set read): scored once
  // (2026-12-07, by the reading in docs/forecasting.md "Seventh held-out panels", committed before the set
  // existed); development data since.
  { name: 'heldout7', cache: '/tmp/heldout7-cache', prefix: 'heldout7-panels-', dir: 'bench/data/heldout7-panels', panels: ['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] },
];
const SOURCES = ALL_SOURCES.filter((s) => args.sources.split(',').includes(s.name));

/**
 * --complete-only: what a panel lacks for scoring, or null when nothing. The origins expected are those where some
 * series is long enough (fit.ts's rule: a cut of at least 3h + max(m, 1) values); each needs its stat file, the
 * network caches of the modes used, the --arima-ml side file when asked for, and the panel R's benchmarks.
 */
function missingCaches(src: (typeof ALL_SOURCES)[number], panel: string): string | null {
  const csv = `${src.dir}/${panel}.csv`;
  if (!existsSync(csv)) return null;
  const { h, m } = PANEL_SPECS[panel]!;
  const lengths = parseWidePanel(readFileSync(csv, 'utf8')).series.map((y) => y.length);
  if (![`${src.dir}/r-benchmarks.csv`, `${src.dir}/r-benchmarks-${panel}.csv`].some((f) => existsSync(f))) return 'no R benchmarks';
  const modes = ['honest', 'shared', ...(NET_WINDOWS === 2 ? ['honest2'] : [])];
  for (const o of ORIGINS) {
    if (!lengths.some((n) => n - o * h >= 3 * h + Math.max(m, 1))) continue;
    const base = `${src.cache}/${src.prefix}${panel}-o${o}`;
    if (!existsSync(`${base}-stat.json`)) return `origin ${o}: no stat file`;
    for (const mode of modes) if (![8, 3].some((mm) => existsSync(`${base}-${mode}-m${mm}.json`))) return `origin ${o}: no ${mode} cache`;
    if (args['arima-ml'] && !existsSync(`${base}-arima-ml.json`)) return `origin ${o}: no arima-ml side file`;
  }
  return null;
}

// M4's MASE scale (lag 1 when the series is not longer than m), sMAPE and MAE: src/forecast/metrics.ts.
const scaleOf = (y: number[], m: number): number => naiveScale(y, y.length > m ? m : 1);
const gmean = (v: number[]): number => Math.exp(v.reduce((a, b) => a + Math.log(b), 0) / v.length);
const amean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

const BASE = ['theta', 'damped', 'ets', 'arima'];
const combine = (fs: F, names: string[], how: 'mean' | 'median', h: number): number[] =>
  how === 'median' ? Array.from(medianForecast(names.map((n) => fs[n]!), h)) : fs[names[0]!]!.map((_, k) => names.reduce((a, n) => a + fs[n]![k]!, 0) / names.length);

/** The named forecasts a rule can use, from one set of method forecasts. */
function options(fs: F, h: number): F {
  const o: F = { ...fs };
  o['mean(t,d,e,a)'] = combine(fs, BASE, 'mean', h);
  o['median(t,d,e,a)'] = combine(fs, BASE, 'median', h);
  o['mean(e,a,t)'] = combine(fs, ['ets', 'arima', 'theta'], 'mean', h);
  o['median(e,a,t)'] = combine(fs, ['ets', 'arima', 'theta'], 'median', h);
  o['mean(e,a,d)'] = combine(fs, ['ets', 'arima', 'damped'], 'mean', h);
  o['median(e,a,d)'] = combine(fs, ['ets', 'arima', 'damped'], 'median', h);
  o['mean(e,a)'] = combine(fs, ['ets', 'arima'], 'mean', h);
  o['median(t,d,e,a,s)'] = combine(fs, [...BASE, 'ses'], 'median', h);
  if (fs.comb) {
    o['mean(e,a,c)'] = combine(fs, ['ets', 'arima', 'comb'], 'mean', h);
    o['median(e,a,c)'] = combine(fs, ['ets', 'arima', 'comb'], 'median', h);
    o['mean(e,a,t,c)'] = combine(fs, ['ets', 'arima', 'theta', 'comb'], 'mean', h);
  }
  o['median(t,d,s,n)'] = combine(fs, ['theta', 'damped', 'ses', 'snaive'], 'median', h);
  return o;
}

/**
 * A rule: from the series' history windows (each a pair of options-at-that-cut and the actual values
 * after it, most recent first) and the options at the forecast origin, the companion forecast.
 */
type Windows = { opts: F; actual: number[]; scale: number }[];
type Rule = (w: Windows, now: F, h: number, y: readonly number[], m: number) => number[];

// The shipped guard (src/forecast/panel/break-guard.ts, companion.ts BREAK_GUARD): Theta in place of the ETS–ARIMA
// mean where the series' last change is a break. The exploration that chose it (docs/forecasting.md, "A guard
// against a break at the origin"): any of the last L one-step changes (log changes where the series is positive,
// unless GUARD_LOG=0) against the robust spread of the changes before them, |d − median| > k · 1.4826 · MAD, with
// GUARD_K (list) and GUARD_L from the environment, and five stand-ins. The variants after the review of cf8fba7:
// `fallback`, 1.2533 · the mean absolute deviation where the MAD is 0 (most changes equal); `adjust`, the test on
// M4's seasonally adjusted series for m > 1 (so a regular spike is no break); `unprecedented`, only a change
// further from the median than every earlier one. The shipped test is `adjust` + `fallback` with k = 8.
type Explore = { k: number; last?: number; useLog?: boolean; adjust?: boolean; fallback?: boolean; unprecedented?: boolean };
const breakExplore = (y: readonly number[], m: number, o: Explore): boolean => {
  const last = o.last ?? 1;
  const v = o.adjust && m > 1 ? Array.from(seasonalAdjustment(Float64Array.from(y), m).series) : [...y];
  const z = (o.useLog ?? true) && v.every((x) => x > 0) ? v.map(Math.log) : v;
  const d = z.slice(1).map((x, t) => x - z[t]!);
  if (d.length < last + 8) return false;
  const before = d.slice(0, d.length - last);
  const md = median(before);
  const devs = before.map((x) => Math.abs(x - md));
  let sc = 1.4826 * median(devs);
  if (o.fallback && sc === 0) sc = 1.2533 * devs.reduce((a, x) => a + x, 0) / devs.length;
  const threshold = o.k * Math.max(sc, 1e-12 * (Math.abs(md) + 1));
  const widest = o.unprecedented ? Math.max(...devs) : -Infinity;
  return d.slice(d.length - last).some((x) => Math.abs(x - md) > widest && Math.abs(x - md) > threshold);
};
const GUARD_K = (process.env.GUARD_K ?? '4,6,8').split(',').map(Number);
const GUARD_L = Number(process.env.GUARD_L ?? 1);
const GUARD_LOG = process.env.GUARD_LOG !== '0';

const SIX = ['mean(t,d,e,a)', 'median(t,d,e,a)', 'theta', 'damped', 'ets', 'arima'];
const pick = (names: string[], score: (n: string) => number): string => {
  let best = names[0]!; let bs = Infinity;
  for (const n of names) { const s = score(n); if (s < bs) { bs = s; best = n; } }
  return best;
};
const windowScore = (w: Windows, n: string, key: 'smape' | 'mase' | 'both'): number => w.reduce((t, x) => {
  const s = smape(x.actual, x.opts[n]!);
  const q = x.scale > 0 ? mae(x.actual, x.opts[n]!) / x.scale : 0;
  return t + (key === 'smape' ? s : key === 'mase' ? q : s / 100 + q);
}, 0);

/** Inverse-error weights over `names` (weight ∝ score^−p), the forecast their weighted mean. */
const inverseWeighted = (names: string[], p: number, key: 'smape' | 'both'): Rule => (w, now, h) => {
  if (w.length === 0) return combine(now, names, 'mean', h);
  const sc = names.map((n) => Math.max(windowScore(w, n, key), 1e-9) ** -p);
  const tot = sc.reduce((a, b) => a + b, 0);
  return now[names[0]!]!.map((_, k) => names.reduce((a, n, j) => a + (sc[j]! / tot) * now[n]![k]!, 0));
};

const RULES: Record<string, Rule> = {
  'series (shipped)': (w, now) => now[pick(SIX, (n) => windowScore(w, n, 'smape'))]!,
  'series by sMAPE+MASE': (w, now) => now[pick(SIX, (n) => windowScore(w, n, 'both'))]!,
  'series among 4 methods': (w, now) => now[pick(BASE, (n) => windowScore(w, n, 'smape'))]!,
  'series among combos': (w, now) => now[pick(['mean(t,d,e,a)', 'median(t,d,e,a)', 'mean(e,a,t)', 'median(e,a,t)'], (n) => windowScore(w, n, 'smape'))]!,
  // Select only on clear evidence: the per-series pick replaces the default combination only when its
  // window score is below the combination's by a margin.
  'median4 unless pick 20% better': (w, now) => { const b = pick(SIX, (n) => windowScore(w, n, 'smape')); return windowScore(w, b, 'smape') < 0.8 * windowScore(w, 'median(t,d,e,a)', 'smape') ? now[b]! : now['median(t,d,e,a)']!; },
  'mean4 unless pick 20% better': (w, now) => { const b = pick(SIX, (n) => windowScore(w, n, 'smape')); return windowScore(w, b, 'smape') < 0.8 * windowScore(w, 'mean(t,d,e,a)', 'smape') ? now[b]! : now['mean(t,d,e,a)']!; },
  'inverse sMAPE weights (t,d,e,a)': inverseWeighted(BASE, 1, 'smape'),
  'inverse sMAPE² weights (t,d,e,a)': inverseWeighted(BASE, 2, 'smape'),
  'inverse (sMAPE+MASE) weights (t,d,e,a)': inverseWeighted(BASE, 1, 'both'),
  'inverse sMAPE weights (t,d,e,a,mean,median)': inverseWeighted(SIX, 1, 'smape'),
};
for (const n of ['mean(t,d,e,a)', 'median(t,d,e,a)', 'mean(e,a,t)', 'median(e,a,t)', 'mean(e,a,d)', 'median(e,a,d)', 'mean(e,a)', 'median(t,d,e,a,s)', 'theta', 'damped', 'ets', 'arima',
  ...(args.comb ? ['comb', 'mean(e,a,c)', 'median(e,a,c)', 'mean(e,a,t,c)'] : [])]) RULES[`fixed ${n}`] = (_w, now) => now[n]!;

// 'select' (companion.ts selectCompanion, the default only where the ETS–ARIMA companion costs too much: autoCompanion): one choice for the whole panel among
// Theta, damped, SES, seasonal naive and their median, by the mean sMAPE over every series' two windows. It
// is panel-wide, so it is a marker here: the loop below chooses it from all series' windows at once.
const SELECT = 'select (panel-wide, cheap methods)';
const SELECT_CHOICES = ['theta', 'damped', 'ses', 'snaive', 'median(t,d,s,n)'];
for (const k of GUARD_K) for (const alt of ['theta', 'median(e,a,t)', 'mean(e,a,t)', 'damped', 'ses']) {
  RULES[`guard k=${k} L=${GUARD_L}${GUARD_LOG ? ' log' : ''} → ${alt}`] = (_w, now, _h, y, m) => (breakExplore(y, m, { k, last: GUARD_L, useLog: GUARD_LOG }) ? now[alt]! : now['mean(e,a)']!);
}
for (const [name, a, f, u] of [['v1 fallback', false, true, false], ['v2 adjusted+fallback', true, true, false], ['v3 fallback+unprecedented', false, true, true], ['v4 adjusted+fallback+unprecedented', true, true, true], ['v5 unprecedented', false, false, true]] as const) {
  for (const k of GUARD_K) RULES[`guard ${name} k=${k} → theta`] = (_w, now, _h, y, m) => (breakExplore(y, m, { k, adjust: a, fallback: f, unprecedented: u }) ? now.theta! : now['mean(e,a)']!);
}
RULES['guarded mean(e,a) (shipped)'] = (_w, now, _h, y, m) => (breakAtOrigin(y, m) ? now.theta! : now['mean(e,a)']!);
RULES[SELECT] = () => { throw new Error('select is panel-wide'); };
const chosenRules = args.rules ? args.rules.split(';') : Object.keys(RULES);
const BENCH = ['ets', 'arima', 'theta', 'damped', 'snaive', ...(args.comb ? ['comb', 'ses'] : [])];
const R_METHODS = ['ets', 'arima', 'theta', 'damped', 'snaive'];

// Per (series, origin) pair with a MASE scale: every benchmark's sMAPE and MASE, and each rule's model's (the paired test below).
const pairBench = new Map<string, Record<string, { sm: number; ms: number }>>();
const pairModel = new Map<string, { panel: string; series: string; pair: string; sm: number; ms: number }[]>();
// Per rule: per panel, [companion sMAPE, MASE, model sMAPE, MASE]; per panel the best benchmark.
const table = new Map<string, Map<string, number[]>>();
const bestOf = new Map<string, { smape: number; mase: number; names: string }>();
const weightsOf = new Map<string, string[]>();
// Each benchmark's mean sMAPE and MASE per panel (where it covers every pair of the panel).
const benchOf = new Map<string, { smape: number; mase: number }>();
// With --arima-ml: per (series, origin) pair, the cached (CSS) and the new ARIMA's scores, and R's.
type Score = { sm: number; ms: number };
const arimaPairs: { panel: string; series: string; origin: number; pair: string; old: Score; now: Score; r?: { smape: number; mase: number } }[] = [];
for (const src of SOURCES) {
  const rScores = new Map<string, { smape: number; mase: number }>();
  for (const file of [`${src.dir}/r-benchmarks.csv`, ...src.panels.map((p) => `${src.dir}/r-benchmarks-${p}.csv`)]) {
    if (!existsSync(file)) continue;
    for (const r of parseCsvCells(readFileSync(file, 'utf8'), { source: file }).rows) rScores.set(`${r[0]}|${r[3]}|${r[1]}|${r[2]}`, { smape: Number(r[4]), mase: Number(r[5]) });
  }
  for (const panel of src.panels) {
    const key = `${src.name} ${panel}`;
    if (args['complete-only']) {
      const missing = missingCaches(src, panel);
      if (missing) { console.log(`left out: ${key} (${missing})`); continue; }
    }
    const acc = new Map<string, { sm: number[]; ms: number[]; msm: number[]; mms: number[]; cover: number[]; msis: number[] }>();
    const bench = new Map<string, { sm: number[]; ms: number[] }>();
    const addB = (n: string, s: number, q: number): void => { let b = bench.get(n); if (!b) bench.set(n, (b = { sm: [], ms: [] })); b.sm.push(s); if (Number.isFinite(q)) b.ms.push(q); };
    for (const o of ORIGINS) {
      const job = `${src.prefix}${panel}-o${o}`;
      const statFile = `${src.cache}/${job}-stat.json`;
      if (!existsSync(statFile)) continue;
      const stat = JSON.parse(readFileSync(statFile, 'utf8')) as Stat;
      if (args.comb) {
        // Comb's forecasts at the same cuts (comb-cache.ts), added to each set of method forecasts.
        const combFile = statFile.replace(/-stat\.json$/, '-comb.json');
        if (!existsSync(combFile)) throw new Error(`${job}: no ${combFile}; run npx tsx bench/panels/comb-cache.ts first`);
        const extra = JSON.parse(readFileSync(combFile, 'utf8')) as Record<'test_f' | 'val_f' | 'val2_f' | 'val3_f', { comb: number[] }[]>;
        for (const k of ['test_f', 'val_f', 'val2_f', 'val3_f'] as const) stat[k].forEach((fs, i) => { fs.comb = extra[k][i]!.comb; });
      }
      if (args['arima-ml']) {
        // The exact-likelihood ARIMA's forecasts at the same cuts (arima-cache.ts) in place of the cached ones.
        const mlFile = statFile.replace(/-stat\.json$/, '-arima-ml.json');
        if (!existsSync(mlFile)) throw new Error(`${job}: no ${mlFile}; run npx tsx bench/panels/arima-cache.ts first`);
        const extra = JSON.parse(readFileSync(mlFile, 'utf8')) as Record<'test_f' | 'val_f' | 'val2_f' | 'val3_f', { arima: number[] }[]>;
        const sc = stat.cut.map((y) => scaleOf(y, stat.m));
        stat.test_f.forEach((fs, i) => {
          const score = (f: number[]): { sm: number; ms: number } => ({ sm: smape(stat.test[i]!, f), ms: sc[i]! > 0 ? mae(stat.test[i]!, f) / sc[i]! : NaN });
          arimaPairs.push({ panel: key, series: stat.ids[i]!, origin: o, pair: `${key}|${stat.ids[i]}|${o}`, old: score(fs.arima!), now: score(extra.test_f[i]!.arima), r: rScores.get(`${panel}|arima|${o}|${stat.ids[i]}`) });
        });
        for (const k of ['test_f', 'val_f', 'val2_f', 'val3_f'] as const) stat[k].forEach((fs, i) => { fs.arima = extra[k][i]!.arima; });
      }
      const netFile = (mode: string): string | undefined => [8, 3].map((mm) => `${src.cache}/${job}-${mode}-m${mm}.json`).find((f) => existsSync(f));
      const honest = JSON.parse(readFileSync(netFile('honest')!, 'utf8')) as Net;
      // A cut with no series of chunk + 4h values chooses on one window, as model.ts does (fit.ts writes oneWindow).
      const file2 = NET_WINDOWS === 2 ? netFile('honest2') : undefined;
      if (NET_WINDOWS === 2 && !file2) throw new Error(`${job}: no honest2 cache in ${src.cache}; run npx tsx bench/panels/fit.ts --modes honest2 (with its --dir, --panel and --members) first`);
      const read2 = file2 ? JSON.parse(readFileSync(file2, 'utf8')) as { valA: Band[]; valB: Band[]; oneWindow?: boolean } : null;
      const honest2 = read2 && !read2.oneWindow ? read2 : null;
      const shared = JSON.parse(readFileSync(netFile('shared')!, 'utf8')) as Net;
      const { h, m, cut, test } = stat;
      const n = cut.length;
      const scales = cut.map((y) => scaleOf(y, m));
      for (let i = 0; i < n; i++) {
        const per: Record<string, { sm: number; ms: number }> = {};
        for (const b of BENCH) {
          const sm = smape(test[i]!, stat.test_f[i]![b]!); const ms = scales[i]! > 0 ? mae(test[i]!, stat.test_f[i]![b]!) / scales[i]! : NaN;
          addB(b, sm, ms); per[b] = { sm, ms };
        }
        for (const r of R_METHODS) { const s = rScores.get(`${panel}|${r}|${o}|${stat.ids[i]}`); if (s) { addB(`R ${r}`, s.smape, s.mase); per[`R ${r}`] = { sm: s.smape, ms: s.mase }; } }
        if (scales[i]! > 0) pairBench.set(`${key}|${stat.ids[i]}|${o}`, per);
      }
      // Windows of each series: actual values after the cut minus h (val), 2h (val2), 3h (val3).
      const win = (i: number, j: number): { actual: number[]; scale: number } | null => {
        const y = cut[i]!; const end = y.length - j * h;
        if (end < 3) return null;
        return { actual: y.slice(end, end + h), scale: scaleOf(y.slice(0, end), m) };
      };
      const optsAt = [stat.val_f, stat.val2_f, stat.val3_f].map((fs) => fs.map((f) => options(f, h)));
      const testOpts = stat.test_f.map((f) => options(f, h));
      const valActual = cut.map((y) => y.slice(y.length - h));
      const valScales = cut.map((y) => scaleOf(y.slice(0, y.length - h), m));
      for (const rn of chosenRules) {
        // The test forecast chooses on val, val2; the validation forecast (for the weight) on val2, val3.
        const windows = (i: number, from: number): Windows => [from, from + 1].filter((j) => j < optsAt.length).flatMap((j) => { const w = win(i, j + 1); return w ? [{ opts: optsAt[j]![i]!, ...w }] : []; });
        // select: the choice with the lowest mean sMAPE over every series' windows (ties and no window: the median).
        const panelPick = (from: number): string => {
          const all = cut.flatMap((_, i) => windows(i, from));
          if (all.length === 0) return 'median(t,d,s,n)';
          let best = 'median(t,d,s,n)'; let bs = windowScore(all, best, 'smape');
          for (const c of SELECT_CHOICES) { const v = windowScore(all, c, 'smape'); if (v < bs) { bs = v; best = c; } }
          return best;
        };
        const picks = new Map<number, string>();
        const apply = (from: number, now: F, i: number): number[] => {
          if (rn !== SELECT) return RULES[rn]!(windows(i, from), now, h, cut[i]!.slice(0, cut[i]!.length - from * h), m);
          if (!picks.has(from)) picks.set(from, panelPick(from));
          return now[picks.get(from)!]!;
        };
        const compTest = cut.map((_, i) => apply(0, testOpts[i]!, i));
        const compVal = cut.map((_, i) => apply(1, optsAt[0]![i]!, i));
        // Two windows: window A (forecast from the cut minus 2h) then window B (from the cut minus h), one
        // vector per series, scaled by the values before A; a series too short for A is scored on B alone.
        const compA = cut.map((_, i) => (win(i, 2) ? apply(2, optsAt[1]![i]!, i) : null));
        // The network is weighed on window A where a whole chunk precedes it (model.ts; else its forecast is naive).
        const netHasA = (i: number): boolean => compA[i] !== null && cut[i]!.length - 2 * h >= panelSettings({ horizon: h, period: m }).chunk;
        const cat = (a: ArrayLike<number> | null | undefined, b: ArrayLike<number>): number[] => [...(a ? Array.from(a) : []), ...Array.from(b)];
        const choice = honest2
          ? chooseWeight(cut.map((_, i) => cat(netHasA(i) ? honest2.valA[i]!.mean : null, honest2.valB[i]!.mean)), cut.map((_, i) => cat(netHasA(i) ? compA[i] : null, compVal[i]!)),
            cut.map((_, i) => cat(netHasA(i) ? win(i, 2)!.actual : null, valActual[i]!)), cut.map((y, i) => (netHasA(i) ? scaleOf(y.slice(0, y.length - 2 * h), m) : valScales[i]!)),
            Number.isFinite(EVIDENCE) ? EVIDENCE : 0, MIN_SERIES)
          : chooseWeight(honest.val.map((b) => b.mean), compVal, valActual, valScales, Number.isFinite(EVIDENCE) ? EVIDENCE : 0, MIN_SERIES);
        // --weight w fixes the network's weight on every panel (1: the network alone), instead of the rule.
        const wgt = args.weight !== '' ? Number(args.weight) : Number.isFinite(EVIDENCE) ? choice.weight : 0;
        const netTest = (wgt > 0 ? shared : honest).test.map((b) => b.mean);
        const model = compTest.map((c, i) => c.map((v, k) => wgt * netTest[i]![k]! + (1 - wgt) * v));
        // The 95% band: the network's own where w = 1, else ŷ ± f·template with f calibrated on the windows.
        const netVal = honest2 ? honest2.valB : honest.val;
        const combVal = compVal.map((c, i) => c.map((v, k) => wgt * netVal[i]!.mean[k]! + (1 - wgt) * v));
        const fc = [...combVal]; const wd = cut.map((y) => bandTemplate(y.slice(0, y.length - h), h, m)); const ac = [...valActual];
        if (BAND_WINDOWS >= 2 && (wgt === 0 || honest2)) {
          cut.forEach((y, i) => {
            const w2 = win(i, 2); if (!w2) return;
            const c = compA[i]!;
            if (honest2 && wgt > 0 && !netHasA(i)) return;
            fc.push(honest2 ? c.map((v, k) => wgt * honest2.valA[i]!.mean[k]! + (1 - wgt) * v) : c);
            wd.push(bandTemplate(y.slice(0, y.length - 2 * h), h, m)); ac.push(w2.actual);
          });
        }
        // max2: as model.ts, the larger of the two windows' factors (a window without a score is skipped).
        const factor = BAND_MAX
          ? calibrateBandOnWindows([{ forecast: fc.slice(0, n), widths: wd.slice(0, n), actual: ac.slice(0, n) }, { forecast: fc.slice(n), widths: wd.slice(n), actual: ac.slice(n) }], BAND_LEVEL).factor
          : calibrateBand(fc, wd, ac, BAND_LEVEL).factor;
        const bands = wgt >= 1 ? shared.test.map((b) => ({ lower: b.lower!, upper: b.upper! })) : model.map((f, i) => combinedBand(f, bandTemplate(cut[i]!, h, m), factor));
        let a = acc.get(rn); if (!a) acc.set(rn, (a = { sm: [], ms: [], msm: [], mms: [], cover: [], msis: [] }));
        for (let i = 0; i < n; i++) {
          if (!(scales[i]! > 0)) continue;
          let inside = 0; let sc = 0;
          test[i]!.forEach((v, k) => { const lo = bands[i]!.lower[k]!, hi = bands[i]!.upper[k]!; if (v >= lo && v <= hi) inside++; sc += hi - lo + (v < lo ? 40 * (lo - v) : 0) + (v > hi ? 40 * (v - hi) : 0); });
          a.cover.push(inside / h); a.msis.push(sc / h / scales[i]!);
        }
        for (let i = 0; i < n; i++) {
          a.sm.push(smape(test[i]!, compTest[i]!)); a.msm.push(smape(test[i]!, model[i]!));
          if (scales[i]! > 0) {
            a.ms.push(mae(test[i]!, compTest[i]!) / scales[i]!); a.mms.push(mae(test[i]!, model[i]!) / scales[i]!);
            let pm = pairModel.get(rn); if (!pm) pairModel.set(rn, (pm = []));
            pm.push({ panel: key, series: stat.ids[i]!, pair: `${key}|${stat.ids[i]}|${o}`, sm: a.msm[a.msm.length - 1]!, ms: a.mms[a.mms.length - 1]! });
          }
        }
        const wk = `${rn}|${key}`; weightsOf.set(wk, [...(weightsOf.get(wk) ?? []), `${wgt} (z ${choice.evidence.toFixed(2)})`]);
      }
    }
    // A panel the folder lacks (heldout6 has no daily or weekly file): no origin was read, nothing to score.
    if (!bench.size) continue;
    const full = [...bench.entries()].filter(([, b]) => b.sm.length === bench.get('ets')!.sm.length);
    const bs = full.reduce((p, c) => (amean(c[1].sm) < amean(p[1].sm) ? c : p));
    const bm = full.filter(([, b]) => b.ms.length === bench.get('ets')!.ms.length).reduce((p, c) => (amean(c[1].ms) < amean(p[1].ms) ? c : p));
    bestOf.set(key, { smape: amean(bs[1].sm), mase: amean(bm[1].ms), names: `${bs[0]} / ${bm[0]}` });
    for (const [name, b] of full) benchOf.set(`${name}|${key}`, { smape: amean(b.sm), mase: b.ms.length === bench.get('ets')!.ms.length ? amean(b.ms) : NaN });
    for (const [rn, a] of acc) {
      let t = table.get(rn); if (!t) table.set(rn, (t = new Map()));
      t.set(key, [amean(a.sm), amean(a.ms), amean(a.msm), amean(a.mms), amean(a.cover), amean(a.msis)]);
    }
  }
}

const panels = [...bestOf.keys()];
console.log(`Best benchmark per panel (sMAPE / MASE): ${panels.map((p) => `${p}: ${bestOf.get(p)!.smape.toFixed(3)} / ${bestOf.get(p)!.mase.toFixed(3)} (${bestOf.get(p)!.names})`).join('; ')}\n`);
console.log('| rule | companion: geo-mean rel. sMAPE | rel. MASE | worst panel (rel. OWA) | model: rel. sMAPE | rel. MASE | rel. OWA | worst | panels won/tied/lost (OWA, 1%) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
const rows: [string, number, string][] = [];
for (const [rn, t] of table) {
  const rel = (j: number, metric: 'smape' | 'mase'): number[] => panels.map((p) => t.get(p)![j]! / bestOf.get(p)![metric]);
  const owa = (j: number): number[] => panels.map((p) => 0.5 * (t.get(p)![j]! / bestOf.get(p)!.smape) + 0.5 * (t.get(p)![j + 1]! / bestOf.get(p)!.mase));
  const co = owa(0); const mo = owa(2);
  const wtl = `${mo.filter((v) => v < 0.99).length}/${mo.filter((v) => v >= 0.99 && v <= 1.01).length}/${mo.filter((v) => v > 1.01).length}`;
  rows.push([rn, gmean(mo), `| ${rn} | ${gmean(rel(0, 'smape')).toFixed(4)} | ${gmean(rel(1, 'mase')).toFixed(4)} | ${Math.max(...co).toFixed(3)} | ${gmean(rel(2, 'smape')).toFixed(4)} | ${gmean(rel(3, 'mase')).toFixed(4)} | **${gmean(mo).toFixed(4)}** | ${Math.max(...mo).toFixed(3)} | ${wtl} |`]);
}
rows.sort((a, b) => a[1] - b[1]);
for (const r of rows) console.log(r[2]);
console.log('\n| rule | 95% coverage per panel | mean | MSIS per panel |\n|---|---|---:|---|');
for (const [rn, t] of table) {
  const cov = panels.map((p) => t.get(p)![4]!);
  console.log(`| ${rn} | ${cov.map((c) => c.toFixed(3)).join(' ')} | ${amean(cov).toFixed(3)} | ${panels.map((p) => t.get(p)![5]!.toFixed(2)).join(' ')} |`);
}
// Each benchmark as a rule of its own: its relative OWA per panel and the geometric mean over the panels
// where it has scores for every pair (R's are missing for some panels).
console.log('\n| benchmark | panels | relative OWA (geometric mean) | worst panel |\n|---|---:|---:|---:|');
const names = [...new Set([...benchOf.keys()].map((k) => k.split('|')[0]!))];
for (const name of names) {
  const rel = panels.flatMap((p) => { const b = benchOf.get(`${name}|${p}`); return b && Number.isFinite(b.mase) ? [0.5 * (b.smape / bestOf.get(p)!.smape) + 0.5 * (b.mase / bestOf.get(p)!.mase)] : []; });
  console.log(`| ${name} | ${rel.length} | ${gmean(rel).toFixed(4)} | ${Math.max(...rel).toFixed(3)} |`);
}
// The paired test of the model against each benchmark, over every (series, origin) pair of the panels: each
// pair's share of the difference in relative OWA within its panel,
//   d = ½ (sMAPE_model − sMAPE_b) / sMAPE_best + ½ (MASE_model − MASE_b) / MASE_best,
// averaged over the origins of a series (a series' origins are not independent), then over the series of a
// panel, then over the panels with equal weight: D, the mean difference of relative OWA (negative: the model
// is better). Its standard error treats the series as independent within and across panels,
//   SE² = Σ_p (1/P²) · var_p / n_p,
// and the two-sided p of z = D / SE is from the normal distribution (a Diebold–Mariano-like test across series).
const normalP = (z: number): number => {
  // Two-sided p from the normal tail (Abramowitz and Stegun 7.1.26 for erfc, error below 1.5e-7).
  const x = Math.abs(z) / Math.SQRT2; const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return erfc;
};
/**
 * The paired test's D and its standard error from per-pair differences d: averaged over a series' origins, then
 * over a panel's series, then over the panels (D); SE from the within-panel variances of the series means.
 */
function pairedD(pairs: readonly { panel: string; series: string; d: number }[]): { D: number; se: number; z: number; series: number } {
  const bySeries = new Map<string, { panel: string; d: number[] }>();
  for (const x of pairs) {
    const k = `${x.panel}|${x.series}`; let e = bySeries.get(k); if (!e) bySeries.set(k, (e = { panel: x.panel, d: [] })); e.d.push(x.d);
  }
  const byPanel = new Map<string, number[]>();
  for (const e of bySeries.values()) { let v = byPanel.get(e.panel); if (!v) byPanel.set(e.panel, (v = [])); v.push(amean(e.d)); }
  const P = byPanel.size; let D = 0; let V = 0;
  for (const v of byPanel.values()) {
    const mu = amean(v); D += mu / P;
    const varp = v.length > 1 ? v.reduce((t, x) => t + (x - mu) ** 2, 0) / (v.length - 1) : 0;
    V += varp / v.length / (P * P);
  }
  const se = Math.sqrt(V);
  return { D, se, z: se > 0 ? D / se : 0, series: bySeries.size };
}
console.log('\n| rule | against | pairs | series | D (mean difference of relative OWA) | SE | z | p (two-sided) |\n|---|---|---:|---:|---:|---:|---:|---:|');
for (const [rn, pm] of pairModel) {
  for (const b of names) {
    // Over the pairs where the benchmark has scores (R's are missing on some panels: the pair count says so).
    const has = pm.filter((x) => pairBench.get(x.pair)?.[b] !== undefined && Number.isFinite(pairBench.get(x.pair)![b]!.ms));
    if (has.length === 0) continue;
    const { D, se, z, series } = pairedD(has.map((x) => {
      const best = bestOf.get(x.panel)!; const q = pairBench.get(x.pair)![b]!;
      return { panel: x.panel, series: x.series, d: 0.5 * (x.sm - q.sm) / best.smape + 0.5 * (x.ms - q.ms) / best.mase };
    }));
    console.log(`| ${rn} | ${b} | ${has.length} | ${series} | ${D.toFixed(4)} | ${se.toFixed(4)} | ${z.toFixed(2)} | ${normalP(z).toFixed(3)} |`);
  }
}
if (args['arima-ml']) {
  // The new ARIMA against the cached one: d per pair as above (new − cached), averaged over a series' origins,
  // then over a panel's series, then over the panels; the same standard error.
  const { D, se, z, series } = pairedD(arimaPairs.filter((x) => Number.isFinite(x.old.ms) && Number.isFinite(x.now.ms)).map((x) => {
    const best = bestOf.get(x.panel)!;
    return { panel: x.panel, series: x.series, d: 0.5 * (x.now.sm - x.old.sm) / best.smape + 0.5 * (x.now.ms - x.old.ms) / best.mase };
  }));
  const pairs = arimaPairs.filter((x) => Number.isFinite(x.old.ms) && Number.isFinite(x.now.ms)).length;
  console.log('\n| ARIMA | against | pairs | series | D (mean difference of relative OWA) | SE | z | p (two-sided) |\n|---|---|---:|---:|---:|---:|---:|---:|');
  console.log(`| exact likelihood (arima-cache.ts) | cached (CSS) | ${pairs} | ${series} | ${D.toFixed(4)} | ${se.toFixed(4)} | ${z.toFixed(2)} | ${normalP(z).toFixed(3)} |`);
  // Agreement with R's auto.arima: sMAPE and MASE within 0.1 % (relative) of R's on the same pair.
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(b), 1e-9);
  const withR = arimaPairs.filter((x) => x.r !== undefined);
  const agree = (f: (x: typeof arimaPairs[number]) => Score): number => withR.filter((x) => close(f(x).sm, x.r!.smape) && (!Number.isFinite(x.r!.mase) || close(f(x).ms, x.r!.mase))).length;
  const a0 = agree((x) => x.old); const a1 = agree((x) => x.now);
  if (withR.length === 0) console.log('\nNo pair has R\'s auto.arima scored (no r-benchmarks file for these sources).');
  else console.log(`\nPairs with R's auto.arima scored: ${withR.length}; matching R's sMAPE and MASE within 0.1 %: cached (CSS) ${a0} (${(100 * a0 / withR.length).toFixed(1)} %), exact likelihood ${a1} (${(100 * a1 / withR.length).toFixed(1)} %)`);
}
if (args.detail) {
  for (const [rn, t] of table) {
    console.log(`\n${rn}: ${panels.map((p) => `${p} ${t.get(p)!.map((v) => v.toFixed(3)).join('/')} w ${weightsOf.get(`${rn}|${p}`)!.join(',')}`).join('; ')}`);
  }
}
