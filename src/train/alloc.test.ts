/**
 * "The training step allocates nothing": after the first step has planned every buffer, further
 * steps must create no typed array and ask the backend for no memory. Typed-array construction is
 * counted by temporarily replacing the global constructors (module code looks them up at call time).
 */
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import assert from 'node:assert/strict';
import { RNN } from './model.js';
import { Trainer } from './trainer.js';
import { toTargetSet } from './fit.js';
import { toSequenceSet } from '../nn/sequences.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import { referenceBackend, type Backend } from '../kernels/index.js';
import type { NetworkOptions } from '../nn/model.js';
import { Rng } from '../util/rng.js';

function countAllocations(run: () => void, backend: Backend): { typed: number; backend: number } {
  const g = globalThis as unknown as Record<string, unknown>;
  const names = ['Float64Array', 'Float32Array', 'Int32Array', 'Uint8Array'];
  const originals = names.map((n) => g[n]);
  let typed = 0;
  names.forEach((n, i) => {
    const Original = originals[i] as new (...a: unknown[]) => unknown;
    g[n] = new Proxy(Original, { construct(target, args) { typed++; return Reflect.construct(target, args) as object; } });
  });
  const alloc = backend.alloc;
  let backendAllocs = 0;
  (backend as { alloc: Backend['alloc'] }).alloc = (n: number) => { backendAllocs++; return alloc.call(backend, n); };
  try {
    run();
  } finally {
    names.forEach((n, i) => { g[n] = originals[i]; });
    (backend as { alloc: Backend['alloc'] }).alloc = alloc;
  }
  return { typed, backend: backendAllocs };
}

test('the allocation counter sees typed arrays and backend buffers (so the checks below can fail)', () => {
  const backend = referenceBackend();
  assert.deepEqual(countAllocations(() => { new Float64Array(3); Float32Array.from([1]); backend.alloc(4); }, backend), { typed: 3, backend: 1 }); // the reference backend's alloc is itself a Float64Array
});

const cases: [string, Omit<NetworkOptions, 'inputSize' | 'hiddenSize' | 'backend'>][] = [
  ['elman', { cell: 'elman' }],
  ['lstm, 2 layers, dropout, skips, learnable initial state', { cell: 'lstm', numLayers: 2, dropout: 0.2, inputToEveryLayer: true, everyLayerToHead: true, learnInitialState: true }],
  ['gru, many-to-many', { cell: 'gru', outputMode: 'sequence' }],
  ['bidirectional lstm', { cell: 'lstm', bidirectional: true }],
  ['gru, 3 dilated layers, residual, dropout, skips', { cell: 'gru', numLayers: 3, dilations: [1, 2, 3], residual: true, dropout: 0.2, inputToEveryLayer: true, everyLayerToHead: true }],
  ['bidirectional elman, 4 layers, residual every 2', { cell: 'elman', bidirectional: true, numLayers: 4, residual: 2, outputMode: 'sequence' }],
];

for (const [backendName, makeBackend] of [['reference', () => referenceBackend()], ['wasm', () => createWasmBackendSync({ notice: () => {} })]] as const) {
  for (const [label, options] of cases) {
    test(`a training step allocates nothing after the first (${label}, ${backendName} backend)`, () => {
      const backend = makeBackend();
      const rng = new Rng(1);
      const lengths = [7, 3, 5, 7, 2, 6];
      const x = lengths.map((L) => Array.from({ length: L }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]));
      const model = new RNN({ inputSize: 2, hiddenSize: 8, ...options, backend } as NetworkOptions);
      const perStep = model.outputMode === 'sequence';
      const y = perStep ? lengths.map((L) => Array.from({ length: L }, () => [rng.uniform(-1, 1)])) : lengths.map(() => [rng.uniform(-1, 1)]);
      const set = toSequenceSet(x, 2);
      const targets = toTargetSet(model, set, y, false);
      const trainer = new Trainer(model, { loss: 'mse', optimizer: 'adam', clip: { globalNorm: 1 } });
      const order = Int32Array.from({ length: lengths.length }, (_, i) => i);
      trainer.step(set, targets, order, 0, 6); // plans every buffer
      trainer.step(set, targets, order, 0, 3);
      const counts = countAllocations(() => {
        for (let i = 0; i < 10; i++) {
          trainer.step(set, targets, order, 0, 6);
          trainer.step(set, targets, order, 3, 3);
        }
      }, backend);
      assert.deepEqual(counts, { typed: 0, backend: 0 });
    });
  }
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
// A minor collection (a scavenge) empties the young generation without touching compiled code.
const collect = (): void => gc({ type: 'minor' });

/**
 * Bytes allocated in V8's young generation by `run` (minus what measuring itself takes). A full
 * scavenge first empties the young generation, so the small amounts measured here do not
 * trigger a scavenge in between; should one happen anyway (the count drops), it is measured again.
 */
function youngBytes(run: () => void): number {
  const used = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
  for (let attempt = 0; ; attempt++) {
    collect();
    const a0 = used();
    const a1 = used(); // the cost of one measurement
    run();
    const b = used();
    if (b >= a1 || attempt >= 4) return b - a1 - (a1 - a0);
  }
}

test('the young-generation counter sees ordinary objects (so the check below can fail)', () => {
  const keep: unknown[] = [];
  const bytes = youngBytes(() => { for (let i = 0; i < 1000; i++) keep.push({ i }); });
  assert.ok(bytes >= 8000, `1000 small objects should take at least 8 kB, measured ${bytes}`);
});

for (const [label, cell, backendName] of [['tiny elman (W4)', 'elman', 'reference'], ['lstm', 'lstm', 'wasm'], ['elman', 'elman', 'wasm']] as const) {
  test(`inference (loadBatch + forward) allocates no JavaScript objects after the first call (${label}, ${backendName} backend)`, () => {
    const backend = backendName === 'wasm' ? createWasmBackendSync({ notice: () => {} }) : referenceBackend();
    const tiny = label.startsWith('tiny');
    const model = new RNN({ inputSize: 1, hiddenSize: tiny ? 1 : 16, outputSize: 1, cell, activation: tiny ? 'relu' : 'tanh', backend } as NetworkOptions);
    const set = toSequenceSet([[[1], [2], [3]], [[0.5], [0.25]]], 1);
    const order = Int32Array.from([0, 1]);
    const sink = new Float64Array(1);
    const call = (): void => { model.loadBatch(set, order, 0, 2); model.forward(); sink[0] += model.y[0]; };
    for (let i = 0; i < 20000; i++) call(); // warm up: plans buffers, lets the JIT settle
    let best = Infinity;
    // The best of several tries, each after more warm-up: a function the JIT has just deoptimised
    // boxes its numbers for a while (tens of bytes per call); a real per-call object shows in every try.
    for (let r = 0; r < 8 && best > 0; r++) {
      for (let i = 0; i < 5000; i++) call();
      best = Math.min(best, youngBytes(() => { for (let i = 0; i < 2000; i++) call(); }));
    }
    assert.ok(Number.isFinite(sink[0]));
    // Under one byte per call: nothing is allocated per call (a scavenge in between would only lower it).
    assert.ok(best < 2000, `2000 calls allocated ${best} bytes`);
  });
}
