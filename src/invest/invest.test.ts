/**
 * invest() end to end: a planted, learnable edge is found and called significant; a random walk is
 * not; the walk-forward model never sees the future; policies turn rankings into weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../data/frame.js';
import { Rng } from '../util/rng.js';
import { invest } from './invest.js';
import { pricePanel, periodReturns } from './panel.js';
import { applyPolicy, type Signal } from './policies.js';
import { DEFAULT_INVEST_FORECASTER, investForecasterOptions, walkForwardSignal } from './walkforward.js';

/** Prices whose return depends on the return two days before (momentum, at lag 1, cannot see it). */
function plantedEdge(n: number, seed: number): { A: number[]; B: number[] } {
  const rng = new Rng(seed);
  const A = [100];
  const B = [100];
  const r = [0, 0];
  for (let t = 1; t < n; t++) {
    const next = 0.6 * r[r.length - 2] + 0.01 * rng.normal();
    r.push(next);
    A.push(A[t - 1] * (1 + next));
    B.push(B[t - 1] * (1 + 0.01 * rng.normal()));
  }
  return { A, B };
}

function randomWalks(n: number, seed: number, m = 2): Record<string, number[]> {
  const rng = new Rng(seed);
  const out: Record<string, number[]> = {};
  for (let i = 0; i < m; i++) {
    const p = [100];
    for (let t = 1; t < n; t++) p.push(p[t - 1] * Math.exp(0.01 * rng.normal()));
    out[`c${i}`] = p;
  }
  return out;
}

const dates = (n: number): string[] => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2001, 0, 1) + i * 86400000).toISOString().slice(0, 10));
const smallModel = {
  lookback: 5, minLength: 5, features: ['return:close'], predict: 'return' as const, scaler: 'standard' as const,
  model: { cell: 'gru', hiddenSize: 6 }, training: { epochs: 25, learningRate: 0.02, batchSize: 32, patience: 0, validationSplit: 0 },
};

test('a planted, learnable edge: the model\'s policy finds it and the test calls it significant', () => {
  const n = 650;
  const { A, B } = plantedEdge(n, 7);
  const frame = frameFromArrays({ A, B }, { dates: dates(n), source: 'planted' });
  const res = invest(frame, { start: 250, refitEvery: 100, forecaster: smallModel, policy: { kind: 'threshold' }, costBps: 5, coinRuns: 21, bootstrap: { resamples: 499 } });
  const model = res.strategies.find((s) => s.role === 'model')!;
  const naive = res.strategies.find((s) => s.role === 'naive')!;
  const basket = res.strategies.find((s) => s.role === 'basket')!;
  assert.ok(model.figures.sharpe > 2, `model Sharpe ${model.figures.sharpe}`);
  assert.ok(model.figures.sharpe > naive.figures.sharpe && model.figures.sharpe > basket.figures.sharpe);
  assert.ok(res.beats, res.verdict);
  assert.ok(res.pValue < 0.05, `p = ${res.pValue}`);
  assert.match(res.verdict, /beats buy-and-hold/);
  assert.equal(res.refits.length, 4);
});

test('a random walk: no significance at 5% in at least 90% of seeded runs (cheap signal)', () => {
  // the statistics are what is tested, so the signal is cheap: the mean of the last 5 returns
  let significant = 0;
  const runs = 30;
  for (let s = 0; s < runs; s++) {
    const n = 400;
    const walks = randomWalks(n, 500 + s);
    const frame = frameFromArrays(walks, { dates: dates(n), source: 'walk' });
    const panel = pricePanel(frame);
    const r = periodReturns(panel);
    const start = 100;
    const m = n - 1 - start;
    const scores = r.map((ri) => Float64Array.from({ length: m }, (_, t) => (ri[start + t - 1] + ri[start + t - 2] + ri[start + t - 3] + ri[start + t - 4] + ri[start + t - 5]) / 5));
    const signal: Signal = { name: 'mean of 5 returns', kind: 'return', scores };
    const res = invest(panel, { start, signal, policy: { kind: 'threshold' }, coinRuns: 5, bootstrap: { resamples: 299, seed: s } });
    if (res.beats) significant++;
  }
  assert.ok(significant <= runs * 0.1, `${significant} of ${runs} random walks called significant`);
});

test('a random walk with the real model: not called significant', () => {
  for (const seed of [1, 2]) {
    const n = 300;
    const frame = frameFromArrays(randomWalks(n, seed), { dates: dates(n), source: 'walk' });
    const res = invest(frame, { start: 150, refitEvery: 75, forecaster: { ...smallModel, training: { ...smallModel.training, epochs: 10 } }, coinRuns: 11, bootstrap: { resamples: 299 } });
    assert.equal(res.beats, false, res.verdict);
  }
});

test('walk-forward never sees the future: changing prices after date t leaves the scores up to t alone', () => {
  const n = 160;
  const { A, B } = plantedEdge(n, 3);
  const panel = pricePanel(frameFromArrays({ A, B }, { dates: dates(n), source: 'x' }));
  const opts = { refitEvery: 30, forecaster: { ...smallModel, training: { ...smallModel.training, epochs: 3 } } };
  const start = 60;
  const before = walkForwardSignal(panel, start, opts).signal.scores;
  const cut = 100; // decision index t = cut − start is the first one allowed to change
  const changed = { ...panel, prices: panel.prices.map((p) => Float64Array.from(p, (v, t) => (t > cut ? v * (1 + 0.3 * Math.sin(t)) : v))) };
  const after = walkForwardSignal(changed, start, opts).signal.scores;
  for (let i = 0; i < 2; i++) {
    for (let t = 0; t <= cut - start; t++) assert.equal(after[i][t], before[i][t], `company ${i}, decision ${t}`);
    assert.notDeepEqual(Array.from(after[i].subarray(cut - start + 1)), Array.from(before[i].subarray(cut - start + 1)));
  }
});

test('policies: all-in, top-k, invest-or-cash, short, missing scores', () => {
  const sig = (kind: 'return' | 'probability', s: number[][]): Signal => ({ name: 's', kind, scores: s.map((x) => Float64Array.from(x)) });
  const scores = [[0.3, NaN, 0.1], [0.2, 0.5, NaN], [0.9, 0.4, NaN]];
  assert.deepEqual(applyPolicy({ kind: 'all-in' }, sig('probability', scores)).map((w) => Array.from(w)), [[0, 0, 1], [0, 1, 0], [1, 0, 0]]);
  assert.deepEqual(applyPolicy({ kind: 'top-k', k: 2 }, sig('probability', scores)).map((w) => Array.from(w)), [[0.5, 0, 1], [0, 0.5, 0], [0.5, 0.5, 0]]);
  // threshold 0.45: t0 best 0.9 → in; t1 best 0.5 → in; t2 only 0.1 → cash
  assert.deepEqual(applyPolicy({ kind: 'threshold', threshold: 0.45 }, sig('probability', scores)).map((w) => Array.from(w)), [[0, 0, 0], [0, 1, 0], [1, 0, 0]]);
  // short below 1 − 0.45 = 0.55 when nothing clears 0.45... only company 0 at t2 (0.1 < 0.55) → short it
  assert.deepEqual(applyPolicy({ kind: 'threshold', threshold: 0.45, short: true }, sig('probability', scores)).map((w) => Array.from(w)), [[0, 0, -1], [0, 1, 0], [1, 0, 0]]);
  // forecast returns: the hurdle is 0
  assert.deepEqual(Array.from(applyPolicy({ kind: 'threshold' }, sig('return', [[0.01, -0.02, 0]]))[0]), [1, 0, 0]);
  assert.throws(() => applyPolicy({ kind: 'top-k', k: 4 }, sig('return', scores)), /at most 3/);
});

test('companies with different history lengths: one model ranks both once the short one has enough history', () => {
  const n = 200;
  const { A, B } = plantedEdge(n, 9);
  const long = frameFromArrays({ close: A }, { dates: dates(n), source: 'long' });
  const short = frameFromArrays({ close: B.slice(90) }, { dates: dates(n).slice(90), source: 'short' });
  const res = invest({ source: 'two', ids: ['long', 'short'], series: { long, short } }, { start: 80, refitEvery: 40, forecaster: { ...smallModel, training: { ...smallModel.training, epochs: 2 } }, coinRuns: 3, bootstrap: { resamples: 99 } });
  assert.deepEqual(res.refits.map((r) => r.companies), [['long'], ['long', 'short'], ['long', 'short']]);
  const model = res.strategies.find((s) => s.role === 'model')!;
  for (let t = 0; t < 10; t++) assert.equal(model.backtest.weights[1][t], 0); // no price yet → never held
});

test('predict direction: the model ranks by P(up) and the threshold policy uses 0.5', () => {
  const n = 200;
  const { A, B } = plantedEdge(n, 11);
  const panel = pricePanel(frameFromArrays({ A, B }, { dates: dates(n), source: 'dir' }));
  const res = walkForwardSignal(panel, 120, { refitEvery: 40, forecaster: { ...smallModel, predict: 'direction', training: { ...smallModel.training, epochs: 3 } } });
  assert.equal(res.signal.kind, 'probability');
  for (const s of res.signal.scores) for (const v of s) assert.ok(v > 0 && v < 1, `P(up) ${v}`);
  const w = applyPolicy({ kind: 'threshold' }, res.signal);
  for (let t = 0; t < w[0].length; t++) {
    const best = Math.max(res.signal.scores[0][t], res.signal.scores[1][t]);
    assert.equal(w[0][t] + w[1][t], best > 0.5 ? 1 : 0);
  }
});

test('a threshold given in P(up) units is not applied to momentum\'s returns: momentum uses its own hurdle, 0', () => {
  const n = 120;
  const { A, B } = plantedEdge(n, 5);
  const panel = pricePanel(frameFromArrays({ A, B }, { dates: dates(n), source: 'units' }));
  const start = 40;
  const m = n - 1 - start;
  const signal: Signal = { name: 'always 0.6', kind: 'probability', scores: [new Float64Array(m).fill(0.6), new Float64Array(m).fill(NaN)] };
  const res = invest(panel, { start, signal, policy: { kind: 'threshold', threshold: 0.55 }, coinRuns: 3, bootstrap: { resamples: 49 } });
  const naive = res.strategies.find((s) => s.role === 'naive')!;
  assert.ok(naive.figures.exposure > 0.3, `momentum invested ${naive.figures.exposure} of the time`);
});

test('the walk-forward model: the user\'s model and training settings are merged into the defaults key by key', () => {
  const o = investForecasterOptions({ lookback: 12, model: { hiddenSize: 4 }, training: { epochs: 3 } });
  // The given keys win; the default's other training and model keys stay (a shallow merge dropped them).
  assert.deepEqual(o.training, { epochs: 3, batchSize: 64, learningRate: 0.01, patience: 3, validationSplit: 0.1 });
  assert.deepEqual(o.model, { cell: 'gru', hiddenSize: 4 });
  assert.equal(o.lookback, 12);
  assert.equal(o.minLength, 6);
  assert.equal(o.predict, 'return');
  assert.equal(o.calibrationSplit, 0);
  // Nothing given: the defaults; the defaults object itself is never changed.
  assert.deepEqual(investForecasterOptions(), { ...DEFAULT_INVEST_FORECASTER, calibrationSplit: 0, minLength: 10 });
  assert.deepEqual(DEFAULT_INVEST_FORECASTER.training, { epochs: 8, batchSize: 64, learningRate: 0.01, patience: 3, validationSplit: 0.1 });
});
