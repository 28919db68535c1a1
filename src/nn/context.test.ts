import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { analyticGradients, maxRelativeError, numericGradients, randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

test('Elman context network, full BPTT: it is the state-space RNN (same outputs and gradients as the Elman cell) and passes finite differences', () => {
  const rng = new Rng(41);
  const lengths = [5, 2, 4];
  const x = randomSequences(rng, lengths, 2);
  const y = randomTargets(rng, lengths, 1, true) as number[][][];
  const ctx = new Network({ cell: 'context', inputSize: 2, hiddenSize: 3, outputMode: 'sequence', learnInitialState: true, seed: 3 });
  randomizeInitialStates(ctx, rng);
  const elman = new Network({ cell: 'elman', inputSize: 2, hiddenSize: 3, outputMode: 'sequence', learnInitialState: true });
  elman.setWeights(ctx.getWeights());
  assert.deepEqual(ctx.predict(x), elman.predict(x));
  assert.deepEqual(analyticGradients(ctx, x, y), analyticGradients(elman, x, y));
  const set = toSequenceSet(x, 2);
  const r = gradCheck(ctx, set, toTargetSet(ctx, set, y, false), { loss: 'ssr' });
  assert.ok(r.maxParamError < 1e-6 && r.maxInputError < 1e-6, `${r.maxParamError} at ${r.worstParam}; inputs ${r.maxInputError}`);
});

for (const outputMode of ['sequence', 'last'] as const) {
  test(`Elman context network, seed training (${outputMode}): T independent 1-step nets — the gradient equals finite differences of a feed-forward net on (x_t, c_t = h_{t−1}) with the context held fixed`, () => {
    const rng = new Rng(43);
    const lengths = [4, 2, 3];
    const D = 2, H = 3;
    const x = randomSequences(rng, lengths, D);
    const y = randomTargets(rng, lengths, 1, outputMode === 'sequence');
    const model = new Network({ cell: 'context', cellOptions: { trainingMode: 'seed' }, inputSize: D, hiddenSize: H, outputMode, seed: 5 });
    const W0 = model.getWeights();
    // The context values of the unperturbed forward pass, written from the equations (they equal the model's states).
    const hiddenRun = (w: Record<string, number[]>, seq: number[][], ctx: number[][] | null): number[][] => {
      const hs: number[][] = [];
      let prev = new Array(H).fill(0);
      seq.forEach((xt, t) => {
        const c = ctx ? ctx[t] : prev;
        const h = Array.from({ length: H }, (_, i) => {
          let z = w.bias_ih_l0[i] + w.bias_hh_l0[i];
          for (let d = 0; d < D; d++) z += w.weight_ih_l0[i * D + d] * xt[d];
          for (let j = 0; j < H; j++) z += w.weight_hh_l0[i * H + j] * c[j];
          return Math.tanh(z);
        });
        hs.push(h);
        prev = h;
      });
      return hs;
    };
    const plain: Record<string, number[]> = Object.fromEntries(Object.entries(W0).map(([k, v]) => [k, v.data]));
    const contexts = x.map((seq) => { const hs = hiddenRun(plain, seq, null); return seq.map((_, t) => (t === 0 ? new Array(H).fill(0) : hs[t - 1])); });
    const loss = (w: Record<string, number[]>): number => {
      let s = 0;
      x.forEach((seq, n) => {
        const hs = hiddenRun(w, seq, contexts[n]);
        const out = (h: number[]) => w['head.bias'][0] + h.reduce((a, v, j) => a + v * w['head.weight'][j], 0);
        if (outputMode === 'sequence') hs.forEach((h, t) => { s += (out(h) - (y as number[][][])[n][t][0]) ** 2; });
        else s += (out(hs[hs.length - 1]) - (y as number[][])[n][0]) ** 2;
      });
      return s;
    };
    const e = maxRelativeError(analyticGradients(model, x, y), numericGradients(loss, W0));
    assert.ok(e.error < 1e-6, `seed-mode gradient error ${e.error} at ${e.where}`);
    // … and it is not the full-BPTT gradient when more than one step is unrolled.
    const full = new Network({ cell: 'context', inputSize: D, hiddenSize: H, outputMode, seed: 5 });
    assert.ok(maxRelativeError(analyticGradients(full, x, y), analyticGradients(model, x, y)).error > 1e-3);
  });
}

test('bad context options give clear errors', () => {
  assert.throws(() => new Network({ cell: 'context', inputSize: 1, hiddenSize: 2, cellOptions: { trainingMode: 'tbptt' as 'seed' } }), /option "cellOptions.trainingMode" is "tbptt"; expected 'bptt' \(full BPTT\) or 'seed'/);
  assert.throws(() => new Network({ cell: 'lstm', inputSize: 1, hiddenSize: 2, cellOptions: { trainingMode: 'seed' } }), /option "cellOptions.trainingMode" cannot be honoured: it is an option of cell 'jordan' or 'context', not of cell 'lstm'/);
});
