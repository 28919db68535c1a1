import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingSummary } from './budget.js';

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
