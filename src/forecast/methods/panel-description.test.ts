/**
 * The panel model's description (panelDescription: `unroll benchmark`'s settings, the method's description)
 * names every setting a flag can change that is not at its default (normalisation, τ, windows per series, batch
 * size, learning rate, most epochs, seed, companion, weight evidence; the network's shape, window, members,
 * dilations, residual connections and calendar inputs as before), and leaves the defaults out. Before, it said
 * nothing of the normalisation, τ or the training options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../util/rng.js';
import { PanelForecaster } from '../panel/model.js';
import { panelSettings } from '../panel/settings.js';
import { panelDescription } from './panel.js';

const rng = new Rng(3);
const series = Array.from({ length: 5 }, (_, i) => Array.from({ length: 40 }, (_, t) => 50 + 4 * i + 5 * Math.sin((2 * Math.PI * t) / 4 + i) + rng.normal()));
const SMALL = { horizon: 4, period: 4, hiddenSize: 4, numLayers: 1, members: 1, levels: [0.9] };

test('panelDescription names every non-default setting a flag can change', () => {
  const model = new PanelForecaster({
    ...SMALL, epochs: 2, windowsPerSeries: 3, batchSize: 8, learningRate: 0.01, tau: 0.4, normalisation: 'window', seed: 7, companion: 'theta', weightEvidence: 0,
  }).fit(series);
  const text = panelDescription(model);
  for (const part of ['normalisation window', 'τ 0.4', '3 windows per series', 'batches of 8', 'learning rate 0.01', 'seed 7', '; at most 2)']) {
    assert.ok(text.includes(part), `"${part}" in: ${text}`);
  }
  // The companion is named by the combination's clause, or on its own when the network took the whole weight;
  // the evidence asked for, in the evidence's clause or on its own.
  assert.ok(text.includes('with the theta companion') || text.includes('weight 1 against the theta companion'), text);
  assert.match(text, /[ ;]0 required/);

  const alone = new PanelForecaster({ ...SMALL, epochs: 1, windowsPerSeries: 2, companion: 'none' }).fit(series);
  assert.match(panelDescription(alone), /, no companion \(the network alone\)/);
  // The evidence is said even where no combination says it.
  const strict = new PanelForecaster({ ...SMALL, epochs: 1, windowsPerSeries: 2, companion: 'none', weightEvidence: 5 }).fit(series);
  assert.match(panelDescription(strict), /, weight evidence 5 required/);
});

test('panelDescription leaves the defaults out: the usual line is the network, window, members and combination', () => {
  const fitted = new PanelForecaster({ ...SMALL, epochs: 1, windowsPerSeries: 2 }).fit(series);
  // The same model with the training options at their defaults (they do not change the saved network's shape).
  const d = panelSettings({ horizon: 4, period: 4 });
  const json = fitted.toJSON();
  const settings = { ...json.settings, epochs: d.epochs, windowsPerSeries: d.windowsPerSeries };
  const model = PanelForecaster.fromJSON({ ...json, settings });
  assert.equal(model.settings.normalisation, d.normalisation);
  assert.equal(model.settings.companion, d.companion);
  const text = panelDescription(model);
  assert.match(text, /^global GRU 1×4, \d+ chunks of 4, 1 members \(best epochs \d+\)(, combined [\d.]+:[\d.]+ with the [a-z-]+ companion \([^)]*\)|, weight 1 against the [a-z-]+ companion \([^)]*\))$/, text);
});

test('panelDescription: a weight of 1 names the companion the network beat and the evidence (it said nothing of the companion before)', () => {
  const json = new PanelForecaster({ ...SMALL, epochs: 1, windowsPerSeries: 2 }).fit(series).toJSON();
  const model = PanelForecaster.fromJSON({ ...json, weight: 1, weightEvidence: 11.6, companionChoice: 'ets-arima' });
  assert.equal(model.weight, 1);
  assert.match(panelDescription(model), /, weight 1 against the ets-arima companion \(the network's best weight gained 11\.6 standard errors over the companion on validation; 3 required\)$/);
});
