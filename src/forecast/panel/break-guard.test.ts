/**
 * The break guard (break-guard.ts) and its use in the ETS–ARIMA companion (companion.ts, BREAK_GUARD).
 * The expected decisions are worked by hand in the comments, not computed by the code under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BREAK_K, BREAK_MIN_CHANGES, breakAtOrigin } from './break-guard.js';
import { etsArimaForecast } from './companion.js';
import { arima } from '../methods/arima.js';
import { ets } from '../methods/ets.js';
import { theta } from '../methods/theta.js';

/** The series starting at 0 with these one-step changes (it holds a 0, so the guard uses raw changes). */
const fromChanges = (changes: number[]): number[] => changes.reduce((y, d) => [...y, y[y.length - 1]! + d], [0]);

test('break guard: the hand-worked threshold on raw changes', () => {
  assert.equal(BREAK_K, 8);
  assert.equal(BREAK_MIN_CHANGES, 8);
  // Earlier changes 1, 3, −1, 2, 0, 4, −2, 1, 2: sorted −2 −1 0 1 1 2 2 3 4, median μ = 1;
  // |d − 1| = 0 2 2 1 1 3 3 0 1, sorted 0 0 1 1 1 2 2 3 3, median 1, so σ = 1.4826 and 8σ = 11.8608.
  const before = [1, 3, -1, 2, 0, 4, -2, 1, 2];
  assert.equal(breakAtOrigin(fromChanges([...before, 13])), true); // |13 − 1| = 12 > 11.8608
  assert.equal(breakAtOrigin(fromChanges([...before, 12])), false); // 11 < 11.8608
  assert.equal(breakAtOrigin(fromChanges([...before, -11])), true); // 12
  assert.equal(breakAtOrigin(fromChanges([...before, -10])), false); // 11
  // k is a parameter: with k = 4 the threshold is 5.9304, so a last change of 7 (|7 − 1| = 6) is a break.
  assert.equal(breakAtOrigin(fromChanges([...before, 7]), 1, 4), true);
  assert.equal(breakAtOrigin(fromChanges([...before, 6]), 1, 4), false);
});

test('break guard: positive series are judged on log changes, and short ones never', () => {
  // Growth of exactly 10% a step, then 10% again: every log change is log 1.1, σ = 0, so only a different last
  // change can be a break; the same one is not.
  const steady = Array.from({ length: 12 }, (_, t) => 50 * 1.1 ** t);
  assert.equal(breakAtOrigin(steady), false);
  // The same on raw changes: 0, 1, …, 10 then the last value. Every earlier change is 1, both scales are 0, so the
  // floor 1e−12 · (1 + 1) decides: a last change of 1 + 1e−13 is not a break, 2.5 is.
  const ramp = Array.from({ length: 11 }, (_, t) => t);
  assert.equal(breakAtOrigin([...ramp, 11 + 1e-13]), false);
  assert.equal(breakAtOrigin([...ramp, 12.5]), true);
  // Growth cycling through 8%, 12%, 10%, 9% and 11% a step. With a 20th step appended (19 earlier changes: four
  // each of 8, 9, 10 and 12%, three of 11%), μ = log 1.10 = 0.0953 and the MAD is 0.00913 (|log 1.09 − log 1.10|),
  // so σ = 0.01354 and 8σ = 0.108: a 40% fall (|log 0.6 − μ| = 0.606) is a break, a 12% rise (0.018) is not.
  const rates = [1.08, 1.12, 1.10, 1.09, 1.11];
  const alt = [100];
  for (let t = 1; t < 20; t++) alt.push(alt[t - 1]! * rates[(t - 1) % 5]!);
  assert.equal(breakAtOrigin(alt), false);
  assert.equal(breakAtOrigin([...alt, alt[alt.length - 1]! * 0.6]), true);
  assert.equal(breakAtOrigin([...alt, alt[alt.length - 1]! * 1.12]), false);
  // Seven earlier changes (nine values) are too few, however large the last one.
  assert.equal(breakAtOrigin([1, 2, 1, 2, 1, 2, 1, 2, 1e5]), false);
  // Eight: changes ±log 2 (four each), μ = 0, σ = 1.4826 · log 2 = 1.028, 8σ = 8.22; log 1e5 = 11.5 is a break,
  // log 1000 = 6.9 is not.
  assert.equal(breakAtOrigin([1, 2, 1, 2, 1, 2, 1, 2, 1, 1e5]), true);
  assert.equal(breakAtOrigin([1, 2, 1, 2, 1, 2, 1, 2, 1, 1000]), false);
});

test('break guard: a rate that moves in steps is judged on its mean deviation, not on a MAD of 0', () => {
  // A rate from 0 in steps of 0.25 every third period: earlier changes 0 0 .25 0 0 .25 0 0 .25 0 0 (eleven; raw, as
  // the series holds 0). μ = 0 and the MAD is 0 (eight zeros), so σ = 1.2533 · mean|d| = 1.2533 · 0.75 / 11 =
  // 0.08545 and 8σ = 0.6836: the usual step of 0.25 is not a break, a jump of 1 is. (On the MAD alone, with its
  // floor, both would be.)
  const rate = [0, 0, 0, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 0.75];
  assert.equal(breakAtOrigin([...rate, 1.0]), false);
  assert.equal(breakAtOrigin([...rate, 1.75]), true);
});

test('break guard: a regular seasonal spike is not a break when the period is given', () => {
  // Six years of a monthly series rising slowly with a December 50% above the trend, ending in December. On
  // one-step changes alone the December rise (log 1.5 = 0.405) is far out among the other months' small changes;
  // adjusted by M4's seasonal indices (the series is seasonal by the 90% ACF test at lag 12), it is not.
  let s = 11;
  const noise = (): number => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
  const y = Array.from({ length: 72 }, (_, t) => (100 + 0.2 * t + noise()) * (t % 12 === 11 ? 1.5 : 1));
  assert.equal(breakAtOrigin(y), true);
  assert.equal(breakAtOrigin(y, 12), false);
  // January's fall back is not one either; a crash of 40% in a January still is.
  const jan = [...y, (100 + 0.2 * 72) * 1];
  assert.equal(breakAtOrigin(jan, 12), false);
  assert.equal(breakAtOrigin([...y, (100 + 0.2 * 72) * 0.6], 12), true);
});

test('break guard: the ETS–ARIMA companion forecasts with Theta after a break, and with the mean otherwise', () => {
  // A quarterly series with a small season, a steady rise, noise from a fixed recurrence, then a 40% fall at the
  // end. (The series is positive, so the test is on log changes.)
  let s = 7;
  const noise = (): number => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
  const y = Array.from({ length: 48 }, (_, t) => 100 + 0.8 * t + 1.5 * [1, -1, 2, -2][t % 4]! + noise());
  const h = 8; const m = 4;
  const crashed = [...y, y[y.length - 1]! * 0.6];
  assert.equal(breakAtOrigin(y, m), false);
  assert.equal(breakAtOrigin(crashed, m), true);
  const th = theta.fit(crashed, { period: m }).forecast(h).mean;
  assert.deepEqual(Array.from(etsArimaForecast(crashed, h, m)), Array.from(th));
  // Without the guard, the crashed series gets the ETS–ARIMA mean, which is not Theta's forecast.
  const e = ets.fit(crashed, { period: m }).forecast(h).mean; const a = arima.fit(crashed, { period: m }).forecast(h).mean;
  const unguarded = etsArimaForecast(crashed, h, m, true, false);
  unguarded.forEach((v, k) => assert.ok(Math.abs(v - (e[k]! + a[k]!) / 2) < 1e-12));
  assert.ok(unguarded.some((v, k) => Math.abs(v - th[k]!) > 1e-6));
  // The series without the break keeps the mean.
  const e0 = ets.fit(y, { period: m }).forecast(h).mean; const a0 = arima.fit(y, { period: m }).forecast(h).mean;
  etsArimaForecast(y, h, m).forEach((v, k) => assert.ok(Math.abs(v - (e0[k]! + a0[k]!) / 2) < 1e-12));
});
