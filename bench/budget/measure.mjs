#!/usr/bin/env node
/**
 * The training budget of the default RNN forecaster, measured on the bundled series (data/) and on the
 * four R series the issue names (co2, nottem, UKDriverDeaths, USAccDeaths; written by Rscript at run
 * time, never committed as test data).
 *
 * Each series is trained as `unroll run` trains it (jobDefaults: log-returns, standard scaling, LSTM 64,
 * lookback 30, Adam, batch 64, 10% validation; the rows before run's default test span), once per
 * learning-rate setting, with early stopping off and a cap of MAX_EPOCHS, stopping only after
 * WATCH epochs without a better validation loss. Early stopping only truncates a run (it never
 * changes the weights of the epochs it lets run), so every (epochs, patience) budget is then read off
 * the recorded validation curve:
 *
 *   best epoch b = argmin_{e ≤ stop} valLoss_e,  stop = first e with e − b_e ≥ patience, or epochs;
 *   still improving ⇔ the run ended at its epoch cap with b within `patience` of it
 *                      (b = stop: the last epoch was the best);
 *   first epoch kept ⇔ b = 1.
 *
 * Usage (build first: npm run build; prints a line per run and writes every curve to --out):
 *   node bench/budget/measure.mjs                       → results.json (constant and plateau, ≤ 150 epochs, watch 25)
 *   node bench/budget/measure.mjs --settings constant --max-epochs 400 --watch 60 --out bench/budget/results-short.json \
 *     --only AirPassengers,UKgas,"SP500 weekly",MSFT,AMZN,IBM,GOOG,AAPL,co2,nottem,UKDriverDeaths,USAccDeaths
 *   The current pipeline's curves (after the seasonal normalisation; docs/forecasting.md):
 *   node bench/budget/measure.mjs --settings constant --max-epochs 1000 --watch 100 --out bench/budget/results-current.json \
 *     --only AirPassengers,UKgas,"SP500 weekly",MSFT,AMZN,IBM,GOOG,AAPL,co2,nottem,UKDriverDeaths,USAccDeaths
 *   node bench/budget/measure.mjs --settings constant --max-epochs 150 --watch 25 --out bench/budget/results-current.json \
 *     --only "SP500 daily",DAX,SMI,CAC,FTSE,gold,silver
 *   With the interval default 'cqr' (pinball loss of 7 quantile outputs; the final network trains on
 *   every row, calibrationRefit), a reduced run of the short series:
 *   node bench/budget/measure.mjs --settings constant --max-epochs 400 --watch 60 --out bench/budget/results-cqr.json \
 *     --only AirPassengers,UKgas,"SP500 weekly",MSFT,AMZN,IBM,GOOG,AAPL,co2,nottem,UKDriverDeaths,USAccDeaths
 * The curves were recorded with the training defaults of the time, learning rate 0.002; analyse.mjs replays them.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { replay } from './replay.mjs';
import { root, dist, column, fromR, R_SERIES } from '../series.mjs';

const { Forecaster } = await import(dist('forecast/forecaster.js'));
const { jobDefaults, defaultTestSize } = await import(dist('cli/commands/main-job.js'));
const { chooseBackend } = await import(dist('cli/common.js'));

const { values: args } = parseArgs({ options: {
  out: { type: 'string', default: join(root, 'bench/budget/results.json') },
  only: { type: 'string' },
  settings: { type: 'string', default: 'constant,plateau' },
  'max-epochs': { type: 'string', default: '150' },
  watch: { type: 'string', default: '25' },
} });
const MAX_EPOCHS = Number(args['max-epochs']);
const WATCH = Number(args.watch);

const SERIES = () => [
  column('airpassengers_monthly_1949_1960.csv', 'passengers', 'AirPassengers'),
  column('ukgas_quarterly_1960_1986.csv', 'gas', 'UKgas'),
  column('sp500_weekly_2015_2020.csv', 'close', 'SP500 weekly'),
  column('sp500_daily_ohlcv_2000_2020.csv', 'close', 'SP500 daily'),
  ...['DAX', 'SMI', 'CAC', 'FTSE'].map((c) => column('eustockmarkets_daily_1991_1998.csv', c)),
  ...['gold', 'silver'].map((c) => column('gold_silver_daily_1978_2012.csv', c)),
  ...['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL'].map((c) => column('stocks_monthly_5tickers_2000_2010.csv', c)),
  ...R_SERIES.map(fromR),
];

const SETTINGS = {
  constant: { learningRate: 0.002, schedule: null },
  plateau: { learningRate: 0.002, schedule: { type: 'plateau', factor: 0.5, patience: 3 } },
  'plateau-lr005': { learningRate: 0.005, schedule: { type: 'plateau', factor: 0.5, patience: 3 } },
  'constant-lr005': { learningRate: 0.005, schedule: null },
};

const only = args.only ? new Set(args.only.split(',')) : null;
const backend = chooseBackend(undefined);
const results = existsSync(args.out) ? JSON.parse(readFileSync(args.out, 'utf8')) : {};
for (const s of SERIES()) {
  if (only && !only.has(s.name)) continue;
  const n = s.frame.dates.length;
  const testSize = defaultTestSize(s.frame);
  for (const setting of args.settings.split(',')) {
    const key = `${s.name}|${setting}`;
    if (results[key]) continue;
    const d = jobDefaults(s.frame, {});
    // One run on every training row, as the final network of the default (intervalMethod 'cqr' with
    // calibrationRefit) trains: the calibration rows are not held out, and the refit is not repeated.
    const opts = { ...d, calibrationSplit: 0, calibrationRefit: false, training: { ...d.training, ...SETTINGS[setting], epochs: MAX_EPOCHS, patience: 0 } };
    const f = new Forecaster(opts, { backend });
    let best = Infinity, since = 0;
    const t0 = Date.now();
    const report = f.fit(s.frame, {
      trainEnd: n - testSize,
      onEpochEnd: (log) => {
        if (log.valLoss < best) { best = log.valLoss; since = 0; } else since++;
        return since < WATCH;
      },
    });
    const val = report.history.epochs.map((e) => e.valLoss);
    const lr = report.history.epochs.map((e) => e.learningRate);
    results[key] = { series: s.name, setting, rows: n, trainRows: n - testSize, windows: report.windows, val, lr, seconds: (Date.now() - t0) / 1000 };
    writeFileSync(args.out, JSON.stringify(results));
    const r = replay(val, 30, 6);
    console.log(`${s.name.padEnd(16)} ${setting.padEnd(14)} rows ${String(n).padStart(5)} epochs run ${String(val.length).padStart(3)}  best ${String(val.indexOf(Math.min(...val)) + 1).padStart(3)}  (30/6: best ${r.bestEpoch}${r.stillImproving ? ', still improving' : ''}${r.firstKept ? ', first kept' : ''})  ${results[key].seconds.toFixed(0)} s`);
  }
}
