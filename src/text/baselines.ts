/**
 * Count-based baselines a neural language model must beat, fitted on the training tokens only and
 * scored on exactly the tokens the network predicts (every token after the first):
 *
 * - unigram, add-one:   P(w) = (c(w) + 1) / (N + V)
 * - bigram, add-one:    P(w | v) = (c(v, w) + 1) / (c(v) + V)          (Laplace; Jurafsky & Martin 3.5)
 * - bigram, interpolated Kneser–Ney with discount d = 0.75 (Chen & Goodman 1998):
 *     P(w | v) = max(c(v, w) − d, 0) / c(v) + d · N1+(v •) / c(v) · Pcont(w)
 *     Pcont(w) = max(N1+(• w) − d, 0) / N1+(• •) + d · |{w : N1+(• w) > 0}| / N1+(• •) · 1/V
 *   where c(v) counts v as a context; an unseen context falls back to Pcont.
 *
 * Every probability is positive, and each distribution sums to 1 over the V vocabulary entries.
 */
import { UnrollError } from '../util/errors.js';

export const KN_DISCOUNT = 0.75;

export interface NGramJSON {
  /** Vocabulary size the counts are over. */
  vocabSize: number;
  /** Training tokens counted. */
  tokens: number;
  /** c(w) for every w. */
  unigrams: number[];
  /** Distinct bigrams flattened as [v, w, c(v, w), …]. */
  bigrams: number[];
}

export type BaselineName = 'unigram' | 'bigramAddOne' | 'bigramKneserNey';
export const BASELINE_NAMES: readonly BaselineName[] = ['unigram', 'bigramAddOne', 'bigramKneserNey'];

export const BASELINE_LABELS: Record<BaselineName, string> = {
  unigram: 'unigram (add-one)',
  bigramAddOne: 'bigram (add-one)',
  bigramKneserNey: 'bigram (Kneser–Ney)',
};

export class NGramBaselines {
  readonly vocabSize: number;
  readonly tokens: number;
  private readonly uni: Float64Array;
  private readonly pair = new Map<number, number>();
  /** c(v) as a context (bigrams starting with v). */
  private readonly ctx: Float64Array;
  /** N1+(v •): distinct followers of v. */
  private readonly followers: Float64Array;
  /** N1+(• w): distinct predecessors of w. */
  private readonly predecessors: Float64Array;
  private distinctBigrams = 0;
  private continued = 0;

  private constructor(json: NGramJSON) {
    const V = json.vocabSize;
    this.vocabSize = V;
    this.tokens = json.tokens;
    this.uni = Float64Array.from(json.unigrams);
    this.ctx = new Float64Array(V);
    this.followers = new Float64Array(V);
    this.predecessors = new Float64Array(V);
    const b = json.bigrams;
    for (let i = 0; i < b.length; i += 3) {
      const [v, w, c] = [b[i], b[i + 1], b[i + 2]];
      this.pair.set(v * V + w, c);
      this.ctx[v] += c;
      this.followers[v]++;
      this.predecessors[w]++;
      this.distinctBigrams++;
    }
    for (let w = 0; w < V; w++) if (this.predecessors[w] > 0) this.continued++;
  }

  /** Counts unigrams and bigrams of a token sequence over a vocabulary of V entries. */
  static fit(ids: ArrayLike<number>, vocabSize: number): NGramBaselines {
    const V = vocabSize;
    const unigrams = new Array<number>(V).fill(0);
    const pairs = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) {
      unigrams[ids[i]]++;
      if (i > 0) {
        const key = ids[i - 1] * V + ids[i];
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
    const bigrams: number[] = [];
    for (const [key, c] of [...pairs.entries()].sort((a, b) => a[0] - b[0])) bigrams.push(Math.floor(key / V), key % V, c);
    return new NGramBaselines({ vocabSize: V, tokens: ids.length, unigrams, bigrams });
  }

  static fromJSON(json: unknown, where = 'n-gram counts'): NGramBaselines {
    const j = json as Partial<NGramJSON> | null;
    const okInts = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => Number.isInteger(x) && x >= 0);
    if (!j || typeof j !== 'object' || !Number.isInteger(j.vocabSize) || j.vocabSize! < 1 || !Number.isInteger(j.tokens)
      || !okInts(j.unigrams) || j.unigrams.length !== j.vocabSize || !okInts(j.bigrams) || j.bigrams.length % 3 !== 0
      || j.bigrams.some((x, i) => i % 3 !== 2 && x >= j.vocabSize!)) {
      throw new UnrollError(`${where}: expected { vocabSize, tokens, unigrams[vocabSize], bigrams[v, w, count, …] } of non-negative integers`, 'model-file');
    }
    return new NGramBaselines(j as NGramJSON);
  }

  toJSON(): NGramJSON {
    const bigrams: number[] = [];
    const V = this.vocabSize;
    for (const [key, c] of [...this.pair.entries()].sort((a, b) => a[0] - b[0])) bigrams.push(Math.floor(key / V), key % V, c);
    return { vocabSize: V, tokens: this.tokens, unigrams: Array.from(this.uni), bigrams };
  }

  unigram(w: number): number {
    return (this.uni[w] + 1) / (this.tokens + this.vocabSize);
  }

  bigramAddOne(v: number, w: number): number {
    return ((this.pair.get(v * this.vocabSize + w) ?? 0) + 1) / (this.ctx[v] + this.vocabSize);
  }

  continuation(w: number): number {
    const d = KN_DISCOUNT;
    const total = this.distinctBigrams;
    if (total === 0) return 1 / this.vocabSize;
    return Math.max(this.predecessors[w] - d, 0) / total + (d * this.continued / total) / this.vocabSize;
  }

  bigramKneserNey(v: number, w: number): number {
    const d = KN_DISCOUNT;
    const cv = this.ctx[v];
    if (cv === 0) return this.continuation(w);
    const c = this.pair.get(v * this.vocabSize + w) ?? 0;
    return Math.max(c - d, 0) / cv + (d * this.followers[v] / cv) * this.continuation(w);
  }

  probability(name: BaselineName, prev: number, w: number): number {
    return name === 'unigram' ? this.unigram(w) : name === 'bigramAddOne' ? this.bigramAddOne(prev, w) : this.bigramKneserNey(prev, w);
  }

  /** Mean negative log-likelihood (nats) of ids[1..] given the previous token, per baseline. */
  crossEntropy(ids: ArrayLike<number>): Record<BaselineName, number> {
    const out = { unigram: 0, bigramAddOne: 0, bigramKneserNey: 0 };
    const n = ids.length - 1;
    if (n < 1) throw new UnrollError('baselines: need at least 2 tokens to score', 'data');
    for (let i = 1; i < ids.length; i++) {
      for (const name of BASELINE_NAMES) out[name] -= Math.log(this.probability(name, ids[i - 1], ids[i]));
    }
    for (const name of BASELINE_NAMES) out[name] /= n;
    return out;
  }
}
