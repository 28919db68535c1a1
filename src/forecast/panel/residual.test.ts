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
const panel = (count?: number, length?: number): number[][] => seasonalPanel(12, count, length);

test('residual: default none (0), true is a block of 1, checked against the layer count', () => {
  assert.equal(panelSettings({ horizon: 48, period: 24 }).residual, 0);
  assert.equal(panelSettings({ horizon: 48, period: 24, residual: true }).residual, 1);
  assert.equal(panelSettings({ horizon: 48, period: 24, residual: false }).residual, 0);
  assert.equal(panelSettings({ horizon: 48, period: 24, numLayers: 4, residual: 2 }).residual, 2);
  throwsWith(() => panelSettings({ horizon: 48, period: 24, numLayers: 1, residual: true }), /option "residual" is true; expected false when numLayers is 1/);
  throwsWith(() => panelSettings({ horizon: 48, period: 24, numLayers: 3, residual: 2 }), /option "residual" is 2; expected a block size that divides numLayers \(3\)/);
  throwsWith(() => panelSettings({ horizon: 48, period: 24, residual: 'yes' as unknown as boolean }), /"residual".*true, false or a block size/);
});

test('residual reaches the network', () => {
  const s = panelSettings({ horizon: 4, period: 4, numLayers: 4, lookbackChunks: 6, hiddenSize: 4, residual: 2, dilations: [1, 2, 1, 3] });
  const net = buildNetwork(s, 1, referenceBackend(), 1);
  assert.equal(net.config.residual, 2);
  assert.equal(net.stack.residual, 2);
  assert.match(net.summary(), /residual: every 2 layers/);
});

test('a small panel trains with residual connections, differs from the model without, saves and loads; a file without the setting loads without them', () => {
  const series = panel();
  const base = { horizon: 4, period: 4, lookbackChunks: 6, hiddenSize: 6, numLayers: 2, members: 1, epochs: 3, windowsPerSeries: 4, companion: 'none' as const, levels: [] };
  const residual = new PanelForecaster({ ...base, residual: true }).fit(series);
  const plain = new PanelForecaster(base).fit(series);
  const a = residual.forecast(series);
  const b = plain.forecast(series);
  a.forEach((f) => f.mean.forEach((v) => assert.ok(Number.isFinite(v) && v > 0)));
  assert.notDeepEqual(Array.from(a[0]!.mean), Array.from(b[0]!.mean));
  const json = JSON.parse(JSON.stringify(residual.toJSON()));
  assert.equal(json.settings.residual, 1);
  const again = PanelForecaster.fromJSON(json);
  assert.equal(again.settings.residual, 1);
  again.forecast(series).forEach((f, i) => assert.deepEqual(Array.from(f.mean), Array.from(a[i]!.mean)));
  // A file written before the option: no "residual" in its settings.
  const old = JSON.parse(JSON.stringify(plain.toJSON()));
  delete old.settings.residual;
  const loaded = PanelForecaster.fromJSON(old);
  assert.equal(loaded.settings.residual, 0);
  loaded.forecast(series).forEach((f, i) => assert.deepEqual(Array.from(f.mean), Array.from(b[i]!.mean)));
  json.settings.residual = 3;
  throwsWith(() => PanelForecaster.fromJSON(json), /residual/);
});
