// TensorFlow.js peer: `node bench/peers/tfjs.mjs cpu|wasm [--workloads W1,W2] [--quick]`.
// Same shapes as unroll, Adam (lr 1e-3), MSE or softmax cross-entropy, float32.
import * as tf from '@tensorflow/tfjs';
import { WORKLOADS, METRICS, budgets, makeData } from '../workloads.mjs';
import { measureRate, measureLatencyAsync, phase, withTurn, emit, participantArgs } from '../timing.mjs';

const backend = process.argv[2];
if (backend !== 'cpu' && backend !== 'wasm') throw new Error('usage: tfjs.mjs cpu|wasm [--workloads …] [--quick]');
if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend(backend);
await tf.ready();
const name = `tfjs-${backend}`;
const { workloads, quick } = participantArgs(process.argv.slice(3));
const B = budgets(quick);

function build(w, batchShapeB) {
  // Recurrent weights start glorot-uniform instead of tfjs's default 'orthogonal': that initialiser
  // runs a QR decomposition in JS, which took ~5 min on the cpu backend for W3's 256×1024 kernel
  // (7 s on wasm); the starting values do not change the work of a training step.
  const rnnArgs = { units: w.H, returnSequences: w.perStep, inputShape: [w.T, w.D], recurrentInitializer: 'glorotUniform' };
  const rnn = w.cell === 'lstm' ? tf.layers.lstm(rnnArgs) : tf.layers.simpleRNN({ ...rnnArgs, activation: w.activation });
  const model = tf.sequential();
  model.add(rnn);
  if (w.perStep) model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: w.K }) }));
  else model.add(tf.layers.dense({ units: w.K }));
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: w.perStep
      ? (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred)
      : 'meanSquaredError',
  });
  return model;
}

for (const id of workloads) {
  const w = WORKLOADS[id];
  const metrics = METRICS[id];
  // Model building and tensor creation happen in turns too (they are heavy for W3).
  phase(id, Object.keys(metrics)[0]);
  const model = await withTurn('setup', () => build(w));
  if (metrics.train) {
    phase(id, 'train');
    const count = Math.max(w.samples, w.B);
    const batches = await withTurn('setup', () => {
      const { x, y } = makeData(w, count);
      const batches = [];
      for (let from = 0; from + w.B <= count; from += w.B) {
        const xb = tf.tensor3d(x.subarray(from * w.T * w.D, (from + w.B) * w.T * w.D), [w.B, w.T, w.D]);
        const yb = w.perStep
          ? tf.oneHot(tf.tensor1d(y.subarray(from * w.T, (from + w.B) * w.T), 'int32'), w.K).reshape([w.B, w.T, w.K])
          : tf.tensor2d(y.subarray(from * w.K, (from + w.B) * w.K), [w.B, w.K]);
        batches.push([xb, yb]);
      }
      return batches;
    });
    let i = 0;
    const unitsPerStep = w.perStep ? w.B * w.T : w.B;
    const r = await measureRate(async () => {
      const [xb, yb] = batches[i++ % batches.length];
      await model.trainOnBatch(xb, yb);
      return unitsPerStep;
    }, { ...B, maxUnits: w.perStep ? Infinity : w.samples });
    emit(name, id, 'train', r.value, { repeats: r.repeats });
    await withTurn('teardown', () => { for (const [xb, yb] of batches) { xb.dispose(); yb.dispose(); } });
  }
  if (metrics.infer) {
    phase(id, 'infer');
    const chunks = await withTurn('setup', () => {
      const { x } = makeData(w, w.samples);
      const xs = tf.tensor3d(x, [w.samples, w.T, w.D]);
      const chunks = [];
      for (let from = 0; from < w.samples; from += w.inferBatch) chunks.push(xs.slice([from, 0, 0], [w.inferBatch, w.T, w.D]));
      return chunks;
    });
    let i = 0;
    const r = await measureRate(async () => {
      const out = model.predict(chunks[i++ % chunks.length]);
      await out.data();
      out.dispose();
      return w.inferBatch;
    }, { ...B, maxUnits: w.samples });
    emit(name, id, 'infer', r.value, { repeats: r.repeats, note: `batch ${w.inferBatch}` });
    await withTurn('teardown', () => { for (const c of chunks) c.dispose(); });
  }
  if (metrics.latency) {
    phase(id, 'latency');
    const x = tf.tensor3d([1, 2, 3], [1, 3, 1]);
    const r = await measureLatencyAsync(async () => {
      const out = model.predict(x);
      out.dataSync();
      out.dispose();
    }, B);
    emit(name, id, 'latency', r.value, { repeats: r.repeats, note: 'predict + dataSync of one 3-step sequence' });
    x.dispose();
  }
  await withTurn('teardown', () => model.dispose());
}
