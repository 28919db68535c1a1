/**
 * The public gradient and state calls, for users who drive the math themselves (as with PyTorch's
 * `loss.backward()` and `nn.LSTM`'s `(output, (h_n, c_n))`):
 *
 * - `gradients(model, x, { y, loss })` or `gradients(model, x, { dy })`: one forward and one BPTT
 *   pass over the whole batch of variable-length sequences, returning the loss, ∂L/∂θ for every
 *   parameter by its PyTorch name (`weight_ih_l0`, …, `head.weight`) and ∂L/∂x per sample and
 *   step. With `dy` (∂L/∂y per output, the form `predict` returns) the pass is the one of
 *   `y.backward(dy)` and the returned loss is the surrogate Σ dy·y, whose gradient that is.
 * - `forwardStates(model, x, { h0, c0 })`: the per-step outputs of the recurrent stack (before the
 *   head), zero past each sample's length, and the final states by layer and direction, laid out as
 *   PyTorch's h_n / c_n: index l·dirs + d, then sample, then unit (d = 1 is the reverse direction).
 *   `h0`/`c0` give the initial states in the same layout.
 *
 * `gradients` runs in the model's current mode (`model.training`, false unless the caller sets it,
 * as PyTorch's train()/eval(): dropout only when true); `forwardStates` always in inference mode.
 * Both leave the weights unchanged and use the model's batch buffers for the call (they are not
 * for the training hot path).
 */
import { BidirectionalLayer } from '../nn/bidirectional.js';
import { RecurrentLayer } from '../nn/layer.js';
import type { Network } from '../nn/model.js';
import { toSequenceSet, type SequenceInput, type SequenceSet, type TargetInput } from '../nn/sequences.js';
import { UnrollError, badOption } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import { toTargetSet } from './fit.js';
import type { Loss, LossSpec, SequenceLoss } from './losses.js';
import { Trainer, type TargetSet } from './trainer.js';

export interface GradientOptions {
  /** Targets, as for `fit` (with `loss`). */
  y?: TargetInput | TargetSet;
  /** The loss of `y`. @default 'mse' */
  loss?: LossSpec | Loss | SequenceLoss;
  /** ∂L/∂y instead of targets: per sample one K-vector ('last'), or one per valid step ('sequence'). */
  dy?: number[][] | number[][][];
  /** Also form ∂L/∂x. @default true (false for a model with an embedding: token ids have no gradient) */
  inputGradient?: boolean;
  /** Initial states, as for forwardStates (PyTorch's h_0 / c_0). @default the model's initial state */
  h0?: number[][][];
  c0?: number[][][];
}

export interface GradientResult {
  /** The loss of the batch (with `dy`: Σ dy·y). */
  loss: number;
  /** ∂L/∂θ by parameter name, in the shape and order of `getWeights()`. */
  grads: Record<string, { shape: number[]; data: number[] }>;
  /** ∂L/∂x: per sample, per valid step, D numbers (empty arrays when `inputGradient` is false). */
  dx: number[][][];
  /** The model's outputs, as `predict` returns them. */
  outputs: number[][] | number[][][];
}

/** The loss, ∂L/∂θ by PyTorch name and ∂L/∂x of one batch (see the file header). */
export function gradients(model: Network, x: SequenceInput, options: GradientOptions): GradientResult {
  const o = checkOptions<GradientOptions>(options, { y: is.any, loss: is.any, dy: is.array, inputGradient: is.boolean, h0: is.array, c0: is.array }, { where: 'gradients' }, false);
  if ((o.y === undefined) === (o.dy === undefined)) badOption(o.dy === undefined ? 'y' : 'dy', o.y ?? o.dy, 'either targets y (with a loss) or dy (∂L/∂y), not both and not neither');
  if (o.dy !== undefined && o.loss !== undefined) badOption('loss', o.loss, 'nothing when dy is given (dy already is ∂L/∂y)');
  const set = toSequenceSet(x, model.inputSize, 'x');
  const B = set.count;
  const order = Int32Array.from({ length: B }, (_, i) => i);
  const seq = model.outputMode === 'sequence';
  const K = model.outputSize;
  // A model with an embedding reads token ids, which have no gradient.
  if (o.inputGradient === true && model.embedding) badOption('inputGradient', true, 'false or nothing for a model with an embedding (token ids have no gradient; the table\'s is grads["embedding.weight"])');
  const wantDx = o.inputGradient ?? !model.embedding;
  let loss = 0;
  const release = o.h0 || o.c0 ? setInitialStates(model, directions(model), B, o, 'gradients') : () => {};
  try {
    if (o.dy === undefined) {
      const trainer = new Trainer(model, { loss: o.loss });
      const targets = isTargetSet(o.y) ? o.y : toTargetSet(model, set, o.y as TargetInput, trainer.loss.classification, 'y');
      loss = trainer.evaluateBatch(set, targets, order, 0, B, false);
    } else {
      model.loadBatch(set, order, 0, B);
      model.forward();
      loss = writeDy(model, set, o.dy);
    }
    model.backend.fill(model.store.count, 0, model.store.grads, 0);
    model.backward(wantDx);
  } finally {
    release();
  }
  const grads: GradientResult['grads'] = {};
  for (const p of model.store.params) grads[p.name] = { shape: [...p.shape], data: Array.from(model.store.grads.subarray(p.offset, p.offset + p.size)) };
  const D = model.inputSize;
  const dx = Array.from({ length: B }, (_, b) => (wantDx
    ? Array.from({ length: set.lengths[b] }, (_, t) => Array.from(model.dx.subarray((t * B + b) * D, (t * B + b + 1) * D)))
    : []));
  const outputs = Array.from({ length: B }, (_, b) => (seq
    ? Array.from({ length: set.lengths[b] }, (_, t) => Array.from(model.y.subarray((t * B + b) * K, (t * B + b + 1) * K)))
    : Array.from(model.y.subarray(b * K, (b + 1) * K))));
  return { loss, grads, dx, outputs: outputs as number[][] | number[][][] };
}

function isTargetSet(y: unknown): y is TargetSet {
  return !!y && typeof y === 'object' && !Array.isArray(y) && 'steps' in y && ('values' in y || 'classes' in y);
}

/** Copies user ∂L/∂y into the model's dy (zero on padded rows) and returns Σ dy·y. */
function writeDy(model: Network, set: SequenceSet, dy: number[][] | number[][][]): number {
  const B = set.count;
  const K = model.outputSize;
  const seq = model.outputMode === 'sequence';
  if (dy.length !== B) throw new UnrollError(`gradients: dy holds ${dy.length} samples but x holds ${B}`, 'shape');
  const rows = seq ? model.steps * B : B;
  model.backend.fill(rows * K, 0, model.dy, 0);
  let dot = 0;
  const put = (row: number, v: unknown, where: string): void => {
    if (!Array.isArray(v) || v.length !== K) throw new UnrollError(`gradients: ${where} must hold ${K} numbers (outputSize)`, 'shape');
    for (let k = 0; k < K; k++) {
      const g = v[k];
      if (typeof g !== 'number' || !Number.isFinite(g)) throw new UnrollError(`gradients: ${where}[${k}] is ${String(g)}; expected a finite number`, 'data');
      model.dy[row * K + k] = g;
      dot += g * model.y[row * K + k];
    }
  };
  for (let b = 0; b < B; b++) {
    if (!seq) { put(b, dy[b], `dy[${b}]`); continue; }
    const steps = dy[b] as number[][];
    if (!Array.isArray(steps) || steps.length !== set.lengths[b]) throw new UnrollError(`gradients: dy[${b}] must hold ${set.lengths[b]} steps (the length of x[${b}])`, 'shape');
    for (let t = 0; t < steps.length; t++) put(t * B + b, steps[t], `dy[${b}][${t}]`);
  }
  return dot;
}

export interface ForwardStatesOptions {
  /** Initial hidden states, [layers·directions][N][H] (PyTorch's h_0). @default the model's initial state (zeros, or learned) */
  h0?: number[][][];
  /** Initial cell states of an LSTM, same layout (PyTorch's c_0). @default zeros, or learned */
  c0?: number[][][];
}

export interface ForwardStates {
  /** Per-step outputs of the top recurrent layer, N × maxSteps × width, zero past each sample's length. */
  output: number[][][];
  /** Each sample's length. */
  lengths: number[];
  /** Final hidden states, [layers·directions][N][H] (PyTorch's h_n). */
  h: number[][][];
  /** Final cell states of an LSTM (PyTorch's c_n); absent for other cells. */
  c?: number[][][];
}

/** The directional recurrent layers in PyTorch's h_n order: layer by layer, forward then reverse. */
function directions(model: Network): RecurrentLayer[] {
  const out: RecurrentLayer[] = [];
  for (const layer of model.layers) {
    if (layer instanceof BidirectionalLayer) out.push(layer.forwardLayer, layer.backwardLayer);
    else if (layer instanceof RecurrentLayer) out.push(layer);
    else throw new UnrollError(`forwardStates: layer kind ${layer.kind} has no per-direction state`, 'option');
  }
  return out;
}

/**
 * Puts user initial states (PyTorch layout, see ForwardStatesOptions) into the directional layers
 * for the next forward pass; returns the function that lets them start from their own state again.
 */
function setInitialStates(model: Network, dirs: RecurrentLayer[], B: number, o: ForwardStatesOptions, where: string): () => void {
  if (!o.h0 && !o.c0) return () => {};
  const cellKind = model.config.cell;
  const isLSTM = cellKind === 'lstm';
  if (!(isLSTM || cellKind === 'gru' || cellKind === 'elman')) badOption(o.h0 ? 'h0' : 'c0', o.h0 ?? o.c0, `nothing for cell '${cellKind}' (its state holds more than h; use step() with a StreamState)`);
  if (o.c0 && !isLSTM) badOption('c0', o.c0, `nothing for cell '${cellKind}' (only an LSTM has a cell state)`);
  const H = model.config.hiddenSize;
  const check = (name: string, v: number[][][] | undefined): void => {
    if (v === undefined) return;
    if (v.length !== dirs.length) throw new UnrollError(`${where}: ${name} holds ${v.length} states; expected ${dirs.length} (layers × directions)`, 'shape');
    v.forEach((rows, i) => {
      if (!Array.isArray(rows) || rows.length !== B) throw new UnrollError(`${where}: ${name}[${i}] must hold ${B} rows (one per sample)`, 'shape');
      rows.forEach((r, b) => {
        if (!Array.isArray(r) || r.length !== H) throw new UnrollError(`${where}: ${name}[${i}][${b}] must hold ${H} numbers (hiddenSize)`, 'shape');
        r.forEach((val, j) => { if (!Number.isFinite(val)) throw new UnrollError(`${where}: ${name}[${i}][${b}][${j}] is ${val}; expected a finite number`, 'data'); });
      });
    });
  };
  check('h0', o.h0);
  check('c0', o.c0);
  dirs.forEach((layer, i) => {
    const S = layer.cell.stateSize;
    const buf = model.backend.alloc(B * S);
    const init = layer.unroll.initialState;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < S; j++) buf[b * S + j] = init ? model.store.values[init.offset + j] : 0;
      if (o.h0) for (let j = 0; j < H; j++) buf[b * S + j] = o.h0[i][b][j];
      if (o.c0) for (let j = 0; j < H; j++) buf[b * S + H + j] = o.c0[i][b][j];
    }
    layer.initial = { buf, offset: 0 };
  });
  return () => { for (const layer of dirs) layer.initial = null; };
}

/** Per-step outputs and final states by layer and direction (see the file header). */
export function forwardStates(model: Network, x: SequenceInput, options: ForwardStatesOptions = {}): ForwardStates {
  const o = checkOptions<ForwardStatesOptions>(options, { h0: is.array, c0: is.array }, { where: 'forwardStates' });
  const set = toSequenceSet(x, model.inputSize, 'x');
  const B = set.count;
  const dirs = directions(model);
  const H = model.config.hiddenSize;
  const isLSTM = model.config.cell === 'lstm';
  const training = model.training;
  const release = setInitialStates(model, dirs, B, o, 'forwardStates');
  try {
    model.training = false;
    model.loadBatch(set, Int32Array.from({ length: B }, (_, i) => i), 0, B);
    model.forwardStack(false);
  } finally {
    model.training = training;
    release();
  }
  const top = model.layers[model.layers.length - 1];
  const W = top.outputSize;
  const T = model.steps;
  const output = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => (t < set.lengths[b]
    ? Array.from(top.out.subarray(top.seqOffset + (t * B + b) * top.seqLd, top.seqOffset + (t * B + b) * top.seqLd + W))
    : new Array(W).fill(0))));
  const part = (from: number): number[][][] => dirs.map((layer) => Array.from({ length: B }, (_, b) => {
    const off = layer.finalStateOffset(b) + from;
    return Array.from(layer.lastBuf.subarray(off, off + H));
  }));
  const result: ForwardStates = { output, lengths: Array.from(set.lengths), h: part(0) };
  if (isLSTM) result.c = part(H);
  return result;
}
