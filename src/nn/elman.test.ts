import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATIONS, type Activation } from '../kernels/index.js';
import { Network } from './model.js';
import { toSequenceSet, type SequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Trainer } from '../train/trainer.js';
import { Rng } from '../util/rng.js';

function randomSequences(rng: Rng, lengths: number[], D: number): number[][][] {
  return lengths.map((L) => Array.from({ length: L }, () => Array.from({ length: D }, () => rng.uniform(-1, 1))));
}

function randomTargets(rng: Rng, lengths: number[], K: number, perStep: boolean): number[][] | number[][][] {
  return perStep
    ? lengths.map((L) => Array.from({ length: L }, () => Array.from({ length: K }, () => rng.uniform(-1, 1))))
    : lengths.map(() => Array.from({ length: K }, () => rng.uniform(-1, 1)));
}

const lengthCases: [string, number[]][] = [
  ['equal lengths', [4, 4, 4]],
  ['variable lengths', [5, 2, 4, 1]],
];

for (const activation of ACTIVATIONS) {
  for (const outputMode of ['last', 'sequence'] as const) {
    for (const [label, lengths] of lengthCases) {
      test(`Elman ${activation} ${outputMode} (${label}): BPTT equals finite differences for every parameter, the initial state and the inputs`, () => {
        const rng = new Rng(7);
        const model = new Network({ inputSize: 3, hiddenSize: 4, outputSize: 2, activation, outputMode, learnInitialState: true, numLayers: 2, seed: 3 });
        // A non-zero learnable initial state, so its gradient path is exercised.
        const w = model.store.values;
        for (const p of model.store.params) if (p.name.startsWith('initial_state')) for (let i = 0; i < p.size; i++) w[p.offset + i] = rng.uniform(-0.5, 0.5);
        const set = toSequenceSet(randomSequences(rng, lengths, 3), 3);
        const targets = toTargetSet(model, set, randomTargets(rng, lengths, 2, outputMode === 'sequence'), false);
        const r = gradCheck(model, set, targets, { loss: 'ssr' });
        assert.ok(r.maxGrad > 1e-3, 'the check must see non-trivial gradients');
        assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
        assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
      });
    }
  }
}

test('cross-entropy loss: BPTT equals finite differences (many-to-many, variable lengths)', () => {
  const rng = new Rng(11);
  const lengths = [3, 5, 2];
  const model = new Network({ inputSize: 2, hiddenSize: 5, outputSize: 4, outputMode: 'sequence', seed: 1 });
  const set = toSequenceSet(randomSequences(rng, lengths, 2), 2);
  const labels = lengths.map((L) => Array.from({ length: L }, () => rng.int(4)));
  const targets = toTargetSet(model, set, labels, true);
  const r = gradCheck(model, set, targets, { loss: 'crossEntropy' });
  assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
  assert.ok(r.maxInputError < 1e-6);
});

/** A plain per-sample Elman forward written from the equations, independent of the kernels. */
function naiveForward(weights: Record<string, { data: number[] }>, act: Activation, D: number, H: number, K: number, seq: number[][]): number[] {
  const f = (z: number): number => act === 'tanh' ? Math.tanh(z) : act === 'relu' ? Math.max(0, z) : act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z;
  const W = (name: string) => weights[name].data;
  let h = new Array(H).fill(0);
  for (const x of seq) {
    const next = new Array(H).fill(0);
    for (let i = 0; i < H; i++) {
      let z = W('bias_ih_l0')[i] + W('bias_hh_l0')[i];
      for (let j = 0; j < D; j++) z += W('weight_ih_l0')[i * D + j] * x[j];
      for (let j = 0; j < H; j++) z += W('weight_hh_l0')[i * H + j] * h[j];
      next[i] = f(z);
    }
    h = next;
  }
  return Array.from({ length: K }, (_, o) => {
    let y = W('head.bias')[o];
    for (let j = 0; j < H; j++) y += W('head.weight')[o * H + j] * h[j];
    return y;
  });
}

test('the batched, time-major forward equals a naive per-sample loop', () => {
  for (const activation of ACTIVATIONS) {
    const rng = new Rng(5);
    const lengths = [9, 5, 1, 7];
    const model = new Network({ inputSize: 2, hiddenSize: 3, outputSize: 2, activation, seed: 9 });
    const x = randomSequences(rng, lengths, 2);
    const got = model.predict(x) as number[][];
    const weights = model.getWeights();
    x.forEach((seq, n) => {
      const want = naiveForward(weights, activation, 2, 3, 2, seq);
      want.forEach((v, o) => assert.ok(Math.abs(got[n][o] - v) < 1e-12, `${activation} sample ${n}: ${got[n][o]} vs ${v}`));
    });
  }
});

test('a 9-step and a 5-step sequence in one batch give exactly what each gives alone (outputs and gradients)', () => {
  const rng = new Rng(2);
  const x = randomSequences(rng, [9, 5], 2);
  const y = [[0.3], [-0.2]];
  const model = new Network({ inputSize: 2, hiddenSize: 4, seed: 4, learnInitialState: true });
  const together = model.predict(x) as number[][];
  const alone = [model.predict([x[0]]) as number[][], model.predict([x[1]]) as number[][]];
  assert.deepEqual(together[0], alone[0][0]);
  assert.deepEqual(together[1], alone[1][0]);

  const gradOf = (xs: number[][][], ys: number[][]): Float64Array => {
    const set: SequenceSet = toSequenceSet(xs, 2);
    const targets = toTargetSet(model, set, ys, false);
    const order = Int32Array.from({ length: set.count }, (_, i) => i);
    // SSR is a sum over samples, so the batch gradient is the sum of the per-sample gradients.
    const trainer = new Trainer(model, { loss: 'ssr' });
    trainer.evaluateBatch(set, targets, order, 0, set.count, true);
    return Float64Array.from(model.store.grads);
  };
  const gBoth = gradOf(x, y);
  const g0 = gradOf([x[0]], [y[0]]);
  const g1 = gradOf([x[1]], [y[1]]);
  for (let i = 0; i < gBoth.length; i++) assert.ok(Math.abs(gBoth[i] - (g0[i] + g1[i])) < 1e-12, `gradient ${i}`);
});


test('a many-to-many output at step t does not depend on later steps (causality)', () => {
  const rng = new Rng(3);
  const model = new Network({ inputSize: 1, hiddenSize: 3, outputMode: 'sequence', seed: 2 });
  const a = randomSequences(rng, [6], 1);
  const b = a.map((s) => s.map((v, t) => (t >= 3 ? [v[0] + 1] : [...v])));
  const ya = model.predict(a) as number[][][];
  const yb = model.predict(b) as number[][][];
  for (let t = 0; t < 3; t++) assert.deepEqual(ya[0][t], yb[0][t]);
  assert.notDeepEqual(ya[0][3], yb[0][3]);
});

test('the tiny-cell fast path (whole unroll in one scalar loop, scalar head) equals the general kernel path, outputs and gradients', async () => {
  const { ElmanCell } = await import('./elman.js');
  const { Dense } = await import('./dense.js');
  const rng = new Rng(12);
  const lengths = [3, 1, 4, 2];
  const x = randomSequences(rng, lengths, 2);
  const y = lengths.map(() => [rng.uniform(-1, 1)]);
  for (const activation of ACTIVATIONS) {
    const run = (fast: boolean): { out: number[][]; grads: Float64Array } => {
      const savedCell = ElmanCell.tinyWeights;
      const savedHead = Dense.tinyProducts;
      ElmanCell.tinyWeights = fast ? 16 : 0;
      Dense.tinyProducts = fast ? 4 : 0;
      try {
        const model = new Network({ inputSize: 2, hiddenSize: 2, activation, seed: 6, learnInitialState: true });
        model.store.values[model.store.find('initial_state_l0')!.offset] = 0.3;
        const out = model.predict(x) as number[][];
        const set = toSequenceSet(x, 2);
        new Trainer(model, { loss: 'ssr' }).evaluateBatch(set, toTargetSet(model, set, y, false), [0, 1, 2, 3], 0, 4, true);
        return { out, grads: Float64Array.from(model.store.grads) };
      } finally {
        ElmanCell.tinyWeights = savedCell;
        Dense.tinyProducts = savedHead;
      }
    };
    const fast = run(true);
    const general = run(false);
    fast.out.forEach((row, n) => assert.ok(Math.abs(row[0] - general.out[n][0]) < 1e-14, `${activation} output ${n}`));
    fast.grads.forEach((g, i) => assert.ok(Math.abs(g - general.grads[i]) < 1e-13, `${activation} gradient ${i}: ${g} vs ${general.grads[i]}`));
    assert.ok(fast.grads.some((g) => Math.abs(g) > 1e-3));
  }
});
