import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneHotBackend } from './onehot-backend.js';
import { referenceBackend } from '../kernels/index.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import { RNN } from '../train/model.js';
import { Trainer } from '../train/trainer.js';
import { Rng } from '../util/rng.js';
import { OneHotBatcher } from './windows.js';
import { close } from '../data/test-helpers.js';

const ref = referenceBackend();

function oneHotRows(rng: Rng, rows: number, width: number, ld: number): Float64Array {
  const x = new Float64Array(rows * ld);
  for (let r = 0; r < rows; r++) if (r % 5 !== 4) x[r * ld + rng.int(width)] = 1; // every 5th row all zero (padding)
  return x;
}

test('lookup and scatter-add products equal the dense gemm (both layouts, alpha, beta, offsets)', () => {
  const rng = new Rng(1);
  const wrap = oneHotBackend(ref);
  const [m, n, k] = [13, 7, 11];
  const x = oneHotRows(rng, m, k, k + 2);
  wrap.watch(() => x);
  const rand = (len: number): Float64Array => Float64Array.from({ length: len }, () => rng.uniform(-1, 1));
  for (const transB of [false, true]) {
    const b = rand(3 + n * k + 5);
    const c0 = rand(2 + m * (n + 1));
    const cDense = Float64Array.from(c0);
    const cSparse = Float64Array.from(c0);
    // C[m×n] = 0.7·X·op(B) + 0.3·C, with X at offset 0, ld k+2
    ref.gemm(false, transB, m, n, k, 0.7, x, 0, k + 2, b, 3, transB ? k : n, 0.3, cDense, 2, n + 1);
    wrap.backend.gemm(false, transB, m, n, k, 0.7, x, 0, k + 2, b, 3, transB ? k : n, 0.3, cSparse, 2, n + 1);
    close(cSparse, cDense, 1e-14);
  }
  // weight gradient: C[G×D] += Aᵀ·X with A = dGates [rows × G]
  const G = 6;
  const a = rand(m * G);
  const g0 = rand(G * k);
  const gDense = Float64Array.from(g0);
  const gSparse = Float64Array.from(g0);
  ref.gemm(true, false, G, k, m, 1, a, 0, G, x, 0, k + 2, 1, gDense, 0, k);
  wrap.backend.gemm(true, false, G, k, m, 1, a, 0, G, x, 0, k + 2, 1, gSparse, 0, k);
  close(gSparse, gDense, 1e-14);
  assert.equal(wrap.stats.sparse, 3);
  assert.equal(wrap.stats.dense, 0);
  // beta = 0 ignores NaN in C, as the dense kernel does
  const cNaN = new Float64Array(m * n).fill(NaN);
  wrap.backend.gemm(false, false, m, n, k, 1, x, 0, k + 2, rand(k * n), 0, n, 0, cNaN, 0, n);
  assert.ok(cNaN.every(Number.isFinite));
});

test('inputs that are not one-hot, and other buffers, go to the dense kernel', () => {
  const wrap = oneHotBackend(ref);
  const x = new Float64Array([1, 0, 0, 0.5, 0, 0]);
  wrap.watch(() => x);
  const c = new Float64Array(4);
  wrap.backend.gemm(false, false, 2, 2, 3, 1, x, 0, 3, new Float64Array(6).fill(1), 0, 2, 0, c, 0, 2);
  assert.deepEqual(Array.from(c), [1, 1, 0.5, 0.5]);
  wrap.backend.gemm(false, false, 2, 2, 3, 1, new Float64Array(6), 0, 3, new Float64Array(6), 0, 2, 0, c, 0, 2);
  assert.deepEqual(wrap.stats, { sparse: 0, dense: 2 });
  assert.equal(wrap.backend.name, ref.name);
});

test('an LSTM training step on one-hot batches gives the same loss and weights with and without the wrapper', () => {
  const V = 9;
  const make = (backend = ref) => new RNN({ inputSize: V, outputSize: V, hiddenSize: 5, cell: 'lstm', outputMode: 'sequence', seed: 4, backend });
  const plain = make();
  const wrap = oneHotBackend(ref);
  const fast = make(wrap.backend);
  wrap.watch(() => fast.x);
  const ids = Int32Array.from({ length: 60 }, (_, i) => (i * 7 + (i >> 2)) % V);
  const batcher = new OneHotBatcher(V, 4);
  for (let step = 0; step < 3; step++) {
    const [set, targets] = batcher.fill(ids, [0, 11, 23, 40], [8, 8, 5, 8]);
    const lossA = new Trainer(plain, { loss: 'crossEntropy' }).step(set, targets, batcher.identity, 0, 4);
    const lossB = new Trainer(fast, { loss: 'crossEntropy' }).step(set, targets, batcher.identity, 0, 4);
    close(lossB, lossA, 1e-12);
  }
  close(fast.store.values, plain.store.values, 1e-12);
  assert.ok(wrap.stats.sparse >= 6);
});

test('the WebAssembly backend is not wrapped: it finds one-hot operands itself, and the stats count its lookups', () => {
  const wasm = createWasmBackendSync({ notice: () => {} });
  const wrap = oneHotBackend(wasm);
  assert.equal(wrap.backend, wasm);
  const V = 9;
  const model = new RNN({ inputSize: V, outputSize: V, hiddenSize: 8, cell: 'lstm', outputMode: 'sequence', seed: 4, backend: wrap.backend });
  const plain = new RNN({ inputSize: V, outputSize: V, hiddenSize: 8, cell: 'lstm', outputMode: 'sequence', seed: 4 });
  const ids = Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 2)) % V);
  const batcher = new OneHotBatcher(V, 8);
  const [set, targets] = batcher.fill(ids, [0, 40, 90, 130, 170, 210, 250, 300], [40, 40, 40, 40, 40, 40, 40, 40]);
  const lossA = new Trainer(plain, { loss: 'crossEntropy' }).step(set, targets, batcher.identity, 0, 8);
  const lossB = new Trainer(model, { loss: 'crossEntropy' }).step(set, targets, batcher.identity, 0, 8);
  close(lossB, lossA, 1e-5);
  assert.ok(wrap.stats.sparse >= 2, `one-hot lookups: ${wrap.stats.sparse}`);
});
