/**
 * How the text models feed tokens to their network (option `embedding`):
 *
 * - a positive integer d: token ids through an embedding, a learned V × d table
 *   (nn/embedding.ts): e_t = E[w_t], the network's inputs are d numbers per step;
 * - 'one-hot': the seeds' form, x_t = one-hot(w_t) of V numbers, multiplied without its zeros
 *   (onehot-backend.ts). The same function class (x_tᵀ W_ihᵀ is a row of W_ihᵀ), one factor fewer.
 */
import type { Backend } from '../kernels/index.js';
import type { Network, NetworkOptions } from '../nn/model.js';
import type { RNN } from '../train/model.js';
import { is, type Rule } from '../util/options.js';
import { oneHotBackend } from './onehot-backend.js';
import { TokenBatcher, type TokenForm } from './windows.js';

/** The `embedding` option of the text models. */
export type EmbeddingChoice = number | 'one-hot';

export const EMBEDDING_RULE: Rule = is.described(is.either(is.positiveInt, is.oneOf('one-hot')), "a positive integer (the embedding's dim) or 'one-hot'");

/** The network options and backend for a vocabulary of V tokens in the chosen form. */
export function tokenInputs(V: number, choice: EmbeddingChoice, base: Backend): { options: Pick<NetworkOptions, 'inputSize' | 'embedding' | 'backend'>; watch: (net: RNN) => void } {
  if (choice === 'one-hot') {
    const sparse = oneHotBackend(base);
    return { options: { inputSize: V, backend: sparse.backend }, watch: (net) => sparse.watch(() => net.x) };
  }
  return { options: { embedding: { vocabSize: V, dim: choice }, backend: base }, watch: () => {} };
}

/** How a network reads tokens: ids when it has an embedding, else one-hot vectors. */
export function tokenForm(network: Network): TokenForm {
  return network.embedding ? 'ids' : 'one-hot';
}

/** A batcher in the network's token form. */
export function batcherFor(network: Network, vocabSize: number, maxBatch: number): TokenBatcher {
  return new TokenBatcher(vocabSize, maxBatch, tokenForm(network));
}

/** The `embedding` option of a network as the text models report it. */
export function embeddingChoice(network: Network): EmbeddingChoice {
  return network.config.embedding?.dim ?? 'one-hot';
}

/** Checks that a network reads tokens of a vocabulary of V (an embedding of V rows, or V one-hot inputs). */
export function readsVocabulary(network: Network, V: number): boolean {
  const e = network.config.embedding;
  return e ? e.vocabSize === V && network.inputSize === 1 : network.inputSize === V;
}
