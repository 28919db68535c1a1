import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../../data/frame.js';
import { Forecaster } from '../forecaster.js';

// A positive random walk (log-returns with a little noise): 200 rows.
function walk(n: number, seed = 3): Float64Array {
  let s = seed;
  const rand = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const y = new Float64Array(n);
  y[0] = 100;
  for (let t = 1; t < n; t++) y[t] = y[t - 1] * Math.exp(0.01 * (rand() - 0.5));
  return y;
}
// Conformal intervals without the refit: the windows and errors of the held-out calibration itself.
const small = { features: ['logReturn:close'], predict: 'return', scaler: 'standard', lookback: 10, model: { cell: 'gru', hiddenSize: 4 }, training: { epochs: 2, patience: 0, seed: 1 }, seasonal: 'off', intervalMethod: 'conformal', calibrationRefit: false } as const;

test('the interval calibration span is held out from training and early stopping: windows end before it, its errors come from it', () => {
  const frame = frameFromArrays({ close: walk(200) }, { source: 'walk' });
  const f = new Forecaster({ ...small, features: [...small.features], model: { ...small.model }, training: { ...small.training } });
  const r = f.fit(frame, { trainEnd: 160 });
  // 159 feature rows (a log-return drops the first row): max(⌈0.1·159⌉, 20) = 20 rows held out.
  assert.equal(r.trainEnd.series, 159);
  assert.equal(r.calibrationStart.series, 139);
  // Windows of 10 rows with a one-step target in rows [0, 139): origins 9 … 137, 129 windows.
  assert.equal(r.windows, 129);
  // One-step errors from origins 138 … 157: one per held-out row.
  assert.equal(f.residuals[0].length, 20);

  // calibrationSplit 0: nothing held out; the errors come from the validation span: origins from ⌊0.9·159⌋ = 143 to 157.
  const g = new Forecaster({ ...small, features: [...small.features], model: { ...small.model }, training: { ...small.training }, calibrationSplit: 0 });
  const q = g.fit(frame, { trainEnd: 160 });
  assert.equal(q.calibrationStart.series, 159);
  assert.equal(q.windows, 149);
  assert.equal(g.residuals[0].length, 15);
});

test('a series too short to spare the rows is calibrated on its validation span, and the option is checked', () => {
  const frame = frameFromArrays({ close: walk(32) }, { source: 'short' });
  const f = new Forecaster({ ...small, features: [...small.features], model: { ...small.model }, training: { ...small.training } });
  const r = f.fit(frame);
  // 31 rows make 21 windows: 20 must stay for training, so at most 1 row could be held out (fewer than 5): none is.
  assert.equal(r.calibrationStart.series, r.trainEnd.series);
  assert.ok(f.residuals[0].length > 0);
  assert.throws(() => new Forecaster({ calibrationSplit: 0.7 }), /calibrationSplit.*\[0, 0\.5\)/);
});
