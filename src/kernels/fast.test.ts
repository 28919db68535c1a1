// The fast (float32 WebAssembly SIMD) backend against the float64 reference backend.
// Inputs are drawn in float32, copied exactly to float64, and each kernel runs on both; results
// must agree within float32 rounding (for products: the classic bound |error| ≤ γ_k · Σ|a||b|,
// with the Σ|a||b| computed independently by the reference on absolute values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmBackend, createWasmBackendSync, WasmBackend } from './fast.js';
import { ReferenceBackend } from './reference.js';
import { ACTIVATIONS, type Buf } from './backend.js';
import { Rng } from '../util/rng.js';
import { UnrollError } from '../util/errors.js';
import type { KernelExports } from './wasm/abi.js';

const ref = new ReferenceBackend();
const quiet = (): void => {};
const fast = createWasmBackendSync({ notice: quiet });
assert.ok(fast instanceof WasmBackend, 'this Node has WebAssembly SIMD, so the fast backend must load');
const U = 2 ** -24; // unit roundoff of float32

/** A fast-backend buffer of n random numbers in [lo, hi) and its exact float64 copy. */
function pair(rng: Rng, n: number, lo = -1, hi = 1): [Float32Array, Float64Array] {
  const f = fast.alloc(n) as Float32Array;
  for (let i = 0; i < n; i++) f[i] = rng.uniform(lo, hi);
  return [f, Float64Array.from(f)];
}

function assertClose(got: Buf, want: Float64Array, tol: (i: number) => number, what: string): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w)) { assert.ok(Number.isNaN(g), `${what}[${i}]: want NaN, got ${g}`); continue; }
    if (!Number.isFinite(w)) { assert.equal(g, w, `${what}[${i}]`); continue; }
    const err = Math.abs(g - w);
    if (!(err <= tol(i))) assert.fail(`${what}[${i}]: got ${g}, want ${w} (error ${err} > ${tol(i)})`);
  }
}

const rel = (r: number, a: number, want: Float64Array) => (i: number) => r * Math.abs(want[i]) + a;

const SIZES = [1, 3, 65, 68, 257];

test('gemm matches the reference for all sizes in {1,3,65,68,257}³ and all four transpose cases', () => {
  const rng = new Rng(1);
  for (const transA of [false, true]) for (const transB of [false, true]) {
    for (const m of SIZES) for (const n of SIZES) for (const k of SIZES) {
      checkGemm(rng, transA, transB, m, n, k, { alpha: 0.75, beta: 0.5 });
    }
  }
});

test('gemm with offsets, padded leading dimensions, alpha/beta variants and blocks past the cache-block sizes', () => {
  const rng = new Rng(2);
  const shapes: [number, number, number][] = [[64, 256, 64], [32, 1024, 257], [97, 600, 5], [7, 1030, 300], [130, 9, 513], [2, 2, 2]];
  for (const [m, n, k] of shapes) for (const transA of [false, true]) for (const transB of [false, true]) {
    checkGemm(rng, transA, transB, m, n, k, { alpha: 1, beta: 0, pad: 5, offset: 3, nanC: true });
    checkGemm(rng, transA, transB, m, n, k, { alpha: -1.5, beta: 1, pad: 1, offset: 7 });
    checkGemm(rng, transA, transB, m, n, k, { alpha: 0, beta: 2, pad: 0, offset: 0 });
  }
});

interface GemmCase {
  alpha: number; beta: number; pad?: number; offset?: number; nanC?: boolean;
  /** Make op's stored A (or B) one-hot by rows (some rows all zero); `spoil` then breaks one row with this value. */
  oneHot?: 'A' | 'B'; spoil?: number;
}

/** Rows of a stored block made one-hot (every 5th row all zero); `spoil` replaces one entry of the last row. */
function makeOneHot(x: Float32Array, X: Float64Array, off: number, ld: number, rows: number, width: number, rng: Rng, spoil?: number): void {
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < width; d++) { x[off + r * ld + d] = 0; X[off + r * ld + d] = 0; }
    if (r % 5 === 4) continue;
    const hot = Math.floor(rng.uniform(0, width - 1e-9));
    x[off + r * ld + hot] = 1; X[off + r * ld + hot] = 1;
  }
  if (spoil !== undefined) {
    // The last row: hot at 0, then `spoil` at width/2 (a second 1, a 2, a NaN … is no longer one-hot).
    const row = off + (rows - 1) * ld;
    for (let d = 0; d < width; d++) { x[row + d] = 0; X[row + d] = 0; }
    x[row] = 1; X[row] = 1;
    x[row + (width >> 1)] = spoil; X[row + (width >> 1)] = Math.fround(spoil);
  }
}

function checkGemm(rng: Rng, transA: boolean, transB: boolean, m: number, n: number, k: number, o: GemmCase): void {
  const pad = o.pad ?? 0, off = o.offset ?? 0;
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
  const [a, A] = pair(rng, off + aRows * lda);
  const [b, B] = pair(rng, off + bRows * ldb);
  const [c, C] = pair(rng, off + m * ldc);
  if (o.oneHot === 'A') makeOneHot(a, A, off, lda, aRows, aCols, rng, o.spoil);
  if (o.oneHot === 'B') makeOneHot(b, B, off, ldb, bRows, bCols, rng, o.spoil);
  if (o.nanC) for (let i = 0; i < m; i++) { c[off + i * ldc] = NaN; C[off + i * ldc] = NaN; }
  const before = Float64Array.from(C);
  // Σ |alpha a b| + |beta c| per element, from the reference on absolute values.
  const bound = before.map(Math.abs);
  if (o.beta === 0) bound.fill(0);
  ref.gemm(transA, transB, m, n, k, Math.abs(o.alpha), A.map(Math.abs), off, lda, B.map(Math.abs), off, ldb, Math.abs(o.beta), bound, off, ldc);
  fast.gemm(transA, transB, m, n, k, o.alpha, a, off, lda, b, off, ldb, o.beta, c, off, ldc);
  ref.gemm(transA, transB, m, n, k, o.alpha, A, off, lda, B, off, ldb, o.beta, C, off, ldc);
  const gamma = (k + 3) * 2 * U;
  const what = `gemm(${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}, m=${m}, n=${n}, k=${k}, alpha=${o.alpha}, beta=${o.beta})`;
  assertClose(c, C, (i) => gamma * bound[i] + 1e-30, what);
  // Padding between rows and before the offset is untouched.
  for (let i = 0; i < c.length; i++) {
    const inBlock = i >= off && (i - off) % ldc < n && Math.floor((i - off) / ldc) < m;
    if (!inBlock) assert.ok(Object.is(c[i], Math.fround(before[i])), `${what}: element ${i} outside C changed`);
  }
}

test('gemm with a one-hot operand skips the zeros (lookup / scatter-add) and agrees with the dense reference', () => {
  const rng = new Rng(23);
  const w = fast as WasmBackend;
  // A one-hot rows (input projection of tokens), op(B) plain or transposed; B one-hot with Aᵀ (its weight gradient).
  const cases: [boolean, boolean, number, number, number, 'A' | 'B'][] = [
    [false, true, 200, 260, 65, 'A'], [false, false, 97, 130, 33, 'A'], [true, false, 260, 65, 300, 'B'], [true, false, 31, 40, 900, 'B'],
  ];
  for (const [transA, transB, m, n, k, side] of cases) {
    for (const o of [{ alpha: 1, beta: 0, nanC: true }, { alpha: -1.5, beta: 1, pad: 3, offset: 2 }, { alpha: 2, beta: 0.5, pad: 1, offset: 1 }]) {
      const before = w.oneHotProducts;
      checkGemm(rng, transA, transB, m, n, k, { ...o, oneHot: side });
      assert.equal(w.oneHotProducts, before + 1, `one-hot ${side} (${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} ${m}x${n}x${k}) took the lookup path`);
    }
    // Not one-hot after all (a 2, a second 1, a NaN, a 0.5 in the last row): the dense product, same numbers.
    for (const spoil of [2, 1, NaN, 0.5]) {
      const before = w.oneHotProducts;
      checkGemm(rng, transA, transB, m, n, k, { alpha: 1, beta: 0, oneHot: side, spoil });
      assert.equal(w.oneHotProducts, before, `spoiled one-hot ${side} with ${spoil} took the dense path`);
    }
  }
});

test('gemm on buffers outside WebAssembly memory takes the JavaScript path and agrees', () => {
  const rng = new Rng(3);
  const [a, A] = pair(rng, 40 * 30);
  const b = new Float32Array(30 * 20).map(() => rng.uniform(-1, 1));
  const B = Float64Array.from(b);
  const c = fast.alloc(40 * 20), C = new Float64Array(40 * 20);
  fast.gemm(false, false, 40, 20, 30, 1, a, 0, 30, b, 0, 20, 0, c, 0, 20);
  ref.gemm(false, false, 40, 20, 30, 1, A, 0, 30, B, 0, 20, 0, C, 0, 20);
  assertClose(c, C, () => 30 * 4 * U * 30, 'gemm outside memory');
});

test('gemm rejects a block that does not fit its buffer', () => {
  const a = fast.alloc(10), b = fast.alloc(100), c = fast.alloc(100);
  assert.throws(() => fast.gemm(false, false, 10, 10, 10, 1, a, 0, 10, b, 0, 10, 0, c, 0, 10), UnrollError);
  assert.throws(() => fast.gemm(false, false, 10, 10, 10, 1, b, 1, 10, b, 0, 10, 0, c, 0, 10), /A block of 10×10 at offset 1/);
});

test('activate and activateBackward match the reference for every activation, with offsets and leading dimensions', () => {
  const rng = new Rng(4);
  for (const act of ACTIVATIONS) for (const [m, n] of [[1, 1], [3, 5], [65, 68], [4, 257]]) {
    const ld = n + 3, off = 2, size = off + m * ld;
    const [x, X] = pair(rng, size, -12, 12);
    // Include exact zeros, tiny values and large magnitudes.
    x[off] = 0; X[off] = 0;
    if (n > 2) { x[off + 1] = 1e-6; X[off + 1] = Math.fround(1e-6); x[off + 2] = -40; X[off + 2] = -40; }
    const [y, Y] = pair(rng, size);
    fast.activate(act, m, n, x, off, ld, y, off, ld);
    ref.activate(act, m, n, X, off, ld, Y, off, ld);
    assertClose(y, Y, rel(4e-6, 1e-7, Y), `activate ${act} ${m}x${n}`);
    // In place (x and y the same block).
    const [z, Z] = pair(rng, size, -5, 5);
    fast.activate(act, m, n, z, off, ld, z, off, ld);
    ref.activate(act, m, n, Z, off, ld, Z, off, ld);
    assertClose(z, Z, rel(4e-6, 1e-7, Z), `activate in place ${act} ${m}x${n}`);
    // Backward, with dz aliasing dy.
    const [dy, DY] = pair(rng, size);
    const [dz, DZ] = pair(rng, size);
    fast.activateBackward(act, m, n, y, off, ld, dy, off, ld, dz, off, ld);
    ref.activateBackward(act, m, n, Float64Array.from(y), off, ld, DY, off, ld, DZ, off, ld);
    // Float32 rounding of y² (or y(1 − y)) bounds the error by a few ulps of |dy|·(1 + |y|)².
    const dTol = (i: number) => 4 * U * Math.abs(DY[i]) * (1 + Math.abs(y[i])) ** 2 + 1e-30;
    assertClose(dz, DZ, dTol, `activateBackward ${act} ${m}x${n}`);
    const DY0 = Float64Array.from(dy);
    fast.activateBackward(act, m, n, y, off, ld, dy, off, ld, dy, off, ld);
    ref.activateBackward(act, m, n, Float64Array.from(y), off, ld, DY, off, ld, DY, off, ld);
    assertClose(dy, DY, (i) => 4 * U * Math.abs(DY0[i]) * (1 + Math.abs(y[i])) ** 2 + 1e-30, `activateBackward aliased ${act} ${m}x${n}`);
  }
});

test('activations keep NaN semantics of the reference (relu maps NaN to 0, the others propagate it)', () => {
  for (const act of ACTIVATIONS) {
    const x = fast.alloc(6), y = fast.alloc(6);
    x.set([NaN, 1, -1, NaN, 0.5, NaN]);
    const X = Float64Array.from(x), Y = new Float64Array(6);
    fast.activate(act, 1, 6, x, 0, 6, y, 0, 6);
    ref.activate(act, 1, 6, X, 0, 6, Y, 0, 6);
    assertClose(y, Y, rel(4e-6, 1e-7, Y), `activate ${act} with NaN`);
  }
});

test('activations saturate correctly at extreme inputs (±Infinity, ±1e4, near the exp clamp)', () => {
  const xs = [-Infinity, -1e4, -100, -88.5, -87.3, -20, -1e-30, 1e-30, 20, 87.3, 88.5, 100, 1e4, Infinity];
  for (const act of ACTIVATIONS) {
    const x = fast.alloc(xs.length), y = fast.alloc(xs.length);
    x.set(xs);
    const X = Float64Array.from(x), Y = new Float64Array(xs.length);
    fast.activate(act, 1, xs.length, x, 0, xs.length, y, 0, xs.length);
    ref.activate(act, 1, xs.length, X, 0, xs.length, Y, 0, xs.length);
    assertClose(y, Y, rel(4e-6, 1e-7, Y), `activate ${act} at extremes`);
  }
});

test('addRowVector, sumRows, copy2d match the reference', () => {
  const rng = new Rng(5);
  for (const [m, n] of [[1, 1], [3, 3], [65, 68], [257, 5], [2, 257]]) {
    const ld = n + 2, off = 1;
    const [bias, BIAS] = pair(rng, n + 4);
    const [c, C] = pair(rng, off + m * ld);
    fast.addRowVector(m, n, bias, 3, c, off, ld);
    ref.addRowVector(m, n, BIAS, 3, C, off, ld);
    assertClose(c, C, rel(2 * U, 1e-30, C), `addRowVector ${m}x${n}`);
    for (const beta of [0, 1, 0.5]) {
      const [out, OUT] = pair(rng, n + 2);
      if (beta === 0) { out[2] = NaN; OUT[2] = NaN; }
      const [a, A] = pair(rng, off + m * ld);
      fast.sumRows(m, n, a, off, ld, beta, out, 2);
      // Bound Σ|a| + |beta out| from the reference on absolute values.
      const bound = OUT.map(Math.abs);
      if (beta === 0) bound.fill(0);
      ref.sumRows(m, n, A.map(Math.abs), off, ld, Math.abs(beta), bound, 2);
      ref.sumRows(m, n, A, off, ld, beta, OUT, 2);
      assertClose(out, OUT, (i) => (m + 2) * 2 * U * bound[i] + 1e-30, `sumRows ${m}x${n} beta=${beta}`);
    }
    const [x, X] = pair(rng, off + m * ld);
    const [y, Y] = pair(rng, m * n + 1);
    fast.copy2d(m, n, x, off, ld, y, 1, n);
    ref.copy2d(m, n, X, off, ld, Y, 1, n);
    assertClose(y, Y, () => 0, `copy2d ${m}x${n}`);
  }
});

test('axpy, scale, fill, mul, mulAdd, clip, sumSquares, allFinite match the reference', () => {
  const rng = new Rng(6);
  for (const n of [1, 3, 65, 68, 257, 1000]) {
    const [x, X] = pair(rng, n + 3, -3, 3);
    const [y, Y] = pair(rng, n + 3, -3, 3);
    fast.axpy(n, -0.3, x, 1, y, 2);
    ref.axpy(n, -0.3, X, 1, Y, 2);
    assertClose(y, Y, (i) => 4 * U * (Math.abs(Y[i]) + 3), `axpy ${n}`);
    fast.scale(n, 1.7, y, 3);
    ref.scale(n, 1.7, Y, 3);
    assertClose(y, Y, (i) => 8 * U * (Math.abs(Y[i]) + 3), `scale ${n}`);
    const [a, A] = pair(rng, n + 1);
    const [b, B] = pair(rng, n + 1);
    const [o, O] = pair(rng, n + 1);
    fast.mul(n, a, 1, b, 0, o, 0);
    ref.mul(n, A, 1, B, 0, O, 0);
    assertClose(o, O, rel(2 * U, 1e-30, O), `mul ${n}`);
    fast.mulAdd(n, a, 0, b, 1, o, 1);
    ref.mulAdd(n, A, 0, B, 1, O, 1);
    assertClose(o, O, () => 4 * U * 2, `mulAdd ${n}`);
    fast.mul(n, a, 0, b, 0, a, 0); // out aliases a
    ref.mul(n, A, 0, B, 0, A, 0);
    assertClose(a, A, rel(2 * U, 1e-30, A), `mul aliased ${n}`);
    fast.clip(n, 1.25, x, 2);
    ref.clip(n, 1.25, X, 2);
    assertClose(x, X, () => 0, `clip ${n}`);
    const ss = fast.sumSquares(n, y, 1);
    const SS = ref.sumSquares(n, Float64Array.from(y), 1);
    assert.ok(Math.abs(ss - SS) <= 1e-12 * SS, `sumSquares ${n}: ${ss} vs ${SS}`);
    fast.fill(n, 0.25, y, 0);
    ref.fill(n, 0.25, Y, 0);
    assertClose(y.subarray(0, n), Y.subarray(0, n), () => 0, `fill ${n}`);
    assert.equal(fast.allFinite(n, x, 0), true);
    for (const bad of [Infinity, -Infinity, NaN]) for (const at of [0, n - 1, Math.floor(n / 2)]) {
      const keep = x[at];
      x[at] = bad;
      assert.equal(fast.allFinite(n, x, 0), false, `allFinite ${n} with ${bad} at ${at}`);
      assert.equal(fast.allFinite(at, x, 0), true, `allFinite of the ${at} numbers before ${bad}`);
      x[at] = keep;
    }
  }
});

test('softmaxCrossEntropy matches the reference: probabilities, loss, gradients, skipped rows', () => {
  const rng = new Rng(7);
  for (const [rows, classes] of [[1, 1], [3, 3], [5, 65], [17, 68], [4, 257]]) {
    const [logits, L] = pair(rng, 2 + rows * classes, -8, 8);
    logits[2] = 60; L[2] = 60; // a large logit must not overflow
    const targets = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++) targets[r + 1] = r % 4 === 3 ? -1 : rng.int(classes);
    const [probs, P] = pair(rng, rows * classes);
    const [dl, DL] = pair(rng, rows * classes + 1);
    const loss = fast.softmaxCrossEntropy(rows, classes, logits, 2, targets, 1, probs, 0, dl, 1, 0.5);
    const LOSS = ref.softmaxCrossEntropy(rows, classes, L, 2, targets, 1, P, 0, DL, 1, 0.5);
    assert.ok(Math.abs(loss - LOSS) <= 1e-5 * (1 + Math.abs(LOSS)), `loss ${rows}x${classes}: ${loss} vs ${LOSS}`);
    assertClose(probs, P, (i) => 8 * U * classes * P[i] + 1e-30, `probs ${rows}x${classes}`);
    assertClose(dl, DL, (i) => 8 * U * classes * Math.abs(P[Math.max(i - 1, 0)] ?? 1) + 8 * U, `dlogits ${rows}x${classes}`);
    // Targets already in WebAssembly memory, and no gradient requested.
    const t2 = (fast as WasmBackend).allocInt32(rows);
    t2.set(targets.subarray(1));
    const loss2 = fast.softmaxCrossEntropy(rows, classes, logits, 2, t2, 0, probs, 0, null, 0, 1);
    assert.equal(loss2, loss);
  }
});

test('softmaxCrossEntropy rejects a target outside the classes', () => {
  const logits = fast.alloc(6), probs = fast.alloc(6);
  assert.throws(() => fast.softmaxCrossEntropy(2, 3, logits, 0, new Int32Array([0, 3]), 0, probs, 0, null, 0, 1), /target 3 in row 1/);
});

test('adamStep matches the reference over several steps, with and without weight decay', () => {
  const rng = new Rng(8);
  for (const n of [1, 3, 65, 257]) for (const wd of [0, 0.01]) {
    const [p, P] = pair(rng, n);
    const m = fast.alloc(n), v = fast.alloc(n), M = new Float64Array(n), V = new Float64Array(n);
    for (let step = 1; step <= 5; step++) {
      const [g, G] = pair(rng, n);
      fast.adamStep(n, p, g, m, v, 1e-2, 0.9, 0.999, 1e-8, wd, step);
      ref.adamStep(n, P, G, M, V, 1e-2, 0.9, 0.999, 1e-8, wd, step);
      // The float32 state is rounded once per step; compare against the reference with a tolerance of a few ulps of the update.
      assertClose(p, P, (i) => 1e-6 * (Math.abs(P[i]) + 1e-2), `adam p n=${n} wd=${wd} step ${step}`);
      assertClose(m, M, rel(1e-5, 1e-9, M), `adam m n=${n} step ${step}`);
      assertClose(v, V, rel(1e-5, 1e-12, V), `adam v n=${n} step ${step}`);
      P.set(p); M.set(m); V.set(v); // keep the two in lock-step so errors do not compound
    }
  }
});

test('buffers stay valid when the shared memory grows', async () => {
  const notes: string[] = [];
  const b = (await createWasmBackend({ memoryMiB: 2, notice: (s) => notes.push(s) })) as WasmBackend;
  assert.ok(b instanceof WasmBackend);
  assert.equal(b.sharedMemory, true);
  const first = b.alloc(1000);
  first.fill(3);
  const big = b.alloc(3 * 1024 * 1024); // 12 MiB: forces growth
  assert.equal(first.length, 1000);
  assert.ok(b.usedBytes > 12 * 1024 * 1024);
  big[big.length - 1] = 2;
  const out = b.alloc(1);
  b.gemm(false, false, 1, 1, 1000, 1, first, 0, 1000, first, 0, 1, 0, out, 0, 1);
  assert.equal(out[0], 9 * 1000);
  assert.deepEqual(notes, []);
});

test('without shared memory, a full memory yields plain buffers (JavaScript path) and one notice', () => {
  const notes: string[] = [];
  const b = createWasmBackendSync({ sharedMemory: 'off', memoryMiB: 2, notice: (s) => notes.push(s) }) as WasmBackend;
  assert.equal(b.sharedMemory, false);
  const inside = b.alloc(1000);
  const outside = b.alloc(1024 * 1024);
  b.alloc(1024 * 1024);
  assert.equal(notes.length, 1);
  assert.match(notes[0], /memory is full/);
  inside.fill(2);
  outside.fill(0.5);
  b.gemm(false, true, 1, 1, 1000, 1, inside, 0, 1000, outside, 0, 1000, 0, outside, 5000, 1);
  assert.equal(outside[5000], 1000);
});

test('simd "off" falls back to the reference backend with a one-line notice', async () => {
  const notes: string[] = [];
  const b = await createWasmBackend({ simd: 'off', notice: (s) => notes.push(s) });
  assert.equal(b.name, 'reference');
  assert.equal(notes.length, 1);
  assert.ok(!notes[0].includes('\n'));
  const s = createWasmBackendSync({ simd: 'off', notice: (t) => notes.push(t) });
  assert.equal(s.name, 'reference');
  assert.equal(notes.length, 2);
});

test('bad options are rejected by name', () => {
  assert.throws(() => createWasmBackendSync({ memoryMiB: 0 }), /option "memoryMiB"/);
  assert.throws(() => createWasmBackendSync({ simd: 'on' as never }), /option "simd"/);
  assert.throws(() => createWasmBackendSync({ sharedMemory: 'yes' as never }), /option "sharedMemory"/);
});

/** Tolerance for the fused cell kernels: a few float32 ulps of O(1) terms (bugs give errors of order 0.1). */
const cellTol = (want: Float64Array) => (i: number) => 2e-6 * (1 + Math.abs(want[i]));

test('lstmPointwiseForward/Backward match the reference (H in {1,3,5,64,65}, offsets, leading dimensions)', () => {
  const rng = new Rng(9);
  for (const rows of [1, 3, 5]) for (const H of [1, 3, 5, 64, 65]) {
    const ldg = 4 * H + 2, ld = H + 3, off = 1;
    const [gates, G] = pair(rng, off + rows * ldg, -4, 4);
    const [cPrev, CP] = pair(rng, off + rows * ld);
    const [h, Hh] = pair(rng, off + rows * ld);
    const [c, C] = pair(rng, off + rows * ld);
    fast.lstmPointwiseForward(rows, H, gates, off, ldg, cPrev, off, ld, h, off, ld, c, off, ld);
    ref.lstmPointwiseForward(rows, H, G, off, ldg, CP, off, ld, Hh, off, ld, C, off, ld);
    const what = `lstm forward rows=${rows} H=${H}`;
    assertClose(gates, G, cellTol(G), `${what} gates`);
    assertClose(c, C, cellTol(C), `${what} c`);
    assertClose(h, Hh, cellTol(Hh), `${what} h`);
    // Backward from the fast forward's (float32) activations, given to both.
    const Gf = Float64Array.from(gates), Cf = Float64Array.from(c);
    const [dh, DH] = pair(rng, off + rows * ld);
    const [dc, DC] = pair(rng, off + rows * ld);
    const [dg, DG] = pair(rng, off + rows * ldg);
    const [dcp, DCP] = pair(rng, off + rows * ld);
    fast.lstmPointwiseBackward(rows, H, gates, off, ldg, cPrev, off, ld, c, off, ld, dh, off, ld, dc, off, ld, dg, off, ldg, dcp, off, ld);
    ref.lstmPointwiseBackward(rows, H, Gf, off, ldg, CP, off, ld, Cf, off, ld, DH, off, ld, DC, off, ld, DG, off, ldg, DCP, off, ld);
    assertClose(dg, DG, cellTol(DG), `lstm backward rows=${rows} H=${H} dGates`);
    assertClose(dcp, DCP, cellTol(DCP), `lstm backward rows=${rows} H=${H} dcPrev`);
  }
});

test('lstmPointwiseForward with a bias row equals adding the bias to every row first (fast and reference)', () => {
  const rng = new Rng(19);
  for (const rows of [1, 4]) for (const H of [1, 3, 8, 65]) {
    const ldg = 4 * H + 1, ld = H + 2, off = 3, bOff = 2;
    const [gates, G] = pair(rng, off + rows * ldg, -4, 4);
    const [bias, B] = pair(rng, bOff + 4 * H, -2, 2);
    const [cPrev, CP] = pair(rng, off + rows * ld);
    const [h, Hh] = pair(rng, off + rows * ld);
    const [c, C] = pair(rng, off + rows * ld);
    // The plain reference on pre-activations with the bias added by hand: the independent answer.
    const pre = Float64Array.from(G);
    for (let r = 0; r < rows; r++) for (let q = 0; q < 4 * H; q++) pre[off + r * ldg + q] += B[bOff + q];
    const [h0, c0] = [Float64Array.from(Hh), Float64Array.from(C)];
    ref.lstmPointwiseForward(rows, H, pre, off, ldg, CP, off, ld, h0, off, ld, c0, off, ld);
    ref.lstmPointwiseForward(rows, H, G, off, ldg, CP, off, ld, Hh, off, ld, C, off, ld, B, bOff);
    fast.lstmPointwiseForward(rows, H, gates, off, ldg, cPrev, off, ld, h, off, ld, c, off, ld, bias, bOff);
    const what = `lstm forward with bias rows=${rows} H=${H}`;
    assertClose(G, pre, (i) => 1e-12 * (1 + Math.abs(pre[i])), `${what} reference gates`);
    assertClose(Hh, h0, (i) => 1e-12 * (1 + Math.abs(h0[i])), `${what} reference h`);
    assertClose(gates, pre, cellTol(pre), `${what} fast gates`);
    assertClose(c, c0, cellTol(c0), `${what} fast c`);
    assertClose(h, h0, cellTol(h0), `${what} fast h`);
  }
});

test('gruPointwiseForward/Backward match the reference (H in {1,3,5,64,65}, offsets, leading dimensions)', () => {
  const rng = new Rng(10);
  for (const rows of [1, 3, 5]) for (const H of [1, 3, 5, 64, 65]) {
    const ldg = 3 * H + 1, ld = H + 2, off = 2;
    const [gx, GX] = pair(rng, off + rows * ldg, -4, 4);
    const [gh, GH] = pair(rng, off + rows * ldg, -4, 4);
    const [hPrev, HP] = pair(rng, off + rows * ld);
    const [h, Hh] = pair(rng, off + rows * ld);
    fast.gruPointwiseForward(rows, H, gx, off, ldg, gh, off, ldg, hPrev, off, ld, h, off, ld);
    ref.gruPointwiseForward(rows, H, GX, off, ldg, GH, off, ldg, HP, off, ld, Hh, off, ld);
    const what = `gru forward rows=${rows} H=${H}`;
    assertClose(gx, GX, cellTol(GX), `${what} gx`);
    assertClose(gh, GH, () => 0, `${what} gh untouched`);
    assertClose(h, Hh, cellTol(Hh), `${what} h`);
    const GXf = Float64Array.from(gx);
    const [dh, DH] = pair(rng, off + rows * ld);
    const [dgx, DGX] = pair(rng, off + rows * ldg);
    const [dgh, DGH] = pair(rng, off + rows * ldg);
    const [dhp, DHP] = pair(rng, off + rows * ld);
    fast.gruPointwiseBackward(rows, H, gx, off, ldg, gh, off, ldg, hPrev, off, ld, dh, off, ld, dgx, off, ldg, dgh, off, ldg, dhp, off, ld);
    ref.gruPointwiseBackward(rows, H, GXf, off, ldg, GH, off, ldg, HP, off, ld, DH, off, ld, DGX, off, ldg, DGH, off, ldg, DHP, off, ld);
    assertClose(dgx, DGX, cellTol(DGX), `gru backward rows=${rows} H=${H} dGx`);
    assertClose(dgh, DGH, cellTol(DGH), `gru backward rows=${rows} H=${H} dGh`);
    assertClose(dhp, DHP, cellTol(DHP), `gru backward rows=${rows} H=${H} dhPrev`);
  }
});

// The four GRU reset-before kernels (Keras reset_after = false) share one driver: each takes rows,
// H, then its buffers as (buffer, offset, leading dimension) triples; "wide" buffers are [r|z|n]
// rows of 3H, the others H.
type GruRbKernel = 'gruResetGateForward' | 'gruResetBeforeForward' | 'gruResetBeforeBackward' | 'gruResetGateBackward';
const GRU_RB_ARGS: Record<GruRbKernel, readonly (readonly [string, boolean])[]> = {
  gruResetGateForward: [['gx', true], ['gh', true], ['hPrev', false], ['rh', false]],
  gruResetBeforeForward: [['gx', true], ['gh', true], ['hPrev', false], ['h', false]],
  gruResetBeforeBackward: [['gx', true], ['hPrev', false], ['dh', false], ['dGx', true], ['dGh', true], ['dhPrev', false]],
  gruResetGateBackward: [['gx', true], ['hPrev', false], ['dRh', false], ['dGx', true], ['dGh', true], ['dhPrev', false]],
};
const GRU_RB_KERNELS = Object.keys(GRU_RB_ARGS) as GruRbKernel[];

interface GruRbCase {
  rows: number;
  H: number;
  /** Buffers that share another's storage (same offset and leading dimension): name → name. */
  alias?: Record<string, string>;
  /** Allocate the fast buffers as plain Float32Arrays, outside WebAssembly memory. */
  outside?: boolean;
  backend?: WasmBackend;
}

/**
 * Runs `kernel` on the fast backend and on the reference (float64 copies of the same float32
 * inputs, aliased the same way) and compares every buffer, padding included.
 */
function checkGruRb(rng: Rng, kernel: GruRbKernel, c: GruRbCase): void {
  const { rows, H, alias = {}, outside = false, backend = fast } = c;
  const ldw = 3 * H + 1, ldn = H + 2, offW = 2, offN = 1;
  // Pre-activations for the forward kernels; activations (and gradients) in [-1, 1] for the backward ones.
  const wideRange = kernel.endsWith('Forward') ? 4 : 1;
  const bufs = new Map<string, [Float32Array, Float64Array]>();
  const args: { f: unknown[]; r: unknown[] } = { f: [rows, H], r: [rows, H] };
  for (const [name, wide] of GRU_RB_ARGS[kernel]) {
    const [off, ld] = wide ? [offW, ldw] : [offN, ldn];
    let p = bufs.get(alias[name] ?? name);
    if (!p) {
      const n = off + rows * ld, lim = wide ? wideRange : 1;
      const f = outside ? new Float32Array(n) : (backend.alloc(n) as Float32Array);
      for (let i = 0; i < n; i++) f[i] = rng.uniform(-lim, lim);
      p = [f, Float64Array.from(f)];
    }
    bufs.set(name, p);
    args.f.push(p[0], off, ld);
    args.r.push(p[1], off, ld);
  }
  const call = (b: object, a: unknown[]) => (b as Record<GruRbKernel, (...a: unknown[]) => void>)[kernel](...a);
  call(backend, args.f);
  call(ref, args.r);
  const what = `${kernel} rows=${rows} H=${H}${Object.keys(alias).length ? ` alias ${JSON.stringify(alias)}` : ''}${outside ? ' outside memory' : ''}`;
  for (const [name, [f, r]] of bufs) assertClose(f, r, cellTol(r), `${what} ${name}`);
}

test('GRU reset-before kernels (gruResetGateForward, gruResetBeforeForward, gruResetBeforeBackward, gruResetGateBackward) match the reference (H in {1,3,5,64,65}, offsets, leading dimensions)', () => {
  const rng = new Rng(23);
  for (const kernel of GRU_RB_KERNELS) for (const rows of [1, 3, 5]) for (const H of [1, 3, 5, 64, 65]) {
    checkGruRb(rng, kernel, { rows, H });
  }
});

test('GRU reset-before kernels give what the reference gives when an output is also an input (in place) or both gradient outputs are one buffer', () => {
  // Every alias here reads each element before writing it, in the reference's per-element order.
  const cases: [GruRbKernel, Record<string, string>][] = [
    ['gruResetGateForward', { rh: 'hPrev' }],
    ['gruResetBeforeForward', { h: 'hPrev' }],
    ['gruResetBeforeBackward', { dhPrev: 'dh' }],
    ['gruResetBeforeBackward', { dhPrev: 'hPrev' }],
    ['gruResetBeforeBackward', { dGh: 'dGx' }],
    ['gruResetBeforeBackward', { dGx: 'gx', dGh: 'gx' }],
    ['gruResetGateBackward', { dhPrev: 'dRh' }],
    ['gruResetGateBackward', { dhPrev: 'hPrev' }],
    ['gruResetGateBackward', { dGh: 'dGx' }],
    ['gruResetGateBackward', { dGx: 'gx' }],
  ];
  const rng = new Rng(24);
  for (const [kernel, alias] of cases) for (const rows of [1, 3]) for (const H of [3, 5, 64, 65]) {
    checkGruRb(rng, kernel, { rows, H, alias });
  }
});

test('GRU reset-before kernels run in WebAssembly for buffers in its memory, and in JavaScript (still agreeing) for others', () => {
  const spied = createWasmBackendSync({ notice: quiet }) as WasmBackend;
  // Count calls into the kernels' exports (the instance's own exports object is frozen: wrap a copy).
  const holder = spied as unknown as { k: KernelExports };
  const calls: Record<string, number> = {};
  const exports: Record<string, unknown> = { ...holder.k };
  for (const kernel of GRU_RB_KERNELS) {
    const fn = holder.k[kernel] as (...a: unknown[]) => void;
    calls[kernel] = 0;
    exports[kernel] = (...a: unknown[]) => { calls[kernel]++; fn(...a); };
  }
  holder.k = exports as unknown as KernelExports;
  const rng = new Rng(25);
  for (const kernel of GRU_RB_KERNELS) {
    checkGruRb(rng, kernel, { rows: 3, H: 65, backend: spied });
    assert.equal(calls[kernel], 1, `${kernel} on buffers in WebAssembly memory must call the wasm kernel`);
    checkGruRb(rng, kernel, { rows: 3, H: 65, backend: spied, outside: true });
    assert.equal(calls[kernel], 1, `${kernel} on plain Float32Arrays must take the JavaScript path`);
  }
});

test('GRU reset-before kernels reject a block that does not fit its buffer, naming the kernel and the argument', () => {
  const rows = 3, H = 5;
  for (const kernel of GRU_RB_KERNELS) {
    const spec = GRU_RB_ARGS[kernel];
    for (let bad = 0; bad < spec.length; bad++) {
      const a: unknown[] = [rows, H];
      spec.forEach(([, wide], i) => {
        const ld = wide ? 3 * H : H;
        a.push(fast.alloc(rows * ld - (i === bad ? 1 : 0)), 0, ld);
      });
      const re = new RegExp(`^${kernel}: ${spec[bad][0]} block of 3×${spec[bad][1] ? 3 * H : H} at offset 0`);
      assert.throws(() => (fast as unknown as Record<GruRbKernel, (...x: unknown[]) => void>)[kernel](...a), (e: unknown) => e instanceof UnrollError && re.test(e.message));
    }
  }
});

test('gemmPacked (op(B) packed once by packB) matches the reference, across cache blocks and edge panels', () => {
  const rng = new Rng(21);
  const shapes: [number, number, number][] = [[1, 1, 1], [5, 3, 2], [64, 256, 64], [32, 64, 256], [7, 1030, 300], [13, 65, 257], [2, 520, 600]];
  for (const [m, n, k] of shapes) for (const transA of [false, true]) for (const transB of [false, true]) {
    const [aRows, aCols] = transA ? [k, m] : [m, k];
    const [bRows, bCols] = transB ? [n, k] : [k, n];
    const off = 3, ldb = bCols + 2, ldc = n + 1;
    const [a, A] = pair(rng, aRows * aCols);
    const [b, B] = pair(rng, off + bRows * ldb);
    const [c, C] = pair(rng, m * ldc);
    const bound = C.map(Math.abs);
    ref.gemm(transA, transB, m, n, k, 2, A.map(Math.abs), 0, aCols, B.map(Math.abs), off, ldb, 1, bound, 0, ldc);
    const packed = fast.allocPacked(k, n);
    fast.packB(transB, k, n, b, off, ldb, packed);
    // Products past the JavaScript threshold read the packed copy only, so B may be overwritten.
    if (m * n * k > 64) b.fill(NaN);
    fast.gemmPacked(transA, m, n, k, -2, a, 0, aCols, packed, 1, c, 0, ldc);
    ref.gemm(transA, transB, m, n, k, -2, A, 0, aCols, B, off, ldb, 1, C, 0, ldc);
    const gamma = (k + 3) * 2 * U;
    assertClose(c, C, (i) => gamma * bound[i] + 1e-30, `gemmPacked(${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}, ${m}×${n}×${k})`);
  }
});

test('the reference gemmPacked is exactly gemm on the remembered B; mismatched sizes are refused', () => {
  const rng = new Rng(22);
  const A = Float64Array.from({ length: 6 * 5 }, () => rng.uniform(-1, 1));
  const B = Float64Array.from({ length: 4 * 5 }, () => rng.uniform(-1, 1));
  const want = new Float64Array(6 * 4), got = new Float64Array(6 * 4);
  ref.gemm(false, true, 6, 4, 5, 1, A, 0, 5, B, 0, 5, 0, want, 0, 4);
  const p = ref.allocPacked(5, 4);
  ref.packB(true, 5, 4, B, 0, 5, p);
  ref.gemmPacked(false, 6, 4, 5, 1, A, 0, 5, p, 0, got, 0, 4);
  assert.deepEqual(got, want);
  assert.throws(() => ref.gemmPacked(false, 6, 4, 4, 1, A, 0, 5, p, 0, got, 0, 4), /packed matrix is 5×4/);
  assert.throws(() => ref.gemmPacked(false, 6, 4, 5, 1, A, 0, 5, { k: 5, n: 4 }, 0, got, 0, 4), /not made by this backend/);
  assert.throws(() => ref.gemmPacked(false, 6, 4, 5, 1, A, 0, 5, ref.allocPacked(5, 4), 0, got, 0, 4), /never filled/);
});

test('buffers made after ANOTHER shared memory grew still run in WebAssembly (V8 renews the buffer objects)', async () => {
  const other = (await createWasmBackend({ memoryMiB: 2, notice: quiet })) as WasmBackend;
  other.alloc(4 * 1024 * 1024); // grows the other memory
  const m = 16, n = 16, k = 16;
  const a = fast.alloc(m * k).fill(1), b = fast.alloc(k * n).fill(1), c = fast.alloc(m * n);
  const p = fast.allocPacked(k, n);
  fast.packB(false, k, n, b, 0, n, p);
  b.fill(NaN); // only the WebAssembly path (which reads the packed copy) still gives numbers
  fast.gemmPacked(false, m, n, k, 1, a, 0, k, p, 0, c, 0, n);
  assert.ok(c.every((v) => v === k), `got ${c[0]}`);
});
