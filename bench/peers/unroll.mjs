// unroll participant: `node --import tsx bench/peers/unroll.mjs [--workloads …] [--quick]`.
// Runs the TypeScript sources through tsx (always the current code; set UNROLL_DIST=1 to use dist/).
// Training and inference use the fast float32 WebAssembly backend, each measured with 1 and with 2
// threads (UNROLL_BENCH_THREADS) and reported at the faster setting: training steps through
// `Trainer({ threads })` (the batch split across worker threads), inference through
// `ParallelPredictor`. run.mjs starts this script with --experimental-wasm-relaxed-simd where Node
// accepts it, so the backend picks its fused multiply-add kernels. W4 is measured on both backends
// and the faster one is reported (the float64 reference has no call into WebAssembly, which wins
// on a 1-unit net).
import { WORKLOADS, METRICS, budgets, makeData } from '../workloads.mjs';
import { measureRate, measureLatency, emit, participantArgs } from '../timing.mjs';

const base = process.env.UNROLL_DIST ? '../../dist/' : '../../src/';
const api = await import(`${base}index.js`);
const { createWasmBackendSync } = await import(`${base}kernels/fast.js`);
const { ParallelPredictor } = await import(`${base}train/parallel.js`);
const { RNN, Trainer, CELL_KINDS, ReferenceBackend } = api;
const { workloads, quick } = participantArgs();
const B = budgets(quick);
const name = 'unroll';
const wasm = createWasmBackendSync();
/** Thread counts tried for training (UNROLL_BENCH_THREADS, e.g. "1,2"); the default tries 1 and 2 (this machine has 2 cores). */
const THREADS = (process.env.UNROLL_BENCH_THREADS ?? '1,2').split(',').map(Number);

function model(w, backend) {
  return new RNN({
    inputSize: w.D, hiddenSize: w.H, outputSize: w.K, cell: w.cell === 'lstm' ? 'lstm' : 'elman',
    activation: w.activation, outputMode: w.perStep ? 'sequence' : 'last', backend, seed: 1,
  });
}

function dataset(w, count) {
  const { x, y } = makeData(w, count);
  const set = { count, maxSteps: w.T, inputSize: w.D, data: Float64Array.from(x), lengths: new Int32Array(count).fill(w.T) };
  const targets = w.perStep ? { values: null, classes: y, steps: w.T } : { values: Float64Array.from(y), classes: null, steps: 1 };
  return { set, targets, indices: Int32Array.from({ length: count }, (_, i) => i) };
}

for (const id of workloads) {
  const w = WORKLOADS[id];
  const metrics = METRICS[id];
  const cell = w.cell === 'lstm' ? 'lstm' : 'elman';
  if (!CELL_KINDS.includes(cell)) {
    for (const metric of Object.keys(metrics)) emit(name, id, metric, null, { note: `pending: the '${cell}' cell has not landed yet` });
    continue;
  }
  if (metrics.train) {
    // unroll's best setting: each thread count of THREADS is measured, the fastest is reported.
    let best = null;
    const all = {};
    for (const threads of THREADS) {
      const m = model(w, wasm);
      const trainer = new Trainer(m, { loss: w.perStep ? 'crossEntropy' : 'mse', optimizer: { type: 'adam', learningRate: 1e-3 }, threads });
      const count = Math.max(w.samples, w.B);
      const { set, targets, indices } = dataset(w, count);
      let from = 0;
      const units = w.perStep ? w.B * w.T : w.B;
      try {
        const r = await measureRate(() => {
          if (from + w.B > count) from = 0;
          trainer.step(set, targets, indices, from, w.B);
          from += w.B;
          return units;
        }, { ...B, maxUnits: w.perStep ? Infinity : w.samples });
        all[threads] = Math.round(r.value);
        if (!best || r.value > best.r.value) best = { r, threads };
      } finally {
        trainer.close();
      }
    }
    const others = Object.entries(all).map(([t, v]) => `${t} thread${t === '1' ? '' : 's'}: ${v}`).join(', ');
    emit(name, id, 'train', best.r.value, { repeats: best.r.repeats, threads: best.threads, byThreads: all,
      note: `backend ${wasm.name}${wasm.relaxedSimd ? ' (relaxed-SIMD FMA)' : ''}, best of threads ${THREADS.join('/')} = ${best.threads} (${others})` });
  }
  if (metrics.infer) {
    // Threads 1: loadBatch + forward on the main thread; more: ParallelPredictor (batch split across workers).
    let best = null;
    const all = {};
    for (const threads of THREADS) {
      const m = model(w, wasm);
      const { set, indices } = dataset(w, w.samples);
      const predictor = threads > 1 ? new ParallelPredictor(m, { threads }) : null;
      let from = 0;
      try {
        const r = await measureRate(() => {
          if (from + w.inferBatch > w.samples) from = 0;
          if (predictor) predictor.forward(set, indices, from, w.inferBatch);
          else { m.loadBatch(set, indices, from, w.inferBatch); m.forward(); }
          from += w.inferBatch;
          return w.inferBatch;
        }, { ...B, maxUnits: w.samples });
        all[threads] = Math.round(r.value);
        if (!best || r.value > best.r.value) best = { r, threads };
      } finally {
        predictor?.close();
      }
    }
    const others = Object.entries(all).map(([t, v]) => `${t} thread${t === '1' ? '' : 's'}: ${v}`).join(', ');
    emit(name, id, 'infer', best.r.value, { repeats: best.r.repeats, threads: best.threads, byThreads: all,
      note: `batch ${w.inferBatch}, backend ${wasm.name}${wasm.relaxedSimd ? ' (relaxed-SIMD FMA)' : ''}, best of threads ${THREADS.join('/')} = ${best.threads} (${others})` });
  }
  if (metrics.latency) {
    let best = null;
    for (const backend of [new ReferenceBackend(), wasm]) {
      const m = model(w, backend);
      const set = { count: 1, maxSteps: 3, inputSize: 1, data: Float64Array.from([1, 2, 3]), lengths: Int32Array.from([3]) };
      const order = Int32Array.from([0]);
      let sink = 0;
      const r = measureLatency(() => {
        m.loadBatch(set, order, 0, 1);
        m.forward();
        sink += m.y[0];
      }, B);
      if (!Number.isFinite(sink)) throw new Error('W4: non-finite output');
      if (!best || r.value < best.r.value) best = { r, backend: backend.name };
    }
    emit(name, id, 'latency', best.r.value, { repeats: best.r.repeats, note: `loadBatch + forward of one 3-step sequence, backend ${best.backend}` });
  }
}
