import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../../data/frame.js';
import { Forecaster } from '../forecaster.js';
import { composeSteps, quantileTaus, stepOffsets } from './quantiles.js';

test('quantile levels and τ: the median first, then each level\'s two tails, ascending levels', () => {
  assert.deepEqual(quantileTaus(0.9).map((t) => Math.round(t * 1000) / 1000), [0.5, 0.1, 0.9, 0.05, 0.95, 0.025, 0.975]);
  assert.equal(quantileTaus(0.5).length, 9);
});

test('step offsets: relative and absolute, crossed quantiles swapped, the point inside, levels nested; steps compose as independent shocks', () => {
  // point 100; 80%: [95, 104]; 90%: [97 (crosses inside the 80% bound), 108]; 95%: [110, 90] (swapped).
  const prices = [100, 95, 104, 97, 108, 110, 90];
  const rel = stepOffsets(prices, [0.8, 0.9, 0.95], 'relative');
  const r = (x: number): number => Math.round(x * 1e9) / 1e9;
  assert.deepEqual(rel.map(([a, b]) => [r(a), r(b)]), [[-0.05, 0.04], [-0.05, 0.08], [-0.1, 0.1]]);
  assert.deepEqual(stepOffsets([10, 12, 13, 8, 14, 7, 15], [0.8, 0.9, 0.95], 'absolute'), [[0, 3], [-2, 4], [-3, 5]]);
  // Two steps of ±3 and ±4 compose to ±5 (√(9 + 16)).
  const c = composeSteps([[[-3, 3]], [[-4, 4]]]);
  assert.deepEqual(c, [[[-3, 3]], [[-5, 5]]]);
});

test("intervalMethod 'quantile': bounds hold the point and widen with the horizon, other levels get a note, a saved forecaster reproduces them", () => {
  let s = 3;
  const rand = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const y = new Float64Array(200);
  y[0] = 100;
  for (let t = 1; t < 200; t++) y[t] = y[t - 1] * Math.exp(0.02 * (rand() - 0.5));
  const frame = frameFromArrays({ close: y }, { source: 'walk' });
  const f = new Forecaster({ features: ['logReturn:close'], predict: 'return', scaler: 'standard', lookback: 8, model: { cell: 'gru', hiddenSize: 4 }, training: { epochs: 3, patience: 0, seed: 2 }, seasonal: 'off', intervalMethod: 'quantile' });
  f.fit(frame);
  assert.equal(f.model!.toJSON().config.outputSize, 7);
  const pts = f.forecastIntervals(frame, 4, [0.8, 0.9, 0.95, 0.5]).series!;
  let prev: { lower: number; upper: number }[] | null = null;
  for (const p of pts) {
    const [b80, b90, b95, b50] = p.intervals;
    for (const b of [b80, b90, b95]) assert.ok(b.lower! <= p.value && p.value <= b.upper!, JSON.stringify(p));
    assert.ok(b95.lower! <= b90.lower! && b90.lower! <= b80.lower! && b80.upper! <= b90.upper! && b90.upper! <= b95.upper!);
    assert.equal(b50.lower, null);
    assert.match(b50.note!, /learnt the bounds of 80%, 90%, 95% only/);
    const widths = [b80, b90, b95].map((b) => ({ lower: b.lower! / p.value, upper: b.upper! / p.value }));
    if (prev) widths.forEach((w, i) => assert.ok(w.lower <= prev![i]!.lower + 1e-12 && w.upper >= prev![i]!.upper - 1e-12));
    prev = widths;
  }
  const g = Forecaster.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
  assert.deepEqual(g.forecast(frame, 3), f.forecast(frame, 3));
  assert.throws(() => new Forecaster({ intervalMethod: 'bootstrap' as never }), /intervalMethod.*'conformal', 'quantile', 'cqr'/);
});
