import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RNN } from './model.js';
import { loadModel, saveModel } from './io.js';
import { UnrollError } from '../util/errors.js';
import { toSequenceSet } from '../nn/sequences.js';

const x = [[[0.1, 0.2], [0.3, 0.1], [0.5, 0.9]], [[1, 0], [0.2, 0.2]]];

test('save → load → predict gives identical outputs, and the write leaves no temp files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-model-'));
  const model = new RNN({ inputSize: 2, hiddenSize: 5, outputSize: 3, numLayers: 2, learnInitialState: true, activation: 'sigmoid', seed: 8 });
  model.extra = { note: 'kept' };
  const path = join(dir, 'm.json');
  saveModel(model, path);
  const again = loadModel(path);
  assert.deepEqual(again.predict(x), model.predict(x));
  assert.deepEqual(again.config, model.config);
  assert.deepEqual(again.extra, { note: 'kept' });
  assert.deepEqual(readdirSync(dir), ['m.json']);
});

test('corrupt, foreign or wrong-version model files give clear errors naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-model-'));
  const good = new RNN({ inputSize: 2, hiddenSize: 3 });
  const path = join(dir, 'm.json');
  const write = (text: string): void => writeFileSync(path, text);
  const expectError = (re: RegExp): void => {
    assert.throws(() => loadModel(path), (e: unknown) => e instanceof UnrollError && re.test((e as Error).message) && (e as Error).message.includes(path));
  };
  write('{"format": "unroll-model", "version": 1, "config": {');
  expectError(/not valid JSON/);
  write('{"hello": 1}');
  expectError(/not an unroll model/);
  write(JSON.stringify({ ...good.toJSON(), version: 99 }));
  expectError(/format version 99 is not supported; this unroll reads version 1/);
  const json = good.toJSON();
  delete (json.weights as Record<string, unknown>).weight_hh_l0;
  write(JSON.stringify(json));
  expectError(/parameter "weight_hh_l0" \(shape \[3, 3\]\) is missing/);
  const json2 = good.toJSON();
  json2.weights.weight_ih_l0.data.pop();
  json2.weights.weight_ih_l0.shape = [3, 2];
  write(JSON.stringify(json2));
  expectError(/weight_ih_l0" needs 6 numbers/);
  write(JSON.stringify({ ...good.toJSON(), config: { ...good.config, hiddenSize: -1 } }));
  expectError(/m\.json: "config\.hiddenSize" is -1; expected a positive integer/);
  assert.throws(() => loadModel(join(dir, 'missing.json')), /cannot read .*missing.json.*no such file/);
  assert.ok(readFileSync(path, 'utf8').length > 0);
});

test('getWeights / setWeights use PyTorch names and layout and round-trip', () => {
  const a = new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 2 });
  const names = Object.keys(a.getWeights());
  assert.deepEqual(names, ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1', 'head.weight', 'head.bias']);
  assert.deepEqual(a.getWeights().weight_ih_l0.shape, [3, 2]);
  const b = new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 2, seed: 99 });
  assert.notDeepEqual(b.predict(x), a.predict(x));
  b.setWeights(a.getWeights());
  assert.deepEqual(b.predict(x), a.predict(x));
  // Nested arrays in row-major order are accepted too.
  b.setWeights({ weight_ih_l0: [[1, 2], [3, 4], [5, 6]] }, { strict: false });
  assert.deepEqual(b.getWeights().weight_ih_l0.data, [1, 2, 3, 4, 5, 6]);
  assert.throws(() => b.setWeights({ nope: [1] }), /unknown parameter "nope"/);
  assert.throws(() => b.setWeights({ weight_ih_l0: [1, NaN, 3, 4, 5, 6] }, { strict: false }), /non-finite/);
});

test('summary lists layers, output shapes and parameter counts that add up', () => {
  const m = new RNN({ inputSize: 4, hiddenSize: 8, numLayers: 2, outputSize: 1 });
  const s = m.summary();
  // Elman layer: H·D + H·H + 2H; layer 0: 32 + 64 + 16 = 112; layer 1: 64 + 64 + 16 = 144; head: 8 + 1 = 9.
  assert.match(s, /elman\(tanh\) l0\s+\[N, T, 8\]\s+112/);
  assert.match(s, /elman\(tanh\) l1\s+\[N, T, 8\]\s+144/);
  assert.match(s, /dense head\s+\[N, 1\]\s+9/);
  assert.match(s, /Total parameters: 265/);
  assert.equal(m.parameterCount, 265);
});

test('bad model options and inputs give clear errors', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => new RNN({ inputSize: 0, hiddenSize: 2 }), /option "inputSize" is 0; expected a positive integer/],
    [() => new RNN({ inputSize: 1, hiddenSize: 2, activation: 'softplus' as never }), /option "activation" is "softplus"; expected one of tanh, relu, sigmoid, linear/],
    [() => new RNN({ inputSize: 1, hiddenSize: 2, cell: 'transformer' as never }), /option "cell" is "transformer"/],
    [() => new RNN({ inputSize: 1, hiddenSize: 2, unroll: true } as never), /RNN: unknown option "unroll"; known: inputSize, hiddenSize/],
    [() => new RNN({ inputSize: 1, hiddenSize: 2, outputMode: 'all' as never }), /option "outputMode" is "all"/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: unknown) => e instanceof UnrollError && re.test((e as Error).message));
  const m = new RNN({ inputSize: 2, hiddenSize: 2 });
  const inputCases: [unknown, RegExp][] = [
    [[], /x: expected a non-empty array of sequences/],
    [[[]], /x\[0\]: a sequence needs at least 1 step, got length 0/],
    [[[[1, 2], [3]]], /x\[0\]\[1\]: got 1 features, but the model expects inputSize = 2/],
    [[[[1, NaN]]], /x\[0\]\[0\]\[1\] is NaN; inputs must be finite numbers/],
    [[[[1, Infinity]]], /x\[0\]\[0\]\[1\] is Infinity/],
    [[[0.5]], /x\[0\]\[0\]: got a single number, but the model expects 2 features/],
  ];
  for (const [input, re] of inputCases) assert.throws(() => m.predict(input as never), (e: unknown) => e instanceof UnrollError && re.test((e as Error).message));
  const set = toSequenceSet([[[1, 2]], [[3, 4]]], 2);
  assert.throws(() => m.predict({ ...set, lengths: Int32Array.of(1, 0) }), /lengths\[1\] is 0; every sequence needs at least 1 step/);
  assert.throws(() => m.predict({ ...set, lengths: Int32Array.of(1, 2) }), /lengths\[1\] is 2, longer than the sequences \(maxSteps = 1\)/);
});
