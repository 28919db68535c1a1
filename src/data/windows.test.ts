import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastWindow, makeWindows, type WindowSource } from './windows.js';
import { close, throwsWith } from './test-helpers.js';

function series(values: number[], name?: string): WindowSource {
  return { x: { rows: values.length, cols: 1, data: Float64Array.from(values) }, y: values, ...(name ? { name } : {}) };
}

const oneToTwelve = Array.from({ length: 12 }, (_, i) => i + 1);

test('seed 004: features 1..9 -> label 10, 2..10 -> 11, 3..11 -> 12', () => {
  const w = makeWindows(series(oneToTwelve), { lookback: 9 });
  assert.equal(w.count, 3);
  assert.equal(w.steps, 9);
  assert.equal(w.features, 1);
  assert.deepEqual([...w.x.subarray(0, 9)], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...w.x.subarray(9, 18)], [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual([...w.targets], [10, 11, 12]);
  assert.deepEqual([...w.lengths], [9, 9, 9]);
  assert.deepEqual([...w.end], [8, 9, 10]);
});

test('multivariate steps are laid out [N, T, D]', () => {
  // two features per step: (price, gold) as seed 004's stock-and-gold table
  const x = { rows: 4, cols: 2, data: Float64Array.from([10, 2000, 20, 4000, 30, 6000, 50, 8000]) };
  const w = makeWindows({ x, y: [10, 20, 30, 50] }, { lookback: 2 });
  assert.equal(w.count, 2);
  assert.deepEqual([...w.x], [10, 2000, 20, 4000, 20, 4000, 30, 6000]);
  assert.deepEqual([...w.targets], [30, 50]);
});

test('targets: return, logReturn, direction and a horizon of h steps', () => {
  const prices = [10, 12, 9, 9, 18];
  const ret = makeWindows(series(prices), { lookback: 2, target: 'return' });
  close(ret.targets, [9 / 12 - 1, 0, 1]); // 12->9, 9->9, 9->18
  const logRet = makeWindows(series(prices), { lookback: 2, target: 'logReturn' });
  close(logRet.targets, [Math.log(0.75), 0, Math.log(2)]);
  const dir = makeWindows(series(prices), { lookback: 2, target: 'direction' });
  assert.deepEqual([...dir.targets], [0, 0, 1]); // down, flat (not up), up
  const multi = makeWindows(series(prices), { lookback: 2, horizon: 3 });
  assert.equal(multi.count, 1);
  assert.equal(multi.horizon, 3);
  assert.deepEqual([...multi.targets], [9, 9, 18]);
  assert.deepEqual([...makeWindows(series(prices), { lookback: 2, stride: 2 }).end], [1, 3]);
});

test("companies with different history lengths share one set through lengths (StatQuest's 9-day and 5-day companies)", () => {
  const nineDays = series([1, 2, 3, 4, 5, 6, 7, 8, 9], 'A');
  const fiveDays = series([10, 20, 30, 40, 50], 'B');
  throwsWith(() => makeWindows([nineDays, fiveDays], { lookback: 8 }), 'series "B"', '5 rows are shorter than the window', 'need at least 9 rows', 'minLength to at most 4');
  const w = makeWindows([nineDays, fiveDays], { lookback: 8, minLength: 4 });
  // A: windows ending at rows 3..7 (lengths 4..8); B: ending at row 3 (length 4)
  assert.deepEqual([...w.lengths], [4, 5, 6, 7, 8, 4]);
  assert.deepEqual([...w.sourceIndex], [0, 0, 0, 0, 0, 1]);
  assert.deepEqual([...w.targets], [5, 6, 7, 8, 9, 50]);
  const last = w.x.subarray(5 * 8, 6 * 8);
  assert.deepEqual([...last], [10, 20, 30, 40, 0, 0, 0, 0]); // left-aligned, zeros past the end
});

test('a span keeps only windows whose targets lie in it; inputs may look back before it', () => {
  const src = { ...series(oneToTwelve), span: { start: 10, end: 12 } };
  const w = makeWindows(src, { lookback: 3 });
  assert.deepEqual([...w.targets], [11, 12]);
  assert.deepEqual([...w.x.subarray(0, 3)], [8, 9, 10]);
  const train = makeWindows({ ...series(oneToTwelve), span: { start: 0, end: 10 } }, { lookback: 3 });
  assert.equal(Math.max(...train.targets), 10);
});

test('window errors name the file, series and lines', () => {
  const short = { ...series([1, 2, 3], 'GOOG'), source: 'stocks.csv', lines: [57, 58, 59] };
  throwsWith(() => makeWindows(short, { lookback: 5 }), 'stocks.csv, series "GOOG" (lines 57-59): 3 rows are shorter than the window', 'lookback 5 and horizon 1 need at least 6 rows');
  throwsWith(() => makeWindows(series(oneToTwelve), { lookback: 0 }), 'option "lookback" is 0');
  throwsWith(() => makeWindows(series(oneToTwelve), { lookback: 3, minLength: 4 }), 'option "minLength" is 4');
  throwsWith(() => makeWindows(series(oneToTwelve), { lookback: 3, target: 'price' as never }), 'option "target" is "price"');
  throwsWith(() => makeWindows({ x: { rows: 2, cols: 1, data: Float64Array.from([1, 2]) }, y: [1] }, { lookback: 1 }), 'y has 1 values but x has 2 rows');
  const twoCols = { x: { rows: 3, cols: 2, data: new Float64Array(6) }, y: [1, 2, 3], name: 'B' };
  throwsWith(() => makeWindows([series([1, 2, 3]), twoCols], { lookback: 1 }), 'series "B" has 2 features but series #0 has 1');
  throwsWith(() => makeWindows(series([1, 0, 2]), { lookback: 1, target: 'return' }), 'row 1', 'return infinite');
  throwsWith(() => makeWindows([], { lookback: 1 }), 'no series');
});

test('lastWindow: the inputs a model sees at a forecast origin', () => {
  const x = { rows: 5, cols: 1, data: Float64Array.from([0.5, 0.6, 0.7, 0.72, 0.75]) };
  const w = lastWindow(x, { lookback: 3, end: 2 });
  close(w.x, [0.5, 0.6, 0.7]);
  assert.equal(w.length, 3);
  close(lastWindow(x, { lookback: 3 }).x, [0.7, 0.72, 0.75]);
  const early = lastWindow(x, { lookback: 3, end: 0 });
  assert.equal(early.length, 1);
  close(early.x, [0.5, 0, 0]);
  throwsWith(() => lastWindow(x, { lookback: 3, end: 5 }), 'option "end" is 5');
});
