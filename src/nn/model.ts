/**
 * `Network`: a stack of recurrent layers with a dense head, the model users build, train and save.
 *
 *   h¹_t = cell¹(x_t, h¹_{t−1}),  hˡ_t = cellˡ(hˡ⁻¹_t, hˡ_{t−1}),   y = W_o h^L + b_o
 *
 * with y taken at every step (`outputMode: 'sequence'`, many-to-many) or at each sample's last
 * valid step (`outputMode: 'last'`, many-to-one). Parameter names follow PyTorch's nn.RNN
 * (`weight_ih_l0`, …) plus `head.weight` / `head.bias` for the output layer.
 *
 * With `embedding: { vocabSize: V, dim: E }` every step's input is one token id, looked up in a
 * learned V×E table (nn/embedding.ts) before the first layer: h¹_t = cell¹(E[w_t], h¹_{t−1}).
 *
 * All buffers for a batch shape are planned once (`plan`), and a forward/backward pass allocates
 * nothing.
 */
import type { Activation, Backend, Buf } from '../kernels/index.js';
import { ACTIVATIONS, referenceBackend } from '../kernels/index.js';
import { UnrollError, badOption } from '../util/errors.js';
import { checkBatchMemory, checkNetworkMemory, checkSize, type LimitName } from '../util/limits.js';
import { Rng } from '../util/rng.js';
import { checkOptions, is, type Spec } from '../util/options.js';
import { BidirectionalLayer, MERGE_MODES, type MergeMode } from './bidirectional.js';
import { CELL_KINDS, createCell, normalizeCellOptions, type CellKind, type CellOptions } from './cells.js';
import { Dense } from './dense.js';
import { Embedding, checkTokenIds } from './embedding.js';
import { DilatedLayer } from './dilated.js';
import { RecurrentLayer, type SequenceLayer } from './layer.js';
import { Stack, stackInputSize, residualBlock, residualRule } from './stack.js';
import { ParamStore } from './params.js';
import { packInputs, toSequenceSet, type SequenceInput, type SequenceSet } from './sequences.js';

export type OutputMode = 'last' | 'sequence';

/** A learned lookup table in front of the first layer: token ids in, `dim` numbers per step out. */
export interface EmbeddingOptions {
  /** Tokens in the vocabulary (V): ids are integers from 0 to V − 1. */
  vocabSize: number;
  /** Numbers per token (the width of the table and the first layer's input). */
  dim: number;
}

export interface NetworkOptions {
  /** Features per time step (D). With `embedding`, each step is one token id, so D is 1. @default 1 with `embedding` (otherwise required) */
  inputSize?: number;
  /**
   * Read token ids through an embedding (a learned V × dim lookup table, PyTorch's nn.Embedding):
   * x holds one id per step (N × T, or N × T × 1). @default none (x holds feature vectors)
   */
  embedding?: EmbeddingOptions;
  /** Units per recurrent layer (H). */
  hiddenSize: number;
  /** Outputs of the dense head (K). @default 1 */
  outputSize?: number;
  /** The recurrent cell. @default 'elman' */
  cell?: CellKind;
  /** Hidden activation of the Elman cell. @default 'tanh' */
  activation?: Activation;
  /** Stacked recurrent layers. @default 1 */
  numLayers?: number;
  /** 'last' = many-to-one (the output at each sample's last step); 'sequence' = an output at every step. @default 'last' */
  outputMode?: OutputMode;
  /** Learn the initial state of every layer (CMU 11-785: "h(−1) = part of network parameters"). @default false */
  learnInitialState?: boolean;
  /** Run every layer in both directions (a bidirectional block per layer). @default false */
  bidirectional?: boolean;
  /** How a bidirectional layer merges its two directions: 'concat', 'sum' or 'mean'. @default 'concat' */
  mergeMode?: MergeMode;
  /** Dropout probability on the outputs of every layer but the last, in [0, 1); training only. @default 0 */
  dropout?: number;
  /** Skip connections: feed the input x_t to every layer, not just the first. @default false */
  inputToEveryLayer?: boolean;
  /** Skip connections: feed every layer's output to the head, not just the top layer's. @default false */
  everyLayerToHead?: boolean;
  /**
   * Dilation of each layer's recurrence, one per layer: layer l computes h_t from h_{t−d_l} (d = 1 is
   * the ordinary recurrence; see `DilatedLayer`). @default every layer 1
   */
  dilations?: number[];
  /**
   * Residual connections (see `Stack`): `true` (or 1) adds each layer's input from the layer below
   * to its output, oˡ = hˡ + oˡ⁻¹ for l ≥ 1; a number k does so between blocks of k layers (the
   * output of each block but the first is its last layer's output plus the block's input), as
   * ES-RNN does. numLayers must be a multiple of k with at least two blocks. Saved as k (0: none).
   * @default false
   */
  residual?: boolean | number;
  /** Options of the chosen cell (Jordan α and training mode, NARX delays, time-delay window). @default {} */
  cellOptions?: CellOptions;
  /** Seed of the initialisation (and of the dropout masks). @default 42 */
  seed?: number;
  /** Kernel backend. @default the float64 reference backend */
  backend?: Backend;
}

/**
 * Options with every default filled in (what is saved with a model). `embedding` is present only
 * for a model that has one, so the config of any other model is what it was before embeddings.
 */
export type NetworkConfig = Required<Omit<NetworkOptions, 'backend' | 'embedding' | 'residual'>> & { residual: number; embedding?: EmbeddingOptions };

/**
 * The rules of the model options (the value checks that depend on other options follow in
 * normalizeOptions, which gives each its own message).
 */
export const NETWORK_OPTION_SPEC: Spec = {
  inputSize: is.positiveInt, hiddenSize: is.positiveInt, outputSize: is.positiveInt, cell: is.any, activation: is.any, numLayers: is.positiveInt,
  outputMode: is.any, learnInitialState: is.boolean, bidirectional: is.boolean, mergeMode: is.any, dropout: is.any,
  inputToEveryLayer: is.boolean, everyLayerToHead: is.boolean, dilations: is.any, residual: residualRule, cellOptions: is.object, seed: is.number, backend: is.object,
  embedding: is.object,
};

/** The options of `predict`. */
export const PREDICT_OPTION_SPEC: Spec = { batchSize: is.positiveInt };

/** The rules of the `embedding` sub-object. */
export const EMBEDDING_OPTION_SPEC: Spec = { vocabSize: is.positiveInt, dim: is.positiveInt };

/** Validates model options and fills in the defaults; `where` names the class in messages. */
export function normalizeOptions(options: NetworkOptions, where = 'model'): NetworkConfig {
  if (!options || typeof options !== 'object') throw new UnrollError(`${where}: expected an options object such as { inputSize: 1, hiddenSize: 8 }`, 'option');
  checkOptions(options, NETWORK_OPTION_SPEC, { where });
  const positiveInt = (name: string, v: unknown, dflt?: number, limit?: LimitName): number => {
    const x = v === undefined ? dflt : v;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) badOption(name, v, 'a positive integer');
    // Sizes are checked against their documented limit before anything is allocated.
    if (limit) checkSize(`option "${name}"`, x, limit);
    return x;
  };
  const cell = options.cell ?? 'elman';
  if (!CELL_KINDS.includes(cell)) badOption('cell', cell, `one of ${CELL_KINDS.join(', ')}`);
  const activation = options.activation ?? 'tanh';
  if (!ACTIVATIONS.includes(activation)) badOption('activation', activation, `one of ${ACTIVATIONS.join(', ')}`);
  if ((cell === 'lstm' || cell === 'gru') && activation !== 'tanh') {
    badOption('activation', activation, `'tanh' or nothing for cell '${cell}' (its activations are fixed: sigmoid gates, tanh candidate; the option is for elman, context, jordan, narx and tdnn cells)`);
  }
  const outputMode = options.outputMode ?? 'last';
  if (outputMode !== 'last' && outputMode !== 'sequence') badOption('outputMode', outputMode, "'last' (many-to-one) or 'sequence' (many-to-many)");
  const seed = options.seed ?? 42;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) badOption('seed', seed, 'a finite number');
  const learnInitialState = options.learnInitialState ?? false;
  if (typeof learnInitialState !== 'boolean') badOption('learnInitialState', learnInitialState, 'true or false');
  const flag = (name: string, v: unknown): boolean => {
    if (v !== undefined && typeof v !== 'boolean') badOption(name, v, 'true or false');
    return v ?? false;
  };
  const bidirectional = flag('bidirectional', options.bidirectional);
  const mergeMode = options.mergeMode ?? 'concat';
  if (!MERGE_MODES.includes(mergeMode)) badOption('mergeMode', mergeMode, `one of ${MERGE_MODES.join(', ')}`);
  if (mergeMode !== 'concat' && !bidirectional) badOption('mergeMode', options.mergeMode, "'concat' (the default) unless bidirectional is true (it merges the two directions)");
  const numLayers = positiveInt('numLayers', options.numLayers, 1, 'numLayers');
  const dropout = options.dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) badOption('dropout', options.dropout, 'a number in [0, 1)');
  if (dropout > 0 && numLayers < 2) badOption('dropout', dropout, '0 when numLayers is 1 (dropout acts between stacked layers)');
  const embedding = normalizeEmbedding(options, cell, where);
  const cellOptions = normalizeCellOptions(cell, options.cellOptions);
  const dilations = normalizeDilations(options.dilations, numLayers);
  if (dilations.some((d) => d > 1)) {
    if (bidirectional) badOption('dilations', options.dilations, 'all 1 when bidirectional is true (a dilated layer runs forward in time only)');
    if (producesOutput(cell)) badOption('dilations', options.dilations, `all 1 for cell '${cell}' (it feeds its own outputs forward one step at a time)`);
  }
  const config: NetworkConfig = {
    inputSize: positiveInt('inputSize', options.inputSize, embedding ? 1 : undefined, 'inputSize'),
    hiddenSize: positiveInt('hiddenSize', options.hiddenSize, undefined, 'hiddenSize'),
    outputSize: positiveInt('outputSize', options.outputSize, 1, 'outputSize'),
    cell,
    activation,
    numLayers,
    outputMode,
    learnInitialState,
    bidirectional,
    mergeMode,
    dropout,
    inputToEveryLayer: flag('inputToEveryLayer', options.inputToEveryLayer),
    everyLayerToHead: flag('everyLayerToHead', options.everyLayerToHead),
    dilations,
    residual: residualBlock(options.residual, numLayers),
    cellOptions,
    seed,
    ...(embedding ? { embedding } : {}),
  };
  if (producesOutput(cell)) {
    if (numLayers !== 1) badOption('numLayers', numLayers, `1 for cell '${cell}' (its own output layer is the model's output)`);
    if (bidirectional) badOption('bidirectional', true, `false for cell '${cell}' (it feeds its own outputs forward in time)`);
  }
  checkNetworkMemory(config);
  return config;
}

/** Checks the `embedding` option (both sizes given, within limits; one id per step; a cell that reads plain inputs). */
function normalizeEmbedding(options: NetworkOptions, cell: CellKind, where: string): EmbeddingOptions | undefined {
  const e = options.embedding;
  if (e === undefined) return undefined;
  checkOptions(e, EMBEDDING_OPTION_SPEC, { where, prefix: 'embedding.' });
  for (const key of ['vocabSize', 'dim'] as const) {
    if (e[key] === undefined) badOption(`embedding.${key}`, undefined, `a positive integer (the embedding needs both vocabSize and dim, such as { vocabSize: 5000, dim: 64 })`);
  }
  checkSize('option "embedding.vocabSize"', e.vocabSize, 'vocabulary');
  checkSize('option "embedding.dim"', e.dim, 'inputSize');
  if (options.inputSize !== undefined && options.inputSize !== 1) badOption('inputSize', options.inputSize, '1 or nothing with an embedding (each step is one token id)');
  if (cell === 'narx') badOption('embedding', e, `nothing for cell 'narx' (its input holds the fed-back outputs, which are not token ids)`);
  return { vocabSize: e.vocabSize, dim: e.dim };
}

/** The most steps a recurrence may skip: a larger dilation is surely a mistake (a year of hours is 8,784). */
export const MAX_DILATION = 100_000;

function normalizeDilations(v: unknown, numLayers: number): number[] {
  if (v === undefined) return new Array<number>(numLayers).fill(1);
  if (!Array.isArray(v) || v.length !== numLayers) badOption('dilations', v, `an array of ${numLayers} integers (one per layer, numLayers is ${numLayers}), such as [${[1, 4, 24, 168].slice(0, numLayers).join(', ')}]`);
  return v.map((d, l) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > MAX_DILATION) badOption(`dilations[${l}]`, d, `an integer from 1 to ${MAX_DILATION}`);
    return d;
  });
}

/** Cells whose own output layer makes the model's outputs (no dense head). */
export function producesOutput(cell: CellKind): boolean {
  return cell === 'jordan' || cell === 'narx';
}

export class Network {
  readonly config: NetworkConfig;
  readonly backend: Backend;
  readonly store = new ParamStore();
  readonly layers: SequenceLayer[] = [];
  /** The layers with their skip connections and dropout. */
  readonly stack: Stack;
  /** The dense output head, or null when the cell makes the outputs itself (Jordan, NARX). */
  readonly head: Dense | null;
  /** The input embedding (token ids → vectors), or null when the inputs are feature vectors. */
  readonly embedding: Embedding | null;
  /** Dropout is active only while this is true (set by `fit` around training batches). */
  training = false;

  // Planned buffers (capacity grows, never shrinks).
  private capBatch = 0;
  private capSteps = 0;
  /** The current batch's inputs, time-major: T·B rows of D. */
  x: Buf;
  lengths = new Int32Array(0);
  /** Head outputs: [T·B, K] for 'sequence', [B, K] for 'last'. */
  y: Buf;
  /** dL/dy, same layout as y (written by the loss). */
  dy: Buf;
  /** dL/dx of the batch (filled by backward when asked). */
  dx: Buf;
  private dTop: Buf;
  batch = 0;
  steps = 0;

  constructor(options: NetworkOptions) {
    this.config = normalizeOptions(options, (new.target as unknown as { modelClass?: string }).modelClass ?? 'model');
    this.backend = options.backend ?? referenceBackend();
    const c = this.config;
    // The embedding is declared first, as PyTorch registers a module's embedding before its RNN.
    this.embedding = c.embedding ? new Embedding(this.backend, this.store, c.embedding.vocabSize, c.embedding.dim) : null;
    const stackIn = this.stackInputSize;
    let below = 0;
    for (let l = 0; l < c.numLayers; l++) {
      const inputSize = stackInputSize(l, stackIn, below, c.inputToEveryLayer);
      const make = (suffix: string) => createCell(c.cell, this.backend, this.store,
        { inputSize, hiddenSize: c.hiddenSize, outputSize: c.outputSize, activation: c.activation, cellOptions: c.cellOptions, suffix });
      const layer: SequenceLayer = c.bidirectional
        ? new BidirectionalLayer(make(`_l${l}`), make(`_l${l}_reverse`), this.store, { mergeMode: c.mergeMode, learnInitialState: c.learnInitialState, suffix: `_l${l}` })
        : c.dilations[l] > 1
          ? new DilatedLayer(make(`_l${l}`), this.store, c.dilations[l], { learnInitialState: c.learnInitialState, suffix: `_l${l}` })
          : new RecurrentLayer(make(`_l${l}`), this.store, { learnInitialState: c.learnInitialState, suffix: `_l${l}` });
      this.layers.push(layer);
      below = layer.outputSize;
    }
    this.stack = new Stack(this.layers, this.backend, stackIn,
      { inputToEveryLayer: c.inputToEveryLayer, everyLayerToHead: c.everyLayerToHead, dropout: c.dropout, seed: c.seed, residual: c.residual });
    this.head = producesOutput(c.cell) ? null : new Dense(this.backend, this.store, this.stack.outputSize, c.outputSize, 'head');
    this.store.allocate(this.backend, new Rng(this.config.seed));
    const k = this.backend;
    this.x = k.alloc(0);
    this.y = k.alloc(0);
    this.dy = k.alloc(0);
    this.dx = k.alloc(0);
    this.dTop = k.alloc(0);
  }

  get inputSize(): number { return this.config.inputSize; }
  get outputSize(): number { return this.config.outputSize; }
  get outputMode(): OutputMode { return this.config.outputMode; }
  get parameterCount(): number { return this.store.count; }
  /** Numbers per step the recurrent stack reads: the embedding's dim, or inputSize. */
  get stackInputSize(): number { return this.config.embedding?.dim ?? this.config.inputSize; }

  /** Makes sure every buffer can hold a batch of B sequences of up to T steps. */
  plan(batch: number, steps: number): void {
    if (batch <= this.capBatch && steps <= this.capSteps) return;
    const B = Math.max(batch, this.capBatch);
    const T = Math.max(steps, this.capSteps);
    checkBatchMemory(this.config, B, T);
    const k = this.backend;
    const K = this.config.outputSize;
    this.x = k.alloc(T * B * this.config.inputSize);
    this.dx = k.alloc(T * B * this.config.inputSize);
    this.lengths = new Int32Array(B);
    const yRows = this.config.outputMode === 'sequence' ? T * B : B;
    this.y = k.alloc(yRows * K);
    this.dy = k.alloc(yRows * K);
    this.stack.plan(B, T);
    this.embedding?.plan(T * B);
    this.dTop = k.alloc((this.config.outputMode === 'sequence' ? T * B : B) * this.stack.outputSize);
    this.capBatch = B;
    this.capSteps = T;
  }

  /** Copies samples `indices[from .. from+batch)` of `set` into the batch buffers. */
  loadBatch(set: SequenceSet, indices: ArrayLike<number>, from: number, batch: number): void {
    this.plan(batch, set.maxSteps);
    this.batch = batch;
    this.steps = packInputs(set, indices, from, batch, this.x, this.lengths);
    const e = this.config.embedding;
    if (e) for (let b = 0; b < batch; b++) checkTokenIds(set.data, set.lengths, set.maxSteps, indices[from + b], e.vocabSize, 'x');
  }

  /**
   * Runs the input embedding (when there is one) and the recurrent stack over the loaded batch; the
   * stack's outputs are then in `stack.out` / `stack.lastBuf`. `training` switches dropout on.
   */
  forwardStack(training: boolean): void {
    const { batch: B, steps: T } = this;
    const emb = this.embedding;
    if (emb) {
      emb.forward(B, T, this.lengths, this.x, 0, this.config.inputSize);
      this.stack.forward(B, T, this.lengths, emb.out, 0, emb.dim, training);
    } else this.stack.forward(B, T, this.lengths, this.x, 0, this.config.inputSize, training);
  }

  /** Forward pass over the loaded batch; the head's outputs land in `y`. */
  forward(): void {
    const { batch: B, steps: T } = this;
    const st = this.stack;
    this.forwardStack(this.training);
    const K = this.config.outputSize;
    const seq = this.config.outputMode === 'sequence';
    const rows = seq ? T * B : B;
    const src = seq ? st.out : st.lastBuf;
    const off = seq ? st.seqOffset : st.lastOffset;
    const ld = seq ? st.seqLd : st.lastLd;
    if (this.head) this.head.forward(rows, src, off, ld, this.y, 0, K);
    else this.backend.copy2d(rows, K, src, off, ld, this.y, 0, K);
  }

  /**
   * Backward pass from dL/dy (in `dy`); parameter gradients are ADDED to `store.grads` (the
   * trainer zeroes them first). With `inputGradient`, dL/dx of the batch lands in `dx`.
   */
  backward(inputGradient = false): void {
    const k = this.backend;
    const { batch: B, steps: T } = this;
    const K = this.config.outputSize;
    const st = this.stack;
    const H = st.outputSize;
    const seq = this.config.outputMode === 'sequence';
    const rows = seq ? T * B : B;
    let dTop = this.dy;
    let dTopLd = K;
    if (this.head) {
      if (seq) this.head.backward(rows, st.out, st.seqOffset, st.seqLd, this.dy, 0, K, this.dTop, 0, H);
      else this.head.backward(rows, st.lastBuf, st.lastOffset, st.lastLd, this.dy, 0, K, this.dTop, 0, H);
      dTop = this.dTop;
      dTopLd = H;
    }
    const emb = this.embedding;
    if (emb) {
      // Token ids have no gradient; the stack's input gradient is ∂L/∂(looked-up rows), scattered into the table's.
      if (inputGradient) throw new UnrollError('input gradient: this model reads token ids through an embedding, and ids have no gradient; the gradient of the table is the parameter gradient "embedding.weight"', 'option');
      k.fill(T * B * emb.dim, 0, emb.dOut, 0);
      st.backward(seq ? dTop : null, 0, dTopLd, seq ? null : dTop, 0, dTopLd, emb.dOut, 0, emb.dim);
      emb.backward();
      return;
    }
    if (inputGradient) k.fill(T * B * this.config.inputSize, 0, this.dx, 0);
    st.backward(seq ? dTop : null, 0, dTopLd, seq ? null : dTop, 0, dTopLd, inputGradient ? this.dx : null, 0, this.config.inputSize);
  }

  /**
   * Runs the model on sequences and returns, for 'last', one K-vector per sample; for
   * 'sequence', one K-vector per valid step of each sample.
   */
  predict(x: SequenceInput, options: { batchSize?: number } = {}): number[][] | number[][][] {
    const o = checkOptions<{ batchSize?: number }>(options, PREDICT_OPTION_SPEC, { where: 'predict' });
    const set = toSequenceSet(x, this.config.inputSize, 'x');
    const batchSize = o.batchSize ?? 256;
    const K = this.config.outputSize;
    const order = Int32Array.from({ length: set.count }, (_, i) => i);
    const out: (number[] | number[][])[] = [];
    for (let from = 0; from < set.count; from += batchSize) {
      const B = Math.min(batchSize, set.count - from);
      this.loadBatch(set, order, from, B);
      this.forward();
      for (let b = 0; b < B; b++) {
        if (this.config.outputMode === 'last') out.push(Array.from(this.y.subarray(b * K, (b + 1) * K)));
        else {
          const steps: number[][] = [];
          for (let t = 0; t < this.lengths[b]; t++) steps.push(Array.from(this.y.subarray((t * B + b) * K, (t * B + b + 1) * K)));
          out.push(steps);
        }
      }
    }
    return out as number[][] | number[][][];
  }

  getWeights(): Record<string, { shape: number[]; data: number[] }> {
    return this.store.getWeights();
  }

  setWeights(weights: Record<string, unknown>, options: { strict?: boolean } = {}): void {
    this.store.setWeights(weights, checkOptions(options, { strict: is.boolean }, { where: 'setWeights' }));
  }

  /** A Keras-like table of layers, output shapes and parameter counts. */
  summary(): string {
    const { outputMode, hiddenSize, outputSize } = this.config;
    const e = this.config.embedding;
    const rows: [string, string, number][] = e
      ? [['input (token ids)', '[N, T]', 0], ['embedding', `[N, T, ${e.dim}]`, e.vocabSize * e.dim]]
      : [['input', `[N, T, ${this.config.inputSize}]`, 0]];
    this.layers.forEach((layer, l) => {
      const count = this.store.params.filter((p) => p.name.endsWith(`_l${l}`) || p.name.includes(`_l${l}_`)).reduce((s, p) => s + p.size, 0);
      rows.push([`${layer.kind} l${l}`, `[N, T, ${layer.outputSize}]`, count]);
    });
    const c = this.config;
    if (c.dropout > 0) rows.push([`(dropout ${c.dropout} between layers)`, '', 0]);
    if (c.inputToEveryLayer) rows.push(['(skip: input to every layer)', '', 0]);
    if (c.everyLayerToHead) rows.push(['(skip: every layer to head)', `[N, T, ${this.stack.outputSize}]`, 0]);
    if (c.residual > 0) rows.push([c.residual === 1 ? '(residual: each layer\'s input added to its output)' : `(residual: every ${c.residual} layers, each block's input added to its output)`, '', 0]);
    if (this.head) {
      const headCount = this.head.weight.size + this.head.bias.size;
      rows.push([`dense head`, outputMode === 'sequence' ? `[N, T, ${outputSize}]` : `[N, ${outputSize}]`, headCount]);
    }
    const w = [Math.max(5, ...rows.map((r) => r[0].length)), Math.max(12, ...rows.map((r) => r[1].length)), 10];
    const line = (a: string, b: string, c: string): string => `${a.padEnd(w[0])}  ${b.padEnd(w[1])}  ${c.padStart(w[2])}`;
    const sep = '-'.repeat(w[0] + w[1] + w[2] + 4);
    return [
      line('Layer', 'Output shape', 'Params'), sep,
      ...rows.map((r) => line(r[0], r[1], String(r[2]))), sep,
      `Total parameters: ${this.store.count}` + (hiddenSize ? `  (hiddenSize ${hiddenSize}, ${outputMode === 'last' ? 'many-to-one' : 'many-to-many'})` : ''),
    ].join('\n');
  }
}
