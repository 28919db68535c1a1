import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnrollError } from '../../util/errors.js';
import { referenceBackend } from '../../kernels/index.js';
import { PanelForecaster } from './model.js';
import { panelSettings } from './settings.js';
import { buildNetwork } from './train.js';
import { seasonalPanel } from '../../test-support/panels.js';

function throwsWith(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UnrollError && pattern.test(e.message), `expected ${pattern}`);
}

/** The small seasonal panel of these tests (period 4; 6 series of 80 values unless told). */
const panel = (count?: number, length?: number): number[][] => seasonalPanel(11, count, length);

test('dilations: default all 1, checked against the layer count and the window', () => {
  assert.deepEqual(panelSettings({ horizon: 48, period: 24 }).dilations, [1, 1]);
  assert.deepEqual(panelSettings({ horizon: 48, period: 24, numLayers: 3, lookbackChunks: 21, dilations: [1, 7, 14] }).dilations, [1, 7, 14]);
  throwsWith(() => panelSettings({ horizon: 48, period: 24, dilations: [1] }), /option "dilations".*an array of 2 integers, one per recurrent layer/);
  throwsWith(() => panelSettings({ horizon: 48, period: 24, dilations: 7 as unknown as number[] }), /"dilations"/);
  throwsWith(() => panelSettings({ horizon: 48, period: 24, dilations: [1, 9] }), /"dilations\[1\]" is 9.*from 1 to the window's 8 chunks/);
  throwsWith(() => panelSettings({ horizon: 48, period: 24, dilations: [0, 1] }), /"dilations\[0\]" is 0/);
  throwsWith(() => panelSettings({ horizon: 48, period: 24, dilations: [1, 1.5] }), /"dilations\[1\]" is 1\.5/);
});

test('dilations reach the network: a dilated layer in place of an ordinary one', () => {
  const s = panelSettings({ horizon: 4, period: 4, numLayers: 2, lookbackChunks: 6, hiddenSize: 4, dilations: [1, 3] });
  const net = buildNetwork(s, 1, referenceBackend(), 1);
  assert.deepEqual(net.config.dilations, [1, 3]);
  assert.match(net.layers[1]!.kind, /dilation 3/);
  assert.doesNotMatch(net.layers[0]!.kind, /dilation/);
});

test('a small panel trains with dilations, differs from the undilated model, and saves and loads', () => {
  const series = panel();
  const base = { horizon: 4, period: 4, lookbackChunks: 6, hiddenSize: 6, numLayers: 2, members: 1, epochs: 3, windowsPerSeries: 4, companion: 'none' as const, levels: [] };
  const dilated = new PanelForecaster({ ...base, dilations: [1, 3] }).fit(series);
  const plain = new PanelForecaster(base).fit(series);
  const a = dilated.forecast(series);
  const b = plain.forecast(series);
  a.forEach((f) => f.mean.forEach((v) => assert.ok(Number.isFinite(v) && v > 0)));
  assert.notDeepEqual(Array.from(a[0]!.mean), Array.from(b[0]!.mean));
  const json = JSON.parse(JSON.stringify(dilated.toJSON()));
  assert.deepEqual(json.settings.dilations, [1, 3]);
  const again = PanelForecaster.fromJSON(json);
  assert.deepEqual(again.settings.dilations, [1, 3]);
  again.forecast(series).forEach((f, i) => assert.deepEqual(Array.from(f.mean), Array.from(a[i]!.mean)));
});

test('a file written before the option (no "dilations" in its settings) loads as the ordinary recurrence', () => {
  const series = panel();
  const model = new PanelForecaster({ horizon: 4, period: 4, lookbackChunks: 6, hiddenSize: 4, numLayers: 2, members: 1, epochs: 2, windowsPerSeries: 4, companion: 'none', levels: [] }).fit(series);
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  delete json.settings.dilations;
  const old = PanelForecaster.fromJSON(json);
  assert.deepEqual(old.settings.dilations, [1, 1]);
  const want = model.forecast(series);
  old.forecast(series).forEach((f, i) => assert.deepEqual(Array.from(f.mean), Array.from(want[i]!.mean)));
  json.settings.dilations = [1, 99];
  throwsWith(() => PanelForecaster.fromJSON(json), /dilations\[1\]/);
});
