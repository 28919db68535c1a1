// unroll's automatic ARIMA against R's forecast::auto.arima on every cut of the panels looked at: the share
// of cuts where both chose the same order (p,d,q)(P,D,Q) and constant, and where our point forecasts are
// within 0.1% of R's (mean absolute difference over the h steps relative to the mean |R forecast|).
// R's side is computed once per panel file by auto-arima-cuts.R and cached in --cache (default /tmp/arima-r):
//
//   nice -n 10 Rscript bench/ets-arima/auto-arima-cuts.R bench/data/dev-panels/monthly.csv 18 12 /tmp/arima-r/dev-monthly.tsv
//   nice -n 10 npx tsx bench/ets-arima/arima-vs-r.ts [--sets dev,heldout,...] [--panels monthly,...] [--src src] [--list]
//
// Cuts as bench/panels/fit.ts (h and m of bench/panels/panels.ts): origin o = 1, 2, 3 cuts a series of n values after n − o·h;
// a cut shorter than 3h + max(m, 1) sits out. --list prints every cut where the two differ; --json writes
// ours and R's per cut.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseWidePanel } from '../../src/data/wide.js';
import { PANEL_SPECS } from '../panels/panels.js';

const { values: args } = parseArgs({ options: {
  sets: { type: 'string', default: 'dev,heldout,heldout2,heldout3,heldout4,heldout5' },
  panels: { type: 'string', default: 'yearly,quarterly,monthly,weekly,daily' },
  src: { type: 'string', default: 'src' }, cache: { type: 'string', default: '/tmp/arima-r' },
  list: { type: 'boolean', default: false }, json: { type: 'string' }, tol: { type: 'string', default: '1e-3' },
} });
const { autoArima, arimaForecast } = await import(pathToFileURL(resolve(args.src, 'forecast/methods/arima.ts')).href);
const tol = Number(args.tol);

interface RCut { order: number[]; constant: boolean; loglik: number; aicc: number; coef: string; fc: number[]; seconds: number }
const readR = (file: string): Map<string, RCut> => {
  const out = new Map<string, RCut>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    out.set(`${f[0]}|${f[1]}`, {
      order: f.slice(2, 9).map(Number), constant: f[9] === '1', loglik: Number(f[10]), aicc: Number(f[11]), coef: f[13],
      fc: f[14].split(';').map(Number), seconds: Number(f[15]),
    });
  }
  return out;
};
const orderKey = (o: number[]): string => {
  const [p, d, q, P, D, Q, m] = o;
  return `(${p},${d},${q})` + (P + D + Q > 0 ? `(${P},${D},${Q})[${m}]` : '');
};

const rows: unknown[] = [];
const totals = { cuts: 0, order: 0, fc: 0, both: 0, seconds: 0 };
for (const set of args.sets.split(',')) {
  for (const panelName of args.panels.split(',')) {
    const file = `bench/data/${set}-panels/${panelName}.csv`;
    const rfile = `${args.cache}/${set}-${panelName}.tsv`;
    if (!existsSync(file)) continue;
    if (!existsSync(rfile)) { console.log(`${set} ${panelName}: no R results (${rfile}); skipped`); continue; }
    const rres = readR(rfile);
    const { h, m } = PANEL_SPECS[panelName]!;
    const panel = parseWidePanel(readFileSync(file, 'utf8'), { source: file });
    const t = { cuts: 0, order: 0, fc: 0, both: 0 };
    const cpu0 = process.cpuUsage();
    panel.series.forEach((y, i) => {
      for (const o of [1, 2, 3]) {
        const c = y.length - o * h;
        if (c < 3 * h + Math.max(m, 1)) continue;
        const id = panel.ids[i]!;
        const r = rres.get(`${id}|${o}`);
        if (!r) continue; // R has not reached this cut yet
        const model = autoArima(y.slice(0, c), m);
        const fc = Array.from(arimaForecast(model, h).mean as Float64Array);
        const oo = model.order;
        const ours = [oo.p, oo.d, oo.q, oo.P, oo.D, oo.Q, m];
        const sameOrder = orderKey(ours) === orderKey(r.order) && oo.constant === r.constant;
        let num = 0;
        let den = 0;
        for (let j = 0; j < h; j++) { num += Math.abs(fc[j]! - r.fc[j]!); den += Math.abs(r.fc[j]!); }
        const rel = den > 0 ? num / den : num;
        const closeFc = rel <= tol;
        t.cuts++;
        if (sameOrder) t.order++;
        if (closeFc) t.fc++;
        if (sameOrder && closeFc) t.both++;
        totals.seconds += r.seconds;
        const row = {
          set, panel: panelName, id, origin: o, n: c,
          r: { order: orderKey(r.order), constant: r.constant, loglik: r.loglik, aicc: r.aicc, coef: r.coef },
          ours: { order: orderKey(ours), constant: oo.constant, loglik: model.loglik, aicc: model.aicc, method: model.method,
            coef: [...model.ar, ...model.sar, ...model.ma, ...model.sma, model.intercept].map((v: number) => +v.toPrecision(6)).join(';') },
          rel,
        };
        if (args.json) rows.push({ ...row, fcR: r.fc, fcOurs: fc });
        if (args.list && !(sameOrder && closeFc)) {
          console.log(`  ${set} ${panelName} ${id} o${o} n=${c}: R ${row.r.order}${r.constant ? '+c' : ''} aicc ${r.aicc.toFixed(3)} | ours ${row.ours.order}${oo.constant ? '+c' : ''} aicc ${model.aicc.toFixed(3)} ${model.method} | fc ${(rel * 100).toFixed(3)}%`);
        }
      }
    });
    const cpu = process.cpuUsage(cpu0);
    console.log(`${set} ${panelName}: ${t.cuts} cuts, same order ${t.order}, forecasts within ${tol} ${t.fc}, both ${t.both} (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`);
    totals.cuts += t.cuts; totals.order += t.order; totals.fc += t.fc; totals.both += t.both;
  }
}
const pct = (k: number): string => `${k} (${((100 * k) / totals.cuts).toFixed(1)}%)`;
console.log(`all: ${totals.cuts} cuts, same order and constant ${pct(totals.order)}, forecasts within ${tol} ${pct(totals.fc)}, both ${pct(totals.both)}; R's time ${totals.seconds.toFixed(0)} s`);
if (args.json) writeFileSync(args.json, JSON.stringify(rows));
