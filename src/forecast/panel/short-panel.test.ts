// A panel on which no network can train (model.ts noNetwork): no series has the chunk + 2h values a member
// needs, so the companion alone forecasts and the model keeps no member. The expected forecasts are the
// companion's own (companion.ts etsArimaForecast, series by series) and the expected band is combine.ts'
// calibrateBandOnWindows on windows built here from the rule of validation.ts companionOnlySplit (window B of
// every series with n − h ≥ 3 values, window A where n − 2h ≥ 3), not read from the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnrollError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { bandTemplate, calibrateBandOnWindows, combinedBand, type BandWindow } from './combine.js';
import { companionForecast, etsArimaForecast } from './companion.js';
import { PanelForecaster } from './model.js';

function throwsWith(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UnrollError && pattern.test(e.message), `expected an UnrollError matching ${pattern}`);
}

/** Short multiplicative random walks with drift, of the given lengths (and a season of `period` when > 1). */
function shortPanel(lengths: readonly number[], period: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return lengths.map((n) => {
    let level = 500 + 1000 * rng.next();
    const drift = 0.03 * rng.normal();
    return Array.from({ length: n }, (_, t) => {
      level *= Math.exp(drift + 0.04 * rng.normal());
      return level * (period > 1 ? 1 + 0.1 * Math.sin((2 * Math.PI * t) / period) : 1);
    });
  });
}

/** The band factor the companion-only rule gives: the companion's forecasts of each series' last one or two windows of h values. */
function expectedFactor(series: readonly number[][], h: number, period: number, level: number, backs = [1, 2]): number {
  const windows: BandWindow[] = [];
  for (const back of backs) {
    const w: BandWindow = { forecast: [], widths: [], actual: [] };
    for (const y of series) {
      const end = y.length - back * h;
      if (end < 3) continue;
      const before = y.slice(0, end);
      (w.forecast as Float64Array[]).push(etsArimaForecast(before, h, period));
      (w.widths as Float64Array[]).push(bandTemplate(before, h, period));
      (w.actual as number[][]).push(y.slice(end, end + h));
    }
    windows.push(w);
  }
  return calibrateBandOnWindows(windows, level).factor;
}

function assertCompanionForecasts(model: PanelForecaster, series: readonly number[][], h: number, period: number, factor: number, dates?: string[][]): void {
  const forecasts = model.forecast(series, dates ? { dates } : {});
  forecasts.forEach((f, i) => {
    const mean = etsArimaForecast(series[i]!, h, period);
    assert.deepEqual(Array.from(f.mean), Array.from(mean), `series ${i + 1}: the companion's forecast`);
    const band = combinedBand(mean, bandTemplate(series[i]!, h, period), factor);
    assert.equal(f.intervals[0]!.level, 0.95);
    assert.deepEqual(Array.from(f.intervals[0]!.lower), Array.from(band.lower), `series ${i + 1}: lower bound`);
    assert.deepEqual(Array.from(f.intervals[0]!.upper), Array.from(band.upper), `series ${i + 1}: upper bound`);
    assert.deepEqual(f.notes, [model.companionOnlyNote]);
  });
}

const SMALL = { hiddenSize: 4, numLayers: 1, members: 2, epochs: 2 };

test('a yearly panel of series of 4-10 values (fewer than chunk + 2h = 13): no network, the companion alone with its calibrated band; the file round-trips', () => {
  const lengths = [4, 5, 5, 6, 7, 7, 8, 9, 10, 10, 4, 8];
  const series = shortPanel(lengths, 1, 5);
  let epochs = 0;
  const model = new PanelForecaster({ ...SMALL, horizon: 6, period: 1 }).fit(series, { onEpoch: () => { epochs++; } });
  assert.equal(epochs, 0, 'no member trains');
  assert.equal(model.members.length, 0);
  assert.equal(model.trainedMembers, 0);
  assert.ok(model.noNetwork && model.companionOnly && model.fitted);
  assert.equal(model.weight, 0);
  assert.equal(model.companionChoice, 'ets-arima');
  assert.match(model.companionOnlyNote!, /^the ets-arima companion alone forecasts, no network trained: no series has the chunk \+ 2h = 13 values a network needs \(one chunk of 1, then the horizon 6 twice/);
  const factor = expectedFactor(series, 6, 1, 0.95);
  assert.ok(factor > 0 && Number.isFinite(factor));
  assert.deepEqual(model.bandFactors, [factor]);
  assertCompanionForecasts(model, series, 6, 1, factor);
  // Saved and loaded: no member in the file, the same forecasts to the bit.
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  assert.deepEqual(json.members, []);
  const again = PanelForecaster.fromJSON(json);
  assert.ok(again.noNetwork && again.companionOnly);
  assert.equal(again.companionOnlyNote, model.companionOnlyNote);
  assertCompanionForecasts(again, series, 6, 1, factor);
  // New series of the same kind are forecast the same way.
  const other = shortPanel([3, 9], 1, 6);
  assertCompanionForecasts(again, other, 6, 1, factor);
  // A file without members is valid only as the companion alone.
  throwsWith(() => PanelForecaster.fromJSON({ ...json, weight: 1 }), /the "members" section is missing or empty \(only a model whose companion forecasts alone/);
  throwsWith(() => PanelForecaster.fromJSON({ ...json, bandFactors: undefined }), /"members" section/);
});

test('a quarterly panel too short for chunk + 2h = 16: window A of a series of 15 values calibrates the band too; 2 threads and a checkpoint option change nothing', () => {
  const lengths = [7, 9, 11, 12, 15, 15, 10, 8];
  const series = shortPanel(lengths, 4, 11); // a seed whose window A widens the band (3 did before ETS and ARIMA fitted 3-6 values)
  const model = new PanelForecaster({ ...SMALL, horizon: 6, period: 4 }).fit(series);
  assert.ok(model.noNetwork);
  const factor = expectedFactor(series, 6, 4, 0.95);
  assert.notEqual(factor, expectedFactor(series, 6, 4, 0.95, [1]), 'the test has a window A that matters');
  assert.deepEqual(model.bandFactors, [factor]);
  assertCompanionForecasts(model, series, 6, 4, factor);
  const saved: unknown[] = [];
  const threaded = new PanelForecaster({ ...SMALL, horizon: 6, period: 4 }).fit(series, { threads: 2, checkpoint: { save: (c) => saved.push(c) } });
  assert.equal(saved.length, 0, 'no member, no checkpoint piece');
  assert.deepEqual(threaded.toJSON(), model.toJSON());
  throwsWith(() => new PanelForecaster({ ...SMALL, horizon: 6, period: 4 }).fit(series, { checkpoint: { save: () => {}, everyMinutes: 0 } }), /checkpoint\.everyMinutes/);
});

test('a daily panel with calendar inputs asked for but no network: forecast needs no dates; given dates are still checked', () => {
  const lengths = [10, 12, 14, 16, 20, 18];
  const series = shortPanel(lengths, 7, 9);
  const day = 86_400_000;
  const dates = series.map((y, i) => y.map((_, t) => new Date(Date.UTC(2024, 0, 1 + i) + t * day).toISOString().slice(0, 10)));
  const model = new PanelForecaster({ ...SMALL, horizon: 7, period: 7, calendar: ['dayOfWeek'] }).fit(series, { dates });
  assert.ok(model.noNetwork);
  assert.deepEqual(model.settings.calendar, ['dayOfWeek']);
  const factor = expectedFactor(series, 7, 7, 0.95);
  assertCompanionForecasts(model, series, 7, 7, factor);
  const again = PanelForecaster.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.equal(again.calendarFrequency, 'daily');
  assertCompanionForecasts(again, series, 7, 7, factor);
  assertCompanionForecasts(again, series, 7, 7, factor, dates);
  throwsWith(() => again.forecast(series, { dates: dates.slice(1) }), /option "dates" must hold one array of dates per series \(6\), it holds 5/);
});

test('refusals: the network alone on such a panel, and a panel with no series of h + 3 values', () => {
  const series = shortPanel([4, 6, 8, 10, 12], 1, 7);
  throwsWith(() => new PanelForecaster({ ...SMALL, horizon: 6, period: 1, companion: 'none' }).fit(series),
    /^panel model: no series is long enough to train on: each needs at least 13 values \(one chunk of 1, then the horizon 6 twice: training target and validation\)$/);
  throwsWith(() => new PanelForecaster({ ...SMALL, horizon: 6, period: 1, companion: 'none' }).fit(series, { threads: 2 }), /no series is long enough to train on/);
  const tooShort = shortPanel([3, 8, 5], 1, 7);
  throwsWith(() => new PanelForecaster({ ...SMALL, horizon: 6, period: 1 }).fit(tooShort),
    /^panel model: no series is long enough: a network needs a series of at least 13 values \(one chunk of 1, then the horizon 6 twice\), and the companion alone needs one of at least 9 values to calibrate its band on \(its last 6 values forecast from the 3 or more before them\); the longest series has 8$/);
  // One series of h + 3 values is enough for the companion alone.
  assert.ok(new PanelForecaster({ ...SMALL, horizon: 6, period: 1 }).fit(shortPanel([3, 9, 5], 1, 7)).noNetwork);
});

test('the other companions on such a panel: each forecasts alone, as companionForecast gives it', () => {
  const series = shortPanel([4, 5, 7, 9, 10, 10, 8], 1, 11);
  for (const companion of ['select', 'series', 'theta'] as const) {
    const model = new PanelForecaster({ ...SMALL, horizon: 6, period: 1, companion }).fit(series);
    assert.ok(model.noNetwork && model.companionOnly, companion);
    assert.ok(model.bandFactors![0]! > 0, companion);
    if (companion !== 'select') assert.equal(model.companionChoice, companion);
    model.forecast(series).forEach((f, i) => {
      assert.deepEqual(Array.from(f.mean), Array.from(companionForecast(series[i]!, 6, 1, model.companionChoice!)), `${companion}, series ${i + 1}`);
    });
  }
});

test('a panel where a network trains and one series has only h + 1 values: that series\' window B (forecast from one value) is left out of the band, which stays the companion rule\'s', () => {
  // Twelve series of 30-40 values train the network (chunk + 2h = 9 with h = 4, m = 1); "short" has 5 values,
  // so its window B is forecast from its first value alone. Before the fix, that window's error over
  // bandTemplate's floor (a millionth of the value) set the factor for the whole panel (about 1e5 here).
  const lengths = [30, 32, 34, 36, 38, 40, 31, 33, 35, 37, 39, 40, 5];
  const series = shortPanel(lengths, 1, 11);
  const model = new PanelForecaster({ ...SMALL, horizon: 4, period: 1, companion: 'ets-arima' }).fit(series);
  assert.equal(model.noNetwork, false);
  assert.equal(model.weight, 0, 'the network gets no weight here, so the band is the companion\'s');
  const factor = expectedFactor(series, 4, 1, 0.95);
  assert.ok(factor > 0 && factor < 20, `a factor of ordinary size (${factor})`);
  assert.deepEqual(model.bandFactors, [factor]);
});
