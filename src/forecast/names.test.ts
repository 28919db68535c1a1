/**
 * Names are data: any name a CSV can hold (`__proto__`, `constructor`, `toString`, `hasOwnProperty`)
 * as a ticker, a wide column or the target round-trips through reading, training, saving, loading
 * and forecasting, and no built-in prototype is touched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsvFrame, parseCsvSeries } from '../data/csv.js';
import { getColumn } from '../data/frame.js';
import { Forecaster } from './forecaster.js';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const quick = { lookback: 4, model: { cell: 'elman', hiddenSize: 3 }, training: { epochs: 2, patience: 0 } };

function rows(n: number, f: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => f(i)).join('\n');
}

function roundTrip(f: Forecaster): Forecaster {
  return Forecaster.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
}

test('tickers named like Object.prototype members train, save, load and forecast as series of their own', () => {
  const text = 'ticker,date,value\n' + NAMES.map((name, k) => rows(30, (i) => `${name},2020-01-${String(i + 1).padStart(2, '0')},${100 + k * 10 + Math.sin(i) * 3}`)).join('\n');
  const set = parseCsvSeries(text, { source: 'long.csv' });
  assert.deepEqual(set.ids, NAMES);
  for (const name of NAMES) assert.ok(Object.prototype.hasOwnProperty.call(set.series, name), name);
  const f = new Forecaster(quick);
  f.fit(set);
  const loaded = roundTrip(f);
  assert.deepEqual(Object.keys(loaded.scalers).sort(), [...NAMES].sort());
  const fc = loaded.forecast(set, 2);
  assert.deepEqual(Object.keys(fc).sort(), [...NAMES].sort());
  for (const name of NAMES) assert.ok(fc[name].every((p) => Number.isFinite(p.value)), name);
  assert.equal(({} as Record<string, unknown>).value, undefined, 'Object.prototype was polluted');
});

test('a wide column named __proto__ is a column, and works as the target', () => {
  const frame = parseCsvFrame('date,__proto__,other\n' + rows(40, (i) => `${i + 1},${50 + Math.cos(i)},${i}`), { source: 'wide.csv' });
  assert.deepEqual(frame.names, ['__proto__', 'other']);
  assert.equal(getColumn(frame, '__proto__').length, 40);
  const f = new Forecaster({ ...quick, target: '__proto__' });
  f.fit(frame);
  const fc = roundTrip(f).forecast(frame, 1);
  assert.ok(Number.isFinite(fc.series[0].value));
  const wide = parseCsvSeries('date,__proto__,b\n' + rows(30, (i) => `${i + 1},${10 + Math.sin(i)},${20 + Math.cos(i)}`), { source: 'wide.csv' });
  assert.deepEqual(wide.ids, ['__proto__', 'b']);
  const g = new Forecaster(quick);
  g.fit(wide);
  assert.deepEqual(Object.keys(roundTrip(g).forecast(wide, 1)).sort(), ['__proto__', 'b']);
});
