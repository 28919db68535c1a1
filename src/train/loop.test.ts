/** Options checked at every level, and the training loop shared by RNN.fit and Seq2Seq.fit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElmanContext, Jordan, NARX, RNN, Seq2Seq, TimeDelay } from './model.js';
import { Forecaster } from '../forecast/forecaster.js';
import { UnrollError } from '../util/errors.js';

const refuses = (fn: () => unknown, re: RegExp): void => {
  assert.throws(fn, (e: unknown) => e instanceof UnrollError && re.test((e as Error).message), String(re));
};
const x = [[[0.1], [0.2]], [[0.3], [0.1]], [[0.5], [0.4]], [[0.2], [0.2]]];
const y = [[0.3], [0.4], [0.9], [0.4]];

test('fit, evaluate and their sub-objects refuse unknown keys and wrong types, naming the key', () => {
  const m = new RNN({ inputSize: 1, hiddenSize: 2 });
  refuses(() => m.fit(x, y, { epoch: 3, learningrate: 5 } as never), /fit: unknown option "epoch" \(did you mean "epochs"\?\); known: epochs, batchSize, shuffle/);
  refuses(() => m.fit(x, y, { shuffle: 'no' } as never), /option "shuffle" is "no"; expected true or false/);
  refuses(() => m.fit(x, y, { earlyStopping: { patience: 2, monitr: 'loss' } } as never), /unknown option "earlyStopping.monitr" \(did you mean "earlyStopping.monitor"\?\)/);
  refuses(() => m.fit(x, y, { clip: { norm: 1 } } as never), /unknown option "clip.norm"; known: globalNorm, value/);
  refuses(() => m.fit(x, y, { onEpochEnd: 3 } as never), /option "onEpochEnd" is 3; expected a function/);
  refuses(() => m.fit(x, y, { signal: {} } as never), /option "signal" is object; expected an AbortSignal/);
  refuses(() => m.evaluate(x, y, { batchsize: 2 } as never), /evaluate: unknown option "batchsize" \(did you mean "batchSize"\?\)/);
  refuses(() => m.evaluate(x, y, { clip: { value: 1 } }), /evaluate: option "clip" cannot be honoured: evaluate makes no update/);
});

test('Forecaster options and its training section refuse unknown keys', () => {
  refuses(() => new Forecaster({ lookbak: 10 } as never), /Forecaster: unknown option "lookbak" \(did you mean "lookback"\?\)/);
  refuses(() => new Forecaster({ training: { epoch: 2 } } as never), /Forecaster: unknown option "training.epoch" \(did you mean "training.epochs"\?\)/);
  refuses(() => new Forecaster({ training: { learningRate: -1 } }), /option "training.learningRate" is -1; expected a positive number/);
});

test('Jordan, TimeDelay and ElmanContext honour cellOptions (the form of docs/networks.md) and refuse what they cannot do', () => {
  assert.deepEqual(new Jordan({ inputSize: 1, hiddenSize: 2, cellOptions: { alpha: 0.3, trainingMode: 'seed' } }).config.cellOptions, { alpha: 0.3, trainingMode: 'seed' });
  assert.deepEqual(new Jordan({ inputSize: 1, hiddenSize: 2, alpha: 0.3 }).config.cellOptions, { alpha: 0.3, trainingMode: 'bptt' });
  assert.deepEqual(new TimeDelay({ inputSize: 1, hiddenSize: 2, cellOptions: { window: 5 } }).config.cellOptions, { window: 5 });
  assert.deepEqual(new ElmanContext({ inputSize: 1, hiddenSize: 2, cellOptions: { trainingMode: 'bptt' } }).config.cellOptions, { trainingMode: 'bptt' });
  assert.deepEqual(new ElmanContext({ inputSize: 1, hiddenSize: 2 }).config.cellOptions, { trainingMode: 'seed' });
  refuses(() => new Jordan({ inputSize: 1, hiddenSize: 2, alpha: 0.3, cellOptions: { alpha: 0.4 } }), /option "alpha" is 0.3; expected the same value as cellOptions.alpha \(0.4\)/);
  refuses(() => new TimeDelay({ inputSize: 1, hiddenSize: 2, cellOptions: { alpha: 0.4 } as never }), /option "cellOptions.alpha" cannot be honoured: it is an option of cell 'jordan', not of cell 'tdnn'/);
  refuses(() => new Jordan({ inputSize: 1, hiddenSize: 2, numLayers: 2 } as never), /Jordan: option "numLayers" cannot be honoured: the class has one recurrent layer/);
  refuses(() => new Jordan({ inputSize: 1, hiddenSize: 2, cell: 'lstm' } as never), /Jordan: option "cell" cannot be honoured: the class fixes cell 'jordan'/);
  refuses(() => new TimeDelay({ inputSize: 1, hiddenSize: 2, windw: 3 } as never), /TimeDelay: unknown option "windw" \(did you mean "window"\?\)/);
});

test('NARX refuses unknown keys and the options it cannot honour', () => {
  refuses(() => new NARX({ hiddenSize: 2, trainng: 'closed' } as never), /NARX: unknown option "trainng" \(did you mean "training"\?\)/);
  refuses(() => new NARX({ hiddenSize: 2, numLayers: 3 } as never), /NARX: option "numLayers" cannot be honoured: the class has one recurrent layer/);
  refuses(() => new NARX({ hiddenSize: 2, inputSize: 3 } as never), /NARX: option "inputSize" cannot be honoured: the input is x_t and the fed-back outputs/);
  refuses(() => new NARX({ hiddenSize: 2, outputDelays: -1 }), /option "outputDelays" is -1; expected a non-negative integer/);
});

test('onEpochEnd returning false stops training after that epoch', () => {
  const m = new RNN({ inputSize: 1, hiddenSize: 2 });
  const h = m.fit(x, y, { epochs: 20, batchSize: 2, onEpochEnd: (log) => log.epoch < 3 });
  assert.equal(h.epochs.length, 3);
  assert.equal(h.stoppedByCallback, true);
  assert.equal(h.stoppedEarly, false);
  const s = new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 2 });
  const hs = s.fit(x, y.map((v) => [v]), { epochs: 20, onEpochEnd: (log) => log.epoch !== 2 });
  assert.equal(hs.epochs.length, 2);
  assert.equal(hs.stoppedByCallback, true);
});

/** Reverse-a-sequence data for the encoder-decoder. */
function reverseData(n: number): { xs: number[][][]; ys: number[][][] } {
  const xs: number[][][] = [];
  const ys: number[][][] = [];
  for (let i = 0; i < n; i++) {
    const L = 2 + (i % 3);
    const s = Array.from({ length: L }, (_, t) => [Math.sin(i * 1.7 + t)]);
    xs.push(s);
    ys.push([...s].reverse());
  }
  return { xs, ys };
}

test('Seq2Seq.fit has the training loop of RNN.fit: validation, early stopping with restore, clipping, abort signal', () => {
  const { xs, ys } = reverseData(24);
  const s = new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 4, seed: 3 });
  const h = s.fit(xs, ys, { epochs: 40, batchSize: 8, validationSplit: 0.25, optimizer: { type: 'adam', learningRate: 0.05 }, earlyStopping: { patience: 2 }, clip: { globalNorm: 0.5 } });
  assert.ok(h.epochs.every((e) => typeof e.valLoss === 'number' && Number.isFinite(e.valLoss)));
  assert.equal(h.losses.length, h.epochs.length);
  // The model holds the weights of the best epoch: its validation loss is the best one logged.
  const best = Math.min(...h.epochs.map((e) => e.valLoss!));
  assert.equal(h.epochs[h.bestEpoch - 1].valLoss, best);
  const again = s.fit(xs.slice(18), ys.slice(18), { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', learningRate: 1e-300 } });
  assert.ok(Math.abs(again.epochs[0].loss - best) < 1e-12, `restored weights give the best validation loss ${best}, got ${again.epochs[0].loss}`);
  // Clipping bounds the step: with globalNorm 1e-9 and SGD at rate 1, no weight moves more than 1e-9.
  const c = new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 3, seed: 5 });
  const w0 = c.getWeights();
  c.fit(xs, ys, { epochs: 1, batchSize: 24, optimizer: { type: 'sgd', learningRate: 1 }, clip: { globalNorm: 1e-9 } });
  let moved = 0;
  for (const [k, v] of Object.entries(c.getWeights())) v.data.forEach((w, i) => { moved += (w - w0[k].data[i]) ** 2; });
  assert.ok(Math.sqrt(moved) <= 1e-9 * (1 + 1e-5) && moved > 0, `step norm ${Math.sqrt(moved)}`);
  // An aborted signal stops before any batch.
  const ac = new AbortController();
  ac.abort();
  const ha = c.fit(xs, ys, { epochs: 5, signal: ac.signal });
  assert.equal(ha.aborted, true);
  assert.equal(ha.epochs.length, 0);
  refuses(() => c.fit(xs, ys, { threads: 2 } as never), /Seq2Seq.fit: option "threads" cannot be honoured: Seq2Seq trains on one thread/);
  refuses(() => c.fit(xs, ys, { epoch: 2 } as never), /Seq2Seq.fit: unknown option "epoch" \(did you mean "epochs"\?\)/);
});

test('the text models refuse unknown training options before training', async () => {
  const { LanguageModel, TextClassifier, SequenceTagger } = await import('../text/index.js');
  refuses(() => LanguageModel.train('a b c a b c', { epoch: 1 } as never), /LanguageModel.train: unknown option "epoch" \(did you mean "epochs"\?\)/);
  refuses(() => TextClassifier.train(['a b', 'c d'], ['x', 'y'], { hiddensize: 2 } as never), /TextClassifier.train: unknown option "hiddensize" \(did you mean "hiddenSize"\?\)/);
  refuses(() => SequenceTagger.train([['a']], [['X']], { level: 'char' } as never), /SequenceTagger.train: option "level" cannot be honoured: a tagger reads words/);
});
