import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { frameFromArrays, sliceFrame } from '../data/frame.js';
import { parseCsvFrame } from '../data/csv.js';
import { Forecaster, type ForecasterOptions } from './forecaster.js';
import { fitSeasonal, seasonalView } from './seasonal-normalise.js';
import { seasonalityTest } from './methods/seasonality.js';
import { UnrollError } from '../util/errors.js';

/** A seeded uniform generator in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 16807) % 2147483647; return s / 2147483647; };
}

/** Quarterly dates from 1960 Q1. */
function quarters(n: number): string[] {
  return Array.from({ length: n }, (_, t) => `${1960 + Math.floor(t / 4)}-${String(1 + 3 * (t % 4)).padStart(2, '0')}-01`);
}

/** Business days from Monday 2001-01-01 (no weekends). */
function businessDays(n: number): string[] {
  const out: string[] = [];
  for (let d = new Date(Date.UTC(2001, 0, 1)); out.length < n; d = new Date(d.getTime() + 86400_000)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** The known pattern: quarter indices averaging 1. */
const PATTERN = [1.3, 0.8, 0.7, 1.2];

/** y_t = (100 + 0.5 t) · PATTERN[t mod 4] · (1 + 1% noise). */
function seasonalQuarterly(n: number): number[] {
  const u = uniform(7);
  return Array.from({ length: n }, (_, t) => (100 + 0.5 * t) * PATTERN[t % 4] * (1 + 0.02 * (u() - 0.5)));
}

/** A geometric random walk (prices): trending, not seasonal. */
function randomWalk(n: number, seed: number): number[] {
  const u = uniform(seed);
  const y = [100];
  for (let t = 1; t < n; t++) y.push(y[t - 1] * Math.exp(0.01 * (u() - 0.5) + 0.001));
  return y;
}

const quick: ForecasterOptions = {
  features: ['logReturn:value'], predict: 'return', scaler: 'standard', lookback: 12,
  model: { cell: 'elman', hiddenSize: 8 }, training: { epochs: 20, batchSize: 16, learningRate: 0.01, seed: 3 },
};

test('normalising and its inverse round-trip exactly, from either anchor date', () => {
  const y = Float64Array.from(seasonalQuarterly(60));
  const dates = quarters(60);
  const s = fitSeasonal(y.subarray(0, 48), dates.slice(0, 48), 'classical', 4);
  assert.equal(s.kind, 'classical', s.note);
  const frame = frameFromArrays({ value: y }, { dates, source: 'q' });
  const v = seasonalView(s, frame, y, 'q')!;
  for (let t = 0; t < y.length; t++) {
    assert.equal(v.factors[t], s.kind === 'classical' ? s.indices[t % 4] : NaN, `factor of row ${t}`);
    assert.ok(Math.abs(v.adjusted[t] * v.factors[t] - y[t]) <= 1e-12 * y[t], `row ${t}: ${v.adjusted[t] * v.factors[t]} vs ${y[t]}`);
  }
  // Data that starts at the last training row (the first anchor is gone) gets the same factors.
  const later = sliceFrame(frame, 47, 60);
  const w = seasonalView(s, later, later.columns.value, 'q')!;
  for (let t = 0; t < 13; t++) assert.equal(w.factors[t], v.factors[47 + t]);
  assert.equal(w.factorAt(13 + 5), v.factorAt(60 + 5), 'future rows continue the same positions');
  // Data holding neither anchor is refused, not silently misaligned.
  const detached = sliceFrame(frame, 50, 60);
  assert.throws(() => seasonalView(s, detached, detached.columns.value, 'q'), (e: unknown) => e instanceof UnrollError && /anchored at the dates 1960-01-01 and 1971-10-01/.test(e.message));
});

test('classical: on a series with a known multiplicative seasonal pattern the forecast recovers it', () => {
  const y = seasonalQuarterly(80);
  const frame = frameFromArrays({ value: y }, { dates: quarters(80), source: 'synthetic quarterly' });
  const f = new Forecaster({ ...quick, seasonal: 'classical' });
  f.fit(frame);
  assert.equal(f.seasonal.series.kind, 'classical', f.seasonal.series.note);
  const fc = f.forecast(frame, 8).series.map((p) => p.value);
  // Rows 80 … 87 are quarters 1 … 4 twice. Each forecast over the mean of its year is the pattern.
  for (let year = 0; year < 2; year++) {
    const mean = fc.slice(4 * year, 4 * year + 4).reduce((a, b) => a + b, 0) / 4;
    for (let q = 0; q < 4; q++) {
      const shape = fc[4 * year + q] / mean;
      assert.ok(Math.abs(shape - PATTERN[q]) < 0.03, `year ${year + 1}, quarter ${q + 1}: ${shape.toFixed(3)} against ${PATTERN[q]}`);
    }
  }
  // Within 5% of the next year's true values (level 140 … 143.5 without noise).
  for (let h = 0; h < 4; h++) {
    const truth = (100 + 0.5 * (80 + h)) * PATTERN[h];
    assert.ok(Math.abs(fc[h] / truth - 1) < 0.05, `step ${h + 1}: ${fc[h].toFixed(1)} against ${truth.toFixed(1)}`);
  }
  // The same network without the normalisation misses the pattern by far more.
  const off = new Forecaster({ ...quick, seasonal: 'off' });
  off.fit(frame);
  const fo = off.forecast(frame, 4).series.map((p) => p.value);
  const err = (g: number[]): number => g.reduce((s, v, h) => s + Math.abs(v / ((100 + 0.5 * (80 + h)) * PATTERN[h]) - 1), 0);
  assert.ok(err(fc.slice(0, 4)) < err(fo), `error with normalisation ${err(fc.slice(0, 4)).toFixed(3)}, without ${err(fo).toFixed(3)}`);
});

test('a saved and loaded forecaster reproduces the seasonal forecast, and a bad index in the file is refused', () => {
  const y = seasonalQuarterly(60);
  const frame = frameFromArrays({ value: y }, { dates: quarters(60), source: 'q' });
  const f = new Forecaster({ ...quick, seasonal: 'classical', training: { ...quick.training, epochs: 3 } });
  f.fit(frame);
  const json = JSON.parse(JSON.stringify(f.toJSON()));
  assert.equal(json.seasonal.series.kind, 'classical');
  const g = Forecaster.fromJSON(json);
  assert.deepEqual(g.forecast(frame, 6), f.forecast(frame, 6));
  assert.deepEqual(g.predictSpan(frame, { start: 50 }), f.predictSpan(frame, { start: 50 }));
  const bad = JSON.parse(JSON.stringify(json));
  bad.seasonal.series.indices[2] = -1;
  assert.throws(() => Forecaster.fromJSON(bad, { source: 'm.json' }), (e: unknown) => e instanceof UnrollError && /m\.json/.test(e.message) && /seasonal\.series\.indices/.test(e.message) && /above 0/.test(e.message));
  const short = JSON.parse(JSON.stringify(json));
  short.seasonal.series.indices.pop();
  assert.throws(() => Forecaster.fromJSON(short), (e: unknown) => e instanceof UnrollError && /one index per season position/.test(e.message));
});

test('a non-seasonal series is untouched: prices that pass M4 test on their trend are not normalised, and forecast as with seasonal off', () => {
  const y = randomWalk(300, 11);
  const dates = businessDays(300);
  assert.equal(seasonalityTest(y, 5).seasonal, true, 'the trend alone passes M4\'s test');
  const s = fitSeasonal(y, dates, 'auto', 5);
  assert.equal(s.kind, 'none');
  assert.match(s.note, /seasonal strength 0\.\d\d < 0\.5/);
  const frame = frameFromArrays({ value: y }, { dates, source: 'walk' });
  const a = new Forecaster({ ...quick, training: { ...quick.training, epochs: 3 } });
  a.fit(frame, { trainEnd: 250 });
  const b = new Forecaster({ ...quick, seasonal: 'off', training: { ...quick.training, epochs: 3 } });
  b.fit(frame, { trainEnd: 250 });
  assert.deepEqual(a.predictSpan(frame, { start: 250 }), b.predictSpan(frame, { start: 250 }));
  assert.deepEqual(a.forecast(frame, 5), b.forecast(frame, 5));
  // Period 1 and unknown frequencies: no season at all.
  assert.equal(fitSeasonal(y, dates, 'classical', 1).kind, 'none');
  // The bundled daily S&P 500 closes and weekly closes are not normalised either.
  for (const [file, m] of [['sp500_daily_ohlcv_2000_2020.csv', 5], ['sp500_weekly_2015_2020.csv', 52]] as const) {
    const fr = parseCsvFrame(readFileSync(fileURLToPath(new URL(`../../data/${file}`, import.meta.url)), 'utf8'), { source: file });
    const d = fitSeasonal(fr.columns.close, fr.dates, 'auto', m);
    assert.equal(d.kind, 'none', `${file}: ${d.note}`);
  }
});

test('seasonal and period options are checked', () => {
  assert.throws(() => new Forecaster({ seasonal: 'weekly' as never }), (e: unknown) => e instanceof UnrollError && /seasonal/.test(e.message) && /'auto', 'off', 'classical', 'holt-winters'/.test(e.message));
  assert.throws(() => new Forecaster({ period: 0 }), (e: unknown) => e instanceof UnrollError && /period/.test(e.message));
  const y = seasonalQuarterly(40);
  // 'classical' normalises a positive series of two seasons whatever the test says; negative values never.
  assert.equal(fitSeasonal(y.slice(0, 8), quarters(8), 'classical', 4).kind, 'classical');
  assert.equal(fitSeasonal(y.slice(0, 8), quarters(8), 'auto', 4).kind, 'none');
  const neg = y.map((v, t) => (t === 5 ? -v : v));
  assert.match(fitSeasonal(neg, quarters(40), 'classical', 4).note, /training row 6 is -/);
});

test('holt-winters: the filter reproduces the ETS fit\'s final states, round-trips exactly, and continues from the last training row', () => {
  const y = Float64Array.from(seasonalQuarterly(60));
  const dates = quarters(60);
  const s = fitSeasonal(y.subarray(0, 48), dates.slice(0, 48), 'holt-winters', 4);
  assert.equal(s.kind, 'holt-winters', s.note);
  if (s.kind !== 'holt-winters') return;
  const so = s.trend === 'N' ? 1 : 2;
  const train = frameFromArrays({ value: y.subarray(0, 48) }, { dates: dates.slice(0, 48), source: 'q' });
  const v = seasonalView(s, train, train.columns.value, 'q')!;
  // Row 48 + j takes the seasonal state of row 44 + j, which ETS's own filter (methods/ets.ts) left as s_{−(3−j)}.
  for (let j = 0; j < 4; j++) {
    const ours = v.factorAt(48 + j, 47);
    const ets = s.end.states[so + 3 - j];
    assert.ok(Math.abs(ours - ets) <= 1e-12 * ets, `position ${j}: ${ours} vs ETS ${ets}`);
  }
  const frame = frameFromArrays({ value: y }, { dates, source: 'q' });
  const w = seasonalView(s, frame, y, 'q')!;
  for (let t = 0; t < 60; t++) assert.ok(Math.abs(w.adjusted[t] * w.factors[t] - y[t]) <= 1e-12 * y[t], `row ${t}`);
  // A multi-step factor uses only the states known at the origin: 6 steps from row 47 is position of row 45's state.
  assert.equal(w.factorAt(53, 47), w.factorAt(49, 47));
  const later = sliceFrame(frame, 47, 60);
  const u = seasonalView(s, later, later.columns.value, 'q')!;
  for (let t = 1; t < 13; t++) assert.ok(Math.abs(u.factors[t] - w.factors[47 + t]) <= 1e-12, `row ${47 + t}: ${u.factors[t]} vs ${w.factors[47 + t]}`);
});

test('holt-winters (the default, auto): the forecast recovers a known seasonal pattern, and save/load reproduces it', () => {
  const y = seasonalQuarterly(80);
  const frame = frameFromArrays({ value: y }, { dates: quarters(80), source: 'synthetic quarterly' });
  const f = new Forecaster(quick);
  f.fit(frame);
  assert.equal(f.seasonal.series.kind, 'holt-winters', f.seasonal.series.note);
  const fc = f.forecast(frame, 8).series.map((p) => p.value);
  for (let h = 0; h < 8; h++) {
    const truth = (100 + 0.5 * (80 + h)) * PATTERN[h % 4];
    assert.ok(Math.abs(fc[h] / truth - 1) < 0.05, `step ${h + 1}: ${fc[h].toFixed(1)} against ${truth.toFixed(1)}`);
  }
  const g = Forecaster.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
  assert.deepEqual(g.forecast(frame, 8), f.forecast(frame, 8));
  const bad = JSON.parse(JSON.stringify(f.toJSON()));
  bad.seasonal.series.end.states.pop();
  assert.throws(() => Forecaster.fromJSON(bad), (e: unknown) => e instanceof UnrollError && /one seasonal state per season position/.test(e.message));
});
