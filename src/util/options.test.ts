import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOptions, closestKey, is } from './options.js';
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
