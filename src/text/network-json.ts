/**
 * The "network" section of the text models' files (language model, classifier, tagger): the
 * RNN's file format with its weights stored compactly by codec.ts (the embedding table, when the
 * network has one, is the weight `embedding.weight` and its size is in `config.embedding`). A
 * network without an embedding reads one-hot tokens and is rebuilt on a backend that multiplies
 * them without their zeros (onehot-backend.ts).
 */
import { referenceBackend, type Backend } from '../kernels/index.js';
import { RNN, type ModelJSON } from '../train/model.js';
import { UnrollError } from '../util/errors.js';
import { is, type Spec } from '../util/options.js';
import { decodeTensor, encodeTensor, type EncodedTensor } from './codec.js';
import { oneHotBackend } from './onehot-backend.js';

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
