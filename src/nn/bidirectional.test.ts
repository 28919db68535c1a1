import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network, type NetworkOptions } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { randomSequences, randomTargets, randomizeInitialStates, naiveLSTM } from './test-helpers.js';
import type { CellKind } from './cells.js';
import type { MergeMode } from './bidirectional.js';

const cases: [CellKind, MergeMode, 'last' | 'sequence'][] = [
  ['lstm', 'concat', 'last'], ['lstm', 'concat', 'sequence'], ['gru', 'sum', 'sequence'], ['gru', 'mean', 'last'],
  ['elman', 'mean', 'sequence'], ['elman', 'concat', 'last'],
];

for (const [cell, mergeMode, outputMode] of cases) {
  test(`bidirectional ${cell} (${mergeMode}, ${outputMode}, 2 stacked blocks, variable lengths): BPTT equals finite differences`, () => {
    const rng = new Rng(23);
    const lengths = [5, 2, 4, 1];
    const model = new Network({ cell, bidirectional: true, mergeMode, inputSize: 2, hiddenSize: 3, outputSize: 2, outputMode, numLayers: 2, learnInitialState: true, seed: 4 });
    randomizeInitialStates(model, rng);
    const set = toSequenceSet(randomSequences(rng, lengths, 2), 2);
    const targets = toTargetSet(model, set, randomTargets(rng, lengths, 2, outputMode === 'sequence'), false);
    // eps = 1e-4: the summed loss of two stacked blocks is large enough that 1e-5 leaves ~1e-10 of
    // rounding noise in the differences, which is above 1e-6 relative for the smallest gradients.
    const r = gradCheck(model, set, targets, { loss: 'ssr', eps: 1e-4 });
    assert.ok(r.maxGrad > 1e-3);
    assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
    assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
  });
}

/** The block's merged outputs for each sample, read from the layer after a forward pass. */
function blockOutputs(model: Network, x: number[][][]): number[][][] {
  const set = toSequenceSet(x, model.inputSize);
  model.loadBatch(set, Int32Array.from(x.keys()), 0, x.length);
  model.forward();
  const layer = model.layers[0];
  const B = x.length;
  return x.map((seq, b) => seq.map((_, t) => {
    const off = layer.seqOffset + (t * B + b) * layer.seqLd;
    return Array.from(layer.out.subarray(off, off + layer.outputSize));
  }));
}

test('with variable lengths, the backward direction starts at each sequence\'s own last step: batch equals each sequence alone and a naive reversed LSTM', () => {
  const rng = new Rng(8);
  const x = randomSequences(rng, [6, 3, 1, 5], 2);
  const opts: NetworkOptions = { cell: 'lstm', bidirectional: true, inputSize: 2, hiddenSize: 3, outputMode: 'sequence', seed: 12 };
  const model = new Network(opts);
  const together = blockOutputs(model, x);
  const W = model.getWeights();
  x.forEach((seq, n) => {
    const alone = blockOutputs(model, [seq])[0];
    const fwd = naiveLSTM(W, '_l0', 2, 3, seq).hs;
    const rev = naiveLSTM(W, '_l0_reverse', 2, 3, [...seq].reverse()).hs.reverse();
    seq.forEach((_, t) => {
      const want = [...fwd[t], ...rev[t]];
      for (let j = 0; j < 6; j++) {
        assert.ok(Math.abs(together[n][t][j] - alone[t][j]) < 1e-14, `sample ${n} step ${t}: batch differs from alone`);
        assert.ok(Math.abs(together[n][t][j] - want[j]) < 1e-12, `sample ${n} step ${t} unit ${j}: ${together[n][t][j]} vs naive ${want[j]}`);
      }
    });
  });
  // Many-to-one: each direction after reading the whole sequence, also per sample.
  const last = new Network({ ...opts, outputMode: 'last' });
  last.setWeights(W);
  const got = last.predict(x) as number[][];
  x.forEach((seq, n) => assert.deepEqual(got[n], (last.predict([seq]) as number[][])[0]));
});

test('a bidirectional block with the backward half zeroed equals the forward unroll (sum merge, and concat first half)', () => {
  const rng = new Rng(9);
  const x = randomSequences(rng, [5, 2, 4], 3);
  for (const cell of ['lstm', 'gru', 'elman'] as const) {
    const uni = new Network({ cell, inputSize: 3, hiddenSize: 4, outputMode: 'sequence', numLayers: 2, seed: 1 });
    const bi = new Network({ cell, bidirectional: true, mergeMode: 'sum', inputSize: 3, hiddenSize: 4, outputMode: 'sequence', numLayers: 2, seed: 2 });
    const Wu = uni.getWeights();
    const Wb = bi.getWeights();
    for (const name of Object.keys(Wb)) {
      if (name.includes('_reverse')) Wb[name].data.fill(0);
      else Wb[name] = Wu[name];
    }
    bi.setWeights(Wb);
    // With zero weights the reverse GRU keeps h = 0 (z = ½, n = 0 from h = 0), as do the LSTM and the tanh Elman.
    const a = uni.predict(x) as number[][][];
    const b = bi.predict(x) as number[][][];
    a.forEach((s, n) => s.forEach((v, t) => assert.ok(Math.abs(v[0] - b[n][t][0]) < 1e-14, `${cell} sample ${n} step ${t}`)));
  }
});

test('bidirectional parameters carry PyTorch _reverse names', () => {
  const m = new Network({ cell: 'gru', bidirectional: true, inputSize: 2, hiddenSize: 3, numLayers: 2 });
  const names = Object.keys(m.getWeights());
  assert.deepEqual(names.slice(0, 8), ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse']);
  assert.deepEqual(m.getWeights().weight_ih_l1.shape, [9, 6]);
  assert.match(m.summary(), /bidirectional\(gru, concat\) l0 +\[N, T, 6\]/);
});

test('bad bidirectional options give clear errors', () => {
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, bidirectional: true, mergeMode: 'max' as MergeMode }), /option "mergeMode" is "max"; expected one of concat, sum, mean/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, mergeMode: 'sum' }), /option "mergeMode" .*unless bidirectional is true/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, bidirectional: 'yes' as unknown as boolean }), /option "bidirectional" is "yes"; expected true or false/);
});
