import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { analyticGradients, maxRelativeError, numericGradients, randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

const D = 2, H = 3, O = 2;

/**
 * A Jordan network from the equations. With `memories` given, m_t is taken from there (held
 * fixed, a plain feed-forward net per step); otherwise m_t = α m_{t−1} + (1−α) y_{t−1}.
 */
function jordanRun(w: Record<string, number[]>, alpha: number, seq: number[][], memories: number[][] | null): { ys: number[][]; ms: number[][] } {
  let y = new Array(O).fill(0), m = new Array(O).fill(0);
  const ys: number[][] = [], ms: number[][] = [];
  seq.forEach((xt, t) => {
    m = memories ? memories[t] : m.map((mv, o) => alpha * mv + (1 - alpha) * y[o]);
    const h = Array.from({ length: H }, (_, i) => {
      let z = w.bias_ih_l0[i];
      for (let d = 0; d < D; d++) z += w.weight_ih_l0[i * D + d] * xt[d];
      for (let o = 0; o < O; o++) z += w.weight_mh_l0[i * O + o] * m[o];
      return Math.tanh(z);
    });
    y = Array.from({ length: O }, (_, o) => w.bias_ho_l0[o] + h.reduce((s, v, j) => s + v * w.weight_ho_l0[o * H + j], 0));
    ys.push(y);
    ms.push(m);
  });
  return { ys, ms };
}

const plainWeights = (m: Network): Record<string, number[]> => Object.fromEntries(Object.entries(m.getWeights()).map(([k, v]) => [k, v.data]));

for (const outputMode of ['sequence', 'last'] as const) {
  test(`Jordan, full BPTT (${outputMode}, variable lengths, learnable initial state): BPTT equals finite differences`, () => {
    const rng = new Rng(51);
    const lengths = [5, 1, 3, 4];
    const model = new Network({ cell: 'jordan', cellOptions: { alpha: 0.3 }, inputSize: D, hiddenSize: H, outputSize: O, outputMode, learnInitialState: true, seed: 2 });
    randomizeInitialStates(model, rng);
    const set = toSequenceSet(randomSequences(rng, lengths, D), D);
    const r = gradCheck(model, set, toTargetSet(model, set, randomTargets(rng, lengths, O, outputMode === 'sequence'), false), { loss: 'ssr' });
    assert.ok(r.maxGrad > 1e-3);
    assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
    assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
  });

  test(`Jordan, seed training (${outputMode}): the gradient equals finite differences of a feed-forward net on (x_t, m_t) with the memory held fixed`, () => {
    const rng = new Rng(53);
    const lengths = [4, 2, 5];
    const alpha = 0.6;
    const x = randomSequences(rng, lengths, D);
    const y = randomTargets(rng, lengths, O, outputMode === 'sequence');
    const model = new Network({ cell: 'jordan', cellOptions: { alpha, trainingMode: 'seed' }, inputSize: D, hiddenSize: H, outputSize: O, outputMode, seed: 4 });
    const W0 = model.getWeights();
    const memories = x.map((seq) => jordanRun(plainWeights(model), alpha, seq, null).ms);
    const loss = (w: Record<string, number[]>): number => {
      let s = 0;
      x.forEach((seq, n) => {
        const { ys } = jordanRun(w, alpha, seq, memories[n]);
        if (outputMode === 'sequence') ys.forEach((v, t) => v.forEach((yo, o) => { s += (yo - (y as number[][][])[n][t][o]) ** 2; }));
        else ys[ys.length - 1].forEach((yo, o) => { s += (yo - (y as number[][])[n][o]) ** 2; });
      });
      return s;
    };
    const e = maxRelativeError(analyticGradients(model, x, y), numericGradients(loss, W0));
    assert.ok(e.error < 1e-6, `seed-mode gradient error ${e.error} at ${e.where}`);
  });
}

test('Jordan forward: the memory is the running average of past outputs (several α), outputs equal the equations', () => {
  const rng = new Rng(57);
  const x = randomSequences(rng, [6, 3], D);
  for (const alpha of [0, 0.5, 0.9]) {
    const model = new Network({ cell: 'jordan', cellOptions: { alpha }, inputSize: D, hiddenSize: H, outputSize: O, outputMode: 'sequence', seed: 6 });
    const got = model.predict(x) as number[][][];
    x.forEach((seq, n) => jordanRun(plainWeights(model), alpha, seq, null).ys.forEach((v, t) => v.forEach((yo, o) => {
      assert.ok(Math.abs(got[n][t][o] - yo) < 1e-12, `α=${alpha} sample ${n} step ${t}`);
    })));
  }
});

test('Jordan: no dense head (the cell\'s output layer is the output), listed in summary; bad options give clear errors', () => {
  const m = new Network({ cell: 'jordan', inputSize: D, hiddenSize: H, outputSize: O });
  assert.deepEqual(Object.keys(m.getWeights()), ['weight_ih_l0', 'bias_ih_l0', 'weight_mh_l0', 'weight_ho_l0', 'bias_ho_l0']);
  assert.match(m.summary(), /jordan\(tanh, α=0.5, bptt\) l0 +\[N, T, 2\] +23/);
  assert.doesNotMatch(m.summary(), /dense head/);
  assert.throws(() => new Network({ cell: 'jordan', inputSize: 1, hiddenSize: 2, cellOptions: { alpha: 1 } }), /option "cellOptions.alpha" is 1; expected a number in \[0, 1\)/);
  assert.throws(() => new Network({ cell: 'jordan', inputSize: 1, hiddenSize: 2, numLayers: 2 }), /option "numLayers" is 2; expected 1 for cell 'jordan'/);
  assert.throws(() => new Network({ cell: 'jordan', inputSize: 1, hiddenSize: 2, bidirectional: true }), /option "bidirectional" is true; expected false for cell 'jordan'/);
  assert.throws(() => new Network({ cell: 'elman', inputSize: 1, hiddenSize: 2, cellOptions: { alpha: 0.2 } }), /"cellOptions.alpha" cannot be honoured: it is an option of cell 'jordan', not of cell 'elman'/);
});

test('presets: Jordan, ElmanContext and TimeDelay build the right cells with their options', async () => {
  const { Jordan, ElmanContext, TimeDelay } = await import('../train/model.js');
  const j = new Jordan({ inputSize: 2, hiddenSize: 3, outputSize: 2, alpha: 0.8, trainingMode: 'seed' });
  assert.deepEqual(j.config.cellOptions, { alpha: 0.8, trainingMode: 'seed' });
  assert.match(j.summary(), /jordan\(tanh, α=0.8, seed\)/);
  assert.deepEqual(new ElmanContext({ inputSize: 1, hiddenSize: 2 }).config.cellOptions, { trainingMode: 'seed' });
  assert.match(new ElmanContext({ inputSize: 1, hiddenSize: 2, trainingMode: 'bptt' }).summary(), /context\(tanh, bptt\)/);
  assert.deepEqual(new TimeDelay({ inputSize: 1, hiddenSize: 2, window: 5 }).config.cellOptions, { window: 5 });
  // A trained Jordan model saves and loads like any RNN.
  const { RNN } = await import('../train/model.js');
  const again = RNN.fromJSON(JSON.parse(JSON.stringify(j.toJSON())));
  const x = [[[0.1, 0.2], [0.3, -0.1]]];
  assert.deepEqual(again.predict(x), j.predict(x));
});
