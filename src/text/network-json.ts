/**
 * The "network" section of the text models' files (language model, classifier, tagger): the
 * RNN's file format with its weights stored compactly by codec.ts (the embedding table, when the
 * network has one, is the weight `embedding.weight` and its size is in `config.embedding`). A
 * network without an embedding reads one-hot tokens and is rebuilt on a backend that multiplies
 * them without their zeros (onehot-backend.ts).
 */
import { referenceBackend, type Backend } from '../kernels/index.js';
import { RNN, type ModelJSON } from '../train/model.js';
import { UnrollError, describe } from '../util/errors.js';
import { is, type Spec } from '../util/options.js';
import { decodeTensor, encodeTensor, type EncodedTensor } from './codec.js';
import { oneHotBackend } from './onehot-backend.js';
import { readsVocabulary } from './token-input.js';

/** The options of the text models' JSON readers (fromJSON). */
export const TEXT_FROM_JSON_SPEC: Spec = { source: is.string, backend: is.object };

export type NetworkJSON = Omit<ModelJSON, 'weights' | 'extra'> & { weights: Record<string, EncodedTensor> };

/** `network.toJSON()` with each weight encoded in the dtype of the network's backend (bit-exact). */
export function encodeNetwork(network: RNN): NetworkJSON {
  const net = network.toJSON();
  const dtype = network.backend.dtype;
  const weights = Object.fromEntries(Object.entries(net.weights).map(([k, v]) => [k, encodeTensor(v.shape, v.data, dtype)]));
  return { format: net.format, version: net.version, config: net.config, weights };
}

/** Rebuilds the network of a text model file; `where` names the file in error messages. */
export function decodeNetwork(section: unknown, where: string, options: { source?: string; backend?: Backend }): RNN {
  const n = section as { weights?: Record<string, unknown> } | undefined;
  if (!n || typeof n !== 'object' || !n.weights || typeof n.weights !== 'object') throw new UnrollError(`${where}: the "network" section is missing`, 'model-file');
  const weights = Object.fromEntries(Object.entries(n.weights).map(([k, v]) => [k, decodeTensor(v, `${where}: weight "${k}"`)]));
  const base = options.backend ?? referenceBackend();
  const config = (n as { config?: { embedding?: unknown } }).config;
  if (config && typeof config === 'object' && config.embedding !== undefined) return RNN.fromJSON({ ...n, weights }, { source: options.source, section: 'network', backend: base });
  const sparse = oneHotBackend(base);
  const network = RNN.fromJSON({ ...n, weights }, { source: options.source, section: 'network', backend: sparse.backend });
  sparse.watch(() => network.x);
  return network;
}

/**
 * The first check of a text model file: its format and version (`kind` names the model in the message,
 * e.g. "text classifier"); `where` names the file.
 */
export function checkFileHeader(j: Record<string, unknown> | null, where: string, kind: string, format: string, version: number): asserts j is Record<string, unknown> {
  if (!j || j.format !== format) throw new UnrollError(`${where}: not an unroll ${kind} (format is ${describe(j?.format)}, expected "${format}")`, 'model-file');
  if (j.version !== version) throw new UnrollError(`${where}: format version ${describe(j.version)} is not supported; this unroll reads version ${version}`, 'model-file');
}

/** Refuses a decoded network that does not read tokens of the file's vocabulary of V (readsVocabulary). */
export function checkReadsVocabulary(network: RNN, V: number, where: string): void {
  if (!readsVocabulary(network, V)) throw new UnrollError(`${where}: the network does not read tokens of the vocabulary of ${V} (expected an embedding of ${V} rows, or ${V} one-hot inputs)`, 'model-file');
}
