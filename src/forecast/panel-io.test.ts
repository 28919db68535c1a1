/** Saving and loading the panel forecaster: the same forecasts after a round trip, the series kept, clear refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PanelForecaster } from './panel/model.js';
import { isPanelModelJson, loadPanelForecaster, savePanelForecaster, type PanelHistory } from './panel-io.js';

const dir = mkdtempSync(join(tmpdir(), 'unroll-panel-io-'));

test('save, load: bit-identical forecasts and intervals, the series kept, the file written atomically', () => {
  const series = [0, 1, 2].map((s) => Float64Array.from({ length: 40 }, (_, t) => 10 + 3 * s + 2 * Math.sin((2 * Math.PI * t) / 4) + 0.1 * t));
  const model = new PanelForecaster({ horizon: 4, period: 4, members: 1, epochs: 2, hiddenSize: 4, numLayers: 1 });
  model.fit(series);
  const history: PanelHistory = { source: 'x.csv', target: 'value', frequency: 'quarterly', series: series.map((y, i) => ({ id: `s${i}`, values: Array.from(y), lastDates: ['2000-07-01', '2000-10-01'] })) };
  const path = join(dir, 'panel.json');
  savePanelForecaster(model, path, history);
  assert.deepEqual(readdirSync(dir), ['panel.json'], 'no temporary file left');
  const loaded = loadPanelForecaster(path);
  assert.deepEqual(loaded.history, history);
  const a = model.forecast(series);
  const b = loaded.model.forecast(loaded.history!.series.map((s) => s.values));
  for (let i = 0; i < series.length; i++) {
    assert.deepEqual(Array.from(b[i]!.mean), Array.from(a[i]!.mean));
    assert.deepEqual(b[i]!.intervals.map((x) => [Array.from(x.lower), Array.from(x.upper)]), a[i]!.intervals.map((x) => [Array.from(x.lower), Array.from(x.upper)]));
  }
  // Without history: the model alone.
  const bare = join(dir, 'bare.json');
  savePanelForecaster(model, bare);
  assert.equal(loadPanelForecaster(bare).history, undefined);
});

test('a file that is not a panel model, or whose series section is damaged, is refused naming the file', () => {
  const other = join(dir, 'other.json');
  writeFileSync(other, JSON.stringify({ format: 'unroll-forecaster', version: 1 }));
  assert.equal(isPanelModelJson({ format: 'unroll-forecaster' }), false);
  assert.throws(() => loadPanelForecaster(other), /model file .*other\.json: not a panel model \(expected format "unroll-panel-model", written by "unroll train --series"\)/);
  const series = [Float64Array.from({ length: 30 }, (_, t) => 5 + Math.sin(t))];
  const model = new PanelForecaster({ horizon: 3, period: 1, members: 1, epochs: 1, hiddenSize: 3, numLayers: 1, companion: 'none' });
  model.fit(series);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...model.toJSON(), history: { source: 'x', target: 'v', frequency: 'fortnightly', series: [] } }));
  assert.throws(() => loadPanelForecaster(bad), /model file .*bad\.json: "history\.frequency" must be null or one of hourly/);
});
