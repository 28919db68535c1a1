import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../data/frame.js';
import { Forecaster } from './forecaster.js';
import { walkForwardBacktest } from './evaluation.js';
import { UnrollError } from '../util/errors.js';
import { RNN } from '../train/model.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvFrame } from '../data/csv.js';

/** A noisy sine around 100, 300 days. */
function series(n = 300): number[] {
  let s = 1;
  const noise = (): number => { s = (s * 16807) % 2147483647; return (s / 2147483647 - 0.5) * 0.5; };
  return Array.from({ length: n }, (_, t) => 100 + 10 * Math.sin(t / 6) + noise());
}
const frame = frameFromArrays({ close: series() }, { source: 'test' });
const quick = { model: { cell: 'elman', hiddenSize: 6 }, training: { epochs: 15, batchSize: 32, learningRate: 0.01, seed: 1 } } as const;

test('recursive forecasts feed each prediction back as the next input (seed 004: [0.5, 0.6, 0.7] → 0.72, then [0.6, 0.7, 0.72] → …)', () => {
  const f = new Forecaster({ lookback: 3, scaler: 'none', predict: 'value', ...quick });
  f.fit(frame);
  const out = f.forecast(frame, 3).series.map((p) => p.value);
  // Replay by hand with the raw network: the window slides and takes the previous prediction.
  const model = f.model as RNN;
  const y = frame.columns.close;
  const n = y.length;
  const w = [y[n - 3], y[n - 2], y[n - 1]];
  for (let k = 0; k < 3; k++) {
    const next = (model.predict([w.map((v) => [v])]) as number[][])[0][0];
    assert.ok(Math.abs(next - out[k]) < 1e-9, `step ${k + 1}: ${next} vs ${out[k]}`);
    w.shift();
    w.push(next);
  }
});

test('scalers are fitted on the training span only, and the forecaster learns a sine far better than naive', () => {
  const f = new Forecaster({ lookback: 12, ...quick, training: { ...quick.training, epochs: 60 } });
  f.fit(frame, { trainEnd: 240 });
  const fitted = f.scalers.series.features as { min: number[]; max: number[] };
  const train = frame.columns.close.slice(0, 240);
  assert.equal(fitted.min[0], Math.min(...train));
  assert.equal(fitted.max[0], Math.max(...train));
  const [r] = f.predictSpan(frame, { start: 240 });
  let mae = 0;
  let naive = 0;
  for (let i = 0; i < r.actual.length; i++) { mae += Math.abs(r.actual[i] - r.predicted[i]); naive += Math.abs(r.actual[i] - r.previous[i]); }
  assert.ok(mae < naive, `model MAE ${mae} vs naive ${naive}`);
});

test('save (toJSON) → load (fromJSON) gives identical forecasts, intervals included', () => {
  const f = new Forecaster({ lookback: 8, predict: 'return', features: ['logReturn:close'], scaler: 'standard', ...quick });
  f.fit(frame);
  const again = Forecaster.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
  assert.deepEqual(again.forecast(frame, 4), f.forecast(frame, 4));
  assert.throws(() => Forecaster.fromJSON({ format: 'unroll-model' }), /not an unroll forecaster/);
  assert.throws(() => Forecaster.fromJSON({ ...f.toJSON(), version: 7 }), /format version 7 is not supported/);
});

test('prediction intervals widen with the horizon and hold the point forecast', () => {
  const f = new Forecaster({ lookback: 8, ...quick });
  f.fit(frame);
  const pts = f.forecast(frame, 10).series;
  for (const p of pts) assert.ok(p.lower! <= p.value && p.value <= p.upper!);
  assert.ok(pts[9].upper! - pts[9].lower! > pts[0].upper! - pts[0].lower!);
});

test('walk-forward backtest refits per fold and covers every row after the first origin', () => {
  const ev = walkForwardBacktest({ lookback: 6, ...quick, training: { ...quick.training, epochs: 3 } }, frame, { initialTrain: 240, refitEvery: 20 });
  assert.equal(ev.actual.length, 60);
  assert.equal(ev.dates[0], frame.dates[240]);
  assert.equal(ev.methods[0].predicted.length, 60);
});

test('bad forecaster options and data give clear errors', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => new Forecaster({ lookback: 0 }), /option "lookback" is 0; expected an integer ≥ 1/],
    [() => new Forecaster({ predict: 'price' as never }), /option "predict" is "price"; expected 'value', 'return' or 'direction'/],
    [() => new Forecaster({ horizon: 5 }), /option "horizon" is 5; expected 1 with strategy 'recursive'/],
    [() => new Forecaster({ minLength: 40, lookback: 30 }), /option "minLength" is 40; expected at most lookback \(30\)/],
    [() => new Forecaster({ target: 'open' }).fit(frame), /test: no column "open"; expected one of "close"/],
    [() => new Forecaster({ lookback: 500 }).fit(frame), /shorter than the window/],
    [() => new Forecaster().forecast(frame, 2), /no trained model; call fit\(data\) first/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: unknown) => e instanceof UnrollError && re.test((e as Error).message), re.source);
});

test("direction classifier ('invest or not') learns a rule that holds, and is judged against always-up, majority and momentum", async () => {
  const { directionEvaluation } = await import('./evaluation.js');
  // A price that always reverses its last move: down after up, up after down (with varying sizes).
  let s = 7;
  const rnd = (): number => { s = (s * 16807) % 2147483647; return s / 2147483647; };
  const prices = [100];
  let up = true;
  for (let t = 1; t < 400; t++) { prices.push(prices[t - 1] * (1 + (up ? 1 : -1) * (0.005 + 0.01 * rnd()))); up = !up; }
  const fr = frameFromArrays({ close: prices }, { source: 'zigzag' });
  const f = new Forecaster({ predict: 'direction', features: ['logReturn:close'], scaler: 'standard', lookback: 4, model: { cell: 'gru', hiddenSize: 4 }, training: { epochs: 40, batchSize: 32, learningRate: 0.02, seed: 1 } });
  f.fit(fr, { trainEnd: 300 });
  const [ev] = directionEvaluation(f, fr, 300);
  assert.equal(ev.steps, 100);
  assert.ok(ev.accuracy > 0.95, `accuracy ${ev.accuracy}`);
  // Computed here: in a zigzag, momentum is always wrong and always-up is right half the time.
  assert.equal(ev.baselines.find((b) => b.name.startsWith('momentum'))!.accuracy, 0);
  assert.ok(Math.abs(ev.baselines[0].accuracy - 0.5) <= 0.01);
  assert.match(ev.verdict, /above the best baseline/);
  const p = f.classify(fr).series;
  assert.ok(p >= 0 && p <= 1);
  assert.throws(() => f.forecast(fr, 2), /use classify\(\) for P\(up\)/);
});

test('a recursive forecast whose price leaves the domain of its log-return features: the calibration skips the diverged paths, forecast() says so (the UK gas backtest crash)', () => {
  const f = new Forecaster({ lookback: 5, features: ['logReturn:close'], predict: 'return', scaler: 'standard', ...quick });
  f.fit(frame);
  // Push the output bias so far down that every predicted return is below −100%: the price turns negative
  // after one step and its log-return is NaN, which used to reach the network as input ("x[2][7][0] is NaN").
  const w = f.model!.getWeights();
  const bias = Object.keys(w).find((k) => k.startsWith('head') && k.includes('bias')) ?? Object.keys(w).filter((k) => k.includes('bias')).pop()!;
  f.model!.setWeights({ ...w, [bias]: { shape: w[bias].shape, data: w[bias].data.map(() => -1e6) } });
  assert.doesNotThrow(() => f.recalibrate(frame, 60));
  const err = (() => { try { f.forecast(frame, 3); } catch (e) { return e; } return null; })();
  assert.ok(err instanceof UnrollError && err.code === 'diverged', String(err));
  assert.match((err as Error).message, /recursive forecast diverged at step 2/);
  // One step ahead is still a number (a negative price), and its interval (if any) holds it.
  const [p] = f.forecast(frame, 1).series;
  assert.ok(Number.isFinite(p.value) && p.value < 0);
  assert.ok(p.lower === null || (p.lower <= p.value && p.value <= p.upper!));
});

test('backtest on UK gas (quarterly, R datasets::UKgas), a fresh model every 4 rows: every fold runs, coverage is reported', () => {
  const text = readFileSync(fileURLToPath(new URL('../../test/fixtures/ukgas/ukgas_quarterly_1960_1986.csv', import.meta.url)), 'utf8');
  const gas = parseCsvFrame(text, { source: 'ukgas' });
  assert.equal(gas.dates.length, 108);
  const ev = walkForwardBacktest({ features: ['logReturn:gas'], predict: 'return', scaler: 'standard', lookback: 8, model: { cell: 'elman', hiddenSize: 4 }, training: { epochs: 4, batchSize: 16, learningRate: 0.01, seed: 2 } },
    gas, { initialTrain: 88, refitEvery: 4, period: 4 });
  assert.equal(ev.actual.length, 20);
  assert.ok(ev.coverage !== null && ev.coverage.count + ev.coverage.missing === 20);
  // Seasonal data: the verdict's best benchmark is a seasonal method, not naive.
  assert.notEqual(ev.judgement.best.name, 'the naive (persistence) forecast');
  assert.ok(ev.methods[0].predicted.every(Number.isFinite));
});
