/**
 * The ETS–ARIMA companion's STL branch (companion.ts, etsArimaForecast's useStl): for m ≤ 24 the companion is
 * the same forecast to the bit with or without it (the mean of ets.ts's and arima.ts's own forecasts, as
 * before the branch), for m > 24 it is the mean of STL + ETS and STL + ARIMA (stlf.ts) where n > 2m, and the
 * non-seasonal pair where n ≤ 2m; STL is the default (STL_PAST_24 = true).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STL_PAST_24, etsArimaForecast } from './companion.js';
import { arima, arimaMethod } from '../methods/arima.js';
import { ets } from '../methods/ets.js';
import { stlf, stlfArima } from '../methods/stlf.js';
import { Rng } from '../../util/rng.js';

const mean2 = (a: Float64Array, b: Float64Array): number[] => Array.from(a, (v, k) => (v + b[k]!) / 2);

test('m ≤ 24: the companion with useStl is the one without it, bit for bit (the mean of ETS and ARIMA)', () => {
  const rng = new Rng(11);
  for (const m of [1, 4, 12, 24]) {
    const n = Math.max(40, 2 * m + 10);
    const y = Array.from({ length: n }, (_, t) => 50 + 0.3 * t + (m > 1 ? 5 * Math.sin((2 * Math.PI * t) / m) : 0) + rng.normal());
    const h = 6;
    const before = mean2(ets.fit(y, { period: m }).forecast(h).mean, arima.fit(y, { period: m }).forecast(h).mean);
    assert.deepEqual(Array.from(etsArimaForecast(y, h, m, true)), before, `m = ${m}`);
    assert.deepEqual(Array.from(etsArimaForecast(y, h, m, false)), before, `m = ${m}`);
  }
});

test('m = 52: STL + ETS and STL + ARIMA where n > 2m, by default; the non-seasonal pair where n ≤ 2m or without useStl', () => {
  const rng = new Rng(12);
  const y = Array.from({ length: 140 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 52) + 0.2 * t + rng.normal());
  const h = 8;
  const withStl = mean2(stlf.fit(y, { period: 52 }).forecast(h).mean, stlfArima.fit(y, { period: 52 }).forecast(h).mean);
  assert.deepEqual(Array.from(etsArimaForecast(y, h, 52, true)), withStl);
  const plain = (v: number[]): number[] => mean2(ets.fit(v, { period: 52 }).forecast(h).mean, arimaMethod({ seasonal: false }).fit(v, { period: 52 }).forecast(h).mean);
  assert.deepEqual(Array.from(etsArimaForecast(y, h, 52, false)), plain(y));
  assert.equal(STL_PAST_24, true);
  assert.deepEqual(Array.from(etsArimaForecast(y, h, 52)), withStl);
  // 104 values: two periods exactly, too few for STL.
  assert.deepEqual(Array.from(etsArimaForecast(y.slice(0, 104), h, 52, true)), plain(y.slice(0, 104)));
  // The season is used: STL's forecast follows the sine where the non-seasonal pair cannot.
  const truth = Array.from({ length: h }, (_, k) => 100 + 10 * Math.sin((2 * Math.PI * (140 + k)) / 52) + 0.2 * (140 + k));
  const err = (f: ArrayLike<number>): number => truth.reduce((t, v, k) => t + Math.abs(v - f[k]!), 0);
  assert.ok(err(withStl) < err(plain(y)), `${err(withStl)} against ${err(plain(y))}`);
});
