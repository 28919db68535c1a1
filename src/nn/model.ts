/**
 * `Network`: a stack of recurrent layers with a dense head, the model users build, train and save.
 *
 *   h¹_t = cell¹(x_t, h¹_{t−1}),  hˡ_t = cellˡ(hˡ⁻¹_t, hˡ_{t−1}),   y = W_o h^L + b_o
 *
 * with y taken at every step (`outputMode: 'sequence'`, many-to-many) or at each sample's last
 * valid step (`outputMode: 'last'`, many-to-one). Parameter names follow PyTorch's nn.RNN
 * (`weight_ih_l0`, …) plus `head.weight` / `head.bias` for the output layer.
 *
 * All buffers for a batch shape are planned once (`plan`), and a forward/backward pass allocates
 * nothing.
 */
import type { Activation, Backend, Buf } from '../kernels/index.js';
import { ACTIVATIONS, referenceBackend } from '../kernels/index.js';
import { UnrollError, badOption } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { CELL_KINDS, createCell, type CellKind } from './cells.js';
import { Dense } from './dense.js';
import { RecurrentLayer, type SequenceLayer } from './layer.js';
import { ParamStore } from './params.js';
import { packInputs, toSequenceSet, type SequenceInput, type SequenceSet } from './sequences.js';

export type OutputMode = 'last' | 'sequence';

export interface NetworkOptions {
  /** Features per time step (D). */
  inputSize: number;
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
  /** Seed of the initialisation. @default 42 */
  seed?: number;
  /** Kernel backend. @default the float64 reference backend */
  backend?: Backend;
}

/** Options with every default filled in (what is saved with a model). */
export type NetworkConfig = Required<Omit<NetworkOptions, 'backend'>>;

const KNOWN_OPTIONS = ['inputSize', 'hiddenSize', 'outputSize', 'cell', 'activation', 'numLayers', 'outputMode', 'learnInitialState', 'seed', 'backend'];

export function normalizeOptions(options: NetworkOptions): NetworkConfig {
  if (!options || typeof options !== 'object') throw new UnrollError('model: expected an options object such as { inputSize: 1, hiddenSize: 8 }', 'option');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) badOption(key, (options as unknown as Record<string, unknown>)[key], `no such option; known options: ${KNOWN_OPTIONS.join(', ')}`);
  }
  const positiveInt = (name: string, v: unknown, dflt?: number): number => {
    const x = v === undefined ? dflt : v;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) badOption(name, v, 'a positive integer');
    return x;
  };
  const cell = options.cell ?? 'elman';
  if (!CELL_KINDS.includes(cell)) badOption('cell', cell, `one of ${CELL_KINDS.join(', ')}`);
  const activation = options.activation ?? 'tanh';
  if (!ACTIVATIONS.includes(activation)) badOption('activation', activation, `one of ${ACTIVATIONS.join(', ')}`);
  const outputMode = options.outputMode ?? 'last';
  if (outputMode !== 'last' && outputMode !== 'sequence') badOption('outputMode', outputMode, "'last' (many-to-one) or 'sequence' (many-to-many)");
  const seed = options.seed ?? 42;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) badOption('seed', seed, 'a finite number');
  const learnInitialState = options.learnInitialState ?? false;
  if (typeof learnInitialState !== 'boolean') badOption('learnInitialState', learnInitialState, 'true or false');
  return {
    inputSize: positiveInt('inputSize', options.inputSize),
    hiddenSize: positiveInt('hiddenSize', options.hiddenSize),
    outputSize: positiveInt('outputSize', options.outputSize, 1),
    cell,
    activation,
    numLayers: positiveInt('numLayers', options.numLayers, 1),
    outputMode,
    learnInitialState,
    seed,
  };
}

export class Network {
  readonly config: NetworkConfig;
  readonly backend: Backend;
  readonly store = new ParamStore();
  readonly layers: SequenceLayer[] = [];
  readonly head: Dense;

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
  private dLayer: Buf[] = [];
  private dTop: Buf;
  batch = 0;
  steps = 0;

  constructor(options: NetworkOptions) {
    this.config = normalizeOptions(options);
    this.backend = options.backend ?? referenceBackend();
    const { inputSize, hiddenSize, outputSize, numLayers, cell, activation, learnInitialState } = this.config;
    let size = inputSize;
    for (let l = 0; l < numLayers; l++) {
      const c = createCell(cell, this.backend, this.store, { inputSize: size, hiddenSize, activation, suffix: `_l${l}` });
      this.layers.push(new RecurrentLayer(c, this.store, { learnInitialState, suffix: `_l${l}` }));
      size = c.hiddenSize;
    }
    this.head = new Dense(this.backend, this.store, size, outputSize, 'head');
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

  /** Makes sure every buffer can hold a batch of B sequences of up to T steps. */
  plan(batch: number, steps: number): void {
    if (batch <= this.capBatch && steps <= this.capSteps) return;
    const B = Math.max(batch, this.capBatch);
    const T = Math.max(steps, this.capSteps);
    const k = this.backend;
    const K = this.config.outputSize;
    this.x = k.alloc(T * B * this.config.inputSize);
    this.dx = k.alloc(T * B * this.config.inputSize);
    this.lengths = new Int32Array(B);
    const yRows = this.config.outputMode === 'sequence' ? T * B : B;
    this.y = k.alloc(yRows * K);
    this.dy = k.alloc(yRows * K);
    for (const layer of this.layers) layer.plan(B, T);
    // dL/d(input of layer l), for l ≥ 1 (layer 0's is dx).
    this.dLayer = this.layers.map((layer) => k.alloc(T * B * layer.inputSize));
    const top = this.layers[this.layers.length - 1];
    this.dTop = k.alloc((this.config.outputMode === 'sequence' ? T * B : B) * top.outputSize);
    this.capBatch = B;
    this.capSteps = T;
  }

  /** Copies samples `indices[from .. from+batch)` of `set` into the batch buffers. */
  loadBatch(set: SequenceSet, indices: ArrayLike<number>, from: number, batch: number): void {
    this.plan(batch, set.maxSteps);
    this.batch = batch;
    this.steps = packInputs(set, indices, from, batch, this.x, this.lengths);
  }

  /** Forward pass over the loaded batch; the head's outputs land in `y`. */
  forward(): void {
    const { batch: B, steps: T } = this;
    let src: Buf = this.x;
    let srcOff = 0;
    let srcLd = this.config.inputSize;
    for (const layer of this.layers) {
      layer.forward(B, T, this.lengths, src, srcOff, srcLd);
      src = layer.out;
      srcOff = layer.seqOffset;
      srcLd = layer.seqLd;
    }
    const top = this.layers[this.layers.length - 1];
    const K = this.config.outputSize;
    if (this.config.outputMode === 'sequence') this.head.forward(T * B, top.out, top.seqOffset, top.seqLd, this.y, 0, K);
    else this.head.forward(B, top.lastBuf, top.lastOffset, top.lastLd, this.y, 0, K);
  }

  /**
   * Backward pass from dL/dy (in `dy`); parameter gradients are ADDED to `store.grads` (the
   * trainer zeroes them first). With `inputGradient`, dL/dx of the batch lands in `dx`.
   */
  backward(inputGradient = false): void {
    const k = this.backend;
    const { batch: B, steps: T } = this;
    const K = this.config.outputSize;
    const L = this.layers.length;
    const top = this.layers[L - 1];
    const H = top.outputSize;
    const seq = this.config.outputMode === 'sequence';
    if (seq) this.head.backward(T * B, top.out, top.seqOffset, top.seqLd, this.dy, 0, K, this.dTop, 0, H);
    else this.head.backward(B, top.lastBuf, top.lastOffset, top.lastLd, this.dy, 0, K, this.dTop, 0, H);

    let dSeq: Buf | null = seq ? this.dTop : null;
    let dLast: Buf | null = seq ? null : this.dTop;
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const below = l > 0 ? this.layers[l - 1] : null;
      const xBuf = below ? below.out : this.x;
      const xOff = below ? below.seqOffset : 0;
      const xLd = below ? below.seqLd : this.config.inputSize;
      const wantDx = l > 0 || inputGradient;
      const dxBuf = l > 0 ? this.dLayer[l] : this.dx;
      if (wantDx) k.fill(T * B * layer.inputSize, 0, dxBuf, 0);
      layer.backward(dSeq, 0, dSeq ? layer.outputSize : 0, dLast, 0, dLast ? layer.outputSize : 0,
        xBuf, xOff, xLd, wantDx ? dxBuf : null, 0, layer.inputSize);
      dSeq = dxBuf;
      dLast = null;
    }
  }

  /**
   * Runs the model on sequences and returns, for 'last', one K-vector per sample; for
   * 'sequence', one K-vector per valid step of each sample.
   */
  predict(x: SequenceInput, options: { batchSize?: number } = {}): number[][] | number[][][] {
    const set = toSequenceSet(x, this.config.inputSize, 'x');
    const batchSize = options.batchSize ?? 256;
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
    this.store.setWeights(weights, options);
  }

  /** A Keras-like table of layers, output shapes and parameter counts. */
  summary(): string {
    const { outputMode, hiddenSize, outputSize } = this.config;
    const rows: [string, string, number][] = [['input', `[N, T, ${this.config.inputSize}]`, 0]];
    this.layers.forEach((layer, l) => {
      const count = this.store.params.filter((p) => p.name.endsWith(`_l${l}`) || p.name.includes(`_l${l}_`)).reduce((s, p) => s + p.size, 0);
      rows.push([`${layer.kind} l${l}`, `[N, T, ${layer.outputSize}]`, count]);
    });
    const headCount = this.head.weight.size + this.head.bias.size;
    rows.push([`dense head`, outputMode === 'sequence' ? `[N, T, ${outputSize}]` : `[N, ${outputSize}]`, headCount]);
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
