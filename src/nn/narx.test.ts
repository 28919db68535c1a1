import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network, type NetworkOptions } from './model.js';
import { toSequenceSet } from './sequences.js';
import { gradCheck } from '../testing/gradcheck.js';
import { toTargetSet } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { analyticGradients, maxRelativeError, numericGradients, randomSequences, randomTargets, randomizeInitialStates } from './test-helpers.js';

const E = 2, O = 1, H = 3;

/**
 * NARX from the equations: y_t = W_ho tanh(W_ih [x_t … x_{t−L}, f_{t−1} … f_{t−K}] + b_ih) + b_ho,
 * with f = the given teacher outputs (open loop) or the own outputs (closed loop); zeros before the start.
 */
function narxRun(w: Record<string, number[]>, L: number, K: number, xs: number[][], teacher: number[][] | null): number[][] {
  const ys: number[][] = [];
  const taps = (L + 1) * E + K * O;
  xs.forEach((_, t) => {
    const u: number[] = [];
    for (let l = 0; l <= L; l++) for (let e = 0; e < E; e++) u.push(t - l >= 0 ? xs[t - l][e] : 0);
    for (let k = 1; k <= K; k++) for (let o = 0; o < O; o++) u.push(t - k >= 0 ? (teacher ? teacher[t - k][o] : ys[t - k][o]) : 0);
    const h = Array.from({ length: H }, (_, i) => Math.tanh(w.bias_ih_l0[i] + u.reduce((s, v, j) => s + v * w.weight_ih_l0[i * taps + j], 0)));
    ys.push(Array.from({ length: O }, (_, o) => w.bias_ho_l0[o] + h.reduce((s, v, j) => s + v * w.weight_ho_l0[o * H + j], 0)));
  });
  return ys;
}

/** Input rows [x_t ‖ y_{t−1}] for open-loop training (the teacher columns). */
const withTeacher = (x: number[][][], y: number[][][]): number[][][] => x.map((seq, n) => seq.map((xt, t) => [...xt, ...(t > 0 ? y[n][t - 1] : new Array(O).fill(0))]));

const plainWeights = (m: Network): Record<string, number[]> => Object.fromEntries(Object.entries(m.getWeights()).map(([k, v]) => [k, v.data]));

for (const [L, K] of [[2, 3], [0, 2], [3, 0]]) {
  for (const feedback of ['closed', 'open'] as const) {
    for (const outputMode of ['sequence', 'last'] as const) {
      test(`NARX L=${L} K=${K}, ${feedback} loop (${outputMode}, variable lengths, learnable initial state): BPTT equals finite differences`, () => {
        const rng = new Rng(61 + L * 7 + K);
        const lengths = [5, 2, 4, 1];
        const inputSize = feedback === 'open' ? E + O : E;
        const model = new Network({ cell: 'narx', cellOptions: { inputDelays: L, outputDelays: K, feedback, exogenousSize: E }, inputSize, hiddenSize: H, outputSize: O, outputMode, learnInitialState: true, seed: 3 });
        randomizeInitialStates(model, rng);
        const set = toSequenceSet(randomSequences(rng, lengths, inputSize), inputSize);
        const r = gradCheck(model, set, toTargetSet(model, set, randomTargets(rng, lengths, O, outputMode === 'sequence'), false), { loss: 'ssr' });
        assert.ok(r.maxGrad > 1e-3);
        assert.ok(r.maxParamError < 1e-6, `parameter gradient error ${r.maxParamError} at ${r.worstParam}`);
        assert.ok(r.maxInputError < 1e-6, `input gradient error ${r.maxInputError}`);
      });
    }
  }
}

test('NARX open-loop training is a feed-forward net on the same windows: outputs and gradients equal the plain computation', () => {
  const rng = new Rng(71);
  const L = 2, K = 2;
  const lengths = [6, 3, 4];
  const x = randomSequences(rng, lengths, E);
  const y = randomTargets(rng, lengths, O, true) as number[][][];
  const model = new Network({ cell: 'narx', cellOptions: { inputDelays: L, outputDelays: K, feedback: 'open', exogenousSize: E }, inputSize: E + O, hiddenSize: H, outputSize: O, outputMode: 'sequence', seed: 8 });
  const xin = withTeacher(x, y);
  const got = model.predict(xin) as number[][][];
  x.forEach((seq, n) => narxRun(plainWeights(model), L, K, seq, y[n]).forEach((v, t) => assert.ok(Math.abs(v[0] - got[n][t][0]) < 1e-12, `sample ${n} step ${t}`)));
  const loss = (w: Record<string, number[]>): number => x.reduce((s, seq, n) => s + narxRun(w, L, K, seq, y[n]).reduce((a, v, t) => a + (v[0] - y[n][t][0]) ** 2, 0), 0);
  const e = maxRelativeError(analyticGradients(model, xin, y), numericGradients(loss, model.getWeights()));
  assert.ok(e.error < 1e-6, `open-loop gradient error ${e.error} at ${e.where}`);
});

test('NARX closed loop feeds back its own outputs (equals the recursion), and one model switches from open to closed loop', () => {
  const rng = new Rng(73);
  const L = 1, K = 3;
  const x = randomSequences(rng, [7, 4], E);
  const opts: NetworkOptions = { cell: 'narx', cellOptions: { inputDelays: L, outputDelays: K, feedback: 'closed', exogenousSize: E }, inputSize: E + O, hiddenSize: H, outputSize: O, outputMode: 'sequence', seed: 9 };
  const model = new Network(opts);
  // Closed loop ignores the teacher columns: fill them with noise.
  const xin = x.map((seq) => seq.map((xt) => [...xt, rng.uniform(-5, 5)]));
  const got = model.predict(xin) as number[][][];
  x.forEach((seq, n) => narxRun(plainWeights(model), L, K, seq, null).forEach((v, t) => assert.ok(Math.abs(v[0] - got[n][t][0]) < 1e-12)));
  const cell = (model.layers[0] as unknown as { cell: { feedback: string } }).cell;
  cell.feedback = 'open';
  const open = model.predict(xin) as number[][][];
  assert.notDeepEqual(open, got);
});

test('bad NARX options give clear errors', () => {
  assert.throws(() => new Network({ cell: 'narx', inputSize: 1, hiddenSize: 2, cellOptions: { inputDelays: 0, outputDelays: 0 } }), /"cellOptions.inputDelays" and "cellOptions.outputDelays" are both 0; a NARX network needs outputDelays ≥ 1 \(K, fed-back outputs\) or inputDelays ≥ 1 \(L, past inputs\)/);
  assert.throws(() => new Network({ cell: 'narx', inputSize: 1, hiddenSize: 2, cellOptions: { feedback: 'open' } }), /feedback "open" needs the true past outputs/);
  assert.throws(() => new Network({ cell: 'narx', inputSize: 4, hiddenSize: 2, cellOptions: { exogenousSize: 1 } }), /"exogenousSize" is 1; expected inputSize \(4\) or inputSize − outputSize \(3\)/);
  assert.throws(() => new Network({ cell: 'narx', inputSize: 1, hiddenSize: 2, cellOptions: { outputDelays: -1 } }), /"cellOptions.outputDelays" is -1; expected a non-negative integer/);
  assert.throws(() => new Network({ cell: 'narx', inputSize: 1, hiddenSize: 2, cellOptions: { feedback: 'half' as 'open' } }), /"cellOptions.feedback" is "half"/);
});

test('NARX class: closed-loop multi-step forecast reads the true history, then feeds back its own outputs (equals the recursion)', async () => {
  const { NARX } = await import('../train/model.js');
  const rng = new Rng(77);
  const L = 1, K = 2;
  const model = new NARX({ exogenousSize: E, outputSize: O, hiddenSize: H, inputDelays: L, outputDelays: K, seed: 4 });
  const histX = randomSequences(rng, [6], E)[0];
  const histY = histX.map(() => [rng.uniform(-1, 1)]);
  const futureX = randomSequences(rng, [4], E)[0];
  const got = model.forecast({ x: histX, y: histY, futureX, steps: 4 });
  // The recursion: true outputs over the history, own outputs after it.
  const xs = [...histX, ...futureX];
  const w = plainWeights(model);
  const fb: number[][] = histY.map((v) => [...v]);
  const taps = (L + 1) * E + K * O;
  for (let t = 6; t < 10; t++) {
    const u: number[] = [];
    for (let l = 0; l <= L; l++) for (let e = 0; e < E; e++) u.push(xs[t - l][e]);
    for (let k = 1; k <= K; k++) u.push(fb[t - k][0]);
    const h = Array.from({ length: H }, (_, i) => Math.tanh(w.bias_ih_l0[i] + u.reduce((s, v, j) => s + v * w.weight_ih_l0[i * taps + j], 0)));
    fb.push([w.bias_ho_l0[0] + h.reduce((s, v, j) => s + v * w.weight_ho_l0[j], 0)]);
    assert.ok(Math.abs(got[t - 6][0] - fb[t][0]) < 1e-12, `forecast step ${t - 6}: ${got[t - 6][0]} vs ${fb[t][0]}`);
  }
  assert.throws(() => model.forecast({ x: histX, y: histY, steps: 2 }), /option "futureX" .*2 rows of 2 exogenous inputs/);
});

test('NARX class trains open-loop and closed-loop on an autoregressive series (E = 0), lowering the loss', async () => {
  const { NARX } = await import('../train/model.js');
  // y_t = 0.6·y_{t−1} − 0.3·y_{t−2} + small noise, windows of 12 steps
  const rng = new Rng(79);
  const series: number[] = [0.5, -0.2];
  for (let t = 2; t < 400; t++) series.push(0.6 * series[t - 1] - 0.3 * series[t - 2] + 0.3 * rng.uniform(-1, 1));
  const y = Array.from({ length: 30 }, (_, i) => series.slice(i * 12, i * 12 + 12).map((v) => [v]));
  for (const training of ['open', 'closed'] as const) {
    const model = new NARX({ hiddenSize: 6, outputDelays: 2, inputDelays: 0, training, seed: 2 });
    const h = model.fit(null, y, { epochs: 60, batchSize: 10, optimizer: { type: 'adam', learningRate: 0.02 } });
    assert.ok(h.epochs[h.epochs.length - 1].loss < 0.7 * h.epochs[0].loss, `${training}: ${h.epochs[0].loss} → ${h.epochs[h.epochs.length - 1].loss}`);
    assert.equal(model.forecast({ y: y[0], steps: 5 }).length, 5);
  }
  assert.throws(() => new NARX({ hiddenSize: 2, training: 'both' as 'open' }), /option "training" is "both"/);
  assert.throws(() => new NARX({ hiddenSize: 2, outputDelays: 0, inputDelays: 0 }), /are both 0/);
});
