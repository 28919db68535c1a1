import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  directionalAccuracy, evaluateForecast, mae, mape, mase, naiveScale, oneStepPrevious, rmse, smape, theilU,
} from './metrics.js';
import { close, throwsWith } from '../data/test-helpers.js';

// Worked by hand: errors A - F = 1, -1, 0.
const train = [1, 2, 4, 3];
const actual = [3, 5, 4];
const predicted = [2, 6, 4];
const previous = [3, 3, 5]; // last training value, then actual shifted by one

test('MAE, RMSE, MAPE, sMAPE by hand', () => {
  close(mae(actual, predicted), 2 / 3);
  close(rmse(actual, predicted), Math.sqrt(2 / 3));
  close(mape(actual, predicted), (100 * (1 / 3 + 1 / 5 + 0)) / 3);
  close(smape(actual, predicted), (100 * ((2 * 1) / 5 + (2 * 1) / 11 + 0)) / 3);
  close(smape([0, 2], [0, 2]), 0); // the 0/0 term counts as 0
});

test('MASE with the in-sample naive scale, non-seasonal and seasonal', () => {
  // m = 1: scale = (|2-1| + |4-2| + |3-4|) / 3 = 4/3
  close(naiveScale(train, 1), 4 / 3);
  close(mase(actual, predicted, { train }), 2 / 3 / (4 / 3));
  // m = 2: scale = (|4-1| + |3-2|) / 2 = 2
  close(mase(actual, predicted, { train, period: 2 }), 1 / 3);
});

test('directional accuracy and Theil U against naive', () => {
  // actual moves 0, +2, -1; predicted moves -1, +3, -1 -> 2 of 3 agree
  close(directionalAccuracy(actual, predicted, previous), 2 / 3);
  // sqrt((1 + 1 + 0) / (0 + 4 + 1))
  close(theilU(actual, predicted, previous), Math.sqrt(2 / 5));
  // the naive forecast itself has U = 1
  close(theilU(actual, previous, previous), 1);
  assert.deepEqual([...oneStepPrevious(train, actual)], previous);
});

test('evaluateForecast collects every metric; undefined ones are null', () => {
  const m = evaluateForecast(actual, predicted, { train });
  close(m.mae, 2 / 3);
  close(m.mase!, 0.5);
  close(m.theilU!, Math.sqrt(2 / 5));
  close(m.directionalAccuracy!, 2 / 3);
  // The naive forecast never predicts a move: it makes no call on direction.
  const previousOf = oneStepPrevious(train, actual);
  assert.equal(evaluateForecast(actual, previousOf, { train }).directionalAccuracy, null);
  const zero = evaluateForecast([0, 1], [1, 1], { train: [5, 5] });
  assert.equal(zero.mape, null);
  assert.equal(zero.mase, null); // constant training series
  assert.equal(evaluateForecast([2, 2], [2, 2], { train: [1, 2] }).theilU, null);
});

test('metric errors', () => {
  throwsWith(() => mae([1, 2], [1]), 'mae: "predicted" has 1 values but "actual" has 2');
  throwsWith(() => rmse([], []), 'no values');
  throwsWith(() => mae([1, NaN], [1, 2]), '"actual"[1] is NaN');
  throwsWith(() => mape([0, 1], [1, 1]), 'actual[0] is 0');
  throwsWith(() => mase([1], [1], { train: [1, 2], period: 2 }), 'has 2 values; expected more than the period (2)');
  throwsWith(() => mase([1], [1], { train: [3, 3, 3] }), 'scale is 0');
  throwsWith(() => mase([1], [1], { train: [1, 2], period: 0 }), 'option "period" is 0');
  throwsWith(() => theilU([1], [2], [1]), 'never move');
  throwsWith(() => evaluateForecast([1], [1], { train: [1] }), 'expected more than the period');
});

test('M4 scores: OWA from pooled means, coverage and MSIS by hand', async () => {
  const { owa, coverage, msis } = await import('./metrics.js');
  close(owa(10, 2, 20, 1), 0.5 * (10 / 20 + 2 / 1));
  throwsWith(() => owa(1, 1, 0, 1), 'Naive2 scores 0');
  // actual 3, 5, 4 against [2, 4], [2, 4], [3, 5]: 5 is above its interval
  close(coverage([3, 5, 4], [2, 2, 3], [4, 4, 5]), 2 / 3);
  // widths 2, 2, 2; penalty (2/0.2)·(5 − 4) = 10; scale with m = 1 on train = 4/3
  close(msis([3, 5, 4], [2, 2, 3], [4, 4, 5], { train, level: 0.8 }), (6 + 10) / 3 / (4 / 3));
  throwsWith(() => msis([1], [0], [2], { train: [5, 5, 5], level: 0.95 }), 'scale is 0');
  throwsWith(() => msis([1], [0], [2], { train, level: 95 }), 'option "level" is 95');
});
