import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GRU } from '../train/model.js';

const PKG = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; exports: Record<string, unknown> };

test("the gradient check is public: '<package>/testing' resolves through package.json exports and checks a model from plain arrays", async () => {
  assert.ok(PKG.exports['./testing'], 'package.json exports ./testing');
  const testing = await import(`${PKG.name}/testing`) as typeof import('./index.js');
  const model = new GRU({ inputSize: 2, hiddenSize: 3, outputMode: 'sequence', learnInitialState: true, seed: 4 });
  const x = [[[0.1, -0.3], [0.5, 0.2], [-0.4, 0.9]], [[0.7, 0.1]]];
  const y = [[[0.2], [0.1], [-0.3]], [[0.4]]];
  const r = testing.gradCheck(model, x, y, { loss: 'mse' });
  assert.ok(r.maxGrad > 1e-3, 'not vacuous');
  assert.ok(r.maxParamError < 1e-6, `${r.maxParamError} at ${r.worstParam}`);
  assert.ok(r.maxInputError < 1e-6, `${r.maxInputError}`);
  assert.equal(r.checked, model.parameterCount + 4 * 2);
});
