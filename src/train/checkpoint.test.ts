/**
 * Checkpoints and resume: a run stopped at any epoch end or mid-epoch and resumed from its
 * checkpoint ends with the same weights, bit for bit, as an uninterrupted run — single-threaded and
 * threaded, on both backends, with dropout, early stopping and each learning-rate schedule, and
 * for the encoder-decoder (Seq2Seq) too; a checkpoint round-trips through its
 * file format exactly; a checkpoint of another run, or a damaged one, is refused with a clear error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RNN, Seq2Seq, type Seq2SeqFitOptions } from './model.js';
import type { FitOptions, TrainingState } from './fit.js';
import { decodeCheckpoint, encodeCheckpoint, fileCheckpoints, readCheckpoint } from './checkpoint.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import type { Backend } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';
import { Rng } from '../util/rng.js';

function data(n = 23, T = 5): { x: number[][][]; y: number[][] } {
  const rng = new Rng(11);
  const x = Array.from({ length: n }, () => Array.from({ length: 2 + rng.int(T - 1) }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]));
  const y = x.map((s) => [s.reduce((a, r) => a + r[0] - 0.5 * r[1], 0) / s.length]);
  return { x, y };
}

const BASE: FitOptions = { epochs: 7, batchSize: 4, seed: 9, optimizer: { type: 'adam', learningRate: 0.01 }, clip: { globalNorm: 1 }, validationSplit: 0.2 };

function model(backend?: Backend, dropout = false): RNN {
  // Dropout needs two layers.
  return new RNN({ inputSize: 2, hiddenSize: 5, cell: 'lstm', seed: 4, ...(dropout ? { numLayers: 2, dropout: 0.3 } : {}), ...(backend ? { backend } : {}) });
}

class Stop extends Error {}

/** Runs fit, saving every state; throws Stop (simulating a kill) once `stopAt` states were saved. */
function runUntil(make: () => RNN, opts: FitOptions, stopAt: number, everyMinutes?: number): TrainingState[] {
  const { x, y } = data();
  const saved: TrainingState[] = [];
  let clock = 0;
  try {
    make().fit(x, y, {
      ...opts,
      checkpoint: {
        save: (s) => { saved.push(s); if (saved.length >= stopAt) throw new Stop(); },
        everyMinutes, now: () => (clock += 0.4 * 60_000), // a save-worthy minute passes every 2–3 batches
      },
    });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return saved;
}

function resumeFrom(make: () => RNN, opts: FitOptions, state: TrainingState): { weights: number[]; losses: number[] } {
  const { x, y } = data();
  const m = make();
  const h = m.fit(x, y, { ...opts, checkpoint: { save: () => {}, resume: state } });
  return { weights: Array.from(m.store.values), losses: h.epochs.map((e) => e.loss) };
}

function uninterrupted(make: () => RNN, opts: FitOptions): { weights: number[]; losses: number[] } {
  const { x, y } = data();
  const m = make();
  const h = m.fit(x, y, opts);
  return { weights: Array.from(m.store.values), losses: h.epochs.map((e) => e.loss) };
}

function checkAllStops(make: () => RNN, opts: FitOptions, everyMinutes?: number, pick?: (states: TrainingState[]) => TrainingState[]): void {
  const full = uninterrupted(make, opts);
  const states = runUntil(make, opts, Infinity, everyMinutes);
  assert.ok(states.filter((s) => s.batch === 0).length === full.losses.length, `expected a checkpoint per epoch, got ${states.length}`);
  if (everyMinutes) assert.ok(states.some((s) => s.batch > 0), 'expected mid-epoch checkpoints');
  for (const s of pick ? pick(states) : states) {
    // Through the file format as well, so what is on disk is what resumes.
    const back = decodeCheckpoint(encodeCheckpoint(s), 'test');
    const r = resumeFrom(make, opts, back);
    assert.deepEqual(r.weights, full.weights, `resumed after epoch ${s.epoch}, batch ${s.batch}: weights differ`);
    assert.deepEqual(r.losses, full.losses, `resumed after epoch ${s.epoch}, batch ${s.batch}: history differs`);
  }
}

test('resume after any epoch end or mid-epoch gives the uninterrupted weights bit for bit (reference backend)', () => {
  checkAllStops(() => model(), BASE, 1);
});

test('resume is bit-identical with dropout, early stopping and SGD momentum', () => {
  checkAllStops(() => model(undefined, true), { ...BASE, epochs: 12, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, earlyStopping: { patience: 2 } });
});

test('resume is bit-identical on the WebAssembly backend, single-threaded and with 2 threads', () => {
  // Worker threads start with each fit, so the threaded runs resume from two states each (one mid-epoch).
  const two = (states: TrainingState[]) => [states.find((s) => s.batch > 0)!, states[states.length - 2]];
  checkAllStops(() => model(createWasmBackendSync()), { ...BASE, epochs: 4 }, 1);
  checkAllStops(() => model(createWasmBackendSync(), true), { ...BASE, epochs: 3, threads: 2 }, 1, two);
});

// Each schedule, with stops at every epoch end and mid-epoch. SGD at a high rate with a strict
// threshold makes reduce-on-plateau lower the rate several times, so its best loss, bad-epoch count
// and cooldown are all in play when a checkpoint is taken.
const SCHEDULES: [string, FitOptions][] = [
  ['step', { ...BASE, epochs: 6, schedule: { type: 'step', stepSize: 2, gamma: 0.5 } }],
  ['cosine', { ...BASE, epochs: 6, schedule: { type: 'cosine', minLr: 0.001 } }],
  ['plateau', { ...BASE, epochs: 9, optimizer: { type: 'sgd', learningRate: 0.2, momentum: 0.5 }, schedule: { type: 'plateau', patience: 1, factor: 0.5, threshold: 0.3, cooldown: 1 } }],
];
for (const [name, opts] of SCHEDULES) {
  test(`resume with a ${name} learning-rate schedule gives the uninterrupted weights and rates bit for bit`, () => {
    const { x, y } = data();
    const rates = model().fit(x, y, opts).epochs.map((e) => e.learningRate);
    assert.ok(new Set(rates).size >= 3, `the schedule changes the rate several times: ${rates.join(', ')}`);
    checkAllStops(() => model(), opts, 1);
  });
}

test('a plateau schedule\'s state is in the checkpoint: resuming without it would train differently', () => {
  const opts = SCHEDULES[2][1];
  const states = runUntil(() => model(), opts, Infinity);
  const full = uninterrupted(() => model(), opts);
  // A state in the middle of a plateau: bad epochs counted or a cooldown running.
  const mid = states.find((s) => s.batch === 0 && s.schedule && (s.schedule.bad > 0 || s.schedule.cooling > 0) && s.epoch < opts.epochs! - 2);
  assert.ok(mid, `no checkpoint inside a plateau: ${JSON.stringify(states.map((s) => s.schedule))}`);
  const back = decodeCheckpoint(encodeCheckpoint(mid!), 'test');
  assert.deepEqual(back.schedule, mid!.schedule);
  assert.deepEqual(resumeFrom(() => model(), opts, back).weights, full.weights);
  const forgetful = { ...back, schedule: { ...back.schedule!, best: null, bad: 0, cooling: 0 } };
  assert.notDeepEqual(resumeFrom(() => model(), opts, forgetful).weights, full.weights, 'the schedule state makes no difference; the test cannot fail');
  // Another schedule is another run.
  assert.throws(() => resumeFrom(() => model(), { ...opts, schedule: { type: 'plateau', patience: 2 } }, back),
    (e: unknown) => e instanceof UnrollError && /different training run/.test(e.message));
});

test('Seq2Seq.fit resumes after any epoch end or mid-epoch with the uninterrupted weights bit for bit', () => {
  const rng = new Rng(3);
  const xs = Array.from({ length: 14 }, (_, i) => Array.from({ length: 2 + (i % 3) }, () => [rng.uniform(-1, 1)]));
  const ys = xs.map((s) => [...s].reverse());
  const make = (): Seq2Seq => new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 3, seed: 6 });
  const opts: Seq2SeqFitOptions = {
    epochs: 5, batchSize: 4, seed: 2, validationSplit: 0.25, optimizer: { type: 'adam', learningRate: 0.02 }, clip: { globalNorm: 1 },
    schedule: { type: 'step', stepSize: 2, gamma: 0.5 },
  };
  const run = (checkpoint?: Seq2SeqFitOptions['checkpoint'], data = ys): { weights: string; losses: number[] } => {
    const m = make();
    const h = m.fit(xs, data, { ...opts, checkpoint });
    return { weights: JSON.stringify(m.getWeights()), losses: h.losses };
  };
  const full = run();
  const states: TrainingState[] = [];
  let clock = 0;
  run({ save: (st) => { states.push(st); }, everyMinutes: 1, now: () => (clock += 0.6 * 60_000) });
  assert.equal(states.filter((st) => st.batch === 0).length, opts.epochs);
  assert.ok(states.some((st) => st.batch > 0), 'expected mid-epoch checkpoints');
  // Both optimizers (decoder and encoder) are in the state.
  assert.equal(states[0].optimizers.length, 2);
  for (const st of states) {
    const r = run({ save: () => {}, resume: decodeCheckpoint(encodeCheckpoint(st), 'test') });
    assert.equal(r.weights, full.weights, `resumed after epoch ${st.epoch}, batch ${st.batch}: weights differ`);
    assert.deepEqual(r.losses, full.losses);
  }
  // Other data is another run.
  const other = ys.map((s) => s.map((v) => [v[0] + 1]));
  assert.throws(() => run({ save: () => {}, resume: states[1] }, other), (e: unknown) => e instanceof UnrollError && /different training run/.test(e.message));
});

test('a checkpoint of another run (other data or settings) is refused with a clear error', () => {
  const [s] = runUntil(() => model(), BASE, 1);
  const { x, y } = data();
  assert.throws(() => model().fit(x, y, { ...BASE, batchSize: 5, checkpoint: { save: () => {}, resume: s } }),
    (e: unknown) => e instanceof UnrollError && /different training run/.test(e.message));
  const other = data(23, 6);
  assert.throws(() => model().fit(other.x, other.y, { ...BASE, checkpoint: { save: () => {}, resume: s } }),
    (e: unknown) => e instanceof UnrollError && e.code === 'checkpoint');
});

test('fileCheckpoints writes checkpoint.json atomically, reads it back, removes stale temporary files; damaged files are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-ck-'));
  // A temporary file left by a killed writer (a pid that cannot be running).
  writeFileSync(join(dir, '.unroll-tmp-999999999-1-0-checkpoint.json'), '{"half');
  const ck = fileCheckpoints(dir);
  assert.deepEqual(readdirSync(dir), [], 'the stale temporary file is removed at the start');
  const { x, y } = data();
  model().fit(x, y, { ...BASE, epochs: 2, checkpoint: ck });
  assert.deepEqual(readdirSync(dir), ['checkpoint.json']);
  const s = readCheckpoint(dir)!;
  assert.equal(s.epoch, 2);
  const text = readFileSync(join(dir, 'checkpoint.json'), 'utf8');
  for (const broken of [text.slice(0, text.length / 2), '{}', '[]', 'null', text.replace('"epoch":2', '"epoch":3'), text.replace(/"order":"[^"]*"/, '"order":"AAAAAAAAAAA="')]) {
    writeFileSync(join(dir, 'checkpoint.json'), broken);
    assert.throws(() => readCheckpoint(dir), (e: unknown) => e instanceof UnrollError && e.code === 'checkpoint' && e.message.length < 300);
  }
  assert.throws(() => fileCheckpoints(join(dir, 'checkpoint.json')), UnrollError);
});
