/**
 * The parallel panel benchmark (worker threads) gives exactly the single-thread result: the same forecasts
 * and scores for the registered methods it farms out (ETS, ARIMA, the M4 benchmarks) and for a method that
 * stays in the main thread; a method's error in a worker names the method and the series.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPanelBenchmark } from './panel-benchmark.js';
import { runPanelBenchmarkParallel } from './panel-benchmark-parallel.js';
import { arima, ets, naive, seasonalNaive, theta } from './methods/index.js';
import type { ForecastMethod } from './methods/types.js';
import { UnrollError } from '../util/errors.js';

/** Five short quarterly series with trend, season and deterministic noise; the last 4 values are the test. */
function panel(): { ids: string[]; train: number[][]; test: number[][] } {
  const ids: string[] = [];
  const train: number[][] = [];
  const test: number[][] = [];
  for (let i = 0; i < 5; i++) {
    const y = Array.from({ length: 32 }, (_, t) => 50 + 3 * i + (0.2 + 0.1 * i) * t + (4 + i) * Math.sin((Math.PI * t) / 2 + i) + ((t * 13 + i * 7) % 5) - 2);
    ids.push(`Q${i + 1}`);
    train.push(y.slice(0, 28));
    test.push(y.slice(28));
  }
  return { ids, train, test };
}

// Not in the registry (a method built here), so it runs in the main thread beside the workers.
const lastTwo: ForecastMethod = {
  name: 'mean-of-last-two',
  fit: (y) => ({ name: 'mean-of-last-two', forecast: (h) => ({ mean: new Float64Array(h).fill((y[y.length - 1]! + y[y.length - 2]!) / 2), intervals: [] }) }),
};

test('worker threads give the single-thread result exactly, with the main thread running its own methods meanwhile', async () => {
  const data = panel();
  const methods = [ets, arima, lastTwo, naive, seasonalNaive, theta];
  const options = { horizon: 4, period: 4, levels: [0.95], keepForecasts: true };
  const one = runPanelBenchmark(methods, data, options);
  const progress = new Map<string, number>();
  const two = await runPanelBenchmarkParallel(methods, data, { ...options, workers: 2, onProgress: (name, done, total) => { assert.equal(total, 5); progress.set(name, done); } });
  assert.deepEqual(two.methods.map((m) => m.name), one.methods.map((m) => m.name));
  for (let j = 0; j < one.methods.length; j++) {
    const a = one.methods[j]!;
    const b = two.methods[j]!;
    assert.equal(b.description, a.description, a.name);
    assert.equal(b.smape, a.smape, a.name);
    assert.equal(b.mase, a.mase, a.name);
    assert.equal(b.owa, a.owa, a.name);
    assert.deepEqual(b.intervals, a.intervals, a.name);
    for (let i = 0; i < 5; i++) {
      assert.deepEqual([...b.forecasts![i]!.mean], [...a.forecasts![i]!.mean], `${a.name} series ${i}`);
      assert.deepEqual(b.forecasts![i]!.intervals.map((x) => [...x.upper]), a.forecasts![i]!.intervals.map((x) => [...x.upper]), `${a.name} series ${i}`);
    }
  }
  for (const name of ['ets', 'arima', 'mean-of-last-two', 'naive2']) assert.equal(progress.get(name), 5, name);
  // workers: 0 is the single-thread path.
  const zero = await runPanelBenchmarkParallel([ets, naive], data, { ...options, workers: 0 });
  assert.equal(zero.methods[0]!.smape, one.methods[0]!.smape);
});

test('a method that fails in a worker is named with its series; bad worker counts are refused', async () => {
  const data = panel();
  data.train[3] = [1e308, -1e308, 1e308]; // ETS fits any short series now, but not one whose sum of squares overflows
  await assert.rejects(runPanelBenchmarkParallel([ets, naive], data, { horizon: 4, period: 4, workers: 2 }), (e: unknown) => {
    assert.ok(e instanceof UnrollError, String(e));
    assert.match(e.message, /method "ets" on series "Q4": /);
    return true;
  });
  await assert.rejects(runPanelBenchmarkParallel([naive], panel(), { horizon: 4, period: 4, workers: -1 }), /workers/);
});

test('a method that fails in the main thread at once still rejects: the workers it cancels before they start do not leave the call waiting', async () => {
  // The failure comes before any worker is online; a worker stopped then ends with exit code 0 and no message.
  const broken: ForecastMethod = { name: 'broken', fit: () => { throw new UnrollError('broken: refuses every series', 'data'); } };
  const settled = await Promise.race([
    runPanelBenchmarkParallel([ets, arima, broken], panel(), { horizon: 4, period: 4, workers: 2 }).then(() => 'resolved', (e: unknown) => e),
    new Promise((resolve) => setTimeout(() => resolve('still waiting after 20 s'), 20_000).unref()),
  ]);
  assert.ok(settled instanceof UnrollError, String(settled));
  assert.match(settled.message, /broken: refuses every series/);
});
