/**
 * Delayed sequence-to-sequence (Karpathy's "many to many", the encoder-decoder): an encoder reads
 * the whole input sequence, and its final state starts a decoder that writes the output sequence.
 *
 *   encoder:  hˡ_enc(t) = cellˡ_enc(·, hˡ_enc(t−1)),  t = 0 … T_x−1 (each sample to its own length)
 *   decoder:  hˡ_dec(−1) = hˡ_enc(T_x−1)                     the hand-over, layer by layer
 *             hˡ_dec(t) = cellˡ_dec(·, hˡ_dec(t−1)),  input y_{t−1} (y_{−1} = 0)
 *             ŷ_t = W_o h^L_dec(t) + b_o
 *
 * Training uses teacher forcing (the decoder reads the TRUE previous output); inference runs free
 * (it reads its own previous output). BPTT runs through the decoder, across the hand-over into the
 * encoder's final states, and back through the encoder.
 *
 * Parameters: `encoder.weight_ih_l0`, …, `decoder.weight_ih_l0`, …, `decoder.head.weight`, `decoder.head.bias`.
 */
import type { Activation, Backend, Buf } from '../kernels/index.js';
import { referenceBackend } from '../kernels/index.js';
import { UnrollError, badOption } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { checkOptions, is, type Spec } from '../util/options.js';
import { createCell, normalizeCellOptions, type CellKind, type CellOptions } from './cells.js';
import { RecurrentLayer } from './layer.js';
import { Network } from './model.js';
import { ParamStore } from './params.js';
import { packInputs, toSequenceSet, type SequenceInput, type SequenceSet } from './sequences.js';
import { Stream, type StreamState } from './streaming.js';

/** The default options of backwardEncoder (one shared object). */
const NO_OPTIONS: { inputGradient?: boolean } = Object.freeze({});

export interface EncoderDecoderOptions {
  /** Features per input step (D). */
  inputSize: number;
  /** Numbers per output step (O); the decoder also reads the previous output, so its input is O wide. */
  outputSize: number;
  /** Units per layer, the same in encoder and decoder (the state is handed over). */
  hiddenSize: number;
  /** 'elman', 'lstm' or 'gru'. @default 'lstm' */
  cell?: CellKind;
  /** Layers in encoder and in decoder. @default 1 */
  numLayers?: number;
  /** For 'elman'. @default 'tanh' */
  activation?: Activation;
  /** Options of the cell, for encoder and decoder alike (e.g. `{ resetAfter: false }` for 'gru'). @default {} */
  cellOptions?: CellOptions;
  /** @default 42 */
  seed?: number;
  /** @default the float64 reference backend */
  backend?: Backend;
}

/** The options with every default filled in (what is saved with a model). */
export type EncoderDecoderConfig = Required<Omit<EncoderDecoderOptions, 'backend'>>;

const SEQ2SEQ_CELLS: CellKind[] = ['elman', 'lstm', 'gru'];
const OPTION_SPEC: Spec = {
  inputSize: is.positiveInt, outputSize: is.positiveInt, hiddenSize: is.positiveInt, cell: is.any, numLayers: is.positiveInt,
  activation: is.any, cellOptions: is.object, seed: is.number, backend: is.object,
};

export class EncoderDecoder {
  readonly backend: Backend;
  readonly config: EncoderDecoderConfig;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly encoderStore = new ParamStore();
  readonly encoder: RecurrentLayer[] = [];
  /** The decoder is a many-to-many network whose layers start from the encoder's final states. */
  readonly decoder: Network;
  private x: Buf;
  private lengths = new Int32Array(0);
  private dIn: Buf[] = [];
  private cap = 0;
  private batch = 0;
  private steps = 0;

  constructor(options: EncoderDecoderOptions) {
    if (!options || typeof options !== 'object') throw new UnrollError('Seq2Seq: expected an options object such as { inputSize: 1, outputSize: 1, hiddenSize: 16 }', 'option');
    checkOptions(options, OPTION_SPEC, { where: 'Seq2Seq', cannot: {
      dropout: 'an encoder-decoder has no dropout', bidirectional: 'the decoder runs forward in time, one output after another',
      outputMode: 'an encoder-decoder outputs a sequence', learnInitialState: "the decoder starts from the encoder's final state" } });
    const cell = options.cell ?? 'lstm';
    if (!SEQ2SEQ_CELLS.includes(cell)) badOption('cell', cell, `one of ${SEQ2SEQ_CELLS.join(', ')} for an encoder-decoder`);
    const L = options.numLayers ?? 1;
    if (!Number.isInteger(L) || L < 1) badOption('numLayers', options.numLayers, 'a positive integer');
    for (const name of ['inputSize', 'outputSize', 'hiddenSize'] as const) {
      const v = options[name];
      if (!Number.isInteger(v) || v < 1) badOption(name, v, 'a positive integer');
    }
    const seed = options.seed ?? 42;
    if (typeof seed !== 'number' || !Number.isFinite(seed)) badOption('seed', options.seed, 'a finite number');
    if (cell !== 'elman' && options.activation !== undefined && options.activation !== 'tanh') {
      badOption('activation', options.activation, `'tanh' or nothing for cell '${cell}' (its activations are fixed; the option is for 'elman')`);
    }
    const cellOptions = normalizeCellOptions(cell, options.cellOptions);
    this.config = { inputSize: options.inputSize, outputSize: options.outputSize, hiddenSize: options.hiddenSize, cell, numLayers: L,
      activation: options.activation ?? 'tanh', cellOptions, seed };
    this.backend = options.backend ?? referenceBackend();
    this.inputSize = options.inputSize;
    this.outputSize = options.outputSize;
    const { activation } = this.config;
    for (let l = 0; l < L; l++) {
      const c = createCell(cell, this.backend, this.encoderStore, { inputSize: l === 0 ? options.inputSize : options.hiddenSize, hiddenSize: options.hiddenSize, activation, cellOptions, suffix: `_l${l}` });
      this.encoder.push(new RecurrentLayer(c, this.encoderStore, { suffix: `_l${l}` }));
    }
    this.encoderStore.allocate(this.backend, new Rng(seed + 1));
    this.decoder = new Network({ cell, inputSize: options.outputSize, hiddenSize: options.hiddenSize, outputSize: options.outputSize, numLayers: L,
      activation, cellOptions, outputMode: 'sequence', seed, backend: this.backend });
    this.x = this.backend.alloc(0);
    this.dx = this.backend.alloc(0);
  }

  private get decoderLayers(): RecurrentLayer[] {
    return this.decoder.layers as RecurrentLayer[];
  }

  private plan(batch: number, steps: number): void {
    for (const layer of this.encoder) layer.plan(batch, steps);
    if (batch * steps <= this.cap && this.lengths.length >= batch) return;
    const k = this.backend;
    this.cap = Math.max(this.cap, batch * steps);
    this.x = k.alloc(this.cap * this.inputSize);
    this.lengths = new Int32Array(Math.max(batch, this.lengths.length));
    this.dIn = this.encoder.map((layer) => k.alloc(this.cap * layer.outputSize));
  }

  /** Runs the encoder on samples `indices[from .. from+B)` and hands its final states to the decoder. */
  encode(set: SequenceSet, indices: ArrayLike<number>, from: number, batch: number): void {
    this.plan(batch, set.maxSteps);
    this.batch = batch;
    this.steps = packInputs(set, indices, from, batch, this.x, this.lengths);
    let src: Buf = this.x, off = 0, ld = this.inputSize;
    for (const layer of this.encoder) {
      layer.forward(batch, this.steps, this.lengths, src, off, ld);
      src = layer.out; off = layer.seqOffset; ld = layer.seqLd;
    }
    this.decoderLayers.forEach((d, l) => { d.initial = { buf: this.encoder[l].lastBuf, offset: this.encoder[l].finalStateOffset(0) }; });
  }

  /** dL/d(encoder inputs) of the last backwardEncoder({ inputGradient: true }), time-major [T·B, D]. */
  dx: Buf;

  /**
   * After the decoder's backward pass: BPTT from the hand-over back through the encoder (weight
   * gradients added to encoderStore.grads; with `inputGradient`, dL/dx written to `dx`).
   */
  backwardEncoder(options: { inputGradient?: boolean } = NO_OPTIONS): void {
    // The training loop calls it with no options: nothing to check, nothing allocated.
    if (options !== NO_OPTIONS) checkOptions(options, { inputGradient: is.boolean }, { where: 'backwardEncoder' });
    const k = this.backend;
    const { batch: B, steps: T } = this;
    const L = this.encoder.length;
    const wantDx = options.inputGradient ?? false;
    if (wantDx) {
      if (this.dx.length < T * B * this.inputSize) this.dx = k.alloc(this.cap * this.inputSize);
      k.fill(T * B * this.inputSize, 0, this.dx, 0);
    }
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.encoder[l];
      const dHandOver = this.decoderLayers[l].dInitial;
      const below = l > 0 ? this.encoder[l - 1] : null;
      if (below) k.fill(T * B * below.outputSize, 0, this.dIn[l - 1], 0);
      layer.backward(l < L - 1 ? this.dIn[l] : null, 0, layer.outputSize, null, 0, 0,
        below ? below.out : this.x, below ? below.seqOffset : 0, below ? below.seqLd : this.inputSize,
        below ? this.dIn[l - 1] : wantDx ? this.dx : null, 0, below ? below.outputSize : this.inputSize, dHandOver);
    }
  }

  /** Lets the decoder start from its own initial state again. */
  release(): void {
    for (const d of this.decoderLayers) d.initial = null;
  }

  /** Free-running inference: reads each input sequence and writes `steps` outputs, each fed back as the next decoder input. */
  predict(x: SequenceInput, options: { steps: number }): number[][][] {
    checkOptions(options, { steps: is.positiveInt }, { where: 'Seq2Seq.predict' }, false);
    const steps = options?.steps;
    if (!Number.isInteger(steps) || steps < 1) badOption('steps', steps, 'a positive integer (output steps to generate)');
    const set = toSequenceSet(x, this.inputSize, 'x');
    const stream = new Stream(this.decoder, 'the decoder');
    const out: number[][][] = [];
    for (let n = 0; n < set.count; n++) {
      this.encode(set, [n], 0, 1);
      let state: StreamState = { batch: 1, layers: this.encoder.map((e) => Array.from(e.lastBuf.subarray(e.finalStateOffset(0), e.finalStateOffset(0) + e.cell.stateSize))) };
      this.release();
      let input = new Array(this.outputSize).fill(0);
      const ys: number[][] = [];
      for (let t = 0; t < steps; t++) {
        const [y, next] = stream.step(input, state);
        ys.push(y as number[]);
        input = y as number[];
        state = next;
      }
      out.push(ys);
    }
    return out;
  }

  /** Teacher-forced decoder inputs: y_{t−1} at step t, zeros at t = 0. */
  static teacherInputs(y: number[][][]): number[][][] {
    return y.map((seq) => seq.map((_, t) => (t === 0 ? seq[0].map(() => 0) : [...seq[t - 1]])));
  }

  getWeights(): Record<string, { shape: number[]; data: number[] }> {
    const out: Record<string, { shape: number[]; data: number[] }> = {};
    for (const [k, v] of Object.entries(this.encoderStore.getWeights())) out[`encoder.${k}`] = v;
    for (const [k, v] of Object.entries(this.decoder.getWeights())) out[`decoder.${k}`] = v;
    return out;
  }

  setWeights(weights: Record<string, unknown>): void {
    if (!weights || typeof weights !== 'object') throw new UnrollError('setWeights: expected an object of named weights', 'weights');
    const enc: Record<string, unknown> = {};
    const dec: Record<string, unknown> = {};
    const known = Object.keys(this.getWeights());
    for (const [k, v] of Object.entries(weights)) {
      if (k.startsWith('encoder.')) enc[k.slice(8)] = v;
      else if (k.startsWith('decoder.')) dec[k.slice(8)] = v;
      else throw new UnrollError(`setWeights: parameter "${k}" must start with "encoder." or "decoder."`, 'weights');
      if (!known.includes(k)) throw new UnrollError(`setWeights: unknown parameter "${k}"; this model has: ${known.join(', ')}`, 'weights');
    }
    this.encoderStore.setWeights(enc);
    this.decoder.setWeights(dec);
  }

  summary(): string {
    const enc = this.encoder.map((l, i) => `encoder ${l.kind} l${i}  [N, T_x, ${l.outputSize}]`);
    return [...enc, '  ↓ final states start the decoder', this.decoder.summary().replace(/^/gm, 'decoder ')].join('\n') +
      `\nTotal parameters: ${this.encoderStore.count + this.decoder.parameterCount} (encoder-decoder, teacher forcing in training, free running at inference)`;
  }
}
