/**
 * Residual connections of the stack (stack.ts): oˡ = hˡ + oˡ⁻ᵏ at the end of each block of k
 * layers but the first. Backward checked against finite differences in float64 for plain, dilated
 * and bidirectional stacks, with and without dropout and skips; forward against equations written
 * out here; options, summary and model files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network, type NetworkOptions } from './model.js';
import { RecurrentLayer } from './layer.js';
import { Stack } from './stack.js';
import { ElmanCell } from './elman.js';
import { ParamStore } from './params.js';
import { referenceBackend } from '../kernels/index.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck, relativeError } from '../testing/gradcheck.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import { toTargetSet } from '../train/fit.js';
import { Trainer } from '../train/trainer.js';
import { Rng } from '../util/rng.js';
import { analyticGradients, randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

const LENGTHS = [5, 1, 3, 4];

/** Finite differences against BPTT for one configuration (dropout masks drawn once, then frozen). */
function check(name: string, opts: Partial<NetworkOptions>, seed: number): void {
  for (const outputMode of ['last', 'sequence'] as const) {
    test(`residual ${name} (${outputMode}, variable lengths): BPTT equals finite differences`, () => {
      const rng = new Rng(seed + outputMode.length);
      const model = new Network({ inputSize: 2, hiddenSize: 3, outputSize: 2, outputMode, learnInitialState: true, seed, ...opts });
      assert.ok(model.config.residual > 0);
      randomizeInitialStates(model, rng);
      const set = toSequenceSet(randomSequences(rng, LENGTHS, 2), 2);
      const targets = toTargetSet(model, set, randomTargets(rng, LENGTHS, 2, outputMode === 'sequence'), false);
      if ((opts.dropout ?? 0) > 0) {
        model.training = true;
        new Trainer(model, { loss: 'ssr' }).evaluateBatch(set, targets, Int32Array.from(LENGTHS.keys()), 0, LENGTHS.length, false);
        model.stack.freezeMasks = true;
      }
      const r = gradCheck(model, set, targets, { loss: 'ssr', eps: 1e-4 });
      assert.ok(r.maxGrad > 1e-3, 'the check must see non-trivial gradients');
      assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
      assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
    });
  }
}

check('elman stack of 3', { cell: 'elman', numLayers: 3, residual: true }, 11);
check('lstm stack of 3 with dropout and both skips', { cell: 'lstm', numLayers: 3, residual: true, dropout: 0.3, inputToEveryLayer: true, everyLayerToHead: true }, 12);
check('gru stack of 4 in blocks of 2, every layer to head', { cell: 'gru', numLayers: 4, residual: 2, everyLayerToHead: true }, 13);
check('dilated gru stack (dilations 1, 2, 3)', { cell: 'gru', numLayers: 3, dilations: [1, 2, 3], residual: true }, 14);
check('dilated lstm stack of 4 in blocks of 2 (dilations 1, 2, 1, 3) with dropout and input skips', { cell: 'lstm', numLayers: 4, dilations: [1, 2, 1, 3], residual: 2, dropout: 0.25, inputToEveryLayer: true }, 15);
check('bidirectional elman stack of 3 (concat)', { cell: 'elman', numLayers: 3, bidirectional: true, residual: true }, 16);
check('bidirectional gru stack of 2 (sum) with dropout and both skips', { cell: 'gru', numLayers: 2, bidirectional: true, mergeMode: 'sum', residual: 1, dropout: 0.4, inputToEveryLayer: true, everyLayerToHead: true }, 17);

/** h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) over one sequence, from the equations. */
function elmanLayer(w: Record<string, { data: number[] }>, l: number, D: number, H: number, seq: number[][]): number[][] {
  const hs: number[][] = [];
  let prev = new Array<number>(H).fill(0);
  for (const x of seq) {
    const h: number[] = [];
    for (let i = 0; i < H; i++) {
      let z = w[`bias_ih_l${l}`].data[i] + w[`bias_hh_l${l}`].data[i];
      for (let j = 0; j < D; j++) z += w[`weight_ih_l${l}`].data[i * D + j] * x[j];
      for (let j = 0; j < H; j++) z += w[`weight_hh_l${l}`].data[i * H + j] * prev[j];
      h.push(Math.tanh(z));
    }
    hs.push(h);
    prev = h;
  }
  return hs;
}

const add = (a: number[][], b: number[][]): number[][] => a.map((r, t) => r.map((v, j) => v + b[t][j]));

test('forward follows the equations: residual 1 gives o¹ = h¹ + o⁰, o² = h² + o¹; residual 2 over 4 layers adds o¹ to h³ only', () => {
  const rng = new Rng(5);
  const x = randomSequences(rng, [6], 2)[0];
  const H = 3;
  for (const [residual, L] of [[1, 3], [2, 4]] as const) {
    const model = new Network({ inputSize: 2, hiddenSize: H, numLayers: L, residual, outputMode: 'sequence', seed: 8 });
    const W = model.getWeights();
    const o: number[][][] = [];
    for (let l = 0; l < L; l++) {
      const h = elmanLayer(W, l, l === 0 ? 2 : H, H, l === 0 ? x : o[l - 1]);
      const addsFrom = residual === 1 ? (l >= 1 ? l - 1 : -1) : (l === 3 ? 1 : -1);
      o.push(addsFrom >= 0 ? add(h, o[addsFrom]) : h);
    }
    const want = o[L - 1].map((r) => W['head.bias'].data[0] + r.reduce((s, v, j) => s + v * W['head.weight'].data[j], 0));
    const got = (model.predict([x]) as number[][][])[0].map((r) => r[0]);
    got.forEach((v, t) => assert.ok(Math.abs(v - want[t]) < 1e-12, `residual ${residual}, step ${t}: ${v} vs ${want[t]}`));
    // The same weights without the connection give other outputs: the option is not a no-op.
    const plain = new Network({ inputSize: 2, hiddenSize: H, numLayers: L, outputMode: 'sequence', seed: 8 });
    assert.ok(Math.abs((plain.predict([x]) as number[][][])[0][5][0] - got[5]) > 1e-6);
  }
});

test('many-to-one with residual: each sample\'s output is the sequence output at its own last step', () => {
  const rng = new Rng(6);
  const x = randomSequences(rng, [5, 2, 4], 2);
  const opts: NetworkOptions = { cell: 'lstm', inputSize: 2, hiddenSize: 4, numLayers: 3, residual: true, dilations: [1, 2, 1], seed: 3 };
  const last = new Network(opts);
  const seq = new Network({ ...opts, outputMode: 'sequence' });
  seq.setWeights(last.getWeights());
  const a = last.predict(x) as number[][];
  const b = seq.predict(x) as number[][][];
  x.forEach((s, n) => assert.ok(Math.abs(a[n][0] - b[n][s.length - 1][0]) < 1e-12));
});

test('bad residual options give clear errors', () => {
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, residual: true }), /option "residual" is true; expected false when numLayers is 1/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, numLayers: 3, residual: 2 }), /option "residual" is 2; expected a block size that divides numLayers \(3\) into at least two blocks, such as 1/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, numLayers: 4, residual: 4 }), /option "residual" is 4; expected a block size that divides numLayers \(4\) into at least two blocks, such as 1 or 2/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, numLayers: 2, residual: 1.5 }), /option "residual" is 1.5; expected true, false or a block size k/);
  assert.throws(() => new Network({ inputSize: 1, hiddenSize: 2, numLayers: 2, residual: 'yes' as unknown as boolean }), /"residual".*true, false or a block size/);
  // A Stack of layers whose sizes differ cannot add them.
  const k = referenceBackend();
  const layer = (D: number, H: number, l: number, store = new ParamStore()) => new RecurrentLayer(new ElmanCell(k, store, { inputSize: D, hiddenSize: H, suffix: `_l${l}` }), store, { suffix: `_l${l}` });
  assert.throws(() => new Stack([layer(1, 3, 0), layer(3, 4, 1)], k, 1, { residual: true }),
    /Stack: option "residual" \(true\) adds layer 0's output \(3 numbers a step\) to layer 1's \(4\); expected equal sizes/);
  assert.equal(new Stack([layer(1, 3, 0), layer(3, 3, 1)], k, 1, { residual: true }).residual, 1);
});

test('summary names the residual connections; false and 0 mean none', () => {
  assert.match(new Network({ inputSize: 1, hiddenSize: 4, numLayers: 2, residual: true }).summary(), /\(residual: each layer's input added to its output\)/);
  assert.match(new Network({ inputSize: 1, hiddenSize: 4, numLayers: 4, residual: 2 }).summary(), /\(residual: every 2 layers, each block's input added to its output\)/);
  const none = new Network({ inputSize: 1, hiddenSize: 4, numLayers: 2, residual: false });
  assert.equal(none.config.residual, 0);
  assert.doesNotMatch(none.summary(), /residual/);
});

test('a residual stack on the float32 WebAssembly backend equals the float64 reference in outputs and gradients', () => {
  const wasm = createWasmBackendSync();
  assert.equal(wasm.name, 'wasm', 'this test needs the WebAssembly backend');
  const rng = new Rng(12);
  const cases: NetworkOptions[] = [
    { cell: 'gru', inputSize: 3, hiddenSize: 12, outputSize: 2, numLayers: 4, dilations: [1, 2, 1, 4], residual: 2, everyLayerToHead: true, outputMode: 'sequence', seed: 5 },
    { cell: 'lstm', inputSize: 3, hiddenSize: 8, outputSize: 2, numLayers: 3, residual: true, inputToEveryLayer: true, seed: 6 },
    { cell: 'elman', inputSize: 3, hiddenSize: 6, outputSize: 2, numLayers: 2, bidirectional: true, residual: true, seed: 7 },
  ];
  for (const opts of cases) {
    const ref = new Network(opts);
    const fast = new Network({ ...opts, backend: wasm });
    fast.setWeights(ref.getWeights());
    const lengths = [9, 3, 6, 1, 5, 9];
    const x = randomSequences(rng, lengths, 3);
    const y = randomTargets(rng, lengths, 2, opts.outputMode === 'sequence');
    const a = (ref.predict(x) as number[][]).flat(2), b = (fast.predict(x) as number[][]).flat(2);
    assert.equal(a.length, b.length);
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 2e-5, `${opts.cell} output ${i}: ${v} vs ${b[i]}`));
    const ga = analyticGradients(ref, x, y), gb = analyticGradients(fast, x, y);
    const scale = Math.max(...Object.values(ga).flat().map(Math.abs));
    for (const name of Object.keys(ga)) ga[name].forEach((v, i) => {
      assert.ok(relativeError(v, gb[name][i], 1e-2 * scale) < 1e-3, `${opts.cell} ${name}[${i}]: ${v} vs ${gb[name][i]}`);
    });
  }
});

test('a residual model saves and loads with its block size, and a file without the field loads as a stack without residual connections', async () => {
  const { RNN, modelFromJSON } = await import('../train/model.js');
  const rng = new Rng(21);
  const model = new RNN({ cell: 'gru', inputSize: 2, hiddenSize: 3, numLayers: 4, residual: 2, dilations: [1, 2, 1, 4], seed: 3 });
  const x = randomSequences(rng, [9, 4], 2);
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  assert.equal(json.config.residual, 2);
  assert.deepEqual((modelFromJSON(json) as InstanceType<typeof RNN>).predict(x), model.predict(x));
  delete json.config.residual;
  const plain = modelFromJSON(json) as InstanceType<typeof RNN>;
  assert.equal(plain.config.residual, 0);
  assert.notDeepEqual(plain.predict(x), model.predict(x));
  assert.throws(() => modelFromJSON({ ...json, config: { ...json.config, residual: 3 } }), /"config.residual" is 3; expected a block size that divides numLayers \(4\)/);
});

test('tfjs and ONNX export refuse a residual stack with the reason (neither has the connection in its recurrent operators)', async () => {
  const { RNN } = await import('../train/model.js');
  const { tfjsUnsupported } = await import('../interop/tfjs.js');
  const { onnxUnsupported } = await import('../interop/onnx.js');
  const model = new RNN({ cell: 'gru', cellOptions: { resetAfter: false }, inputSize: 1, hiddenSize: 2, numLayers: 2, residual: true });
  assert.match(tfjsUnsupported(model)!, /residual connections have no Sequential tfjs equivalent/);
  assert.match(onnxUnsupported(model)!, /residual connections have no ONNX recurrent operator/);
  assert.equal(onnxUnsupported(new RNN({ cell: 'gru', inputSize: 1, hiddenSize: 2, numLayers: 2 })), null);
});
