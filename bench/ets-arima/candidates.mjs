// Compares the npm candidates for automatic ETS and ARIMA with R's forecast::ets / auto.arima on the
// reference series of src/forecast/methods/fixtures/ets-arima-reference.json, and with unroll's own.
// The candidates are not dependencies of unroll; install them beside this script first:
//   mkdir /tmp/cand && cd /tmp/cand && npm init -y && npm install @bsull/augurs@0.10.2 arima@0.2.8
//   npm run build && NODE_PATH=/tmp/cand/node_modules node bench/ets-arima/candidates.mjs
// Prints one row per series and method: the model chosen, the mean absolute difference of the point forecasts
// from R's relative to the mean level of R's forecasts, and the time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const ref = JSON.parse(readFileSync(new URL('../../src/forecast/methods/fixtures/ets-arima-reference.json', import.meta.url), 'utf8'));
const { autoEts, etsDescription, etsForecast } = await import('../../dist/forecast/methods/ets.js');
const { autoArima, arimaDescription, arimaForecast } = await import('../../dist/forecast/methods/arima.js');

let augurs = null;
try {
  const mod = await import(require.resolve('@bsull/augurs/ets'));
  // The wasm file is not in the package's exports map: find it beside ets.js.
  mod.initSync({ module: readFileSync(join(dirname(require.resolve('@bsull/augurs/ets')), 'ets_bg.wasm')) });
  augurs = mod;
} catch (e) { console.error('augurs not loaded:', e.message); }
let ARIMA = null;
try { ARIMA = require(require.resolve('arima')); } catch (e) { console.error('arima not loaded:', e.message); }

const relDiff = (a, b) => {
  let d = 0, s = 0;
  for (let i = 0; i < b.length; i++) { d += Math.abs(a[i] - b[i]); s += Math.abs(b[i]); }
  return d / s;
};
const pct = (v) => (Number.isFinite(v) ? (100 * v).toFixed(2) + '%' : 'n/a');
const rows = [['series', 'method', 'R chose', 'chose', 'point vs R', 'ms']];
for (const [name, s] of Object.entries(ref.series)) {
  const { y, period, h } = s;
  // unroll ETS
  let t = performance.now();
  const e = autoEts(y, period);
  const ef = etsForecast(e, h);
  rows.push([name, 'unroll ets', s.ets.method, etsDescription(e.spec), pct(relDiff(ef.mean, s.ets.mean)), (performance.now() - t).toFixed(0)]);
  if (augurs) {
    t = performance.now();
    try {
      const model = new augurs.AutoETS(period, 'ZZZ');
      model.fit(y);
      const f = model.predict(h, 0.95);
      rows.push([name, '@bsull/augurs', s.ets.method, '(not reported)', pct(relDiff(f.point, s.ets.mean)), (performance.now() - t).toFixed(0)]);
    } catch (err) {
      rows.push([name, '@bsull/augurs', s.ets.method, 'error: ' + String(err.message ?? err), '', '']);
    }
  }
  // unroll ARIMA
  t = performance.now();
  const a = autoArima(y, period);
  const af = arimaForecast(a, h);
  rows.push([name, 'unroll arima', s.arima.method, arimaDescription(a.order), pct(relDiff(af.mean, s.arima.mean)), (performance.now() - t).toFixed(0)]);
  if (ARIMA) {
    // The package reports its choice only on standard output (verbose); catch it there.
    const write = process.stdout.write.bind(process.stdout);
    let captured = '';
    process.stdout.write = (chunk, ...rest) => { captured += String(chunk); return true; };
    t = performance.now();
    let out;
    try {
      const model = new ARIMA({ auto: true, s: period > 1 ? period : 0, verbose: true }).fit(y);
      out = model.predict(h)[0];
    } catch (err) { out = err; }
    const ms = performance.now() - t;
    process.stdout.write = write;
    const m = /ARIMA Seasonal Order : \(\s*(\d+),\s*(\d+),\s*(\d+)\)\s*\*\s*\((\d+),\s*(\d+),\s*(\d+)\)/.exec(captured) ??
      /ARIMA Order : \(\s*(\d+),\s*(\d+),\s*(\d+)\)/.exec(captured);
    const chose = m ? (m[4] !== undefined ? `ARIMA(${m[1]},${m[2]},${m[3]})(${m[4]},${m[5]},${m[6]})` : `ARIMA(${m[1]},${m[2]},${m[3]})`) : '?';
    if (out instanceof Error || !Array.isArray(out)) rows.push([name, 'arima (npm)', s.arima.method, 'error: ' + String(out?.message ?? out), '', '']);
    else rows.push([name, 'arima (npm)', s.arima.method, chose, pct(relDiff(out, s.arima.mean)), ms.toFixed(0)]);
  }
}
for (const r of rows) console.log('| ' + r.join(' | ') + ' |');
