/**
 * Every call-level options object goes through the one options checker (util/options.ts): an
 * unknown key is refused with its name, the closest known key and the known keys; a value of the
 * wrong type with the key's name and what is expected. One case per object: predict (RNN, Network,
 * ParallelPredictor), Seq2Seq.predict, NARX.forecast, generate (streaming and the language model),
 * setWeights, explain, the JSON readers, the interop calls (safetensors, tfjs, ONNX, Keras
 * converters) and the text models' extra arguments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NARX, RNN, Seq2Seq } from '../train/model.js';
import { Network } from '../nn/model.js';
import { generate } from '../nn/streaming.js';
import { explain } from '../train/explain.js';
import { ParallelPredictor } from '../train/parallel.js';
import { fromSafetensors, toSafetensors } from '../interop/torch.js';
import { toOnnx } from '../interop/onnx.js';
import { fromTfjsModel, toTfjsModel } from '../interop/tfjs.js';
import { loadSafetensors, loadTfjsModel, saveSafetensors } from '../interop/files.js';
import { denseFromKeras, denseToKeras, fromKeras, toKeras } from '../nn/keras.js';
import { LanguageModel } from '../text/lm.js';
import { TextClassifier } from '../text/classifier.js';
import { SequenceTagger } from '../text/tagger.js';
import { Forecaster } from '../forecast/forecaster.js';
import { UnrollError } from './errors.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import { invest } from '../invest/invest.js';
import { PanelForecaster } from '../forecast/panel/model.js';

/** The call is refused with an option error whose message matches every pattern. */
function refuses(label: string, fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UnrollError, `${label}: expected UnrollError, got ${String(e)}`);
    for (const re of patterns) assert.match(e.message, re, label);
    return true;
  });
}

const model = new RNN({ inputSize: 1, hiddenSize: 3, cell: 'gru', seed: 1 });
const x = [[1, 2, 3], [0.5]];

test('predict: batchSize is checked, and unknown keys are refused (RNN, Network, ParallelPredictor)', () => {
  refuses('RNN.predict typo', () => model.predict(x, { batchsize: 8 } as never), /predict: unknown option "batchsize" \(did you mean "batchSize"\?\); known: batchSize/);
  refuses('RNN.predict type', () => model.predict(x, { batchSize: 0 }), /option "batchSize" is 0; expected a positive integer/);
  refuses('RNN.predict type', () => model.predict(x, { batchSize: '8' as never }), /option "batchSize" is "8"/);
  const net = new Network({ inputSize: 1, hiddenSize: 2 });
  refuses('Network.predict', () => net.predict(x, { batch: 2 } as never), /unknown option "batch"/, /known: batchSize/);
  refuses('ParallelPredictor', () => new ParallelPredictor(model, { thread: 2 } as never), /ParallelPredictor: unknown option "thread" \(did you mean "threads"\?\)/);
  assert.deepEqual(model.predict(x, { batchSize: 1 }), model.predict(x), 'a good batchSize still works');
});

test('Seq2Seq.predict, NARX.forecast and streaming generate check their options', () => {
  const s2s = new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 2 });
  refuses('Seq2Seq.predict', () => s2s.predict(x, { steps: 2, step: 3 } as never), /Seq2Seq\.predict: unknown option "step" \(did you mean "steps"\?\); known: steps/);
  refuses('Seq2Seq.predict', () => s2s.predict(x, { steps: 1.5 }), /option "steps" is 1\.5; expected a positive integer/);
  const narx = new NARX({ exogenousSize: 0, outputSize: 1, hiddenSize: 2 });
  refuses('NARX.forecast', () => narx.forecast({ y: [1, 2], steps: 2, horizon: 3 } as never), /NARX\.forecast: unknown option "horizon"; known: y, x, futureX, steps/);
  refuses('NARX.forecast', () => narx.forecast({ y: 5 as never, steps: 2 }), /option "y" is 5; expected an array/);
  refuses('NARX embedding', () => new NARX({ hiddenSize: 2, embedding: { vocabSize: 5, dim: 2 } } as never), /NARX: option "embedding" cannot be honoured: its input holds the fed-back outputs/);
  const echo = new RNN({ inputSize: 1, hiddenSize: 2, outputSize: 1 });
  refuses('generate', () => generate(echo, { steps: 3, primr: [[1]] } as never), /generate: unknown option "primr" \(did you mean "primer"\?\)/);
  refuses('generate', () => generate(echo, { steps: 3, next: 'x' } as never), /option "next" is "x"; expected a function/);
  assert.equal(generate(echo, { steps: 3 }).length, 3);
});

test('setWeights, explain and the JSON readers check their options', () => {
  refuses('setWeights', () => model.setWeights(model.getWeights(), { strct: true } as never), /setWeights: unknown option "strct" \(did you mean "strict"\?\)/);
  refuses('setWeights', () => model.setWeights(model.getWeights(), { strict: 'no' } as never), /option "strict" is "no"; expected true or false/);
  refuses('explain', () => explain(model, [1, 2, 3], { output: 0 } as never), /explain: unknown option "output"; known: outputIndex/);
  refuses('explain range', () => explain(model, [1, 2, 3], { outputIndex: 3 }), /option "outputIndex" is 3; expected an integer from 0 to 0/);
  const json = model.toJSON();
  refuses('RNN.fromJSON', () => RNN.fromJSON(json, { sourc: 'm.json' } as never), /fromJSON: unknown option "sourc" \(did you mean "source"\?\)/);
  refuses('Seq2Seq.fromJSON', () => Seq2Seq.fromJSON(new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 2 }).toJSON(), { source: 3 } as never), /option "source" is 3; expected a string/);
});

test('interop calls check their options: safetensors, tfjs, ONNX, Keras converters', () => {
  refuses('toSafetensors', () => toSafetensors(model, { dtype: 'F16' } as never), /option "dtype" is "F16"; expected one of 'F32', 'F64'/);
  refuses('toSafetensors', () => toSafetensors(model, { prefx: 'rnn.' } as never), /toSafetensors: unknown option "prefx" \(did you mean "prefix"\?\); known: dtype, prefix/);
  const bytes = toSafetensors(model);
  refuses('fromSafetensors', () => fromSafetensors(bytes, { configg: {} } as never), /fromSafetensors: unknown option "configg" \(did you mean "config"\?\)/);
  refuses('toOnnx', () => toOnnx(model, { name: 'g' } as never), /toOnnx: unknown option "name"; known: graphName, docString/);
  refuses('toOnnx', () => toOnnx(model, { graphName: 7 } as never), /option "graphName" is 7; expected a string/);
  const lstm = new RNN({ inputSize: 2, hiddenSize: 3, cell: 'lstm' });
  const { modelJson, weightData } = toTfjsModel(lstm);
  refuses('fromTfjsModel', () => fromTfjsModel(modelJson, weightData, { backnd: null } as never), /fromTfjsModel: unknown option "backnd" \(did you mean "backend"\?\)/);
  const w = lstm.getWeights();
  refuses('toKeras', () => toKeras('LSTM', w, { sufix: '_l0' } as never), /toKeras: unknown option "sufix" \(did you mean "suffix"\?\)/);
  const k = toKeras('LSTM', w);
  refuses('fromKeras', () => fromKeras('LSTM', k, { resetAfter: 'no' } as never), /option "resetAfter" is "no"; expected true or false/);
  refuses('denseToKeras', () => denseToKeras(w, { prefixx: 'head' } as never), /denseToKeras: unknown option "prefixx"/);
  refuses('denseFromKeras', () => denseFromKeras(denseToKeras(w), { prefix: 1 } as never), /option "prefix" is 1; expected a string/);
  const dir = mkdtempSync(join(tmpdir(), 'unroll-opts-'));
  try {
    const path = join(dir, 'm.safetensors');
    refuses('saveSafetensors', () => saveSafetensors(model, path, { dtype: 64 } as never), /option "dtype" is 64/);
    saveSafetensors(model, path);
    refuses('loadSafetensors', () => loadSafetensors(path, { source: 'x' } as never), /loadSafetensors: unknown option "source"; known: backend, config, prefix/);
    refuses('loadTfjsModel', () => loadTfjsModel(join(dir, 'model.json'), { backends: null } as never), /loadTfjsModel: unknown option "backends" \(did you mean "backend"\?\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('text models: generate, the training callbacks and extra arguments, and fromJSON check their options', () => {
  const lm = LanguageModel.train('the cat sat on the mat . '.repeat(20), { hiddenSize: 4, window: 5, epochs: 1, validation: 0 });
  refuses('generate typo', () => lm.generate('the', { token: 5 } as never), /generate: unknown option "token" \(did you mean "tokens"\?\); known: temperature, topK, tokens, seed, allowUnknown, noRepeatNgram/);
  refuses('generate type', () => lm.generate('the', { allowUnknown: 1 } as never), /option "allowUnknown" is 1; expected true or false/);
  refuses('generate type', () => lm.generate('the', { topK: -1 }), /option "topK" is -1/);
  refuses('LanguageModel.train callbacks', () => LanguageModel.train('a b c', {}, { onEpoch: () => {} } as never), /LanguageModel\.train \(callbacks\): unknown option "onEpoch"/);
  refuses('LanguageModel.fromJSON', () => LanguageModel.fromJSON(lm.toJSON(), { backnd: null } as never), /LanguageModel\.fromJSON: unknown option "backnd"/);
  refuses('TextClassifier.train extra', () => TextClassifier.train(['a', 'b'], ['x', 'y'], {}, { onEpoch: () => {} } as never), /TextClassifier\.train \(extra\): unknown option "onEpoch" \(did you mean "onEpochEnd"\?\)/);
  refuses('SequenceTagger.train extra', () => SequenceTagger.train([['a']], [['X']], {}, { backend: 'wasm' } as never), /option "backend" is "wasm"; expected an object/);
  refuses('TextClassifier.fromJSON', () => TextClassifier.fromJSON({}, { where: 'x' } as never), /TextClassifier\.fromJSON: unknown option "where"/);
  refuses('SequenceTagger.fromJSON', () => SequenceTagger.fromJSON({}, { source: 1 } as never), /option "source" is 1/);
});

test('createWasmBackend / createWasmBackendSync check their options', () => {
  refuses('createWasmBackendSync', () => createWasmBackendSync({ memoryMib: 32 } as never), /createWasmBackend: unknown option "memoryMib" \(did you mean "memoryMiB"\?\)/);
  refuses('createWasmBackendSync', () => createWasmBackendSync({ simd: 'on' } as never), /option "simd" is "on"; expected one of 'auto', 'off'/);
});

test('Forecaster: runtime, fit and gradientByStep options are checked', () => {
  refuses('Forecaster runtime', () => new Forecaster({}, { onwarning: () => {} } as never), /Forecaster \(runtime\): unknown option "onwarning" \(did you mean "onWarning"\?\)/);
  const f = new Forecaster({ lookback: 3, horizon: 1 });
  refuses('Forecaster.fit', () => f.fit({} as never, { trainend: 5 } as never), /Forecaster\.fit: unknown option "trainend" \(did you mean "trainEnd"\?\)/);
  refuses('gradientByStep', () => f.gradientByStep({} as never, { counts: 2 } as never), /gradientByStep: unknown option "counts" \(did you mean "count"\?\)/);
});

test('invest() and PanelForecaster.fit check their options', () => {
  refuses('invest typo', () => invest({} as never, { polcy: { kind: 'all-in' } } as never), /invest: unknown option "polcy" \(did you mean "policy"\?\)/);
  refuses('invest type', () => invest({} as never, { coinRuns: 0 }), /option "coinRuns" is 0; expected a positive integer/);
  const panel = new PanelForecaster({ horizon: 4, period: 4 });
  refuses('panel fit typo', () => panel.fit([[1, 2, 3]], { thread: 2 } as never), /panel model fit: unknown option "thread" \(did you mean "threads"\?\)/);
  refuses('panel fit type', () => panel.fit([[1, 2, 3]], { threads: 1.5 }), /option "threads" is 1\.5/);
});
