/**
 * ONNX export of Elman (nn.RNN), LSTM and GRU models — stacked, bidirectional, with the dense head —
 * for onnxruntime, Triton and every other ONNX runtime. Opset 14, IR version 8, float32.
 *
 * Graph (N samples, T steps, D features, H units, dirs = 1 or 2, K outputs):
 *
 *   input [N, T, D], lengths [N] (int32, each sample's valid steps)
 *   X⁰ = Transpose(input) [T, N, D]
 *   with a token embedding (option embedding: { vocabSize: V, dim: d }): input [N, T] holds int64
 *   token ids and X⁰ = Transpose(Gather(embedding.weight [V, d], input)) [T, N, d]
 *   for each layer l:  Yˡ, Yˡ_h = RNN|LSTM|GRU(Xˡ, Wˡ, Rˡ, Bˡ, sequence_lens = lengths)
 *                      Yˡ [T, dirs, N, H] → Xˡ⁺¹ = Reshape(Transpose(Yˡ, [0, 2, 1, 3]), [0, 0, −1]) [T, N, dirs·H]
 *   many-to-one:  output [N, K]    = Gemm(Reshape(Transpose(Y^L_h, [1, 0, 2]), [0, −1]), head.weight, head.bias, transB)
 *   many-to-many: output [N, T, K] = Transpose(X^{L+1}, [1, 0, 2]) · head.weightᵀ + head.bias
 *
 * Y_h of a direction is its state after its own last valid step, as in unroll's many-to-one output
 * (the forward state at the last step ‖ the backward state at step 0). Past a sample's end ONNX's
 * Y is zero, where unroll carries the last state: many-to-many outputs match on valid steps only.
 *
 * Weights: ONNX's W, R are [dirs, gates·H, ·] with gates in ONNX's order — LSTM i, o, f, c (PyTorch:
 * i, f, g, o), GRU z, r, h (PyTorch: r, z, n) — and B = [W_b ‖ R_b]. A GRU with `resetAfter` (PyTorch's
 * form) is ONNX's linear_before_reset = 1.
 */
import protobuf from 'protobufjs';
import { UnrollError } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import type { RNN } from '../train/model.js';
import { ATTR_INT, ATTR_STRING, ATTR_STRINGS, ONNX_FLOAT, ONNX_INT32, ONNX_INT64, ONNX_SCHEMA } from './onnx-schema.js';

export const ONNX_OPSET = 14;
export const ONNX_IR_VERSION = 8;

export interface OnnxExportOptions {
  /** Name of the graph. @default 'unroll' */
  graphName?: string;
  /** Free-form text stored in the model's doc string. */
  docString?: string;
}

type Attr = { name: string; type: number; i?: number; s?: Uint8Array; strings?: Uint8Array[] };
type Node = { input: string[]; output: string[]; name: string; opType: string; attribute: Attr[] };
type Tensor = { name: string; dims: number[]; dataType: number; floatData?: number[]; int64Data?: number[] };

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const ACTIVATION: Record<string, string> = { tanh: 'Tanh', relu: 'Relu', sigmoid: 'Sigmoid' };

/** Why a model cannot be exported, or null. */
export function onnxUnsupported(model: RNN): string | null {
  const c = model.config;
  if (c.cell !== 'elman' && c.cell !== 'lstm' && c.cell !== 'gru') return `cell '${c.cell}' has no ONNX operator (exportable: elman, lstm, gru)`;
  if (c.cell === 'elman' && !ACTIVATION[c.activation]) return `activation '${c.activation}' of an Elman cell has no ONNX RNN activation here (exportable: tanh, relu, sigmoid)`;
  if (c.learnInitialState) return 'learnInitialState: ONNX exports here start from zero states';
  if (c.inputToEveryLayer || c.everyLayerToHead) return 'skip connections (inputToEveryLayer, everyLayerToHead) have no ONNX recurrent operator';
  if (c.dilations.some((d) => d > 1)) return 'dilated layers have no ONNX recurrent operator';
  if (c.residual > 0) return 'residual connections have no ONNX recurrent operator';
  if (c.bidirectional && c.mergeMode !== 'concat') return `mergeMode '${c.mergeMode}': only 'concat' (ONNX's layout) is exported`;
  return null;
}

/** The model as an ONNX file (bytes of a ModelProto). Dropout is inference-off, so it is left out. */
export function toOnnx(model: RNN, options: OnnxExportOptions = {}): Uint8Array {
  checkOptions(options, { graphName: is.string, docString: is.string }, { where: 'toOnnx' });
  const why = onnxUnsupported(model);
  if (why) throw new UnrollError(`ONNX export: ${why}`, 'option');
  const c = model.config;
  const H = c.hiddenSize;
  const dirs = c.bidirectional ? 2 : 1;
  const gates = c.cell === 'lstm' ? 4 : c.cell === 'gru' ? 3 : 1;
  // ONNX gate block b takes PyTorch gate block ORDER[b].
  const ORDER = c.cell === 'lstm' ? [0, 3, 1, 2] : c.cell === 'gru' ? [1, 0, 2] : [0];
  const weights = model.getWeights();
  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  const get = (name: string): number[] => weights[name].data;

  /** Rows of a [gates·H, cols] PyTorch matrix in ONNX's gate order. */
  const reorder = (m: number[], cols: number): number[] => {
    const out: number[] = [];
    for (const g of ORDER) out.push(...m.slice(g * H * cols, (g + 1) * H * cols));
    return out;
  };
  const suffixes = (l: number): string[] => (dirs === 2 ? [`_l${l}`, `_l${l}_reverse`] : [`_l${l}`]);
  const attrInt = (name: string, i: number): Attr => ({ name, type: ATTR_INT, i });
  const attrInts = (name: string, v: number[]): Attr => ({ name, type: 7, ints: v } as unknown as Attr);
  const constInt64 = (name: string, v: number[]): void => { inits.push({ name, dims: [v.length], dataType: ONNX_INT64, int64Data: v }); };

  const emb = c.embedding;
  if (emb) {
    // Token ids → rows of the table; padded steps may hold any valid id (the recurrent ops stop at sequence_lens).
    inits.push({ name: 'embedding.weight', dims: [emb.vocabSize, emb.dim], dataType: ONNX_FLOAT, floatData: get('embedding.weight') });
    nodes.push({ input: ['embedding.weight', 'input'], output: ['x_ntd'], name: 'embedding', opType: 'Gather', attribute: [attrInt('axis', 0)] });
  }
  nodes.push({ input: [emb ? 'x_ntd' : 'input'], output: ['x_tnd'], name: 'to_time_major', opType: 'Transpose', attribute: [attrInts('perm', [1, 0, 2])] });
  let x = 'x_tnd';
  let inputSize = emb ? emb.dim : c.inputSize;
  let lastH = '';
  constInt64('shape_tn_flat', [0, 0, -1]);
  constInt64('shape_n_flat', [0, -1]);
  for (let l = 0; l < c.numLayers; l++) {
    const W: number[] = [], R: number[] = [], B: number[] = [];
    for (const s of suffixes(l)) {
      W.push(...reorder(get(`weight_ih${s}`), inputSize));
      R.push(...reorder(get(`weight_hh${s}`), H));
      B.push(...reorder(get(`bias_ih${s}`), 1), ...reorder(get(`bias_hh${s}`), 1));
    }
    inits.push({ name: `W_l${l}`, dims: [dirs, gates * H, inputSize], dataType: ONNX_FLOAT, floatData: W });
    inits.push({ name: `R_l${l}`, dims: [dirs, gates * H, H], dataType: ONNX_FLOAT, floatData: R });
    inits.push({ name: `B_l${l}`, dims: [dirs, 2 * gates * H], dataType: ONNX_FLOAT, floatData: B });
    const attribute: Attr[] = [attrInt('hidden_size', H), { name: 'direction', type: ATTR_STRING, s: text(dirs === 2 ? 'bidirectional' : 'forward') }];
    if (c.cell === 'gru') attribute.push(attrInt('linear_before_reset', (c.cellOptions as { resetAfter?: boolean }).resetAfter === false ? 0 : 1));
    if (c.cell === 'elman') attribute.push({ name: 'activations', type: ATTR_STRINGS, strings: new Array(dirs).fill(text(ACTIVATION[c.activation])) });
    const op = c.cell === 'lstm' ? 'LSTM' : c.cell === 'gru' ? 'GRU' : 'RNN';
    nodes.push({ input: [x, `W_l${l}`, `R_l${l}`, `B_l${l}`, 'lengths'], output: [`Y_l${l}`, `Yh_l${l}`], name: `${op.toLowerCase()}_l${l}`, opType: op, attribute });
    nodes.push({ input: [`Y_l${l}`], output: [`Yt_l${l}`], name: `merge_dirs_l${l}`, opType: 'Transpose', attribute: [attrInts('perm', [0, 2, 1, 3])] });
    nodes.push({ input: [`Yt_l${l}`, 'shape_tn_flat'], output: [`X_l${l + 1}`], name: `flatten_l${l}`, opType: 'Reshape', attribute: [] });
    x = `X_l${l + 1}`;
    lastH = `Yh_l${l}`;
    inputSize = dirs * H;
  }
  const K = c.outputSize;
  if (c.outputMode === 'last') {
    nodes.push({ input: [lastH], output: ['h_ndh'], name: 'final_states', opType: 'Transpose', attribute: [attrInts('perm', [1, 0, 2])] });
    nodes.push({ input: ['h_ndh', 'shape_n_flat'], output: ['h_last'], name: 'flatten_final', opType: 'Reshape', attribute: [] });
    inits.push({ name: 'head.weight', dims: [K, inputSize], dataType: ONNX_FLOAT, floatData: get('head.weight') });
    inits.push({ name: 'head.bias', dims: [K], dataType: ONNX_FLOAT, floatData: get('head.bias') });
    nodes.push({ input: ['h_last', 'head.weight', 'head.bias'], output: ['output'], name: 'head', opType: 'Gemm', attribute: [attrInt('transB', 1)] });
  } else {
    nodes.push({ input: [x], output: ['h_ntd'], name: 'to_batch_major', opType: 'Transpose', attribute: [attrInts('perm', [1, 0, 2])] });
    const w = get('head.weight');
    const wt: number[] = new Array(w.length);
    for (let k = 0; k < K; k++) for (let j = 0; j < inputSize; j++) wt[j * K + k] = w[k * inputSize + j];
    inits.push({ name: 'head.weight_t', dims: [inputSize, K], dataType: ONNX_FLOAT, floatData: wt });
    inits.push({ name: 'head.bias', dims: [K], dataType: ONNX_FLOAT, floatData: get('head.bias') });
    nodes.push({ input: ['h_ntd', 'head.weight_t'], output: ['h_proj'], name: 'head_matmul', opType: 'MatMul', attribute: [] });
    nodes.push({ input: ['h_proj', 'head.bias'], output: ['output'], name: 'head_bias', opType: 'Add', attribute: [] });
  }

  const dim = (d: number | string) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const tensorType = (elemType: number, dims: (number | string)[]) => ({ tensorType: { elemType, shape: { dim: dims.map(dim) } } });
  const graph = {
    name: options.graphName ?? 'unroll',
    node: nodes,
    initializer: inits,
    input: [
      emb
        ? { name: 'input', type: tensorType(ONNX_INT64, ['batch', 'steps']), docString: `N × T token ids in [0, ${emb.vocabSize}), batch-first; steps past a sample's length are ignored (any valid id)` }
        : { name: 'input', type: tensorType(ONNX_FLOAT, ['batch', 'steps', c.inputSize]), docString: 'N × T × D, batch-first; steps past a sample\'s length are ignored' },
      { name: 'lengths', type: tensorType(ONNX_INT32, ['batch']), docString: 'valid steps of each sample (1 … T)' },
    ],
    output: [{ name: 'output', type: tensorType(ONNX_FLOAT, c.outputMode === 'last' ? ['batch', K] : ['batch', 'steps', K]) }],
  };
  const root = protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace);
  const ModelProto = root.lookupType('onnx.ModelProto');
  const message = ModelProto.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: 'unroll',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    docString: options.docString ?? `unroll ${c.cell} model: ${c.numLayers} layer(s) of ${H}${dirs === 2 ? ' × 2 directions' : ''}, ${c.outputMode === 'last' ? 'many-to-one' : 'many-to-many'}`,
    graph,
  });
  return ModelProto.encode(message).finish();
}
