/**
 * Residual stacks against an independent implementation: the same network built in TensorFlow.js
 * from its functional layers (recurrent layers, Add for each residual connection, Concatenate for
 * the skips, Dense head) with unroll's weights exported to Keras layout (keras.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Network, type NetworkOptions } from './model.js';
import { toKeras, denseToKeras, type KerasRecurrentKind } from './keras.js';
import { Rng } from '../util/rng.js';
import { randomSequences } from './test-helpers.js';

await tf.setBackend('cpu');

const KIND: Record<string, KerasRecurrentKind> = { elman: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };

function recurrent(kind: KerasRecurrentKind, units: number): tf.layers.Layer {
  if (kind === 'SimpleRNN') return tf.layers.simpleRNN({ units, returnSequences: true, activation: 'tanh' });
  if (kind === 'LSTM') return tf.layers.lstm({ units, returnSequences: true, activation: 'tanh', recurrentActivation: 'sigmoid' });
  return tf.layers.gru({ units, returnSequences: true, activation: 'tanh', recurrentActivation: 'sigmoid' });
}

/** Keras weights of layer l of the unroll network (both directions when bidirectional). */
function kerasWeights(W: ReturnType<Network['getWeights']>, kind: KerasRecurrentKind, l: number, bidirectional: boolean): tf.Tensor[] {
  const one = (suffix: string) => {
    const k = toKeras(kind, W, kind === 'GRU' ? { suffix, resetAfter: false } : { suffix });
    return [tf.tensor2d(k.kernel), tf.tensor2d(k.recurrentKernel), tf.tensor1d(k.bias as number[])];
  };
  return bidirectional ? [...one(`_l${l}`), ...one(`_l${l}_reverse`)] : one(`_l${l}`);
}

/**
 * The tfjs model of a residual stack: oˡ = hˡ + oˡ⁻ᵏ at the end of each block of k layers but the
 * first, inputs [oˡ⁻¹ ‖ x] with inputToEveryLayer, head on [o¹ ‖ … ‖ o^L] with everyLayerToHead.
 */
function tfjsResidual(model: Network, T: number): tf.LayersModel {
  const c = model.config;
  const kind = KIND[c.cell];
  const input = tf.input({ shape: [T, c.inputSize] });
  const outs: tf.SymbolicTensor[] = [];
  const W = model.getWeights();
  const set: [tf.layers.Layer, tf.Tensor[]][] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const below = l === 0 ? input : outs[l - 1];
    const x = l > 0 && c.inputToEveryLayer ? tf.layers.concatenate().apply([below, input]) as tf.SymbolicTensor : below;
    const layer = c.bidirectional ? tf.layers.bidirectional({ layer: recurrent(kind, c.hiddenSize) as tf.RNN, mergeMode: 'concat' }) : recurrent(kind, c.hiddenSize);
    const h = layer.apply(x) as tf.SymbolicTensor;
    set.push([layer, kerasWeights(W, kind, l, c.bidirectional)]);
    const k = c.residual;
    const adds = k > 0 && l >= 2 * k - 1 && (l + 1) % k === 0;
    outs.push(adds ? tf.layers.add().apply([h, outs[l - k]]) as tf.SymbolicTensor : h);
  }
  const top = c.everyLayerToHead ? tf.layers.concatenate().apply(outs) as tf.SymbolicTensor : outs[outs.length - 1];
  const dense = tf.layers.dense({ units: c.outputSize });
  const y = dense.apply(top) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: y });
  for (const [layer, w] of set) layer.setWeights(w);
  const d = denseToKeras(W);
  dense.setWeights([tf.tensor2d(d.kernel), tf.tensor1d(d.bias)]);
  return m;
}

const CASES: [string, NetworkOptions][] = [
  ['elman, 3 layers, residual 1', { cell: 'elman', inputSize: 2, hiddenSize: 4, numLayers: 3, residual: true }],
  ['lstm, 3 layers, residual 1, input to every layer', { cell: 'lstm', inputSize: 3, hiddenSize: 5, outputSize: 2, numLayers: 3, residual: 1, inputToEveryLayer: true }],
  ['gru (reset before), 4 layers in blocks of 2, both skips', { cell: 'gru', cellOptions: { resetAfter: false }, inputSize: 2, hiddenSize: 3, outputSize: 2, numLayers: 4, residual: 2, inputToEveryLayer: true, everyLayerToHead: true }],
  ['bidirectional lstm (concat), 2 layers, residual 1', { cell: 'lstm', bidirectional: true, inputSize: 2, hiddenSize: 3, numLayers: 2, residual: true }],
  ['bidirectional elman (concat), 4 layers in blocks of 2, every layer to head', { cell: 'elman', bidirectional: true, inputSize: 1, hiddenSize: 2, outputSize: 3, numLayers: 4, residual: 2, everyLayerToHead: true }],
];

for (const [i, [name, opts]] of CASES.entries()) {
  test(`residual stack, ${name}: outputs equal tfjs's functional model with Add layers (every step, and the last step many-to-one)`, () => {
    const rng = new Rng(40 + i);
    const T = 6;
    const seq = new Network({ ...opts, outputMode: 'sequence', seed: 20 + i });
    const tfm = tfjsResidual(seq, T);
    const x = randomSequences(rng, [T, T, T], opts.inputSize!);
    const want = (tfm.predict(tf.tensor3d(x)) as tf.Tensor).arraySync() as number[][][];
    const got = seq.predict(x) as number[][][];
    let worst = 0;
    got.forEach((s, n) => s.forEach((r, t) => r.forEach((v, o) => { worst = Math.max(worst, Math.abs(v - want[n][t][o])); })));
    // tfjs's cpu backend computes in float32.
    assert.ok(worst < 1e-5, `max difference ${worst}`);
    // Without the residual connections the same weights give other outputs (the oracle would notice).
    const plain = new Network({ ...opts, residual: false, outputMode: 'sequence', seed: 20 + i });
    const p = plain.predict(x) as number[][][];
    assert.ok(Math.abs(p[0][T - 1][0] - want[0][T - 1][0]) > 1e-3);
    if (!opts.bidirectional) {
      // many-to-one: the head reads o^L at the last step (a bidirectional layer's last output is another view)
      const last = new Network({ ...opts, seed: 20 + i });
      const a = last.predict(x) as number[][];
      a.forEach((r, n) => r.forEach((v, o) => assert.ok(Math.abs(v - want[n][T - 1][o]) < 1e-5)));
    }
  });
}
