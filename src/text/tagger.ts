/**
 * Sequence labelling (figure 9.7): one tag per token, e.g. part-of-speech tagging. The tokens go
 * in through a learned embedding (option embedding: d, default 32) or one-hot (embedding:
 * 'one-hot', the figure's form); at every step a softmax over the tags reads the hidden state (outputMode 'sequence',
 * cross-entropy per token). With `bidirectional`, each step sees the whole sentence (figure 9.11).
 *
 * Input is already split: sentences as arrays of tokens, with one tag per token. The baseline is
 * the classic one for tagging: each word's most frequent training tag (unknown words: the most
 * frequent tag overall). It cannot use context, so ambiguous words ("duck", "watch") defeat it.
 */
import { checkOptions, is } from '../util/options.js';
import { referenceBackend, type Backend } from '../kernels/index.js';
import type { CellKind } from '../nn/cells.js';
import { RNN } from '../train/model.js';
import { UnrollError, badOption } from '../util/errors.js';
import { TEXT_FROM_JSON_SPEC, checkFileHeader, checkReadsVocabulary, decodeNetwork, encodeNetwork } from './network-json.js';
import { EMBEDDING_RULE, batcherFor, tokenInputs, type EmbeddingChoice } from './token-input.js';
import { Tokenizer, type TokenizerOptions } from './tokenizer.js';
import type { TokenBatcher } from './windows.js';
import { trainOnSamples } from './train-loop.js';
import type { CheckpointOptions } from '../train/fit.js';

export interface SequenceTaggerOptions extends Omit<TokenizerOptions, 'level'> {
  /** @default 'lstm' */
  cell?: CellKind;
  /** @default 32 */
  hiddenSize?: number;
  /** Token ids through a learned V × d embedding (d, a positive integer), or 'one-hot' vectors. @default 32 */
  embedding?: EmbeddingChoice;
  /** Each tag sees the words after it too (figure 9.11). @default false */
  bidirectional?: boolean;
  /** @default 30 */
  epochs?: number;
  /** @default 16 */
  batchSize?: number;
  /** @default 0.01 */
  learningRate?: number;
  /** @default 42 */
  seed?: number;
}

export interface TaggerEvaluation {
  tokens: number;
  accuracy: number;
  /** Accuracy of tagging each word with its most frequent training tag. */
  mostFrequentTagAccuracy: number;
  verdict: string;
}

export const TAGGER_FORMAT = 'unroll-sequence-tagger';
export const TAGGER_VERSION = 1;

export class SequenceTagger {
  private readonly batcher: TokenBatcher;
  losses: number[] = [];

  private constructor(readonly tokenizer: Tokenizer, readonly network: RNN, readonly tags: string[], private readonly wordTag: Int32Array, private readonly defaultTag: number) {
    this.batcher = batcherFor(network, tokenizer.size, 64);
  }

  static train(sentences: string[][], tags: string[][], options: SequenceTaggerOptions = {}, extra: { backend?: Backend; checkpoint?: CheckpointOptions } = {}): SequenceTagger {
    checkOptions(extra, { backend: is.object, checkpoint: is.object }, { where: 'SequenceTagger.train (extra)' });
    checkOptions(options, { maxVocab: is.any, minCount: is.any, cell: is.any, hiddenSize: is.any, embedding: EMBEDDING_RULE, bidirectional: is.any, epochs: is.any, batchSize: is.any, learningRate: is.any, seed: is.any }, { where: 'SequenceTagger.train', cannot: { level: 'a tagger reads words, one tag per word' } });
    checkAligned(sentences, tags, 'train');
    const int = (name: keyof SequenceTaggerOptions, dflt: number): number => {
      const v = options[name] ?? dflt;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) badOption(name, options[name], 'a positive integer');
      return v;
    };
    const epochs = int('epochs', 30);
    const batchSize = int('batchSize', 16);
    const lr = options.learningRate ?? 0.01;
    if (!(lr > 0)) badOption('learningRate', options.learningRate, 'a positive number');
    const tokenizer = Tokenizer.fromTokens(sentences.flat(), { maxVocab: options.maxVocab ?? 5000, minCount: options.minCount });
    const tagList = [...new Set(tags.flat())].sort();
    if (tagList.length < 2) throw new UnrollError(`tagger: the training tags hold ${tagList.length} distinct tag; at least 2 are needed`, 'data');
    const V = tokenizer.size;
    const K = tagList.length;
    const inputs = tokenInputs(V, options.embedding ?? 32, extra.backend ?? referenceBackend());
    const network = new RNN({ ...inputs.options, outputSize: K, outputMode: 'sequence', cell: options.cell ?? 'lstm', hiddenSize: options.hiddenSize ?? 32, bidirectional: options.bidirectional ?? false, seed: options.seed ?? 42 });
    inputs.watch(network);
    const ids = sentences.map((s) => Int32Array.from(s, (t) => tokenizer.id(t.toLowerCase())));
    const y = tags.map((s) => Int32Array.from(s, (t) => tagList.indexOf(t)));
    // Most frequent tag per word (ties: the earlier tag in sorted order).
    const counts = new Int32Array(V * K);
    const total = new Int32Array(K);
    ids.forEach((s, n) => s.forEach((id, t) => { counts[id * K + y[n][t]]++; total[y[n][t]]++; }));
    const defaultTag = argmax(total);
    const wordTag = Int32Array.from({ length: V }, (_, v) => {
      const row = counts.subarray(v * K, (v + 1) * K);
      return row.some((c) => c > 0) ? argmax(row) : defaultTag;
    });
    const tagger = new SequenceTagger(tokenizer, network, tagList, wordTag, defaultTag);
    tagger.losses.push(...trainOnSamples(network, ids.length, V,
      (batcher, idx) => SequenceTagger.batch(batcher, idx.map((i) => ids[i]), idx.map((i) => y[i])),
      { epochs, batchSize, learningRate: lr, seed: options.seed ?? 42, checkpoint: extra.checkpoint }, [...ids, ...y]));
    return tagger;
  }

  private static batch(batcher: TokenBatcher, seqs: Int32Array[], tags: Int32Array[] | null): ReturnType<TokenBatcher['fill']> {
    const flat = new Int32Array(seqs.reduce((s, q) => s + q.length, 0));
    const starts: number[] = [];
    let at = 0;
    for (const q of seqs) { starts.push(at); flat.set(q, at); at += q.length; }
    const [set] = batcher.fill(flat, starts, seqs.map((q) => q.length), false);
    const T = set.maxSteps;
    const classes = new Int32Array(seqs.length * T).fill(-1);
    if (tags) tags.forEach((s, b) => classes.set(s, b * T));
    return [set, { values: null, classes, steps: T }];
  }

  /** The most probable tag of every token of every sentence. */
  predict(sentences: string[][]): string[][] {
    if (!Array.isArray(sentences)) throw new UnrollError('predict: expected an array of sentences (arrays of tokens)', 'data');
    const K = this.tags.length;
    const out: string[][] = [];
    for (let from = 0; from < sentences.length; from += 64) {
      const chunk = sentences.slice(from, from + 64);
      chunk.forEach((s, i) => { if (!Array.isArray(s) || s.length === 0) throw new UnrollError(`predict: sentences[${from + i}] must be a non-empty array of tokens`, 'data'); });
      const seqs = chunk.map((s) => Int32Array.from(s, (t) => this.tokenizer.id(String(t).toLowerCase())));
      const [set] = SequenceTagger.batch(this.batcher, seqs, null);
      this.network.loadBatch(set, this.batcher.identity, 0, seqs.length);
      this.network.forward();
      const B = seqs.length;
      seqs.forEach((q, b) => out.push(Array.from(q, (_, t) => this.tags[argmax(this.network.y.subarray((t * B + b) * K, (t * B + b + 1) * K))])));
    }
    return out;
  }

  evaluate(sentences: string[][], tags: string[][]): TaggerEvaluation {
    checkAligned(sentences, tags, 'evaluate');
    const pred = this.predict(sentences);
    let n = 0;
    let correct = 0;
    let base = 0;
    sentences.forEach((s, i) => s.forEach((tok, t) => {
      n++;
      if (pred[i][t] === tags[i][t]) correct++;
      if (this.tags[this.wordTag[this.tokenizer.id(tok.toLowerCase())] ?? this.defaultTag] === tags[i][t]) base++;
    }));
    const acc = correct / n;
    const mft = base / n;
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    return {
      tokens: n, accuracy: acc, mostFrequentTagAccuracy: mft,
      verdict: acc > mft ? `The network beats the most-frequent-tag baseline: ${pct(acc)} vs ${pct(mft)} of tokens tagged right.`
        : `The network does NOT beat the most-frequent-tag baseline: ${pct(acc)} vs ${pct(mft)}.`,
    };
  }

  toJSON(): Record<string, unknown> {
    return {
      format: TAGGER_FORMAT, version: TAGGER_VERSION, tokenizer: this.tokenizer.toJSON(), tags: this.tags, wordTag: Array.from(this.wordTag), defaultTag: this.defaultTag,
      network: encodeNetwork(this.network),
    };
  }

  static fromJSON(json: unknown, options: { source?: string; backend?: Backend } = {}): SequenceTagger {
    checkOptions(options, TEXT_FROM_JSON_SPEC, { where: 'SequenceTagger.fromJSON' });
    const where = options.source ? `model file ${options.source}` : 'sequence tagger JSON';
    const j = json as Record<string, unknown> | null;
    checkFileHeader(j, where, 'sequence tagger', TAGGER_FORMAT, TAGGER_VERSION);
    const tokenizer = Tokenizer.fromJSON(j.tokenizer, where);
    const tags = j.tags as string[];
    const wordTag = j.wordTag as number[];
    const K = Array.isArray(tags) ? tags.length : 0;
    const okTag = (t: unknown): boolean => Number.isInteger(t) && (t as number) >= 0 && (t as number) < K;
    if (K < 2 || !Array.isArray(wordTag) || wordTag.length !== tokenizer.size || !wordTag.every(okTag) || !okTag(j.defaultTag)) {
      throw new UnrollError(`${where}: "tags", "wordTag" or "defaultTag" is missing or malformed`, 'model-file');
    }
    const network = decodeNetwork(j.network, where, options);
    checkReadsVocabulary(network, tokenizer.size, where);
    if (network.outputSize !== K || network.outputMode !== 'sequence') throw new UnrollError(`${where}: the network has ${network.outputSize} outputs${network.outputMode === 'sequence' ? '' : ' (one per text, not per token)'} for ${K} tags; expected one per tag at every step`, 'model-file');
    return new SequenceTagger(tokenizer, network, [...tags], Int32Array.from(wordTag), j.defaultTag as number);
  }
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

function checkAligned(sentences: string[][], tags: string[][], what: string): void {
  if (!Array.isArray(sentences) || !Array.isArray(tags) || sentences.length === 0 || sentences.length !== tags.length) {
    throw new UnrollError(`${what}: expected equally long, non-empty arrays of sentences and tag sequences`, 'data');
  }
  sentences.forEach((s, i) => {
    if (!Array.isArray(s) || s.length === 0) throw new UnrollError(`${what}: sentences[${i}] must be a non-empty array of tokens`, 'data');
    if (!Array.isArray(tags[i]) || tags[i].length !== s.length) {
      throw new UnrollError(`${what}: sentence ${i} has ${s.length} tokens but ${Array.isArray(tags[i]) ? tags[i].length : 0} tags; expected one tag per token`, 'data');
    }
  });
}
