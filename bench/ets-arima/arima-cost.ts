// The CPU time of the automatic ARIMA (fit and an h-step forecast) on every series of a wide panel file, for
// comparing two versions of src/: the CSS ARIMA before exact likelihood and the CSS-ML one after. Prints one
// JSON line: the series fitted, the process CPU seconds (user + system; one thread), the models chosen.
//
//   nice -n 5 npx tsx bench/ets-arima/arima-cost.ts --src src --file bench/data/heldout2-panels/monthly.csv --period 12 --h 18
//   (--src another checkout's src/ to time that version; --limit n for the first n series only)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseWidePanel } from '../../src/data/wide.js';

const { values: args } = parseArgs({ options: {
  src: { type: 'string', default: 'src' }, file: { type: 'string' }, period: { type: 'string' }, h: { type: 'string', default: '8' },
  limit: { type: 'string', default: '0' },
} });
if (!args.file || !args.period) throw new Error('--file and --period are required');
const { autoArima, arimaForecast, arimaDescription } = await import(pathToFileURL(resolve(args.src, 'forecast/methods/arima.ts')).href);
const panel = parseWidePanel(readFileSync(args.file, 'utf8'), { source: args.file });
const limit = Number(args.limit);
const series = limit > 0 ? panel.series.slice(0, limit) : panel.series;
const h = Number(args.h);
const chosen: Record<string, number> = {};
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const y of series) {
  const model = autoArima(y, Number(args.period));
  arimaForecast(model, h, [0.8, 0.95]);
  const d = arimaDescription(model.order);
  chosen[d] = (chosen[d] ?? 0) + 1;
}
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  src: args.src, file: args.file, period: Number(args.period), series: series.length,
  lengths: [Math.min(...series.map((s) => s.length)), Math.max(...series.map((s) => s.length))],
  cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2), wallSeconds: +((performance.now() - t0) / 1000).toFixed(2),
  models: Object.keys(chosen).length,
}));
