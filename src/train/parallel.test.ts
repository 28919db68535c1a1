import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RNN } from './model.js';
import { Trainer, type TargetSet } from './trainer.js';
import { ParallelPredictor } from './parallel.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import type { Backend } from '../kernels/index.js';
import type { SequenceSet } from '../nn/sequences.js';
import { UnrollError } from '../util/errors.js';
import { Rng } from '../util/rng.js';

type Kind = { cell: 'lstm' | 'gru' | 'elman'; outputMode: 'last' | 'sequence'; loss: 'mse' | 'ssr' | 'crossEntropy' | 'pinball' | { type: 'pinball'; quantiles: number[] }; dropout?: number; dilated?: boolean; residual?: boolean };

/** N random sequences of 2..T steps (ragged, so shards see different step counts) and matching targets. */
function data(kind: Kind, N: number, T: number, D: number, K: number, seed = 5): { set: SequenceSet; targets: TargetSet } {
  const rng = new Rng(seed);
  const lengths = Int32Array.from({ length: N }, () => 2 + Math.floor(rng.next() * (T - 1)));
  const values = Float64Array.from({ length: N * T * D }, () => rng.uniform(-1, 1));
  const set: SequenceSet = { count: N, maxSteps: T, inputSize: D, data: values, lengths };
  const rows = kind.outputMode === 'sequence' ? N * T : N;
  const targets: TargetSet = kind.loss === 'crossEntropy'
    ? { values: null, classes: Int32Array.from({ length: rows }, () => Math.floor(rng.next() * K)), steps: kind.outputMode === 'sequence' ? T : 1 }
    : { values: Float64Array.from({ length: rows * K }, () => rng.uniform(-1, 1)), classes: null, steps: kind.outputMode === 'sequence' ? T : 1 };
  return { set, targets };
}

function model(kind: Kind, backend: Backend | undefined, D: number, K: number): RNN {
  return new RNN({ inputSize: D, hiddenSize: 6, outputSize: K, cell: kind.cell, outputMode: kind.outputMode, seed: 3, ...(kind.dropout ? { numLayers: 2, dropout: kind.dropout } : {}), ...(kind.dilated ? { numLayers: 2, dilations: [1, 3] } : {}), ...(kind.residual ? { numLayers: 3, dilations: [1, 3, 1], residual: true, dropout: 0.2 } : {}), ...(backend ? { backend } : {}) });
}

/** Runs a few steps with 1 and with `threads` threads from the same start; returns losses and final weights of both. */
function compare(kind: Kind, threads: number, batch: number, backend?: () => Backend) {
  const D = 3;
  const K = kind.loss === 'crossEntropy' ? 4 : 2;
  const { set, targets } = data(kind, 11, 7, D, K);
  const order = Int32Array.from([3, 7, 1, 0, 9, 10, 2, 8, 4, 6, 5]);
  const run = (t: number) => {
    const m = model(kind, backend?.(), D, K);
    const tr = new Trainer(m, { loss: kind.loss, optimizer: { type: 'sgd', learningRate: 0.05 }, threads: t });
    const losses: number[] = [];
    const grads: number[][] = [];
    try {
      for (let from = 0; from + batch <= set.count; from += batch) {
        losses.push(tr.step(set, targets, order, from, batch));
        grads.push(Array.from(m.store.grads));
      }
    } finally {
      tr.close();
    }
    return { losses, grads, weights: Array.from(m.store.values) };
  };
  return { one: run(1), many: run(threads) };
}

function close(a: number[], b: number[], rel: number, what: string): void {
  assert.equal(a.length, b.length);
  const scale = Math.max(1e-12, ...a.map(Math.abs));
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= rel * scale, `${what}[${i}]: ${a[i]} vs ${b[i]} (scale ${scale})`);
  }
}

const kinds: Kind[] = [
  { cell: 'lstm', outputMode: 'last', loss: 'mse' },
  { cell: 'elman', outputMode: 'last', loss: 'ssr' },
  { cell: 'gru', outputMode: 'sequence', loss: 'mse' },
  { cell: 'lstm', outputMode: 'sequence', loss: 'crossEntropy' },
  // Dropout between stacked layers: each sample's masks depend on its place in the batch, not on the shard.
  { cell: 'lstm', outputMode: 'sequence', loss: 'mse', dropout: 0.4 },
  { cell: 'elman', outputMode: 'last', loss: 'ssr', dropout: 0.25 },
  // A dilated stack (the panel forecaster's shape) with the pinball loss (a mean over target numbers).
  { cell: 'gru', outputMode: 'last', loss: 'pinball', dilated: true },
  { cell: 'lstm', outputMode: 'sequence', loss: 'pinball', dilated: true },
  // A dilated stack with residual connections and dropout (masks drawn per sample, whichever shard).
  { cell: 'gru', outputMode: 'last', loss: 'pinball', residual: true },
  // Pinball at two levels (a plain-data spec the workers rebuild): one block of outputs per level.
  { cell: 'gru', outputMode: 'last', loss: { type: 'pinball', quantiles: [0.5, 0.9] }, dilated: true },
];

for (const kind of kinds) {
  test(`threads: 2 and 3 give the single-threaded losses, gradients and weights (float64, ${kind.cell} ${kind.outputMode} ${JSON.stringify(kind.loss)}${kind.dilated ? ' dilated' : ''}${kind.residual ? ' residual' : ''}${kind.dropout ? ` dropout ${kind.dropout}` : ''})`, () => {
    for (const threads of [2, 3]) {
      const { one, many } = compare(kind, threads, 5);
      close(one.losses, many.losses, 1e-12, 'loss');
      one.grads.forEach((g, s) => close(g, many.grads[s], 1e-11, `grad of step ${s}`));
      close(one.weights, many.weights, 1e-11, 'weights');
    }
  });
}

test('dropout is really on in those runs: a model without it trains to other weights', () => {
  const kind = kinds[4];
  const { one } = compare(kind, 2, 5);
  const { one: without } = compare({ ...kind, dropout: 1e-9 }, 2, 5);
  assert.ok(one.weights.some((w, i) => Math.abs(w - without.weights[i]) > 1e-6), 'dropout 0.4 and ~0 gave the same weights');
});

test('threads: 2 on the float32 WebAssembly backend agrees with one thread within float32 rounding', () => {
  const wasm = createWasmBackendSync({ notice: () => {} });
  for (const kind of [kinds[0], kinds[3]]) {
    const { one, many } = compare(kind, 2, 4, () => wasm);
    close(one.losses, many.losses, 1e-5, 'loss');
    one.grads.forEach((g, s) => close(g, many.grads[s], 1e-4, `grad of step ${s}`));
  }
});

test('fit with threads: 2 gives the history of threads: 1 (float64)', () => {
  const rng = new Rng(9);
  const x = Array.from({ length: 20 }, () => Array.from({ length: 6 }, () => rng.uniform(-1, 1)));
  const y = x.map((s) => s.reduce((a, b) => a + b, 0) / 6);
  const run = (threads: number) => {
    const m = new RNN({ inputSize: 1, hiddenSize: 5, cell: 'lstm', seed: 2 });
    const h = m.fit(x, y, { epochs: 3, batchSize: 7, validationSplit: 0.2, threads });
    return { losses: h.epochs.flatMap((e) => [e.loss, e.valLoss!]), w: Array.from(m.store.values) };
  };
  const a = run(1);
  const b = run(2);
  close(a.losses, b.losses, 1e-12, 'epoch loss');
  close(a.w, b.w, 1e-10, 'weights');
});

test('threads: bad values and custom losses are refused with clear errors', () => {
  const m = new RNN({ inputSize: 1, hiddenSize: 2 });
  for (const bad of [0, 1.5, -2, '2', 1000]) {
    assert.throws(() => new Trainer(m, { threads: bad as number }), (e: unknown) => e instanceof UnrollError && /threads/.test(e.message));
  }
  const custom = { name: 'mine', compute: () => 0 };
  assert.throws(() => new Trainer(m, { loss: custom, threads: 2 }), (e: unknown) => e instanceof UnrollError && /custom loss/.test(e.message));
});

test('an error inside a worker surfaces on the main thread with its message, and the trainer stays usable', () => {
  const wasm = createWasmBackendSync({ notice: () => {} });
  const kind: Kind = { cell: 'lstm', outputMode: 'last', loss: 'crossEntropy' };
  const { set } = data(kind, 4, 5, 3, 3);
  const classes = Int32Array.from([0, 1, 2, 7]); // class 7 of 3, in the worker's half of the batch
  const m = model(kind, wasm, 3, 3);
  const tr = new Trainer(m, { loss: 'crossEntropy', threads: 2 });
  const order = Int32Array.from([0, 1, 2, 3]);
  try {
    assert.throws(() => tr.step(set, { values: null, classes, steps: 1 }, order, 0, 4),
      (e: unknown) => e instanceof UnrollError && /training worker failed/.test(e.message) && /target 7/.test(e.message));
    const loss = tr.step(set, { values: null, classes: Int32Array.from([0, 1, 2, 1]), steps: 1 }, order, 0, 4);
    assert.ok(Number.isFinite(loss));
  } finally {
    tr.close();
  }
});

test('a process that never closes its threaded trainer still exits', () => {
  const trainer = new URL('./trainer.js', import.meta.url).href;
  const modelUrl = new URL('./model.js', import.meta.url).href;
  const script = `
    const { Trainer } = await import(${JSON.stringify(trainer)});
    const { RNN } = await import(${JSON.stringify(modelUrl)});
    const m = new RNN({ inputSize: 1, hiddenSize: 3, cell: 'lstm' });
    const t = new Trainer(m, { threads: 2 });
    const set = { count: 4, maxSteps: 3, inputSize: 1, data: new Float64Array(12).fill(0.5), lengths: new Int32Array(4).fill(3) };
    t.step(set, { values: new Float64Array(4).fill(1), classes: null, steps: 1 }, [0, 1, 2, 3], 0, 4);
    console.log('stepped');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, cwd: fileURLToPath(new URL('.', import.meta.url)) });
  assert.equal(r.signal, null, `timed out or killed: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /stepped/);
});

test('ParallelPredictor gives model.predict\'s outputs (ragged sequences, last and sequence modes, 2 and 3 threads), and follows weight updates', () => {
  for (const outputMode of ['last', 'sequence'] as const) {
    const kind: Kind = { cell: 'lstm', outputMode, loss: 'mse' };
    const { set, targets } = data(kind, 11, 7, 3, 2);
    const m = model(kind, undefined, 3, 2);
    for (const threads of [2, 3]) {
      const p = new ParallelPredictor(m, { threads });
      try {
        const flat = (v: unknown): number[] => (v as number[][]).flat(2) as number[];
        close(flat(m.predict(set, { batchSize: 5 })), flat(p.predict(set, { batchSize: 5 })), 1e-12, `${outputMode} ${threads} threads`);
        // A training step changes the weights; the predictor reads the current ones.
        new Trainer(m, { optimizer: { type: 'sgd', learningRate: 0.5 } }).step(set, targets, Int32Array.from({ length: 11 }, (_, i) => i), 0, 11);
        close(flat(m.predict(set, { batchSize: 4 })), flat(p.predict(set, { batchSize: 4 })), 1e-12, `${outputMode} ${threads} threads after a step`);
      } finally {
        p.close();
      }
    }
  }
});

test('ParallelPredictor on the float32 WebAssembly backend agrees with predict within float32 rounding', () => {
  const wasm = createWasmBackendSync({ notice: () => {} });
  const kind: Kind = { cell: 'elman', outputMode: 'last', loss: 'mse' };
  const { set } = data(kind, 9, 6, 3, 2);
  const m = model(kind, wasm, 3, 2);
  const p = new ParallelPredictor(m);
  try {
    close((m.predict(set) as number[][]).flat(), (p.predict(set) as number[][]).flat(), 1e-5, 'wasm predict');
  } finally {
    p.close();
  }
});

test('thousands of tiny threaded steps and forwards run without a lost wake-up (no hang)', { timeout: 120_000 }, () => {
  const kind: Kind = { cell: 'elman', outputMode: 'last', loss: 'mse' };
  const { set, targets } = data(kind, 4, 3, 3, 2);
  const m = model(kind, undefined, 3, 2);
  const tr = new Trainer(m, { optimizer: { type: 'sgd', learningRate: 1e-3 }, threads: 2 });
  const p = new ParallelPredictor(m);
  const order = Int32Array.from([0, 1, 2, 3]);
  try {
    for (let i = 0; i < 3000; i++) {
      assert.ok(Number.isFinite(tr.step(set, targets, order, 0, 4)));
      if (i % 10 === 0) p.forward(set, order, 0, 4);
    }
  } finally {
    tr.close();
    p.close();
  }
});
