import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network, type NetworkOptions } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Trainer } from '../train/trainer.js';
import { Rng } from '../util/rng.js';
import { randomSequences, randomTargets, randomizeInitialStates, naiveLSTM } from './test-helpers.js';

for (const cell of ['elman', 'lstm', 'gru'] as const) {
  for (const outputMode of ['last', 'sequence'] as const) {
    test(`${cell} stack of 3 with both skips, frozen dropout, learnable initial states (${outputMode}, variable lengths): BPTT equals finite differences`, () => {
      const rng = new Rng(31);
      const lengths = [4, 1, 3];
      const model = new Network({ cell, inputSize: 2, hiddenSize: 3, outputSize: 2, outputMode, numLayers: 3, inputToEveryLayer: true,
        everyLayerToHead: true, dropout: 0.3, learnInitialState: true, seed: 7 });
      randomizeInitialStates(model, rng);
      const set = toSequenceSet(randomSequences(rng, lengths, 2), 2);
      const targets = toTargetSet(model, set, randomTargets(rng, lengths, 2, outputMode === 'sequence'), false);
      // Draw one set of dropout masks, then keep it, so the loss is one fixed function of the weights.
      model.training = true;
      new Trainer(model, { loss: 'ssr' }).evaluateBatch(set, targets, [0, 1, 2], 0, 3, false);
      model.stack.freezeMasks = true;
      const r = gradCheck(model, set, targets, { loss: 'ssr' });
      assert.ok(r.maxGrad > 1e-3);
      assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
      assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
    });
  }
}

test('a 1-layer stack equals the plain cell (with or without skip options) and a naive LSTM', () => {
  const rng = new Rng(2);
  const x = randomSequences(rng, [5, 3], 2);
  const plain = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 3 });
  const skips = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 3, inputToEveryLayer: true, everyLayerToHead: true, seed: 5 });
  skips.setWeights(plain.getWeights());
  const a = plain.predict(x) as number[][];
  assert.deepEqual(skips.predict(x), a);
  const W = plain.getWeights();
  x.forEach((seq, n) => {
    const hs = naiveLSTM(W, '_l0', 2, 3, seq).hs;
    const h = hs[hs.length - 1];
    const y = W['head.bias'].data[0] + h.reduce((s, v, j) => s + v * W['head.weight'].data[j], 0);
    assert.ok(Math.abs(a[n][0] - y) < 1e-12);
  });
});

test('skip connections follow the seed\'s equations: h² = f(W h¹ + W x + …), y = W_o [h¹ ‖ h²] + b', () => {
  const rng = new Rng(4);
  const x = randomSequences(rng, [4], 1)[0];
  const model = new Network({ inputSize: 1, hiddenSize: 2, numLayers: 2, inputToEveryLayer: true, everyLayerToHead: true, outputMode: 'sequence', seed: 3 });
  const W = model.getWeights();
  const w = (n: string) => W[n].data;
  let h1 = [0, 0], h2 = [0, 0];
  const want: number[] = [];
  for (const [xt] of x) {
    const n1 = [0, 1].map((i) => Math.tanh(w('weight_ih_l0')[i] * xt + w('bias_ih_l0')[i] + w('bias_hh_l0')[i] + w('weight_hh_l0')[2 * i] * h1[0] + w('weight_hh_l0')[2 * i + 1] * h1[1]));
    // layer 2 input is [h¹ ‖ x] (3 columns)
    const n2 = [0, 1].map((i) => Math.tanh(w('weight_ih_l1')[3 * i] * n1[0] + w('weight_ih_l1')[3 * i + 1] * n1[1] + w('weight_ih_l1')[3 * i + 2] * xt
      + w('bias_ih_l1')[i] + w('bias_hh_l1')[i] + w('weight_hh_l1')[2 * i] * h2[0] + w('weight_hh_l1')[2 * i + 1] * h2[1]));
    h1 = n1; h2 = n2;
    const cat = [...h1, ...h2];
    want.push(w('head.bias')[0] + cat.reduce((s, v, j) => s + v * w('head.weight')[j], 0));
  }
  const got = (model.predict([x]) as number[][][])[0].map((v) => v[0]);
  got.forEach((v, t) => assert.ok(Math.abs(v - want[t]) < 1e-12, `step ${t}: ${v} vs ${want[t]}`));
  assert.deepEqual(W['weight_ih_l1'].shape, [2, 3]);
  assert.deepEqual(W['head.weight'].shape, [1, 4]);
});

test('dropout: seeded, active only in training, off at inference', () => {
  const rng = new Rng(6);
  const x = randomSequences(rng, [6, 4, 5], 2);
  const y = [[0.1], [0.5], [-0.3]];
  const opts: NetworkOptions = { cell: 'gru', inputSize: 2, hiddenSize: 8, numLayers: 2, dropout: 0.5, seed: 9 };
  const a = new Network(opts);
  const noDrop = new Network({ ...opts, dropout: 0 });
  noDrop.setWeights(a.getWeights());
  // Inference: dropout off, so outputs equal the same weights without dropout, every time.
  assert.deepEqual(a.predict(x), noDrop.predict(x));
  assert.deepEqual(a.predict(x), a.predict(x));
  // Training: masks change the outputs, differ between batches, and repeat with the same seed.
  const set = toSequenceSet(x, 2);
  const lossOf = (m: Network): number => new Trainer(m, { loss: 'ssr' }).evaluateBatch(set, toTargetSet(m, set, y, false), [0, 1, 2], 0, 3, false);
  a.training = true;
  const l1 = lossOf(a), l2 = lossOf(a);
  const b = new Network(opts);
  b.training = true;
  assert.equal(lossOf(b), l1);
  assert.equal(lossOf(b), l2);
  assert.notEqual(l1, l2);
  assert.notEqual(l1, lossOf(noDrop));
});

test('bad stack options give clear errors', () => {
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, numLayers: 2, dropout: 1 }), /option "dropout" is 1; expected a number in \[0, 1\)/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, numLayers: 2, dropout: -0.1 }), /option "dropout" is -0.1; expected a number in \[0, 1\)/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, dropout: 0.2 }), /option "dropout" is 0.2; expected 0 when numLayers is 1/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, inputToEveryLayer: 1 as unknown as boolean }), /option "inputToEveryLayer" is 1; expected true or false/);
});

test('summary lists every layer kind, skips and dropout', () => {
  const s = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 4, numLayers: 2, dropout: 0.2, inputToEveryLayer: true, everyLayerToHead: true }).summary();
  assert.match(s, /lstm l0 +\[N, T, 4\] +128/);
  // layer 1 sees [h⁰ ‖ x]: 4·4·(6 + 4) + 2·16 = 192
  assert.match(s, /lstm l1 +\[N, T, 4\] +192/);
  assert.match(s, /dropout 0.2 between layers/);
  assert.match(s, /skip: input to every layer/);
  assert.match(s, /skip: every layer to head/);
  assert.match(s, /dense head +\[N, 1\] +9/);
});
