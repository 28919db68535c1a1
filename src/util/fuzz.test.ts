/**
 * Fuzz test (issue 14's acceptance): the CSV reader, the model-file loaders (forecaster, network,
 * language model, text classifier, safetensors), checkpoint files (decoded and resumed) and the option
 * parsers (numeric flags of every training command, sizes,
 * network, forecaster and fit options) are given seeded random inputs — random text, and random
 * mutations of valid files — for a bounded time each. Every input must either succeed or throw an
 * UnrollError with a message under 300 characters: never another exception, a hang or a crash.
 *
 * fast-check drives it with a fixed seed, so a failure reproduces; `interruptAfterTimeLimit` bounds
 * each property's time (the runs it managed count; the seed fixes which inputs they were).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCsvFrame, parseCsvSeries } from '../data/csv.js';
import { Forecaster } from '../forecast/forecaster.js';
import { RNN } from '../train/model.js';
import { decodeCheckpoint, encodeCheckpoint } from '../train/checkpoint.js';
import { Rng } from './rng.js';
import { LanguageModel } from '../text/lm.js';
import { TextClassifier } from '../text/classifier.js';
import { decodeSafetensors, encodeSafetensors } from '../interop/safetensors.js';
import { intFlag, numberFlag } from '../cli/run.js';
import { UnrollError } from './errors.js';
import { parseByteSize, setMaxMemory } from './limits.js';

/** The own keys of the built-in prototypes before any input is fuzzed (the last test compares). */
const BUILTINS = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype, Number: Number.prototype };
const keysOf = (o: object): string[] => Reflect.ownKeys(o).map(String).sort();
const builtinKeys = Object.fromEntries(Object.entries(BUILTINS).map(([k, o]) => [k, keysOf(o)]));

const SEED = 14;
const TIME_MS = 2500;
const params = (numRuns: number) => ({ seed: SEED, numRuns, interruptAfterTimeLimit: TIME_MS, markInterruptAsFailure: false, includeErrorInReport: true });

/** Runs `f`; passes if it returns or throws an UnrollError with a short message, fails otherwise. */
function succeedsOrRefuses(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof UnrollError)) throw new Error(`not an UnrollError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 500));
    if (e.message.length >= 300) throw new Error(`message of ${e.message.length} characters: ${e.message.slice(0, 200)}…`);
  }
}

// ---- random JSON values and mutations of valid files

const anyJson = fc.jsonValue({ maxDepth: 3 });
const oddValues = fc.oneof(
  anyJson,
  fc.constantFrom(0, -1, 1e9, 1e308, -1e308, 0.5, 1.5, '', 'fast', '__proto__', null, [], {}, [1, 2], { kind: 'minmax' }, true, 2 ** 31, -(2 ** 31)),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a JSON value (objects' keys, arrays' indices), up to `limit` paths. */
function paths(v: Json, limit = 400): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (x: Json, p: (string | number)[]): void => {
    if (out.length >= limit) return;
    out.push(p);
    if (Array.isArray(x)) x.slice(0, 8).forEach((y, i) => walk(y, [...p, i]));
    else if (x && typeof x === 'object') for (const k of Object.keys(x)) walk(x[k], [...p, k]);
  };
  walk(v, []);
  return out;
}

/** A copy of `v` with the value at `path` replaced (or deleted when `value` is undefined). */
function mutate(v: Json, path: (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const copy = JSON.parse(JSON.stringify(v)) as Json;
  let at = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(last as number, 1);
    else delete at[last];
  } else at[last] = value;
  return copy;
}

/** Random single and double mutations of a valid file. */
function mutations(valid: Json): fc.Arbitrary<Json> {
  const all = paths(valid);
  const one = fc.tuple(fc.constantFrom(...all), fc.option(oddValues, { nil: undefined, freq: 5 })).map(([p, val]) => mutate(valid, p, val as Json | undefined));
  return fc.oneof(one, fc.tuple(one, fc.constantFrom(...all), oddValues).map(([m, p, val]) => { try { return mutate(m, p, val as Json); } catch { return m; } }));
}

// ---- valid files to start from (tiny models)

function tinyForecaster(): Json {
  const rows = Array.from({ length: 40 }, (_, i) => `${i + 1},${100 + 10 * Math.sin(i / 3)}`).join('\n');
  const f = new Forecaster({ lookback: 4, model: { cell: 'gru', hiddenSize: 2 }, training: { epochs: 1, patience: 0 } });
  f.fit(parseCsvFrame(`t,close\n${rows}`, { source: 'tiny.csv' }));
  return JSON.parse(JSON.stringify(f.toJSON())) as Json;
}

function tinyLm(): Json {
  const lm = LanguageModel.train('the cat sat on the mat and the dog sat on the log '.repeat(4), { hiddenSize: 3, epochs: 1, window: 4 } as never);
  return JSON.parse(JSON.stringify(lm.toJSON())) as Json;
}

function tinyClassifier(): Json {
  const c = TextClassifier.train(['good fine', 'bad awful', 'good great', 'awful bad', 'fine good', 'bad bad'], ['pos', 'neg', 'pos', 'neg', 'pos', 'neg'], { hiddenSize: 3, epochs: 1 } as never);
  return JSON.parse(JSON.stringify(c.toJSON())) as Json;
}

// ---- the properties

test('fuzz: the CSV reader gives a frame or an UnrollError for any text and options', () => {
  const cell = fc.oneof(fc.constantFrom('', '1', '-2.5', '1e400', 'NA', '2020-01-01', '0050-01-01', '"a,b"', '"', '__proto__', 'close', 'date', 'ticker', ' '), fc.string({ maxLength: 6 }));
  const csvText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }).chain((rows) =>
      fc.constantFrom(',', ';', '\t', '|').map((d) => rows.map((r) => r.join(d)).join(fc.sample(fc.constantFrom('\n', '\r\n'), { seed: rows.length, numRuns: 1 })[0]))),
  );
  const options = fc.record({
    missing: fc.constantFrom(undefined, 'error', 'ffill', 'drop', 'bogus'),
    sort: fc.boolean(),
    dateColumn: fc.constantFrom(undefined, false, 'date', 'nope', '__proto__'),
    columns: fc.constantFrom(undefined, ['close'], [], ['__proto__']),
  }, { requiredKeys: [] });
  fc.assert(fc.property(csvText, options, fc.boolean(), (text, o, series) => {
    succeedsOrRefuses(() => (series ? parseCsvSeries(text, o as never) : parseCsvFrame(text, o as never)));
  }), params(3000));
});

test('fuzz: forecaster, network, language-model and classifier files load or give an UnrollError', () => {
  const forecaster = tinyForecaster();
  const network = (forecaster as { model: Json }).model;
  const lm = tinyLm();
  const classifier = tinyClassifier();
  const loaders: [string, Json, (j: unknown) => unknown][] = [
    ['forecaster', forecaster, (j) => Forecaster.fromJSON(j, { source: 'f.json' })],
    ['network', network, (j) => RNN.fromJSON(j, { source: 'n.json' })],
    ['language model', lm, (j) => LanguageModel.fromJSON(j, { source: 'lm.json' })],
    ['classifier', classifier, (j) => TextClassifier.fromJSON(j, { source: 'c.json' })],
  ];
  for (const [, valid, load] of loaders) {
    succeedsOrRefuses(() => load(valid));
    fc.assert(fc.property(fc.oneof({ weight: 1, arbitrary: anyJson }, { weight: 6, arbitrary: mutations(valid) }), (j) => succeedsOrRefuses(() => load(j))), params(600));
  }
});

test('fuzz: checkpoint files decode and resume, or give an UnrollError', () => {
  const rng = new Rng(3);
  const x = Array.from({ length: 6 }, () => Array.from({ length: 3 }, () => [rng.uniform(-1, 1)]));
  const y = x.map((q) => [q[2][0]]);
  const opts = { epochs: 2, batchSize: 4, optimizer: 'adam', schedule: { type: 'plateau', patience: 0 } } as const;
  const states: string[] = [];
  new RNN({ inputSize: 1, hiddenSize: 2, seed: 1 }).fit(x, y, { ...opts, checkpoint: { save: (st) => { states.push(encodeCheckpoint(st)); } } });
  const valid = JSON.parse(states[0]) as Json;
  fc.assert(fc.property(fc.oneof({ weight: 1, arbitrary: anyJson }, { weight: 6, arbitrary: mutations(valid) }), (j) => succeedsOrRefuses(() => {
    const state = decodeCheckpoint(JSON.stringify(j), 'checkpoint ck/checkpoint.json');
    new RNN({ inputSize: 1, hiddenSize: 2, seed: 1 }).fit(x, y, { ...opts, checkpoint: { save: () => {}, resume: state } });
  })), params(300));
});

test('fuzz: a loaded forecaster that passed validation forecasts finite numbers or refuses', () => {
  const valid = tinyForecaster();
  const data = parseCsvFrame('t,close\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},${50 + i}`).join('\n'), { source: 'd.csv' });
  fc.assert(fc.property(mutations(valid), fc.integer({ min: 1, max: 12 }), (j, h) => {
    succeedsOrRefuses(() => {
      const f = Forecaster.fromJSON(j, { source: 'f.json' });
      const fc1 = f.forecast(data, h);
      for (const p of Object.values(fc1).flat()) {
        if (!Number.isFinite(p.value)) throw new Error(`a non-finite forecast ${p.value} from a file that passed validation`);
      }
    });
  }), params(300));
});

test('fuzz: safetensors files decode or give an UnrollError', () => {
  const valid = encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [2, 3], data: new Float32Array(6).fill(0.5) }]]) as never);
  const corrupt = fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: valid.length })).map(([i, b, cut]) => {
    const c = Uint8Array.from(valid);
    c[i] = b;
    return c.subarray(0, Math.max(cut, i + 1));
  });
  fc.assert(fc.property(fc.oneof(corrupt, fc.uint8Array({ maxLength: 64 })), (bytes) => succeedsOrRefuses(() => decodeSafetensors(bytes, 'x.safetensors'))), params(2000));
});

test('fuzz: option parsers accept what is in range and refuse the rest with an UnrollError', () => {
  // The numeric flags of train/run/backtest and of lm train / classify-text train (incl. --checkpoint-minutes).
  const names = ['hidden', 'layers', 'lookback', 'horizon', 'tokens', 'samples', 'epochs', 'batch-size', 'threads', 'seed', 'lr', 'clip-norm', 'test-size', 'refit-every',
    'checkpoint-minutes', 'learning-rate', 'vocab', 'min-count', 'window', 'stride', 'max-length', 'patience', 'validation', 'dropout', 'baseline-order', 'unknown-flag'];
  const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('0x10', '1e9', '-1', '', ' ', 'Infinity', 'NaN', '1e400', '0', '1.5', '+3', '٣', '1_000'), fc.double().map(String), fc.integer().map(String));
  fc.assert(fc.property(fc.constantFrom(...names), text, (name, v) => {
    succeedsOrRefuses(() => {
      const n = intFlag(name)(v);
      if (!Number.isSafeInteger(n)) throw new Error(`intFlag(${name}) returned ${n} for ${JSON.stringify(v)}`);
    });
    succeedsOrRefuses(() => {
      const n = numberFlag(name)(v);
      if (!Number.isFinite(n)) throw new Error(`numberFlag(${name}) returned ${n} for ${JSON.stringify(v)}`);
    });
    const b = parseByteSize(v);
    assert.ok(b === null || (Number.isInteger(b) && b >= 0));
  }), params(3000));
});

test('fuzz: network and forecaster options build a model or give an UnrollError, never allocating past the limits', () => {
  const size = fc.oneof(fc.integer({ min: -2, max: 40 }), fc.constantFrom(1e9, 1e6, 2 ** 31, 16384, 0.5, NaN, Infinity, '8', null, undefined));
  const networkOptions = fc.record({
    inputSize: size, hiddenSize: size, outputSize: size, numLayers: size,
    cell: fc.constantFrom('lstm', 'gru', 'elman', 'narx', 'jordan', 'nope', undefined),
    bidirectional: fc.constantFrom(true, false, 'yes', undefined), dropout: fc.constantFrom(0, 0.5, 1, -1, undefined),
  }, { requiredKeys: [] });
  const before = setMaxMemory(64 * 1024 * 1024);
  try {
    fc.assert(fc.property(networkOptions, (o) => succeedsOrRefuses(() => new RNN(o as never))), params(1500));
    const forecasterOptions = fc.record({
      lookback: size, minLength: size, horizon: size, strategy: fc.constantFrom('direct', 'recursive', 'x', undefined),
      predict: fc.constantFrom('value', 'return', 'direction', 'x', undefined), scaler: fc.constantFrom('minmax', 'standard', 'none', 'x', undefined),
      intervalLevel: fc.constantFrom(0.9, 0, 1, 2, undefined), model: fc.oneof(fc.constant(undefined), fc.record({ hiddenSize: size, numLayers: size }, { requiredKeys: [] })),
      training: fc.oneof(fc.constant(undefined), fc.record({ epochs: size, batchSize: size, threads: size, patience: size }, { requiredKeys: [] })),
    }, { requiredKeys: [] });
    fc.assert(fc.property(forecasterOptions, (o) => succeedsOrRefuses(() => new Forecaster(o as never))), params(1500));
  } finally {
    setMaxMemory(before);
  }
});

test('no built-in prototype was polluted by any of the fuzzed inputs (names such as __proto__ are data)', () => {
  for (const [name, proto] of Object.entries(BUILTINS)) assert.deepEqual(keysOf(proto), builtinKeys[name], `${name}.prototype changed`);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
