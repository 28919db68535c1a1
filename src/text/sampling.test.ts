import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSampling, sampleToken, softmax } from './sampling.js';
import { Rng } from '../util/rng.js';
import { close, throwsWith } from '../data/test-helpers.js';

const logits = [1, 3, 0, 2];

test('softmax with temperature by hand, excluded entries get 0', () => {
  const z = Math.exp(1) + Math.exp(3) + 1 + Math.exp(2);
  close(softmax(logits), [Math.exp(1) / z, Math.exp(3) / z, 1 / z, Math.exp(2) / z]);
  const z2 = Math.exp(0.5) + Math.exp(1.5) + 1 + Math.exp(1);
  close(softmax(logits, 2), [Math.exp(0.5) / z2, Math.exp(1.5) / z2, 1 / z2, Math.exp(1) / z2]);
  const p = softmax(logits, 1, new Set([1]));
  assert.equal(p[1], 0);
  close(p[0] + p[2] + p[3], 1);
});

test('greedy takes the argmax, skipping excluded tokens', () => {
  const o = checkSampling({ temperature: 0 });
  assert.equal(sampleToken(logits, o, new Rng(1)), 1);
  assert.equal(sampleToken(logits, o, new Rng(1), new Set([1])), 3);
});

test('draw frequencies match the softmax (20000 draws, within 4 standard errors)', () => {
  const rng = new Rng(5);
  const o = checkSampling({ temperature: 1 });
  const n = 20000;
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) counts[sampleToken(logits, o, rng)]++;
  const p = softmax(logits);
  for (let k = 0; k < 4; k++) {
    const se = Math.sqrt((p[k] * (1 - p[k])) / n);
    assert.ok(Math.abs(counts[k] / n - p[k]) < 4 * se, `token ${k}: ${counts[k] / n} vs ${p[k]}`);
  }
});

test('top-k draws only among the k most probable; the same seed gives the same draws', () => {
  const o = checkSampling({ temperature: 1.5, topK: 2 });
  const a = Array.from({ length: 500 }, ((r) => () => sampleToken(logits, o, r))(new Rng(3)));
  const b = Array.from({ length: 500 }, ((r) => () => sampleToken(logits, o, r))(new Rng(3)));
  assert.deepEqual(a, b);
  assert.deepEqual([...new Set(a)].sort(), [1, 3]);
});

test('bad sampling options are named', () => {
  throwsWith(() => checkSampling({ temperature: -1 }), 'temperature');
  throwsWith(() => checkSampling({ topK: 1.5 }), 'topK');
});
