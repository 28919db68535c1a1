import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enableRelaxedSimd } from './engine.js';
import { createWasmBackendSync, wasmRelaxedSimdSupported } from '../kernels/fast.js';

test('the command line turns relaxed SIMD on for its process (unless UNROLL_RELAXED_SIMD=0), so its backend uses the fused multiply-add kernels', () => {
  assert.equal(enableRelaxedSimd({ UNROLL_RELAXED_SIMD: '0' }), false);
  assert.equal(enableRelaxedSimd({}), true);
  assert.equal(wasmRelaxedSimdSupported(), true);
  assert.equal((createWasmBackendSync({ notice: () => {} }) as { relaxedSimd?: boolean }).relaxedSimd, true);
});
