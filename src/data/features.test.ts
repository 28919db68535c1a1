import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFeatures, matrixColumn, normalizeFeatures } from './features.js';
import { frameFromArrays } from './frame.js';
import { close, throwsWith } from './test-helpers.js';

const ohlcv = frameFromArrays(
  { open: [9, 10, 12], high: [11, 13, 12.5], low: [8, 9.5, 11], close: [10, 12, 9], volume: [100, 1000, 10] },
  { dates: ['2020-01-01', '2020-01-02', '2020-01-03'], source: 'ohlcv.csv' },
);

test('OHLC levels give a [T, 4] matrix (seed 003: D = 4)', () => {
  const m = buildFeatures(ohlcv, ['ohlc']);
  assert.equal(m.rows, 3);
  assert.equal(m.cols, 4);
  assert.deepEqual(m.names, ['open', 'high', 'low', 'close']);
  assert.deepEqual([...m.data.subarray(4, 8)], [10, 13, 9.5, 12]); // row 1
  assert.deepEqual(m.dates, ohlcv.dates);
});

test('returns, log-returns and log volume; the first row is dropped for all features', () => {
  const m = buildFeatures(ohlcv, ['close', 'return:close', 'logReturn:close', 'logVolume']);
  assert.deepEqual(m.names, ['close', 'return(close)', 'logReturn(close)', 'log(volume)']);
  assert.equal(m.rows, 2);
  assert.deepEqual(m.dates, ['2020-01-02', '2020-01-03']);
  close(matrixColumn(m, 0), [12, 9]);
  close(matrixColumn(m, 1), [0.2, -0.25]); // 12/10 - 1, 9/12 - 1
  close(matrixColumn(m, 2), [Math.log(1.2), Math.log(0.75)]);
  close(matrixColumn(m, 3), [3 * Math.LN10, Math.LN10]); // ln 1000, ln 10
  const named = buildFeatures(ohlcv, [{ kind: 'level', column: 'close', name: 'price' }]);
  assert.deepEqual(named.names, ['price']);
});

test('feature errors name the file, line/date and column', () => {
  const bad = frameFromArrays({ close: [1, 0, 2], volume: [5, 0, 5] }, { dates: ['a', 'b', 'c'], source: 'bad.csv' });
  throwsWith(() => buildFeatures(bad, ['logVolume']), 'bad.csv, date b, column "volume"', 'has no logarithm');
  throwsWith(() => buildFeatures(bad, ['return:close']), 'bad.csv, date b, column "close"', 'return infinite');
  throwsWith(() => buildFeatures(bad, ['logReturn:close']), 'date b', 'has no logarithm');
  const fromFile = { ...bad, lines: Int32Array.from([2, 3, 4]) };
  throwsWith(() => buildFeatures(fromFile, ['logVolume']), 'bad.csv, line 3 (date b), column "volume"');
  throwsWith(() => buildFeatures(ohlcv, ['adj']), 'ohlcv.csv: no column "adj"');
  throwsWith(() => buildFeatures(frameFromArrays({ close: [1] }), ['return:close']), 'need at least 2 rows');
  throwsWith(() => normalizeFeatures([]), 'option "features"');
  throwsWith(() => normalizeFeatures(['square:close']), 'feature kind "square" is unknown');
  throwsWith(() => normalizeFeatures(['close', 'close']), 'feature "close" is chosen twice');
});
