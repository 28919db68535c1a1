import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

for (const window of [1, 3])
  for (const outputMode of ['sequence', 'last'] as const) {
    test(`time-delay network, window ${window} (${outputMode}, 2 layers, variable lengths): BPTT equals finite differences`, () => {
      const rng = new Rng(81 + window);
      const lengths = [5, 2, 4, 1];
      const model = new Network({ cell: 'tdnn', cellOptions: { window }, inputSize: 2, hiddenSize: 3, outputSize: 2, numLayers: 2, outputMode, learnInitialState: true, seed: 2 });
      randomizeInitialStates(model, rng);
      const set = toSequenceSet(randomSequences(rng, lengths, 2), 2);
      const r = gradCheck(model, set, toTargetSet(model, set, randomTargets(rng, lengths, 2, outputMode === 'sequence'), false), { loss: 'ssr' });
      assert.ok(r.maxGrad > 1e-3);
      assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
      assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
    });
  }

test('time-delay network: y_t = f(x_t … x_{t−N+1}) exactly, and an input affects only the next N outputs (finite response)', () => {
  const rng = new Rng(87);
  const N = 3, D = 2, H = 4;
  const model = new Network({ cell: 'tdnn', cellOptions: { window: N }, inputSize: D, hiddenSize: H, outputMode: 'sequence', seed: 4 });
  const W = Object.fromEntries(Object.entries(model.getWeights()).map(([k, v]) => [k, v.data]));
  const seq = randomSequences(rng, [8], D)[0];
  const got = (model.predict([seq]) as number[][][])[0];
  seq.forEach((_, t) => {
    const u: number[] = [];
    for (let l = 0; l < N; l++) for (let d = 0; d < D; d++) u.push(t - l >= 0 ? seq[t - l][d] : 0);
    const h = Array.from({ length: H }, (_, i) => Math.tanh(W.bias_ih_l0[i] + u.reduce((s, v, j) => s + v * W.weight_ih_l0[i * N * D + j], 0)));
    const y = W['head.bias'][0] + h.reduce((s, v, j) => s + v * W['head.weight'][j], 0);
    assert.ok(Math.abs(got[t][0] - y) < 1e-12, `step ${t}`);
  });
  const changed = seq.map((v, t) => (t === 2 ? [v[0] + 1, v[1]] : v));
  const got2 = (model.predict([changed]) as number[][][])[0];
  got.forEach((v, t) => {
    if (t < 2 || t >= 2 + N) assert.equal(got2[t][0], v[0], `step ${t} must not see x_2`);
    else assert.notEqual(got2[t][0], v[0], `step ${t} must see x_2`);
  });
  assert.match(model.summary(), /tdnn\(tanh, window 3\) l0 +\[N, T, 4\] +28/);
  assert.throws(() => new Network({ cell: 'tdnn', inputSize: 1, hiddenSize: 2, cellOptions: { window: 0 } }), /"cellOptions.window" is 0; expected a positive integer/);
});
