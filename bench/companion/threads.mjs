// Times the panel model's ETS–ARIMA companion passes (src/forecast/panel/companion-threads.ts) on one thread
// count, in a fresh process (so that every run starts as cold as a fit does): fit's validation cut (each
// series less its last h values), the window before it (less 2h, where ≥ 3 values remain) and forecast's
// fits (the whole series), exactly as PanelForecaster runs them. Prints one JSON line: each pass's wall
// and CPU seconds (CPU of all threads: process.cpuUsage; of the calling thread alone: /proc/thread-self,
// Linux), the load average before and after, the panel's etsArimaCost, and a hash of every forecast's bytes
// (equal hashes: the same forecasts to the last bit). On a shared machine the wall time shows the load; the
// larger of the calling thread's CPU and the workers' (the rest) is what a pass would take on free cores.
//
//   npm run build && nice -n 5 node bench/companion/threads.mjs --file bench/data/m4-hourly/Hourly-train.csv \
//     --period 24 --horizon 48 --series 117 --threads 2 [--min-cost 0]
//
// --series k keeps the file's first k series; --min-cost overrides MIN_THREADED_COST (0: threads for any batch,
// to measure what a worker costs on a small one). --select times the 'select' companion's one pass instead
// (selectCompanion over every series' last two windows, its candidates on the threads). Never give it a test file.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: {
  file: { type: 'string' }, period: { type: 'string' }, horizon: { type: 'string' }, series: { type: 'string' },
  threads: { type: 'string', default: '1' }, 'min-cost': { type: 'string' }, select: { type: 'boolean', default: false },
} });
if (!args.file || !args.period || !args.horizon) throw new Error('usage: --file <wide.csv> --period <m> --horizon <h> [--series k] [--threads T] [--min-cost c] [--select]');
if (/test/i.test(args.file)) throw new Error(`${args.file}: training files only`);
const root = new URL('../../', import.meta.url);
const { parseWidePanel } = await import(new URL('dist/data/wide.js', root));
const { etsArimaCost, selectCompanion } = await import(new URL('dist/forecast/panel/companion.js', root));
const { candidatesOn, runCompanionTask } = await import(new URL('dist/forecast/panel/companion-threads.js', root));

const period = Number(args.period);
const h = Number(args.horizon);
const threads = Number(args.threads);
const all = parseWidePanel(readFileSync(args.file, 'utf8'), { source: args.file }).series;
const series = args.series ? all.slice(0, Number(args.series)) : all;
const options = args['min-cost'] !== undefined ? { minCost: Number(args['min-cost']) } : {};
const task = { kind: 'forecast', choice: 'ets-arima' };

// The three passes' cuts, as model.ts makes them (validation.ts keeps series of at least chunk + 2h values; all here are).
const before = series.map((y) => y.subarray(0, y.length - h));
const passes = {
  validation: before,
  previous: before.filter((y) => y.length - h >= 3).map((y) => y.subarray(0, y.length - h)),
  forecast: series,
};

/** CPU seconds of the calling thread (utime + stime at 100 ticks a second), or NaN off Linux. */
const threadCpu = () => {
  if (!existsSync('/proc/thread-self/stat')) return NaN;
  const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

// FNV-1a over the forecasts' bytes.
let hash = 0x811c9dc5;
const mix = (f) => {
  for (const b of new Uint8Array(f.buffer, f.byteOffset, f.byteLength)) hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
};

const load0 = loadavg()[0];
if (args.select) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = selectCompanion(series, series.map((_, i) => i), h, period, candidatesOn(threads, options));
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  [...r.lastWindow, ...r.previousWindow.filter((f) => f)].forEach(mix);
  console.log(JSON.stringify({
    file: args.file, series: series.length, select: r.choice, scores: r.scores, threads, wallSeconds: +wall.toFixed(2), cpuSeconds: +((c.user + c.system) / 1e6).toFixed(2),
    loadAverage: [+load0.toFixed(2), +loadavg()[0].toFixed(2)], hash: hash.toString(16),
  }));
  process.exit(0);
}
const out = { file: args.file, series: series.length, values: series.reduce((s, y) => s + y.length, 0), etsArimaCost: etsArimaCost(series, period), threads, minCost: options.minCost ?? 'default', passes: {} };
let wall = 0;
let cpu = 0;
for (const [name, cuts] of Object.entries(passes)) {
  const c0 = process.cpuUsage();
  const m0 = threadCpu();
  const t0 = performance.now();
  const forecasts = runCompanionTask(task, cuts, h, period, threads, options);
  const w = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const u = (c.user + c.system) / 1e6;
  const main = threadCpu() - m0;
  forecasts.forEach(mix);
  out.passes[name] = { cuts: cuts.length, cost: etsArimaCost(cuts, period), wallSeconds: +w.toFixed(2), cpuSeconds: +u.toFixed(2), callingThreadCpuSeconds: +main.toFixed(2) };
  wall += w;
  cpu += u;
}
out.wallSeconds = +wall.toFixed(2);
out.cpuSeconds = +cpu.toFixed(2);
out.loadAverage = [+load0.toFixed(2), +loadavg()[0].toFixed(2)];
out.hash = hash.toString(16);
console.log(JSON.stringify(out));
