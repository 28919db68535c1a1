/**
 * A next-token language model, as in the class notes: tokens in, a softmax over the vocabulary out
 * at every step, trained with cross-entropy on truncated windows of T tokens (outputMode
 * 'sequence', BPTT within a window; every window starts from the zero state).
 *
 *   x_t = E[w_t] (option embedding: d, a learned V × d table; the default)
 *       or one-hot(w_t) (embedding: 'one-hot', the class notes' form)
 *   h_t = cell(x_t, h_{t−1}),   P(w_{t+1} | w_1 … w_t) = softmax(W_hy h_t + b_y)
 *
 * The text is split by position (the first part trains, the end validates), the vocabulary comes
 * from the training part only, and the report compares validation perplexity with count-based
 * baselines (unigram, bigram add-one, bigram Kneser–Ney) fitted on the same training tokens.
 * Generation is autoregressive (figure 9.9): the sampled token is the next input.
 */
import { checkOptions, is, type Spec } from '../util/options.js';
import { referenceBackend, type Backend } from '../kernels/index.js';
import type { CellKind } from '../nn/cells.js';
import { RNN } from '../train/model.js';
import { Trainer } from '../train/trainer.js';
import { LossAverage, dataHash, trainLoop, type CheckpointOptions } from '../train/fit.js';
import { UnrollError, badOption, describe } from '../util/errors.js';
import { checkSize } from '../util/limits.js';
import { Rng } from '../util/rng.js';
import { BASELINE_NAMES, NGramBaselines, type BaselineName } from './baselines.js';
import { TEXT_FROM_JSON_SPEC, decodeNetwork, encodeNetwork, type NetworkJSON } from './network-json.js';
import { EMBEDDING_RULE, batcherFor, readsVocabulary, tokenInputs, type EmbeddingChoice } from './token-input.js';
import { scoreTokens, type Evaluation } from './evaluate.js';
import { checkSampling, drawToken, softmax, type SamplingOptions } from './sampling.js';
import { Tokenizer, UNK, type TokenLevel, type TokenizerOptions } from './tokenizer.js';
import { windowStarts, type TokenBatcher } from './windows.js';

export const LM_FORMAT = 'unroll-language-model';
export const LM_VERSION = 1;
export const TEXT_CELLS: readonly CellKind[] = ['lstm', 'gru', 'elman'];

export interface LanguageModelOptions extends TokenizerOptions {
  /** Recurrent cell: 'lstm', 'gru' or 'elman'. @default 'lstm' */
  cell?: CellKind;
  /** Hidden units per layer. @default 128 */
  hiddenSize?: number;
  /**
   * How tokens enter the network: a positive integer d = token ids through a learned V × d
   * embedding; 'one-hot' = one-hot vectors of V numbers (the class notes' form). @default 64
   */
  embedding?: EmbeddingChoice;
  /** Stacked recurrent layers. @default 1 */
  numLayers?: number;
  /** Dropout between stacked layers (numLayers ≥ 2). @default 0 */
  dropout?: number;
  /** T, tokens per training window (the truncated-BPTT length and the context used when generating). @default 20 for words, 100 for characters */
  window?: number;
  /** Tokens between the starts of two training windows (< window = overlapping windows, so every token is also seen with a longer context). @default ceil(window / 2) */
  stride?: number;
  /** Passes over the training windows (at most; see patience). @default 20 */
  epochs?: number;
  /** Windows per mini-batch. @default 32 */
  batchSize?: number;
  /** Adam step size. @default 0.005 */
  learningRate?: number;
  /** Rescale gradients whose global L2 norm exceeds this. @default 5 */
  clipNorm?: number;
  /** Fraction of the text, from its END, held out for validation (0 = none). @default 0.1 */
  validation?: number;
  /** Stop after this many epochs without a better validation perplexity (0 = never); the best weights are kept either way. @default 2 */
  patience?: number;
  /** Seed of initialisation and shuffling. @default 42 */
  seed?: number;
  /** n of the larger Kneser–Ney baseline (2–9). @default 3 for words, 5 for characters */
  baselineOrder?: number;
}

export interface LMEpochLog {
  epoch: number;
  /** Mean training cross-entropy (nats per token) over the epoch's batches. */
  loss: number;
  /** Validation cross-entropy (nats per token). */
  valLoss?: number;
  valPerplexity?: number;
  gradNorm: number;
}

export interface TrainingReport {
  trainTokens: number;
  validationTokens: number;
  /** Characters of the text used for training (the rest validates). */
  trainChars: number;
  vocabSize: number;
  windows: number;
  epochs: LMEpochLog[];
  /** The epoch whose weights the model keeps (lowest validation loss, or the last without validation). */
  bestEpoch: number;
  stoppedEarly: boolean;
  aborted: boolean;
  /** Evaluation on the held-out end of the text, with baselines; null without validation. */
  validation: Evaluation | null;
}

export interface TrainCallbacks {
  onEpochEnd?: (log: LMEpochLog) => void;
  onBatchEnd?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
  signal?: AbortSignal;
  backend?: Backend;
  /**
   * Checkpoints of the training state (train/fit.ts `CheckpointOptions`; in Node, `fileCheckpoints(dir)`):
   * saved at every epoch end, and `resume` continues a run bit for bit.
   */
  checkpoint?: CheckpointOptions;
}

export interface GenerateOptions extends SamplingOptions {
  /** Tokens to generate. @default 30 */
  tokens?: number;
  /** Seed of the sampling. @default 42 */
  seed?: number;
  /** May <unk> be generated? @default false */
  allowUnknown?: boolean;
  /**
   * Never complete an n-gram that already occurs in the prompt or the text so far (0 = off). Greedy
   * decoding otherwise falls into loops (the same few tokens forever); n = 3 is the usual remedy.
   * @default 0
   */
  noRepeatNgram?: number;
}

/** The tokens that would complete an n-gram already in `ids` (its last n−1 tokens followed by them). */
export function repeatedNgramTokens(ids: readonly number[], n: number): Set<number> {
  const banned = new Set<number>();
  if (n < 1 || ids.length < n - 1) return banned;
  const tail = ids.slice(ids.length - (n - 1));
  for (let i = 0; i + n <= ids.length; i++) {
    let same = true;
    for (let k = 0; k < n - 1 && same; k++) same = ids[i + k] === tail[k];
    if (same) banned.add(ids[i + n - 1]);
  }
  return banned;
}

export interface Generation {
  prompt: string;
  /** The generated continuation alone, detokenized. */
  text: string;
  /** The prompt followed by the continuation, as one text. */
  full: string;
  tokens: { token: string; id: number; probability: number }[];
  /** How many prompt tokens were outside the vocabulary. */
  promptUnknown: number;
}

export interface Settings {
  window: number;
  stride: number;
}

type Resolved = Required<Omit<LanguageModelOptions, keyof TokenizerOptions | 'baselineOrder'>> & { baselineOrder?: number };

function resolve(options: LanguageModelOptions): Resolved {
  if (!options || typeof options !== 'object') throw new UnrollError('language model: expected an options object', 'option');
  const posInt = (name: keyof LanguageModelOptions, dflt: number, min = 1): number => {
    const v = options[name] ?? dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) badOption(name, options[name], min === 0 ? 'a non-negative integer' : 'a positive integer');
    return v;
  };
  const cell = options.cell ?? 'lstm';
  if (!TEXT_CELLS.includes(cell)) badOption('cell', cell, `one of ${TEXT_CELLS.join(', ')}`);
  const window = posInt('window', options.level === 'char' ? 100 : 20);
  const posNum = (name: keyof LanguageModelOptions, dflt: number): number => {
    const v = options[name] ?? dflt;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) badOption(name, options[name], 'a positive number');
    return v;
  };
  const validation = options.validation ?? 0.1;
  if (typeof validation !== 'number' || !(validation >= 0 && validation < 0.9)) badOption('validation', validation, 'a fraction in [0, 0.9)');
  return {
    cell, window, stride: posInt('stride', Math.ceil(window / 2)), hiddenSize: posInt('hiddenSize', 128), numLayers: posInt('numLayers', 1),
    embedding: options.embedding ?? DEFAULT_EMBEDDING,
    dropout: options.dropout ?? 0, epochs: posInt('epochs', 20), batchSize: posInt('batchSize', 32),
    learningRate: posNum('learningRate', 0.005), clipNorm: posNum('clipNorm', 5), validation, patience: posInt('patience', 2, 0),
    seed: options.seed ?? 42, baselineOrder: options.baselineOrder,
  };
}

/**
 * Splits text by position: the first (1 − validation) of its characters train, the rest validate.
 * For words the cut moves forward to the next whitespace, so no word is broken.
 */
export function splitText(text: string, validation: number, level: TokenLevel = 'word'): [string, string] {
  if (validation === 0) return [text, ''];
  let cut = Math.floor(text.length * (1 - validation));
  if (level === 'char' && cut > 0 && /[\uDC00-\uDFFF]/.test(text[cut])) cut--;
  while (level === 'word' && cut < text.length && !/\s/.test(text[cut])) cut++;
  return [text.slice(0, cut), text.slice(cut)];
}

/** The language model's default embedding dim (half the default hidden size). */
export const DEFAULT_EMBEDDING = 64;

/** The options of `generate` (ranges that depend on each other are checked in `generate`). */
const GENERATE_SPEC: Spec = {
  temperature: is.nonNegative, topK: is.nonNegativeInt, tokens: is.positiveInt, seed: is.number, allowUnknown: is.boolean, noRepeatNgram: is.nonNegativeInt,
};

export class LanguageModel {
  private batcher: TokenBatcher;

  constructor(
    readonly tokenizer: Tokenizer,
    readonly network: RNN,
    readonly settings: Settings,
    readonly ngrams: NGramBaselines,
    public report: TrainingReport | null = null,
  ) {
    if (!readsVocabulary(network, tokenizer.size) || network.outputSize !== tokenizer.size || network.outputMode !== 'sequence') {
      throw new UnrollError(`language model: the network must map tokens of a vocabulary of ${tokenizer.size} (an embedding of ${tokenizer.size} rows, or ${tokenizer.size} one-hot inputs) to ${tokenizer.size} logits at every step`, 'option');
    }
    this.batcher = batcherFor(network, tokenizer.size, 64);
  }

  get level(): Tokenizer['level'] { return this.tokenizer.level; }
  get window(): number { return this.settings.window; }

  /** Builds the vocabulary from the training part of `text`, trains, and evaluates on the held-out end. */
  static train(text: string, options: LanguageModelOptions = {}, callbacks: TrainCallbacks = {}): LanguageModel {
    checkOptions(options, { level: is.any, maxVocab: is.any, minCount: is.any, cell: is.any, hiddenSize: is.any, embedding: EMBEDDING_RULE, numLayers: is.any, dropout: is.any, window: is.any, stride: is.any, epochs: is.any, batchSize: is.any, learningRate: is.any, clipNorm: is.any, validation: is.any, patience: is.any, seed: is.any, baselineOrder: is.any }, { where: 'LanguageModel.train' });
    checkOptions(callbacks, { onEpochEnd: is.function, onBatchEnd: is.function, signal: is.object, backend: is.object, checkpoint: is.object }, { where: 'LanguageModel.train (callbacks)' });
    if (typeof text !== 'string') throw new UnrollError(`training text: expected a string, got ${typeof text}`, 'data');
    const o = resolve(options);
    const [trainText, valText] = splitText(text, o.validation, options.level ?? 'word');
    const tokenizer = Tokenizer.fit(trainText, { level: options.level, maxVocab: options.maxVocab, minCount: options.minCount });
    const trainIds = tokenizer.encode(trainText);
    const valIds = tokenizer.encode(valText);
    const starts = windowStarts(trainIds.length, o.window, o.stride);
    if (starts.length === 0) {
      throw new UnrollError(`training text: its training part has ${trainIds.length} ${tokenizer.level} tokens, too few for one window of ${o.window} inputs + 1 label; use a smaller window or more text`, 'data');
    }
    if (o.validation > 0 && valIds.length < 2) {
      throw new UnrollError(`training text: the validation part (the last ${o.validation * 100}%) holds ${valIds.length} token(s); at least 2 are needed — use more text or validation 0`, 'data');
    }
    const V = tokenizer.size;
    const inputs = tokenInputs(V, o.embedding, callbacks.backend ?? referenceBackend());
    const network = new RNN({
      ...inputs.options, outputSize: V, outputMode: 'sequence', cell: o.cell, hiddenSize: o.hiddenSize, numLayers: o.numLayers,
      dropout: o.dropout, seed: o.seed,
    });
    inputs.watch(network);
    const lm = new LanguageModel(tokenizer, network, { window: o.window, stride: o.stride }, NGramBaselines.fit(trainIds, V, { order: o.baselineOrder ?? (tokenizer.level === 'char' ? 5 : 3) }));
    lm.report = lm.fit(trainIds, valIds, starts, o, callbacks, trainText.length);
    return lm;
  }

  /**
   * Trains through the shared training loop (train/fit.ts `trainLoop`): seeded shuffling of the
   * window starts, Adam with clipping, one validation score per epoch on the held-out tokens,
   * early stopping on it (patience 0: never stop, but keep the best epoch's weights), and
   * checkpoints/resume when `cb.checkpoint` is given.
   */
  private fit(trainIds: Int32Array, valIds: Int32Array, starts: Int32Array, o: Resolved, cb: TrainCallbacks, trainChars: number): TrainingReport {
    const net = this.network;
    const trainer = new Trainer(net, { loss: 'crossEntropy', optimizer: { type: 'adam', learningRate: o.learningRate }, clip: { globalNorm: o.clipNorm } });
    const batcher = batcherFor(net, this.tokenizer.size, o.batchSize);
    const lengths = new Int32Array(o.batchSize).fill(o.window);
    const batchStarts = new Int32Array(o.batchSize);
    const hasVal = valIds.length >= 2;
    const V = this.tokenizer.size;
    const report: TrainingReport = {
      trainTokens: trainIds.length, validationTokens: valIds.length, trainChars, vocabSize: V, windows: starts.length,
      epochs: [], bestEpoch: 0, stoppedEarly: false, aborted: false, validation: null,
    };
    const history = trainLoop({
      trainCount: starts.length,
      // The validation score is one number per epoch (all held-out tokens at once), so one "sample".
      valCount: hasVal ? 1 : 0,
      optimizers: [trainer.optimizer],
      get lastGradNorm() { return trainer.lastGradNorm; },
      trainStep: (order, from, B) => {
        for (let b = 0; b < B; b++) batchStarts[b] = starts[order[from + b]];
        const [set, targets] = batcher.fill(trainIds, batchStarts.subarray(0, B), lengths.subarray(0, B));
        return trainer.step(set, targets, batcher.identity, 0, B);
      },
      valLoss: () => {
        const v = scoreTokens(this, valIds);
        return v.nll / v.count;
      },
      average: () => new LossAverage(false, null),
      snapshot: () => Float64Array.from(net.store.values),
      restore: (w) => { net.store.values.set(w); },
      close: () => trainer.close(),
      dropoutPass: { get: () => net.stack.maskEpoch, set: (p) => { net.stack.maskEpoch = p; } },
      fingerprint: () => JSON.stringify({
        config: net.config, window: o.window, stride: o.stride, vocab: dataHash(Int32Array.from(this.tokenizer.vocab.join('\u0000'), (c) => c.codePointAt(0)!)),
        data: dataHash(trainIds, valIds, starts),
      }),
      lossName: 'crossEntropy',
    }, {
      epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, signal: cb.signal, onBatchEnd: cb.onBatchEnd, checkpoint: cb.checkpoint,
      // Patience 0 never stops, but the best epoch's weights are kept either way.
      earlyStopping: { patience: o.patience > 0 ? o.patience : Number.MAX_SAFE_INTEGER },
      onEpochEnd: (e) => {
        const log: LMEpochLog = { epoch: e.epoch, loss: e.loss, gradNorm: e.gradNorm };
        if (e.valLoss !== undefined) {
          log.valLoss = e.valLoss;
          log.valPerplexity = Math.exp(e.valLoss);
        }
        // Divergence. The untrained network guesses about uniformly, a cross-entropy of log V. A
        // training loss above 3·log V means the updates threw the weights away (training only lowers
        // it, and overfitting cannot raise it); a validation loss may rise by overfitting, so only a
        // far larger one (100·log V) or a perplexity that overflows counts. Stop rather than save
        // such weights (or Infinity, null in JSON). Thrown before the epoch's checkpoint, so a
        // checkpoint never holds a diverged state either.
        const uniform = Math.log(Math.max(2, V));
        const worst = Math.max(log.loss, log.valLoss ?? 0);
        if (!Number.isFinite(worst) || !Number.isFinite(log.valPerplexity ?? 0) || log.loss > 3 * uniform || worst > 100 * uniform) {
          const which = !(log.loss <= 3 * uniform) ? `the training cross-entropy in epoch ${e.epoch} is ${log.loss.toExponential(3)}, more than 3 times` : `the validation cross-entropy in epoch ${e.epoch} is ${worst.toExponential(3)}, far above`;
          throw new UnrollError(`training diverged: ${which} a uniform guess's (${uniform.toFixed(2)}); nothing was saved. Try a smaller learning rate`, 'diverged');
        }
        report.epochs.push(log);
        cb.onEpochEnd?.(log);
      },
    });
    if (report.epochs.length < history.epochs.length) {
      // Resumed: the epochs before the checkpoint come from its history.
      const done = history.epochs.slice(0, history.epochs.length - report.epochs.length).map((e): LMEpochLog => {
        const log: LMEpochLog = { epoch: e.epoch, loss: e.loss, gradNorm: e.gradNorm };
        if (e.valLoss !== undefined) { log.valLoss = e.valLoss; log.valPerplexity = Math.exp(e.valLoss); }
        return log;
      });
      report.epochs.unshift(...done);
    }
    report.bestEpoch = history.bestEpoch;
    report.stoppedEarly = history.stoppedEarly;
    report.aborted = history.aborted;
    if (hasVal && report.epochs.length > 0) report.validation = this.evaluateIds(valIds);
    return report;
  }

  /** Perplexity and accuracy on text (tokenized with the model's vocabulary), with the baselines. */
  evaluate(text: string): Evaluation {
    if (typeof text !== 'string') throw new UnrollError(`evaluation text: expected a string, got ${typeof text}`, 'data');
    const ids = this.tokenizer.encode(text);
    if (ids.length < 2) throw new UnrollError(`evaluation text: it holds ${ids.length} ${this.level} token(s); at least 2 are needed (every token after the first is predicted)`, 'data');
    return this.evaluateIds(ids);
  }

  evaluateIds(ids: ArrayLike<number>): Evaluation {
    const s = scoreTokens(this, ids);
    const nameOf = this.network.config.cell.toUpperCase();
    const labels = Object.fromEntries(BASELINE_NAMES.map((n) => [n, this.ngrams.label(n)])) as Record<BaselineName, string>;
    return s.toEvaluation(this.ngrams.crossEntropy(ids), labels, nameOf === 'ELMAN' ? 'Elman RNN' : nameOf);
  }

  /**
   * Logits for the token after `context` (the model sees at most its window of the most recent
   * tokens, as in training). Returns a copy of the V logits.
   */
  nextLogits(context: ArrayLike<number>): Float64Array {
    const n = context.length;
    if (n < 1) throw new UnrollError('nextLogits: the context needs at least one token', 'input');
    const L = Math.min(n, this.window);
    const [set] = this.batcher.fill(context, [n - L], [L], false);
    const net = this.network;
    net.loadBatch(set, this.batcher.identity, 0, 1);
    net.forward();
    const V = this.tokenizer.size;
    return Float64Array.from(net.y.subarray((L - 1) * V, L * V));
  }

  /** Autoregressive generation from a prompt: sample, feed back, repeat. Same seed → same text. */
  generate(prompt: string, options: GenerateOptions = {}): Generation {
    checkOptions(options, GENERATE_SPEC, { where: 'generate' });
    if (typeof prompt !== 'string') badOption('prompt', prompt, 'a string');
    const sampling = checkSampling({ temperature: options.temperature, topK: options.topK });
    const count = options.tokens ?? 30;
    if (!Number.isInteger(count) || count < 1) badOption('tokens', options.tokens, 'a positive integer');
    checkSize('option "tokens"', count, 'tokens');
    const seed = options.seed ?? 42;
    if (!Number.isFinite(seed)) badOption('seed', options.seed, 'a finite number');
    const ids = Array.from(this.tokenizer.encode(prompt));
    if (ids.length === 0) badOption('prompt', prompt, `text with at least one ${this.level} token to start from`);
    const promptUnknown = ids.filter((i) => i === 0).length;
    const exclude = new Set<number>(options.allowUnknown ? [] : [0]);
    const noRepeat = options.noRepeatNgram ?? 0;
    if (!Number.isInteger(noRepeat) || noRepeat < 0) badOption('noRepeatNgram', options.noRepeatNgram, 'a non-negative integer (0 = off)');
    const rng = new Rng(seed);
    const out: Generation['tokens'] = [];
    for (let i = 0; i < count; i++) {
      const logits = this.nextLogits(ids);
      let banned = exclude;
      if (noRepeat > 0) {
        banned = new Set([...exclude, ...repeatedNgramTokens(ids, noRepeat)]);
        // When every token is banned, fall back to the plain rule rather than fail.
        if (banned.size >= logits.length) banned = exclude;
      }
      const id = drawToken(logits, sampling, rng, banned);
      out.push({ token: this.tokenizer.vocab[id], id, probability: softmax(logits)[id] });
      ids.push(id);
    }
    const genIds = out.map((t) => t.id);
    const promptIds = ids.slice(0, ids.length - count);
    const text = this.tokenizer.decode(genIds);
    const full = this.tokenizer.decode([...promptIds, ...genIds]);
    return { prompt, text, full, tokens: out, promptUnknown };
  }

  toJSON(): LanguageModelJSON {
    return {
      format: LM_FORMAT, version: LM_VERSION, tokenizer: this.tokenizer.toJSON(), settings: { ...this.settings },
      network: encodeNetwork(this.network), ngrams: this.ngrams.toJSON(), report: this.report,
    };
  }

  static fromJSON(json: unknown, options: { source?: string; backend?: Backend } = {}): LanguageModel {
    checkOptions(options, TEXT_FROM_JSON_SPEC, { where: 'LanguageModel.fromJSON' });
    const where = options.source ? `model file ${options.source}` : 'language model JSON';
    const j = json as Partial<LanguageModelJSON> | null;
    if (!j || typeof j !== 'object') throw new UnrollError(`${where}: expected a JSON object written by "unroll lm train"`, 'model-file');
    if (j.format !== LM_FORMAT) {
      const hint = j.format === 'unroll-model' || (j as { kind?: unknown }).kind ? ' (it looks like a forecasting model; use it with "unroll predict")' : '';
      throw new UnrollError(`${where}: not an unroll language model (format is ${describe(j.format)}, expected "${LM_FORMAT}")${hint}`, 'model-file');
    }
    if (j.version !== LM_VERSION) throw new UnrollError(`${where}: format version ${describe(j.version)} is not supported; this unroll reads version ${LM_VERSION}`, 'model-file');
    const tokenizer = Tokenizer.fromJSON(j.tokenizer, where);
    const s = j.settings as Partial<Settings> | undefined;
    if (!s || !Number.isInteger(s.window) || s.window! < 1 || !Number.isInteger(s.stride) || s.stride! < 1) {
      throw new UnrollError(`${where}: "settings" must hold a positive integer window and stride`, 'model-file');
    }
    const network = decodeNetwork(j.network, where, options);
    // The counts' vocabulary size sizes their tables: it must equal the tokenizer's before anything is allocated.
    const countsOver: unknown = (j.ngrams as { vocabSize?: unknown } | null | undefined)?.vocabSize;
    if (countsOver !== undefined && countsOver !== tokenizer.size) throw new UnrollError(`${where}: the n-gram counts are over ${describe(countsOver)} tokens but the vocabulary has ${tokenizer.size}`, 'model-file');
    const ngrams = NGramBaselines.fromJSON(j.ngrams, `${where}: "ngrams"`);
    try {
      return new LanguageModel(tokenizer, network, { window: s.window!, stride: s.stride! }, ngrams, (j.report ?? null) as TrainingReport | null);
    } catch (e) {
      if (e instanceof UnrollError) throw new UnrollError(`${where}: ${e.message}`, 'model-file');
      throw e;
    }
  }
}

export interface LanguageModelJSON {
  format: typeof LM_FORMAT;
  version: number;
  tokenizer: ReturnType<Tokenizer['toJSON']>;
  settings: Settings;
  network: NetworkJSON;
  ngrams: ReturnType<NGramBaselines['toJSON']>;
  report: TrainingReport | null;
}

export { UNK };
