import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWasmBackendSync } from '../kernels/fast.js';
import { randomSequences } from '../nn/test-helpers.js';
import { RNN } from '../train/model.js';
import { UnrollError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { loadSafetensors, saveSafetensors } from './files.js';
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES, type SafeTensor } from './safetensors.js';
import { fromSafetensors, toSafetensors } from './torch.js';

// The same path from src/interop and dist/interop.
const FIXTURES = fileURLToPath(new URL('../../src/interop/fixtures/', import.meta.url));
const CASES = ['lstm2', 'gru-bi', 'rnn-relu'];

type Case = { config: Record<string, unknown>; inputs: number[][][]; outputs: number[][] | number[][][] };
const readCase = (name: string): Case => JSON.parse(readFileSync(join(FIXTURES, `torch-${name}.json`), 'utf8'));

function assertClose(got: unknown, want: unknown, tol: number, what: string): void {
  const a = (got as number[]).flat(3) as number[];
  const b = (want as number[]).flat(3) as number[];
  assert.equal(a.length, b.length, `${what}: ${a.length} numbers vs ${b.length}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < tol, `${what}[${i}]: ${v} vs ${b[i]}`));
}

for (const name of CASES) {
  test(`a PyTorch state_dict saved as safetensors (${name}) loads into unroll and gives PyTorch's outputs (fixture, float64)`, () => {
    const c = readCase(name);
    const model = fromSafetensors(new Uint8Array(readFileSync(join(FIXTURES, `torch-${name}.safetensors`))), { config: c.config as never }) as RNN;
    // PyTorch ran each sequence alone; unroll runs the ragged batch at once.
    assertClose(model.predict(c.inputs), c.outputs, 1e-12, name);
  });
}

const torchAvailable = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

test('unroll → safetensors → PyTorch load_state_dict(strict=True): the module gives unroll\'s outputs', (t) => {
  if (!torchAvailable) {
    t.skip('PyTorch is not installed (apt-get install python3-torch); the PyTorch → unroll direction is still checked by the fixtures');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'unroll-st-'));
  try {
    const rng = new Rng(4);
    const configs = [
      { cell: 'lstm', inputSize: 3, hiddenSize: 4, outputSize: 2, numLayers: 2 },
      { cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 1, bidirectional: true, outputMode: 'sequence' },
      { cell: 'elman', activation: 'tanh', inputSize: 2, hiddenSize: 3, outputSize: 2 },
      // Token ids through nn.Embedding: the table is embedding.weight in both.
      { cell: 'gru', embedding: { vocabSize: 6, dim: 3 }, hiddenSize: 4, outputSize: 2, outputMode: 'sequence' },
    ] as const;
    for (const config of configs) {
      const model = new RNN({ ...config, seed: 9 });
      const x = 'embedding' in config ? [[0, 5, 2, 2], [1], [3, 4, 5, 0, 1, 2]] : randomSequences(rng, [4, 1, 6], config.inputSize);
      const file = join(dir, `${config.cell}.safetensors`);
      saveSafetensors(model, file);
      const r = spawnSync('/usr/bin/python3', [join(FIXTURES, 'torch_modules.py'), 'run', file, JSON.stringify(config), JSON.stringify(x)],
        { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
      assert.equal(r.status, 0, r.stderr);
      assertClose(JSON.parse(r.stdout), model.predict(x), 1e-12, config.cell);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unroll → safetensors → unroll is bit-identical (weights, config, extra, learned initial states), float64 and float32', () => {
  const wasm = createWasmBackendSync();
  for (const backend of [undefined, wasm]) {
    const model = new RNN({ cell: 'lstm', inputSize: 2, hiddenSize: 5, outputSize: 3, numLayers: 2, bidirectional: true, learnInitialState: true, seed: 3, ...(backend ? { backend } : {}) });
    model.extra = { scaler: { kind: 'standard', mean: [1.5], std: [0.25] } };
    const bytes = toSafetensors(model);
    const back = fromSafetensors(bytes, backend ? { backend } : {}) as RNN;
    assert.deepEqual(back.config, model.config);
    assert.deepEqual(back.extra, model.extra);
    assert.deepEqual(Array.from(back.store.values), Array.from(model.store.values));
    assert.deepEqual(toSafetensors(back), bytes, 'writing it again gives the same bytes');
    // The parameters PyTorch's module lacks are set apart, so strict=False skips them.
    const names = [...decodeSafetensors(bytes).tensors.keys()];
    assert.ok(names.includes('rnn.weight_hh_l1_reverse') && names.includes('head.weight') && names.includes('unroll.initial_state_l0'), names.join(' '));
    assert.equal(decodeSafetensors(bytes).tensors.get('rnn.weight_ih_l0')!.dtype, backend ? 'F32' : 'F64');
    // A model with a token embedding: the table rides as embedding.weight (nn.Embedding's key), bit for bit.
    const emb = new RNN({ cell: 'lstm', embedding: { vocabSize: 9, dim: 4 }, hiddenSize: 3, seed: 5, ...(backend ? { backend } : {}) });
    const eb = toSafetensors(emb);
    assert.deepEqual(decodeSafetensors(eb).tensors.get('embedding.weight')!.shape, [9, 4]);
    const eback = fromSafetensors(eb, backend ? { backend } : {}) as RNN;
    assert.deepEqual(eback.config, emb.config);
    assert.deepEqual(Array.from(eback.store.values), Array.from(emb.store.values));
    assert.deepEqual(toSafetensors(eback), eb);
  }
});

test('saveSafetensors / loadSafetensors write atomically and refuse what is not a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-st-'));
  try {
    const model = new RNN({ cell: 'gru', inputSize: 1, hiddenSize: 2, seed: 1 });
    const path = join(dir, 'm.safetensors');
    saveSafetensors(model, path);
    assert.deepEqual(Array.from((loadSafetensors(path) as RNN).store.values), Array.from(model.store.values));
    assert.throws(() => loadSafetensors(join(dir, 'none.safetensors')), /cannot read safetensors file .*none.safetensors: no such file/);
    assert.throws(() => loadSafetensors(dir), /not a regular file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A file from a header object and a data buffer, with the header length written as given. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), headerText?: string): Uint8Array {
  const h = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

test('a hostile or broken safetensors file gets one clear error for each rule of the format', () => {
  const t8 = new Uint8Array(8);
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(5), /5 bytes is too short for a safetensors file/],
    ['huge header length', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 2n ** 63n, true); return b; })(), new RegExp(`header length 9223372036854775808 exceeds the limit of ${MAX_HEADER_BYTES} bytes`)],
    ['header past the end', (() => { const b = rawFile(ok, t8); new DataView(b.buffer).setBigUint64(0, 10_000n, true); return b; })(), /header length 10000 runs past the end of the \d+-byte file/],
    ['not JSON', rawFile(null, t8, '{"a": '), /the header is not valid JSON/],
    ['not an object', rawFile(null, t8, '[1, 2]'), /must be a JSON object starting with "\{"/],
    ['duplicate tensor', rawFile(null, t8, '{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}'), /repeats the key "a"; keys must be unique/],
    ['duplicate field', rawFile(null, t8, '{"a": {"dtype": "F32", "shape": [2], "shape": [2], "data_offsets": [0, 8]}}'), /repeats the key "shape"/],
    ['bfloat16', rawFile({ a: { dtype: 'BF16', shape: [4], data_offsets: [0, 8] } }, t8), /tensor "a" has dtype BF16; unroll reads F32 and F64 tensors/],
    ['unknown dtype', rawFile({ a: { dtype: 'F128', shape: [1], data_offsets: [0, 8] } }, t8), /dtype "F128" is not a safetensors dtype/],
    ['negative size', rawFile({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, t8), /shape \[-2\] must hold non-negative integers/],
    ['enormous shape', rawFile({ a: { dtype: 'F32', shape: [1e6, 1e6, 1e6], data_offsets: [0, 8] } }, t8), /needs more bytes than the file holds/],
    ['size mismatch', rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, t8), /shape \[2\] of F64 needs 16 bytes, but data_offsets give 8/],
    ['offsets past the end', rawFile({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, t8), /data_offsets \[0, 16\] do not lie inside the 8-byte data buffer/],
    ['overlap', rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, t8), /tensor "b" overlaps the tensor before it/],
    ['gap', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, t8), /bytes 0..4 of the data buffer belong to no tensor/],
    ['trailing bytes', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, t8), /bytes 4..8 of the data buffer belong to no tensor/],
    ['extra field', rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8], grad: 1 } }, t8), /unknown field "grad"/],
    ['bad metadata', rawFile({ __metadata__: { n: 1 }, ...ok }, t8), /"__metadata__"."n" is 1; expected a string/],
  ];
  for (const [what, bytes, message] of cases) {
    assert.throws(() => decodeSafetensors(bytes, 'f.safetensors'), (e: unknown) => {
      assert.ok(e instanceof UnrollError, `${what}: ${e}`);
      assert.match(e.message, /^f\.safetensors: /, what);
      assert.match(e.message, message, what);
      return true;
    }, what);
  }
  assert.equal(decodeSafetensors(rawFile(ok, t8)).tensors.get('a')!.data.length, 2);
});

test('loading names what is missing: a PyTorch file without a config, tensors outside the prefix', () => {
  const bytes = readFileSync(join(FIXTURES, 'torch-lstm2.safetensors'));
  assert.throws(() => fromSafetensors(new Uint8Array(bytes)), /has no unroll metadata \(a PyTorch state_dict\?\); give option "config"/);
  const c = readCase('lstm2');
  assert.throws(() => fromSafetensors(new Uint8Array(bytes), { config: c.config as never, prefix: 'lstm.' }), /tensor "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0" and 5 more is under none of "lstm."/);
  const own = toSafetensors(new RNN({ inputSize: 1, hiddenSize: 2 }));
  assert.throws(() => fromSafetensors(own, { config: { inputSize: 1, hiddenSize: 2 } }), /holds its own unroll config; leave out option "config"/);
  const wrong = new Map<string, SafeTensor>([['rnn.weight_ih_l0', { dtype: 'F64', shape: [3, 1], data: new Float64Array(3) }]]);
  assert.throws(() => fromSafetensors(encodeSafetensors(wrong), { config: { inputSize: 1, hiddenSize: 2 } }), UnrollError);
});

test('random corruptions of a valid file either load or throw UnrollError with a short message (seeded, 300 cases)', () => {
  const good = toSafetensors(new RNN({ cell: 'gru', inputSize: 2, hiddenSize: 3, seed: 2 }));
  const rng = new Rng(77);
  let refused = 0;
  for (let i = 0; i < 300; i++) {
    const b = Uint8Array.from(good);
    const flips = 1 + rng.int(4);
    for (let f = 0; f < flips; f++) b[rng.int(Math.min(b.length, 8 + 400))] = rng.int(256);
    const cut = rng.next() < 0.2 ? b.subarray(0, rng.int(b.length)) : b;
    try {
      fromSafetensors(cut);
    } catch (e) {
      assert.ok(e instanceof UnrollError, `case ${i}: ${(e as Error).stack}`);
      assert.ok(e.message.length < 300, `case ${i}: ${e.message.length} characters: ${e.message}`);
      refused++;
    }
  }
  assert.ok(refused > 150, `only ${refused} of 300 corruptions were refused: the cases do not reach the checks`);
});

