/**
 * The worker side of data-parallel training (main side: parallel.ts). Node only: it is loaded in a
 * `worker_threads` Worker, never imported by library code.
 *
 * The worker holds a replica of the model (same config, its own backend and memory) and a trainer
 * used only to form gradients. It sleeps in `Atomics.wait` on a shared control block; for each
 * command the main thread bumps the sequence number and wakes it:
 * - STEP: copy the main thread's current parameters into the replica, run forward + loss + BPTT on
 *   the shard whose sample indices are in the shared index buffer, and write the gradients to the
 *   shared gradient buffer and the loss to the shared result block.
 * - LOAD: take the data set (and new shared buffers) from the message port, synchronously.
 * The worker never leaves the loop by itself: `close()` has the supervisor terminate it.
 * Every failure is caught and reported (status ERROR and the message on the port), so the main
 * thread never waits for an answer that does not come; a worker V8 stops (out of memory,
 * process.exit) cannot, and its supervisor reports it instead (util/worker-watch.ts). The worker's
 * setup arrives through util/worker-boot.ts (the first message on its port, merged into workerData).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { createWasmBackendSync } from '../kernels/fast.js';
import { referenceBackend, type Backend } from '../kernels/index.js';
import { Network, type NetworkConfig } from '../nn/model.js';
import type { SequenceSet } from '../nn/sequences.js';
import { Trainer, type TargetSet } from './trainer.js';
import type { LossSpec } from './losses.js';
import { CMD, CTRL, STATUS, type SharedView, view } from './shared.js';
import { copyShardOutputs } from './parallel.js';

interface Setup {
  control: SharedArrayBuffer;
  result: SharedArrayBuffer;
  port: MessagePort;
  config: NetworkConfig;
  loss: LossSpec;
  backend: 'wasm' | 'reference';
  /** The main backend runs the relaxed-SIMD kernels (the replica follows, so both round alike). */
  relaxedSimd: boolean;
}

interface Load {
  set: SequenceSet;
  targets: TargetSet | null;
  indices: Int32Array;
  params: SharedView;
  grads: SharedView;
  out: SharedView;
}

const setup = workerData as Setup;
const control = new Int32Array(setup.control);
const result = new Float64Array(setup.result);
const port = setup.port;

function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  port.postMessage({ error: message });
  Atomics.store(control, CTRL.status, STATUS.error);
}

function finish(seq: number): void {
  Atomics.store(control, CTRL.done, seq);
  Atomics.notify(control, CTRL.done);
}

let model: Network | null = null;
let trainer: Trainer | null = null;
try {
  const backend: Backend = setup.backend === 'wasm' ? createWasmBackendSync({ notice: () => {}, relaxedSimd: setup.relaxedSimd ? 'auto' : 'off' }) : referenceBackend();
  model = new Network({ ...setup.config, backend });
  trainer = new Trainer(model, { loss: setup.loss, optimizer: { type: 'sgd', learningRate: 1 } });
  Atomics.store(control, CTRL.status, STATUS.ok);
} catch (e) {
  fail(e);
}
finish(0);

let data: Load | null = null;
let params: Float32Array | Float64Array | null = null;
let grads: Float32Array | Float64Array | null = null;
let out: Float32Array | Float64Array | null = null;
let seen = 0;
for (;;) {
  Atomics.wait(control, CTRL.seq, seen);
  seen = Atomics.load(control, CTRL.seq);
  const cmd = Atomics.load(control, CTRL.cmd);
  if (!model || !trainer) { finish(seen); continue; }
  try {
    Atomics.store(control, CTRL.status, STATUS.ok);
    if (cmd === CMD.load) {
      const msg = receiveMessageOnPort(port);
      if (!msg) throw new Error('internal: LOAD without a message');
      data = msg.message as Load;
      params = view(data.params);
      grads = view(data.grads);
      out = view(data.out);
      if (params.length !== model.store.count) throw new Error(`internal: replica has ${model.store.count} parameters, main has ${params.length}`);
    } else if (cmd === CMD.step) {
      if (!data || !params || !grads || !data.targets) throw new Error('internal: STEP before LOAD with targets');
      const count = Atomics.load(control, CTRL.count);
      model.training = Atomics.load(control, CTRL.training) === 1;
      // Dropout masks as the whole batch would draw them (see Stack.maskEpoch).
      model.stack.maskEpoch = Atomics.load(control, CTRL.maskEpoch);
      model.stack.maskSampleOffset = Atomics.load(control, CTRL.start);
      (model.store.values as Float32Array).set(params);
      result[0] = trainer.evaluateBatch(data.set, data.targets, data.indices, 0, count, true);
      grads.set(model.store.grads);
    } else if (cmd === CMD.forward) {
      if (!data || !params || !out) throw new Error('internal: FORWARD before LOAD');
      const count = Atomics.load(control, CTRL.count);
      model.training = false;
      (model.store.values as Float32Array).set(params);
      model.loadBatch(data.set, data.indices, 0, count);
      model.forward();
      copyShardOutputs(model, out, Atomics.load(control, CTRL.start), Atomics.load(control, CTRL.total), Atomics.load(control, CTRL.steps));
    }
  } catch (e) {
    fail(e);
  }
  finish(seen);
}
