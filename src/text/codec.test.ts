import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64ToBytes, bytesToBase64, decodeTensor, encodeTensor } from './codec.js';
import { throwsWith } from '../data/test-helpers.js';

test('base64 agrees with Node\'s Buffer for every length mod 3', () => {
  for (const n of [0, 1, 2, 3, 4, 5, 100, 9001]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
    const b64 = bytesToBase64(bytes);
    assert.equal(b64, Buffer.from(bytes).toString('base64'));
    assert.deepEqual(base64ToBytes(b64, 'x'), bytes);
  }
});

test('tensors round-trip bit-exactly in float64 and float32', () => {
  const data = [0, -0.1, Math.PI, 1e-300, -123456.789, 2 ** -20];
  assert.deepEqual(Array.from(decodeTensor(encodeTensor([2, 3], data, 'float64'), 'w').data), data);
  const f32 = Array.from(Float32Array.from(data));
  const back = decodeTensor(JSON.parse(JSON.stringify(encodeTensor([6], data, 'float32'))), 'w');
  assert.deepEqual(back.shape, [6]);
  assert.deepEqual(Array.from(back.data), f32);
});

test('malformed tensors are refused with the weight named', () => {
  throwsWith(() => decodeTensor({ shape: [2], dtype: 'float16', base64: '' }, 'weight "a"'), 'weight "a"', 'dtype');
  throwsWith(() => decodeTensor({ shape: [3], dtype: 'float32', base64: encodeTensor([2], [1, 2], 'float32').base64 }, 'w'), 'holds 2 numbers', 'needs 3');
  throwsWith(() => base64ToBytes('ab$d', 'w'), 'bad character');
  throwsWith(() => base64ToBytes('abc', 'w'), 'multiple of 4');
});
