// Phase 2 of the development protocol (bench/panels/fit.ts is phase 1): scores combination rules on the
// cached forecasts of the development panels at their rolling origins, beside the statistical candidates
// and R's ets/auto.arima (bench/data/dev-panels/r-benchmarks.csv, same origins). Prints a Markdown table
// per panel: sMAPE / MASE as means over every (series, origin), and the 95% band's coverage and MSIS.
//
//   npx tsx bench/panels/analyse.ts [--panels weekly,monthly,quarterly,yearly,hourly] [--members 8]
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCsvCells } from '../../src/data/csv.js';
import { bandTemplate, chooseWeight, calibrateBand, combinedBand } from '../../src/forecast/panel/combine.js';
import { medianForecast } from '../../src/forecast/panel/companion.js';
const CACHE = process.env.COMBINE_CACHE ?? '/tmp/combine-cache';

const { values: args } = parseArgs({ options: {
  panels: { type: 'string', default: 'weekly,monthly,quarterly,yearly,hourly' }, members: { type: 'string', default: '8' },
  rules: { type: 'string', default: '' },
} });

type Band = { mean: number[]; lower: number[] | null; upper: number[] | null };
interface Stat { ids: string[]; h: number; m: number; cut: number[][]; test: number[][]; test_f: Record<string, number[]>[]; val_f: Record<string, number[]>[]; val2_f: Record<string, number[]>[] }
interface Net { val: Band[]; test: Band[] }

function scale(y: number[], m: number): number {
  const lag = y.length > m ? m : 1;
  let s = 0;
  for (let t = lag; t < y.length; t++) s += Math.abs(y[t]! - y[t - lag]!);
  return s / (y.length - lag);
}
function smape(a: number[], f: ArrayLike<number>): number {
  let s = 0;
  a.forEach((v, k) => { const d = Math.abs(v) + Math.abs(f[k]!); s += d > 0 ? (200 * Math.abs(v - f[k]!)) / d : 0; });
  return s / a.length;
}
function mae(a: number[], f: ArrayLike<number>): number { let s = 0; a.forEach((v, k) => { s += Math.abs(v - f[k]!); }); return s / a.length; }

// R's scores by panel, method, origin, series.
const rScores = new Map<string, { smape: number; mase: number }>();
if (existsSync('bench/data/dev-panels/r-benchmarks.csv')) {
  const { rows } = parseCsvCells(readFileSync('bench/data/dev-panels/r-benchmarks.csv', 'utf8'), { source: 'r-benchmarks.csv' });
  for (const r of rows) rScores.set(`${r[0]}|${r[3]}|${r[1]}|${r[2]}`, { smape: Number(r[4]), mase: Number(r[5]) });
}

interface Acc { smape: number[]; mase: number[]; cover: number[]; msis: number[]; weights: number[] }
const acc = (): Acc => ({ smape: [], mase: [], cover: [], msis: [], weights: [] });
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

for (const panel of args.panels.split(',')) {
  const results = new Map<string, Acc>();
  const add = (name: string): Acc => { let a = results.get(name); if (!a) results.set(name, (a = acc())); return a; };
  let origins = 0;
  for (let o = 1; o <= 3; o++) {
    const job = `${panel}-o${o}`;
    if (!existsSync(`${CACHE}/${job}-stat.json`)) continue;
    const stat = JSON.parse(readFileSync(`${CACHE}/${job}-stat.json`, 'utf8')) as Stat;
    const nets: Record<string, Net> = {};
    for (const mode of ['honest', 'shared']) {
      const f = `${CACHE}/${job}-${mode}-m${args.members}.json`;
      if (existsSync(f)) nets[mode] = JSON.parse(readFileSync(f, 'utf8')) as Net;
    }
    if (Object.keys(nets).length === 0) continue; // every row of a table covers the same origins
    origins++;
    const { h, m, cut, test } = stat;
    const scales = cut.map((y) => scale(y, m));
    const valActual = cut.map((y) => y.slice(y.length - h));
    const valScales = cut.map((y) => scale(y.slice(0, y.length - h), m));
    const score = (name: string, fs: ArrayLike<number>[], bands?: { lower: ArrayLike<number>; upper: ArrayLike<number> }[], weight?: number): void => {
      const a = add(name);
      if (weight !== undefined) a.weights.push(weight);
      fs.forEach((f, i) => {
        a.smape.push(smape(test[i]!, f));
        if (scales[i]! > 0) a.mase.push(mae(test[i]!, f) / scales[i]!);
        const b = bands?.[i];
        if (b && scales[i]! > 0) {
          let inside = 0; let s = 0;
          test[i]!.forEach((v, k) => {
            const lo = b.lower[k]!, hi = b.upper[k]!;
            if (v >= lo && v <= hi) inside++;
            s += hi - lo + (v < lo ? 40 * (lo - v) : 0) + (v > hi ? 40 * (v - hi) : 0);
          });
          a.cover.push(inside / h);
          a.msis.push(s / h / scales[i]!);
        }
      });
    };
    // Statistical candidates and R.
    for (const name of Object.keys(stat.test_f[0]!)) score(name, stat.test_f.map((f) => f[name]!));
    const median = (fs: Record<string, number[]>[]): Float64Array[] => fs.map((f) => medianForecast(['theta', 'damped', 'ses', 'snaive'].map((n) => f[n]!), h));
    const avg = (fs: Record<string, number[]>[], names: string[]): number[][] => fs.map((f) => f[names[0]!]!.map((_, k) => names.reduce((a, n) => a + f[n]![k]!, 0) / names.length));
    const medTest = median(stat.test_f);
    const medVal = median(stat.val_f);
    const val2Actual = cut.map((y) => y.slice(Math.max(0, y.length - 2 * h), y.length - h));
    // Candidates as named companions: [val forecasts, test forecasts, val2 forecasts].
    const cands: Record<string, [ArrayLike<number>[], ArrayLike<number>[], ArrayLike<number>[]]> = {
      theta: [stat.val_f.map((f) => f.theta!), stat.test_f.map((f) => f.theta!), stat.val2_f.map((f) => f.theta!)],
      damped: [stat.val_f.map((f) => f.damped!), stat.test_f.map((f) => f.damped!), stat.val2_f.map((f) => f.damped!)],
      ses: [stat.val_f.map((f) => f.ses!), stat.test_f.map((f) => f.ses!), stat.val2_f.map((f) => f.ses!)],
      snaive: [stat.val_f.map((f) => f.snaive!), stat.test_f.map((f) => f.snaive!), stat.val2_f.map((f) => f.snaive!)],
      median4: [medVal, medTest, median(stat.val2_f)],
      'theta+damped': [avg(stat.val_f, ['theta', 'damped']), avg(stat.test_f, ['theta', 'damped']), avg(stat.val2_f, ['theta', 'damped'])],
    };
    const vs = (fs: ArrayLike<number>[], act: number[][]): number => { let t = 0; let c = 0; fs.forEach((f, i) => { if (act[i]!.length === h) { t += smape(act[i]!, f); c++; } }); return t / c; };
    let bestName = 'median4'; let bestScore = Infinity;
    for (const [n, c] of Object.entries(cands)) { const sc = vs(c[0], valActual) + vs(c[2], val2Actual); if (sc < bestScore) { bestScore = sc; bestName = n; } }
    const selPerSeries = (which: 0 | 1): ArrayLike<number>[] => cut.map((_, i) => {
      let bn = 'median4'; let bs = Infinity;
      for (const [n, c] of Object.entries(cands)) { const sc = smape(valActual[i]!, c[0][i]!) + (val2Actual[i]!.length === h ? smape(val2Actual[i]!, c[2][i]!) : 0); if (sc < bs) { bs = sc; bn = n; } }
      return cands[bn]![which][i]!;
    });
    const companions: Record<string, [ArrayLike<number>[], ArrayLike<number>[]]> = {
      theta: [cands.theta![0], cands.theta![1]], median4: [medVal, medTest], 'theta+damped': [cands['theta+damped']![0], cands['theta+damped']![1]],
      select: [cands[bestName]![0], cands[bestName]![1]], 'select/series': [selPerSeries(0), selPerSeries(1)],
    };
    for (const [n, c] of Object.entries(companions)) if (n !== 'theta') score(`companion ${n}`, c[1], undefined, n === 'select' ? Object.keys(cands).indexOf(bestName) : undefined);
    for (const meth of ['ets', 'arima']) {
      const a = add(`R ${meth}`);
      stat.ids.forEach((id) => { const r = rScores.get(`${panel}|${meth}|${o}|${id}`); if (r) { a.smape.push(r.smape); if (Number.isFinite(r.mase)) a.mase.push(r.mase); } });
    }
    for (const [mode, net] of Object.entries(nets)) {
      const netTest = net.test.map((b) => b.mean);
      const netBands = net.test.map((b) => ({ lower: b.lower!, upper: b.upper! }));
      score(`net ${mode}`, netTest, netBands);
      for (const [cname, [cVal, cTest]] of Object.entries(companions)) {
        for (const crit of ['smape', 'owa'] as const) {
          const choice = chooseWeight(net.val.map((b) => b.mean), cVal, valActual, crit === 'owa' ? valScales : undefined);
          const w = choice.weight;
          const comb = netTest.map((f, i) => f.map((v, k) => w * v + (1 - w) * cTest[i]![k]!));
          const label = `${mode} + ${cname}, w by ${crit}`;
          // Bands: the network's half-widths recentred (old), and calibrated on the validation errors.
          const valComb = net.val.map((b, i) => b.mean.map((v, k) => w * v + (1 - w) * cVal[i]![k]!));
          const widthsVal = cut.map((y) => bandTemplate(y.slice(0, y.length - h), h, m));
          const factor = calibrateBand(valComb, widthsVal, valActual, 0.95).factor;
          // The network alone keeps its own band (as model.ts does); a combination gets the calibrated one.
          const bandsCal = w >= 1 ? netBands : comb.map((c, i) => combinedBand(c, bandTemplate(cut[i]!, h, m), factor));
          score(label, comb, bandsCal, w);
          // What model.ts ships: the weight from the honest members, the forecast from members trained
          // again on every value (the shared ones) when the network has any weight.
          if (mode === 'honest' && nets.shared && cname === 'select' && crit === 'owa') {
            const refit = w > 0 ? nets.shared.test : net.test;
            const combR = refit.map((b, i) => b.mean.map((v, k) => w * v + (1 - w) * cTest[i]![k]!));
            const bandsR = w >= 1 ? refit.map((b) => ({ lower: b.lower!, upper: b.upper! })) : combR.map((c, i) => combinedBand(c, bandTemplate(cut[i]!, h, m), factor));
            score('SHIPPED: honest weight, refit members', combR, bandsR, w);
          }
        }
      }
    }
  }
  if (!origins) continue;
  console.log(`\n### ${panel} (${origins} origins)\n\n| method | sMAPE | MASE | n | weights | 95% cover | MSIS |\n|---|---:|---:|---:|---|---:|---:|`);
  for (const [name, a] of results) {
    console.log(`| ${name} | ${mean(a.smape).toFixed(3)} | ${mean(a.mase).toFixed(3)} | ${a.smape.length} | ${a.weights.join(' ')} | ${a.cover.length ? mean(a.cover).toFixed(3) : ''} | ${a.msis.length ? mean(a.msis).toFixed(2) : ''} |`);
  }
}
