// The relaxed-SIMD variant of the kernels (fused multiply-add in the matrix product) against the
// float64 reference. Node 20 validates relaxed SIMD only behind a V8 flag, which this test process
// (each test file runs in its own process) turns on before anything is compiled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { createWasmBackendSync, wasmRelaxedSimdSupported, WasmBackend } from './fast.js';
import { ReferenceBackend } from './reference.js';
import { Rng } from '../util/rng.js';

if (!wasmRelaxedSimdSupported()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const supported = wasmRelaxedSimdSupported();
const ref = new ReferenceBackend();
const U = 2 ** -24;
const quiet = (): void => {};

test('relaxedSimd "auto" picks the fused multiply-add kernels where the engine has relaxed SIMD; "off" does not', { skip: !supported && 'this engine has no relaxed SIMD' }, () => {
  const auto = createWasmBackendSync({ notice: quiet });
  const off = createWasmBackendSync({ notice: quiet, relaxedSimd: 'off' });
  assert.ok(auto instanceof WasmBackend && off instanceof WasmBackend);
  assert.equal(auto.relaxedSimd, true);
  assert.equal(off.relaxedSimd, false);
  assert.throws(() => createWasmBackendSync({ relaxedSimd: 'on' as 'auto' }), /relaxedSimd/);
});

test('the relaxed-SIMD gemm agrees with the float64 reference within the float32 product bound', { skip: !supported && 'this engine has no relaxed SIMD' }, () => {
  const fast = createWasmBackendSync({ notice: quiet }) as WasmBackend;
  const rng = new Rng(11);
  const shapes: [number, number, number][] = [[1, 1, 1], [6, 8, 3], [7, 9, 65], [64, 256, 64], [32, 1030, 257], [97, 65, 300]];
  for (const [m, n, k] of shapes) for (const transA of [false, true]) for (const transB of [false, true]) {
    const [aRows, aCols] = transA ? [k, m] : [m, k];
    const [bRows, bCols] = transB ? [n, k] : [k, n];
    const a = fast.alloc(aRows * aCols), b = fast.alloc(bRows * bCols), c = fast.alloc(m * n);
    for (const x of [a, b, c]) for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
    const A = Float64Array.from(a), B = Float64Array.from(b), C = Float64Array.from(c);
    const bound = C.map(Math.abs);
    ref.gemm(transA, transB, m, n, k, 1.5, A.map(Math.abs), 0, aCols, B.map(Math.abs), 0, bCols, 0.5, bound, 0, n);
    fast.gemm(transA, transB, m, n, k, -1.5, a, 0, aCols, b, 0, bCols, 0.5, c, 0, n);
    ref.gemm(transA, transB, m, n, k, -1.5, A, 0, aCols, B, 0, bCols, 0.5, C, 0, n);
    const gamma = (k + 3) * 2 * U;
    for (let i = 0; i < C.length; i++) {
      const err = Math.abs(c[i] - C[i]);
      assert.ok(err <= gamma * bound[i] + 1e-30, `gemm(${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}, ${m}×${n}×${k})[${i}]: ${c[i]} vs ${C[i]}`);
    }
  }
});

test('the relaxed-SIMD exp, sigmoid and tanh (fused polynomial steps) agree with the reference: LSTM pointwise and activations', { skip: !supported && 'this engine has no relaxed SIMD' }, () => {
  const fast = createWasmBackendSync({ notice: quiet }) as WasmBackend;
  const rng = new Rng(12);
  const fill = (n: number, lo: number, hi: number): [Float32Array, Float64Array] => {
    const f = fast.alloc(n) as Float32Array;
    for (let i = 0; i < n; i++) f[i] = rng.uniform(lo, hi);
    return [f, Float64Array.from(f)];
  };
  const close = (got: Float32Array, want: Float64Array, what: string) => {
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 2e-6 * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  };
  for (const H of [1, 5, 64]) {
    const rows = 3;
    const [gates, G] = fill(rows * 4 * H, -6, 6);
    const [cPrev, CP] = fill(rows * H, -1, 1);
    const [h, Hh] = fill(rows * H, 0, 0);
    const [c, C] = fill(rows * H, 0, 0);
    fast.lstmPointwiseForward(rows, H, gates, 0, 4 * H, cPrev, 0, H, h, 0, H, c, 0, H);
    ref.lstmPointwiseForward(rows, H, G, 0, 4 * H, CP, 0, H, Hh, 0, H, C, 0, H);
    close(gates, G, `gates H=${H}`);
    close(c, C, `c H=${H}`);
    close(h, Hh, `h H=${H}`);
  }
  for (const act of ['tanh', 'sigmoid'] as const) {
    const [x, X] = fill(1000, -12, 12);
    const y = fast.alloc(1000) as Float32Array, Y = new Float64Array(1000);
    fast.activate(act, 1, 1000, x, 0, 1000, y, 0, 1000);
    ref.activate(act, 1, 1000, X, 0, 1000, Y, 0, 1000);
    close(y, Y, act);
  }
});

test('the relaxed-SIMD GRU reset-before kernels (sigmoid and tanh with fused polynomial steps) agree with the reference', { skip: !supported && 'this engine has no relaxed SIMD' }, () => {
  const fast = createWasmBackendSync({ notice: quiet }) as WasmBackend;
  assert.equal(fast.relaxedSimd, true);
  const rng = new Rng(13);
  const fill = (n: number, lim: number): [Float32Array, Float64Array] => {
    const f = fast.alloc(n) as Float32Array;
    for (let i = 0; i < n; i++) f[i] = rng.uniform(-lim, lim);
    return [f, Float64Array.from(f)];
  };
  const close = (got: Float32Array, want: Float64Array, what: string) => {
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 2e-6 * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  };
  for (const H of [1, 5, 64, 65]) {
    const rows = 3, G = 3 * H;
    // Forward: r and r ⊙ hPrev, then z, n and h (gx in pre-activations, as a step gives them).
    const [gx, GX] = fill(rows * G, 6);
    const [gh, GH] = fill(rows * G, 6);
    const [hPrev, HP] = fill(rows * H, 1);
    const [rh, RH] = fill(rows * H, 1);
    const [h, Hh] = fill(rows * H, 1);
    fast.gruResetGateForward(rows, H, gx, 0, G, gh, 0, G, hPrev, 0, H, rh, 0, H);
    ref.gruResetGateForward(rows, H, GX, 0, G, GH, 0, G, HP, 0, H, RH, 0, H);
    close(gx, GX, `gruResetGateForward gx H=${H}`);
    close(rh, RH, `gruResetGateForward rh H=${H}`);
    fast.gruResetBeforeForward(rows, H, gx, 0, G, gh, 0, G, hPrev, 0, H, h, 0, H);
    ref.gruResetBeforeForward(rows, H, GX, 0, G, GH, 0, G, HP, 0, H, Hh, 0, H);
    close(gx, GX, `gruResetBeforeForward gx H=${H}`);
    close(h, Hh, `gruResetBeforeForward h H=${H}`);
    // Backward from the fast activations, given to both.
    const A = Float64Array.from(gx);
    const [dh, DH] = fill(rows * H, 1);
    const [dRh, DRH] = fill(rows * H, 1);
    const [dGx, DGX] = fill(rows * G, 1);
    const [dGh, DGH] = fill(rows * G, 1);
    const [dhPrev, DHP] = fill(rows * H, 1);
    fast.gruResetBeforeBackward(rows, H, gx, 0, G, hPrev, 0, H, dh, 0, H, dGx, 0, G, dGh, 0, G, dhPrev, 0, H);
    ref.gruResetBeforeBackward(rows, H, A, 0, G, HP, 0, H, DH, 0, H, DGX, 0, G, DGH, 0, G, DHP, 0, H);
    fast.gruResetGateBackward(rows, H, gx, 0, G, hPrev, 0, H, dRh, 0, H, dGx, 0, G, dGh, 0, G, dhPrev, 0, H);
    ref.gruResetGateBackward(rows, H, A, 0, G, HP, 0, H, DRH, 0, H, DGX, 0, G, DGH, 0, G, DHP, 0, H);
    close(dGx, DGX, `GRU reset-before backward dGx H=${H}`);
    close(dGh, DGH, `GRU reset-before backward dGh H=${H}`);
    close(dhPrev, DHP, `GRU reset-before backward dhPrev H=${H}`);
  }
});
