#!/usr/bin/env node
/**
 * Coverage of the default RNN forecaster's prediction intervals, per horizon step, at 80/90/95%, on the
 * test span of `unroll run` (the last fifth of the rows, at most 504) of the bundled series and four R
 * series (co2, nottem, UKDriverDeaths, USAccDeaths; written by Rscript at run time).
 *
 * Each series is fitted as `unroll run` fits it (jobDefaults, rows before the test span); then from every
 * origin e of the test span (e = the last row before it, …, the second-to-last row) it forecasts H steps
 * from the actual history up to e, with the interval of every step at each level (intervals.ts, from the
 * errors the forecaster calibrated on). Per step h and level L, over the origins whose target e + h lies
 * in the test span:
 *
 *   coverage = share of y_{e+h} in [lower, upper],   width = mean (upper − lower) / naive scale,
 *   MSIS = mean [(U − L) + (2/α)(L − y)·1{y < L} + (2/α)(y − U)·1{y > U}] / naive scale   (α = 1 − L)
 *
 * with the naive scale the in-sample mean absolute seasonal difference of the training rows (M4's).
 *
 * --dev moves everything inside the training rows: the series is cut at run's test start, and its own
 * last fifth is the span measured. Settings are chosen on --dev; the test span only reports.
 *
 * Variants (--variants, comma-separated): 'validation' (conformal, calibrationSplit 0: the errors of
 * the validation windows early stopping chose the epoch on), 'heldout' (conformal, calibrationSplit
 * 0.1: rows held out from training and early stopping), 'heldout-refit' (the same, then the network
 * trained again on every row), 'quantile' (intervalMethod 'quantile': the network learns the bounds
 * with the pinball loss, its point forecast the median; nothing held out), 'cqr' (those bounds
 * conformalized on the held-out rows, rnn/cqr.ts), 'cqr-refit' (the same, then trained again on every
 * row: the default since this measurement), 'cqr-validation' (conformalized on the validation
 * windows, nothing held out). Every variant sets intervalMethod and calibrationRefit itself, so the
 * results do not depend on the library's defaults. Each step's point error is recorded too
 * (MAE / naive scale), since the variants change the point forecast.
 *
 * Usage (npm run build first): node bench/intervals/measure.mjs [--dev] [--variants validation,heldout]
 *   [--only AirPassengers,…] [--out bench/intervals/results.json]; then node bench/intervals/summary.mjs.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root, dist, column, fromR, R_SERIES } from '../series.mjs';

const { Forecaster } = await import(dist('forecast/forecaster.js'));
const { jobDefaults, defaultTestSize } = await import(dist('cli/commands/main-job.js'));
const { chooseBackend } = await import(dist('cli/common.js'));
const { sliceFrame } = await import(dist('data/frame.js'));
const { naiveScale } = await import(dist('forecast/metrics.js'));
const { inferFrequency, seasonalPeriod } = await import(dist('data/frequency.js'));

const { values: args } = parseArgs({ options: {
  out: { type: 'string' },
  only: { type: 'string' },
  variants: { type: 'string', default: 'validation,heldout' },
  dev: { type: 'boolean', default: false },
  steps: { type: 'string', default: '12' },
} });
const H = Number(args.steps);
const LEVELS = [0.8, 0.9, 0.95];
const out = args.out ?? join(root, `bench/intervals/results${args.dev ? '-dev' : ''}.json`);

const SERIES = () => [
  column('airpassengers_monthly_1949_1960.csv', 'passengers', 'AirPassengers'),
  column('ukgas_quarterly_1960_1986.csv', 'gas', 'UKgas'),
  column('sp500_weekly_2015_2020.csv', 'close', 'SP500 weekly'),
  ...['DAX', 'SMI', 'CAC', 'FTSE'].map((c) => column('eustockmarkets_daily_1991_1998.csv', c)),
  ...['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL'].map((c) => column('stocks_monthly_5tickers_2000_2010.csv', c)),
  ...R_SERIES.map(fromR),
];
const VARIANTS = {
  validation: { calibrationSplit: 0, intervalMethod: 'conformal', calibrationRefit: false },
  heldout: { calibrationSplit: 0.1, intervalMethod: 'conformal', calibrationRefit: false },
  // The network learns the bounds itself (pinball loss): nothing to hold out, all windows train.
  quantile: { calibrationSplit: 0, intervalMethod: 'quantile', calibrationRefit: false },
  // Held-out conformal, then the network trained again on every training row (the intervals keep the
  // held-out calibration): the point forecast of 'validation', the calibration of 'heldout'.
  'heldout-refit': { calibrationSplit: 0.1, intervalMethod: 'conformal', calibrationRefit: true },
  // Conformalized quantile regression (rnn/cqr.ts): the pinball-loss bounds corrected per step by their
  // scores on the held-out rows; and the same with the network trained again on every row afterwards.
  cqr: { calibrationSplit: 0.1, intervalMethod: 'cqr', calibrationRefit: false },
  'cqr-refit': { calibrationSplit: 0.1, intervalMethod: 'cqr', calibrationRefit: true },
  // The same correction from the validation windows (early stopping chose the epoch on them): nothing
  // held out, so the point forecast is the 'quantile' one.
  'cqr-validation': { calibrationSplit: 0, intervalMethod: 'cqr', calibrationRefit: false },
};

const only = args.only ? new Set(args.only.split(',')) : null;
const backend = chooseBackend(undefined);
const results = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
for (const s of SERIES()) {
  if (only && !only.has(s.name)) continue;
  let frame = s.frame;
  // --dev: the rows before run's test span stand in for the whole series.
  if (args.dev) frame = sliceFrame(frame, 0, frame.dates.length - defaultTestSize(frame));
  const n = frame.dates.length;
  const testSize = defaultTestSize(frame);
  const testStart = n - testSize;
  const col = frame.names[0];
  const y = frame.columns[col];
  const m = seasonalPeriod(inferFrequency(frame.dates));
  const scale = naiveScale(y.subarray(0, testStart), m < testStart ? m : 1);
  for (const variant of args.variants.split(',')) {
    const key = `${s.name}|${variant}`;
    if (results[key]) continue;
    const d = jobDefaults(frame, {});
    const f = new Forecaster({ ...d, ...VARIANTS[variant] }, { backend });
    const t0 = Date.now();
    f.fit(frame, { trainEnd: testStart });
    const seconds = (Date.now() - t0) / 1000;
    // stats[level][h] = { n, inside, width, score, missing }; mase[h] = { n, sum } of |y − ŷ| / scale
    const stats = LEVELS.map(() => Array.from({ length: H }, () => ({ n: 0, inside: 0, width: 0, score: 0, missing: 0 })));
    const mase = Array.from({ length: H }, () => ({ n: 0, sum: 0 }));
    for (let e = testStart - 1; e < n - 1; e++) {
      const steps = Math.min(H, n - 1 - e);
      const points = Object.values(f.forecastIntervals(sliceFrame(frame, 0, e + 1), steps, LEVELS))[0];
      points.forEach((p, k) => {
        const actual = y[e + 1 + k];
        if (Number.isFinite(p.value)) { mase[k].n++; mase[k].sum += Math.abs(actual - p.value) / scale; }
        LEVELS.forEach((L, li) => {
          const b = p.intervals[li];
          const st = stats[li][k];
          if (b.lower === null || b.upper === null) { st.missing++; return; }
          const a = 2 / (1 - L);
          st.n++;
          if (actual >= b.lower && actual <= b.upper) st.inside++;
          st.width += (b.upper - b.lower) / scale;
          st.score += ((b.upper - b.lower) + (actual < b.lower ? a * (b.lower - actual) : 0) + (actual > b.upper ? a * (actual - b.upper) : 0)) / scale;
        });
      });
    }
    const summary = f.trainingSummary();
    results[key] = { series: s.name, variant, dev: args.dev, rows: n, testSize, period: m, seconds, bestEpoch: summary.bestEpoch, epochs: summary.epochs,
      calibrationErrors: f.residuals.map((r) => r.length), levels: LEVELS, stats, mase };
    writeFileSync(out, JSON.stringify(results));
    const c = (li, h) => { const st = stats[li][h - 1]; return st.n ? `${(100 * st.inside / st.n).toFixed(0)}%/${st.n}` : '–'; };
    console.log(`${s.name.padEnd(15)} ${variant.padEnd(10)} cal errors ${String(f.residuals[0]?.length ?? 0).padStart(3)}  90%: h1 ${c(1, 1)} h3 ${c(1, 3)} h6 ${c(1, 6)} h12 ${c(1, 12)}  best epoch ${summary.bestEpoch}/${summary.epochs}  ${seconds.toFixed(0)} s`);
  }
}
