/**
 * Forecaster files are validated in full before use (issue 14): each hostile variant of a valid file
 * is refused with one UnrollError naming the file and the field, instead of running with defaults,
 * printing NaN or failing later with a TypeError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsvFrame } from '../data/csv.js';
import { Forecaster } from './forecaster.js';
import { UnrollError } from '../util/errors.js';

const frame = parseCsvFrame('t,close\n' + Array.from({ length: 40 }, (_, i) => `${i + 1},${100 + 10 * Math.sin(i / 3)}`).join('\n'), { source: 'tiny.csv' });
const f = new Forecaster({ lookback: 4, model: { cell: 'gru', hiddenSize: 2 }, training: { epochs: 1, patience: 0 } });
f.fit(frame);
const valid = JSON.parse(JSON.stringify(f.toJSON()));

function variant(edit: (j: any) => void): unknown {
  const j = JSON.parse(JSON.stringify(valid));
  edit(j);
  return j;
}

function refused(json: unknown, pattern: RegExp): void {
  assert.throws(() => Forecaster.fromJSON(json, { source: 'm.json' }), (e: unknown) => {
    assert.ok(e instanceof UnrollError, String(e));
    assert.match(e.message, /^(forecaster|model) file m\.json: /);
    assert.match(e.message, pattern);
    assert.ok(e.message.length < 300, e.message);
    return true;
  });
}

test('the valid file loads and forecasts finite numbers', () => {
  const g = Forecaster.fromJSON(valid, { source: 'm.json' });
  assert.ok(g.forecast(frame, 3).series.every((p) => Number.isFinite(p.value) && (p.lower === null || Number.isFinite(p.lower))));
});

test('residuals that are strings or null are refused', () => {
  refused(variant((j) => (j.residuals[0] = j.residuals[0].map(String))), /residuals\[0\]\[0\]: .*expected number/);
  refused(variant((j) => (j.residuals[1][0] = null)), /residuals\[1\]\[0\]/);
  refused(variant((j) => (j.residuals = null)), /residuals/);
  refused(variant((j) => (j.residuals[0] = [3, 1, 2])), /residuals\[0\]: expected sorted numbers/);
});

test('"options": "fast" is refused instead of running with defaults', () => {
  refused(variant((j) => (j.options = 'fast')), /options: .*expected record/);
});

test('a missing target scaler, a wrong-sized feature scaler or outputs that do not fit the options are refused', () => {
  refused(variant((j) => delete j.scalers.series.target), /scalers\.series\.target/);
  refused(variant((j) => (j.scalers = {})), /scalers: expected the scalers of at least one series/);
  refused(variant((j) => (j.scalers.series.features = { kind: 'standard', mean: [0, 0], std: [1, 1] })), /scales 2 column\(s\), but the network has 1 input/);
  refused(variant((j) => (j.scalers.series.target = { kind: 'standard', mean: [0], std: [0] })), /expected every std above 0/);
  refused(variant((j) => (j.options.predict = 'direction')), /outputSize: is 7, but the options .* need 2 output/);
  refused(variant((j) => (j.model.weights['head.bias'].data[0] = '1')), /head\.bias/);
  refused(variant((j) => (j.epochs[0].loss = 'Infinity')), /epochs\[0\]\.loss/);
});

test('options.model that disagrees with the network section is refused, naming the field and both values', () => {
  refused(variant((j) => (j.options.model.cell = 'lstm')), /options\.model\.cell: is "lstm", but the network's "model\.config\.cell" is "gru"; expected the two to agree$/);
  refused(variant((j) => (j.options.model.hiddenSize = 3)), /options\.model\.hiddenSize: is 3, but the network's "model\.config\.hiddenSize" is 2/);
  // A wrong type is named by the options checker before the comparison with the network.
  refused(variant((j) => (j.options.model.hiddenSize = '2')), /"options\.model\.hiddenSize" is "2"; expected a positive integer/);
  refused(variant((j) => (j.options.model.numLayers = 2)), /options\.model\.numLayers: is 2, but .* is 1/);
  // An option the cell cannot honour is named as such by the cell's own check.
  refused(variant((j) => (j.options.model.activation = 'relu')), /"options\.model\.activation" is "relu"; expected 'tanh' or nothing for cell 'gru'/);
  refused(variant((j) => (j.options.model.dilations = [2])), /options\.model\.dilations: is \[2\], but .* is \[1\]/);
  refused(variant((j) => (j.options.model.bogus = 1)), /Forecaster: unknown "options\.model\.bogus"; known: .*hiddenSize/);
  // No model options means the defaults (an LSTM of 32 units), which this GRU of 2 is not.
  refused(variant((j) => delete j.options.model), /options\.model\.cell: is "lstm", but .* is "gru"/);
  refused(variant((j) => (j.options.model = 'fast')), /"options\.model" is "fast"; expected an object/);
  // Features against the network's inputs, after their shorthands expand ('ohlc' is four inputs).
  refused(variant((j) => (j.options.features = ['ohlc'])), /model\.config\.inputSize: is 1, but the options list 4 feature\(s\)/);
  refused(variant((j) => (j.model.config.inputSize = 2)), /scalers\.series\.features: scales 1 column\(s\), but the network has 2 input/);
  // Settings the file may spell out, equal to the network's, load.
  Forecaster.fromJSON(variant((j) => Object.assign(j.options.model, { activation: 'tanh', dilations: [1], learnInitialState: false })), { source: 'm.json' });
});
