import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceBackend } from '../kernels/index.js';
import { Network } from '../nn/model.js';
import { toSequenceSet } from '../nn/sequences.js';
import { randomSequences } from '../nn/test-helpers.js';
import { gradCheck } from '../testing/gradcheck.js';
import { Rng } from '../util/rng.js';
import { toTargetSet } from './fit.js';
import { pinball, resolveLoss, type LossBatch } from './losses.js';
import { RNN } from './model.js';

function batch(y: number[], target: number[], size: number, mask?: number[]): LossBatch {
  const k = referenceBackend();
  const rows = y.length / size;
  return {
    backend: k, rows, size, y: Float64Array.from(y), dy: new Float64Array(y.length), target: Float64Array.from(target),
    classes: new Int32Array(rows), mask: Uint8Array.from(mask ?? new Array<number>(rows).fill(1)), probs: new Float64Array(y.length),
  };
}

test('pinball loss by hand: ρ_τ(u) = max(τu, (τ−1)u), mean over target numbers, dρ/dŷ = −τ or 1 − τ', () => {
  // τ = 0.9; u = 1 − 1.5 = −0.5 → (0.9 − 1)(−0.5) = 0.05; u = 2 − 1.5 = 0.5 → 0.9 · 0.5 = 0.45; mean 0.25.
  const b = batch([1.5, 1.5], [1, 2], 2);
  assert.ok(Math.abs(pinball([0.9]).compute(b) - 0.25) < 1e-15);
  assert.deepEqual(Array.from(b.dy), [(1 - 0.9) / 2, -0.9 / 2]);
  // τ = 0.5 is half the absolute error; the name 'pinball' resolves to it.
  const m = batch([0, 0, 0], [1, -3, 2], 1);
  assert.ok(Math.abs(resolveLoss('pinball').compute(m) - (0.5 * (1 + 3 + 2)) / 3) < 1e-15);
});

test('pinball loss with several quantiles: block q of each row is fitted at τ_q; masked rows count nothing', () => {
  // Two rows of K = 4 outputs: [τ=0.5 block (2 steps) | τ=0.1 block (2 steps)]; the second row is masked.
  const b = batch([0, 0, 0, 0, 9, 9, 9, 9], [1, -1, 1, -1, 0, 0, 0, 0], 4, [1, 0]);
  const v = pinball([0.5, 0.1]).compute(b);
  // τ=0.5: 0.5 + 0.5; τ=0.1: 0.1·1 + 0.9·1 → total 2, over 4 numbers.
  assert.ok(Math.abs(v - 0.5) < 1e-15);
  assert.deepEqual(Array.from(b.dy), [-0.5 / 4, 0.5 / 4, -0.1 / 4, 0.9 / 4, 0, 0, 0, 0]);
});

test('pinball loss: BPTT through an LSTM equals finite differences', () => {
  const rng = new Rng(4);
  const lengths = [5, 3, 4];
  const model = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 4, seed: 2 });
  const set = toSequenceSet(randomSequences(rng, lengths, 2), 2);
  // Targets far from the outputs, so no residual sits at the kink u = 0.
  const y = lengths.map(() => [5, -5, 6, -6]);
  const r = gradCheck(model, set, toTargetSet(model, set, y, false), { loss: pinball([0.5, 0.9]) });
  assert.ok(r.maxGrad > 1e-3);
  assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
  assert.ok(r.maxInputError < 1e-6);
});

test('a model trained with pinball loss at τ = 0.9 learns the 90% quantile of its targets', () => {
  // Inputs carry no information; the targets are 0, 1, …, 9 (repeated): the 0.9-quantile is 9 (any
  // value in [8, 9] minimises the empirical loss; the median loss would give 4.5).
  const x = Array.from({ length: 100 }, () => [[0]]);
  const y = Array.from({ length: 100 }, (_, i) => [i % 10]);
  const model = new RNN({ inputSize: 1, hiddenSize: 2, seed: 1 });
  model.fit(x, y, { epochs: 400, batchSize: 100, loss: pinball([0.9]), optimizer: { type: 'adam', learningRate: 0.05 } });
  const q = (model.predict([[[0]]]) as number[][])[0][0];
  assert.ok(q > 7.9 && q < 9.1, `0.9-quantile estimate ${q}`);
});

test("{ type: 'pinball', quantiles } is the same loss as pinball(quantiles), as plain data", () => {
  const a = batch([0, 0, 0, 0], [1, -1, 1, -1], 4), b = batch([0, 0, 0, 0], [1, -1, 1, -1], 4);
  assert.equal(resolveLoss({ type: 'pinball', quantiles: [0.5, 0.1] }).compute(a), pinball([0.5, 0.1]).compute(b));
  assert.deepEqual(Array.from(a.dy), Array.from(b.dy));
  assert.deepEqual(pinball([0.5, 0.1]).spec, { type: 'pinball', quantiles: [0.5, 0.1] });
  assert.throws(() => resolveLoss({ type: 'pinball', quantiles: [0.5], tau: 1 } as never), /option "loss.tau" is 1; expected no such option/);
});

test('bad pinball levels are refused naming the option', () => {
  assert.throws(() => pinball([]), /option "quantiles" is an array of length 0; expected a non-empty array/);
  assert.throws(() => pinball([0.5, 1]), /option "quantiles\[1\]" is 1; expected a level strictly between 0 and 1/);
  assert.throws(() => pinball([0.5, 0.9]).compute(batch([0, 0, 0], [0, 0, 0], 3)), /a count that divides the 3 outputs per row/);
});
