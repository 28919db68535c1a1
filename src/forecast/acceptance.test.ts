/**
 * Acceptance on real data (issue 5): every run below trains on a bundled real data set.
 * Sizes are kept small enough for CI on two cores; the numbers a user sees come from `unroll`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readCsvFrame, readCsvSeries } from '../data/node-io.js';
import { joinByDate, sliceFrame } from '../data/frame.js';
import { Forecaster } from './forecaster.js';
import { holdoutEvaluation } from './evaluation.js';
import { evaluateForecast } from './metrics.js';
import { forecastBaseline } from './baselines.js';

const data = (name: string): string => fileURLToPath(new URL(`../../data/${name}`, import.meta.url));

test('AirPassengers (last 24 months held out): the RNN forecast beats seasonal naive on MASE', () => {
  const frame = readCsvFrame(data('airpassengers_monthly_1949_1960.csv'));
  const n = frame.dates.length;
  const trainEnd = n - 24;
  const y = frame.columns.passengers;
  const train = y.slice(0, trainEnd);
  const actual = y.slice(trainEnd);
  const f = new Forecaster({
    features: ['logReturn:passengers'], predict: 'return', lookback: 24, scaler: 'standard',
    model: { cell: 'elman', hiddenSize: 16 },
    training: { epochs: 300, batchSize: 16, learningRate: 0.01, validationSplit: 0.15, patience: 30, seed: 1 },
  });
  f.fit(frame, { trainEnd });
  // 24-month recursive forecast from the end of the training span, never seeing the test months.
  const history = sliceFrame(frame, 0, trainEnd);
  const forecast = Float64Array.from(f.forecast(history, 24).series, (p) => p.value);
  const seasonal = forecastBaseline(train, 24, { kind: 'seasonalNaive', period: 12 });
  const model = evaluateForecast(actual, forecast, { train, period: 12 }).mase!;
  const baseline = evaluateForecast(actual, seasonal, { train, period: 12 }).mase!;
  assert.ok(model < baseline, `model MASE ${model} vs seasonal naive ${baseline}`);
  // One-step-ahead on the same span, compared with every baseline.
  const [ev] = holdoutEvaluation(f, frame, trainEnd, { period: 12 });
  const sn = ev.methods.find((m) => m.name === 'snaive')!;
  assert.ok(ev.methods[0].metrics.mase! < sn.metrics.mase!, 'one-step model MASE below seasonal naive');
  // The verdict names the best benchmark on the span, and the MASE scale used.
  const best = ev.methods.slice(1).reduce((a, b) => (b.metrics.mae < a.metrics.mae ? b : a));
  assert.equal(ev.judgement.best.name, `the ${best.label} forecast`);
  assert.match(ev.lines[0], new RegExp(best.label.replace(/[()]/g, '\\$&')));
  assert.match(ev.scale.text, /seasonal naive \(period 12\) over the 119 rows before the test span/);
  assert.equal(ev.coverage!.count + ev.coverage!.missing, 24);
});

test('S&P 500 daily, last 2 years as test: the one-day-ahead report has the model and every baseline with every metric, and tells the truth', () => {
  const frame = readCsvFrame(data('sp500_daily_ohlcv_2000_2020.csv'));
  const n = frame.dates.length;
  const testStart = n - 504;
  // A small model keeps CI fast; the CLI's main job trains the full default.
  const f = new Forecaster({
    features: ['logReturn:close'], predict: 'return', lookback: 10, scaler: 'standard',
    model: { cell: 'elman', hiddenSize: 4 }, training: { epochs: 2, batchSize: 256, learningRate: 0.01, seed: 3 },
  });
  f.fit(frame, { trainEnd: testStart });
  const [ev] = holdoutEvaluation(f, frame, testStart, { movingAverage: 5, period: 5 });
  assert.equal(ev.actual.length, 504);
  assert.deepEqual(ev.methods.map((m) => m.name).filter((m) => ['model', 'naive', 'snaive', 'drift', 'movingAverage(5)'].includes(m)), ['model', 'naive', 'snaive', 'drift', 'movingAverage(5)']);
  for (const m of ev.methods) {
    for (const [k, v] of Object.entries(m.metrics)) assert.ok(v === null || Number.isFinite(v), `${m.name} ${k} = ${v}`);
    assert.equal(m.predicted.length, 504);
  }
  // Naive's MAE, computed here independently: mean |close_t − close_{t−1}| over the test span.
  const close = frame.columns.close;
  let naiveMae = 0;
  for (let t = testStart; t < n; t++) naiveMae += Math.abs(close[t] - close[t - 1]);
  naiveMae /= 504;
  const naive = ev.methods.find((m) => m.role === 'naive')!;
  assert.ok(Math.abs(naive.metrics.mae - naiveMae) < 1e-9, `${naive.metrics.mae} vs ${naiveMae}`);
  // The verdict says what the numbers say: its tone follows the test against the best benchmark.
  const modelMae = ev.methods[0].metrics.mae;
  assert.equal(ev.beatsNaive, modelMae < naiveMae);
  const vsBest = ev.judgement.best;
  assert.equal(ev.tone, vsBest.test!.pValue >= 0.05 ? 'tie' : modelMae < vsBest.mae ? 'win' : 'loss');
  assert.equal(ev.lines[0], ev.judgement.headline);
  assert.match(ev.verdict, /directional accuracy/);
  assert.match(ev.verdict, /Intervals: the 90% intervals held \d+\.\d% of 504 actual values/);
});

test('five companies, monthly, with different history lengths: one model trains on all of them in one run', () => {
  const set = readCsvSeries(data('stocks_monthly_5tickers_2000_2010.csv'));
  assert.deepEqual(set.ids, ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
  const lengths = set.ids.map((id) => set.series[id].dates.length);
  assert.ok(lengths[3] < lengths[0], 'GOOG has a shorter history');
  const f = new Forecaster({
    target: 'value', features: ['logReturn:value'], predict: 'return', lookback: 24, minLength: 6, scaler: 'standard',
    model: { cell: 'lstm', hiddenSize: 8 }, training: { epochs: 20, batchSize: 32, learningRate: 0.01, seed: 2 },
  });
  const report = f.fit(set, { trainEnd: 0.8 });
  assert.deepEqual(Object.keys(report.trainEnd), set.ids);
  assert.deepEqual(Object.keys(f.scalers), set.ids, 'each company has its own scalers');
  const forecasts = f.forecast(set, 3);
  for (const id of set.ids) {
    assert.equal(forecasts[id].length, 3);
    for (const p of forecasts[id]) assert.ok(Number.isFinite(p.value) && p.value > 0, `${id} ${p.value}`);
  }
  const evals = holdoutEvaluation(f, set, 0.8);
  assert.equal(evals.length, 5);
});

test('a multivariate run (S&P 500 OHLCV plus gold, joined by date) trains and forecasts', () => {
  const sp = readCsvFrame(data('sp500_daily_ohlcv_2000_2020.csv'));
  const gold = readCsvFrame(data('gold_silver_daily_1978_2012.csv'));
  const joined = joinByDate([{ frame: sp, columns: ['open', 'high', 'low', 'close', 'volume'] }, { frame: gold, columns: ['gold'] }]);
  assert.ok(joined.dates.length > 2000 && joined.dates[0] >= '2000-01-03' && joined.dates[joined.dates.length - 1] <= '2012-12-31');
  const recent = sliceFrame(joined, joined.dates.length - 800, joined.dates.length);
  const f = new Forecaster({
    target: 'close', features: ['logReturn:close', 'logReturn:open', 'logReturn:high', 'logReturn:low', 'logVolume', 'logReturn:gold'],
    predict: 'return', strategy: 'direct', horizon: 3, lookback: 10, scaler: 'standard',
    model: { cell: 'gru', hiddenSize: 8 }, training: { epochs: 3, batchSize: 64, seed: 4 },
  });
  f.fit(recent, { trainEnd: 700 });
  assert.equal(f.model!.inputSize, 6);
  const out = f.forecast(recent, 3).series;
  assert.equal(out.length, 3);
  for (const p of out) assert.ok(Number.isFinite(p.value) && p.lower! <= p.value && p.value <= p.upper!, JSON.stringify(p));
  assert.throws(() => new Forecaster({ target: 'close', features: ['close', 'gold'] }).fit(recent), /strategy 'recursive' feeds predictions of "close" back.*feature "gold"/);
});
