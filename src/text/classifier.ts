/**
 * Sequence classification of texts (figure 9.8): the tokens go in through a learned embedding
 * (option embedding: d, default 32) or one-hot (embedding: 'one-hot', the figure's form), the RNN reads the
 * whole text, and its final hidden state — with `bidirectional`, the final forward state joined
 * with the backward state at the first token (figure 9.12) — feeds a softmax over the classes.
 * Trained with cross-entropy on the class index (outputMode 'last').
 *
 * The report compares test accuracy with two honest baselines fitted on the training texts only:
 * always answering the most frequent class, and multinomial naive Bayes on word counts with
 * add-one smoothing (a bag of words: it cannot see word order).
 */
import { checkOptions, is } from '../util/options.js';
import { referenceBackend, type Backend } from '../kernels/index.js';
import type { CellKind } from '../nn/cells.js';
import { RNN } from '../train/model.js';
import { UnrollError, badOption, describe } from '../util/errors.js';
import { listSome } from '../util/limits.js';
import { validateClassifierSections } from './model-file.js';
import { TEXT_FROM_JSON_SPEC, checkFileHeader, checkReadsVocabulary, decodeNetwork, encodeNetwork } from './network-json.js';
import { EMBEDDING_RULE, batcherFor, tokenInputs, type EmbeddingChoice } from './token-input.js';
import { softmax } from './sampling.js';
import { Tokenizer, type TokenizerOptions } from './tokenizer.js';
import type { TokenBatcher } from './windows.js';
import { trainOnSamples } from './train-loop.js';
import type { CheckpointOptions } from '../train/fit.js';

export const CLASSIFIER_FORMAT = 'unroll-text-classifier';
export const CLASSIFIER_VERSION = 1;

export interface TextClassifierOptions extends TokenizerOptions {
  /** @default 'lstm' */
  cell?: CellKind;
  /** @default 32 */
  hiddenSize?: number;
  /** Token ids through a learned V × d embedding (d, a positive integer), or 'one-hot' vectors. @default 32 */
  embedding?: EmbeddingChoice;
  /** Read the text in both directions (figure 9.12). @default false */
  bidirectional?: boolean;
  /** Texts longer than this keep their LAST maxLength tokens. @default 100 */
  maxLength?: number;
  /** @default 30 */
  epochs?: number;
  /** @default 16 */
  batchSize?: number;
  /** Adam step size. @default 0.01 */
  learningRate?: number;
  /** @default 42 */
  seed?: number;
}

export interface ClassifierEvaluation {
  count: number;
  accuracy: number;
  /** Accuracy of always answering the most frequent training class. */
  majorityAccuracy: number;
  /** Accuracy of multinomial naive Bayes on word counts (add-one), fitted on the training texts. */
  naiveBayesAccuracy: number;
  /** confusion[actual][predicted] counts, in the order of `labels`. */
  confusion: number[][];
  labels: string[];
  verdict: string;
}

export interface Prediction {
  label: string;
  probabilities: Record<string, number>;
}

interface NaiveBayes {
  prior: number[];
  /** [class][token] counts. */
  counts: number[][];
}

export class TextClassifier {
  private readonly batcher: TokenBatcher;
  /** Mean training loss per epoch. */
  losses: number[] = [];

  private constructor(readonly tokenizer: Tokenizer, readonly network: RNN, readonly labels: string[], readonly maxLength: number, private readonly nb: NaiveBayes) {
    this.batcher = batcherFor(network, tokenizer.size, 64);
  }

  /** Learns the vocabulary and the classes from the training texts, then trains. */
  static train(texts: string[], labels: string[], options: TextClassifierOptions = {}, extra: { backend?: Backend; onEpochEnd?: (epoch: number, loss: number) => void; checkpoint?: CheckpointOptions } = {}): TextClassifier {
    checkOptions(extra, { backend: is.object, onEpochEnd: is.function, checkpoint: is.object }, { where: 'TextClassifier.train (extra)' });
    checkOptions(options, { level: is.any, maxVocab: is.any, minCount: is.any, cell: is.any, hiddenSize: is.any, embedding: EMBEDDING_RULE, bidirectional: is.any, maxLength: is.any, epochs: is.any, batchSize: is.any, learningRate: is.any, seed: is.any }, { where: 'TextClassifier.train' });
    if (!Array.isArray(texts) || !Array.isArray(labels) || texts.length === 0 || texts.length !== labels.length) {
      throw new UnrollError(`classifier: expected equally long, non-empty arrays of texts and labels (got ${Array.isArray(texts) ? texts.length : typeof texts} texts, ${Array.isArray(labels) ? labels.length : typeof labels} labels)`, 'data');
    }
    const int = (name: keyof TextClassifierOptions, dflt: number): number => {
      const v = options[name] ?? dflt;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) badOption(name, options[name], 'a positive integer');
      return v;
    };
    const maxLength = int('maxLength', 100);
    const epochs = int('epochs', 30);
    const batchSize = int('batchSize', 16);
    const lr = options.learningRate ?? 0.01;
    if (!(lr > 0)) badOption('learningRate', options.learningRate, 'a positive number');
    const classes = [...new Set(labels.map(String))].sort();
    if (classes.length < 2) throw new UnrollError(`classifier: the training labels hold ${classes.length} class; at least 2 are needed`, 'data');
    const tokenizer = Tokenizer.fit(texts.join('\n'), { level: options.level, maxVocab: options.maxVocab ?? 5000, minCount: options.minCount });
    const V = tokenizer.size;
    const inputs = tokenInputs(V, options.embedding ?? 32, extra.backend ?? referenceBackend());
    const network = new RNN({ ...inputs.options, outputSize: classes.length, outputMode: 'last', cell: options.cell ?? 'lstm', hiddenSize: options.hiddenSize ?? 32, bidirectional: options.bidirectional ?? false, seed: options.seed ?? 42 });
    inputs.watch(network);
    const encoded = texts.map((t, i) => TextClassifier.encodeWith(tokenizer, t, maxLength, `texts[${i}]`));
    const y = labels.map((l) => classes.indexOf(String(l)));
    const nb = fitNaiveBayes(encoded, y, classes.length, V);
    const clf = new TextClassifier(tokenizer, network, classes, maxLength, nb);
    clf.losses.push(...trainOnSamples(network, encoded.length, V,
      (batcher, idx) => clf.batch(batcher, idx.map((i) => encoded[i]), idx.map((i) => y[i])),
      { epochs, batchSize, learningRate: lr, seed: options.seed ?? 42, onEpochEnd: extra.onEpochEnd, checkpoint: extra.checkpoint },
      [...encoded, Int32Array.from(y)]));
    return clf;
  }

  private static encodeWith(tokenizer: Tokenizer, text: string, maxLength: number, what: string): Int32Array {
    if (typeof text !== 'string') throw new UnrollError(`${what}: expected a string, got ${typeof text}`, 'data');
    const ids = tokenizer.encode(text);
    if (ids.length === 0) throw new UnrollError(`${what}: the text holds no tokens`, 'data');
    return ids.length > maxLength ? ids.slice(ids.length - maxLength) : ids;
  }

  private batch(batcher: TokenBatcher, seqs: Int32Array[], classes: number[] | null): ReturnType<TokenBatcher['fill']> {
    // Concatenate the sequences so the batcher can read each one from its start.
    const flat = new Int32Array(seqs.reduce((s, q) => s + q.length, 0));
    const starts: number[] = [];
    let at = 0;
    for (const q of seqs) { starts.push(at); flat.set(q, at); at += q.length; }
    const [set, targets] = batcher.fill(flat, starts, seqs.map((q) => q.length), false);
    const cls = new Int32Array(seqs.length);
    if (classes) cls.set(classes);
    return [set, { values: null, classes: cls, steps: 1 }];
  }

  /** Class probabilities of each text. */
  predict(texts: string[]): Prediction[] {
    if (!Array.isArray(texts)) throw new UnrollError('predict: expected an array of texts', 'data');
    const out: Prediction[] = [];
    const K = this.labels.length;
    for (let from = 0; from < texts.length; from += 64) {
      const seqs = texts.slice(from, from + 64).map((t, i) => TextClassifier.encodeWith(this.tokenizer, t, this.maxLength, `texts[${from + i}]`));
      const [set] = this.batch(this.batcher, seqs, null);
      this.network.loadBatch(set, this.batcher.identity, 0, seqs.length);
      this.network.forward();
      for (let b = 0; b < seqs.length; b++) {
        const p = softmax(this.network.y.subarray(b * K, (b + 1) * K));
        let best = 0;
        for (let k = 1; k < K; k++) if (p[k] > p[best]) best = k;
        out.push({ label: this.labels[best], probabilities: Object.fromEntries(this.labels.map((l, k) => [l, p[k]])) });
      }
    }
    return out;
  }

  /** Accuracy and confusion matrix on labelled texts, with the majority-class and naive Bayes baselines. */
  evaluate(texts: string[], labels: string[]): ClassifierEvaluation {
    if (!Array.isArray(labels) || labels.length !== texts.length || texts.length === 0) throw new UnrollError('evaluate: expected equally long, non-empty arrays of texts and labels', 'data');
    labels.forEach((l, i) => { if (!this.labels.includes(String(l))) throw new UnrollError(`evaluate: labels[${i}] is ${describe(String(l))}, not one of the trained classes ${listSome(this.labels)}`, 'data'); });
    const pred = this.predict(texts);
    const K = this.labels.length;
    const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    let correct = 0;
    let nbCorrect = 0;
    const majority = this.nb.prior.indexOf(Math.max(...this.nb.prior));
    let majorityCorrect = 0;
    labels.forEach((l, i) => {
      const a = this.labels.indexOf(String(l));
      const p = this.labels.indexOf(pred[i].label);
      confusion[a][p]++;
      if (a === p) correct++;
      if (a === majority) majorityCorrect++;
      if (naiveBayesClass(this.nb, TextClassifier.encodeWith(this.tokenizer, texts[i], this.maxLength, `texts[${i}]`)) === a) nbCorrect++;
    });
    const n = texts.length;
    const acc = correct / n;
    const base = { majority: majorityCorrect / n, nb: nbCorrect / n };
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    const beatsBoth = acc > base.majority && acc > base.nb;
    const verdict = beatsBoth
      ? `The network beats both baselines: accuracy ${pct(acc)} vs majority class ${pct(base.majority)} and naive Bayes ${pct(base.nb)}.`
      : `The network does NOT beat ${acc > base.majority ? '' : `the majority class (${pct(base.majority)})`}${acc <= base.majority && acc <= base.nb ? ' or ' : ''}${acc > base.nb ? '' : `naive Bayes (${pct(base.nb)})`}: accuracy ${pct(acc)}.`;
    return { count: n, accuracy: acc, majorityAccuracy: base.majority, naiveBayesAccuracy: base.nb, confusion, labels: [...this.labels], verdict };
  }

  toJSON(): Record<string, unknown> {
    return {
      format: CLASSIFIER_FORMAT, version: CLASSIFIER_VERSION, tokenizer: this.tokenizer.toJSON(), labels: this.labels, maxLength: this.maxLength, naiveBayes: this.nb,
      network: encodeNetwork(this.network),
    };
  }

  static fromJSON(json: unknown, options: { source?: string; backend?: Backend } = {}): TextClassifier {
    checkOptions(options, TEXT_FROM_JSON_SPEC, { where: 'TextClassifier.fromJSON' });
    const where = options.source ? `model file ${options.source}` : 'text classifier JSON';
    const j = json as Record<string, unknown> | null;
    checkFileHeader(j, where, 'text classifier', CLASSIFIER_FORMAT, CLASSIFIER_VERSION);
    const tokenizer = Tokenizer.fromJSON(j.tokenizer, where);
    const labels = j.labels as string[];
    const nb = j.naiveBayes as NaiveBayes;
    if (!Array.isArray(labels) || labels.length < 2 || !Number.isInteger(j.maxLength) || !nb || !Array.isArray(nb.prior) || !Array.isArray(nb.counts)) {
      throw new UnrollError(`${where}: "labels", "maxLength" or "naiveBayes" is missing or malformed`, 'model-file');
    }
    const network = decodeNetwork(j.network, where, options);
    validateClassifierSections(j, where, network.outputSize, tokenizer.size);
    checkReadsVocabulary(network, tokenizer.size, where);
    return new TextClassifier(tokenizer, network, [...labels], j.maxLength as number, nb);
  }
}

function fitNaiveBayes(seqs: Int32Array[], y: number[], K: number, V: number): NaiveBayes {
  const prior = new Array<number>(K).fill(0);
  const counts = Array.from({ length: K }, () => new Array<number>(V).fill(0));
  seqs.forEach((q, i) => {
    prior[y[i]]++;
    for (const id of q) counts[y[i]][id]++;
  });
  return { prior, counts };
}

/** argmax_c log P(c) + Σ_w log P(w | c), with P(w | c) = (count + 1) / (total_c + V). */
function naiveBayesClass(nb: NaiveBayes, seq: Int32Array): number {
  const N = nb.prior.reduce((a, b) => a + b, 0);
  let best = 0;
  let bestScore = -Infinity;
  nb.counts.forEach((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    let s = Math.log(nb.prior[c] / N);
    for (const id of seq) s += Math.log((row[id] + 1) / (total + row.length));
    if (s > bestScore) { bestScore = s; best = c; }
  });
  return best;
}
