import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RNN } from './model.js';
import { Trainer } from './trainer.js';
import { toSequenceSet } from '../nn/sequences.js';
import { toTargetSet } from './fit.js';
import { UnrollError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import type { LossBatch } from './losses.js';

/** Sine-wave windows: predict the next value from 8 previous ones. */
function sineData(count: number, steps = 8): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < count; i++) {
    const w = Array.from({ length: steps + 1 }, (_, t) => Math.sin(0.3 * (i + t)));
    x.push(w.slice(0, steps));
    y.push(w[steps]);
  }
  return { x, y };
}

test('training an Elman RNN on a sine wave reduces the loss a lot (Adam)', () => {
  const { x, y } = sineData(64);
  const model = new RNN({ inputSize: 1, hiddenSize: 8, seed: 1 });
  const before = model.evaluate(x, y);
  const h = model.fit(x, y, { epochs: 60, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.02 } });
  const after = model.evaluate(x, y);
  assert.equal(h.epochs.length, 60);
  assert.ok(after < before / 20, `loss ${before} → ${after}`);
});

test('the same seed gives identical weights and losses; another seed differs', () => {
  const { x, y } = sineData(32);
  const run = (seed: number) => {
    const m = new RNN({ inputSize: 1, hiddenSize: 4, seed });
    const h = m.fit(x, y, { epochs: 5, batchSize: 8, seed });
    return { w: m.getWeights(), losses: h.epochs.map((e) => e.loss) };
  };
  assert.deepEqual(run(3), run(3));
  assert.notDeepEqual(run(3).losses, run(4).losses);
});

test('validation split takes the LAST part of the data (split by time), and early stopping restores the best weights', () => {
  const { x, y } = sineData(50);
  // Make the last 10 targets impossible to fit so validation loss rises while training loss falls.
  const yBad = y.map((v, i) => (i >= 40 ? -v * 3 : v));
  const model = new RNN({ inputSize: 1, hiddenSize: 6, seed: 2 });
  const seenVal: number[] = [];
  const h = model.fit(x, yBad, {
    epochs: 200, batchSize: 10, validationSplit: 0.2, optimizer: { type: 'adam', learningRate: 0.05 },
    earlyStopping: { patience: 5 }, onEpochEnd: (log) => seenVal.push(log.valLoss!),
  });
  assert.ok(h.stoppedEarly, 'should stop early');
  const best = Math.min(...seenVal);
  assert.equal(seenVal[h.bestEpoch - 1], best);
  // The restored weights give exactly the best validation loss, on the last 10 samples.
  const valLoss = model.evaluate(x.slice(40), yBad.slice(40));
  assert.ok(Math.abs(valLoss - best) < 1e-12, `${valLoss} vs ${best}`);
});

test('callbacks run per batch and per epoch; an AbortSignal stops training', () => {
  const { x, y } = sineData(20);
  const model = new RNN({ inputSize: 1, hiddenSize: 3 });
  const controller = new AbortController();
  let batches = 0;
  const h = model.fit(x, y, {
    epochs: 50, batchSize: 5,
    onBatchEnd: () => { batches++; },
    onEpochEnd: (log) => { if (log.epoch === 3) controller.abort(); },
    signal: controller.signal,
  });
  assert.equal(h.epochs.length, 3);
  assert.equal(batches, 12);
  assert.equal(h.aborted, true);
});

test('a diverging run stops with a clear error and keeps the last good weights', () => {
  const { x, y } = sineData(16);
  const model = new RNN({ inputSize: 1, hiddenSize: 4, activation: 'relu', seed: 5 });
  let lastGood: Record<string, { data: number[] }> | null = null;
  let err: unknown = null;
  try {
    model.fit(x, y.map((v) => v * 1e6), {
      epochs: 100, batchSize: 16, loss: 'ssr', optimizer: { type: 'sgd', learningRate: 10 },
      onBatchEnd: () => { lastGood = model.getWeights(); },
    });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof UnrollError, 'expected an UnrollError');
  assert.equal((err as UnrollError).code, 'diverged');
  // Either check may fire first: the relative one (the loss exploded) or the non-finite one.
  assert.match((err as Error).message, /training diverged.*(last good weights are kept|times the .* it started from)/);
  const w = model.getWeights();
  for (const name of Object.keys(w)) for (const v of w[name].data) assert.ok(Number.isFinite(v), `${name} is finite`);
  assert.ok(lastGood, 'at least one good step happened');
  assert.deepEqual(w, lastGood);
});

test('gradient clipping by global norm and by value bounds the update', () => {
  const { x, y } = sineData(8);
  for (const clip of [{ globalNorm: 0.01 }, { value: 0.001 }]) {
    const model = new RNN({ inputSize: 1, hiddenSize: 4, seed: 1 });
    const before = Float64Array.from(model.store.values);
    const trainer = new Trainer(model, { loss: 'ssr', optimizer: { type: 'sgd', learningRate: 1 }, clip });
    const set = toSequenceSet(x, 1);
    trainer.step(set, toTargetSet(model, set, y.map((v) => v * 100), false), Int32Array.from({ length: 8 }, (_, i) => i), 0, 8);
    assert.ok(trainer.lastGradNorm > 1, 'the raw gradient is large');
    let sq = 0;
    let maxAbs = 0;
    for (let i = 0; i < before.length; i++) {
      const d = before[i] - model.store.values[i];
      sq += d * d;
      maxAbs = Math.max(maxAbs, Math.abs(d));
    }
    if ('globalNorm' in clip) assert.ok(Math.abs(Math.sqrt(sq) - 0.01) < 1e-12, `update norm ${Math.sqrt(sq)}`);
    else assert.ok(Math.abs(maxAbs - 0.001) < 1e-15, `largest update ${maxAbs}`);
  }
});

test('a custom loss over the whole output sequence (not a sum over steps) trains through BPTT', () => {
  // Loss = (Σ_t y_t − target)²: the divergence of the whole sequence, as CMU 11-785 allows.
  const sequenceSumLoss = {
    name: 'sequence-sum',
    compute(b: LossBatch): number {
      // rows are time-major (t·B + b); batch size 1 here, so every valid row belongs to sample 0.
      let sum = 0;
      for (let r = 0; r < b.rows; r++) if (b.mask[r]) sum += b.y[r];
      const target = 2;
      for (let r = 0; r < b.rows; r++) b.dy[r] = b.mask[r] ? 2 * (sum - target) : 0;
      return (sum - target) ** 2;
    },
  };
  const model = new RNN({ inputSize: 1, hiddenSize: 3, outputMode: 'sequence', seed: 3 });
  const x = [[0.1, 0.2, 0.3, 0.4]];
  const dummy = [[0, 0, 0, 0]];
  model.fit(x, dummy, { epochs: 300, batchSize: 1, loss: sequenceSumLoss, optimizer: { type: 'adam', learningRate: 0.02 } });
  const y = (model.predict(x) as number[][][])[0].map((v) => v[0]);
  const total = y.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 2) < 1e-3, `sum of outputs ${total}`);
});

test('sequence classification ("invest or not") with softmax cross-entropy learns a rising-vs-falling rule', () => {
  const rng = new Rng(9);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 80; i++) {
    const up = rng.next() < 0.5;
    let p = rng.uniform(0.3, 0.7);
    const seq = [p];
    const len = 3 + rng.int(6); // variable lengths, 3..8
    for (let t = 1; t < len; t++) { p += (up ? 0.05 : -0.05) + rng.uniform(-0.02, 0.02); seq.push(p); }
    x.push(seq);
    y.push(up ? 1 : 0);
  }
  const model = new RNN({ inputSize: 1, hiddenSize: 6, outputSize: 2, seed: 1 });
  model.fit(x, y, { epochs: 80, batchSize: 16, loss: 'crossEntropy', optimizer: { type: 'adam', learningRate: 0.03 } });
  const logits = model.predict(x) as number[][];
  const correct = logits.filter((l, i) => (l[1] > l[0] ? 1 : 0) === y[i]).length;
  assert.ok(correct / x.length > 0.95, `accuracy ${correct / x.length}`);
});

test('bad training options give clear errors naming the option', () => {
  const model = new RNN({ inputSize: 1, hiddenSize: 2 });
  const x = [[1, 2]];
  const y = [1];
  const cases: [object, RegExp][] = [
    [{ epochs: 0 }, /option "epochs" is 0; expected a positive integer/],
    [{ batchSize: 1.5 }, /option "batchSize" is 1.5/],
    [{ validationSplit: 1 }, /option "validationSplit" is 1; expected a number in \[0, 1\)/],
    [{ loss: 'hinge' }, /option "loss" is "hinge"; expected one of ssr, mse, crossEntropy/],
    [{ optimizer: { type: 'adam', learningRate: -1 } }, /option "optimizer.learningRate" is -1/],
    [{ optimizer: { type: 'adagrad' } as never }, /option "optimizer.type" is "adagrad"; expected one of 'sgd', 'adam', 'adamw', 'rmsprop'/],
    [{ clip: { globalNorm: 0 } }, /option "clip.globalNorm" is 0; expected a positive number/],
    [{ validationSplit: 0.5 }, /validationSplit.*at least 1 sample on each side/],
  ];
  for (const [options, re] of cases) assert.throws(() => model.fit(x, y, options as never), (e: unknown) => e instanceof UnrollError && re.test((e as Error).message));
  assert.throws(() => model.fit(x, [[1, 2]]), /y\[0\]: got 2 numbers, expected outputSize = 1/);
  assert.throws(() => model.fit(x, [1, 2]), /y: got 2 targets for 1 input sequences/);
  assert.throws(() => new RNN({ inputSize: 1, hiddenSize: 2, outputSize: 3 }).fit(x, [5], { loss: 'crossEntropy' }), /class labels must be integers in \[0, 2\]/);
});

test('with variable lengths in many-to-many mode, the validation loss is the mean over every valid step (batches weigh by steps, not samples)', () => {
  const rng = new Rng(4);
  const lengths = [9, 1, 1, 1, 8, 2];
  const x = lengths.map((L) => Array.from({ length: L }, () => rng.uniform(-1, 1)));
  const y = lengths.map((L) => Array.from({ length: L }, () => rng.uniform(-1, 1)));
  const model = new RNN({ inputSize: 1, hiddenSize: 3, outputMode: 'sequence', seed: 2 });
  // Independent: the squared error of every valid step, averaged over all of them.
  const pred = model.predict(x) as number[][][];
  let sq = 0;
  let count = 0;
  pred.forEach((seq, n) => seq.forEach((v, t) => { sq += (v[0] - y[n][t]) ** 2; count++; }));
  for (const batchSize of [1, 2, 4, 6]) {
    const got = model.evaluate(x, y, { loss: 'mse', batchSize });
    assert.ok(Math.abs(got - sq / count) < 1e-12, `batch ${batchSize}: ${got} vs ${sq / count}`);
  }
});

test('an AbortSignal raised during an epoch stops training before the next batch', () => {
  const { x, y } = sineData(40);
  const model = new RNN({ inputSize: 1, hiddenSize: 3 });
  const controller = new AbortController();
  let batches = 0;
  const h = model.fit(x, y, { epochs: 5, batchSize: 5, signal: controller.signal, onBatchEnd: (i) => { batches++; if (i.batch === 3) controller.abort(); } });
  assert.equal(batches, 3);
  assert.equal(h.aborted, true);
  assert.equal(h.epochs.length, 0);
});
