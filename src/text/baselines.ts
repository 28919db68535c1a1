/**
 * Count-based baselines a neural language model must beat, fitted on the training tokens only and
 * scored on exactly the tokens the network predicts (every token after the first):
 *
 * - unigram, add-one:   P(w) = (c(w) + 1) / (N + V)
 * - bigram, add-one:    P(w | v) = (c(v, w) + 1) / (c(v) + V)          (Laplace; Jurafsky & Martin 3.5)
 * - interpolated Kneser–Ney of order 2 and of order n (default 3 for words, 5 for characters),
 *   discount d = 0.75 (Chen & Goodman 1998). With h the last n−1 tokens and h′ = h without its
 *   first token, at the top order
 *     P(w | h) = max(c(h w) − d, 0) / c(h) + d · N1+(h •) / c(h) · P(w | h′)
 *   and at every lower order the same with continuation counts N1+(• h w) in place of c(h w);
 *   the lowest order interpolates with the uniform 1/V. An unseen history falls back to P(w | h′).
 *   Near the start of a text, where fewer than n−1 tokens precede, the longest history there is used.
 *
 * Every probability is positive and each distribution sums to 1 over the V vocabulary entries.
 */
import { UnrollError, badOption } from '../util/errors.js';
import { base64ToBytes, bytesToBase64 } from './codec.js';
import { checkOptions, is } from '../util/options.js';

export const KN_DISCOUNT = 0.75;

export type BaselineName = 'unigram' | 'bigramAddOne' | 'bigramKneserNey' | 'ngramKneserNey';
export const BASELINE_NAMES: readonly BaselineName[] = ['unigram', 'bigramAddOne', 'bigramKneserNey', 'ngramKneserNey'];

export interface NGramJSON {
  vocabSize: number;
  /** Order n of the larger Kneser–Ney model. */
  order: number;
  /** The training token indices (little-endian int32, base64): the counts are rebuilt from them. */
  tokens: string;
}

/** Interpolated Kneser–Ney of one order over integer tokens. */
class KneserNey {
  /** counts[k]: for k = order, raw counts c(h w); below, continuation counts N1+(• h w). Keys: "h…,w". */
  private readonly counts: Map<string, number>[] = [];
  /** Per order, per history key: [Σ_w counts, distinct w]. */
  private readonly hist: Map<string, [number, number]>[] = [];

  constructor(readonly order: number, readonly vocabSize: number, ids: ArrayLike<number>) {
    for (let k = 0; k <= order; k++) { this.counts.push(new Map()); this.hist.push(new Map()); }
    const top = this.counts[order];
    for (let i = order - 1; i < ids.length; i++) {
      const key = Array.prototype.slice.call(ids, i - order + 1, i + 1).join(',');
      top.set(key, (top.get(key) ?? 0) + 1);
    }
    // Continuation counts of order k: distinct left extensions among the (k+1)-grams of the text.
    for (let k = order - 1; k >= 1; k--) {
      const seen = new Set<string>();
      const cont = this.counts[k];
      for (let i = k; i < ids.length; i++) {
        const longer = Array.prototype.slice.call(ids, i - k, i + 1).join(',');
        if (seen.has(longer)) continue;
        seen.add(longer);
        const key = longer.slice(longer.indexOf(',') + 1);
        cont.set(key, (cont.get(key) ?? 0) + 1);
      }
    }
    for (let k = 1; k <= order; k++) {
      const h = this.hist[k];
      for (const [key, c] of this.counts[k]) {
        const cut = key.lastIndexOf(',');
        const hk = cut < 0 ? '' : key.slice(0, cut);
        const e = h.get(hk) ?? [0, 0];
        e[0] += c;
        e[1]++;
        h.set(hk, e);
      }
    }
  }

  /** P(w | history) where history holds the preceding tokens (only the last order−1 are used). */
  probability(history: readonly number[], w: number): number {
    const h = history.slice(Math.max(0, history.length - (this.order - 1)));
    return this.interpolated(h, w, h.length + 1 === this.order ? this.order : h.length + 1);
  }

  private interpolated(h: readonly number[], w: number, k: number): number {
    const d = KN_DISCOUNT;
    const lower = k === 1 ? 1 / this.vocabSize : this.interpolated(h.slice(1), w, k - 1);
    const hk = h.join(',');
    const stats = this.hist[k].get(hk);
    if (!stats) return lower;
    const c = this.counts[k].get(hk === '' ? String(w) : `${hk},${w}`) ?? 0;
    return Math.max(c - d, 0) / stats[0] + (d * stats[1] / stats[0]) * lower;
  }
}

/** The largest vocabulary the counts take: their tables hold 2 numbers per token (16 million tokens = 256 MB). */
export const MAX_NGRAM_VOCAB = 1 << 24;

export class NGramBaselines {
  readonly vocabSize: number;
  readonly order: number;
  readonly tokens: number;
  private readonly ids: Int32Array;
  private readonly uni: Float64Array;
  private readonly pair = new Map<number, number>();
  private readonly ctx: Float64Array;
  private readonly bigramKN: KneserNey;
  private readonly ngramKN: KneserNey;

  private constructor(ids: Int32Array, vocabSize: number, order: number) {
    const V = vocabSize;
    this.vocabSize = V;
    this.order = order;
    this.ids = ids;
    this.tokens = ids.length;
    this.uni = new Float64Array(V);
    this.ctx = new Float64Array(V);
    for (let i = 0; i < ids.length; i++) {
      this.uni[ids[i]]++;
      if (i > 0) {
        const key = ids[i - 1] * V + ids[i];
        this.pair.set(key, (this.pair.get(key) ?? 0) + 1);
        this.ctx[ids[i - 1]]++;
      }
    }
    this.bigramKN = new KneserNey(2, V, ids);
    this.ngramKN = order === 2 ? this.bigramKN : new KneserNey(order, V, ids);
  }

  /** Counts the training tokens (indices in [0, vocabSize)). `order` is the larger Kneser–Ney model's n. @default order 3 */
  static fit(ids: ArrayLike<number>, vocabSize: number, options: { order?: number } = {}): NGramBaselines {
    checkOptions(options, { order: is.positiveInt }, { where: 'NGramBaselines.fit' });
    const order = options.order ?? 3;
    if (!Number.isInteger(order) || order < 2 || order > 9) badOption('order', options.order, 'an integer from 2 to 9');
    if (!Number.isInteger(vocabSize) || vocabSize < 1 || vocabSize > MAX_NGRAM_VOCAB) badOption('vocabSize', vocabSize, `a positive integer up to ${MAX_NGRAM_VOCAB}`);
    const arr = Int32Array.from(ids);
    for (let i = 0; i < arr.length; i++) {
      if (!(arr[i] >= 0 && arr[i] < vocabSize)) throw new UnrollError(`n-gram counts: token index ${arr[i]} at position ${i} is outside [0, ${vocabSize - 1}]`, 'input');
    }
    return new NGramBaselines(arr, vocabSize, order);
  }

  static fromJSON(json: unknown, where = 'n-gram counts'): NGramBaselines {
    const j = json as Partial<NGramJSON> | null;
    if (!j || typeof j !== 'object' || !Number.isInteger(j.vocabSize) || !Number.isInteger(j.order) || typeof j.tokens !== 'string') {
      throw new UnrollError(`${where}: expected { vocabSize, order, tokens (base64 int32) }`, 'model-file');
    }
    const bytes = base64ToBytes(j.tokens, where);
    if (bytes.length % 4 !== 0) throw new UnrollError(`${where}: the token list is not a whole number of int32 values`, 'model-file');
    const view = new DataView(bytes.buffer);
    const ids = Int32Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(i * 4, true));
    try {
      return NGramBaselines.fit(ids, j.vocabSize!, { order: j.order });
    } catch (e) {
      if (e instanceof UnrollError) throw new UnrollError(`${where}: ${e.message}`, 'model-file');
      throw e;
    }
  }

  toJSON(): NGramJSON {
    const bytes = new Uint8Array(this.ids.length * 4);
    const view = new DataView(bytes.buffer);
    this.ids.forEach((v, i) => view.setInt32(i * 4, v, true));
    return { vocabSize: this.vocabSize, order: this.order, tokens: bytesToBase64(bytes) };
  }

  label(name: BaselineName): string {
    return { unigram: 'unigram (add-one)', bigramAddOne: 'bigram (add-one)', bigramKneserNey: 'bigram (Kneser–Ney)', ngramKneserNey: `${this.order}-gram (Kneser–Ney)` }[name];
  }

  unigram(w: number): number {
    return (this.uni[w] + 1) / (this.tokens + this.vocabSize);
  }

  bigramAddOne(v: number, w: number): number {
    return ((this.pair.get(v * this.vocabSize + w) ?? 0) + 1) / (this.ctx[v] + this.vocabSize);
  }

  bigramKneserNey(v: number, w: number): number {
    return this.bigramKN.probability([v], w);
  }

  /** P(w | history) under the order-n Kneser–Ney model. */
  ngramKneserNey(history: readonly number[], w: number): number {
    return this.ngramKN.probability(history, w);
  }

  /** P(w | the tokens before it) under one baseline; `history` holds at least the previous token. */
  probability(name: BaselineName, history: readonly number[], w: number): number {
    const prev = history[history.length - 1];
    switch (name) {
      case 'unigram': return this.unigram(w);
      case 'bigramAddOne': return this.bigramAddOne(prev, w);
      case 'bigramKneserNey': return this.bigramKneserNey(prev, w);
      default: return this.ngramKneserNey(history, w);
    }
  }

  /** Mean negative log-likelihood (nats) of ids[1..] given the tokens before each, per baseline. */
  crossEntropy(ids: ArrayLike<number>): Record<BaselineName, number> {
    const out: Record<BaselineName, number> = { unigram: 0, bigramAddOne: 0, bigramKneserNey: 0, ngramKneserNey: 0 };
    const n = ids.length - 1;
    if (n < 1) throw new UnrollError('baselines: need at least 2 tokens to score', 'data');
    const arr = Array.from(ids);
    for (let i = 1; i < arr.length; i++) {
      const history = arr.slice(Math.max(0, i - (this.order - 1)), i);
      for (const name of BASELINE_NAMES) out[name] -= Math.log(this.probability(name, history, arr[i]));
    }
    for (const name of BASELINE_NAMES) out[name] /= n;
    return out;
  }
}
