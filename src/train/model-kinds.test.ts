import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RNN, LSTM, GRU, SimpleRNN, Jordan, ElmanContext, TimeDelay, NARX, Seq2Seq, MODEL_CLASSES, modelFromJSON } from './model.js';
import { loadModel, saveModel } from './io.js';
import { UnrollError } from '../util/errors.js';
import { Rng } from '../util/rng.js';

/** Every weight replaced by a fresh random number, so a reload that ignored the weights would show. */
function randomize(model: { getWeights(): Record<string, { shape: number[]; data: number[] }>; setWeights(w: Record<string, unknown>): void }, seed: number): void {
  const rng = new Rng(seed);
  const w = model.getWeights();
  model.setWeights(Object.fromEntries(Object.entries(w).map(([k, v]) => [k, { shape: v.shape, data: v.data.map(() => rng.uniform(-0.6, 0.6)) }])));
}

const roundTrip = <T>(json: T): unknown => JSON.parse(JSON.stringify(json));

const seqs = (rng: Rng, lengths: number[], D: number): number[][][] =>
  lengths.map((L) => Array.from({ length: L }, () => Array.from({ length: D }, () => rng.uniform(-1, 1))));

const kinds: [string, typeof RNN, () => RNN, number][] = [
  ['RNN (2 layers, skips, learnable initial state)', RNN, () => new RNN({ inputSize: 2, hiddenSize: 4, numLayers: 2, inputToEveryLayer: true, everyLayerToHead: true, learnInitialState: true, activation: 'relu', seed: 3 }), 2],
  ['LSTM (bidirectional, sum merge, dropout, many-to-many)', LSTM, () => new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, mergeMode: 'sum', dropout: 0.25, outputMode: 'sequence', outputSize: 2 }), 2],
  ['GRU (reset gate before the product)', GRU, () => new GRU({ inputSize: 2, hiddenSize: 4, cellOptions: { resetAfter: false } }), 2],
  ['SimpleRNN', SimpleRNN, () => new SimpleRNN({ inputSize: 2, hiddenSize: 3, outputMode: 'sequence' }), 2],
  ['Jordan (α = 0.3, seed training)', Jordan, () => new Jordan({ inputSize: 2, hiddenSize: 4, outputSize: 2, alpha: 0.3, trainingMode: 'seed' }), 2],
  ['ElmanContext (full BPTT)', ElmanContext, () => new ElmanContext({ inputSize: 2, hiddenSize: 3, trainingMode: 'bptt' }), 2],
  ['TimeDelay (window 4)', TimeDelay, () => new TimeDelay({ inputSize: 2, hiddenSize: 3, window: 4, outputMode: 'sequence' }), 2],
  ['NARX (exogenous input, closed-loop training)', NARX, () => new NARX({ exogenousSize: 1, outputSize: 1, hiddenSize: 4, inputDelays: 1, outputDelays: 3, training: 'closed', seed: 5 }), 2],
];

for (const [label, cls, make, D] of kinds) {
  test(`${label}: toJSON → JSON text → fromJSON gives the same class, config and predictions`, () => {
    const model = make();
    randomize(model, 17);
    model.extra = { scaler: { mean: 1.5 } };
    const json = model.toJSON();
    assert.equal(json.class, cls.modelClass);
    const again = RNN.fromJSON(roundTrip(json));
    assert.equal(again.constructor, cls, `reloaded as ${again.constructor.name}`);
    assert.deepEqual(again.config, model.config);
    assert.deepEqual(again.getWeights(), model.getWeights());
    assert.deepEqual(again.extra, { scaler: { mean: 1.5 } });
    const x = seqs(new Rng(4), [5, 3, 6], D);
    assert.deepEqual(again.predict(x), model.predict(x));
    // The class's own reader accepts its files too, and the generic factory gives the same.
    assert.ok(cls.fromJSON(roundTrip(json)) instanceof cls);
    assert.equal(modelFromJSON(roundTrip(json)).constructor, cls);
  });
}

test('NARX: a reloaded model forecasts identically and trains the same way (its training loop is kept)', () => {
  const rng = new Rng(9);
  const model = new NARX({ exogenousSize: 1, hiddenSize: 4, inputDelays: 1, outputDelays: 2, training: 'closed', seed: 2 });
  randomize(model, 21);
  const again = RNN.fromJSON(roundTrip(model.toJSON())) as NARX;
  assert.ok(again instanceof NARX);
  assert.equal(again.exogenousSize, 1);
  assert.equal(again.trainingLoop, 'closed');
  const x = seqs(rng, [12], 1)[0];
  const y = x.map((v, t) => [Math.sin(t / 2) + 0.3 * v[0]]);
  const futureX = seqs(rng, [4], 1)[0];
  const f = model.forecast({ x, y, futureX, steps: 4 });
  assert.equal(f.length, 4);
  assert.deepEqual(again.forecast({ x, y, futureX, steps: 4 }), f);
  // Closed- and open-loop training differ, so equal histories show the loop survived the reload.
  const xs = seqs(rng, [8, 6], 1);
  const ys = xs.map((s) => s.map((v, t) => [0.5 * v[0] + 0.1 * t]));
  const h1 = model.fit(xs, ys, { epochs: 3, batchSize: 2 });
  const h2 = again.fit(xs, ys, { epochs: 3, batchSize: 2 });
  assert.deepEqual(h2.epochs.map((e) => e.loss), h1.epochs.map((e) => e.loss));
  assert.deepEqual(again.getWeights(), model.getWeights());
  const saved = roundTrip(model.toJSON()) as { config: { cellOptions: object } };
  const open = RNN.fromJSON({ ...saved, config: { ...saved.config, cellOptions: { ...saved.config.cellOptions, feedback: 'open' } } }) as NARX;
  assert.equal(open.trainingLoop, 'open');
  const closed = RNN.fromJSON(saved) as NARX;
  assert.notEqual(open.fit(xs, ys, { epochs: 1, batchSize: 2 }).epochs[0].loss, closed.fit(xs, ys, { epochs: 1, batchSize: 2 }).epochs[0].loss);
});

test('Seq2Seq: toJSON → fromJSON predicts identically (GRU with the reset gate before the product, 2 layers)', () => {
  const model = new Seq2Seq({ cell: 'gru', cellOptions: { resetAfter: false }, inputSize: 2, outputSize: 1, hiddenSize: 3, numLayers: 2, seed: 4 });
  randomize(model, 33);
  model.extra = { note: 'kept' };
  const json = model.toJSON();
  assert.equal(json.class, 'Seq2Seq');
  assert.equal(json.version, 1);
  const again = Seq2Seq.fromJSON(roundTrip(json));
  assert.ok(again instanceof Seq2Seq);
  assert.deepEqual(again.config, model.config);
  assert.deepEqual(again.extra, { note: 'kept' });
  const x = seqs(new Rng(6), [4, 2, 5], 2);
  assert.deepEqual(again.predict(x, { steps: 3 }), model.predict(x, { steps: 3 }));
  assert.ok(modelFromJSON(roundTrip(json)) instanceof Seq2Seq);
  // The reset-before cell really was rebuilt: the same weights in a default GRU predict otherwise.
  const other = new Seq2Seq({ cell: 'gru', inputSize: 2, outputSize: 1, hiddenSize: 3, numLayers: 2 });
  other.setWeights(model.getWeights());
  assert.notDeepEqual(other.predict(x, { steps: 3 }), model.predict(x, { steps: 3 }));
});

test('saveModel → loadModel rebuilds the class the file names (NARX keeps forecast)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-kinds-'));
  const path = join(dir, 'narx.json');
  const model = new NARX({ hiddenSize: 3, outputDelays: 2, inputDelays: 0 });
  randomize(model, 3);
  saveModel(model, path);
  const again = loadModel(path);
  assert.ok(again instanceof NARX);
  const y = [0.1, 0.4, 0.2, 0.5];
  assert.deepEqual((again as NARX).forecast({ y, steps: 3 }), model.forecast({ y, steps: 3 }));
});

test('model files: an unknown class, a class that does not fit its config or the wrong reader give clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-kinds-'));
  const path = join(dir, 'm.json');
  const lstm = new LSTM({ inputSize: 1, hiddenSize: 2 });
  const fails = (fn: () => unknown, re: RegExp): void => {
    assert.throws(fn, (e: unknown) => e instanceof UnrollError && re.test(e.message), `expected ${re}`);
  };
  writeFileSync(path, JSON.stringify({ ...lstm.toJSON(), class: 'Transformer' }));
  fails(() => loadModel(path), new RegExp(`model file ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: unknown model class "Transformer"; this unroll knows ${MODEL_CLASSES.join(', ')}`));
  fails(() => RNN.fromJSON({ ...lstm.toJSON(), class: 42 }), /unknown model class 42/);
  fails(() => RNN.fromJSON({ ...lstm.toJSON(), config: { ...lstm.config, cell: 'gru', cellOptions: { resetAfter: true } } }), /"config.cell" is "gru", but class LSTM has "lstm"; the config does not fit the class/);
  fails(() => NARX.fromJSON(roundTrip(lstm.toJSON())), /holds a model of class LSTM, not NARX; load it with LSTM.fromJSON or RNN.fromJSON/);
  const s2s = new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 2 });
  fails(() => RNN.fromJSON(roundTrip(s2s.toJSON())), /holds a model of class Seq2Seq .*load it with Seq2Seq.fromJSON/);
  fails(() => Seq2Seq.fromJSON(roundTrip(lstm.toJSON())), /holds a model of class LSTM, not Seq2Seq/);
  fails(() => Seq2Seq.fromJSON({ ...roundTrip(s2s.toJSON()) as object, version: 2 }), /format version 2 is not supported; this unroll reads version 1/);
  fails(() => Seq2Seq.fromJSON({ ...roundTrip(s2s.toJSON()) as object, config: { ...s2s.config, dropout: 0.5 } }, { source: 's.json' }), /model file s.json: Seq2Seq: "config.dropout" cannot be honoured: an encoder-decoder has no dropout/);
  const badWeights = roundTrip(s2s.toJSON()) as { weights: Record<string, unknown> };
  delete badWeights.weights['decoder.head.bias'];
  fails(() => Seq2Seq.fromJSON(badWeights), /parameter "head.bias" .* is missing/);
  fails(() => RNN.fromJSON({ ...lstm.toJSON(), extra: [1] }), /"extra" section must be an object/);
});

test('version-1 files written before the "class" field load as plain RNN models', () => {
  const m = new RNN({ cell: 'gru', inputSize: 2, hiddenSize: 3 });
  const { class: _cls, ...old } = m.toJSON();
  // Old GRU files have no resetAfter either: it defaults to the PyTorch GRU they were made with.
  const oldJson = { ...old, config: { ...old.config, cellOptions: {} } };
  const again = RNN.fromJSON(roundTrip(oldJson));
  assert.equal(again.constructor, RNN);
  assert.deepEqual(again.config.cellOptions, { resetAfter: true });
  const x = seqs(new Rng(2), [3, 4], 2);
  assert.deepEqual(again.predict(x), m.predict(x));
});

test('bad input to the kinds gives clear errors instead of NaN, a hang or a silently ignored option', () => {
  const fails = (fn: () => unknown, re: RegExp): void => {
    assert.throws(fn, (e: unknown) => e instanceof UnrollError && re.test(e.message), `expected ${re}`);
  };
  const narx = new NARX({ exogenousSize: 1, hiddenSize: 3 });
  fails(() => narx.forecast({ x: [[1], [2]], y: [0.1, NaN], futureX: [[1]], steps: 1 }), /NARX.forecast: y\[0\]\[1\]\[0\] is NaN; values must be finite numbers/);
  fails(() => narx.forecast({ x: [[1], [2]], y: [0.1, 0.2], futureX: [[1, 2]], steps: 1 }), /futureX\[0\] must hold 1 numbers/);
  fails(() => narx.fit([[[1], [Infinity]]], [[1, 2]], { epochs: 1 }), /NARX.fit: x\[0\]\[1\]\[0\] is Infinity/);
  fails(() => new NARX({ hiddenSize: 2 }).forecast({ y: [1, 2], futureX: [[1]], steps: 1 }), /option "futureX" .*expected nothing when exogenousSize is 0/);
  const g = new GRU({ inputSize: 1, hiddenSize: 2 });
  for (const batchSize of [0, -1, 1.5]) fails(() => g.predict([[[1]]], { batchSize }), /option "batchSize" is .*; expected a positive integer/);
  fails(() => new LSTM({ inputSize: 1, hiddenSize: 2, activation: 'relu' }), /option "activation" is "relu"; expected 'tanh' or nothing: the LSTM cell's activations are fixed/);
  fails(() => new GRU({ inputSize: 1, hiddenSize: 2, activation: 'sigmoid' }), /option "activation" is "sigmoid"/);
  // The generic class refuses it too (it used to be ignored silently) …
  fails(() => new RNN({ cell: 'lstm', inputSize: 1, hiddenSize: 2, activation: 'relu' }), /option "activation" is "relu"; expected 'tanh' or nothing for cell 'lstm'/);
  fails(() => new RNN({ cell: 'gru', inputSize: 1, hiddenSize: 2, activation: 'linear' }), /option "activation" is "linear"; expected 'tanh' or nothing for cell 'gru'/);
  // … but a file saved back then (activation had no effect) still loads, with the same outputs.
  const lstm = new RNN({ cell: 'lstm', inputSize: 1, hiddenSize: 2, seed: 3 });
  const old = JSON.parse(JSON.stringify(lstm.toJSON())) as { config: Record<string, unknown> };
  old.config.activation = 'relu';
  const back = RNN.fromJSON(old);
  assert.equal(back.config.activation, 'tanh');
  assert.deepEqual(back.predict([[[0.5], [1]]]), lstm.predict([[[0.5], [1]]]));
  const s2s = new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 2 });
  fails(() => s2s.fit([[[1]]], [[[1]]], { epochs: 1, lr: 0.1 } as never), /Seq2Seq.fit: unknown option "lr"; known: epochs, batchSize/);
  fails(() => s2s.fit([[[1]]], [[[1, 2]]], { epochs: 1 }), /Seq2Seq.fit: y\[0\]\[0\] must hold 1 numbers \(outputSize\)/);
  fails(() => s2s.setWeights({ 'encoder.nope': [1] }), /unknown parameter "encoder.nope"; this model has: encoder.weight_ih_l0/);
  fails(() => new Seq2Seq({ cell: 'lstm', inputSize: 1, outputSize: 1, hiddenSize: 2, activation: 'relu' }), /option "activation" is "relu"; expected 'tanh' or nothing for cell 'lstm'/);
  fails(() => new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 2, dropout: 0.2 } as never), /Seq2Seq: option "dropout" cannot be honoured: an encoder-decoder has no dropout/);
});
