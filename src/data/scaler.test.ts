import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MinMaxScaler, StandardScaler, createScaler, scalerFromJSON } from './scaler.js';
import { close, throwsWith } from './test-helpers.js';

// Two columns, four rows: col 0 = 10, 20, 30, 100 (100 is "test data"); col 1 = 5 constant in training.
const data = Float64Array.from([10, 5, 20, 5, 30, 5, 100, 7]);
const train = { span: { start: 0, end: 3 } };

test('min-max to 0..1 fitted on the training span only', () => {
  const s = new MinMaxScaler().fit(data, 2, train);
  const y = s.transform(data, 2);
  // col 0: (x - 10) / 20 ; col 1 constant 5 → divisor 1: x - 5
  close(y, [0, 0, 0.5, 0, 1, 0, 4.5, 2]);
  close(s.inverseTransform(y), data);
  for (const v of y) assert.ok(Number.isFinite(v));
});

test('min-max with a configured range', () => {
  const s = new MinMaxScaler({ featureRange: [-1, 1] }).fit([0, 5, 10], 1);
  close(s.transform([0, 5, 10, 20], 1), [-1, 0, 1, 3]);
  close(s.inverseValue(0.5, 0), 7.5);
  throwsWith(() => new MinMaxScaler({ featureRange: [1, 1] }), 'option "featureRange"');
});

test('standard scaler: population mean and std of the training span', () => {
  const s = new StandardScaler().fit(data, 2, train);
  // col 0 training: mean 20, variance ((10)^2 + 0 + 10^2) / 3 = 200/3
  const sd = Math.sqrt(200 / 3);
  close(s.transform(data, 2), [-10 / sd, 0, 0, 0, 10 / sd, 0, 80 / sd, 2]);
  close(s.inverseTransform(s.transform(data, 2), 2), data);
});

test('JSON round trip keeps the mapping (stored with a model)', () => {
  for (const kind of ['minmax', 'standard', 'none'] as const) {
    const s = createScaler(kind).fit(data, 2, train);
    const json = JSON.parse(JSON.stringify(s));
    const back = scalerFromJSON(json);
    assert.equal(back.kind, kind);
    close(back.transform(data, 2), s.transform(data, 2));
    close(back.inverseTransform(data, 2), s.inverseTransform(data, 2));
  }
});

test('scaler errors', () => {
  throwsWith(() => new MinMaxScaler().transform([1], 1), 'used before fit');
  throwsWith(() => new MinMaxScaler().fit(data, 2).transform([1, 2, 3], 3), 'fitted on 2 column(s) but got 3');
  throwsWith(() => new MinMaxScaler().fit([1, 2, 3], 2), '3 values do not form rows of 2 columns');
  throwsWith(() => new MinMaxScaler().fit(data, 2, { span: { start: 3, end: 3 } }), 'option "span"');
  throwsWith(() => new StandardScaler().fit([1, NaN], 1), 'row 1, column 0 is NaN');
  throwsWith(() => createScaler('robust' as never), 'option "scaler" is "robust"');
  throwsWith(() => scalerFromJSON({ kind: 'minmax', featureRange: [0, 1], min: [0], max: [1, 2] }), '"max" has 2 entries; expected 1');
  throwsWith(() => scalerFromJSON({ kind: 'standard', mean: [0], std: ['x'] }), '"std"');
  throwsWith(() => scalerFromJSON(null), '"kind" is undefined');
});
