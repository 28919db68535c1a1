// The ETS–ARIMA companion with and without STL (src/forecast/panel/companion.ts, etsArimaForecast's useStl) on
// the weekly panels of the held-out sets already scored (heldout2: Chicago L-train entries; heldout3; heldout4),
// with m = 52 and h = 13, at the rolling origins bench/panels/fit.ts cuts (origin o cuts each series after
// n − o·h values, the next h are the test; a cut shorter than 3h + m sits the origin out). STL changes the
// forecast only where the cut has more than 2m = 104 values: those (series, origin) pairs are scored; the
// others are the same forecast by construction and only counted.
//
//   nice -n 10 npx tsx bench/stl/weekly.ts [--origins 1,2,3] [--period 52] [--out /tmp/stl-weekly.json]
//   nice -n 10 npx tsx bench/stl/weekly.ts --panel hourly --dirs heldout-panels,heldout2-panels --period 168 --h 48 --baseline 24
//        (the hourly panels of the first two held-out sets, both scored: m = 168 with and without STL, and the
//        companion with m = 24, what hourly panels get now: --baseline adds it, scored on the same pairs)
//   npx tsx bench/stl/weekly.ts --from /tmp/stl-weekly.json [--baseline 24]   (the tables again from a run's saved pairs)
//
// Scores: sMAPE (%), MASE with M4's scale (seasonal naive at lag m of the cut, lag 1 when the cut is not longer
// than m) and with the lag-1 scale bench/panels/pool.ts uses for weekly panels (m = 1 there). The paired test is
// pool.ts's pairedD: per pair d = ½ Δ sMAPE / sMAPE̅ + ½ Δ MASE / MASE̅ (with STL minus the other; the means are the
// other companion's on the panel), averaged over origins within a series, over series within a panel,
// then over panels, with its standard error from the spread of the series within each panel. Also CPU time
// of each companion per value of the cut (one thread), for the cost rule etsArimaCost. Never reads heldout6.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseWidePanel } from '../../src/data/wide.js';
import { etsArimaForecast } from '../../src/forecast/panel/companion.js';
import { mae, naiveScale, smape } from '../../src/forecast/metrics.js';

const args = parseArgs({ options: {
  origins: { type: 'string', default: '1,2,3' }, period: { type: 'string', default: '52' }, h: { type: 'string', default: '13' },
  panel: { type: 'string', default: 'weekly' }, dirs: { type: 'string', default: 'heldout2-panels,heldout3-panels,heldout4-panels' },
  baseline: { type: 'string' }, out: { type: 'string', default: '/tmp/stl-weekly.json' }, from: { type: 'string' },
} }).values;
const m = Number(args.period);
const h = Number(args.h);
const baseline = args.baseline === undefined ? null : Number(args.baseline);
const PANELS = args.dirs!.split(',');
if (PANELS.some((d) => d.includes('heldout6'))) throw new Error('heldout6 is held out: not read here');
const amean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

// Index 0: without STL, 1: with STL, 2: the --baseline period's companion (when asked for).
interface Pair { panel: string; series: string; origin: number; n: number; sm: number[]; ms: number[]; ms1: number[]; ms_: number[] }
const saved = args.from ? JSON.parse(readFileSync(args.from, 'utf8')) as { same: number; pairs: Pair[] } : null;
const pairs: Pair[] = saved ? saved.pairs : [];
let same = saved ? saved.same : 0;
for (const dir of saved ? [] : PANELS) {
  const panel = parseWidePanel(readFileSync(`bench/data/${dir}/${args.panel}.csv`, 'utf8'));
  for (const o of args.origins.split(',').map(Number)) {
    panel.series.forEach((y, i) => {
      const c = y.length - o * h;
      if (c < 3 * h + m) return;
      if (c <= 2 * m) { same++; return; }
      const cut = y.slice(0, c); const test = y.slice(c, c + h);
      const fs: Float64Array[] = []; const times: number[] = [];
      for (const [period, useStl] of [[m, false], [m, true], ...(baseline ? [[baseline, false]] : [])] as [number, boolean][]) {
        // Without the break guard (these figures were measured before it).
        const t0 = cpuMs(); fs.push(etsArimaForecast(cut, h, period, useStl, false)); times.push(cpuMs() - t0);
      }
      const sc = naiveScale(cut, c > m ? m : 1); const sc1 = naiveScale(cut, 1);
      pairs.push({ panel: dir, series: panel.ids[i]!, origin: o, n: c, sm: fs.map((f) => smape(test, f)),
        ms: fs.map((f) => mae(test, f) / sc), ms1: fs.map((f) => mae(test, f) / sc1), ms_: times });
    });
    console.error(`${dir} origin ${o}: ${pairs.length} pairs so far`);
  }
}

function pairedD(ps: readonly { panel: string; series: string; d: number }[]): { D: number; se: number; z: number; series: number } {
  const bySeries = new Map<string, { panel: string; d: number[] }>();
  for (const x of ps) { const k = `${x.panel}|${x.series}`; let e = bySeries.get(k); if (!e) bySeries.set(k, (e = { panel: x.panel, d: [] })); e.d.push(x.d); }
  const byPanel = new Map<string, number[]>();
  for (const e of bySeries.values()) { let v = byPanel.get(e.panel); if (!v) byPanel.set(e.panel, (v = [])); v.push(amean(e.d)); }
  const P = byPanel.size; let D = 0; let V = 0;
  for (const v of byPanel.values()) {
    const mu = amean(v); D += mu / P;
    V += (v.length > 1 ? v.reduce((t, x) => t + (x - mu) ** 2, 0) / (v.length - 1) : 0) / v.length / (P * P);
  }
  const se = Math.sqrt(V);
  return { D, se, z: se > 0 ? D / se : 0, series: bySeries.size };
}
const pTwoSided = (z: number): number => { // 2(1 − Φ(|z|)), Abramowitz–Stegun 26.2.17
  const x = Math.abs(z); const t = 1 / (1 + 0.2316419 * x);
  const poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return 2 * (Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)) * poly;
};

console.log(`${args.panel} panels of ${PANELS.join(', ')}: m = ${m}, h = ${h}; ${pairs.length} (series, origin) pairs with a cut of more than ${2 * m} values; ${same} shorter pairs unchanged by construction\n`);
const B = baseline ? ` | m = ${baseline}` : '';
console.log(`| panel | pairs | series | sMAPE without | with STL${B} | MASE (lag m) without | with STL${B} | MASE (lag 1) without | with STL${B} | CPU ms/value without | with STL${B} |\n|---|---:|---:|${'---:|'.repeat(baseline ? 12 : 8)}`);
const rows = [...PANELS, 'all'];
// Each panel's mean scores of each companion (index as in Pair), for the relative OWA against it.
const meanOf: Record<string, { sm: number; ms: number; ms1: number }[]> = {};
for (const p of rows) {
  const ps = p === 'all' ? pairs : pairs.filter((x) => x.panel === p);
  if (!ps.length) continue;
  const js = baseline ? [0, 1, 2] : [0, 1];
  const f = (k: 'sm' | 'ms' | 'ms1', j: number): number => amean(ps.map((x) => x[k][j]!));
  const cost = (j: number): number => ps.reduce((t, x) => t + x.ms_[j]!, 0) / ps.reduce((t, x) => t + x.n, 0);
  meanOf[p] = js.map((j) => ({ sm: f('sm', j), ms: f('ms', j), ms1: f('ms1', j) }));
  const cells = (k: 'sm' | 'ms' | 'ms1', digits: number): string => js.map((j) => f(k, j).toFixed(digits)).join(' | ');
  console.log(`| ${p} | ${ps.length} | ${new Set(ps.map((x) => x.panel + x.series)).size} | ${cells('sm', 3)} | ${cells('ms', 4)} | ${cells('ms1', 4)} | ${js.map((j) => cost(j).toFixed(3)).join(' | ')} |`);
}
console.log('\n| paired: with STL − | D | SE | z | p (two-sided) | series |\n|---|---:|---:|---:|---:|---:|');
for (const [against, j] of [['without', 0], ...(baseline ? [[`m = ${baseline}`, 2]] : [])] as [string, number][]) {
  for (const [label, d] of [
    ['relative OWA (½ sMAPE + ½ MASE lag m)', (x: Pair) => 0.5 * (x.sm[1]! - x.sm[j]!) / meanOf[x.panel]![j]!.sm + 0.5 * (x.ms[1]! - x.ms[j]!) / meanOf[x.panel]![j]!.ms],
    ['relative OWA (½ sMAPE + ½ MASE lag 1)', (x: Pair) => 0.5 * (x.sm[1]! - x.sm[j]!) / meanOf[x.panel]![j]!.sm + 0.5 * (x.ms1[1]! - x.ms1[j]!) / meanOf[x.panel]![j]!.ms1],
    ['sMAPE', (x: Pair) => x.sm[1]! - x.sm[j]!],
    ['MASE (lag m)', (x: Pair) => x.ms[1]! - x.ms[j]!],
  ] as const) {
    const r = pairedD(pairs.map((x) => ({ panel: x.panel, series: x.series, d: d(x) })));
    console.log(`| ${against}: ${label} | ${r.D.toFixed(4)} | ${r.se.toFixed(4)} | ${r.z.toFixed(2)} | ${pTwoSided(r.z).toFixed(3)} | ${r.series} |`);
  }
}
if (!saved) writeFileSync(args.out!, JSON.stringify({ m, h, same, pairs }));
