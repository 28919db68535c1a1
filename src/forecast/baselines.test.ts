import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastBaseline, oneStepBaseline, standardBaselines } from './baselines.js';
import { close, throwsWith } from '../data/test-helpers.js';

const y = [1, 3, 2, 5, 4, 6];

test('h-step forecasts from the end of the history, by hand', () => {
  close(forecastBaseline(y, 3, { kind: 'naive' }), [6, 6, 6]);
  // slope (6 - 1) / 5 = 1
  close(forecastBaseline(y, 3, { kind: 'drift' }), [7, 8, 9]);
  close(forecastBaseline(y, 3, { kind: 'movingAverage', window: 2 }), [5, 5, 5]);
  // period 2: repeat the last cycle (4, 6)
  close(forecastBaseline(y, 3, { kind: 'seasonalNaive', period: 2 }), [4, 6, 4]);
  // period 4: last cycle (2, 5, 4, 6), then again
  close(forecastBaseline(y, 5, { kind: 'seasonalNaive', period: 4 }), [2, 5, 4, 6, 2]);
});

test('one-step-ahead over a test span, each from all values before it', () => {
  const span = { start: 3, end: 6 };
  close(oneStepBaseline(y, span, { kind: 'naive' }), [2, 5, 4]);
  // t=3: 2 + (2-1)/2; t=4: 5 + (5-1)/3; t=5: 4 + (4-1)/4
  close(oneStepBaseline(y, span, { kind: 'drift' }), [2.5, 5 + 4 / 3, 4.75]);
  close(oneStepBaseline(y, span, { kind: 'movingAverage', window: 2 }), [2.5, 3.5, 4.5]);
  close(oneStepBaseline(y, span, { kind: 'seasonalNaive', period: 3 }), [1, 3, 2]);
});

test('standard set for reports', () => {
  assert.deepEqual(standardBaselines().map((b) => b.name), ['naive', 'drift']);
  assert.deepEqual(standardBaselines({ window: 5, period: 12 }).map((b) => b.name), ['naive', 'drift', 'movingAverage(5)', 'seasonalNaive(12)']);
});

test('baseline errors', () => {
  throwsWith(() => forecastBaseline([1], 2, { kind: 'drift' }), 'drift baseline: the history has 1 values; expected at least 2');
  throwsWith(() => forecastBaseline(y, 2, { kind: 'seasonalNaive' }), 'option "period" of the seasonalNaive baseline is undefined');
  throwsWith(() => forecastBaseline(y, 2, { kind: 'movingAverage', window: 0 }), 'option "window" of the movingAverage baseline is 0');
  throwsWith(() => forecastBaseline(y, 0, { kind: 'naive' }), 'option "horizon" is 0');
  throwsWith(() => forecastBaseline([1, NaN], 1, { kind: 'naive' }), 'value [1] is NaN');
  throwsWith(() => forecastBaseline(y, 1, { kind: 'mean' as never }), 'baseline kind "mean" is unknown');
  throwsWith(() => oneStepBaseline(y, { start: 2, end: 6 }, { kind: 'seasonalNaive', period: 3 }), 'starts at row 2', 'expected at least 3');
  throwsWith(() => oneStepBaseline(y, { start: 2, end: 7 }, { kind: 'naive' }), 'option "span"');
});
