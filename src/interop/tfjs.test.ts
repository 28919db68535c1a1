import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { randomSequences } from '../nn/test-helpers.js';
import { RNN, type RNNOptions } from '../train/model.js';
import { UnrollError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { loadTfjsModel, saveTfjsModel } from './files.js';
import { fromTfjsModel, tfjsUnsupported, toTfjsModel, type TfjsModelJSON } from './tfjs.js';

await tf.setBackend('cpu');

/** model.json and the weight bytes of a tfjs model, as tf.io would write them. */
async function artifacts(model: tf.LayersModel): Promise<{ json: TfjsModelJSON; data: Uint8Array }> {
  let art: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { art = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const a = art! as tf.io.ModelArtifacts;
  return {
    json: { format: a.format, generatedBy: a.generatedBy, modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs as never }] },
    data: new Uint8Array(a.weightData as ArrayBuffer),
  };
}

function tfPredict(model: tf.LayersModel, x: number[][][]): number[] {
  return Array.from((model.predict(tf.tensor3d(x)) as tf.Tensor).dataSync());
}

function close(a: number[], b: number[], what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `${what}[${i}]: ${v} vs ${b[i]}`));
}

const TFJS_MODELS: [string, () => tf.Sequential][] = [
  ['LSTM stack, many-to-one', () => tf.sequential({ layers: [
    tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [null, 3] }),
    tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 2 })] })],
  ['bidirectional GRU (reset_after false), many-to-many, merge ave', () => tf.sequential({ layers: [
    tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.RNN, inputShape: [null, 2], mergeMode: 'ave' }),
    tf.layers.dense({ units: 1 })] })],
  ['SimpleRNN relu, many-to-one', () => tf.sequential({ layers: [
    tf.layers.simpleRNN({ units: 5, activation: 'relu', inputShape: [null, 2] }), tf.layers.dense({ units: 3 })] })],
];

for (const [label, make] of TFJS_MODELS) {
  test(`a tfjs layers model (${label}) loads into unroll and gives tfjs's outputs`, async () => {
    const m = make();
    const { json, data } = await artifacts(m);
    const model = fromTfjsModel(JSON.parse(JSON.stringify(json)), data);
    const D = model.inputSize;
    const x = randomSequences(new Rng(label.length), [6, 6, 6], D);
    close((model.predict(x) as number[][]).flat(2) as number[], tfPredict(m, x), label);
  });
}

const UNROLL_MODELS: [string, RNNOptions][] = [
  ['LSTM 2 layers', { cell: 'lstm', inputSize: 3, hiddenSize: 4, outputSize: 2, numLayers: 2 }],
  ['bidirectional GRU reset-before, many-to-many', { cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 1, bidirectional: true, outputMode: 'sequence', cellOptions: { resetAfter: false } }],
  ['Elman sigmoid, bidirectional sum', { cell: 'elman', activation: 'sigmoid', inputSize: 2, hiddenSize: 3, outputSize: 2, bidirectional: true, mergeMode: 'sum' }],
];

for (const [label, options] of UNROLL_MODELS) {
  test(`an unroll model (${label}) saved as a tfjs layers model loads in tf.loadLayersModel with the same outputs, and back`, async () => {
    const model = new RNN({ ...options, seed: 5 });
    const { modelJson, weightData } = toTfjsModel(model);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology as never, weightSpecs: modelJson.weightsManifest[0].weights as never, weightData: weightData.slice().buffer }));
    const x = randomSequences(new Rng(label.length), [5, 5], model.inputSize);
    close(tfPredict(loaded, x), (model.predict(x) as number[][]).flat(2) as number[], label);
    // Back again: the same options (the seed is not part of the file) and function; Keras's single
    // bias comes back as bias_ih (bias_hh zero), so compare outputs, not parameters.
    const back = fromTfjsModel(JSON.parse(JSON.stringify(modelJson)), weightData);
    assert.deepEqual({ ...back.config, seed: 0 }, { ...model.config, seed: 0 });
    close((back.predict(x) as number[][]).flat(2) as number[], (model.predict(x) as number[][]).flat(2) as number[], 'after a round trip');
  });
}

test('a model reading token ids saves as Embedding → LSTM → Dense; tf.loadLayersModel gives its outputs, and it loads back with its table', async () => {
  const model = new RNN({ cell: 'lstm', embedding: { vocabSize: 9, dim: 4 }, hiddenSize: 3, outputSize: 2, outputMode: 'sequence', seed: 4 });
  const { modelJson, weightData } = toTfjsModel(model);
  const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology as never, weightSpecs: modelJson.weightsManifest[0].weights as never, weightData: weightData.slice().buffer }));
  assert.equal(loaded.layers[0].getClassName(), 'Embedding');
  const x = [[0, 8, 3, 3, 5], [7, 1, 2, 6, 4]];
  const want = (model.predict(x) as number[][][]).flat(2);
  close(Array.from((loaded.predict(tf.tensor2d(x)) as tf.Tensor).dataSync()), want, 'tfjs');
  const back = fromTfjsModel(JSON.parse(JSON.stringify(modelJson)), weightData);
  assert.deepEqual({ ...back.config, seed: 0 }, { ...model.config, seed: 0 });
  close((back.predict(x) as number[][][]).flat(2), want, 'after a round trip');
});

test('saveTfjsModel / loadTfjsModel: model.json and weights.bin on disk; weight paths stay beside model.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-tfjs-'));
  try {
    const model = new RNN({ cell: 'lstm', inputSize: 2, hiddenSize: 3, seed: 1 });
    saveTfjsModel(model, join(dir, 'm'));
    const back = loadTfjsModel(join(dir, 'm', 'model.json'));
    const x = randomSequences(new Rng(3), [4, 2], 2);
    close((back.predict(x) as number[][]).flat(), (model.predict(x) as number[][]).flat(), 'outputs after save and load');
    const json = JSON.parse(readFileSync(join(dir, 'm', 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    writeFileSync(join(dir, 'm', 'model.json'), JSON.stringify(json));
    assert.throws(() => loadTfjsModel(join(dir, 'm', 'model.json')), /weight path "..\/..\/etc\/passwd" must be a file beside model.json/);
    assert.throws(() => loadTfjsModel(join(dir, 'none.json')), /cannot read tfjs model.json .*: no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('what the other side cannot express is refused with the reason', async () => {
  assert.match(tfjsUnsupported(new RNN({ cell: 'gru', inputSize: 1, hiddenSize: 2 }))!, /has no tfjs-layers equivalent: tfjs's GRU is reset_after = false/);
  assert.throws(() => toTfjsModel(new RNN({ cell: 'narx', inputSize: 1, hiddenSize: 2 })), /tfjs export: cell 'narx' has no tfjs layer/);
  const hard = tf.sequential({ layers: [tf.layers.lstm({ units: 2, inputShape: [null, 1] }), tf.layers.dense({ units: 1 })] });
  const { json, data } = await artifacts(hard);
  assert.throws(() => fromTfjsModel(json, data), /recurrent_activation "hard_sigmoid"; unroll's gates are sigmoid/);
  const ok = await artifacts(tf.sequential({ layers: [tf.layers.simpleRNN({ units: 2, inputShape: [null, 1] }), tf.layers.dense({ units: 1 })] }));
  assert.throws(() => fromTfjsModel(ok.json, ok.data.subarray(4)), /lists 11 float32 weights \(44 bytes\), but the weight files hold 40 bytes/);
  const q = JSON.parse(JSON.stringify(ok.json));
  q.weightsManifest[0].weights[0].dtype = 'uint8';
  assert.throws(() => fromTfjsModel(q, ok.data), (e: unknown) => e instanceof UnrollError && /has dtype "uint8"; unroll reads float32 weights/.test(e.message));
  const huge = JSON.parse(JSON.stringify(ok.json));
  huge.modelTopology.config.layers[0].config.units = 1e12;
  assert.throws(() => fromTfjsModel(huge, ok.data), /layer 1 has units 1000000000000 but its recurrent_kernel has 2 rows; the config and the weights disagree/);
  const fn = JSON.parse(JSON.stringify(ok.json));
  fn.modelTopology.class_name = 'Model';
  assert.throws(() => fromTfjsModel(fn, ok.data), /modelTopology must be a Sequential model \(got "Model"\)/);
});
