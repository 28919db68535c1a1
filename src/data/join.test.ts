import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from './frame.js';
import { describeJoin, joinFrames } from './join.js';

// Main: five business days; extra: misses Wednesday (a holiday of its own) and ends on Thursday.
const main = frameFromArrays({ close: [1, 2, 3, 4, 5] }, { dates: ['2020-01-06', '2020-01-07', '2020-01-08', '2020-01-09', '2020-01-10'], source: 'main.csv' });
const gold = frameFromArrays({ gold: [10, 20, 40] }, { dates: ['2020-01-03', '2020-01-07', '2020-01-09'], source: 'gold.csv' });

test('ffill keeps the main dates within the extra span and carries the last value forward', () => {
  const { frame, report } = joinFrames(main, [gold], 'ffill');
  assert.deepEqual(frame.dates, ['2020-01-06', '2020-01-07', '2020-01-08', '2020-01-09']);
  assert.deepEqual(Array.from(frame.columns.gold), [10, 20, 20, 40]);
  assert.deepEqual(Array.from(frame.columns.close), [1, 2, 3, 4]);
  assert.deepEqual(report.dropped, [['2020-01-10', '2020-01-10', 1]]);
  assert.equal(report.filled.gold, 2);
  assert.match(describeJoin(report, 'main.csv', ['gold.csv']), /kept 4 of 5 rows\. Dropped 1 row: 2020-01-10\. Carried forward: 2 gold values\./);
});

test('inner keeps only common dates; auto chooses ffill when the extra file has gaps inside its span', () => {
  const inner = joinFrames(main, [gold], 'inner');
  assert.deepEqual(inner.frame.dates, ['2020-01-07', '2020-01-09']);
  assert.deepEqual(inner.report.dropped.map((d) => d[2]), [1, 1, 1]);
  assert.equal(joinFrames(main, [gold]).report.mode, 'ffill');
  const full = frameFromArrays({ vix: [1, 2, 3, 4, 5, 6] }, { dates: ['2020-01-03', ...main.dates], source: 'vix.csv' });
  const auto = joinFrames(main, [full]);
  assert.equal(auto.report.mode, 'inner');
  assert.equal(auto.report.keptRows, 5);
  assert.throws(() => joinFrames(main, [frameFromArrays({ close: [1] }, { dates: ['2020-01-06'], source: 'b.csv' })]), /column "close" of b\.csv is also a column of main\.csv/);
});
