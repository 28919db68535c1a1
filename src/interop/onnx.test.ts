import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import { createWasmBackendSync } from '../kernels/fast.js';
import { randomSequences } from '../nn/test-helpers.js';
import { RNN, type RNNOptions } from '../train/model.js';
import { Rng } from '../util/rng.js';
import { onnxUnsupported, toOnnx } from './onnx.js';

ort.env.wasm.numThreads = 1;

/** Runs an exported model in onnxruntime (WebAssembly) on a ragged batch, padded with junk past each end. */
async function runOnnx(bytes: Uint8Array, x: number[][][], D: number): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const T = Math.max(...x.map((s) => s.length));
  const data = new Float32Array(x.length * T * D).fill(123);
  x.forEach((s, n) => s.forEach((row, t) => row.forEach((v, d) => { data[(n * T + t) * D + d] = v; })));
  const out = await session.run({ input: new ort.Tensor('float32', data, [x.length, T, D]), lengths: new ort.Tensor('int32', Int32Array.from(x.map((s) => s.length)), [x.length]) });
  return { data: out.output.data as Float32Array, dims: out.output.dims };
}

const CASES: [string, RNNOptions][] = [
  ['LSTM, 2 layers, many-to-one', { cell: 'lstm', inputSize: 3, hiddenSize: 5, outputSize: 2, numLayers: 2 }],
  ['bidirectional LSTM, many-to-one', { cell: 'lstm', inputSize: 2, hiddenSize: 4, outputSize: 1, bidirectional: true }],
  ['bidirectional GRU, 2 layers, many-to-many', { cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 2, numLayers: 2, bidirectional: true, outputMode: 'sequence' }],
  ['GRU reset-before (linear_before_reset 0)', { cell: 'gru', inputSize: 2, hiddenSize: 4, outputSize: 1, cellOptions: { resetAfter: false } }],
  ['Elman ReLU, many-to-many', { cell: 'elman', activation: 'relu', inputSize: 2, hiddenSize: 6, outputSize: 3, outputMode: 'sequence' }],
  ['Elman sigmoid, 3 layers', { cell: 'elman', activation: 'sigmoid', inputSize: 1, hiddenSize: 3, outputSize: 1, numLayers: 3 }],
  ['LSTM with dropout (off at inference)', { cell: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 1, numLayers: 2, dropout: 0.3 }],
];

for (const [label, options] of CASES) {
  test(`ONNX export runs in onnxruntime and matches unroll within float32 tolerance on a variable-length batch: ${label}`, async () => {
    const rng = new Rng(label.length);
    const model = new RNN({ ...options, seed: 7 });
    const lengths = [5, 1, 3, 5, 2];
    const x = randomSequences(rng, lengths, model.inputSize);
    const want = model.predict(x);
    const got = await runOnnx(toOnnx(model), x, model.inputSize);
    const K = options.outputSize!;
    if (options.outputMode === 'sequence') {
      const T = 5;
      assert.deepEqual(got.dims, [x.length, T, K]);
      (want as number[][][]).forEach((seq, n) => seq.forEach((row, t) => row.forEach((v, k) => {
        const o = got.data[(n * T + t) * K + k];
        assert.ok(Math.abs(o - v) < 1e-5 * Math.max(1, Math.abs(v)), `sample ${n} step ${t} output ${k}: onnx ${o} vs unroll ${v}`);
      })));
    } else {
      assert.deepEqual(got.dims, [x.length, K]);
      (want as number[][]).forEach((row, n) => row.forEach((v, k) => {
        const o = got.data[n * K + k];
        assert.ok(Math.abs(o - v) < 1e-5 * Math.max(1, Math.abs(v)), `sample ${n} output ${k}: onnx ${o} vs unroll ${v}`);
      }));
    }
  });
}

test('a model trained on the float32 WebAssembly backend exports the same way', async () => {
  const model = new RNN({ cell: 'gru', inputSize: 2, hiddenSize: 8, outputSize: 1, numLayers: 2, seed: 3, backend: createWasmBackendSync() });
  const x = randomSequences(new Rng(2), [4, 2], 2);
  const want = model.predict(x) as number[][];
  const got = await runOnnx(toOnnx(model), x, 2);
  want.forEach((row, n) => assert.ok(Math.abs(got.data[n] - row[0]) < 1e-5, `sample ${n}: ${got.data[n]} vs ${row[0]}`));
});

test('a model reading token ids through an embedding exports with a Gather node (int64 ids) and matches unroll', async () => {
  for (const options of [
    { cell: 'lstm', embedding: { vocabSize: 11, dim: 4 }, hiddenSize: 5, outputSize: 3, bidirectional: true },
    { cell: 'gru', embedding: { vocabSize: 7, dim: 3 }, hiddenSize: 4, outputSize: 7, numLayers: 2, outputMode: 'sequence' },
  ] as RNNOptions[]) {
    const model = new RNN({ ...options, seed: 5 });
    const V = options.embedding!.vocabSize;
    const rng = new Rng(V);
    const x = [5, 1, 3, 4].map((L) => Array.from({ length: L }, () => Math.floor(rng.next() * V)));
    const want = (model.predict(x) as unknown[]).flat(2) as number[];
    const T = 5;
    const ids = new BigInt64Array(x.length * T).fill(BigInt(V - 1)); // padding: any valid id
    x.forEach((s, n) => s.forEach((id, t) => { ids[n * T + t] = BigInt(id); }));
    const session = await ort.InferenceSession.create(toOnnx(model));
    const out = await session.run({ input: new ort.Tensor('int64', ids, [x.length, T]), lengths: new ort.Tensor('int32', Int32Array.from(x.map((s) => s.length)), [x.length]) });
    const data = out.output.data as Float32Array;
    const K = options.outputSize!;
    const got = options.outputMode === 'sequence'
      ? x.flatMap((s, n) => s.flatMap((_, t) => Array.from(data.subarray((n * T + t) * K, (n * T + t + 1) * K))))
      : Array.from(data);
    assert.equal(got.length, want.length);
    got.forEach((o, i) => assert.ok(Math.abs(o - want[i]) < 1e-5 * Math.max(1, Math.abs(want[i])), `${options.cell} output ${i}: onnx ${o} vs unroll ${want[i]}`));
  }
});

test('what ONNX has no operator for is refused with the reason', () => {
  const why = (o: RNNOptions): string | null => onnxUnsupported(new RNN(o));
  assert.match(why({ cell: 'jordan', inputSize: 1, hiddenSize: 2 })!, /cell 'jordan' has no ONNX operator \(exportable: elman, lstm, gru\)/);
  assert.match(why({ inputSize: 1, hiddenSize: 2, activation: 'linear' })!, /activation 'linear'/);
  assert.match(why({ cell: 'gru', inputSize: 1, hiddenSize: 2, numLayers: 2, dilations: [1, 4] })!, /dilated layers/);
  assert.match(why({ cell: 'lstm', inputSize: 1, hiddenSize: 2, learnInitialState: true })!, /learnInitialState/);
  assert.match(why({ cell: 'lstm', inputSize: 1, hiddenSize: 2, numLayers: 2, inputToEveryLayer: true })!, /skip connections/);
  assert.throws(() => toOnnx(new RNN({ cell: 'lstm', inputSize: 1, hiddenSize: 2, bidirectional: true, mergeMode: 'sum' })), /ONNX export: mergeMode 'sum': only 'concat'/);
});
