/**
 * The companion's fits on worker threads (companion-threads.ts) give the serial forecasts bit for bit
 * ('ets-arima', 'series', and the candidates of 'select'), in the series' order (every worker fits at least
 * one series, so a misplaced result shows), with the model's three passes (fit's validation windows, the
 * window before, forecast) on 1 and 2 threads; where worker threads do not exist, or the batch is cheap, it
 * all runs on the calling thread; a worker's failure is an UnrollError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnrollError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { MIN_THREADED_COST, candidatesOn, runCompanionTask } from './companion-threads.js';
import { companionForecast, etsArimaCost, selectCompanion } from './companion.js';
import { PanelForecaster } from './model.js';

const PATTERN = [0.6, 0.7, 0.9, 1.2, 1.5, 1.4, 1.1, 0.9, 0.8, 1.0, 1.3, 0.6];

/** Monthly series of different lengths, levels and noise, so that no two forecasts are alike. */
function panel(count: number, shortest: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const level = 10 + 90 * rng.next();
    const slope = 0.01 * (rng.next() - 0.5);
    return Float64Array.from({ length: shortest + ((i * 7) % 23) }, (_, t) => level * (1 + slope * t) * PATTERN[t % 12]! * Math.exp(0.05 * rng.normal()));
  });
}

/** The bytes of every forecast, to compare to the last bit. */
const bytes = (fs: readonly Float64Array[]): number[][] => fs.map((f) => Array.from(new Uint8Array(f.buffer, f.byteOffset, f.byteLength)));

test('ETS–ARIMA companion on 3 threads and per-series companion on 2: the serial forecasts bit for bit, in the series order', () => {
  const five = panel(5, 30, 11);
  // The per-series companion fits ETS and ARIMA three times a series: three series for it.
  for (const [choice, threads, series] of [['ets-arima', 3, five], ['series', 2, five.slice(0, 3)]] as const) {
    const serial = series.map((y) => companionForecast(y, 6, 12, choice));
    // The series are all different, so a forecast placed at another series' index would not match.
    assert.equal(new Set(bytes(serial).map(String)).size, serial.length);
    const threaded = runCompanionTask({ kind: 'forecast', choice }, series, 6, 12, threads, { minCost: 0 });
    assert.deepEqual(bytes(threaded), bytes(serial), `${choice} on ${threads} threads`);
  }
});

test("'select': the candidates' forecasts of every window on 2 threads give the serial choice, scores and forecasts bit for bit", () => {
  // Series of 30 … 52 values with h = 6: two windows each, and one short series (14 values) with only the last.
  const series = [...panel(5, 30, 15), panel(1, 14, 16)[0]!];
  const index = [0, 1, 2, 3, 4, 5];
  const serial = selectCompanion(series, index, 6, 12);
  const threaded = selectCompanion(series, index, 6, 12, candidatesOn(2, { minCost: 0 }));
  assert.equal(threaded.choice, serial.choice);
  assert.deepEqual(threaded.scores, serial.scores);
  assert.deepEqual(bytes(threaded.lastWindow), bytes(serial.lastWindow));
  assert.equal(serial.previousWindow[5], null);
  assert.deepEqual(threaded.previousWindow.map((f) => (f ? bytes([f]) : null)), serial.previousWindow.map((f) => (f ? bytes([f]) : null)));
});

test('cheap batches, one thread, and no worker_threads (a browser) run on the calling thread with the same forecasts', () => {
  const series = panel(3, 30, 12);
  const serial = series.map((y) => companionForecast(y, 6, 12, 'ets-arima'));
  assert.ok(etsArimaCost(series, 12) < MIN_THREADED_COST);
  // A worker module that does not exist would fail if a worker were started: none is.
  const cheap = { worker: 'no-such-worker' };
  assert.deepEqual(bytes(runCompanionTask({ kind: 'forecast', choice: 'ets-arima' }, series, 6, 12, 2, cheap)), bytes(serial));
  assert.deepEqual(bytes(runCompanionTask({ kind: 'forecast', choice: 'ets-arima' }, series, 6, 12, 1, { ...cheap, minCost: 0 })), bytes(serial));
  const proc = process as { getBuiltinModule?: unknown };
  const saved = proc.getBuiltinModule;
  proc.getBuiltinModule = undefined;
  try {
    assert.deepEqual(bytes(runCompanionTask({ kind: 'forecast', choice: 'ets-arima' }, series, 6, 12, 2, { ...cheap, minCost: 0 })), bytes(serial));
  } finally {
    proc.getBuiltinModule = saved;
  }
});

test('a companion worker that fails surfaces as an UnrollError', () => {
  const series = panel(3, 30, 13);
  assert.throws(() => runCompanionTask({ kind: 'forecast', choice: 'ets-arima' }, series, 6, 12, 2, { minCost: 0, worker: 'no-such-worker' }),
    (e: unknown) => e instanceof UnrollError && /companion worker failed: could not load the companion worker/.test(e.message));
});

test('the panel model fitted and forecast on 2 threads equals the serial one, companion passes included', () => {
  // 14 monthly series of 70 … 92 values: a seasonal ETS–ARIMA cost above MIN_THREADED_COST, so every pass is threaded.
  const series = panel(14, 70, 14);
  const options = { horizon: 6, period: 12, hiddenSize: 3, numLayers: 1, members: 1, epochs: 1, windowsPerSeries: 1, levels: [0.9] };
  const serial = new PanelForecaster(options).fit(series);
  // Two validation windows (every series has at least chunk + 4h values): the fit also forecasts window A, the cut before the validation window.
  assert.equal(serial.companionChoice, 'ets-arima');
  assert.equal(serial.weight, 0);
  const validationCost = etsArimaCost(series.map((y) => y.subarray(0, y.length - 12)), 12);
  assert.ok(validationCost >= MIN_THREADED_COST, `${validationCost}`);
  const threaded = new PanelForecaster(options).fit(series, { threads: 2 });
  assert.deepEqual(threaded.toJSON(), serial.toJSON());
  assert.deepEqual(threaded.forecast(series, { threads: 2 }), serial.forecast(series));
  for (const threads of [0, 65]) assert.throws(() => serial.forecast(series, { threads }), (e: unknown) => e instanceof UnrollError && /threads/.test(e.message));
  assert.throws(() => new PanelForecaster(options).fit([series[0]!], { threads: 65 }), (e: unknown) => e instanceof UnrollError && /threads/.test(e.message));
});
