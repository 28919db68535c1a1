import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../../data/frame.js';
import { Forecaster } from '../forecaster.js';
import { runBenchmarks } from '../benchmarks.js';
import { naive } from './naive.js';
import { rnnMethod, rnnOptionsFor } from './rnn.js';

/** A noisy seasonal series around 100 (period 12), 160 values. */
function series(n = 160): Float64Array {
  let s = 7;
  const noise = (): number => { s = (s * 16807) % 2147483647; return (s / 2147483647 - 0.5) * 2; };
  return Float64Array.from({ length: n }, (_, t) => 100 + 8 * Math.sin((2 * Math.PI * t) / 12) + noise());
}
const small = { model: { hiddenSize: 6 }, training: { epochs: 4, seed: 3 } };

test('rnnMethod forecasts exactly what a Forecaster with the same options forecasts, with conformal intervals per level', () => {
  const y = series(400);
  const fitted = rnnMethod({ options: small }).fit(y, { period: 12 });
  const out = fitted.forecast(6, { levels: [0.8, 0.9] });
  const f = new Forecaster({ ...rnnOptionsFor(y, small), period: 12 });
  const frame = frameFromArrays({ value: y }, { source: 'series' });
  f.fit(frame);
  // The period given to fit is the period of the seasonal normalisation (a sine of period 12 is seasonal).
  assert.equal(f.seasonal.series!.kind, 'holt-winters', f.seasonal.series!.note);
  const direct = f.forecast(frame, 6).series!;
  assert.deepEqual(Array.from(out.mean), direct.map((p) => p.value));
  assert.deepEqual(out.intervals.map((b) => b.level), [0.8, 0.9]);
  const [i80, i90] = out.intervals;
  // The forecaster's own 90% bounds equal the method's 90% interval.
  direct.forEach((p, k) => { assert.equal(i90!.lower[k], p.lower); assert.equal(i90!.upper[k], p.upper); });
  for (let k = 0; k < 6; k++) {
    assert.ok(i90!.lower[k]! <= i80!.lower[k]! && i80!.upper[k]! <= i90!.upper[k]!, `step ${k + 1}: 80% inside 90%`);
    assert.ok(i80!.lower[k]! <= out.mean[k]! && out.mean[k]! <= i80!.upper[k]!, `step ${k + 1}: the point forecast inside`);
  }
  assert.match(fitted.description!, /LSTM 1×6, lookback 30, returns, best epoch \d of 4/);
});

test('rnnMethod stands in the benchmark table beside naive (refitted on each origin\'s history)', () => {
  const y = series(100);
  const { runs } = runBenchmarks([naive, rnnMethod({ options: { ...small, training: { epochs: 2 } } })], y, { start: 97, end: 100 }, { period: 12, refitEvery: 3 });
  assert.deepEqual(runs.map((r) => r.name), ['naive', 'rnn']);
  assert.ok(runs[1]!.predicted.every(Number.isFinite));
});

test('rnnMethod: a short series gets a shorter lookback; bad input is a clear error; a level without enough errors is left out with a note', () => {
  const y = series(40);
  assert.equal(rnnOptionsFor(y).lookback, 10);
  assert.throws(() => rnnMethod().fit([1, 2, Number.NaN, 4, 5, 6, 7, 8], { period: 1 }), /rnn: value \[2\] of the series is NaN/);
  assert.throws(() => rnnMethod().fit(y, { period: 0 }), /option "period"/);
  // The default (intervalMethod 'cqr') learnt the bounds of 80/90/95% only; a conformal forecaster
  // gives any level its errors allow.
  const out = rnnMethod({ options: small }).fit(y, { period: 12 }).forecast(3, { levels: [0.99] });
  assert.equal(out.intervals.length, 0);
  assert.ok(out.notes!.some((n) => /no 99% interval: this quantile forecaster learnt the bounds of 80%, 90%, 95% only/.test(n)), out.notes!.join('\n'));
  const conformal = rnnMethod({ options: { ...small, intervalMethod: 'conformal' } }).fit(y, { period: 12 }).forecast(3, { levels: [0.99] });
  assert.equal(conformal.intervals.length, 0);
  assert.ok(conformal.notes!.some((n) => /calibration errors \(\d+ over all steps\), at least \d+ needed/.test(n)), conformal.notes!.join('\n'));
});
