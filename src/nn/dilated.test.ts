import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { createWasmBackendSync } from '../kernels/fast.js';
import { Network } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck, relativeError } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { analyticGradients, randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

// Lengths shorter than the dilation (1, 2), equal to it, and T = 7 that neither 3 nor 2 divides.
const LENGTHS = [7, 1, 5, 2, 3];

for (const cell of ['elman', 'lstm', 'gru'] as const) {
  for (const outputMode of ['last', 'sequence'] as const) {
    test(`dilated ${cell} stack (dilations 1, 3, 2; ${outputMode}; variable lengths, T not a multiple of d): BPTT equals finite differences`, () => {
      const rng = new Rng(cell.length * 7 + outputMode.length);
      const model = new Network({ cell, inputSize: 2, hiddenSize: 3, outputSize: 2, numLayers: 3, dilations: [1, 3, 2], outputMode, learnInitialState: true, inputToEveryLayer: true, seed: 4 });
      randomizeInitialStates(model, rng);
      const set = toSequenceSet(randomSequences(rng, LENGTHS, 2), 2);
      const targets = toTargetSet(model, set, randomTargets(rng, LENGTHS, 2, outputMode === 'sequence'), false);
      // ε = 1e-4: the SSR of 3 layers over 18 steps is large enough that ε = 1e-5 meets rounding noise
      // of ~1e-10 on the smallest gradients (the error falls as ε grows: truncation, not a bug).
      const r = gradCheck(model, set, targets, { loss: 'ssr', eps: 1e-4 });
      assert.ok(r.maxGrad > 1e-3, 'the check must see non-trivial gradients');
      assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
      assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
    });
  }
}

test('dilation ≥ T: every step starts from the initial state (finite differences, and equal to a dilation of T)', () => {
  const rng = new Rng(3);
  const opts = { cell: 'gru' as const, inputSize: 2, hiddenSize: 3, outputSize: 1, outputMode: 'sequence' as const, seed: 9 };
  const big = new Network({ ...opts, dilations: [50] });
  const exact = new Network({ ...opts, dilations: [4] });
  exact.setWeights(big.getWeights());
  const x = randomSequences(rng, [4, 2, 3], 2);
  assert.deepEqual(big.predict(x), exact.predict(x));
  const set = toSequenceSet(x, 2);
  const r = gradCheck(big, set, toTargetSet(big, set, randomTargets(rng, [4, 2, 3], 1, true), false), { loss: 'ssr' });
  assert.ok(r.maxParamError < 1e-6 && r.maxInputError < 1e-6, `errors ${r.maxParamError}, ${r.maxInputError}`);
});

/** h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−d} + b_hh), per sample, from the equations. */
function naiveDilatedElman(w: Record<string, { data: number[] }>, D: number, H: number, d: number, seq: number[][]): number[][] {
  const hs: number[][] = [];
  for (let t = 0; t < seq.length; t++) {
    const prev = t >= d ? hs[t - d] : new Array<number>(H).fill(0);
    const h: number[] = [];
    for (let i = 0; i < H; i++) {
      let z = w.bias_ih_l0.data[i] + w.bias_hh_l0.data[i];
      for (let j = 0; j < D; j++) z += w.weight_ih_l0.data[i * D + j] * seq[t][j];
      for (let j = 0; j < H; j++) z += w.weight_hh_l0.data[i * H + j] * prev[j];
      h.push(Math.tanh(z));
    }
    hs.push(h);
  }
  return hs;
}

test('dilated Elman forward equals a per-sample loop written from h_t = tanh(W_ih x_t + W_hh h_{t−d} + b)', () => {
  const rng = new Rng(5);
  const D = 2, H = 4, K = 2, d = 3;
  const model = new Network({ inputSize: D, hiddenSize: H, outputSize: K, dilations: [d], outputMode: 'sequence', seed: 2 });
  const w = model.getWeights();
  const x = randomSequences(rng, LENGTHS, D);
  const got = model.predict(x) as number[][][];
  x.forEach((seq, n) => {
    const hs = naiveDilatedElman(w, D, H, d, seq);
    hs.forEach((h, t) => {
      for (let k = 0; k < K; k++) {
        let y = w['head.bias'].data[k];
        for (let j = 0; j < H; j++) y += w['head.weight'].data[k * H + j] * h[j];
        assert.ok(Math.abs(y - got[n][t][k]) < 1e-12, `sample ${n} step ${t} output ${k}: ${got[n][t][k]} vs ${y}`);
      }
    });
  });
});

test('a dilated LSTM is d ordinary LSTMs over the phases: many-to-one output equals the plain layer run on the last phase', () => {
  const rng = new Rng(8);
  const d = 3;
  const opts = { cell: 'lstm' as const, inputSize: 2, hiddenSize: 4, outputSize: 3, seed: 6 };
  const dilated = new Network({ ...opts, dilations: [d] });
  const plain = new Network(opts);
  plain.setWeights(dilated.getWeights());
  const x = randomSequences(rng, LENGTHS, 2);
  const got = dilated.predict(x) as number[][];
  x.forEach((seq, n) => {
    const last = seq.length - 1;
    const phase = seq.filter((_, t) => t % d === last % d);
    const want = (plain.predict([phase]) as number[][])[0];
    want.forEach((v, k) => assert.ok(Math.abs(v - got[n][k]) < 1e-12, `sample ${n} output ${k}: ${got[n][k]} vs ${v}`));
  });
});

test('dilated GRU stack on the float32 WebAssembly backend equals the float64 reference in outputs and gradients', () => {
  const wasm = createWasmBackendSync();
  assert.equal(wasm.name, 'wasm', 'this test needs the WebAssembly backend');
  const rng = new Rng(12);
  const opts = { cell: 'gru' as const, inputSize: 3, hiddenSize: 12, outputSize: 2, numLayers: 3, dilations: [1, 4, 2], outputMode: 'sequence' as const, seed: 5 };
  const ref = new Network(opts);
  const fast = new Network({ ...opts, backend: wasm });
  fast.setWeights(ref.getWeights());
  const lengths = [9, 3, 6, 1, 5, 9];
  const x = randomSequences(rng, lengths, 3);
  const y = randomTargets(rng, lengths, 2, true);
  const a = (ref.predict(x) as number[][][]).flat(2), b = (fast.predict(x) as number[][][]).flat(2);
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 2e-5, `output ${i}: ${v} vs ${b[i]}`));
  const ga = analyticGradients(ref, x, y), gb = analyticGradients(fast, x, y);
  const scale = Math.max(...Object.values(ga).flat().map(Math.abs));
  for (const name of Object.keys(ga)) ga[name].forEach((v, i) => {
    const e = relativeError(v, gb[name][i], 1e-2 * scale);
    assert.ok(e < 1e-3, `${name}[${i}]: ${v} vs ${gb[name][i]}`);
  });
});

test('dilations are checked: one positive integer per layer, not with bidirectional or self-feeding cells', () => {
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, numLayers: 2, dilations: [1] }), /option "dilations" is an array of length 1; expected an array of 2 integers \(one per layer/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, dilations: [0] }), /option "dilations\[0\]" is 0; expected an integer from 1 to 100000/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, dilations: [2.5] }), /dilations\[0\]" is 2.5/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, dilations: [2], bidirectional: true }), /all 1 when bidirectional is true/);
  assert.throws(() => new Network({ cell: 'narx', inputSize: 1, hiddenSize: 2, dilations: [2] }), /all 1 for cell 'narx'/);
  assert.deepEqual(new Network({ inputSize: 1, hiddenSize: 2, numLayers: 2 }).config.dilations, [1, 1]);
});

test('a dilated model saves and loads with its dilations, and a file without them loads as an ordinary stack', async () => {
  const { RNN, modelFromJSON } = await import('../train/model.js');
  const rng = new Rng(21);
  const model = new RNN({ cell: 'gru', inputSize: 2, hiddenSize: 3, numLayers: 2, dilations: [1, 24], seed: 3 });
  const x = randomSequences(rng, [30, 7], 2);
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  assert.deepEqual(json.config.dilations, [1, 24]);
  assert.deepEqual((modelFromJSON(json) as InstanceType<typeof RNN>).predict(x), model.predict(x));
  delete json.config.dilations;
  const plain = modelFromJSON(json) as InstanceType<typeof RNN>;
  assert.deepEqual(plain.config.dilations, [1, 1]);
  assert.notDeepEqual(plain.predict(x), model.predict(x));
});

test('a dilated GRU stack (dilations 1, 3) equals PyTorch given the same weights (fixture from src/nn/fixtures/dilated_torch.py, float64)', () => {
  // The same path from src/nn and dist/nn.
  const fx = JSON.parse(readFileSync(new URL('../../src/nn/fixtures/dilated-gru-torch.json', import.meta.url), 'utf8')) as
    { dilations: number[]; weights: Record<string, { shape: number[]; data: number[] }>; inputs: number[][][]; outputs: number[][][] };
  const model = new Network({ cell: 'gru', inputSize: 3, hiddenSize: 4, outputSize: 2, numLayers: 2, dilations: fx.dilations, outputMode: 'sequence' });
  model.setWeights(fx.weights);
  // All four sequences (lengths 7, 5, 1, 2) in one batch; PyTorch ran each alone.
  const got = model.predict(fx.inputs) as number[][][];
  fx.outputs.forEach((seq, n) => seq.forEach((row, t) => row.forEach((v, k) => {
    assert.ok(Math.abs(v - got[n][t][k]) < 1e-13, `sample ${n} step ${t} output ${k}: ${got[n][t][k]} vs PyTorch ${v}`);
  })));
});
