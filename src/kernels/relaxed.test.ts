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
