import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncoderDecoder } from './seq2seq.js';
import { toSequenceSet } from './sequences.js';
import { relativeError } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Seq2Seq } from '../train/model.js';
import { Trainer } from '../train/trainer.js';
import { Rng } from '../util/rng.js';
import { randomSequences, naiveLSTM } from './test-helpers.js';

for (const [cell, cellOptions] of [['lstm', {}], ['gru', {}], ['gru', { resetAfter: false }], ['elman', {}]] as const) {
  test(`encoder-decoder ${cell} ${JSON.stringify(cellOptions)} (2 layers, variable input and output lengths): BPTT through the hand-over equals finite differences for all parameters and inputs`, () => {
    const rng = new Rng(101);
    const D = 2, O = 2;
    const ed = new EncoderDecoder({ cell, cellOptions, inputSize: D, outputSize: O, hiddenSize: 3, numLayers: 2, seed: 5 });
    const x = randomSequences(rng, [4, 2, 3], D);
    const y = randomSequences(rng, [3, 1, 2], O);
    const xSet = toSequenceSet(x, D);
    const decSet = toSequenceSet(EncoderDecoder.teacherInputs(y), O);
    const targets = toTargetSet(ed.decoder, decSet, y, false);
    const trainer = new Trainer(ed.decoder, { loss: 'ssr' });
    const order = [0, 1, 2];
    const lossAt = (): number => { ed.encode(xSet, order, 0, 3); const l = trainer.evaluateBatch(decSet, targets, order, 0, 3, false); ed.release(); return l; };
    ed.encode(xSet, order, 0, 3);
    trainer.evaluateBatch(decSet, targets, order, 0, 3, true);
    ed.backend.fill(ed.encoderStore.count, 0, ed.encoderStore.grads, 0);
    ed.backwardEncoder({ inputGradient: true });
    ed.release();
    const dx = Float64Array.from(ed.dx.subarray(0, 4 * 3 * D));
    // eps = 1e-4: with 1e-5 the rounding noise of the summed loss (~1e-10) reaches 1e-6 relative on the smallest gradients.
    const eps = 1e-4;
    let worst = 0, where = '', maxGrad = 0;
    for (const [label, store] of [['encoder', ed.encoderStore], ['decoder', ed.decoder.store]] as const) {
      const grads = Float64Array.from(store.grads);
      for (let i = 0; i < store.count; i++) {
        const old = store.values[i];
        store.values[i] = old + eps; const up = lossAt();
        store.values[i] = old - eps; const down = lossAt();
        store.values[i] = old;
        const e = relativeError(grads[i], (up - down) / (2 * eps));
        maxGrad = Math.max(maxGrad, Math.abs(grads[i]));
        if (e > worst) { worst = e; where = `${label}[${i}]`; }
      }
    }
    assert.ok(maxGrad > 1e-3);
    assert.ok(worst < 1e-6, `parameter gradient error ${worst} at ${where}`);
    // inputs of the encoder (time-major dx: row t·B + n)
    let worstX = 0;
    x.forEach((seq, n) => seq.forEach((_, t) => { for (let d = 0; d < D; d++) {
      const j = (n * xSet.maxSteps + t) * D + d;
      const old = xSet.data[j];
      xSet.data[j] = old + eps; const up = lossAt();
      xSet.data[j] = old - eps; const down = lossAt();
      xSet.data[j] = old;
      worstX = Math.max(worstX, relativeError(dx[(t * 3 + n) * D + d], (up - down) / (2 * eps)));
    } }));
    assert.ok(worstX < 1e-6, `input gradient error ${worstX}`);
  });
}

test('encoder-decoder forward: the decoder starts from the encoder\'s final state; free running feeds back its own outputs', () => {
  const rng = new Rng(103);
  const ed = new EncoderDecoder({ cell: 'lstm', inputSize: 2, outputSize: 1, hiddenSize: 3, seed: 2 });
  const x = randomSequences(rng, [5], 2);
  const got = ed.predict(x, { steps: 4 })[0];
  const W = ed.getWeights();
  const strip = (prefix: string) => Object.fromEntries(Object.entries(W).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  const enc = naiveLSTM(strip('encoder.'), '_l0', 2, 3, x[0]);
  const dec = strip('decoder.');
  let h = enc.hs[enc.hs.length - 1], c = enc.c, input = [0];
  for (let t = 0; t < 4; t++) {
    const r = naiveLSTM(dec, '_l0', 1, 3, [input], h, c);
    h = r.hs[0]; c = r.c;
    const yt = dec['head.bias'].data[0] + h.reduce((s, v, j) => s + v * dec['head.weight'].data[j], 0);
    assert.ok(Math.abs(got[t][0] - yt) < 1e-12, `step ${t}: ${got[t][0]} vs ${yt}`);
    input = [yt];
  }
});

test('Seq2Seq learns to reverse a short sequence (teacher forcing in training, free running at inference)', () => {
  const rng = new Rng(107);
  const make = (n: number) => Array.from({ length: n }, () => Array.from({ length: 3 }, () => [rng.uniform(-1, 1)]));
  const x = make(64);
  const y = x.map((s) => [...s].reverse());
  const model = new Seq2Seq({ cell: 'gru', inputSize: 1, outputSize: 1, hiddenSize: 16, seed: 3 });
  const before = model.predict(x.slice(0, 8), { steps: 3 });
  const { losses } = model.fit(x, y, { epochs: 150, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.02 } });
  const after = model.predict(x.slice(0, 8), { steps: 3 });
  const err = (p: number[][][]) => p.reduce((s, seq, n) => s + seq.reduce((a, v, t) => a + (v[0] - y[n][t][0]) ** 2, 0), 0) / 24;
  assert.ok(losses[losses.length - 1] < losses[0] / 5, `training loss ${losses[0]} → ${losses[losses.length - 1]}`);
  assert.ok(err(after) < err(before) / 5, `free-running error ${err(before)} → ${err(after)}`);
});

test('bad encoder-decoder options give clear errors', () => {
  assert.throws(() => new EncoderDecoder({ cell: 'jordan', inputSize: 1, outputSize: 1, hiddenSize: 2 }), /option "cell" is "jordan"; expected one of elman, lstm, gru for an encoder-decoder/);
  assert.throws(() => new EncoderDecoder({ inputSize: 1, outputSize: 0, hiddenSize: 2 }), /option "outputSize" is 0; expected a positive integer/);
  const ed = new EncoderDecoder({ inputSize: 1, outputSize: 1, hiddenSize: 2 });
  assert.throws(() => ed.predict([[[1]]], { steps: 0 }), /option "steps" is 0; expected a positive integer/);
  assert.throws(() => ed.setWeights({ weight_ih_l0: [1] }), /must start with "encoder." or "decoder."/);
});
