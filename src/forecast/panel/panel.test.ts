import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnrollError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { panelRnn } from '../methods/panel.js';
import { runPanelBenchmark } from '../panel-benchmark.js';
import { PanelForecaster, seriesKey } from './model.js';
import { trainMember } from './train.js';
import { referenceBackend } from '../../kernels/index.js';
import { finalSeasonalIndices, hwParamCount, initialHwParams } from './holt-winters.js';
import { positiveShift, windowBaseline, windowInputs } from './normalise.js';
import { panelSettings } from './settings.js';
import { endRange, sampleWindows } from './windows.js';

function throwsWith(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UnrollError && pattern.test(e.message));
}

const PATTERN = [0.6, 0.7, 0.9, 1.2, 1.5, 1.4, 1.1, 0.9, 0.8, 1.0, 1.3, 0.6];

/** Series with a known monthly pattern, each at its own level and slope, with multiplicative noise of sd `noise`. */
function seasonalPanel(count: number, length: number, noise: number, seed = 3): { series: number[][]; truth: (i: number, t: number) => number } {
  const rng = new Rng(seed);
  const levels = Array.from({ length: count }, () => 10 + 90 * rng.next());
  const slopes = Array.from({ length: count }, () => 0.002 * (rng.next() - 0.5));
  const truth = (i: number, t: number): number => levels[i]! * (1 + slopes[i]! * t) * PATTERN[t % 12]!;
  const series = levels.map((_, i) => Array.from({ length }, (_, t) => truth(i, t) * Math.exp(noise * rng.normal())));
  return { series, truth };
}

test('settings: defaults follow the period and the horizon', () => {
  const hourly = panelSettings({ horizon: 48, period: 24 });
  assert.equal(hourly.chunk, 24);
  assert.equal(hourly.lookbackChunks, 8); // ⌈4·48/24⌉
  const monthly = panelSettings({ horizon: 18, period: 12 });
  assert.equal(monthly.chunk, 12);
  assert.equal(monthly.lookbackChunks, 6); // ⌈72/12⌉
  const yearly = panelSettings({ horizon: 6, period: 1 });
  assert.equal(yearly.chunk, 1);
  assert.equal(yearly.lookbackChunks, 24);
  throwsWith(() => panelSettings({ horizon: 0, period: 12 }), /horizon/);
  throwsWith(() => panelSettings({ horizon: 6, period: 12, hiddenSize: 2.5 }), /hiddenSize/);
  throwsWith(() => panelSettings({ horizon: 6, period: 12, tau: 1 }), /tau/);
  throwsWith(() => panelSettings({ horizon: 6, period: 12, typo: 1 } as never), /unknown option "typo"/);
  throwsWith(() => panelSettings({ horizon: 6, period: 12, hiddenSiz: 8 } as never), /did you mean "hiddenSize"/);
  throwsWith(() => panelSettings({ horizon: 6, period: 12, normalisation: 'hw', baseline: 'snaive' }), /baseline/);
  throwsWith(() => panelSettings({ horizon: 6, period: 12, levelPenalty: -1 }), /levelPenalty/);
});

test('normalisation: inputs are log ratios to the last season, the baseline is seasonal naive, by hand', () => {
  const s = panelSettings({ horizon: 3, period: 2, lookbackChunks: 2, baseline: 'snaive', normalisation: 'window' });
  const y = Float64Array.from([1, 2, 4, 8, 2, 6]);
  const out = new Float64Array(4);
  // window ending at 6: level = (2 + 6) / 2 = 4; inputs log(y/4) of y[2..6)
  const logLevel = windowInputs(y, 6, s, out, 0);
  assert.ok(Math.abs(logLevel - Math.log(4)) < 1e-12);
  [4, 8, 2, 6].forEach((v, i) => assert.ok(Math.abs(out[i]! - Math.log(v / 4)) < 1e-12));
  const b = new Float64Array(3);
  windowBaseline(y, 6, logLevel, s, b, 0);
  [2, 6, 2].forEach((v, k) => assert.ok(Math.abs(b[k]! - Math.log(v / 4)) < 1e-12));
  windowBaseline(y, 6, logLevel, { ...s, baseline: 'level' }, b, 0);
  assert.deepEqual(Array.from(b), [0, 0, 0]);
  assert.equal(positiveShift([1, 2]), 0);
  assert.ok(positiveShift([-1, 3]) > 1);
  assert.deepEqual(endRange(6, s), [3, 3]);
  assert.equal(endRange(4, s), null);
  const pairs = sampleWindows([30, 4, 30], s, 5, new Rng(1));
  assert.equal(pairs.length, 20);
  for (let j = 0; j < pairs.length; j += 2) {
    assert.notEqual(pairs[j], 1);
    assert.ok(pairs[j + 1]! >= 4 && pairs[j + 1]! <= 27);
  }
});

test('an epoch stays within maxEpochSteps: below it the draws are the plain ones, above it each series gets its even share', () => {
  const s = panelSettings({ horizon: 3, period: 1, lookbackChunks: 4 });
  const limits = [30, 3, 30, 25, 40, 12]; // series 1 has no window (its targets would start before one chunk)
  // Below the budget: windowsPerSeries windows from each series with one, in the draws of the rule before the
  // budget existed (written out here: for each series in order, its draws, then a shuffle of whole pairs).
  const plain = (perSeries: number, rng: Rng): number[] => {
    const pairs: number[] = [];
    limits.forEach((l, i) => { const r = endRange(l, s); if (r) for (let j = 0; j < perSeries; j++) pairs.push(i, r[0] + rng.int(r[1] - r[0] + 1)); });
    for (let a = pairs.length / 2 - 1; a > 0; a--) {
      const b = rng.int(a + 1);
      [pairs[2 * a], pairs[2 * b]] = [pairs[2 * b]!, pairs[2 * a]!];
      [pairs[2 * a + 1], pairs[2 * b + 1]] = [pairs[2 * b + 1]!, pairs[2 * a + 1]!];
    }
    return pairs;
  };
  assert.deepEqual([...sampleWindows(limits, { ...s, maxEpochSteps: 5 * 6 * 4 }, 6, new Rng(3))], plain(6, new Rng(3)));
  // Above it: T = ⌊maxEpochSteps / lookbackChunks⌋ = 13 windows over the 5 series that have one: 2 or 3 each.
  for (const seed of [1, 2, 3, 4]) {
    const pairs = sampleWindows(limits, { ...s, maxEpochSteps: 13 * 4 + 3 }, 6, new Rng(seed));
    assert.equal(pairs.length / 2, 13);
    const per = new Map<number, number>();
    for (let j = 0; j < pairs.length; j += 2) {
      per.set(pairs[j]!, (per.get(pairs[j]!) ?? 0) + 1);
      const r = endRange(limits[pairs[j]!]!, s)!;
      assert.ok(pairs[j + 1]! >= r[0] && pairs[j + 1]! <= r[1]);
    }
    assert.deepEqual([...per.keys()].sort(), [0, 2, 3, 4, 5]);
    assert.deepEqual([...per.values()].sort(), [2, 2, 3, 3, 3]);
  }
  // Fewer windows than series: each series at most one.
  const few = sampleWindows(limits, { ...s, maxEpochSteps: 3 * 4 }, 6, new Rng(9));
  assert.equal(few.length / 2, 3);
  assert.equal(new Set([few[0], few[2], few[4]]).size, 3);
  // The default leaves M4 Hourly's epoch as it was: 414 series × 16 windows × 8 chunks (h = 48, m = 24).
  const hourly = panelSettings({ horizon: 48, period: 24 });
  assert.equal(hourly.lookbackChunks, 8);
  assert.ok(414 * hourly.windowsPerSeries * hourly.lookbackChunks <= hourly.maxEpochSteps);
  assert.throws(() => panelSettings({ horizon: 3, period: 1, maxEpochSteps: 0 }), /maxEpochSteps/);
});

test('a synthetic panel: the model recovers a known seasonal pattern and beats seasonal naive', () => {
  const h = 12;
  const { series, truth } = seasonalPanel(24, 96, 0.12);
  const model = new PanelForecaster({ horizon: h, period: 12, hiddenSize: 16, numLayers: 1, members: 1, epochs: 25, patience: 25, windowsPerSeries: 16, batchSize: 32, learningRate: 0.01, baseline: 'level', levels: [] });
  model.fit(series);
  const fc = model.forecast(series);
  let errModel = 0;
  let errSnaive = 0;
  series.forEach((y, i) => {
    for (let k = 0; k < h; k++) {
      const t = y.length + k;
      errModel += Math.abs(Math.log(fc[i]!.mean[k]! / truth(i, t)));
      errSnaive += Math.abs(Math.log(y[y.length - 12 + k]! / truth(i, t)));
    }
  });
  // Seasonal naive copies one noisy season (≈ 0.8·0.12 mean absolute log error); the model, trained over
  // all series, averages the noise away and should land well inside it.
  assert.ok(errModel < 0.7 * errSnaive, `model ${errModel / (24 * h)} vs seasonal naive ${errSnaive / (24 * h)}`);
});

test('pipeline on a small panel: benchmark table, intervals, save/load round trip', () => {
  const h = 6;
  const { series } = seasonalPanel(8, 60, 0.05, 9);
  const train = series.map((y) => y.slice(0, 54));
  const test = series.map((y) => y.slice(54));
  const method = panelRnn({ options: { hiddenSize: 8, numLayers: 1, members: 2, epochs: 3, windowsPerSeries: 4 } });
  const result = runPanelBenchmark([method], { train, test }, { horizon: h, period: 12, levels: [0.95], keepForecasts: true });
  const row = result.methods.find((m) => m.name === 'panel-rnn')!;
  assert.ok(Number.isFinite(row.smape) && Number.isFinite(row.owa!));
  assert.equal(row.intervals[0]!.series, 8);
  const model = new PanelForecaster({ horizon: h, period: 12, hiddenSize: 8, numLayers: 1, members: 2, epochs: 2, windowsPerSeries: 4 });
  model.fit(train);
  const before = model.forecast(train);
  for (const f of before) {
    const iv = f.intervals[0]!;
    for (let k = 0; k < h; k++) assert.ok(iv.lower[k]! <= f.mean[k]! && f.mean[k]! <= iv.upper[k]!);
  }
  const again = PanelForecaster.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  const after = again.forecast(train);
  before.forEach((f, i) => assert.deepEqual(Array.from(after[i]!.mean), Array.from(f.mean)));
  // The same seed gives the same model.
  const twin = new PanelForecaster({ horizon: h, period: 12, hiddenSize: 8, numLayers: 1, members: 2, epochs: 2, windowsPerSeries: 4 }).fit(train);
  assert.deepEqual(Array.from(twin.forecast(train)[0]!.mean), Array.from(before[0]!.mean));
});

test('bad input: clear errors', () => {
  const model = new PanelForecaster({ horizon: 6, period: 12, hiddenSize: 4, numLayers: 1, members: 1, epochs: 1 });
  throwsWith(() => model.forecast([[1, 2, 3]]), /call fit before forecast/);
  // Too short for a network (24 values) and for the companion alone's band (h + 3 = 9; short-panel.test.ts has the rest).
  throwsWith(() => model.fit([Array(8).fill(1)]), /no series is long enough: a network needs a series of at least 24 values .* at least 9 values/);
  throwsWith(() => model.fit([[1, 2, NaN]]), /series\[0\]: value 3 is NaN/);
  throwsWith(() => model.fit([]), /non-empty array/);
  const method = panelRnn({ options: { hiddenSize: 4, numLayers: 1, members: 1, epochs: 1 } });
  throwsWith(() => method.fitPanel([Array(40).fill(2)], { period: 12 }), /horizon/);
  const fitted = method.fitPanel([Array.from({ length: 40 }, (_, t) => 2 + (t % 12))], { period: 12, horizon: 6 });
  throwsWith(() => fitted.forecast(7), /asked for h = 7, but it was trained for horizon 6/);
  throwsWith(() => PanelForecaster.fromJSON({ format: 'unroll-panel-model', version: 1, settings: { horizon: 6, period: 12 }, levels: [], members: [{ weights: [1, 2] }] }), /member 1 must hold \d+ finite weights/);
  // A file's settings size the network: a huge one is refused by the limits before anything is built, naming the file.
  throwsWith(() => PanelForecaster.fromJSON({ format: 'unroll-panel-model', version: 1, settings: { horizon: 10000, period: 24 }, levels: new Array(10000).fill(0.9), members: [{ weights: [1] }] }), /^panel model JSON: "outputSize" is 200010000, above the limit/);
  throwsWith(() => PanelForecaster.fromJSON({ format: 'nope' }), /not a panel model/);
});

test('a tiny panel of unrelated yearly series: the weight is the best one on validation and is saved with the model', () => {
  const rng = new Rng(5);
  const series = Array.from({ length: 4 }, (_, i) => {
    let v = 100 + 50 * i;
    return Array.from({ length: 40 }, () => (v *= 1 + 0.03 * (i - 1.5) + 0.01 * rng.normal()));
  });
  const model = new PanelForecaster({ horizon: 4, period: 1, hiddenSize: 4, numLayers: 1, members: 1, epochs: 2, levels: [], weightEvidence: 0 }).fit(series);
  assert.equal(model.weightScores.length, 5);
  const best = Math.min(...model.weightScores);
  assert.equal(model.weightScores[[0, 0.25, 0.5, 0.75, 1].indexOf(model.weight)], best);
  const again = PanelForecaster.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.equal(again.weight, model.weight);
  assert.deepEqual(Array.from(again.forecast(series)[2]!.mean), Array.from(model.forecast(series)[2]!.mean));
  throwsWith(() => PanelForecaster.fromJSON({ ...model.toJSON(), weight: 2 }), /"weight" must be a number in \[0, 1\]/);
  // 40 values ≥ 1 + 4h: the weight was chosen on each series' last two windows (8 values), and the file says so;
  // a file from before two windows chose on one.
  assert.equal(model.validationWindows, 2);
  assert.equal(again.validationWindows, 2);
  assert.match(model.forecast(series)[0]!.notes!.join(' '), /chosen on the last 8 training values/);
  const { validationWindows: _, ...older } = model.toJSON();
  const oldModel = PanelForecaster.fromJSON({ ...older, settings: Object.fromEntries(Object.entries(older.settings).filter(([k]) => k !== 'validationWindows')) });
  assert.equal(oldModel.validationWindows, 1);
  assert.equal(oldModel.settings.validationWindows, 1);
  throwsWith(() => PanelForecaster.fromJSON({ ...model.toJSON(), validationWindows: 3 }), /"validationWindows" must be 1 or 2/);
  // One window asked for: the last 4 values.
  const one = new PanelForecaster({ horizon: 4, period: 1, hiddenSize: 4, numLayers: 1, members: 1, epochs: 2, levels: [], weightEvidence: 0, validationWindows: 1 }).fit(series);
  assert.equal(one.validationWindows, 1);
  assert.match(one.forecast(series)[0]!.notes!.join(' '), /chosen on the last 4 training values/);
});

test('Holt-Winters normalisation: seasonal indices learned from a flat start recover a known pattern', () => {
  const { series } = seasonalPanel(16, 96, 0.1, 21);
  const options = { horizon: 12, period: 12, hiddenSize: 8, numLayers: 1, members: 1, epochs: 10, patience: 10, windowsPerSeries: 16, batchSize: 32, learningRate: 0.01, normalisation: 'hw' as const, hwLearningRate: 0.05, levels: [] };
  const { levels: _levels, ...modelOptions } = options;
  const s = panelSettings(modelOptions);
  const P = hwParamCount(s);
  const prepared = series.map((y) => Float64Array.from(y));
  // Start knowing nothing of the pattern: every initial index 1 (u = 0), α and γ at their defaults.
  const flat = new Float64Array(16 * P);
  prepared.forEach((y, i) => { initialHwParams(y, s, flat, i * P); flat.fill(0, i * P + 2, (i + 1) * P); });
  const r = trainMember({ series: prepared, quantiles: [0.5], backend: referenceBackend(), hwStart: flat }, s, 0);
  const mean = PATTERN.reduce((a, b) => a + b, 0) / 12;
  let errLearned = 0;
  let errFlat = 0;
  prepared.forEach((y, i) => {
    // After 96 values the next index is that of month 96 mod 12 = 0.
    const learned = finalSeasonalIndices(y, s, r.hw!, i * P);
    for (let j = 0; j < 12; j++) {
      errLearned += Math.abs(Math.log(learned[j]! / (PATTERN[j]! / mean))) / (16 * 12);
      errFlat += Math.abs(Math.log(PATTERN[j]! / mean)) / (16 * 12);
    }
  });
  assert.ok(errLearned < 0.06 && errLearned < errFlat / 3, `learned indices: mean absolute log error ${errLearned} (flat: ${errFlat})`);
  const model = new PanelForecaster(options).fit(series);
  // Saved and loaded: the same forecasts; an unseen series gets a forecast from its own start.
  const again = PanelForecaster.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.deepEqual(Array.from(again.forecast(series)[3]!.mean), Array.from(model.forecast(series)[3]!.mean));
  const unseen = seasonalPanel(1, 60, 0.05, 77).series;
  const f = again.forecast(unseen)[0]!.mean;
  assert.ok(f.every((v) => Number.isFinite(v) && v > 0));
  // Version 1 files (before the Holt-Winters normalisation) still load, as window-normalised models.
  const old = new PanelForecaster({ horizon: 12, period: 12, hiddenSize: 4, numLayers: 1, members: 1, epochs: 1, levels: [] }).fit(series);
  const v1 = { ...old.toJSON(), version: 1 } as Record<string, unknown>;
  delete (v1.settings as Record<string, unknown>).normalisation;
  assert.equal(PanelForecaster.fromJSON(JSON.parse(JSON.stringify(v1))).settings.normalisation, 'window');
  throwsWith(() => PanelForecaster.fromJSON({ ...model.toJSON(), seriesKeys: undefined }), /seriesKeys/);
  // A training series is recognised when cut shorter (validation) or grown longer; another is not.
  const y = series[0]!;
  assert.equal(seriesKey(y.slice(0, 20)), seriesKey(y));
  assert.equal(seriesKey([...y, 5]), seriesKey(y));
  assert.notEqual(seriesKey(series[1]!), seriesKey(y));
});

test('members trained in worker threads give exactly the serial model', () => {
  const { series } = seasonalPanel(6, 48, 0.05, 13);
  const options = { horizon: 6, period: 12, hiddenSize: 4, numLayers: 1, members: 3, epochs: 2, windowsPerSeries: 2, normalisation: 'hw' as const, levels: [] };
  const serial = new PanelForecaster(options).fit(series);
  const threaded = new PanelForecaster(options).fit(series, { threads: 2 });
  assert.deepEqual(threaded.results.map((r) => r.bestEpoch), serial.results.map((r) => r.bestEpoch));
  threaded.members.forEach((w, m) => assert.deepEqual(Array.from(w), Array.from(serial.members[m]!)));
  threaded.hw.forEach((p, m) => assert.deepEqual(Array.from(p!), Array.from(serial.hw[m]!)));
  throwsWith(() => new PanelForecaster(options).fit(series, { threads: 0 }), /threads/);
});
