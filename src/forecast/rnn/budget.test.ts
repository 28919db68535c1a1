import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBudget, trainingSummary } from './budget.js';
import { frameFromArrays } from '../../data/frame.js';
import { Forecaster } from '../forecaster.js';

const log = (val: number[]): { epoch: number; loss: number; valLoss: number; gradNorm: number }[] => val.map((v, i) => ({ epoch: i + 1, loss: 1, valLoss: v, gradNorm: 1 }));

test('training summary: still improving when the budget ran out on its best epoch, and the CLI text says to raise --epochs', () => {
  const s = trainingSummary(log([5, 4, 3, 2]), { epochs: 4, patience: 2 });
  assert.equal(s.bestEpoch, 4);
  assert.equal(s.stillImproving, true);
  assert.equal(s.stoppedEarly, false);
  assert.equal(s.text, ', best epoch 4 of 4 (its weights are kept); still improving at the last epoch: raise --epochs');
});

test('training summary: stopped early is converged (not still improving); the first epoch kept is flagged; no validation says nothing', () => {
  const early = trainingSummary(log([5, 3, 4, 4]), { epochs: 10, patience: 2 });
  assert.deepEqual([early.bestEpoch, early.stoppedEarly, early.stillImproving, early.firstEpochKept], [2, true, false, false]);
  assert.equal(early.text, ', best epoch 2 of 4 (its weights are kept)');
  const first = trainingSummary(log([1, 2, 3]), { epochs: 3, patience: 0 });
  assert.deepEqual([first.bestEpoch, first.stillImproving, first.firstEpochKept], [1, false, true]);
  // Ran the whole budget, best a few epochs before the end: not "still improving".
  assert.equal(trainingSummary(log([5, 3, 4]), { epochs: 3, patience: 6 }).stillImproving, false);
  const none = trainingSummary([{ epoch: 1, loss: 1, gradNorm: 1 }], { epochs: 1, patience: 0 });
  assert.deepEqual([none.bestEpoch, none.text], [null, '']);
});

test("'auto' budget: about 2000 updates (30 to 400 epochs) and 200 updates of patience (6 to 50), whatever the series' length", () => {
  const auto = { epochs: 'auto', patience: 'auto', batchSize: 64, validationSplit: 0.1 } as const;
  // AirPassengers before its test span: 85 windows, 2 batches an epoch.
  assert.deepEqual(resolveBudget(auto, 85), { epochs: 400, patience: 50 });
  // nottem: 162 windows, 3 batches.
  assert.deepEqual(resolveBudget(auto, 162), { epochs: 400, patience: 50 });
  // co2: 345 windows, 5 batches.
  assert.deepEqual(resolveBudget(auto, 345), { epochs: 400, patience: 40 });
  // A daily index: 1458 windows, 21 batches.
  assert.deepEqual(resolveBudget(auto, 1458), { epochs: 96, patience: 10 });
  // S&P 500 daily: 4571 windows, 65 batches: the old 30 / 6.
  assert.deepEqual(resolveBudget(auto, 4571), { epochs: 31, patience: 6 });
  assert.deepEqual(resolveBudget(auto, 100000), { epochs: 30, patience: 6 });
  // Numbers given are kept.
  assert.deepEqual(resolveBudget({ ...auto, epochs: 7, patience: 0 }, 85), { epochs: 7, patience: 0 });
});

test("a Forecaster with epochs 'auto' trains the resolved budget, reports it, and saves it", () => {
  const y = Array.from({ length: 60 }, (_, t) => 100 + 5 * Math.sin(t / 3) + (t % 7) * 0.1);
  const frame = frameFromArrays({ close: y }, { source: 'test' });
  const f = new Forecaster({ lookback: 5, model: { cell: 'elman', hiddenSize: 2 }, training: { epochs: 'auto', patience: 'auto', batchSize: 64, seed: 1 } });
  let told: unknown = null;
  f.fit(frame, { onBudget: (b) => { told = b; } });
  assert.deepEqual(told, { epochs: 400, patience: 50 });
  assert.deepEqual(f.budget, told);
  assert.ok(f.epochs.length <= 400 && f.epochs.length >= 51);
  assert.equal(f.trainingSummary().budget, 400);
  assert.deepEqual(Forecaster.fromJSON(JSON.parse(JSON.stringify(f.toJSON()))).budget, told);
});
