import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATLAND_SCENARIOS, statlandArithmetic, statlandModel, trainStatland } from './statland.js';
import { RNN } from '../train/model.js';
import { Trainer } from '../train/trainer.js';
import { toSequenceSet } from '../nn/sequences.js';
import { toTargetSet } from '../train/fit.js';
import { explain } from '../train/explain.js';
import { Rng } from '../util/rng.js';

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol;

test("the seeds' weights give tomorrow's value for the four StatLand scenarios", () => {
  const m = statlandModel();
  // Worked by hand from the seeds: e.g. (0, 0.5): ReLU(0·1.8)=0; ReLU(0.5·1.8 + 0·(−0.5)) = 0.9; 0.9·1.1 = 0.99.
  const expected = [0, 0.99, 0, 0.99];
  const got = (m.predict(STATLAND_SCENARIOS.map((s) => [s.yesterday, s.today])) as number[][]).map((r) => r[0]);
  got.forEach((v, i) => assert.ok(close(v, expected[i]), `scenario ${i}: ${v} vs ${expected[i]}`));
});

test('unrolling to 3 days works the same way (day before yesterday, yesterday, today)', () => {
  const m = statlandModel();
  const relu = (v: number): number => Math.max(0, v);
  for (const days of [[0, 0, 0.5], [1, 0.5, 1], [0.5, 1, 1], [0, 1, 0.5]]) {
    let h = 0;
    for (const d of days) h = relu(1.8 * d - 0.5 * h);
    const got = (m.predict([days.map((d) => [d])]) as number[][])[0][0];
    assert.ok(close(got, 1.1 * h), `${days}: ${got} vs ${1.1 * h}`);
  }
});

test('the step-by-step arithmetic reads like the seeds', () => {
  const { lines, predicted } = statlandArithmetic(statlandModel(), [0, 0.5]);
  assert.equal(lines[0], 'Yesterday 0 × 1.8 + 0.0 = 0 → ReLU → 0');
  assert.equal(lines[1], 'Today 0.5 × 1.8 + 0 × -0.5 (feedback) + 0.0 = 0.9 → ReLU → 0.9');
  assert.equal(lines[2], 'Output 0.9 × 1.1 + 0.0 = 0.99 → predicted value for tomorrow');
  assert.ok(close(predicted, 0.99));
});

test('from random initialisations, training learns the StatLand rules (≥ 9 of 10 seeds within 0.1)', () => {
  let learned = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const { model } = trainStatland({ seed });
    const pred = (model.predict(STATLAND_SCENARIOS.map((s) => [s.yesterday, s.today])) as number[][]).map((r) => r[0]);
    if (pred.every((p, i) => Math.abs(p - STATLAND_SCENARIOS[i].tomorrow) < 0.1)) learned++;
  }
  assert.ok(learned >= 9, `learned on ${learned} of 10 seeds`);
});

/** The seeds' simplest RNN: Predicted = Σ_k D_{-k} · W1 · W2^k (linear, no biases, output weight 1). */
function twoWeightModel(w1: number, w2: number): RNN {
  const m = new RNN({ inputSize: 1, hiddenSize: 1, activation: 'linear' });
  m.setWeights({ weight_ih_l0: [[w1]], weight_hh_l0: [[w2]], bias_ih_l0: [0], bias_hh_l0: [0], 'head.weight': [[1]], 'head.bias': [0] });
  return m;
}

test('dSSR/dW1 from BPTT equals the closed form Σ −2(Observed − Predicted) · Σ_k D_{−k} · W2^k for 1, 2, 3 and 21 days', () => {
  const rng = new Rng(8);
  const w1 = 0.7;
  const w2 = 0.5;
  for (const days of [1, 2, 3, 21]) {
    const m = twoWeightModel(w1, w2);
    // Three sequences (n = 3 in the SSR), values oldest first: D_{−(days−1)} … D_0.
    const seqs = Array.from({ length: 3 }, () => Array.from({ length: days }, () => rng.uniform(0, 1)));
    const observed = seqs.map(() => rng.uniform(0, 1));
    let closedForm = 0;
    for (let i = 0; i < seqs.length; i++) {
      let predicted = 0;
      let dPred = 0;
      for (let k = 0; k < days; k++) {
        const d = seqs[i][days - 1 - k]; // D_{−k}
        predicted += d * w1 * w2 ** k;
        dPred += d * w2 ** k;
      }
      closedForm += -2 * (observed[i] - predicted) * dPred;
    }
    const set = toSequenceSet(seqs, 1);
    const trainer = new Trainer(m, { loss: 'ssr' });
    trainer.evaluateBatch(set, toTargetSet(m, set, observed, false), [0, 1, 2], 0, 3, true);
    const p = m.store.find('weight_ih_l0')!;
    const bptt = m.store.grads[p.offset];
    assert.ok(Math.abs(bptt - closedForm) <= 1e-12 * Math.max(1, Math.abs(closedForm)), `${days} days: ${bptt} vs ${closedForm}`);
  }
});

test('the influence of the oldest of 21 inputs scales as W2^20: 0.5^20 (vanishing) and 2^20 (exploding)', () => {
  for (const w2 of [0.5, 2]) {
    const m = twoWeightModel(1, w2);
    const ex = explain(m, Array.from({ length: 21 }, () => [0.5]));
    const ratio = ex.sensitivity[0] / ex.sensitivity[20];
    assert.ok(Math.abs(ratio / w2 ** 20 - 1) < 1e-12, `W2 = ${w2}: ratio ${ratio} vs ${w2 ** 20}`);
  }
});

test('a trained model: every printed sum adds up at the printed precision (biases are not rounded to one decimal)', () => {
  const { model } = trainStatland({ seed: 1 });
  const biases = [model.getWeights().bias_ih_l0.data[0], model.getWeights()['head.bias'].data[0]];
  assert.ok(biases.some((b) => Math.abs(b * 10 - Math.round(b * 10)) > 1e-3), 'the trained biases are not multiples of 0.1, so the check can fail');
  for (const s of STATLAND_SCENARIOS) {
    for (const line of statlandArithmetic(model, [s.yesterday, s.today]).lines) {
      // "… a × b [+ c × d (feedback)] + bias = z …"
      const m = /(-?[\d.]+) × (-?[\d.]+)(?: \+ (-?[\d.]+) × (-?[\d.]+) \(feedback\))? \+ (-?[\d.]+) = (-?[\d.]+)/.exec(line);
      assert.ok(m, line);
      const [a, b, c, d, bias, z] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
      assert.ok(Math.abs(a * b + c * d + bias - z) < 1e-5, `${line}: ${a * b + c * d + bias} ≠ ${z}`);
    }
  }
});
