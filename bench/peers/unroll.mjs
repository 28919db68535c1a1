// unroll participant: `node --import tsx bench/peers/unroll.mjs [--workloads …] [--quick]`.
// Runs the TypeScript sources through tsx (always the current code; set UNROLL_DIST=1 to use dist/).
// Training and inference use the fast float32 WebAssembly backend, each measured with 1 and with 2
// threads (UNROLL_BENCH_THREADS) side by side (one repeat of each setting per turn, see
// bench/timing.mjs) and reported at the faster setting: training steps through
// `Trainer({ threads })` (the batch split across worker threads), inference through
// `ParallelPredictor`. run.mjs starts this script with --experimental-wasm-relaxed-simd where Node
// accepts it, so the backend picks its fused multiply-add kernels. W4 is measured on both backends
// and the faster one is reported (the float64 reference has no call into WebAssembly, which wins
// on a 1-unit net).
import { WORKLOADS, METRICS, budgets, makeData, makePanel } from '../workloads.mjs';
import { measureRates, measureLatencies, phase, withTurn, emit, participantArgs } from '../timing.mjs';

const base = process.env.UNROLL_DIST ? '../../dist/' : '../../src/';
const api = await import(`${base}index.js`);
const { createWasmBackendSync } = await import(`${base}kernels/fast.js`);
const { ParallelPredictor } = await import(`${base}train/parallel.js`);
const { RNN, Trainer, CELL_KINDS, ReferenceBackend } = api;
const panelTrain = await import(`${base}forecast/panel/train.js`);
const { BatchPacker } = await import(`${base}forecast/panel/windows.js`);
const { panelSettings } = await import(`${base}forecast/panel/settings.js`);
const { createOptimizer } = await import(`${base}train/optimizers.js`);
const { workloads, quick } = participantArgs();
const B = budgets(quick);
const name = 'unroll';
const wasm = createWasmBackendSync();
/** Thread counts tried for training (UNROLL_BENCH_THREADS, e.g. "1,2"); the default tries 1 and 2 (this machine has 2 cores). */
const THREADS = (process.env.UNROLL_BENCH_THREADS ?? '1,2').split(',').map(Number);

const cellOf = (w) => (w.cell === 'rnn' ? 'elman' : w.cell);

function model(w, backend) {
  return new RNN({
    inputSize: w.D, hiddenSize: w.H, outputSize: w.K, cell: cellOf(w),
    ...(w.cell === 'rnn' ? { activation: w.activation } : {}), outputMode: w.perStep ? 'sequence' : 'last', backend, seed: 1,
    ...(w.layers ? { numLayers: w.layers } : {}), ...(w.dilations ? { dilations: w.dilations } : {}),
  });
}

/** The workload's loss: pinball at its quantile levels (W5), cross-entropy per step (W3), else MSE. */
const lossOf = (w) => (w.quantiles ? { type: 'pinball', quantiles: w.quantiles } : w.perStep ? 'crossEntropy' : 'mse');

function dataset(w, count) {
  const { x, y } = makeData(w, count);
  const set = { count, maxSteps: w.T, inputSize: w.D, data: Float64Array.from(x), lengths: new Int32Array(count).fill(w.T) };
  const targets = w.perStep ? { values: null, classes: y, steps: w.T } : { values: Float64Array.from(y), classes: null, steps: 1 };
  return { set, targets, indices: Int32Array.from({ length: count }, (_, i) => i) };
}

const threadNote = (all, best) => `best of threads ${THREADS.join('/')} = ${best} (${Object.entries(all).map(([t, v]) => `${t} thread${t === '1' ? '' : 's'}: ${Math.round(v.value)}`).join(', ')})`;
const bestOf = (all, better) => Object.entries(all).reduce((a, b) => (better(b[1].value, a[1].value) ? b : a));

/**
 * A training step of the panel forecaster exactly as src/forecast/panel/train.ts's trainMember takes it, on
 * W5's synthetic panel (workloads.mjs makePanel): pack B windows (each series' Holt-Winters recursion forward
 * to the window's end, inputs and targets normalised by it), the network forward, the pinball loss, the
 * backward pass with the input gradient, the Holt-Winters step (gradient back through every window's
 * recursion, the level penalty, per-series Adam), clipping and Adam. One thread: the forecaster trains each
 * member on one thread (threads.ts spreads members, not batches).
 */
function panelStep(w) {
  const p = w.panel;
  const s = panelSettings({ horizon: p.horizon, period: p.period, hiddenSize: w.H, numLayers: w.layers, batchSize: w.B,
    windowsPerSeries: p.windowsPerSeries, levelPenalty: p.levelPenalty, hwLearningRate: p.hwLearningRate, normalisation: 'hw' });
  if (s.chunk !== w.D || s.lookbackChunks !== w.T || s.horizon * w.quantiles.length !== w.K) throw new Error('W5: the panel settings do not match the workload');
  if (w.dilations?.some((d) => d !== 1)) throw new Error('W5: the panel forecaster has no dilations option; measure a dilated network without `panel`');
  const { series: raw, pairs } = makePanel(w);
  const series = raw.map((y) => Float64Array.from(y));
  const net = panelTrain.buildNetwork(s, w.quantiles.length, wasm, 1);
  const n = net.store.count;
  const opt = createOptimizer(wasm, n, { type: 'adam', learningRate: s.learningRate });
  const packer = new BatchPacker(s, w.B);
  const hw = new panelTrain.HwTrainer(series, s);
  const count = pairs.length / 2;
  let from = 0;
  return () => {
    if (from + w.B > count) from = 0;
    packer.pack(net, series, pairs, from, w.B, hw.params);
    net.forward();
    panelTrain.pinball(net, packer.target, w.quantiles, w.B, s.horizon);
    wasm.fill(n, 0, net.store.grads, 0);
    net.backward(true);
    hw.step(net, packer, series, pairs, from, w.B, w.quantiles.length);
    const norm = Math.sqrt(wasm.sumSquares(n, net.store.grads, 0));
    if (!Number.isFinite(norm)) throw new Error('W5: non-finite gradient');
    if (norm > s.clipNorm) wasm.scale(n, s.clipNorm / norm, net.store.grads, 0);
    opt.step(net.store.values, net.store.grads);
    from += w.B;
    return w.B;
  };
}

for (const id of workloads) {
  const w = WORKLOADS[id];
  const metrics = METRICS[id];
  if (w.panel) {
    phase(id, 'train');
    const step = await withTurn('setup', () => ({ 1: panelStep(w) }));
    const all = await measureRates(step, { ...B, maxUnits: w.samples });
    const r = all[1];
    emit(name, id, 'train', r.value, { repeats: r.repeats, threads: 1,
      note: `backend ${wasm.name}${wasm.relaxedSimd ? ' (relaxed-SIMD FMA)' : ''}, 1 thread, the panel forecaster's own training step with the Holt-Winters normalisation (src/forecast/panel/train.ts)` });
    continue;
  }
  const cell = cellOf(w);
  if (!CELL_KINDS.includes(cell)) {
    for (const metric of Object.keys(metrics)) emit(name, id, metric, null, { note: `pending: the '${cell}' cell has not landed yet` });
    continue;
  }
  if (metrics.train) {
    // unroll's best setting: every thread count of THREADS is measured side by side (one repeat of
    // each per turn), the fastest is reported.
    phase(id, 'train');
    const count = Math.max(w.samples, w.B);
    const units = w.perStep ? w.B * w.T : w.B;
    const trainers = [];
    const steps = await withTurn('setup', () => {
      const { set, targets, indices } = dataset(w, count);
      const steps = {};
      for (const threads of THREADS) {
        const trainer = new Trainer(model(w, wasm), { loss: lossOf(w), optimizer: { type: 'adam', learningRate: 1e-3 }, threads });
        trainers.push(trainer);
        let from = 0;
        steps[threads] = () => {
          if (from + w.B > count) from = 0;
          trainer.step(set, targets, indices, from, w.B);
          from += w.B;
          return units;
        };
      }
      return steps;
    });
    try {
      const all = await measureRates(steps, { ...B, maxUnits: w.perStep ? Infinity : w.samples });
      const [threads, r] = bestOf(all, (a, b) => a > b);
      emit(name, id, 'train', r.value, { repeats: r.repeats, threads: Number(threads), byThreads: Object.fromEntries(Object.entries(all).map(([t, v]) => [t, Math.round(v.value)])),
        note: `backend ${wasm.name}${wasm.relaxedSimd ? ' (relaxed-SIMD FMA)' : ''}, ${threadNote(all, threads)}` });
    } finally {
      await withTurn('teardown', () => { for (const t of trainers) t.close(); });
    }
  }
  if (metrics.infer) {
    // Threads 1: loadBatch + forward on the main thread; more: ParallelPredictor (batch split across workers).
    phase(id, 'infer');
    const predictors = [];
    const steps = await withTurn('setup', () => {
      const { set, indices } = dataset(w, w.samples);
      const steps = {};
      for (const threads of THREADS) {
        const m = model(w, wasm);
        const predictor = threads > 1 ? new ParallelPredictor(m, { threads }) : null;
        if (predictor) predictors.push(predictor);
        let from = 0;
        steps[threads] = () => {
          if (from + w.inferBatch > w.samples) from = 0;
          if (predictor) predictor.forward(set, indices, from, w.inferBatch);
          else { m.loadBatch(set, indices, from, w.inferBatch); m.forward(); }
          from += w.inferBatch;
          return w.inferBatch;
        };
      }
      return steps;
    });
    try {
      const all = await measureRates(steps, { ...B, maxUnits: w.samples });
      const [threads, r] = bestOf(all, (a, b) => a > b);
      emit(name, id, 'infer', r.value, { repeats: r.repeats, threads: Number(threads), byThreads: Object.fromEntries(Object.entries(all).map(([t, v]) => [t, Math.round(v.value)])),
        note: `batch ${w.inferBatch}, backend ${wasm.name}${wasm.relaxedSimd ? ' (relaxed-SIMD FMA)' : ''}, ${threadNote(all, threads)}` });
    } finally {
      await withTurn('teardown', () => { for (const p of predictors) p.close(); });
    }
  }
  if (metrics.latency) {
    // Both backends, side by side; the faster is reported.
    phase(id, 'latency');
    let sink = 0;
    const fns = await withTurn('setup', () => {
      const fns = {};
      for (const backend of [new ReferenceBackend(), wasm]) {
        const m = model(w, backend);
        const set = { count: 1, maxSteps: 3, inputSize: 1, data: Float64Array.from([1, 2, 3]), lengths: Int32Array.from([3]) };
        const order = Int32Array.from([0]);
        fns[backend.name] = () => {
          m.loadBatch(set, order, 0, 1);
          m.forward();
          sink += m.y[0];
        };
      }
      return fns;
    });
    const all = await measureLatencies(fns, B);
    if (!Number.isFinite(sink)) throw new Error('W4: non-finite output');
    const [backend, r] = bestOf(all, (a, b) => a < b);
    emit(name, id, 'latency', r.value, { repeats: r.repeats, note: `loadBatch + forward of one 3-step sequence, backend ${backend} (${Object.entries(all).map(([k, v]) => `${k}: ${v.value.toFixed(2)} µs`).join(', ')})` });
  }
}
