// The panel forecaster on single series (a panel of one, as `unroll train --series` on a file with one
// series): issue 10's generalisation line. For a sample of the development panels' series, at origin o
// (the last o·h values are the test), trains the default PanelForecaster on that series alone and scores it
// beside Theta, damped, unroll's ETS and ARIMA, and the per-series companion alone. Development data.
//
//   npx tsx bench/panels/single.ts --panel monthly [--origin 1] [--every 4] [--members 8]
//
// Prints one Markdown row per series and a mean row; caches each series' result in $SINGLE_CACHE
// (default /tmp/single-cache) so an interrupted run resumes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseWidePanel } from '../../src/data/wide.js';
import { PanelForecaster } from '../../src/forecast/panel/model.js';
import { seriesCompanion } from '../../src/forecast/panel/companion.js';
import { arima } from '../../src/forecast/methods/arima.js';
import { ets } from '../../src/forecast/methods/ets.js';
import { damped } from '../../src/forecast/methods/holt.js';
import { theta } from '../../src/forecast/methods/theta.js';
import type { ForecastMethod } from '../../src/forecast/methods/types.js';
import { createWasmBackendSync } from '../../src/kernels/fast.js';
import { naiveScale, smape } from '../../src/forecast/metrics.js';
import { PANEL_SPECS } from './panels.js';

const PANELS = PANEL_SPECS;
const CACHE = process.env.SINGLE_CACHE ?? '/tmp/single-cache';
const { values: args } = parseArgs({ options: {
  panel: { type: 'string' }, origin: { type: 'string', default: '1' }, every: { type: 'string', default: '4' },
  members: { type: 'string' }, threads: { type: 'string', default: '2' },
} });

// M4's MASE scale (lag 1 when the series is not longer than m); sMAPE: src/forecast/metrics.ts.
const scale = (y: number[], m: number): number => naiveScale(y, y.length > m ? m : 1);
const orNaive = (method: ForecastMethod, y: number[], h: number, m: number): number[] => {
  try { const f = Array.from(method.fit(y, { period: m }).forecast(h).mean); if (f.every((v) => Number.isFinite(v))) return f; } catch { /* naive */ }
  return new Array<number>(h).fill(y[y.length - 1]!);
};

const p = args.panel!;
const { h, m } = PANELS[p]!;
const o = Number(args.origin);
const panel = parseWidePanel(readFileSync(`bench/data/dev-panels/${p}.csv`, 'utf8'));
mkdirSync(CACHE, { recursive: true });
const backend = createWasmBackendSync({ notice: () => {} });
const names = ['panel-rnn (default)', 'companion alone', 'theta', 'damped', 'ets', 'arima'];
const sums = names.map(() => [0, 0]);
let count = 0;
console.log(`| ${p} series | n | w | ${names.join(' | ')} |\n|---|---:|---:|${names.map(() => '---').join('|')}|`);
panel.series.forEach((y, i) => {
  if (i % Number(args.every) !== 0) return;
  const cut = Array.from(y.slice(0, y.length - o * h));
  const test = Array.from(y.slice(y.length - o * h, y.length - o * h + h));
  if (cut.length < 3 * h + Math.max(m, 1)) return;
  const file = `${CACHE}/${p}-o${o}-${panel.ids[i]}-m${args.members ?? 'default'}.json`;
  let r: { w: number; f: number[][] };
  if (existsSync(file)) r = JSON.parse(readFileSync(file, 'utf8'));
  else {
    const model = new PanelForecaster({ horizon: h, period: m, ...(args.members ? { members: Number(args.members) } : {}) }, backend);
    model.fit([cut], { threads: Number(args.threads) });
    const f = [Array.from(model.forecast([cut])[0]!.mean), Array.from(seriesCompanion(cut, h, m).forecast),
      ...[theta, damped, ets, arima].map((meth) => orNaive(meth, cut, h, m))];
    r = { w: model.weight, f, scores: model.weightScores } as typeof r;
    writeFileSync(file, JSON.stringify(r));
  }
  const s = scale(cut, m);
  const cells = r.f.map((f, j) => { const a = smape(test, f); const b = test.reduce((t, v, k) => t + Math.abs(v - f[k]!), 0) / h / s; sums[j]![0] += a; sums[j]![1] += b; return `${a.toFixed(2)} / ${b.toFixed(2)}`; });
  count++;
  console.log(`| ${panel.ids[i]} | ${cut.length} | ${r.w} | ${cells.join(' | ')} |`);
});
console.log(`| **mean of ${count}** | | | ${sums.map(([a, b]) => `**${(a! / count).toFixed(3)} / ${(b! / count).toFixed(3)}**`).join(' | ')} |`);
