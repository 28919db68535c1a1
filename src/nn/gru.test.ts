import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** A plain per-sample GRU from PyTorch's equations (gate order r, z, n), independent of the kernels. */
export function naiveGRU(W: Record<string, { data: number[] }>, suffix: string, D: number, H: number, seq: number[][],
  h0 = new Array(H).fill(0)): number[][] {
  const wi = W[`weight_ih${suffix}`].data, wh = W[`weight_hh${suffix}`].data;
  const bi = W[`bias_ih${suffix}`].data, bh = W[`bias_hh${suffix}`].data;
  let h = h0;
  const hs: number[][] = [];
  for (const x of seq) {
    const inX = (row: number): number => { let z = bi[row]; for (let j = 0; j < D; j++) z += wi[row * D + j] * x[j]; return z; };
    const inH = (row: number): number => { let z = bh[row]; for (let j = 0; j < H; j++) z += wh[row * H + j] * h[j]; return z; };
    const nh = new Array(H);
    for (let u = 0; u < H; u++) {
      const r = sig(inX(u) + inH(u));
      const z = sig(inX(H + u) + inH(H + u));
      const n = Math.tanh(inX(2 * H + u) + r * inH(2 * H + u));
      nh[u] = (1 - z) * n + z * h[u];
    }
    h = nh;
    hs.push(h);
  }
  return hs;
}

for (const outputMode of ['last', 'sequence'] as const) {
  for (const lengths of [[4, 4, 4], [5, 2, 4, 1]]) {
    test(`GRU ${outputMode}, lengths ${lengths}: BPTT equals finite differences (all parameters, initial states, inputs)`, () => {
      const rng = new Rng(19);
      const model = new Network({ cell: 'gru', inputSize: 3, hiddenSize: 4, outputSize: 2, outputMode, learnInitialState: true, numLayers: 2, seed: 6 });
      randomizeInitialStates(model, rng);
      const set = toSequenceSet(randomSequences(rng, lengths, 3), 3);
      const targets = toTargetSet(model, set, randomTargets(rng, lengths, 2, outputMode === 'sequence'), false);
      const r = gradCheck(model, set, targets, { loss: 'ssr' });
      assert.ok(r.maxGrad > 1e-3, 'the check must see non-trivial gradients');
      assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
      assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
    });
  }
}

test('GRU: the batched, time-major forward equals a naive per-sample loop (variable lengths)', () => {
  const rng = new Rng(4);
  const lengths = [6, 2, 1, 4];
  const model = new Network({ cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 1, outputMode: 'sequence', seed: 9 });
  const x = randomSequences(rng, lengths, 2);
  const got = model.predict(x) as number[][][];
  const W = model.getWeights();
  x.forEach((seq, n) => {
    naiveGRU(W, '_l0', 2, 3, seq).forEach((h, t) => {
      let y = W['head.bias'].data[0];
      for (let j = 0; j < 3; j++) y += W['head.weight'].data[j] * h[j];
      assert.ok(Math.abs(got[n][t][0] - y) < 1e-12, `sample ${n} step ${t}: ${got[n][t][0]} vs ${y}`);
    });
  });
});

test('GRU parameters have PyTorch names and shapes', () => {
  const W = new Network({ cell: 'gru', inputSize: 3, hiddenSize: 5 }).getWeights();
  assert.deepEqual(W.weight_ih_l0.shape, [15, 3]);
  assert.deepEqual(W.weight_hh_l0.shape, [15, 5]);
  assert.deepEqual(W.bias_ih_l0.shape, [15]);
  assert.deepEqual(W.bias_hh_l0.shape, [15]);
});
