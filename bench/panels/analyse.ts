// Phase 2 of the development protocol (bench/panels/fit.ts is phase 1): scores combination rules on the
// cached forecasts of the development panels at their rolling origins, beside the statistical candidates
// unroll's own ETS and ARIMA (cached by fit.ts), and R's ets/auto.arima where bench/data/dev-panels/r-benchmarks.csv
// exists (same origins). 'series' is the per-series companion as companion.ts computes it (its validation
// forecast chooses on the two windows before the validation window). Prints a Markdown table
// per panel: sMAPE / MASE as means over every (series, origin), and the 95% band's coverage and MSIS.
//
//   npx tsx bench/panels/analyse.ts [--panels weekly,monthly,quarterly,yearly,hourly] [--members 8]
//   npx tsx bench/panels/analyse.ts --dir bench/data/heldout-panels --panels daily,... --members 3   (another folder,
//        as fit.ts --dir; R's scores from its r-benchmarks.csv or r-benchmarks-<panel>.csv; a win/tie/loss line)
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCsvCells } from '../../src/data/csv.js';
import { bandTemplate, chooseWeight, calibrateBand, combinedBand } from '../../src/forecast/panel/combine.js';
import { medianForecast } from '../../src/forecast/panel/companion.js';
import { mae, naiveScale, smape } from '../../src/forecast/metrics.js';
const CACHE = process.env.COMBINE_CACHE ?? '/tmp/combine-cache';
const DEV_DIR = 'bench/data/dev-panels';

const { values: args } = parseArgs({ options: {
  panels: { type: 'string', default: 'weekly,monthly,quarterly,yearly,hourly' }, members: { type: 'string', default: '8' },
  rules: { type: 'string', default: '' }, dir: { type: 'string', default: DEV_DIR },
} });
const dir = args.dir.replace(/\/+$/, '');
// The cache's prefix of a folder's panels (as fit.ts): none for the development panels.
const prefix = dir === DEV_DIR ? '' : `${dir.split('/').pop()}-`;

type Band = { mean: number[]; lower: number[] | null; upper: number[] | null };
interface Stat { ids: string[]; h: number; m: number; cut: number[][]; test: number[][]; test_f: Record<string, number[]>[]; val_f: Record<string, number[]>[]; val2_f: Record<string, number[]>[]; val3_f?: Record<string, number[]>[] }
interface Net { val: Band[]; test: Band[] }

// M4's MASE scale (lag 1 when the series is not longer than m); sMAPE and MAE: src/forecast/metrics.ts.
const scale = (y: number[], m: number): number => naiveScale(y, y.length > m ? m : 1);

// R's scores by panel, method, origin, series (one file for the folder, or one per panel).
const R_METHODS = ['ets', 'arima', 'theta', 'damped', 'snaive'];
const rScores = new Map<string, { smape: number; mase: number }>();
for (const file of [`${dir}/r-benchmarks.csv`, ...args.panels.split(',').map((p) => `${dir}/r-benchmarks-${p}.csv`)]) {
  if (!existsSync(file)) continue;
  const { rows } = parseCsvCells(readFileSync(file, 'utf8'), { source: file });
  for (const r of rows) rScores.set(`${r[0]}|${r[3]}|${r[1]}|${r[2]}`, { smape: Number(r[4]), mase: Number(r[5]) });
}

interface Acc { smape: number[]; mase: number[]; cover: number[]; msis: number[]; weights: number[] }
const acc = (): Acc => ({ smape: [], mase: [], cover: [], msis: [], weights: [] });
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

for (const panel of args.panels.split(',')) {
  const results = new Map<string, Acc>();
  const add = (name: string): Acc => { let a = results.get(name); if (!a) results.set(name, (a = acc())); return a; };
  let origins = 0;
  const chosen: string[] = [];
  for (let o = 1; o <= 3; o++) {
    const job = `${prefix}${panel}-o${o}`;
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
    const hasAuto = stat.test_f[0]!.ets !== undefined && stat.test_f[0]!.arima !== undefined;
    if (hasAuto) {
      const med = (fs: Record<string, number[]>[], names: string[]): Float64Array[] => fs.map((f) => medianForecast(names.map((n) => f[n]!), h));
      const sets: Record<string, string[]> = {
        ets: ['ets'], arima: ['arima'],
        'median(t,d,e,a)': ['theta', 'damped', 'ets', 'arima'], 'median(all6)': ['theta', 'damped', 'ses', 'snaive', 'ets', 'arima'],
        'median(t,d,e,a,s)': ['theta', 'damped', 'ets', 'arima', 'ses'],
      };
      for (const [n, names] of Object.entries(sets)) cands[n] = names.length === 1 ? [stat.val_f.map((f) => f[names[0]!]!), stat.test_f.map((f) => f[names[0]!]!), stat.val2_f.map((f) => f[names[0]!]!)] : [med(stat.val_f, names), med(stat.test_f, names), med(stat.val2_f, names)];
      for (const names of [['theta', 'damped', 'ets', 'arima'], ['ets', 'arima', 'theta']]) cands[`mean(${names.map((x) => x[0]).join(',')})`] = [avg(stat.val_f, names), avg(stat.test_f, names), avg(stat.val2_f, names)];
    }
    const OLD = ['theta', 'damped', 'ses', 'snaive', 'median4', 'theta+damped'];
    const vs = (fs: ArrayLike<number>[], act: number[][]): number => { let t = 0; let c = 0; fs.forEach((f, i) => { if (act[i]!.length === h) { t += smape(act[i]!, f); c++; } }); return t / c; };
    let bestName = 'median4'; let bestScore = Infinity;
    for (const [n, c] of Object.entries(cands)) { if (!OLD.includes(n)) continue; const sc = vs(c[0], valActual) + vs(c[2], val2Actual); if (sc < bestScore) { bestScore = sc; bestName = n; } }
    // The same choice among every candidate (with ETS, ARIMA and their combinations).
    let bestAll = bestName; let bestAllScore = Infinity;
    for (const [n, c] of Object.entries(cands)) { const sc = vs(c[0], valActual) + vs(c[2], val2Actual); if (sc < bestAllScore) { bestAllScore = sc; bestAll = n; } }
    chosen.push(`${o}:${bestAll}`);
    const selPerSeries = (which: 0 | 1): ArrayLike<number>[] => cut.map((_, i) => {
      let bn = 'median4'; let bs = Infinity;
      for (const [n, c] of Object.entries(cands)) { const sc = smape(valActual[i]!, c[0][i]!) + (val2Actual[i]!.length === h ? smape(val2Actual[i]!, c[2][i]!) : 0); if (sc < bs) { bs = sc; bn = n; } }
      return cands[bn]![which][i]!;
    });
    const companions: Record<string, [ArrayLike<number>[], ArrayLike<number>[]]> = {
      theta: [cands.theta![0], cands.theta![1]], median4: [medVal, medTest], 'theta+damped': [cands['theta+damped']![0], cands['theta+damped']![1]],
      select: [cands[bestName]![0], cands[bestName]![1]], 'select/series': [selPerSeries(0), selPerSeries(1)],
    };
    if (hasAuto) {
      // Per-series choice among a set, by sMAPE (or OWA-like: sMAPE and MASE relative to the set's mean) on the two windows.
      const perSeries = (names: string[], owa: boolean): [ArrayLike<number>[], ArrayLike<number>[]] => {
        const pick = cut.map((y, i) => {
          const sc = valScales[i]!; const sc2 = scale(y.slice(0, Math.max(1, y.length - 2 * h)), m);
          const raw = names.map((n) => { const c = cands[n]!; const two = val2Actual[i]!.length === h;
            return [smape(valActual[i]!, c[0][i]!) + (two ? smape(val2Actual[i]!, c[2][i]!) : 0), mae(valActual[i]!, c[0][i]!) / sc + (two ? mae(val2Actual[i]!, c[2][i]!) / sc2 : 0)] as const; });
          const ms = mean(raw.map((r) => r[0])) || 1; const mm = mean(raw.map((r) => r[1])) || 1;
          let b = 0; raw.forEach((r, j) => { const v = owa && Number.isFinite(mm) ? r[0] / ms + r[1] / mm : r[0]; const vb = owa && Number.isFinite(mm) ? raw[b]![0] / ms + raw[b]![1] / mm : raw[b]![0]; if (v < vb) b = j; });
          return names[b]!;
        });
        return [cut.map((_, i) => cands[pick[i]!]![0][i]!), cut.map((_, i) => cands[pick[i]!]![1][i]!)];
      };
      // The honest per-series companion (as companion.ts computes it from a series alone): the validation
      // forecast's pick is chosen on the two windows before the validation window (val2, val3 forecasts).
      const val3Actual = cut.map((y) => y.slice(Math.max(0, y.length - 3 * h), Math.max(0, y.length - 2 * h)));
      const val3: Record<string, ArrayLike<number>[]> = {};
      if (stat.val3_f) {
        const fs = stat.val3_f;
        for (const n of ['theta', 'damped', 'ses', 'snaive', 'ets', 'arima']) val3[n] = fs.map((f) => f[n]!);
        val3['median(t,d,e,a)'] = fs.map((f) => medianForecast(['theta', 'damped', 'ets', 'arima'].map((n) => f[n]!), h));
        val3['mean(t,d,e,a)'] = avg(fs, ['theta', 'damped', 'ets', 'arima']);
      }
      const honestSeries = (names: string[]): [ArrayLike<number>[], ArrayLike<number>[]] => {
        const valPick = cut.map((_, i) => {
          let best = names[0]!; let bs = Infinity;
          for (const n of names) { let sc = 0; if (val2Actual[i]!.length === h) sc += smape(val2Actual[i]!, cands[n]![2][i]!); if (val3[n] && val3Actual[i]!.length === h) sc += smape(val3Actual[i]!, val3[n]![i]!); if (sc < bs) { bs = sc; best = n; } }
          return best;
        });
        const testPick = cut.map((_, i) => {
          let best = names[0]!; let bs = Infinity;
          for (const n of names) { let sc = smape(valActual[i]!, cands[n]![0][i]!); if (val2Actual[i]!.length === h) sc += smape(val2Actual[i]!, cands[n]![2][i]!); if (sc < bs) { bs = sc; best = n; } }
          return best;
        });
        return [cut.map((_, i) => cands[valPick[i]!]![0][i]!), cut.map((_, i) => cands[testPick[i]!]![1][i]!)];
      };
      const ALL = Object.keys(cands);
      const ROBUST = process.env.SERIES_SET ? process.env.SERIES_SET.split(';') : ['theta', 'damped', 'ets', 'arima', 'median(t,d,e,a)', 'mean(t,d,e,a)'];
      if (stat.val3_f) companions.series = honestSeries(ROBUST);
      companions['select-all/series'] = perSeries(ALL, false);
      companions['select-all/series owa'] = perSeries(ALL, true);
      companions['select-robust/series'] = perSeries(ROBUST, false);
      companions['select-robust/series owa'] = perSeries(ROBUST, true);
      companions['select-old/series owa'] = perSeries(OLD, true);
      for (const n of Object.keys(cands)) if (!OLD.includes(n)) companions[n] = [cands[n]![0], cands[n]![1]];
      companions['select-all'] = [cands[bestAll]![0], cands[bestAll]![1]];
    }
    for (const [n, c] of Object.entries(companions)) if (n !== 'theta') score(`companion ${n}`, c[1], undefined, n === 'select' ? Object.keys(cands).indexOf(bestName) : undefined);
    for (const meth of R_METHODS) {
      if (meth !== 'ets' && meth !== 'arima' && !stat.ids.some((id) => rScores.has(`${panel}|${meth}|${o}|${id}`))) continue;
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
          if (mode === 'honest' && nets.shared && crit === 'owa') {
            const refit = w > 0 ? nets.shared.test : net.test;
            const combR = refit.map((b, i) => b.mean.map((v, k) => w * v + (1 - w) * cTest[i]![k]!));
            const bandsR = w >= 1 ? refit.map((b) => ({ lower: b.lower!, upper: b.upper! })) : combR.map((c, i) => combinedBand(c, bandTemplate(cut[i]!, h, m), factor));
            const label = cname === 'series' ? 'SHIPPED (companion series): honest weight, refit members'
              : cname === 'select' ? 'previous default (companion select): honest weight, refit members' : `honest weight, refit, + ${cname}`;
            score(label, combR, bandsR, w);
            if (cname === 'series') {
              // The weight kept only with z standard errors of evidence over the series (combine.ts).
              for (const z of [0.5, 1, 2]) {
                const wz = chooseWeight(net.val.map((b) => b.mean), cVal, valActual, valScales, z).weight;
                const fz = wz > 0 ? nets.shared.test : net.test;
                const combZ = fz.map((b, i) => b.mean.map((v, k) => wz * v + (1 - wz) * cTest[i]![k]!));
                score(`series, evidence z = ${z}`, combZ, undefined, wz);
              }
            }
          }
        }
      }
    }
  }
  if (!origins) continue;
  console.log(`\n### ${panel} (${origins} origins)\n\n| method | sMAPE | MASE | n | weights | 95% cover | MSIS |\n|---|---:|---:|---:|---|---:|---:|`);
  if (chosen.length) console.log(`(select-all chose: ${chosen.join(', ')})\n`);
  for (const [name, a] of results) {
    console.log(`| ${name} | ${mean(a.smape).toFixed(3)} | ${mean(a.mase).toFixed(3)} | ${a.smape.length} | ${a.weights.join(' ')} | ${a.cover.length ? mean(a.cover).toFixed(3) : ''} | ${a.msis.length ? mean(a.msis).toFixed(2) : ''} |`);
  }
  // The shipped model against the best benchmark chosen after the fact (bench/data/heldout-panels/README.md):
  // ETS, ARIMA, Theta, damped and seasonal naive, unroll's and R's; within 1% relative a tie.
  const shipped = results.get('SHIPPED (companion series): honest weight, refit members');
  const BENCH = ['ets', 'arima', 'theta', 'damped', 'snaive', ...R_METHODS.map((m) => `R ${m}`)];
  const bench = BENCH.filter((n) => results.has(n) && results.get(n)!.smape.length === shipped?.smape.length);
  if (shipped && bench.length) {
    const verdict = (key: 'smape' | 'mase'): string => {
      let best = bench[0]!;
      for (const n of bench) if (mean(results.get(n)![key]) < mean(results.get(best)![key])) best = n;
      const b = mean(results.get(best)![key]); const v = mean(shipped[key]); const rel = v / b - 1;
      return `${key === 'smape' ? 'sMAPE' : 'MASE'} ${v.toFixed(3)} against ${best}'s ${b.toFixed(3)} (${(100 * rel).toFixed(1)}%): ${Math.abs(rel) < 0.01 ? 'tie' : rel < 0 ? 'win' : 'loss'}`;
    };
    console.log(`\nShipped model against the best of ${bench.join(', ')}: ${verdict('smape')}; ${verdict('mase')}`);
  }
}
