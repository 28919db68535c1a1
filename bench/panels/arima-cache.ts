// The automatic ARIMA of this checkout (exact maximum likelihood, src/forecast/methods/arima-ml.ts) refitted at
// every cut cached by fit.ts (the cut, and the cut minus h, 2h and 3h, sliced as fit.ts slices them), written
// beside each `-stat.json` as `-arima-ml.json` for pool.ts --arima-ml. fit.ts's caches hold the ARIMA of their
// day (conditional sum of squares); this replaces it without retraining anything. A cut ARIMA cannot fit (or
// forecasts a non-finite value) gets the naive forecast, as fit.ts does. A file already written is kept
// (delete it to refit), so an interrupted run resumes.
//
//   nice -n 5 npx tsx bench/panels/arima-cache.ts [--sources dev,heldout,heldout2,heldout3,heldout4] [--src src] [--suffix arima-ml]
//
// --src another checkout's src/ refits with that version (a check of the protocol: the src/ of the commit a
// cache was made at gives its cached ARIMA forecasts back).
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: {
  sources: { type: 'string', default: 'dev,heldout,heldout2,heldout3,heldout4' }, src: { type: 'string', default: 'src' },
  suffix: { type: 'string', default: 'arima-ml' }, only: { type: 'string', default: '' },
} });
const { arima } = await import(pathToFileURL(resolve(args.src, 'forecast/methods/arima.ts')).href);
// pool.ts's sources and their caches (fit.ts's COMBINE_CACHE for each).
const CACHES: Record<string, string> = {
  dev: '/tmp/combine-cache', heldout: '/tmp/heldout-cache', heldout2: '/tmp/heldout2-cache', heldout3: '/tmp/heldout3-cache', heldout4: '/tmp/heldout4-cache',
  heldout5: '/tmp/heldout5-cache', heldout6: '/tmp/heldout6-cache', heldout7: '/tmp/heldout7-cache',
};
// The dev cache also holds M4 Hourly's (fit.ts --hourly-dev), which pool.ts does not read.
const SKIP: Record<string, RegExp> = { dev: /^hourly-/ };
const f = (y: number[], h: number, m: number): number[] => {
  try {
    const out = Array.from(arima.fit(Float64Array.from(y), { period: m }).forecast(h).mean as Float64Array);
    if (out.length === h && out.every(Number.isFinite)) return out;
  } catch { /* the naive below */ }
  return Array(h).fill(y[y.length - 1]);
};
for (const name of args.sources.split(',')) {
  const c = CACHES[name];
  if (!c) throw new Error(`--sources: unknown source ${JSON.stringify(name)}`);
  if (!existsSync(c)) { console.log('missing', c); continue; }
  for (const file of readdirSync(c).filter((x) => x.endsWith('-stat.json') && x.includes(args.only) && !SKIP[name]?.test(x)).sort()) {
    const out = `${c}/${file.replace('-stat.json', `-${args.suffix}.json`)}`;
    if (existsSync(out)) { console.log('kept', out); continue; }
    const s = JSON.parse(readFileSync(`${c}/${file}`, 'utf8'));
    const { h, m, cut } = s as { h: number; m: number; cut: number[][] };
    const t0 = process.cpuUsage();
    // As fit.ts: the cut, the cut minus h, and minus 2h and 3h (at least one value).
    const at = (j: number): { arima: number[] }[] => cut.map((y) => ({ arima: f(y.slice(0, j === 0 ? y.length : j === 1 ? y.length - h : Math.max(1, y.length - j * h)), h, m) }));
    writeFileSync(out, JSON.stringify({ test_f: at(0), val_f: at(1), val2_f: at(2), val3_f: at(3) }));
    const cpu = process.cpuUsage(t0);
    console.log(out, `${cut.length} series, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
  }
}
