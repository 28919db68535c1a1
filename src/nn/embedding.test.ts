/**
 * The embedding layer (nn/embedding.ts): float64 finite-difference gradients through the public
 * gradient call, the kernels of the WebAssembly backend against the reference, padded steps,
 * worker threads, save/load, refusals, and the forward pass against TensorFlow.js's Embedding layer
 * given the same weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { RNN } from '../train/model.js';
import { gradients } from '../train/gradients.js';
import { Trainer } from '../train/trainer.js';
import { toTargetSet } from '../train/fit.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import { referenceBackend } from '../kernels/index.js';
import { denseToKeras, toKeras } from './keras.js';
import { UnrollError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import type { CellKind } from './cells.js';

await tf.setBackend('cpu');

const V = 7;
const E = 3;

/** Ragged sequences of token ids (one id per step) with the given lengths; every id of [0, V) appears at least once. */
function tokens(rng: Rng, lengths: number[]): number[][] {
  let i = 0;
  return lengths.map((L) => Array.from({ length: L }, () => (i < V ? i++ : Math.floor(rng.next() * V))));
}

function maxAbsDiff(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const flat = (v: unknown): number[] => (v as unknown[]).flat(3) as number[];

for (const [cell, extra] of [['lstm', {}], ['gru', {}], ['elman', { numLayers: 2, inputToEveryLayer: true }], ['lstm', { bidirectional: true, outputMode: 'sequence' }]] as [CellKind, object][]) {
  test(`embedding gradients equal central differences in float64 (public gradients call; ${cell} ${JSON.stringify(extra)})`, () => {
    const rng = new Rng(11);
    const model = new RNN({ embedding: { vocabSize: V, dim: E }, hiddenSize: 4, outputSize: 2, cell, seed: 5, ...extra });
    const lengths = [5, 2, 4];
    const x = tokens(rng, lengths);
    const y = model.outputMode === 'sequence'
      ? lengths.map((L) => Array.from({ length: L }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]))
      : lengths.map(() => [rng.uniform(-1, 1), rng.uniform(-1, 1)]);
    const r = gradCheck(model, x, y, { loss: 'mse', inputs: false });
    assert.ok(r.maxParamError < 1e-6, `${r.worstParam}: relative error ${r.maxParamError}`);
    assert.ok(r.maxGrad > 1e-3, 'the check saw non-zero gradients');
    const g = gradients(model, x, { y, loss: 'mse' });
    const table = g.grads['embedding.weight'];
    assert.deepEqual(table.shape, [V, E]);
    assert.ok(table.data.some((v) => Math.abs(v) > 1e-4), 'the table has a gradient');
    assert.deepEqual(g.dx, [[], [], []], 'no dx for token ids');
  });
}

test('a token that appears in no valid step gets a zero gradient row; padded steps add nothing (a batch = the sum of its samples)', () => {
  const model = new RNN({ embedding: { vocabSize: V, dim: E }, hiddenSize: 3, outputSize: 1, cell: 'gru', seed: 2 });
  // Token 6 only ever appears nowhere; padding rows of the short samples hold 0 in the packed batch, which is a valid id.
  const x = [[1, 2, 3, 4, 5], [2], [3, 3]];
  const y = [[0.5], [-0.25], [1]];
  const whole = gradients(model, x, { y, loss: 'ssr' }).grads['embedding.weight'].data;
  for (let j = 0; j < E; j++) {
    assert.equal(whole[6 * E + j], 0, 'token 6 is never read');
    assert.equal(whole[0 * E + j], 0, 'token 0 only fills padded steps, which must not count');
  }
  const sum = new Array<number>(V * E).fill(0);
  x.forEach((s, n) => gradients(model, [s], { y: [y[n]], loss: 'ssr' }).grads['embedding.weight'].data.forEach((v, i) => { sum[i] += v; }));
  assert.ok(maxAbsDiff(whole, sum) < 1e-14, 'batch gradient = sum of per-sample gradients');
  // Outputs of a sample are the same alone and in a padded batch.
  const together = model.predict(x) as number[][];
  x.forEach((s, n) => assert.ok(maxAbsDiff((model.predict([s]) as number[][])[0], together[n]) < 1e-15));
});

test('gatherRows and scatterAddRows: the WebAssembly kernels equal the reference (ids −1 skipped, repeated ids accumulate)', () => {
  const wasm = createWasmBackendSync({ notice: () => {} });
  const ref = referenceBackend();
  const rng = new Rng(3);
  const rows = 9, n = 6, table = 5;
  const ids = [4, -1, 0, 4, 2, 4, -1, 1, 0];
  const srcVals = Array.from({ length: table * n }, () => rng.uniform(-1, 1));
  const gradVals = Array.from({ length: rows * n }, () => rng.uniform(-1, 1));
  const run = (k: typeof ref) => {
    const id = k.allocInt32(rows);
    id.set(ids);
    const src = k.alloc(table * n); src.set(srcVals);
    const dst = k.alloc(rows * n); dst.fill(7);
    k.gatherRows(rows, n, id, 0, src, 0, n, dst, 0, n);
    const g = k.alloc(rows * n); g.set(gradVals);
    const acc = k.alloc(table * n); acc.fill(0.5);
    k.scatterAddRows(rows, n, id, 0, g, 0, n, acc, 0, n);
    return { gathered: Array.from(dst), scattered: Array.from(acc) };
  };
  const w = run(wasm);
  // The reference on float32 inputs: the same float32 numbers in, float64 sums out.
  const r = run(ref);
  assert.ok(maxAbsDiff(w.gathered, r.gathered) < 1e-7, 'lookups agree within float32 storage');
  assert.ok(maxAbsDiff(w.scattered, r.scattered) < 1e-6, 'scatter-adds agree within float32 rounding');
  assert.deepEqual(w.gathered.slice(n, 2 * n), new Array(n).fill(0), 'an id of −1 gives a zero row');
  // Row 4 received three rows: 0.5 + g0 + g3 + g5.
  for (let j = 0; j < n; j++) assert.ok(Math.abs(r.scattered[4 * n + j] - (0.5 + gradVals[j] + gradVals[3 * n + j] + gradVals[5 * n + j])) < 1e-12);
  assert.deepEqual(r.scattered.slice(3 * n, 4 * n), new Array(n).fill(0.5), 'a row no id names is untouched');
});

test('an embedding model on the WebAssembly backend gives the reference outputs and gradients within float32 rounding', () => {
  const rng = new Rng(21);
  const lengths = [6, 3, 5, 1];
  const x = tokens(rng, lengths);
  const y = lengths.map(() => [rng.uniform(-1, 1)]);
  const ref = new RNN({ embedding: { vocabSize: V, dim: 16 }, hiddenSize: 16, cell: 'lstm', seed: 4 });
  const fast = new RNN({ embedding: { vocabSize: V, dim: 16 }, hiddenSize: 16, cell: 'lstm', seed: 4, backend: createWasmBackendSync({ notice: () => {} }) });
  assert.ok(maxAbsDiff(flat(fast.predict(x)), flat(ref.predict(x))) < 1e-5);
  const gr = gradients(ref, x, { y, loss: 'mse' }).grads['embedding.weight'].data;
  const gf = gradients(fast, x, { y, loss: 'mse' }).grads['embedding.weight'].data;
  const scale = Math.max(...gr.map(Math.abs));
  assert.ok(scale > 1e-3);
  assert.ok(maxAbsDiff(gf, gr) < 1e-4 * scale, `embedding gradient differs by ${maxAbsDiff(gf, gr)}`);
});

test('fit with threads: 2 gives the single-threaded history and weights of an embedding model (float64)', () => {
  const rng = new Rng(8);
  const lengths = Array.from({ length: 16 }, () => 2 + Math.floor(rng.next() * 5));
  const x = tokens(rng, lengths);
  const y = x.map((s) => (s.filter((v) => v > 3).length / s.length));
  const run = (threads: number) => {
    const m = new RNN({ embedding: { vocabSize: V, dim: E }, hiddenSize: 5, cell: 'gru', seed: 2 });
    const h = m.fit(x, y, { epochs: 2, batchSize: 6, threads });
    return { losses: h.epochs.map((e) => e.loss), w: Array.from(m.store.values) };
  };
  const a = run(1);
  const b = run(2);
  assert.ok(maxAbsDiff(a.losses, b.losses) < 1e-12);
  assert.ok(maxAbsDiff(a.w, b.w) < 1e-10);
});

test('an embedding model saves and loads: config, table and outputs identical; old configs have no embedding key', () => {
  const model = new RNN({ embedding: { vocabSize: V, dim: E }, hiddenSize: 4, cell: 'lstm', seed: 9 });
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  assert.deepEqual(json.config.embedding, { vocabSize: V, dim: E });
  assert.equal(json.config.inputSize, 1);
  const back = RNN.fromJSON(json);
  const x = [[1, 2, 3], [6, 0]];
  assert.deepEqual(back.predict(x), model.predict(x));
  assert.deepEqual(back.getWeights()['embedding.weight'], model.getWeights()['embedding.weight']);
  assert.ok(!('embedding' in new RNN({ inputSize: 2, hiddenSize: 3 }).toJSON().config));
  // A file whose table does not match its config is refused.
  const bad = JSON.parse(JSON.stringify(json));
  bad.config.embedding.vocabSize = V + 1;
  assert.throws(() => RNN.fromJSON(bad), (e: unknown) => e instanceof UnrollError && /embedding\.weight/.test(e.message));
});

test('embedding options and token ids are checked, with the key or the sample and step named', () => {
  const refuses = (f: () => unknown, re: RegExp): void => { assert.throws(f, (e: unknown) => e instanceof UnrollError && re.test(e.message), String(re)); };
  refuses(() => new RNN({ embedding: { vocabSize: 10 } as never, hiddenSize: 3 }), /embedding\.dim/);
  refuses(() => new RNN({ embedding: { vocabSize: 10, dim: 0 }, hiddenSize: 3 }), /embedding\.dim/);
  refuses(() => new RNN({ embedding: { vocabSize: 10, dims: 4 } as never, hiddenSize: 3 }), /unknown option "embedding\.dims" \(did you mean "embedding\.dim"\?\)/);
  refuses(() => new RNN({ embedding: { vocabSize: 10, dim: 4 }, inputSize: 3, hiddenSize: 3 }), /inputSize.*one token id/);
  refuses(() => new RNN({ embedding: { vocabSize: 2e9, dim: 4 }, hiddenSize: 3 }), /vocabSize/);
  refuses(() => new RNN({ embedding: { vocabSize: 4, dim: 2 }, cell: 'narx', hiddenSize: 3, cellOptions: { exogenousSize: 0 } } as never), /narx/);
  const m = new RNN({ embedding: { vocabSize: 4, dim: 2 }, hiddenSize: 3 });
  refuses(() => m.predict([[1, 2], [3, 4]]), /x\[1\]\[1\] is 4; .*token ids, integers from 0 to 3/);
  refuses(() => m.predict([[1, 0.5]]), /x\[0\]\[1\] is 0\.5/);
  refuses(() => m.predict([[-1]]), /x\[0\]\[0\] is -1/);
  refuses(() => gradients(m, [[1, 2]], { y: [[0]], inputGradient: true }), /inputGradient.*token ids have no gradient/);
});

test('a training step of an embedding model allocates no typed array and no backend memory after the first (reference and wasm backends)', () => {
  for (const backend of [referenceBackend(), createWasmBackendSync({ notice: () => {} })]) {
    const m = new RNN({ embedding: { vocabSize: 50, dim: 8 }, hiddenSize: 8, cell: 'lstm', outputMode: 'sequence', outputSize: 50, backend });
    const rng = new Rng(1);
    const x = [9, 4, 7, 3, 8].map((L) => Array.from({ length: L }, () => Math.floor(rng.next() * 50)));
    const y = x.map((s) => s.map((v) => (v + 1) % 50));
    const set = toSequenceSet(x, 1);
    const targets = toTargetSet(m, set, y, true);
    const trainer = new Trainer(m, { loss: 'crossEntropy', optimizer: 'adam', clip: { globalNorm: 1 } });
    const order = Int32Array.from([0, 1, 2, 3, 4]);
    trainer.step(set, targets, order, 0, 5); // plans every buffer
    const g = globalThis as unknown as Record<string, unknown>;
    const names = ['Float64Array', 'Float32Array', 'Int32Array'];
    const originals = names.map((n) => g[n]);
    let typed = 0;
    let backendAllocs = 0;
    const alloc = backend.alloc;
    const allocInt32 = backend.allocInt32;
    names.forEach((n, i) => {
      const Original = originals[i] as new (...a: unknown[]) => unknown;
      g[n] = new Proxy(Original, { construct(target, args) { typed++; return Reflect.construct(target, args) as object; } });
    });
    (backend as { alloc: unknown }).alloc = (k: number) => { backendAllocs++; return alloc.call(backend, k); };
    (backend as { allocInt32: unknown }).allocInt32 = (k: number) => { backendAllocs++; return allocInt32.call(backend, k); };
    try {
      for (let i = 0; i < 5; i++) {
        trainer.step(set, targets, order, 0, 5);
        trainer.step(set, targets, order, 2, 3);
      }
    } finally {
      names.forEach((n, i) => { g[n] = originals[i]; });
      (backend as { alloc: unknown }).alloc = alloc;
      (backend as { allocInt32: unknown }).allocInt32 = allocInt32;
    }
    assert.deepEqual({ typed, backendAllocs }, { typed: 0, backendAllocs: 0 }, backend.name);
  }
});

test('forward pass equals TensorFlow.js: Embedding → LSTM → Dense with the same weights (tfjs float32, 1e-5)', () => {
  const rng = new Rng(31);
  const H = 5, K = 2, T = 6, B = 3, Vt = 11, Et = 4;
  const model = new RNN({ embedding: { vocabSize: Vt, dim: Et }, hiddenSize: H, outputSize: K, cell: 'lstm', outputMode: 'sequence', seed: 12 });
  const W = model.getWeights();
  const k = toKeras('LSTM', W, { suffix: '_l0' });
  const d = denseToKeras(W);
  const tfm = tf.sequential();
  tfm.add(tf.layers.embedding({ inputDim: Vt, outputDim: Et, inputLength: T }));
  tfm.add(tf.layers.lstm({ units: H, returnSequences: true, activation: 'tanh', recurrentActivation: 'sigmoid' }));
  tfm.add(tf.layers.dense({ units: K }));
  const table = W['embedding.weight'];
  tfm.layers[0].setWeights([tf.tensor2d(table.data, table.shape as [number, number])]);
  tfm.layers[1].setWeights([tf.tensor2d(k.kernel), tf.tensor2d(k.recurrentKernel), tf.tensor1d(k.bias as number[])]);
  tfm.layers[2].setWeights([tf.tensor2d(d.kernel), tf.tensor1d(d.bias)]);
  const x = Array.from({ length: B }, () => Array.from({ length: T }, () => Math.floor(rng.next() * Vt)));
  const want = (tfm.predict(tf.tensor2d(x)) as tf.Tensor).arraySync() as number[][][];
  const got = model.predict(x) as number[][][];
  const diff = maxAbsDiff(flat(got), flat(want));
  assert.ok(diff < 1e-5, `max difference ${diff}`);
  assert.ok(Math.max(...flat(want).map(Math.abs)) > 0.05, 'the outputs are not all near zero');
});

test('streaming one token id at a time equals running the whole sequence (state through JSON)', () => {
  const m = new RNN({ embedding: { vocabSize: 5, dim: 3 }, hiddenSize: 4, outputSize: 2, outputMode: 'sequence', cell: 'lstm', seed: 3 });
  const whole = (m.predict([[1, 4, 2]]) as number[][][])[0].flat();
  let state: Parameters<RNN['step']>[1];
  const outs: number[] = [];
  for (const id of [1, 4, 2]) {
    const [y, s] = m.step([id], state);
    outs.push(...(y as number[]));
    state = JSON.parse(JSON.stringify(s));
  }
  assert.ok(maxAbsDiff(outs, whole) < 1e-15);
});
