// Times the statistical benchmarks of `unroll benchmark --benchmarks all` (M4's eight, ETS, ARIMA) on the
// whole M4 Hourly panel — training file and test file, as the command runs them — without the panel model,
// and prints their M4 scores, the wall-clock time, the CPU time of all threads and the load average.
//
//   npm run build && node bench/ets-arima/panel.mjs [--workers 2] [--methods ets,arima]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { workers: { type: 'string', default: '2' }, methods: { type: 'string' } } });
const root = new URL('../../', import.meta.url);
const { parseWidePanel, pairWidePanels } = await import(new URL('dist/data/wide.js', root));
const { M4_BENCHMARKS, methodByName, ets, arima } = await import(new URL('dist/forecast/methods/index.js', root));
const { runPanelBenchmarkParallel } = await import(new URL('dist/forecast/panel-benchmark-parallel.js', root));

const read = (name) => parseWidePanel(readFileSync(new URL(`bench/data/m4-hourly/${name}`, root), 'utf8'), { source: name });
const panel = pairWidePanels(read('Hourly-train.csv'), read('Hourly-test.csv'));
const methods = args.methods ? args.methods.split(',').map((n) => methodByName(n)) : [...M4_BENCHMARKS, ets, arima];
const load0 = loadavg()[0];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await runPanelBenchmarkParallel(methods, panel, { horizon: 48, period: 24, levels: [0.95], workers: Number(args.workers) });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  series: panel.ids.length, workers: Number(args.workers), wallSeconds: +wall.toFixed(1), cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
  loadAverage: [+load0.toFixed(1), +loadavg()[0].toFixed(1)],
  methods: result.methods.map((m) => ({ name: m.name, smape: +m.smape.toFixed(3), mase: +m.mase.toFixed(3), owa: +m.owa.toFixed(3), cover95: m.intervals[0] ? +m.intervals[0].coverage.toFixed(3) : null, threadSeconds: +((m.fitMs + m.forecastMs) / 1000).toFixed(1) })),
}, null, 1));
