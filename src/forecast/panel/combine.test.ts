import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readWidePanel } from '../../data/node-io.js';
import { Rng } from '../../util/rng.js';
import { bandTemplate, calibrateBand, calibrateBandOnWindows, chooseWeight, combinedBand } from './combine.js';
import { AUTO_COST_MAX, COMPANION_CHOICES, SERIES_OPTIONS, autoCompanion, etsArimaCost, etsArimaForecast, seriesOptionForecasts, companionForecast, medianForecast, selectCompanion, seriesCompanion } from './companion.js';
import { arima, arimaMethod } from '../methods/arima.js';
import { ets } from '../methods/ets.js';
import { damped } from '../methods/holt.js';
import { theta } from '../methods/theta.js';
import { stlf, stlfArima } from '../methods/stlf.js';
import { smape } from '../metrics.js';
import { PanelForecaster } from './model.js';
import { panelRnn } from '../methods/panel.js';
import { panelSettings } from './settings.js';
import { validationSplit } from './validation.js';

test('weight: by hand, the even mix is exact; ties go to the companion', () => {
  // The network is 2 too high and the companion 2 too low everywhere: the even mix is exact.
  const actual = [[10, 10], [20, 20]];
  const { weight, scores } = chooseWeight([[12, 12], [22, 22]], [[8, 8], [18, 18]], actual);
  assert.equal(weight, 0.5);
  assert.equal(scores[2], 0);
  // w = 1: mean of 2·2/22 (twice) and 2·2/42 (twice); w = ¼: forecasts 9 and 19.
  assert.ok(Math.abs(scores[4]! - (4 / 22 + 4 / 42) / 2) < 1e-12);
  assert.ok(Math.abs(scores[1]! - (2 / 19 + 2 / 39) / 2) < 1e-12);
  // Both members equal: every weight scores the same, and the companion is kept.
  assert.equal(chooseWeight([[11, 11]], [[11, 11]], [[10, 10]]).weight, 0);
  // OWA-like score, scales 1 and 10: w = 1 gives sMAPE 2·2/22, 2·2/42 and MASE 2, 0.2, each relative to w = 0 (2·2/18, 2·2/38; 2, 0.2).
  const owa = chooseWeight([[12, 12], [22, 22]], [[8, 8], [18, 18]], actual, [1, 10]);
  const s0 = (4 / 18 + 4 / 38) / 2;
  const s1 = (4 / 22 + 4 / 42) / 2;
  assert.ok(Math.abs(owa.scores[4]! - (0.5 * s1 / s0 + 0.5)) < 1e-12);
  assert.equal(owa.scores[0], 1);
});

/** A panel of noisy trending series, the last h values of each as the validation window. */
function panel(seed: number, count: number, h: number): { actual: number[][]; good: number[][]; bad: number[][] } {
  const rng = new Rng(seed);
  const actual: number[][] = [];
  const good: number[][] = [];
  const bad: number[][] = [];
  for (let i = 0; i < count; i++) {
    const level = 50 + 100 * rng.next();
    const truth = Array.from({ length: h }, (_, k) => level * (1 + 0.01 * k));
    actual.push(truth.map((v) => v * (1 + 0.02 * rng.normal())));
    good.push(truth); // knows the trend
    bad.push(truth.map((v, k) => v * (1 + 0.3 * Math.sin(i + k)))); // wrong by up to 30%
  }
  return { actual, good, bad };
}

test('weight: the companion must win when the network is wrong, the network when it is right', () => {
  const { actual, good, bad } = panel(4, 20, 6);
  for (const scales of [undefined, actual.map(() => 1)]) {
    assert.equal(chooseWeight(bad, good, actual, scales).weight, 0, 'companion right, network wrong');
    assert.equal(chooseWeight(good, bad, actual, scales).weight, 1, 'network right, companion wrong');
  }
});

test('weight: the evidence rule, by hand on two series, and a panel of one series gets the companion', () => {
  // h = 1; actual 100 for both; the companion says 90, the network 100 and 95. sMAPE only: w = 1 is best.
  const actual = [[100], [100]];
  const net = [[100], [95]];
  const comp = [[90], [90]];
  // Shares of the score (each series' sMAPE term over the 2 terms): d_i = c_i(0) − c_i(1).
  const d = [(20 / 190) / 2 - 0, (20 / 190 - 10 / 195) / 2];
  const mean = (d[0]! + d[1]!) / 2;
  const sd = Math.abs(d[0]! - d[1]!) / Math.SQRT2;
  const z = (2 * mean) / (Math.SQRT2 * sd); // ≈ 3.09
  const free = chooseWeight(net, comp, actual);
  assert.equal(free.weight, 1);
  assert.ok(Math.abs(free.evidence - z) < 1e-12, `${free.evidence} against ${z}`);
  assert.equal(chooseWeight(net, comp, actual, undefined, z - 0.01).weight, 1);
  assert.equal(chooseWeight(net, comp, actual, undefined, z + 0.01).weight, 0);
  // One series: the network is exact and still gets no weight when two series are required.
  assert.equal(chooseWeight([[100]], [[90]], [[100]]).weight, 1);
  assert.equal(chooseWeight([[100]], [[90]], [[100]], undefined, 0, 2).weight, 0);
  assert.equal(chooseWeight(net, comp, actual, undefined, 0, 2).weight, 1);
});

test('companion: the median of Theta, damped, SES and naive, by hand on a line', () => {
  assert.deepEqual(Array.from(medianForecast([[1, 5], [3, 2], [2, 9]], 2)), [2, 5]);
  assert.deepEqual(Array.from(medianForecast([[1, 5], [3, 2], [2, 9], [10, 0]], 2)), [2.5, 3.5]);
  // Line 5 + 2t (t = 0 … 29), last value 63. Theta: half the extrapolated line (65) and half SES on 2y − line = y (63) = 64;
  // SES and naive: 63; damped Holt: between 63 and 65. Sorted 63, 63, 64, ≥ 64: the median is 63.5 at k = 1.
  const line = Array.from({ length: 30 }, (_, t) => 5 + 2 * t);
  assert.ok(Math.abs(companionForecast(line, 3, 1, 'theta')[0]! - 64) < 0.01);
  assert.ok(Math.abs(companionForecast(line, 3, 1, 'median')[0]! - 63.5) < 0.01);
  // Too short for every candidate: the last value.
  assert.deepEqual(Array.from(companionForecast([7], 2, 12)), [7, 7]);
});

test('companion choice: seasonal naive for a repeated season, a trend method for lines', () => {
  const rng = new Rng(2);
  const seasonal = Array.from({ length: 6 }, (_, i) => Array.from({ length: 60 }, (_, t) => (10 + i) * [1, 3, 2, 5][t % 4]!));
  const s = selectCompanion(seasonal, [0, 1, 2, 3, 4, 5], 8, 4);
  assert.equal(s.choice, 'snaive');
  assert.equal(s.scores[COMPANION_CHOICES.indexOf('snaive')], 0);
  assert.equal(s.lastWindow.length, 6);
  assert.deepEqual(Array.from(s.lastWindow[1]!), seasonal[1]!.slice(44, 52));
  // The window before (from the first 44 values): the season repeated again; a series too short for it has none.
  assert.deepEqual(Array.from(s.previousWindow[1]!), seasonal[1]!.slice(36, 44));
  const withShort = selectCompanion([...seasonal, seasonal[0]!.slice(0, 18)], [0, 6], 8, 4);
  assert.equal(withShort.previousWindow.length, 2);
  assert.equal(withShort.previousWindow[1], null);
  assert.deepEqual(Array.from(withShort.previousWindow[0]!), seasonal[0]!.slice(36, 44));
  const lines = Array.from({ length: 6 }, (_, i) => Array.from({ length: 40 }, (_, t) => 20 + (i + 1) * t + 0.1 * rng.normal()));
  const l = selectCompanion(lines, [0, 1, 2, 3, 4, 5], 6, 1);
  assert.ok(l.choice === 'damped' || l.choice === 'theta', l.choice);
});

test('auto companion: ETS–ARIMA where its cost (values, 12 times over for a seasonal ARIMA up to m = 12, 90 times up to 24, twice otherwise) is at most AUTO_COST_MAX', () => {
  const panel = [new Float64Array(10), new Float64Array(20), new Float64Array(30)];
  assert.equal(etsArimaCost(panel, 4), 720);
  assert.equal(etsArimaCost(panel, 12), 720);
  assert.equal(etsArimaCost(panel, 13), 5400);
  assert.equal(etsArimaCost(panel, 24), 5400);
  assert.equal(etsArimaCost(panel, 1), 120);
  assert.equal(etsArimaCost(panel, 52), 120);
  // 100 series of 1001 values: 100,100 values, 1,201,200 > 1,200,000 with m = 12; 99 series: 1,189,188.
  const big = Array.from({ length: 100 }, () => new Float64Array(1001));
  assert.equal(AUTO_COST_MAX, 1_200_000);
  assert.equal(autoCompanion(big, 12), 'select');
  assert.equal(autoCompanion(big, 1), 'ets-arima');
  assert.equal(autoCompanion(big.slice(0, 99), 12), 'ets-arima');
  // Hourly: 13 series of 1001 values cost 1,171,170; 14 cost 1,261,260.
  assert.equal(autoCompanion(big.slice(0, 13), 24), 'ets-arima');
  assert.equal(autoCompanion(big.slice(0, 14), 24), 'select');
});

test("auto companion: M4 Hourly's training file (414 series, period 24) costs 31,815,000 and keeps 'select', so npm run bench:m4 runs no ETS–ARIMA companion", () => {
  const train = readWidePanel(fileURLToPath(new URL('../../../bench/data/m4-hourly/Hourly-train.csv', import.meta.url))).series;
  assert.equal(train.length, 414);
  assert.equal(etsArimaCost(train, 24), 31_815_000);
  assert.equal(autoCompanion(train, 24), 'select');
});

test('per-series companion: six options scored on the last two windows from the methods themselves, the best one forecast', () => {
  const rng = new Rng(3);
  // A seasonal series with a trend and noise, period 4, h = 4: 40 values, two windows (cut after 32 and 36 values).
  const y = Array.from({ length: 40 }, (_, t) => 50 + 0.8 * t + 6 * [1, -2, 3, -2][t % 4]! + rng.normal());
  const h = 4;
  const m = 4;
  // The options at a cut, from the four methods called here directly.
  const options = (x: number[]): Record<string, number[]> => {
    const f = [theta, damped, ets, arima].map((method) => Array.from(method.fit(x, { period: m }).forecast(h).mean));
    const mean = f[0]!.map((_, k) => (f[0]![k]! + f[1]![k]! + f[2]![k]! + f[3]![k]!) / 4);
    const median = f[0]!.map((_, k) => { const v = f.map((g) => g[k]!).sort((a, b) => a - b); return (v[1]! + v[2]!) / 2; });
    return { mean, median, theta: f[0]!, damped: f[1]!, ets: f[2]!, arima: f[3]! };
  };
  const w1 = options(y.slice(0, 36));
  const w2 = options(y.slice(0, 32));
  const expected = SERIES_OPTIONS.map((o) => (smape(y.slice(36, 40), w1[o]!) + smape(y.slice(32, 36), w2[o]!)) / 100);
  const got = seriesCompanion(y, h, m);
  got.scores.forEach((v, j) => assert.ok(Math.abs(v - expected[j]!) < 1e-9, `${SERIES_OPTIONS[j]}: ${v} against ${expected[j]}`));
  assert.equal(got.option, SERIES_OPTIONS[expected.indexOf(Math.min(...expected))]);
  const full = options(y);
  got.forecast.forEach((v, k) => assert.ok(Math.abs(v - full[got.option]![k]!) < 1e-9));
  assert.deepEqual(Array.from(companionForecast(y, h, m, 'series')), Array.from(got.forecast));
  // The validation forecast of a combination (from y minus its last h values) never looks at those h values.
  const changed = [...y.slice(0, 36), 1, 2, 3, 4];
  assert.deepEqual(seriesCompanion(changed.slice(0, 36), h, m), seriesCompanion(y.slice(0, 36), h, m));
  // Past period 24 (weekly data, m = 52) the ARIMA option is the non-seasonal one.
  const weekly = Array.from({ length: 120 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 52) + 0.2 * t + rng.normal());
  assert.deepEqual(Array.from(seriesOptionForecasts(weekly, 6, 52).arima), Array.from(arimaMethod({ seasonal: false }).fit(weekly, { period: 52 }).forecast(6).mean));
  // Too short for any window: the mean of the four, with no score.
  const short = seriesCompanion([3, 4, 5, 6, 7], 4, 1);
  assert.equal(short.option, 'mean');
  assert.deepEqual(short.scores, [0, 0, 0, 0, 0, 0]);
});

test('ETS–ARIMA companion (the default): the mean of the two methods\' own forecasts, by hand; STL past period 24, non-seasonal ARIMA where too short for STL', () => {
  const rng = new Rng(4);
  const y = Array.from({ length: 48 }, (_, t) => 30 + 0.5 * t + 4 * [2, -1, 1, -2][t % 4]! + rng.normal());
  const e = ets.fit(y, { period: 4 }).forecast(6).mean;
  const a = arima.fit(y, { period: 4 }).forecast(6).mean;
  const got = companionForecast(y, 6, 4, 'ets-arima');
  assert.equal(got.length, 6);
  got.forEach((v, k) => assert.ok(Math.abs(v - (e[k]! + a[k]!) / 2) < 1e-12, `step ${k + 1}: ${v} against ${(e[k]! + a[k]!) / 2}`));
  const weekly = Array.from({ length: 120 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 52) + 0.2 * t + rng.normal());
  // More than 2m values: STL + ETS and STL + ARIMA (companion-stl.test.ts); at most 2m: the non-seasonal pair.
  const sw = stlf.fit(weekly, { period: 52 }).forecast(5).mean;
  const saw = stlfArima.fit(weekly, { period: 52 }).forecast(5).mean;
  etsArimaForecast(weekly, 5, 52).forEach((v, k) => assert.ok(Math.abs(v - (sw[k]! + saw[k]!) / 2) < 1e-12));
  const shortWeekly = weekly.slice(0, 100);
  const ew = ets.fit(shortWeekly, { period: 52 }).forecast(5).mean;
  const aw = arimaMethod({ seasonal: false }).fit(shortWeekly, { period: 52 }).forecast(5).mean;
  etsArimaForecast(shortWeekly, 5, 52).forEach((v, k) => assert.ok(Math.abs(v - (ew[k]! + aw[k]!) / 2) < 1e-12));
  // Two values: both methods fit, as R's (SES at R's starting α = 0.2 on a flat SSE: 5.2; ARIMA(0,0,0) with mean 5.5).
  etsArimaForecast([5, 6], 3, 1).forEach((v) => assert.ok(Math.abs(v - (5.2 + 5.5) / 2) < 1e-12, `${v}`));
});

test('model: the network gets weight only with the evidence asked for (weightEvidence), and the description says why', () => {
  const rng = new Rng(8);
  const series = Array.from({ length: 6 }, (_, i) => Array.from({ length: 36 }, (_, t) => 40 + 3 * i + 6 * Math.sin((2 * Math.PI * t) / 4 + i) + 2 * rng.normal()));
  // A panel and companion where the network's best weight on validation is above 0, with modest evidence.
  const options = { horizon: 4, period: 4, hiddenSize: 4, numLayers: 1, members: 1, epochs: 5, patience: 3, windowsPerSeries: 3, batchSize: 8, learningRate: 0.01, levels: [0.9], companion: 'series' as const };
  const best = new PanelForecaster({ ...options, weightEvidence: 0 }).fit(series);
  assert.equal(best.weightScores[[0, 0.25, 0.5, 0.75, 1].indexOf(best.weight)], Math.min(...best.weightScores));
  assert.ok(best.weight > 0 && Number.isFinite(best.weightEvidence), `weight ${best.weight}, evidence ${best.weightEvidence}`);
  const strict = new PanelForecaster({ ...options, weightEvidence: 1e6 }).fit(series);
  // The same members and validation windows: the same scores, but no gain is 10⁶ standard errors.
  assert.deepEqual(strict.weightScores, best.weightScores);
  assert.equal(strict.weight, 0);
  const { horizon: _h, period: _p, ...methodOptions } = options;
  const described = panelRnn({ options: { ...methodOptions, weightEvidence: 1e6 } }).fitPanel(series, { period: 4, horizon: 4 }).description;
  assert.match(described ?? '', /combined 0:1 with the series companion \(the network's best weight gained [0-9.]+ standard errors over the companion on validation; 1000000 required\)/);
  // The default asks for 3 standard errors, which this modest gain does not reach: the companion alone.
  const usual = new PanelForecaster(options).fit(series);
  assert.equal(usual.settings.weightEvidence, 3);
  assert.equal(usual.weight, 0);
  assert.ok(usual.weightEvidence > 0 && usual.weightEvidence < 3, String(usual.weightEvidence));
  assert.throws(() => new PanelForecaster({ ...options, weightEvidence: -1 }), /weightEvidence/);
});

test('validation split: honest when a series is long enough, the network never sees the validation windows', () => {
  const s = panelSettings({ horizon: 4, period: 1 }); // chunk 1: honest needs 1 + 12 values, two windows 1 + 16
  const panel = [new Float64Array(20), new Float64Array(6), new Float64Array(4)];
  const split = validationSplit(panel, s);
  assert.equal(split.kind, 'honest');
  assert.equal(split.windows, 2);
  assert.deepEqual(split.train.map((y) => y.length), [12, 0, 0]); // the last 2h of every series left out
  assert.deepEqual(split.index, [0, 1]); // 4 values leave none before the window
  // One window asked for, or no series long enough for two: the last h left out.
  for (const one of [validationSplit(panel, panelSettings({ horizon: 4, period: 1, validationWindows: 1 })), validationSplit([new Float64Array(16), new Float64Array(6)], s)]) {
    assert.equal(one.kind, 'honest');
    assert.equal(one.windows, 1);
  }
  assert.deepEqual(validationSplit(panel, panelSettings({ horizon: 4, period: 1, validationWindows: 1 })).train.map((y) => y.length), [16, 2, 0]);
  assert.throws(() => panelSettings({ horizon: 4, period: 1, validationWindows: 3 as 2 }), /validationWindows.*one of 1, 2/);
  const short = validationSplit([new Float64Array(12), new Float64Array(9)], s);
  assert.equal(short.kind, 'shared');
  assert.deepEqual(short.train.map((y) => y.length), [12, 9]);
  assert.deepEqual(short.index, [0, 1]);
});

test('interval: the calibrated band of a combined forecast covers about 95% of new synthetic errors', () => {
  const rng = new Rng(11);
  // Errors of the combination are N(0, σ_i² k) while the template says 1·√k (too narrow by σ_i ≈ 2).
  const h = 6;
  const draw = (n: number) => Array.from({ length: n }, () => {
    const sigma = 1.5 + rng.next();
    const mean = Array.from({ length: h }, () => 100);
    const widths = Array.from({ length: h }, (_, k) => Math.sqrt(k + 1));
    const actual = mean.map((v, k) => v + sigma * widths[k]! * rng.normal());
    return { mean, widths, actual };
  });
  const val = draw(300);
  const { factor, n } = calibrateBand(val.map((v) => v.mean), val.map((v) => v.widths), val.map((v) => v.actual), 0.95);
  assert.equal(n, 1800);
  // |N(0, σ)| with σ uniform on [1.5, 2.5]: the 95% quantile is about 1.96 · 2.05.
  assert.ok(factor > 3.6 && factor < 4.5, String(factor));
  let inside = 0;
  let total = 0;
  for (const t of draw(300)) {
    const band = combinedBand(t.mean, t.widths, factor);
    t.actual.forEach((a, k) => { total++; if (a >= band.lower[k]! && a <= band.upper[k]!) inside++; });
  }
  assert.ok(Math.abs(inside / total - 0.95) < 0.02, String(inside / total));
  // By hand: ŷ ± f·d.
  const b = combinedBand([10, 20], [1, 2], 2);
  assert.deepEqual([Array.from(b.lower), Array.from(b.upper)], [[8, 16], [12, 24]]);
  // The template: the seasonal naive MAE (lag 2 here: |3−1|, |4−2|, |6−3| → 7/3) times √k; a constant series gets a tiny positive width.
  const d = bandTemplate([1, 2, 3, 4, 6], 3, 2);
  [1, 2, 3].forEach((k) => assert.ok(Math.abs(d[k - 1]! - (7 / 3) * Math.sqrt(k)) < 1e-12));
  assert.ok(bandTemplate([5, 5, 5], 2, 1)[0]! > 0);
});

test('band over windows: the larger of each window\'s factor, by hand', () => {
  // Window A: scores |1−0|/1, |2−0|/1 = 1, 2; window B: 1, 3. At level ½ each window's factor is its
  // ⌈3·½⌉ = 2nd smallest score: 2 and 3. One window pooled would give the ⌈5·½⌉ = 3rd smallest of four, 2.
  const a = { forecast: [[0, 0]], widths: [[1, 1]], actual: [[1, 2]] };
  const b = { forecast: [[0, 0]], widths: [[1, 1]], actual: [[3, 1]] };
  assert.deepEqual(calibrateBandOnWindows([a, b], 0.5), { factor: 3, n: 4 });
  assert.deepEqual(calibrateBandOnWindows([a], 0.5), { factor: 2, n: 2 });
  assert.equal(calibrateBand([[0, 0, 0, 0]], [[1, 1, 1, 1]], [[1, 2, 3, 1]], 0.5).factor, 2);
  // A window without a score is skipped; none at all gives the factor 1.
  assert.deepEqual(calibrateBandOnWindows([a, { forecast: [], widths: [], actual: [] }], 0.5), { factor: 2, n: 2 });
  assert.deepEqual(calibrateBandOnWindows([], 0.95), { factor: 1, n: 0 });
});

test('model: the companion alone gets the band that covered both of the last two windows', () => {
  // One series (so the companion alone forecasts), period 1, the fixed Theta companion, h = 3.
  // A jump inside the window before the last makes that window's errors the larger.
  const y = Array.from({ length: 30 }, (_, t) => 50 + (t % 2));
  y[25] = 60; y[26] = 61; y[27] = 60;
  const h = 3;
  const model = new PanelForecaster({ horizon: h, period: 1, hiddenSize: 4, numLayers: 1, members: 1, epochs: 1, companion: 'theta', levels: [0.5] }).fit([y]);
  assert.equal(model.weight, 0);
  // Each window: Theta's forecast from the values before it, template s·√k with s the mean |Δy| of those values.
  const factorOf = (end: number): number => {
    const before = y.slice(0, end);
    let s = 0;
    for (let t = 1; t < before.length; t++) s += Math.abs(before[t]! - before[t - 1]!);
    s /= before.length - 1;
    const f = companionForecast(before, h, 1, 'theta');
    const scores = [0, 1, 2].map((k) => Math.abs(y[end + k]! - f[k]!) / (s * Math.sqrt(k + 1))).sort((p, q) => p - q);
    return scores[Math.ceil((h + 1) * 0.5) - 1]!;
  };
  const last = factorOf(30 - h);
  const previous = factorOf(30 - 2 * h);
  assert.ok(previous > last, `${previous} ${last}`);
  assert.ok(Math.abs(model.bandFactors![0]! - previous) < 1e-12, `${model.bandFactors![0]} ${previous}`);
});

test('model: on smooth trends an untrained network gives way to the companion, with a calibrated band centred on the combination', () => {
  const rng = new Rng(5);
  // Smooth exponential trends that damped Holt and Theta follow closely; the network has 2 epochs of training.
  const series = Array.from({ length: 5 }, (_, i) => {
    let v = 100 + 50 * i;
    return Array.from({ length: 40 }, () => (v *= 1 + 0.02 * (i - 2) + 0.002 * rng.normal()));
  });
  // weightEvidence 0: the best weight on validation, whatever its margin (the evidence rule has its own tests).
  const model = new PanelForecaster({ horizon: 4, period: 1, hiddenSize: 4, numLayers: 1, members: 1, epochs: 2, weightEvidence: 0 }).fit(series);
  assert.equal(model.validation, 'honest');
  assert.equal(model.companionChoice, 'ets-arima');
  assert.equal(model.weightScores.length, 5);
  assert.equal(model.weightScores[[0, 0.25, 0.5, 0.75, 1].indexOf(model.weight)], Math.min(...model.weightScores));
  assert.ok(model.weight < 1, String(model.weight));
  assert.ok(model.companionChoice !== null);
  assert.equal(model.bandFactors?.length, 1);
  const f = model.forecast(series);
  for (const s of f) {
    const band = s.intervals[0]!;
    s.mean.forEach((v, k) => assert.ok(band.lower[k]! <= v && v <= band.upper[k]!));
    assert.match(s.notes!.join(' '), /companion/);
  }
  const again = PanelForecaster.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.deepEqual(again.bandFactors, model.bandFactors);
  assert.equal(again.companionChoice, model.companionChoice);
  assert.deepEqual(Array.from(again.forecast(series)[1]!.intervals[0]!.upper), Array.from(f[1]!.intervals[0]!.upper));
  // A panel of one series: the default companion alone (the weight needs two series' windows).
  const one = new PanelForecaster({ horizon: 4, period: 1, hiddenSize: 4, numLayers: 1, members: 1, epochs: 2 }).fit([series[0]!]);
  assert.equal(one.companionChoice, 'ets-arima');
  assert.equal(one.weight, 0);
  assert.deepEqual(Array.from(one.forecast([series[0]!])[0]!.mean), Array.from(companionForecast(series[0]!, 4, 1, 'ets-arima')));
  // companion 'none': the network alone, trained on every value, no validation split.
  const alone = new PanelForecaster({ horizon: 4, period: 1, hiddenSize: 4, numLayers: 1, members: 1, epochs: 2, companion: 'none' }).fit(series);
  assert.equal(alone.validation, null);
  assert.equal(alone.weight, 1);
});
