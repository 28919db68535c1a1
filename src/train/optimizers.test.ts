import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { referenceBackend } from '../kernels/index.js';
import { createOptimizer, type OptimizerOptions } from './optimizers.js';
import { RNN } from './model.js';
import { UnrollError } from '../util/errors.js';

/** PyTorch 1.13's own steps (float64), made by fixtures/torch-optim.py. */
const FIXTURE = JSON.parse(readFileSync(new URL('../../src/train/fixtures/torch-optim.json', import.meta.url), 'utf8')) as {
  provenance: string; p0: number[]; grads: number[][];
  optimizers: { name: string; options: OptimizerOptions; after: number[][] }[];
};

for (const c of FIXTURE.optimizers) {
  test(`optimizer ${c.name}: every step equals torch.optim (float64, ${FIXTURE.grads.length} steps)`, () => {
    const k = referenceBackend();
    const n = FIXTURE.p0.length;
    const opt = createOptimizer(k, n, c.options);
    const p = Float64Array.from(FIXTURE.p0);
    FIXTURE.grads.forEach((g, s) => {
      opt.step(p, Float64Array.from(g));
      for (let i = 0; i < n; i++) {
        const want = c.after[s][i];
        assert.ok(Math.abs(p[i] - want) <= 1e-13 * Math.max(1, Math.abs(want)), `${c.name} step ${s + 1} p[${i}] = ${p[i]}, torch ${want}`);
      }
    });
    // The check is not vacuous: the parameters moved.
    assert.ok(p.some((v, i) => Math.abs(v - FIXTURE.p0[i]) > 1e-4));
  });
}

test("'adamw' and 'rmsprop' are accepted by name in fit; unknown optimizer keys are refused with the known ones", () => {
  const x = [[[0.1], [0.2]], [[0.3], [0.1]], [[0.5], [0.4]]];
  const y = [[0.3], [0.4], [0.9]];
  for (const optimizer of ['adamw', 'rmsprop'] as const) {
    const m = new RNN({ inputSize: 1, hiddenSize: 3, seed: 2 });
    const before = m.evaluate(x, y);
    m.fit(x, y, { epochs: 30, batchSize: 3, optimizer });
    assert.ok(m.evaluate(x, y) < before, optimizer);
  }
  const m = new RNN({ inputSize: 1, hiddenSize: 2 });
  assert.throws(() => m.fit(x, y, { epochs: 1, optimizer: { type: 'adamw', lr: 0.1 } as never }),
    (e: unknown) => e instanceof UnrollError && /unknown option "optimizer.lr"; known: type, learningRate, beta1, beta2, epsilon, weightDecay/.test((e as Error).message));
  assert.throws(() => m.fit(x, y, { epochs: 1, optimizer: { type: 'rmsprop', centered: 1 } as never }),
    (e: unknown) => e instanceof UnrollError && /option "optimizer.centered" is 1; expected true or false/.test((e as Error).message));
  assert.throws(() => m.fit(x, y, { epochs: 1, optimizer: { type: 'sgd', weightDecay: 0.1 } as never }),
    (e: unknown) => e instanceof UnrollError && /unknown option "optimizer.weightDecay"/.test((e as Error).message));
});
