// brain.js peer (2.0.0-beta): recurrent.LSTMTimeStep (W1) / RNNTimeStep (W2, W4).
// brain.js trains one sequence at a time (batch 1) with its own optimiser (not Adam) and learns
// to predict every next step of the sequence, so its figures are "samples/s at batch 1".
import brain from 'brain.js';
import { WORKLOADS, METRICS, budgets, makeData } from '../workloads.mjs';
import { measureRate, measureLatency, phase, withTurn, emit, participantArgs } from '../timing.mjs';

const { workloads, quick } = participantArgs();
const B = budgets(quick);
const name = 'brain.js';

for (const id of workloads) {
  const w = WORKLOADS[id];
  if (id === 'W3') continue; // brain.js has no per-step softmax classifier over one-hot inputs of this kind
  const Net = w.cell === 'lstm' ? brain.recurrent.LSTMTimeStep : brain.recurrent.RNNTimeStep;
  const metrics = METRICS[id];
  if (metrics.train) {
    phase(id, 'train');
    const { net, seqs } = await withTurn('setup', () => {
      const net = new Net({ inputSize: w.D, hiddenLayers: [w.H], outputSize: w.D });
      const { x } = makeData(w, 512);
      const seqs = [];
      for (let n = 0; n < 512; n++) {
        const s = [];
        for (let t = 0; t < w.T; t++) s.push(Array.from(x.subarray((n * w.T + t) * w.D, (n * w.T + t + 1) * w.D)));
        seqs.push(s);
      }
      return { net, seqs };
    });
    const chunk = 16;
    let i = 0;
    const r = await measureRate(() => {
      const from = (i++ * chunk) % seqs.length;
      net.train(seqs.slice(from, from + chunk), { iterations: 1, log: false, errorThresh: 0 });
      return chunk;
    }, B);
    emit(name, id, 'train', r.value, { repeats: r.repeats, note: 'batch 1, own optimiser, next-step targets' });
    if (metrics.infer) {
      phase(id, 'infer');
      let j = 0;
      const q = await measureRate(() => {
        for (let k = 0; k < 64; k++) net.run(seqs[j++ % seqs.length]);
        return 64;
      }, B);
      emit(name, id, 'infer', q.value, { repeats: q.repeats, note: 'one sequence per call' });
    }
  }
  if (metrics.latency) {
    phase(id, 'latency');
    const net = await withTurn('setup', () => {
      const net = new Net({ inputSize: 1, hiddenLayers: [1], outputSize: 1 });
      net.train([[0.1, 0.2, 0.3, 0.4]], { iterations: 1, log: false });
      return net;
    });
    const seq = [1, 2, 3];
    let sink = 0;
    const r = await measureLatency(() => { sink += net.run(seq); }, B);
    emit(name, id, 'latency', r.value, { repeats: r.repeats, note: `run() of one 3-step sequence${sink === 0.5 ? '' : ''}` });
  }
}
