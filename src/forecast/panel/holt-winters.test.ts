import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceBackend } from '../../kernels/index.js';
import { relativeError } from '../../testing/gradcheck.js';
import { Rng } from '../../util/rng.js';
import { HwState, finalSeasonalIndices, hwParamCount, initialHwParams } from './holt-winters.js';
import { panelSettings } from './settings.js';
import { HwTrainer, buildNetwork, pinball } from './train.js';
import { BatchPacker } from './windows.js';

/**
 * A scalar loss of the Holt-Winters parameters built from everything training reads: the inputs x and
 * targets z of two windows (weighted by fixed random numbers) and the level penalty.
 */
function lossAndGradient(y: Float64Array, p: Float64Array, m: number, h: number, lambda: number, weights: Float64Array[], windows: [number, number][]): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(p.length);
  let loss = 0;
  windows.forEach(([start, end], w) => {
    const st = new HwState(m);
    st.forward(y, end, p, 0);
    const x = new Float64Array(end - start);
    const logLevel = st.windowInputs(y, start, end, x, 0);
    const wx = weights[2 * w]!;
    const wz = weights[2 * w + 1]!;
    for (let t = 0; t < x.length; t++) loss += wx[t]! * x[t]!;
    for (let k = 0; k < h; k++) loss += wz[k]! * (Math.log(y[end + k]!) - logLevel - st.logFutureSeason(end, k));
    loss += st.addPenalty(lambda);
    st.addWindowGradient(start, end, wx, wz, h);
    st.backward(y, grad, 0);
  });
  return { loss, grad };
}

const CASES: { label: string; m: number; n: number; h: number; windows: [number, number][] }[] = [
  { label: 'seasonal, m = 3', m: 3, n: 20, h: 5, windows: [[3, 12], [6, 15]] },
  { label: 'no seasonality, m = 1', m: 1, n: 20, h: 5, windows: [[3, 12], [6, 15]] },
  { label: 'a series shorter than two seasons has none', m: 4, n: 7, h: 2, windows: [[1, 4], [2, 5]] },
  { label: 'horizon past one season', m: 5, n: 27, h: 12, windows: [[3, 12], [6, 15]] },
];

for (const { label, m, n, h, windows } of CASES) {
  test(`Holt-Winters normalisation: exact gradient against central finite differences in float64 (${label})`, () => {
    const s = panelSettings({ horizon: h, period: m });
    const rng = new Rng(11 + m);
    const y = Float64Array.from({ length: n }, (_, t) => (5 + Math.sin(t)) * (1 + 0.3 * rng.next()));
    const P = hwParamCount(s);
    const p = new Float64Array(P);
    for (let j = 0; j < P; j++) p[j] = 0.8 * rng.normal();
    const weights = windows.flatMap(([start, end]) => [end - start, h]).map((len) => Float64Array.from({ length: len }, () => rng.normal()));
    const run = (q: Float64Array): { loss: number; grad: Float64Array } => lossAndGradient(y, q, m, h, 0.7, weights, windows);
    const { grad } = run(p);
    const eps = 1e-6;
    let worst = 0;
    for (let j = 0; j < P; j++) {
      const plus = Float64Array.from(p); plus[j]! += eps;
      const minus = Float64Array.from(p); minus[j]! -= eps;
      const numeric = (run(plus).loss - run(minus).loss) / (2 * eps);
      worst = Math.max(worst, relativeError(grad[j]!, numeric));
    }
    assert.ok(worst < 1e-6, `largest relative error ${worst}`);
    assert.ok(grad[0] !== 0, 'α receives a gradient');
    if (m >= 2 && n >= 2 * m) assert.ok(grad.slice(1).every((g) => g !== 0), 'γ and every initial index receive a gradient');
    else assert.ok(grad.slice(1).every((g) => g === 0), 'no seasonality: γ and the indices are unused');
  });
}

test('Holt-Winters normalisation: the recursion by hand, and seasonality off for a short series', () => {
  const s = panelSettings({ horizon: 2, period: 2 });
  // α = γ = 0.5 (logit 0), s_0 = s_1 = 1 (log 0)
  const p = Float64Array.from([0, 0, 0, 0]);
  const y = Float64Array.from([2, 4, 4, 8]);
  const st = new HwState(2);
  st.forward(y, 4, p, 0);
  // ℓ0 = 2; s2 = .5·2/2 + .5·1 = 1; ℓ1 = .5·4/1 + .5·2 = 3; s3 = .5·4/3 + .5 = 7/6;
  // ℓ2 = .5·4/1 + .5·3 = 3.5; s4 = .5·4/3.5 + .5·1 = 15/14; ℓ3 = .5·8/(7/6) + .5·3.5 = 24/7 + 1.75; s5 = .5·8/ℓ3 + .5·7/6
  const l3 = 24 / 7 + 1.75;
  const want = { level: [2, 3, 3.5, l3], season: [1, 1, 1, 7 / 6, 15 / 14, 0.5 * 8 / l3 + 0.5 * 7 / 6] };
  want.level.forEach((v, t) => assert.ok(Math.abs(st.level[t]! - v) < 1e-12, `level ${t}`));
  want.season.forEach((v, t) => assert.ok(Math.abs(st.season[t]! - v) < 1e-12, `season ${t}`));
  const short = new HwState(2);
  short.forward(Float64Array.from([2, 4, 4]), 3, Float64Array.from([0, 0, 1, -1]), 0);
  assert.equal(short.seasonal, false);
  assert.deepEqual(Array.from(short.season.subarray(0, 5)), [1, 1, 1, 1, 1]);
  // Initial indices from the first seasons: y = [1, 3, 1, 3] → log(0.5), log(1.5).
  const init = new Float64Array(4);
  initialHwParams([1, 3, 1, 3], s, init, 0);
  assert.ok(Math.abs(init[2]! - Math.log(0.5)) < 1e-12 && Math.abs(init[3]! - Math.log(1.5)) < 1e-12);
  const idx = finalSeasonalIndices([1, 3, 1, 3, 1, 3], s, init, 0);
  assert.ok(Math.abs(idx[0]! - 0.5) < 1e-9 && Math.abs(idx[1]! - 1.5) < 1e-9);
});

test('Holt-Winters normalisation in training: the gradient of pinball loss + level penalty reaches the per-series parameters exactly (network in float64)', () => {
  const s = panelSettings({ horizon: 3, period: 2, lookbackChunks: 3, hiddenSize: 4, numLayers: 1, batchSize: 4, normalisation: 'hw', levelPenalty: 0.5 });
  const rng = new Rng(5);
  const series = Array.from({ length: 3 }, (_, i) => Float64Array.from({ length: 16 + 2 * i }, (_, t) => (3 + i + (t % 2)) * (1 + 0.2 * rng.next())));
  const backend = referenceBackend();
  const net = buildNetwork(s, 3, backend, 9);
  // Give the head non-zero weights so that the outputs depend on the inputs.
  const head = net.store.find('head.weight')!;
  for (let j = 0; j < head.size; j++) net.store.values[head.offset + j] = 0.3 * rng.normal();
  const hw = new HwTrainer(series, s);
  for (let j = 0; j < hw.params.length; j++) hw.params[j]! += 0.3 * rng.normal();
  const pairs = Int32Array.from([0, 6, 1, 9, 2, 13, 0, 11]); // (series, end); a short window (end 6 → 3 chunks) included
  const packer = new BatchPacker(s, 4);
  const quantiles = [0.5, 0.025, 0.975];
  const lossAt = (params: Float64Array): number => {
    const saved = Float64Array.from(hw.params);
    hw.params.set(params);
    packer.pack(net, series, pairs, 0, 4, hw.params);
    net.forward();
    let loss = pinball(net, packer.target, quantiles, 4, 3);
    for (let b = 0; b < 4; b++) loss += packer.states[b]!.addPenalty(s.levelPenalty / 4);
    hw.params.set(saved);
    return loss;
  };
  packer.pack(net, series, pairs, 0, 4, hw.params);
  net.forward();
  pinball(net, packer.target, quantiles, 4, 3);
  backend.fill(net.store.count, 0, net.store.grads, 0);
  net.backward(true);
  const before = Float64Array.from(hw.params);
  hw.step(net, packer, series, pairs, 0, 4, 3, false);
  assert.deepEqual(hw.params, before, 'no update asked');
  const eps = 1e-6;
  let worst = 0;
  for (let j = 0; j < hw.params.length; j++) {
    const plus = Float64Array.from(before); plus[j]! += eps;
    const minus = Float64Array.from(before); minus[j]! -= eps;
    const numeric = (lossAt(plus) - lossAt(minus)) / (2 * eps);
    worst = Math.max(worst, relativeError(hw.grad[j]!, numeric));
  }
  assert.ok(worst < 1e-5, `largest relative error ${worst}`);
  assert.ok(hw.grad.some((g) => g !== 0));
});
