import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck, relativeError } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import { PACK_MIN_HIDDEN } from './lstm.js';
import { analyticGradients, randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * A plain per-sample GRU from the equations (gate order r, z, n), independent of the kernels.
 * resetAfter = true is PyTorch's candidate tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)); false is the
 * original tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
 */
function naiveGRU(W: Record<string, { data: number[] }>, suffix: string, D: number, H: number, seq: number[][],
  h0 = new Array(H).fill(0), resetAfter = true): number[][] {
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
      let cand: number;
      if (resetAfter) cand = r * inH(2 * H + u);
      else {
        // W_hn (r ⊙ h) + b_hn, with this unit's own r: needs every unit's r, so compute them all.
        const rs = Array.from({ length: H }, (_, j) => sig(inX(j) + inH(j)));
        cand = bh[2 * H + u];
        for (let j = 0; j < H; j++) cand += wh[(2 * H + u) * H + j] * rs[j] * h[j];
      }
      const n = Math.tanh(inX(2 * H + u) + cand);
      nh[u] = (1 - z) * n + z * h[u];
    }
    h = nh;
    hs.push(h);
  }
  return hs;
}

for (const resetAfter of [true, false]) for (const outputMode of ['last', 'sequence'] as const) {
  for (const lengths of [[4, 4, 4], [5, 2, 4, 1]]) {
    test(`GRU resetAfter ${resetAfter}, ${outputMode}, lengths ${lengths}: BPTT equals finite differences (all parameters, initial states, inputs)`, () => {
      const rng = new Rng(19);
      const model = new Network({ cell: 'gru', inputSize: 3, hiddenSize: 4, outputSize: 2, outputMode, learnInitialState: true, numLayers: 2, seed: 6, cellOptions: { resetAfter } });
      randomizeInitialStates(model, rng);
      const set = toSequenceSet(randomSequences(rng, lengths, 3), 3);
      const targets = toTargetSet(model, set, randomTargets(rng, lengths, 2, outputMode === 'sequence'), false);
      // eps = 1e-4: with 1e-5 the rounding noise of the summed loss (~1e-10 absolute) exceeds 1e-6 relative on gradients near 5e-5.
      const r = gradCheck(model, set, targets, { loss: 'ssr', eps: 1e-4 });
      assert.ok(r.maxGrad > 1e-3, 'the check must see non-trivial gradients');
      assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
      assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
    });
  }
}

// H = 3 takes the plain per-step products, H = 9 (≥ PACK_MIN_HIDDEN) the recurrent weight packed once per pass.
for (const resetAfter of [true, false]) for (const H of [3, 9]) test(`GRU resetAfter ${resetAfter}, H = ${H}: the batched, time-major forward equals a naive per-sample loop (variable lengths)`, () => {
  const rng = new Rng(4);
  const lengths = [6, 2, 1, 4];
  const model = new Network({ cell: 'gru', inputSize: 2, hiddenSize: H, outputSize: 1, outputMode: 'sequence', seed: 9, cellOptions: { resetAfter } });
  const x = randomSequences(rng, lengths, 2);
  const got = model.predict(x) as number[][][];
  const W = model.getWeights();
  x.forEach((seq, n) => {
    naiveGRU(W, '_l0', 2, H, seq, undefined, resetAfter).forEach((h, t) => {
      let y = W['head.bias'].data[0];
      for (let j = 0; j < H; j++) y += W['head.weight'].data[j] * h[j];
      assert.ok(Math.abs(got[n][t][0] - y) < 1e-12, `sample ${n} step ${t}: ${got[n][t][0]} vs ${y}`);
    });
  });
});

for (const resetAfter of [true, false]) test(`GRU resetAfter ${resetAfter}, H = 9 (recurrent weight packed once per pass): BPTT equals finite differences (variable lengths)`, () => {
  const rng = new Rng(29);
  const lengths = [5, 2, 4, 1];
  const model = new Network({ cell: 'gru', inputSize: 2, hiddenSize: 9, outputSize: 2, outputMode: 'sequence', learnInitialState: true, seed: 3, cellOptions: { resetAfter } });
  assert.ok(9 >= PACK_MIN_HIDDEN);
  randomizeInitialStates(model, rng);
  const set = toSequenceSet(randomSequences(rng, lengths, 2), 2);
  const targets = toTargetSet(model, set, randomTargets(rng, lengths, 2, true), false);
  const r = gradCheck(model, set, targets, { loss: 'ssr', eps: 1e-4 });
  assert.ok(r.maxGrad > 1e-3, 'the check must see non-trivial gradients');
  assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
  assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
});

test('GRU parameters have PyTorch names and shapes', () => {
  const W = new Network({ cell: 'gru', inputSize: 3, hiddenSize: 5 }).getWeights();
  assert.deepEqual(W.weight_ih_l0.shape, [15, 3]);
  assert.deepEqual(W.weight_hh_l0.shape, [15, 5]);
  assert.deepEqual(W.bias_ih_l0.shape, [15]);
  assert.deepEqual(W.bias_hh_l0.shape, [15]);
});

test('GRU resetAfter false is a different function from the default on the same weights, and says so in the summary', () => {
  const rng = new Rng(8);
  const a = new Network({ cell: 'gru', inputSize: 2, hiddenSize: 3, seed: 4 });
  const b = new Network({ cell: 'gru', inputSize: 2, hiddenSize: 3, seed: 4, cellOptions: { resetAfter: false } });
  assert.deepEqual(b.getWeights(), a.getWeights(), 'same parameters, same layout');
  const x = randomSequences(rng, [5, 3], 2);
  const ya = (a.predict(x) as number[][]).flat(), yb = (b.predict(x) as number[][]).flat();
  assert.ok(ya.some((v, i) => Math.abs(v - yb[i]) > 1e-6), 'the two candidates must differ on random weights');
  assert.match(b.summary(), /gru\(reset before\) l0/);
  assert.deepEqual(b.config.cellOptions, { resetAfter: false });
  assert.deepEqual(a.config.cellOptions, { resetAfter: true });
});

test('GRU resetAfter false, bidirectional with sum merge: BPTT equals finite differences (variable lengths)', () => {
  const rng = new Rng(23);
  const lengths = [3, 5, 2];
  const model = new Network({ cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 2, outputMode: 'sequence', bidirectional: true, mergeMode: 'sum', learnInitialState: true, seed: 2, cellOptions: { resetAfter: false } });
  randomizeInitialStates(model, rng);
  const set = toSequenceSet(randomSequences(rng, lengths, 2), 2);
  const targets = toTargetSet(model, set, randomTargets(rng, lengths, 2, true), false);
  const r = gradCheck(model, set, targets, { loss: 'ssr', eps: 1e-4 });
  assert.ok(r.maxGrad > 1e-3);
  assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
  assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
});

test('GRU resetAfter false on the float32 WebAssembly backend equals the float64 reference (the new kernels are inherited)', () => {
  const rng = new Rng(31);
  const wasm = createWasmBackendSync();
  const opts = { cell: 'gru' as const, inputSize: 3, hiddenSize: 5, outputSize: 2, outputMode: 'sequence' as const, numLayers: 2, seed: 12, cellOptions: { resetAfter: false } };
  const ref = new Network(opts);
  const fast = new Network({ ...opts, backend: wasm });
  fast.setWeights(ref.getWeights());
  const x = randomSequences(rng, [7, 4, 6], 3);
  const a = (ref.predict(x) as number[][][]).flat(2), b = (fast.predict(x) as number[][][]).flat(2);
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `output ${i}: ${v} vs ${b[i]}`));
});

test('bad GRU cell options are refused with the accepted values', () => {
  assert.throws(() => new Network({ cell: 'gru', inputSize: 1, hiddenSize: 2, cellOptions: { resetAfter: 'no' as never } }), /option "cellOptions.resetAfter" is "no"; expected true .* or false/);
  assert.throws(() => new Network({ cell: 'lstm', inputSize: 1, hiddenSize: 2, cellOptions: { resetAfter: false } }), /cellOptions.resetAfter.*option of cell 'gru'/);
});

for (const resetAfter of [true, false]) {
  test(`GRU resetAfter ${resetAfter}, H ≥ PACK_MIN_HIDDEN (recurrent weight packed once per pass): the float32 WebAssembly backend equals the float64 reference in outputs and gradients, also after a weight update`, () => {
    const wasm = createWasmBackendSync();
    assert.equal(wasm.name, 'wasm', 'this test needs the WebAssembly backend');
    const rng = new Rng(resetAfter ? 41 : 43);
    // H = 12: past the packing threshold and not a multiple of the 8-column panels (edge panels too).
    const H = 12;
    assert.ok(H >= PACK_MIN_HIDDEN);
    const opts = { cell: 'gru' as const, inputSize: 3, hiddenSize: H, outputSize: 2, outputMode: 'sequence' as const, numLayers: 2, seed: 5, cellOptions: { resetAfter } };
    const ref = new Network(opts);
    const fast = new Network({ ...opts, backend: wasm });
    fast.setWeights(ref.getWeights());
    const lengths = [7, 3, 6, 1, 5, 7];
    const x = randomSequences(rng, lengths, 3);
    const y = randomTargets(rng, lengths, 2, true);

    const compare = (when: string): void => {
      const a = (ref.predict(x) as number[][][]).flat(2), b = (fast.predict(x) as number[][][]).flat(2);
      assert.equal(a.length, b.length);
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 2e-5, `${when}: output ${i}: ${v} vs ${b[i]}`));
      // Gradients: float32 sums over steps and samples; errors relative to the largest gradient of the batch.
      const ga = analyticGradients(ref, x, y), gb = analyticGradients(fast, x, y);
      const scale = Math.max(...Object.values(ga).flat().map(Math.abs));
      let error = 0, where = '';
      for (const name of Object.keys(ga)) ga[name].forEach((v, i) => {
        const e = relativeError(v, gb[name][i], 1e-2 * scale);
        if (e > error) { error = e; where = `${name}[${i}] ${v} vs ${gb[name][i]}`; }
      });
      assert.ok(error < 2e-4, `${when}: gradient error ${error} at ${where}`);
    };
    compare('first pass');

    // A weight update (every number moved, in place in each backend's buffers): the next passes must
    // use the new weights, so a pack left over from the first pass would fail the comparison.
    const updated = ref.getWeights();
    for (const w of Object.values(updated)) w.data = w.data.map((v) => v + rng.uniform(-0.15, 0.15));
    ref.setWeights(updated);
    fast.setWeights(updated);
    compare('after a weight update');
  });
}
