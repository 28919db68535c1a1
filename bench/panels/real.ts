// The real PanelForecaster, with its defaults, at the rolling origins of one panel: the check that
// bench/panels/pool.ts's rebuild from cached forecasts is what the shipped model does (issue 10). For each
// origin o it cuts every series after n − o·h values (a cut shorter than 3h + max(m, 1) sits out, as in
// fit.ts and ../data/panel-benchmarks.R), fits `new PanelForecaster({ horizon: h, period: m })` on the cuts
// (every other option its default: 8 members, the ETS–ARIMA companion, weightEvidence 3, the 95% band),
// forecasts the next h values of each, and prints the weight, its evidence, the companion, the band factor,
// and the means over every (series, origin) pair of
//   sMAPE = mean of 200 |y − ŷ| / (|y| + |ŷ|),   MASE = mean |y − ŷ| / s,
//   coverage = share of y inside the 95% band,  MSIS = mean of (u − l + 40 (l − y)⁺ + 40 (y − u)⁺) / s,
// with s the cut's mean absolute change at lag m (lag 1 when the cut is not longer than m).
//
//   npx tsx bench/panels/real.ts --dir bench/data/heldout3-panels --panel weekly [--origins 1,2,3] [--threads 2]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseWidePanel } from '../../src/data/wide.js';
import { coverage, mae, msis, naiveScale, smape } from '../../src/forecast/metrics.js';
import { PanelForecaster } from '../../src/forecast/panel/model.js';
import { createWasmBackendSync } from '../../src/kernels/fast.js';
import { PANEL_SPECS } from './panels.js';

const { values: args } = parseArgs({ options: {
  dir: { type: 'string' }, panel: { type: 'string' }, origins: { type: 'string', default: '1,2,3' }, threads: { type: 'string', default: '2' },
} });
const spec = PANEL_SPECS[args.panel ?? ''];
if (!args.dir || !spec) {
  console.error(`usage: --dir <folder of panels> --panel <${Object.keys(PANEL_SPECS).join('|')}> [--origins 1,2,3] [--threads n]`);
  process.exit(2);
}
const { h, m } = spec;
const panel = parseWidePanel(readFileSync(`${args.dir}/${args.panel}.csv`, 'utf8'));
const backend = createWasmBackendSync({ notice: () => {} });
const all = { smape: [] as number[], mase: [] as number[], cover: [] as number[], msis: [] as number[] };
for (const o of args.origins.split(',').map(Number)) {
  const cut: Float64Array[] = []; const test: Float64Array[] = [];
  for (const y of panel.series) {
    const c = y.length - o * h;
    if (c < 3 * h + Math.max(m, 1)) continue;
    cut.push(y.slice(0, c)); test.push(y.slice(c, c + h));
  }
  const t0 = Date.now();
  const model = new PanelForecaster({ horizon: h, period: m }, backend).fit(cut, { threads: Number(args.threads) });
  const forecasts = model.forecast(cut);
  forecasts.forEach((f, i) => {
    const y = test[i]!; const band = f.intervals[0]!;
    const s = naiveScale(cut[i]!, cut[i]!.length > m ? m : 1);
    all.smape.push(smape(y, f.mean));
    if (!(s > 0)) return;
    all.mase.push(mae(y, f.mean) / s);
    all.cover.push(coverage(y, band.lower, band.upper));
    all.msis.push(msis(y, band.lower, band.upper, { train: cut[i]!, period: cut[i]!.length > m ? m : 1, level: 0.95 }));
  });
  console.log(`origin ${o}: ${cut.length} series, weight ${model.weight} (evidence ${model.weightEvidence.toFixed(2)}), companion ${model.companionChoice}, band factor ${model.bandFactors?.map((v) => v.toFixed(4)).join(' ') ?? 'the network\'s own'}, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const mean = (v: number[]): string => (v.reduce((a, b) => a + b, 0) / v.length).toFixed(3);
console.log(`${args.panel}: sMAPE ${mean(all.smape)}, MASE ${mean(all.mase)}, 95% coverage ${mean(all.cover)}, MSIS ${mean(all.msis)} (${all.smape.length} pairs)`);
