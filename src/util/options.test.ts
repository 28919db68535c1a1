import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOptions, closestKey, is, mergeOptions, underPrefix } from './options.js';
import { checkSize } from './limits.js';
import { UnrollError } from './errors.js';

const spec = { epochs: is.positiveInt, learningRate: is.positive, shuffle: is.boolean, mode: is.oneOf('a', 'b') };
const refuses = (fn: () => unknown, re: RegExp): void => {
  assert.throws(fn, (e: unknown) => e instanceof UnrollError && e.code === 'option' && re.test((e as Error).message), String(re));
};

test('checkOptions refuses unknown keys with the closest known key and the list of known keys', () => {
  refuses(() => checkOptions({ epoch: 3 }, spec, { where: 'fit' }), /^fit: unknown option "epoch" \(did you mean "epochs"\?\); known: epochs, learningRate, shuffle, mode$/);
  refuses(() => checkOptions({ learningrate: 5 }, spec, { where: 'fit' }), /unknown option "learningrate" \(did you mean "learningRate"\?\)/);
  refuses(() => checkOptions({ zzz: 1 }, spec, { where: 'fit' }), /^fit: unknown option "zzz"; known: epochs/);
  refuses(() => checkOptions({ epoch: 1 }, spec, { where: 'Forecaster', prefix: 'training.' }), /unknown option "training.epoch" \(did you mean "training.epochs"\?\)/);
  assert.equal(closestKey('lookbak', ['lookback', 'horizon']), 'lookback');
  assert.equal(closestKey('x', ['lookback', 'horizon']), null);
});

test('checkOptions refuses wrong types with the key and what is expected; undefined means "not given"', () => {
  refuses(() => checkOptions({ epochs: 2.5 }, spec, { where: 'fit' }), /option "epochs" is 2.5; expected a positive integer/);
  refuses(() => checkOptions({ learningRate: '0.1' }, spec, { where: 'fit' }), /option "learningRate" is "0.1"; expected a positive number/);
  refuses(() => checkOptions({ shuffle: 'yes' }, spec, { where: 'fit' }), /option "shuffle" is "yes"; expected true or false/);
  refuses(() => checkOptions({ mode: 'c' }, spec, { where: 'fit' }), /option "mode" is "c"; expected one of 'a', 'b'/);
  refuses(() => checkOptions([1], spec, { where: 'fit' }), /fit: the options is an array of length 1; expected an object/);
  assert.deepEqual(checkOptions({ epochs: undefined, shuffle: true }, spec, { where: 'fit' }), { epochs: undefined, shuffle: true });
  assert.deepEqual(checkOptions(undefined, spec, { where: 'fit' }), {});
});

test('checkOptions says why a key it knows cannot be honoured', () => {
  refuses(() => checkOptions({ numLayers: 3 }, spec, { where: 'NARX', cannot: { numLayers: 'one hidden layer' } }), /^NARX: option "numLayers" cannot be honoured: one hidden layer$/);
  assert.doesNotThrow(() => checkOptions({ numLayers: undefined }, spec, { where: 'NARX', cannot: { numLayers: 'one hidden layer' } }));
});

test('underPrefix names the options of a sub-object by their full path, and only the option the message is about', () => {
  const sub = (o: unknown): unknown => checkOptions(o, spec, { where: 'Forecaster' });
  refuses(() => underPrefix('model.', () => sub({ epoch: 3 })), /^Forecaster: unknown option "model\.epoch" \(did you mean "model\.epochs"\?\); known: epochs, learningRate, shuffle, mode$/);
  refuses(() => underPrefix('model.', () => sub({ mode: 'c' })), /^option "model\.mode" is "c"; expected one of 'a', 'b'$/);
  refuses(() => underPrefix('model.', () => checkOptions({ numLayers: 2 }, spec, { where: 'NARX', cannot: { numLayers: 'set option "mode" instead' } })),
    /^NARX: option "model\.numLayers" cannot be honoured: set option "mode" instead$/);
  // Nested calls compose, outer prefix first; a sub-object's own prefix stays inside.
  refuses(() => underPrefix('options.', () => underPrefix('model.', () => checkOptions({ x: 1 }, spec, { where: 'cell', prefix: 'cellOptions.' }))),
    /^cell: unknown option "options\.model\.cellOptions\.x"; known/);
  // An option the caller put in itself keeps its name.
  refuses(() => underPrefix('options.', () => sub({ mode: 'c' }), ['mode']), /^option "mode" is "c"/);
  refuses(() => underPrefix('options.', () => sub({ mode: 'c' }), ['epochs']), /^option "options\.mode" is "c"/);
  // A size limit keeps its code.
  assert.throws(() => underPrefix('model.', () => checkSize('option "hiddenSize"', 1e9, 10)),
    (e: unknown) => e instanceof UnrollError && e.code === 'limit' && /^option "model\.hiddenSize" is 1000000000, above the limit of 10$/.test(e.message));
  // Other errors pass through untouched; a value passes through.
  assert.throws(() => underPrefix('model.', () => { throw new TypeError('option "x"'); }), /^TypeError: option "x"$/);
  assert.equal(underPrefix('model.', () => 7), 7);
});

test('mergeOptions: given over defaults, sub-objects merged key by key one level deep, undefined means not given', () => {
  const defaults = { lookback: 20, features: ['a', 'b'], model: { cell: 'gru', hiddenSize: 8 }, training: { epochs: 8, batchSize: 64, schedule: { type: 'step', stepSize: 2 } } };
  const merged = mergeOptions<Record<string, unknown>>(defaults, {
    lookback: undefined, features: ['c'], model: { hiddenSize: 4, cell: undefined }, training: { epochs: 3, schedule: { type: 'cosine' } }, period: 7,
  });
  assert.deepEqual(merged, { lookback: 20, features: ['c'], model: { cell: 'gru', hiddenSize: 4 }, training: { epochs: 3, batchSize: 64, schedule: { type: 'cosine' } }, period: 7 });
  // A value of the wrong type is kept for the checker to refuse (not merged into the default's object).
  assert.equal(mergeOptions<Record<string, unknown>>(defaults, { model: 'fast' }).model, 'fast');
  assert.equal(mergeOptions<Record<string, unknown>>(defaults, { model: null }).model, null);
  // A class instance (a backend) is taken whole, never spread.
  class Backend { readonly name = 'b'; }
  const backend = new Backend();
  assert.equal(mergeOptions<Record<string, unknown>>({ backend: new Backend() }, { backend }).backend, backend);
  // Neither argument changes.
  assert.deepEqual(defaults.training, { epochs: 8, batchSize: 64, schedule: { type: 'step', stepSize: 2 } });
  assert.deepEqual(mergeOptions(defaults, undefined), defaults);
});
