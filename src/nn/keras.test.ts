import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from './model.js';
import { fromKeras, toKeras, denseFromKeras, denseToKeras } from './keras.js';
import { Rng } from '../util/rng.js';
import { randomSequences } from './test-helpers.js';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));
const rand = (rng: Rng, r: number, c: number): number[][] => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.uniform(-0.7, 0.7)));

/**
 * Keras's GRU written from the Keras equations, on Keras-layout weights (gates z, r, h).
 * reset_after = true: bias [2, 3H], ĥ = tanh(x W_h + b_h + r ⊙ (h U_h + b_rh));
 * reset_after = false: bias [3H], ĥ = tanh(x W_h + b_h + (r ⊙ h) U_h).
 */
function kerasGRU(kernel: number[][], rec: number[][], bias: number[][] | number[], seq: number[][]): number[][] {
  const H = rec.length;
  const D = kernel.length;
  const resetAfter = Array.isArray(bias[0]);
  const bIn = resetAfter ? (bias as number[][])[0] : (bias as number[]);
  let h = new Array(H).fill(0);
  const out: number[][] = [];
  for (const x of seq) {
    const xw = (col: number): number => { let s = bIn[col]; for (let d = 0; d < D; d++) s += x[d] * kernel[d][col]; return s; };
    const hu = (col: number, v: number[]): number => { let s = resetAfter ? (bias as number[][])[1][col] : 0; for (let j = 0; j < H; j++) s += v[j] * rec[j][col]; return s; };
    const r = h.map((_, u) => sig(xw(H + u) + hu(H + u, h)));
    const rh = h.map((v, j) => r[j] * v);
    h = h.map((hp, u) => {
      const z = sig(xw(u) + hu(u, h));
      const hh = resetAfter ? Math.tanh(xw(2 * H + u) + r[u] * hu(2 * H + u, h)) : Math.tanh(xw(2 * H + u) + hu(2 * H + u, rh));
      return z * hp + (1 - z) * hh;
    });
    out.push(h);
  }
  return out;
}

for (const resetAfter of [true, false]) test(`GRU: Keras reset_after = ${resetAfter} weights imported into unroll give the Keras GRU equations' outputs (several shapes)`, () => {
  for (const [D, H, T] of [[2, 3, 5], [1, 5, 4], [4, 2, 6]]) {
    const rng = new Rng(D * 10 + H);
    const kernel = rand(rng, D, 3 * H), rec = rand(rng, H, 3 * H), bias = resetAfter ? rand(rng, 2, 3 * H) : rand(rng, 1, 3 * H)[0];
    const dk = rand(rng, H, 1), db = rand(rng, 1, 1)[0];
    const model = new Network({ cell: 'gru', inputSize: D, hiddenSize: H, outputMode: 'sequence', cellOptions: { resetAfter } });
    model.setWeights({ ...fromKeras('GRU', { kernel, recurrentKernel: rec, bias }, { resetAfter }), ...denseFromKeras({ kernel: dk, bias: db }) });
    const xs = randomSequences(rng, [T, T - 2], D);
    const got = model.predict(xs) as number[][][];
    xs.forEach((seq, n) => kerasGRU(kernel, rec, bias, seq).forEach((h, t) => {
      const want = db[0] + h.reduce((s, v, j) => s + v * dk[j][0], 0);
      assert.ok(Math.abs(got[n][t][0] - want) < 1e-12, `D=${D} H=${H} sample ${n} step ${t}: ${got[n][t][0]} vs ${want}`);
    }));
    // and back: export reproduces the Keras arrays exactly
    const back = toKeras('GRU', model.getWeights(), { resetAfter });
    assert.deepEqual(back.kernel, kernel);
    assert.deepEqual(back.recurrentKernel, rec);
    assert.deepEqual(back.bias, bias);
  }
});

test('LSTM and SimpleRNN: export then import keeps the function (the two PyTorch biases fold into the one Keras bias)', () => {
  for (const [cell, kind] of [['lstm', 'LSTM'], ['elman', 'SimpleRNN']] as const) {
    const rng = new Rng(3);
    const a = new Network({ cell, inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 1 });
    const k = toKeras(kind, a.getWeights());
    assert.equal(k.kernel.length, 3);
    assert.equal(k.kernel[0].length, (kind === 'LSTM' ? 4 : 1) * 4);
    const b = new Network({ cell, inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 2 });
    b.setWeights({ ...fromKeras(kind, k), ...denseFromKeras(denseToKeras(a.getWeights())) });
    const x = randomSequences(rng, [5, 3], 3);
    const ya = (a.predict(x) as number[][]).flat(), yb = (b.predict(x) as number[][]).flat();
    ya.forEach((v, i) => assert.ok(Math.abs(v - yb[i]) < 1e-14));
    assert.ok(b.getWeights().bias_hh_l0.data.every((v) => v === 0));
  }
});

test('Keras LSTM gate order i, f, c, o maps block for block onto PyTorch i, f, g, o; GRU z, r, h onto r, z, n', () => {
  const H = 2, D = 1;
  // Mark each Keras column with its block number.
  const kernel = [Array.from({ length: 4 * H }, (_, c) => Math.floor(c / H))];
  const rec = Array.from({ length: H }, () => new Array(4 * H).fill(0));
  const t = fromKeras('LSTM', { kernel, recurrentKernel: rec, bias: new Array(4 * H).fill(0) });
  assert.deepEqual(t.weight_ih_l0.data, [0, 0, 1, 1, 2, 2, 3, 3]);
  const g = fromKeras('GRU', { kernel: [Array.from({ length: 3 * H }, (_, c) => Math.floor(c / H))], recurrentKernel: Array.from({ length: H }, () => new Array(3 * H).fill(0)), bias: [new Array(3 * H).fill(0), new Array(3 * H).fill(0)] });
  // PyTorch r, z, n = Keras blocks 1 (r), 0 (z), 2 (h)
  assert.deepEqual(g.weight_ih_l0.data, [1, 1, 0, 0, 2, 2]);
  assert.equal(D, 1);
});

test('bad Keras weights give clear errors', () => {
  const gru1 = { kernel: [[1, 2, 3]], recurrentKernel: [[1, 2, 3]] };
  assert.throws(() => fromKeras('GRU', { ...gru1, bias: [0, 0, 0] }), /reset_after = false.*import it with \{ resetAfter: false \} into a model with cellOptions: \{ resetAfter: false \}/);
  assert.throws(() => fromKeras('GRU', { ...gru1, bias: [[0, 0, 0], [0, 0, 0]] }, { resetAfter: false }), /reset_after = true .*but option resetAfter is false/);
  assert.throws(() => fromKeras('GRU', { ...gru1, bias: [[0, 0], [0, 0]] }), /bias must have shape \[2, 3\] for 1 units, got \[2, 2\]/);
  assert.throws(() => fromKeras('GRU', { ...gru1, bias: [0, 0] }, { resetAfter: false }), /bias must have shape \[3\] for 1 units, got \[1, 2\]/);
  assert.throws(() => fromKeras('GRU', { ...gru1, bias: [0, NaN, 0] }, { resetAfter: false }), /GRU bias: number 1 is NaN; weights must be finite/);
  assert.throws(() => fromKeras('LSTM', { kernel: [[1, 2, 3, 4]], recurrentKernel: [[1, 2, 3, 4]], bias: [0, 0, 0, 0] }, { resetAfter: false }), /option "resetAfter" applies to GRU layers only, not LSTM/);
  assert.throws(() => toKeras('GRU', {}, { resetAfter: 'no' as never }), /option "resetAfter" is "no"; expected true/);
  assert.throws(() => fromKeras('LSTM', { kernel: [[1, 2, 3]], recurrentKernel: [[1, 2, 3]], bias: [0, 0, 0] }), /do not fit 4 gate/);
  assert.throws(() => fromKeras('Conv1D' as 'LSTM', { kernel: [[1]], recurrentKernel: [[1]], bias: [0] }), /not supported; expected SimpleRNN, LSTM or GRU/);
  assert.throws(() => toKeras('LSTM', {}), /parameter "weight_ih_l0" is missing/);
  assert.throws(() => denseFromKeras({ kernel: [[1, 2]], bias: [1] }), /bias has 1 numbers; expected 2/);
  assert.throws(() => denseFromKeras([[1, 2]] as never), /denseFromKeras: expected { kernel, bias } of a Keras Dense layer/);
});

test('GRU reset_after = false: unroll weights (both PyTorch biases set) export to one Keras bias and keep the function', () => {
  const rng = new Rng(12);
  const D = 3, H = 4, T = 6;
  const model = new Network({ cell: 'gru', inputSize: D, hiddenSize: H, outputMode: 'sequence', cellOptions: { resetAfter: false }, seed: 5 });
  const W = model.getWeights();
  assert.ok(W.bias_hh_l0.data.some((v) => v !== 0), 'the check needs a non-zero recurrent bias');
  const k = toKeras('GRU', W, { resetAfter: false });
  assert.equal((k.bias as number[]).length, 3 * H);
  const xs = randomSequences(rng, [T, 2], D);
  const got = model.predict(xs) as number[][][];
  const dense = denseToKeras(W);
  xs.forEach((seq, n) => kerasGRU(k.kernel, k.recurrentKernel, k.bias, seq).forEach((h, t) => {
    const want = dense.bias[0] + h.reduce((s, v, j) => s + v * dense.kernel[j][0], 0);
    assert.ok(Math.abs(got[n][t][0] - want) < 1e-12, `sample ${n} step ${t}: ${got[n][t][0]} vs ${want}`);
  }));
});
