// The single-series path of the panel forecaster (model.ts): a panel of one series has one validation
// window, fewer than MIN_WEIGHED_SERIES, so its weight is bound to be 0 and the companion alone forecasts;
// no network is trained for it. A panel of two series (the control) does train, so the epoch hook is live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../util/rng.js';
import { companionForecast } from './companion.js';
import { MIN_WEIGHED_SERIES, PanelForecaster } from './model.js';

function seasonal(seed: number, n: number): number[] {
  const rng = new Rng(seed);
  const pattern = [1.2, 0.9, 0.7, 1.2];
  return Array.from({ length: n }, (_, t) => (50 + 0.5 * t) * pattern[t % 4]! + rng.normal());
}
const options = { horizon: 4, period: 4, hiddenSize: 4, numLayers: 1, members: 2, epochs: 3 };

test('a panel of one series: no network is trained, the companion alone forecasts, and the file round-trips', () => {
  assert.equal(MIN_WEIGHED_SERIES, 2);
  const y = seasonal(3, 48);
  let epochs = 0;
  const model = new PanelForecaster(options).fit([y], { onEpoch: () => { epochs++; } });
  assert.equal(epochs, 0);
  assert.equal(model.trainedMembers, 0);
  assert.ok(model.companionOnly);
  assert.equal(model.weight, 0);
  assert.equal(model.companionChoice, 'ets-arima');
  assert.match(model.companionOnlyNote!, /ets-arima companion alone forecasts, no network trained: .* at least 2 series/);
  const f = model.forecast([y])[0]!;
  assert.deepEqual(Array.from(f.mean), Array.from(companionForecast(y, 4, 4, 'ets-arima')));
  assert.deepEqual(f.notes, [model.companionOnlyNote]);
  const band = f.intervals[0]!;
  assert.equal(band.level, 0.95);
  f.mean.forEach((v, k) => assert.ok(band.lower[k]! < v && v < band.upper[k]!));
  // The file keeps one untrained member and loads into the same forecaster.
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  assert.equal(json.members.length, 1);
  assert.equal(json.members[0].bestEpoch, 0);
  const again = PanelForecaster.fromJSON(json);
  assert.ok(again.companionOnly);
  const g = again.forecast([y])[0]!;
  assert.deepEqual(Array.from(g.mean), Array.from(f.mean));
  assert.deepEqual(Array.from(g.intervals[0]!.upper), Array.from(band.upper));
});

test('a panel of two series trains its members (the epoch hook fires) and is not companion-only', () => {
  let epochs = 0;
  const model = new PanelForecaster(options).fit([seasonal(3, 48), seasonal(4, 48)], { onEpoch: () => { epochs++; } });
  assert.ok(epochs > 0);
  assert.equal(model.trainedMembers, 2);
  assert.equal(model.companionOnly, false);
  assert.equal(model.companionOnlyNote, null);
});
