/**
 * unroll models ⇄ PyTorch `state_dict`s in safetensors files.
 *
 * unroll's parameter names are PyTorch's (`weight_ih_l0`, `bias_hh_l1_reverse`, …; LSTM gates i, f, g,
 * o; GRU r, z, n), so a file is a renaming away from the module
 *
 *   class Model(nn.Module):                       # the matching PyTorch module
 *       def __init__(self):
 *           self.rnn = nn.LSTM(D, H, num_layers=L, bidirectional=…, batch_first=True)  # or nn.GRU / nn.RNN
 *           self.head = nn.Linear(H · directions, K)
 *
 * whose `state_dict()` keys are `rnn.weight_ih_l0`, …, `head.weight`, `head.bias`. A model that reads token
 * ids has its table under `embedding.weight`, the key of an `self.embedding = nn.Embedding(V, dim)`
 * attribute (registered before `rnn`). The recurrent
 * parameters are written under `rnn.` (option `prefix`), the head under `head.`; parameters PyTorch's
 * modules do not have (learned initial states) under `unroll.`, so `load_state_dict(…, strict=False)`
 * skips them and `strict=True` names them. The whole unroll model — class, config, scalers in `extra` —
 * rides in the header's `__metadata__` as `unroll.model` (JSON), so `loadSafetensorsModel` rebuilds it
 * bit for bit; a file written by PyTorch has none, and then the caller gives the config.
 */
import { UnrollError } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import { modelFromJSON, MODEL_FORMAT, MODEL_VERSION, RNN, type ModelJSON, type Seq2Seq } from '../train/model.js';
import type { NetworkOptions } from '../nn/model.js';
import { decodeSafetensors, encodeSafetensors, type SafeTensor, type SafetensorsDtype } from './safetensors.js';

/** The metadata key that holds the unroll model's envelope (everything but the weights). */
export const UNROLL_METADATA_KEY = 'unroll.model';

export interface ToSafetensorsOptions {
  /**
   * Number type written. @default the model's own: F64 on the float64 reference backend, F32 on the
   * float32 WebAssembly backend (either way the round trip is exact)
   */
  dtype?: SafetensorsDtype;
  /** Prefix of the recurrent parameters (the PyTorch module's attribute name and a dot). @default 'rnn.' */
  prefix?: string;
}

const HEAD = 'head.';
const EMBEDDING = 'embedding.';
const EXTRA = 'unroll.';

function torchName(name: string, prefix: string): string {
  if (name.startsWith(HEAD) || name.startsWith(EMBEDDING)) return name;
  if (name.startsWith('initial_state')) return EXTRA + name;
  return prefix + name;
}

/** The model's weights as a safetensors file with PyTorch state_dict names. */
export function toSafetensors(model: RNN, options: ToSafetensorsOptions = {}): Uint8Array {
  checkOptions(options, { dtype: is.oneOf('F32', 'F64'), prefix: is.string }, { where: 'toSafetensors' });
  const prefix = options.prefix ?? 'rnn.';
  if (typeof prefix !== 'string' || prefix.startsWith(EXTRA) || prefix.startsWith(HEAD) || prefix.startsWith(EMBEDDING)) {
    throw new UnrollError(`option "prefix" is ${JSON.stringify(prefix)}; expected the PyTorch module's attribute and a dot, such as "rnn." (not "${HEAD}", "${EMBEDDING}" or "${EXTRA}")`, 'option');
  }
  const dtype = options.dtype ?? (model.store.values instanceof Float32Array ? 'F32' : 'F64');
  if (dtype !== 'F32' && dtype !== 'F64') throw new UnrollError(`option "dtype" is ${JSON.stringify(dtype)}; expected "F32" or "F64"`, 'option');
  const tensors = new Map<string, SafeTensor>();
  const values = model.store.values;
  for (const p of model.store.params) {
    const slice = values.subarray(p.offset, p.offset + p.size);
    tensors.set(torchName(p.name, prefix), { dtype, shape: [...p.shape], data: dtype === 'F64' ? Float64Array.from(slice) : Float32Array.from(slice) });
  }
  const { weights: _weights, ...envelope } = model.toJSON();
  const metadata = new Map([['format', 'pt'], [UNROLL_METADATA_KEY, JSON.stringify({ ...envelope, prefix })]]);
  return encodeSafetensors(tensors, metadata);
}

export interface FromSafetensorsOptions {
  /** Names the file in errors. */
  source?: string;
  /** Kernel backend of the rebuilt model. @default the float64 reference backend */
  backend?: NetworkOptions['backend'];
  /**
   * The model's options, for a file without unroll's metadata (a PyTorch `state_dict` saved by
   * `safetensors.torch.save_file`): e.g. `{ cell: 'lstm', inputSize: 4, hiddenSize: 64, outputSize: 1 }`.
   */
  config?: NetworkOptions;
  /** Prefix of the recurrent parameters in the file. @default the file's own, else 'rnn.' */
  prefix?: string;
}

/** Rebuilds a model from a safetensors file written by `toSafetensors` or by PyTorch. */
export function fromSafetensors(bytes: Uint8Array, options: FromSafetensorsOptions = {}): RNN | Seq2Seq {
  checkOptions(options, { source: is.string, backend: is.object, config: is.object, prefix: is.string }, { where: 'fromSafetensors' });
  const where = options.source ? `safetensors file ${options.source}` : 'safetensors file';
  const file = decodeSafetensors(bytes, where);
  const meta = file.metadata.get(UNROLL_METADATA_KEY);
  let envelope: Omit<ModelJSON, 'weights'> & { prefix?: string };
  if (meta !== undefined) {
    try {
      envelope = JSON.parse(meta);
    } catch {
      throw new UnrollError(`${where}: the "${UNROLL_METADATA_KEY}" metadata is not valid JSON`, 'model-file');
    }
    if (options.config) throw new UnrollError(`${where}: holds its own unroll config; leave out option "config" (it is for files written by PyTorch)`, 'option');
  } else {
    if (!options.config) {
      throw new UnrollError(`${where}: has no unroll metadata (a PyTorch state_dict?); give option "config" with the model's options, such as { cell: 'lstm', inputSize: 4, hiddenSize: 64 }`, 'option');
    }
    const probe = new RNN({ ...options.config, backend: undefined });
    envelope = { format: MODEL_FORMAT, version: MODEL_VERSION, class: 'RNN', config: probe.config, extra: {} };
  }
  const prefix = options.prefix ?? envelope.prefix ?? 'rnn.';
  const weights: Record<string, { shape: number[]; data: number[] }> = {};
  const unknown: string[] = [];
  for (const [name, t] of file.tensors) {
    let own: string | null = null;
    if (name.startsWith(HEAD) || name.startsWith(EMBEDDING)) own = name;
    else if (name.startsWith(EXTRA)) own = name.slice(EXTRA.length);
    else if (name.startsWith(prefix)) own = name.slice(prefix.length);
    if (own === null) { unknown.push(name); continue; }
    weights[own] = { shape: t.shape, data: Array.from(t.data) };
  }
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 3).map((n) => JSON.stringify(n)).join(', ');
    throw new UnrollError(`${where}: tensor ${shown}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''} is under none of "${prefix}" (the recurrent layers; option "prefix"), "${HEAD}" (the dense head) and "${EMBEDDING}" (the token embedding)`, 'model-file');
  }
  const { prefix: _p, ...rest } = envelope;
  return modelFromJSON({ ...rest, weights }, { source: options.source, backend: options.backend });
}
