/**
 * Rolling benchmarks under a time budget: a method that can extend its fit (ETS, ARIMA) is re-estimated
 * every k origins but forecasts one step ahead at every origin; one that cannot forecasts 1 … k steps ahead,
 * and the notes say which happened.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollingForecasts, runBenchmarks } from './benchmarks.js';
import { etsMethod, holt } from './methods/index.js';

const y = Float64Array.from({ length: 80 }, (_, t) => 100 + 0.5 * t + 8 * Math.sin((2 * Math.PI * t) / 4) + ((t * 37) % 11) - 5);
const span = { start: 60, end: 80 };
const ann = etsMethod({ models: [{ error: 'A', trend: 'N', season: 'N' }] });

test('between refits, an extendable fit runs its states on: every forecast one step ahead', () => {
  const r = rollingForecasts(ann, y, span, { period: 4, refitEvery: 5 });
  assert.equal(r.refitEvery, 5);
  assert.equal(r.oneStep, true);
  for (let t = span.start; t < span.end; t++) {
    const origin = span.start + 5 * Math.floor((t - span.start) / 5);
    const expected = ann.fit(y.subarray(0, origin), { period: 4 }).extend!(y.subarray(0, t)).forecast(1).mean[0];
    assert.equal(r.predicted[t - span.start], expected, `origin ${t}`);
  }
  // Refitted at every origin, the same method gives different (re-estimated) forecasts at most origins.
  const every = rollingForecasts(ann, y, span, { period: 4, refitEvery: 1 });
  assert.equal(every.oneStep, true);
  assert.equal(every.predicted[0], r.predicted[0]);
});

test('a method without extend forecasts 1 … k steps ahead, and the notes tell the two apart', () => {
  const r = rollingForecasts(holt, y, span, { period: 4, refitEvery: 5 });
  assert.equal(r.oneStep, false);
  const fc = holt.fit(y.subarray(0, span.start), { period: 4 }).forecast(5).mean;
  assert.deepEqual([...r.predicted.subarray(0, 5)], [...fc]);
  const { notes } = runBenchmarks([ann, holt], y, span, { period: 4, refitEvery: 5 });
  assert.ok(notes.some((n) => /^ETS was re-estimated every 5 steps .*all its forecasts are one step ahead, as the model's/.test(n)), notes.join(' | '));
  assert.ok(notes.some((n) => /^Holt was refitted every 5 steps .* which can only flatter the model/.test(n)), notes.join(' | '));
});
