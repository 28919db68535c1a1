/**
 * TensorFlow.js / Keras layers models (`model.json` + binary weight shards) ⇄ unroll models, for the
 * layer kinds both have: a Sequential stack of SimpleRNN, LSTM or GRU layers (each optionally wrapped
 * in Bidirectional), then one linear Dense layer.
 *
 *   model.json   { format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { layers } },
 *                  weightsManifest: [{ paths: ['weights.bin'], weights: [{ name, shape, dtype }] }] }
 *   weights      every shard of every group, concatenated, holds the listed weights in order (float32,
 *                little-endian)
 *
 * A recurrent layer's weights are `<layer>/kernel`, `<layer>/recurrent_kernel`, `<layer>/bias` (inside a
 * Bidirectional, `<wrapper>/forward_<layer>/…` and `<wrapper>/backward_<layer>/…`); they convert by
 * `nn/keras.ts` (transposes and gate orders). Intermediate layers return sequences; the last returns
 * sequences exactly when the model is many-to-many. Keras's GRU with reset_after = true is PyTorch's
 * (unroll's default); tfjs-layers only has reset_after = false, which is unroll's GRU with
 * `cellOptions: { resetAfter: false }`: a default GRU cannot be saved for tfjs, and says so.
 */
import { UnrollError } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import { RNN } from '../train/model.js';
import type { NetworkOptions } from '../nn/model.js';
import { denseFromKeras, denseToKeras, fromKeras, toKeras, type KerasRecurrentKind, type TorchWeights } from '../nn/keras.js';

export interface TfjsWeightSpec { name: string; shape: number[]; dtype: string }
export interface TfjsModelJSON {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
}

/** The largest weight count read from a model.json (the manifest is untrusted): 1e9 numbers. */
export const MAX_TFJS_WEIGHTS = 1e9;

type Layer = { class_name: string; config: Record<string, unknown> };
const RECURRENT: KerasRecurrentKind[] = ['SimpleRNN', 'LSTM', 'GRU'];
const CELL: Record<KerasRecurrentKind, 'elman' | 'lstm' | 'gru'> = { SimpleRNN: 'elman', LSTM: 'lstm', GRU: 'gru' };
const MERGE: Record<string, 'concat' | 'sum' | 'mean'> = { concat: 'concat', sum: 'sum', ave: 'mean' };

function bad(where: string, message: string): never {
  throw new UnrollError(`${where}: ${message}`, 'model-file');
}

function layersOf(topology: unknown, where: string): Layer[] {
  let t = topology as Record<string, unknown> | null;
  if (t && typeof t === 'object' && 'model_config' in t) t = t.model_config as Record<string, unknown>;
  if (!t || typeof t !== 'object' || t.class_name !== 'Sequential') {
    bad(where, `modelTopology must be a Sequential model (got ${JSON.stringify((t as { class_name?: unknown } | null)?.class_name ?? null)}); unroll reads Sequential stacks of SimpleRNN/LSTM/GRU layers and a Dense layer`);
  }
  const config = t.config as unknown;
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(layers)) bad(where, 'modelTopology.config.layers is missing');
  const out = (layers as Layer[]).filter((l) => l && l.class_name !== 'InputLayer');
  for (const l of out) if (!l || typeof l.class_name !== 'string' || !l.config || typeof l.config !== 'object') bad(where, 'every layer needs class_name and config');
  return out;
}

/** Splits the concatenated weight data by the manifest (float32 only), checking sizes first. */
function readWeights(json: TfjsModelJSON, data: Uint8Array, where: string): Map<string, { shape: number[]; data: number[] }> {
  if (!Array.isArray(json.weightsManifest)) bad(where, 'weightsManifest is missing');
  const specs = json.weightsManifest.flatMap((g) => (g && Array.isArray(g.weights) ? g.weights : bad(where, 'every weightsManifest group needs a "weights" list')));
  let total = 0;
  for (const s of specs) {
    if (!s || typeof s.name !== 'string' || !Array.isArray(s.shape) || !s.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad(where, 'every weight needs a name and a shape of non-negative integers');
    if (s.dtype !== 'float32') bad(where, `weight ${JSON.stringify(s.name)} has dtype ${JSON.stringify(s.dtype)}; unroll reads float32 weights (no quantised models)`);
    total += s.shape.reduce((a, b) => a * b, 1);
    if (total > MAX_TFJS_WEIGHTS) bad(where, `the manifest lists more than ${MAX_TFJS_WEIGHTS} weights`);
  }
  if (total * 4 !== data.length) bad(where, `the manifest lists ${total} float32 weights (${total * 4} bytes), but the weight files hold ${data.length} bytes`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Map<string, { shape: number[]; data: number[] }>();
  let at = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) values[i] = view.getFloat32(at + i * 4, true);
    at += n * 4;
    if (out.has(s.name)) bad(where, `weight ${JSON.stringify(s.name)} is listed twice`);
    out.set(s.name, { shape: s.shape, data: values });
  }
  return out;
}

/** Rebuilds a model from a tfjs/Keras layers model: its model.json (parsed) and all weight bytes in manifest order. */
export function fromTfjsModel(json: TfjsModelJSON, weightData: Uint8Array, options: { source?: string; backend?: NetworkOptions['backend'] } = {}): RNN {
  checkOptions(options, { source: is.string, backend: is.object }, { where: 'fromTfjsModel' });
  const where = options.source ? `tfjs model ${options.source}` : 'tfjs model';
  if (!json || typeof json !== 'object') bad(where, 'expected the parsed model.json');
  const layers = layersOf(json.modelTopology, where);
  const weights = readWeights(json, weightData, where);
  const dense = layers[layers.length - 1];
  if (!dense || dense.class_name !== 'Dense') bad(where, `the last layer must be Dense (the output head), got ${dense?.class_name ?? 'none'}`);
  if ((dense.config.activation ?? 'linear') !== 'linear') bad(where, `the Dense layer's activation is ${JSON.stringify(dense.config.activation)}; unroll's head is linear`);
  // An Embedding first: token ids in, its table [V, d] is unroll's embedding.weight.
  let embedding: { vocabSize: number; dim: number } | null = null;
  const torch: TorchWeights = {};
  if (layers[0]?.class_name === 'Embedding') {
    const e = layers[0].config;
    if (e.mask_zero === true) bad(where, 'the Embedding layer has mask_zero; unroll reads each sample\'s length instead of masking id 0');
    const name = String(e.name ?? '');
    const table = [...weights].find(([key]) => key.startsWith(`${name}/`) && key.endsWith('/embeddings'))?.[1];
    if (!table || table.shape.length !== 2) bad(where, `the Embedding layer's table ("${name}/embeddings") is missing from the manifest`);
    if (Number(e.input_dim) !== table.shape[0] || Number(e.output_dim) !== table.shape[1]) bad(where, `the Embedding layer's input_dim/output_dim (${e.input_dim}, ${e.output_dim}) disagree with its table [${table.shape.join(', ')}]`);
    embedding = { vocabSize: table.shape[0], dim: table.shape[1] };
    torch['embedding.weight'] = { shape: [...table.shape], data: Array.from(table.data) };
  }
  const rec = layers.slice(embedding ? 1 : 0, -1);
  if (rec.length === 0) bad(where, 'no recurrent layer before the Dense layer');
  let kind: KerasRecurrentKind | null = null;
  let units = 0;
  let bidirectional: boolean | null = null;
  let mergeMode: 'concat' | 'sum' | 'mean' = 'concat';
  let resetAfter = true;
  let activation = 'tanh';
  let inputSize = 0;
  let sequence = false;
  rec.forEach((layer, l) => {
    const wrapped = layer.class_name === 'Bidirectional';
    const inner = wrapped ? (layer.config.layer as Layer) : layer;
    if (!inner || !RECURRENT.includes(inner.class_name as KerasRecurrentKind)) bad(where, `layer ${l + 1} is ${layer.class_name}; expected SimpleRNN, LSTM, GRU or Bidirectional around one`);
    const k = inner.class_name as KerasRecurrentKind;
    const c = inner.config;
    if (kind && k !== kind) bad(where, `layer ${l + 1} is ${k} but layer 1 is ${kind}; unroll stacks one cell kind`);
    if (bidirectional !== null && wrapped !== bidirectional) bad(where, 'every recurrent layer must be Bidirectional, or none');
    kind = k;
    bidirectional = wrapped;
    if (wrapped) {
      const m = MERGE[String(layer.config.merge_mode ?? 'concat')];
      if (!m) bad(where, `merge_mode ${JSON.stringify(layer.config.merge_mode)} of layer ${l + 1}; unroll merges by concat, sum or ave`);
      mergeMode = m;
    }
    const u = Number(c.units);
    if (!Number.isSafeInteger(u) || u < 1 || (units && u !== units)) bad(where, `layer ${l + 1} has units ${JSON.stringify(c.units)}; every layer needs the same positive unit count`);
    units = u;
    if (k !== 'SimpleRNN' && (c.activation ?? 'tanh') !== 'tanh') bad(where, `layer ${l + 1}: activation ${JSON.stringify(c.activation)}; unroll's ${k} uses tanh`);
    if (k !== 'SimpleRNN' && c.recurrent_activation !== 'sigmoid') bad(where, `layer ${l + 1}: recurrent_activation ${JSON.stringify(c.recurrent_activation ?? 'hard_sigmoid')}; unroll's gates are sigmoid (hard_sigmoid is a different function)`);
    if (k === 'SimpleRNN') {
      activation = String(c.activation ?? 'tanh');
      if (!['tanh', 'relu', 'sigmoid', 'linear'].includes(activation)) bad(where, `layer ${l + 1}: activation ${JSON.stringify(c.activation)}; expected tanh, relu, sigmoid or linear`);
    }
    if (k === 'GRU') resetAfter = c.reset_after === true;
    if (c.go_backwards || c.stateful) bad(where, `layer ${l + 1}: go_backwards and stateful layers are not read`);
    const returns = c.return_sequences === true;
    if (l < rec.length - 1 && !returns) bad(where, `layer ${l + 1} does not return sequences, but another recurrent layer follows it`);
    if (l === rec.length - 1) sequence = returns;
    const name = String(layer.config.name ?? c.name ?? '');
    const convert = (prefix: string, suffix: string, dir: 'forward' | 'backward' | null): void => {
      const get = (w: string) => {
        for (const [key, v] of weights) {
          if (!key.startsWith(`${prefix}/`) || !key.endsWith(`/${w}`)) continue;
          const rest = key.slice(prefix.length + 1);
          if (dir === 'forward' && !rest.startsWith('forward_')) continue;
          if (dir === 'backward' && !rest.startsWith('backward_')) continue;
          return v;
        }
        return undefined;
      };
      const kernel = get('kernel'), recurrentKernel = get('recurrent_kernel');
      if (!kernel || !recurrentKernel) bad(where, `weights of layer ${l + 1} (${JSON.stringify(prefix)}${dir ? `, ${dir}` : ''}) are missing from the manifest`);
      // The config's unit count must be the weights' own (it sizes the model built below).
      if (recurrentKernel.shape[0] !== u) bad(where, `layer ${l + 1} has units ${u} but its recurrent_kernel has ${recurrentKernel.shape[0]} rows; the config and the weights disagree`);
      const G = k === 'LSTM' ? 4 : k === 'GRU' ? 3 : 1;
      const bias = c.use_bias === false ? { shape: resetAfter && k === 'GRU' ? [2, G * u] : [G * u], data: new Array<number>((resetAfter && k === 'GRU' ? 2 : 1) * G * u).fill(0) } : get('bias');
      if (!bias) bad(where, `the bias of layer ${l + 1} is missing from the manifest`);
      if (l === 0) inputSize = kernel.shape[0];
      Object.assign(torch, fromKeras(k, { kernel, recurrentKernel, bias }, { suffix, ...(k === 'GRU' ? { resetAfter } : {}) }));
    };
    if (wrapped) {
      convert(name, `_l${l}`, 'forward');
      convert(name, `_l${l}_reverse`, 'backward');
    } else convert(name, `_l${l}`, null);
  });
  const denseName = String(dense.config.name ?? '');
  const dk = [...weights].find(([key]) => key.startsWith(`${denseName}/`) && key.endsWith('/kernel'))?.[1];
  const db = [...weights].find(([key]) => key.startsWith(`${denseName}/`) && key.endsWith('/bias'))?.[1];
  if (!dk) bad(where, `the Dense layer's kernel ("${denseName}/kernel") is missing from the manifest`);
  const outputSize = dk.shape[1];
  Object.assign(torch, denseFromKeras({ kernel: dk, bias: db ?? { shape: [outputSize], data: new Array<number>(outputSize).fill(0) } }));
  const model = new RNN({
    cell: CELL[kind!], ...(embedding ? { embedding } : { inputSize }), hiddenSize: units, outputSize, numLayers: rec.length, bidirectional: bidirectional!,
    ...(bidirectional ? { mergeMode } : {}), outputMode: sequence ? 'sequence' : 'last',
    ...(kind === 'SimpleRNN' ? { activation: activation as 'tanh' } : {}), ...(kind === 'GRU' && !resetAfter ? { cellOptions: { resetAfter: false } } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
  });
  if (embedding && inputSize !== embedding.dim) bad(where, `the first recurrent layer reads ${inputSize} numbers per step but the Embedding gives ${embedding.dim}`);
  model.setWeights(torch);
  return model;
}

/** Why a model cannot be saved as a tfjs layers model, or null. */
export function tfjsUnsupported(model: RNN): string | null {
  const c = model.config;
  if (c.cell !== 'elman' && c.cell !== 'lstm' && c.cell !== 'gru') return `cell '${c.cell}' has no tfjs layer (savable: elman, lstm, gru)`;
  if (c.cell === 'gru' && (c.cellOptions as { resetAfter?: boolean }).resetAfter !== false) {
    return "a GRU with resetAfter (PyTorch's GRU, unroll's default) has no tfjs-layers equivalent: tfjs's GRU is reset_after = false (cellOptions: { resetAfter: false })";
  }
  if (c.learnInitialState) return 'learnInitialState: tfjs layers start from zero states';
  if (c.inputToEveryLayer || c.everyLayerToHead) return 'skip connections have no Sequential tfjs equivalent';
  if (c.dilations.some((d) => d > 1)) return 'dilated layers have no tfjs equivalent';
  if (c.residual > 0) return 'residual connections have no Sequential tfjs equivalent';
  return null;
}

const TFJS_MERGE = { concat: 'concat', sum: 'sum', mean: 'ave' } as const;

/** The model as a tfjs layers model: model.json (weights in `weights.bin`) and the weight bytes. */
export function toTfjsModel(model: RNN): { modelJson: TfjsModelJSON; weightData: Uint8Array } {
  const why = tfjsUnsupported(model);
  if (why) throw new UnrollError(`tfjs export: ${why}`, 'option');
  const c = model.config;
  const kind: KerasRecurrentKind = c.cell === 'lstm' ? 'LSTM' : c.cell === 'gru' ? 'GRU' : 'SimpleRNN';
  const w = model.getWeights();
  const specs: TfjsWeightSpec[] = [];
  const values: number[][] = [];
  const push = (name: string, m: number[] | number[][]): void => {
    const flat = (m as (number | number[])[]).flat() as number[];
    const shape = Array.isArray(m[0]) ? [m.length, (m[0] as number[]).length] : [m.length];
    specs.push({ name, shape, dtype: 'float32' });
    values.push(flat);
  };
  const layers: Layer[] = [];
  if (c.embedding) {
    // Token ids in: Keras's Embedding table [input_dim, output_dim] is unroll's embedding.weight as it is.
    const t = w['embedding.weight'];
    push('embedding/embeddings', Array.from({ length: t.shape[0] }, (_, v) => t.data.slice(v * t.shape[1], (v + 1) * t.shape[1])));
    layers.push({ class_name: 'Embedding', config: { name: 'embedding', trainable: true, input_dim: c.embedding.vocabSize, output_dim: c.embedding.dim, mask_zero: false, batch_input_shape: [null, null], dtype: 'float32' } });
  }
  for (let l = 0; l < c.numLayers; l++) {
    const name = `${kind.toLowerCase()}_l${l}`;
    const config: Record<string, unknown> = {
      name, trainable: true, units: c.hiddenSize, activation: c.cell === 'elman' ? c.activation : 'tanh', use_bias: true,
      return_sequences: l < c.numLayers - 1 || c.outputMode === 'sequence', return_state: false, go_backwards: false, stateful: false, unroll: false,
      ...(c.cell !== 'elman' ? { recurrent_activation: 'sigmoid' } : {}), ...(c.cell === 'gru' ? { reset_after: false } : {}),
    };
    const dirs = c.bidirectional ? [['forward', `_l${l}`], ['backward', `_l${l}_reverse`]] : [[null, `_l${l}`]];
    const wrapper = `bidirectional_l${l}`;
    for (const [dir, suffix] of dirs) {
      const k = toKeras(kind, w, { suffix: suffix!, ...(kind === 'GRU' ? { resetAfter: false } : {}) });
      const prefix = dir ? `${wrapper}/${dir}_${name}` : name;
      push(`${prefix}/kernel`, k.kernel);
      push(`${prefix}/recurrent_kernel`, k.recurrentKernel);
      push(`${prefix}/bias`, k.bias as number[]);
    }
    const first = l === 0 && !c.embedding ? { batch_input_shape: [null, null, c.inputSize], dtype: 'float32' } : {};
    layers.push(c.bidirectional
      ? { class_name: 'Bidirectional', config: { name: wrapper, trainable: true, merge_mode: TFJS_MERGE[c.mergeMode], layer: { class_name: kind, config }, ...first } }
      : { class_name: kind, config: { ...config, ...first } });
  }
  const d = denseToKeras(w);
  push('dense_head/kernel', d.kernel);
  push('dense_head/bias', d.bias);
  layers.push({ class_name: 'Dense', config: { name: 'dense_head', trainable: true, units: c.outputSize, activation: 'linear', use_bias: true } });
  const flat = values.flat();
  const weightData = new Uint8Array(flat.length * 4);
  const view = new DataView(weightData.buffer);
  flat.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return {
    modelJson: {
      format: 'layers-model', generatedBy: 'unroll', convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'unroll', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    },
    weightData,
  };
}
