import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrateIntervals, coverage, forecastError, intervalAt, minErrorsFor } from './intervals.js';
import { gaussian } from '../test-support/random.js';

test('coverage on a long synthetic series with known noise: within ±3 points of nominal at every horizon step', () => {
  // AR(1) around a level, y_t = 50 + 0.7 (y_{t−1} − 50) + ε_t, ε ~ N(0, 1); the point forecast is the
  // true conditional mean, so the errors are what the noise makes them: the h-step error has variance
  // Σ_{j<h} 0.7^{2j}, and the interval must widen with h until it levels off.
  const n = 40000, H = 12, phi = 0.7;
  const z = gaussian(11);
  const y = new Float64Array(n);
  y[0] = 50;
  for (let t = 1; t < n; t++) y[t] = 50 + phi * (y[t - 1] - 50) + z();
  const predict = (e: number, h: number): number => 50 + Math.pow(phi, h) * (y[e] - 50);
  for (const level of [0.8, 0.9, 0.95]) {
    // Calibrate on origins in the first half, measure on the second half.
    const errors: number[][] = Array.from({ length: H }, () => []);
    for (let e = 0; e < n / 2 - H; e++) for (let h = 1; h <= H; h++) errors[h - 1].push(forecastError(y[e + h], predict(e, h), 'absolute'));
    const cal = calibrateIntervals(errors, level, 'absolute');
    let prevWidth = 0;
    for (let h = 1; h <= H; h++) {
      const actual: number[] = [], lower: number[] = [], upper: number[] = [];
      for (let e = n / 2; e < n - H; e++) {
        const v = predict(e, h);
        const b = intervalAt(cal, v, h);
        assert.ok(b.lower !== null && b.upper !== null && b.lower <= v && v <= b.upper);
        actual.push(y[e + h]); lower.push(b.lower!); upper.push(b.upper!);
      }
      const c = coverage(actual, lower, upper, level);
      assert.ok(Math.abs(c.empirical! - level) <= 0.03, `level ${level}, step ${h}: coverage ${c.empirical}`);
      const width = upper[0] - lower[0];
      assert.ok(width >= prevWidth, `step ${h} narrower than step ${h - 1}`);
      prevWidth = width;
    }
    // The known noise: the 1-step 90% half-width is 1.645 σ; the 12-step one 1.645 σ √(Σ 0.49^j).
    if (level === 0.9) {
      const w1 = intervalAt(cal, 0, 1), w12 = intervalAt(cal, 0, 12);
      assert.ok(Math.abs((w1.upper! - w1.lower!) / 2 - 1.645) < 0.05, `1-step half-width ${(w1.upper! - w1.lower!) / 2}`);
      const sd12 = Math.sqrt((1 - Math.pow(phi, 24)) / (1 - phi * phi));
      assert.ok(Math.abs((w12.upper! - w12.lower!) / 2 - 1.645 * sd12) < 0.07, `12-step half-width ${(w12.upper! - w12.lower!) / 2} vs ${1.645 * sd12}`);
    }
  }
});

test('too few errors: a clear note instead of NaN; the point forecast always inside; steps past the last widen by √h', () => {
  assert.equal(minErrorsFor(0.9), 19);
  assert.equal(minErrorsFor(0.8), 9);
  const errors = [Array.from({ length: 30 }, (_, i) => 0.01 + i * 0.001), Array.from({ length: 5 }, () => 0.02)];
  const cal = calibrateIntervals(errors, 0.9, 'relative');
  // Every error is positive (a biased model): the interval still holds the point forecast.
  const b1 = intervalAt(cal, 100, 1);
  assert.equal(b1.lower, 100);
  assert.ok(b1.upper! > 100 && Number.isFinite(b1.upper!));
  // Step 2 has 5 errors of its own: it pools all 35, each scaled by 1/√(its step), and widens by √2.
  const b2 = intervalAt(cal, 100, 2);
  assert.ok(b2.lower !== null && b2.upper !== null && b2.upper >= b1.upper!);
  assert.match(b2.note!, /step 2 has 5 calibration errors of its own \(fewer than 19\): its interval pools the 35 errors of every step, each divided by its step/);
  // Truly too few, even pooled (5 + 4 < 19): no interval, a note, never NaN.
  const few = calibrateIntervals([[0.01, 0.02, 0.03, 0.04, 0.05], [0.01, 0.02, 0.03, 0.04]], 0.9, 'relative');
  const none = intervalAt(few, 100, 2);
  assert.equal(none.lower, null);
  assert.equal(none.upper, null);
  assert.match(none.note!, /no 90% interval at step 2: 4 calibration errors \(9 over all steps\), at least 19 needed/);
  const ok = calibrateIntervals([Array.from({ length: 99 }, (_, i) => i - 49)], 0.9, 'absolute');
  const one = intervalAt(ok, 0, 1), four = intervalAt(ok, 0, 4);
  assert.ok(Math.abs(four.upper! - 2 * one.upper!) < 1e-12 && Math.abs(four.lower! - 2 * one.lower!) < 1e-12);
  assert.match(four.note!, /past the last calibrated step \(1\)/);
  const c = coverage([1, 2, 3], [0, null, 3.5], [2, null, 4], 0.9);
  assert.deepEqual(c, { level: 0.9, empirical: 0.5, count: 2, missing: 1 });
});

test('pooled fallback for short calibration spans: a dozen origins give every step an interval that keeps its promise within 1.5 points (random-walk errors, 80% and 90%)', () => {
  // Each replication: 12 origins, steps h = 1 … 10, k_h = 12 − h + 1 errors of a random walk (N(0, h));
  // only step 1 (12 errors) … none has 19 of its own, so every step pools. Coverage of a fresh h-step error.
  const z = gaussian(5);
  const H = 10, reps = 4000;
  for (const level of [0.8, 0.9]) {
    const inside = new Array<number>(H).fill(0);
    for (let r = 0; r < reps; r++) {
      const errors = Array.from({ length: H }, (_, j) => Array.from({ length: 12 - j }, () => z() * Math.sqrt(j + 1)));
      const cal = calibrateIntervals(errors, level, 'absolute');
      for (let h = 1; h <= H; h++) {
        const b = intervalAt(cal, 0, h);
        assert.ok(b.lower !== null && b.upper !== null, `step ${h}: ${b.note}`);
        const e = z() * Math.sqrt(h);
        if (e >= b.lower! && e <= b.upper!) inside[h - 1]!++;
      }
    }
    // Split-conformal promises at least the level. At 90% no step has 19 errors of its own, so every step
    // pools the 75 errors on one scale (each step's mean absolute error, itself estimated from 3–12
    // errors): coverage within 1.5 points of the level at step 1, conservative at later steps (the
    // widening across steps and the noisy scales of the steps with few errors); at 80% the first steps
    // use their own few errors (conservative with ~10 errors).
    inside.forEach((k, i) => {
      assert.ok(k / reps >= level - 0.015 && k / reps <= level + 0.11, `level ${level}, step ${i + 1}: coverage ${k / reps}`);
    });
  }
});

test('intervals stay nested across levels: a step pooled at 95% is never narrower than its own errors give at 90%', () => {
  // Step 1: 20 errors, two of them far out (±5); step 2: 80 errors spread evenly over [−1, 1].
  const step1 = [-5, 5, ...Array.from({ length: 18 }, (_, i) => -0.09 + 0.01 * i)];
  const step2 = Array.from({ length: 80 }, (_, i) => -1 + (2 * i) / 79);
  const at90 = calibrateIntervals([step1, step2], 0.9, 'absolute');
  const at95 = calibrateIntervals([step1, step2], 0.95, 'absolute');
  // 90%: ⌊21·0.05⌋ = 1 and ⌈21·0.95⌉ = 20: the step's own extremes.
  assert.deepEqual([at90.offsets[0]!.low, at90.offsets[0]!.high, at90.offsets[0]!.pooled], [-5, 5, undefined]);
  // 95% needs 39 errors of its own: pooled. The second-smallest pooled score is step 2's (−2 on its scale),
  // which on step 1's scale alone would give about −1.1; the step's own range keeps it at ±5.
  assert.equal(at95.offsets[0]!.pooled, true);
  assert.ok(at95.offsets[0]!.low <= -5 && at95.offsets[0]!.high >= 5, JSON.stringify(at95.offsets[0]));
});
