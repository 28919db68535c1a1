// Times unroll's automatic ETS and ARIMA over the M4 Hourly panel (bench/data/m4-hourly), and scores them on
// a holdout cut from the END OF THE TRAINING FILE (the last h = 48 training values of each series): the test
// file is never read, so settings chosen from these numbers are not tuned on M4's test set.
//
//   npm run build && nice node bench/ets-arima/m4-hourly.mjs --method ets --setting default [--every 6] [--holdout]
//
// --setting default: R's search (ets: 15 models, 2000 Nelder-Mead evaluations each; arima: stepwise,
//                    p, q ≤ 5, P, Q ≤ 2, 1000 evaluations per fit)
// --setting fast:    the restricted settings of docs/forecasting.md (FAST below)
// --options JSON:   any other options of etsMethod / arimaMethod, e.g. '{"maxEvaluations":300}'
// --every k:         every k-th series only (k = 1: all 414)
// --holdout:         fit on all but the last 48 training values and score sMAPE and MASE (m = 24) on those 48
//                    (without it: fit on the whole training series and forecast 48, timing only)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    method: { type: 'string', default: 'ets' },
    setting: { type: 'string', default: 'default' },
    every: { type: 'string', default: '1' },
    holdout: { type: 'boolean', default: false },
    options: { type: 'string' },
  },
});
const root = new URL('../../', import.meta.url);
const { parseWidePanel } = await import(new URL('dist/data/wide.js', root));
const { etsMethod } = await import(new URL('dist/forecast/methods/ets.js', root));
const { arimaMethod } = await import(new URL('dist/forecast/methods/arima.js', root));
const { smape, mase } = await import(new URL('dist/forecast/metrics.js', root));

/** The faster settings offered for the benchmark run (see docs/forecasting.md for what they cost). */
export const FAST = {
  ets: { maxEvaluations: 500 },
  arima: { maxEvaluations: 300 },
};
const options = args.options ? JSON.parse(args.options) : args.setting === 'fast' ? FAST[args.method] : {};
const method = args.method === 'ets' ? etsMethod(options) : args.method === 'arima' ? arimaMethod(options) : null;
if (!method) throw new Error(`--method is ${args.method}; expected ets or arima`);

const panel = parseWidePanel(readFileSync(new URL('bench/data/m4-hourly/Hourly-train.csv', root), 'utf8'), { source: 'Hourly-train.csv' });
const every = Number(args.every);
const h = 48;
const m = 24;
let seconds = 0;
let fitted = 0;
const sm = [];
const ms = [];
const models = new Map();
for (let i = 0; i < panel.series.length; i += every) {
  const y = panel.series[i];
  const train = args.holdout ? y.subarray(0, y.length - h) : y;
  const t0 = performance.now();
  const fit = method.fit(train, { period: m });
  const fc = fit.forecast(h, { levels: [0.95] });
  seconds += (performance.now() - t0) / 1000;
  fitted++;
  models.set(fit.description, (models.get(fit.description) ?? 0) + 1);
  if (args.holdout) {
    const actual = y.subarray(y.length - h);
    sm.push(smape(actual, fc.mean));
    ms.push(mase(actual, fc.mean, { train, period: m }));
  }
}
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const out = {
  method: args.method, setting: args.setting, options, series: fitted, every, holdout: args.holdout,
  seconds: +seconds.toFixed(1), secondsPerSeries: +(seconds / fitted).toFixed(3),
  projectedSecondsFor414: +((seconds / fitted) * 414).toFixed(0),
  ...(args.holdout ? { smape: +mean(sm).toFixed(3), mase: +mean(ms).toFixed(3) } : {}),
  topModels: [...models.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5),
};
console.log(JSON.stringify(out));
