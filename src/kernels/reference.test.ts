import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReferenceBackend } from './reference.js';
import { ACTIVATIONS } from './backend.js';
import { Rng } from '../util/rng.js';

const k = new ReferenceBackend();
const rng = new Rng(1);
const rand = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.uniform(-1, 1));

test('gemm: all transpose cases, offsets, leading dims, alpha and beta equal a naive triple loop', () => {
  for (const [m, n, kk] of [[1, 1, 1], [3, 5, 4], [7, 2, 9], [4, 4, 1]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const lda = (transA ? m : kk) + 2;
        const ldb = (transB ? kk : n) + 1;
        const ldc = n + 3;
        const aOff = 5;
        const bOff = 2;
        const cOff = 7;
        const a = rand(aOff + lda * (transA ? kk : m));
        const b = rand(bOff + ldb * (transB ? n : kk));
        const c = rand(cOff + ldc * m);
        const expected = Float64Array.from(c);
        const alpha = 0.7;
        const beta = -1.3;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < kk; p++) {
              const av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
              const bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
              s += av * bv;
            }
            expected[cOff + i * ldc + j] = alpha * s + beta * c[cOff + i * ldc + j];
          }
        }
        k.gemm(transA, transB, m, n, kk, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - expected[i]) < 1e-12, `m${m} n${n} k${kk} tA${transA} tB${transB} at ${i}`);
      }
    }
  }
});

test('gemm with beta = 0 ignores NaN already in C', () => {
  const c = Float64Array.of(NaN, NaN);
  k.gemm(false, false, 1, 2, 1, 1, Float64Array.of(2), 0, 1, Float64Array.of(3, 4), 0, 2, 0, c, 0, 2);
  assert.deepEqual(Array.from(c), [6, 8]);
});

test('activations: forward values and derivatives (from outputs) agree with the formulas and finite differences', () => {
  const f: Record<string, (z: number) => number> = {
    tanh: Math.tanh, relu: (z) => Math.max(0, z), sigmoid: (z) => 1 / (1 + Math.exp(-z)), linear: (z) => z,
  };
  const z = Float64Array.of(-3, -0.7, -0.1, 0.2, 0.9, 4, 40, -40);
  for (const act of ACTIVATIONS) {
    const y = new Float64Array(z.length);
    k.activate(act, 2, 4, z, 0, 4, y, 0, 4);
    for (let i = 0; i < z.length; i++) assert.ok(Math.abs(y[i] - f[act](z[i])) < 1e-15, `${act}(${z[i]})`);
    const dy = rand(z.length);
    const dz = new Float64Array(z.length);
    k.activateBackward(act, 2, 4, y, 0, 4, dy, 0, 4, dz, 0, 4);
    for (let i = 0; i < z.length; i++) {
      const h = 1e-6;
      const numeric = (f[act](z[i] + h) - f[act](z[i] - h)) / (2 * h);
      assert.ok(Math.abs(dz[i] - dy[i] * numeric) < 1e-8, `${act}'(${z[i]}): ${dz[i]} vs ${dy[i] * numeric}`);
    }
  }
  // sigmoid must not overflow for large negative inputs
  const y = new Float64Array(1);
  k.activate('sigmoid', 1, 1, Float64Array.of(-1000), 0, 1, y, 0, 1);
  assert.equal(y[0], 0);
});

test('softmaxCrossEntropy is stable for huge logits and its gradient is p − onehot', () => {
  const logits = Float64Array.of(1000, 1001, 999, 0.5, -0.5, 2);
  const targets = Int32Array.of(1, 2);
  const probs = new Float64Array(6);
  const d = new Float64Array(6);
  const loss = k.softmaxCrossEntropy(2, 3, logits, 0, targets, 0, probs, 0, d, 0, 1);
  // Row 0: log-sum-exp computed by hand around the max 1001.
  const lse0 = 1001 + Math.log(Math.exp(-1) + 1 + Math.exp(-2));
  const lse1 = Math.log(Math.exp(0.5) + Math.exp(-0.5) + Math.exp(2));
  const expected = (lse0 - 1001) + (lse1 - 2);
  assert.ok(Math.abs(loss - expected) < 1e-12);
  for (let r = 0; r < 2; r++) {
    for (let j = 0; j < 3; j++) {
      const lse = r === 0 ? lse0 : lse1;
      const p = Math.exp(logits[r * 3 + j] - lse);
      assert.ok(Math.abs(probs[r * 3 + j] - p) < 1e-12);
      assert.ok(Math.abs(d[r * 3 + j] - (p - (j === targets[r] ? 1 : 0))) < 1e-12);
    }
  }
  // A skipped row (target −1) adds nothing and gets zero gradient.
  const d2 = rand(3);
  const l2 = k.softmaxCrossEntropy(1, 3, logits, 0, Int32Array.of(-1), 0, probs, 0, d2, 0, 1);
  assert.equal(l2, 0);
  assert.deepEqual(Array.from(d2), [0, 0, 0]);
});

test('adamStep matches the bias-corrected update computed by hand', () => {
  const p = Float64Array.of(0.5, -0.2);
  const g = Float64Array.of(0.1, -0.3);
  const m = new Float64Array(2);
  const v = new Float64Array(2);
  k.adamStep(2, p, g, m, v, 0.01, 0.9, 0.999, 1e-8, 0, 1);
  // At step 1, m̂ = g and v̂ = g², so the update is lr · g/(|g| + ε) ≈ lr · sign(g).
  assert.ok(Math.abs(p[0] - (0.5 - 0.01 * 0.1 / (0.1 + 1e-8))) < 1e-15);
  assert.ok(Math.abs(p[1] - (-0.2 + 0.01 * 0.3 / (0.3 + 1e-8))) < 1e-15);
  k.adamStep(2, p, g, m, v, 0.01, 0.9, 0.999, 1e-8, 0, 2);
  const m2 = 0.9 * 0.01 + 0.1 * 0.1; // m after two steps for g = 0.1
  const v2 = 0.999 * 0.001 * 0.01 + 0.001 * 0.01;
  const expected = 0.5 - 0.01 * 0.1 / (0.1 + 1e-8) - 0.01 * (m2 / (1 - 0.81)) / (Math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8);
  assert.ok(Math.abs(p[0] - expected) < 1e-14, `${p[0]} vs ${expected}`);
});

test('sgdStep with momentum and Nesterov follows v = μv + g; p −= lr·v (or lr·(g + μv))', () => {
  const p = Float64Array.of(1);
  const vel = new Float64Array(1);
  k.sgdStep(1, p, Float64Array.of(2), vel, 0.1, 0.5, false);
  assert.ok(Math.abs(p[0] - 0.8) < 1e-15);
  k.sgdStep(1, p, Float64Array.of(2), vel, 0.1, 0.5, false); // v = 0.5·2 + 2 = 3
  assert.ok(Math.abs(p[0] - 0.5) < 1e-15);
  const q = Float64Array.of(1);
  const w = new Float64Array(1);
  k.sgdStep(1, q, Float64Array.of(2), w, 0.1, 0.5, true); // v = 2; step = 2 + 0.5·2 = 3
  assert.ok(Math.abs(q[0] - 0.7) < 1e-15);
});

test('sumRows, addRowVector, axpy, scale, clip, copy2d, mul, mulAdd, sumSquares, allFinite', () => {
  const a = Float64Array.of(1, 2, 9, 3, 4, 9); // 2×2 block with ld 3
  const out = Float64Array.of(10, 20);
  k.sumRows(2, 2, a, 0, 3, 1, out, 0);
  assert.deepEqual(Array.from(out), [14, 26]);
  k.addRowVector(2, 2, Float64Array.of(1, -1), 0, a, 0, 3);
  assert.deepEqual(Array.from(a), [2, 1, 9, 4, 3, 9]);
  const y = Float64Array.of(1, 1);
  k.axpy(2, 2, Float64Array.of(3, 4), 0, y, 0);
  assert.deepEqual(Array.from(y), [7, 9]);
  k.scale(2, 0.5, y, 0);
  assert.deepEqual(Array.from(y), [3.5, 4.5]);
  k.clip(2, 4, y, 0);
  assert.deepEqual(Array.from(y), [3.5, 4]);
  const dst = new Float64Array(4);
  k.copy2d(2, 1, a, 1, 3, dst, 0, 2);
  assert.deepEqual(Array.from(dst), [1, 0, 3, 0]);
  const o = Float64Array.of(1, 1);
  k.mul(2, Float64Array.of(2, 3), 0, Float64Array.of(4, 5), 0, o, 0);
  assert.deepEqual(Array.from(o), [8, 15]);
  k.mulAdd(2, Float64Array.of(1, 1), 0, Float64Array.of(1, 2), 0, o, 0);
  assert.deepEqual(Array.from(o), [9, 17]);
  assert.equal(k.sumSquares(2, Float64Array.of(3, 4), 0), 25);
  assert.equal(k.allFinite(2, Float64Array.of(1, 2), 0), true);
  assert.equal(k.allFinite(2, Float64Array.of(1, Infinity), 0), false);
  assert.equal(k.allFinite(2, Float64Array.of(NaN, 1), 0), false);
});
