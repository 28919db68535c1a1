import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays, getColumn, joinByDate, sliceFrame } from './frame.js';
import { throwsWith } from './test-helpers.js';

const stock = frameFromArrays({ close: [10, 20, 30, 40] }, { dates: ['d1', 'd2', 'd3', 'd4'], source: 'stock.csv' });
const gold = frameFromArrays({ gold: [2000, 4000, 6000] }, { dates: ['d2', 'd3', 'd5'], source: 'gold.csv' });

test('inner join keeps common dates in order (seed 004: stock and gold price)', () => {
  const j = joinByDate([stock, gold]);
  assert.deepEqual(j.dates, ['d2', 'd3']);
  assert.deepEqual([...j.columns.close!], [20, 30]);
  assert.deepEqual([...j.columns.gold!], [2000, 4000]);
  assert.equal(j.source, 'stock.csv + gold.csv');
});

test('join: column collisions need a prefix; no common date is an error', () => {
  throwsWith(() => joinByDate([stock, stock]), 'column "close" comes from both stock.csv and stock.csv', 'prefix');
  const j = joinByDate([stock, { frame: stock, prefix: 'b_' }]);
  assert.deepEqual(j.names, ['close', 'b_close']);
  const other = frameFromArrays({ x: [1] }, { dates: ['z'], source: 'x.csv' });
  throwsWith(() => joinByDate([stock, other]), 'stock.csv + x.csv have no date in common');
  throwsWith(() => joinByDate([{ frame: stock, columns: ['open'] }]), 'stock.csv: no column "open"', '"close"');
  throwsWith(() => joinByDate([]), 'no frames');
});

test('frameFromArrays validates lengths and values; getColumn and sliceFrame', () => {
  throwsWith(() => frameFromArrays({ a: [1, 2], b: [1] }), 'column "b" has 1 values but column "a" has 2');
  throwsWith(() => frameFromArrays({ a: [1, NaN] }, { source: 'mem' }), 'mem: column "a", index 1: NaN');
  throwsWith(() => frameFromArrays({ a: [1] }, { dates: ['x', 'y'] }), '2 dates for 1 values');
  throwsWith(() => frameFromArrays({}), 'no columns');
  throwsWith(() => getColumn(stock, 'constructor'), 'no column "constructor"');
  const s = sliceFrame(stock, 1, 3);
  assert.deepEqual(s.dates, ['d2', 'd3']);
  assert.deepEqual([...getColumn(s, 'close')], [20, 30]);
});
