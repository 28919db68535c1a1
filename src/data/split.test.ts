import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chronologicalSplit, walkForwardFolds } from './split.js';
import { throwsWith } from './test-helpers.js';

test('chronological split by counts and by fractions', () => {
  assert.deepEqual(chronologicalSplit(144, { test: 24 }), {
    train: { start: 0, end: 120 },
    validation: { start: 120, end: 120 },
    test: { start: 120, end: 144 },
  });
  assert.deepEqual(chronologicalSplit(100, { test: 0.2, validation: 0.1 }), {
    train: { start: 0, end: 70 },
    validation: { start: 70, end: 80 },
    test: { start: 80, end: 100 },
  });
  throwsWith(() => chronologicalSplit(10, { test: 10 }), '10 rows cannot hold 10 test');
  throwsWith(() => chronologicalSplit(10, { test: 2.5 }), 'option "test" is 2.5');
  throwsWith(() => chronologicalSplit(10, { test: 0 }), 'option "test" is 0');
  throwsWith(() => chronologicalSplit(0, { test: 1 }), '0 rows');
});

test('walk-forward, expanding window, refit every step', () => {
  const folds = walkForwardFolds(6, { initialTrain: 4 });
  assert.deepEqual(folds, [
    { index: 0, train: { start: 0, end: 4 }, test: { start: 4, end: 5 } },
    { index: 1, train: { start: 0, end: 5 }, test: { start: 5, end: 6 } },
  ]);
});

test('walk-forward, sliding window, refit every 3 steps; the last fold is cut at the end', () => {
  const folds = walkForwardFolds(10, { initialTrain: 4, step: 3, mode: 'sliding', window: 2 });
  assert.deepEqual(
    folds.map((f) => [f.train.start, f.train.end, f.test.start, f.test.end]),
    [
      [2, 4, 4, 7],
      [5, 7, 7, 10],
    ],
  );
  const overlapping = walkForwardFolds(8, { initialTrain: 5, step: 1, testSize: 2 });
  assert.deepEqual(overlapping.map((f) => [f.test.start, f.test.end]), [[5, 7], [6, 8], [7, 8]]);
});

test('walk-forward option errors', () => {
  throwsWith(() => walkForwardFolds(5, { initialTrain: 5 }), 'option "initialTrain" is 5', 'has 5 rows');
  throwsWith(() => walkForwardFolds(5, { initialTrain: 2, step: 0 }), 'option "step" is 0');
  throwsWith(() => walkForwardFolds(5, { initialTrain: 2, window: 3 }), 'option "window" is 3');
  throwsWith(() => walkForwardFolds(5, { initialTrain: 2, mode: 'rolling' as never }), 'option "mode" is "rolling"');
});
