/**
 * outputGroups (cli/model-outputs.ts): every output of a forecaster's head named, for `unroll summary`.
 * The counts are checked against a trained network's own outputSize (and the summary end to end in cli.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../data/frame.js';
import { Forecaster } from '../forecast/forecaster.js';
import { referenceBackend } from '../kernels/index.js';
import { outputGroups, outputLines } from './model-outputs.js';

const base = { predict: 'return', strategy: 'recursive', horizon: 1, intervalMethod: 'cqr', intervalLevel: 0.95 } as const;

test('a quantile head: the median, then the lower and upper bound of each learnt level, with their τ', () => {
  const g = outputGroups(base);
  assert.deepEqual(g.map((x) => [x.from, x.to, x.tau]), [[1, 1, 0.5], [2, 2, 0.1], [3, 3, 0.9], [4, 4, 0.05], [5, 5, 0.95], [6, 6, 0.025], [7, 7, 0.975]]);
  assert.equal(g[0]!.what, 'the next return: median');
  assert.equal(g[6]!.what, 'the next return: upper bound of the 95% interval');
  // A level of its own is learnt too, in order.
  const g99 = outputGroups({ ...base, intervalLevel: 0.99 });
  assert.equal(g99.length, 9);
  assert.deepEqual([g99[7]!.what, g99[7]!.tau], ['the next return: lower bound of the 99% interval', 0.005]);
});

test('direct: blocks of h outputs, one per step; a point head and a direction classifier', () => {
  const g = outputGroups({ ...base, strategy: 'direct', horizon: 3, predict: 'value' });
  assert.deepEqual(g.map((x) => [x.from, x.to]), [[1, 3], [4, 6], [7, 9], [10, 12], [13, 15], [16, 18], [19, 21]]);
  assert.equal(g[1]!.what, 'the value 1…3 steps ahead: lower bound of the 80% interval');
  assert.deepEqual(outputLines(g).slice(0, 3), ['Outputs of the head (21):', '  1–3    the value 1…3 steps ahead: median (τ 0.5)', '  4–6    the value 1…3 steps ahead: lower bound of the 80% interval (τ 0.1)']);
  assert.deepEqual(outputGroups({ ...base, intervalMethod: 'conformal' }), [{ from: 1, to: 1, what: 'the next return (point forecast, squared error)', tau: null }]);
  const d = outputGroups({ ...base, predict: 'direction' });
  assert.deepEqual(d.map((x) => x.from), [1, 2]);
  assert.match(d[1]!.what, /up move/);
});

test('the groups cover exactly the outputs of a trained network', () => {
  const frame = frameFromArrays({ close: Float64Array.from({ length: 120 }, (_, t) => 10 + Math.sin(t / 3) + t * 0.05) }, { source: 'wave' });
  for (const options of [{}, { strategy: 'direct' as const, horizon: 2 }, { intervalMethod: 'conformal' as const }]) {
    const f = new Forecaster({ lookback: 6, seasonal: 'off', model: { cell: 'elman', hiddenSize: 3 }, training: { epochs: 1, patience: 0 }, ...options }, { backend: referenceBackend() });
    f.fit(frame);
    const g = outputGroups(f.options);
    assert.equal(g[g.length - 1]!.to, f.model!.config.outputSize, JSON.stringify(options));
  }
});
