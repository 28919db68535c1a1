import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { naiveLSTM, randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

for (const outputMode of ['last', 'sequence'] as const) {
  for (const lengths of [[4, 4, 4], [5, 2, 4, 1]]) {
    test(`LSTM ${outputMode}, lengths ${lengths}: BPTT equals finite differences (all parameters, initial states, inputs)`, () => {
      const rng = new Rng(17);
      const model = new Network({ cell: 'lstm', inputSize: 3, hiddenSize: 4, outputSize: 2, outputMode, learnInitialState: true, numLayers: 2, seed: 5 });
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

test('LSTM: the batched, time-major forward equals a naive per-sample loop (variable lengths)', () => {
  const rng = new Rng(3);
  const lengths = [7, 3, 1, 5];
  const model = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 8 });
  const x = randomSequences(rng, lengths, 2);
  const got = model.predict(x) as number[][];
  const W = model.getWeights();
  x.forEach((seq, n) => {
    const { hs } = naiveLSTM(W, '_l0', 2, 3, seq);
    const h = hs[hs.length - 1];
    for (let o = 0; o < 2; o++) {
      let y = W['head.bias'].data[o];
      for (let j = 0; j < 3; j++) y += W['head.weight'].data[o * 3 + j] * h[j];
      assert.ok(Math.abs(got[n][o] - y) < 1e-12, `sample ${n}: ${got[n][o]} vs ${y}`);
    }
  });
});

test('LSTM parameters have PyTorch names and shapes', () => {
  const model = new Network({ cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2 });
  const W = model.getWeights();
  assert.deepEqual(W.weight_ih_l0.shape, [20, 3]);
  assert.deepEqual(W.weight_hh_l0.shape, [20, 5]);
  assert.deepEqual(W.bias_ih_l0.shape, [20]);
  assert.deepEqual(W.bias_hh_l0.shape, [20]);
  assert.deepEqual(W.weight_ih_l1.shape, [20, 5]);
});

test('the PyTorch-like API: new LSTM({ inputSize, hiddenSize, numLayers, bidirectional, dropout }) trains, and dropout is off outside training batches', async () => {
  const { LSTM, GRU, SimpleRNN } = await import('../train/model.js');
  const rng = new Rng(13);
  const lengths = Array.from({ length: 24 }, (_, i) => 3 + (i % 4));
  const x = randomSequences(rng, lengths, 2);
  const y = x.map((s) => [s.reduce((a, v) => a + v[0], 0) / s.length]);
  const model = new LSTM({ inputSize: 2, hiddenSize: 6, numLayers: 2, bidirectional: true, dropout: 0.2, seed: 1 });
  assert.match(model.summary(), /bidirectional\(lstm, concat\) l0 +\[N, T, 12\]/);
  assert.match(model.summary(), /dropout 0.2 between layers/);
  const h = model.fit(x, y, { epochs: 30, batchSize: 8, validationData: { x, y }, optimizer: { type: 'adam', learningRate: 0.01 } });
  assert.equal(model.training, false);
  assert.ok(h.epochs[h.epochs.length - 1].loss < h.epochs[0].loss);
  // The last validation loss was computed without dropout: it equals evaluate() with the final weights.
  assert.ok(Math.abs(h.epochs[h.epochs.length - 1].valLoss! - model.evaluate(x, y)) < 1e-12);
  assert.equal(new GRU({ inputSize: 1, hiddenSize: 2 }).config.cell, 'gru');
  assert.equal(new SimpleRNN({ inputSize: 1, hiddenSize: 2 }).config.cell, 'elman');
  assert.throws(() => new LSTM({ inputSize: 1, hiddenSize: 2, cell: 'gru' } as never), /option "cell" is fixed by the class/);
});
