/**
 * `RNN`: the model class users meet. It is the `Network` of nn/ plus training (`fit`,
 * `evaluate`) and a versioned JSON format (`toJSON` / `RNN.fromJSON`). Saving to and loading from
 * files is in `io.ts` (Node only), so this module also runs in the browser.
 *
 * The model file format ("unroll-model", version 1):
 *   { format, version, class?, config, weights, extra? }
 * `class` names the class that wrote the file ('RNN', 'LSTM', 'GRU', 'SimpleRNN', 'Jordan',
 * 'ElmanContext', 'TimeDelay', 'NARX' or 'Seq2Seq'); `fromJSON` rebuilds that class, so a reloaded
 * NARX still has `forecast`. Files without `class` (written before it existed) load as 'RNN'.
 * Version policy: additions that old files simply lack (like `class`) keep version 1; MODEL_VERSION
 * is bumped only when a change makes files of the previous version unreadable as they are, and
 * the reader then keeps reading every older version.
 */
import { NETWORK_OPTION_SPEC, Network, normalizeOptions, type NetworkConfig, type NetworkOptions } from '../nn/model.js';
import { checkOptions, is, type Rule, type Spec } from '../util/options.js';
import type { SequenceInput, TargetInput } from '../nn/sequences.js';
import type { CellOptions, Feedback, TrainingMode } from '../nn/cells.js';
import type { RecurrentLayer } from '../nn/layer.js';
import type { NARXCell } from '../nn/narx.js';
import { EncoderDecoder, type EncoderDecoderConfig } from '../nn/seq2seq.js';
import { toSequenceSet } from '../nn/sequences.js';
import { Stream, type StreamState } from '../nn/streaming.js';
import { UnrollError, badOption, describe, inFile } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { createOptimizer, type OptimizerOptions } from './optimizers.js';
import { Trainer } from './trainer.js';
import { forwardStates, gradients, type ForwardStates, type ForwardStatesOptions, type GradientOptions, type GradientResult } from './gradients.js';
import { LossAverage, checkFitOptions, dataHash, evaluate, fit, splitPoint, subset, toTargetSet, trainLoop, type FitOptions, type History } from './fit.js';
import type { SequenceSet } from '../nn/sequences.js';
import type { TargetSet } from './trainer.js';
import type { TrainerOptions } from './trainer.js';

export const MODEL_FORMAT = 'unroll-model';
export const MODEL_VERSION = 1;

/** The classes a model file can name. */
export const MODEL_CLASSES = ['RNN', 'LSTM', 'GRU', 'SimpleRNN', 'Jordan', 'ElmanContext', 'TimeDelay', 'NARX', 'Seq2Seq'] as const;
export type ModelClass = typeof MODEL_CLASSES[number];

export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  /** The class that wrote the file. @default 'RNN' (files written before the field existed) */
  class?: ModelClass;
  config: NetworkConfig;
  weights: Record<string, { shape: number[]; data: number[] }>;
  /** Anything a higher layer stores with the model (scalers, feature settings, …). */
  extra?: Record<string, unknown>;
}

/** A Seq2Seq model file: the same envelope, with the encoder-decoder's config. */
export interface Seq2SeqJSON extends Omit<ModelJSON, 'config' | 'class'> {
  class: 'Seq2Seq';
  config: EncoderDecoderConfig;
}

/** Options of the JSON readers. */
export interface FromJSONOptions {
  /** Names the file in error messages. */
  source?: string;
  /** Where the model sits inside a larger file (e.g. 'model' in a forecaster file), so messages give a field's whole path. */
  section?: string;
  /** Kernel backend of the rebuilt model. @default the float64 reference backend */
  backend?: NetworkOptions['backend'];
}

/** The path of a field inside a file, below `section` when the model sits inside a larger file. */
function fieldPath(section: string | undefined, field: string): string {
  return section ? `${section}.${field}` : field;
}

/** The options of the JSON readers (fromJSON, loadModel). */
export const FROM_JSON_SPEC: Spec = { source: is.string, section: is.string, backend: is.object };

/** Checks the envelope of a model file and returns it with its class (absent → 'RNN'). */
function readEnvelope(json: unknown, where: string): { j: Partial<ModelJSON>; cls: ModelClass } {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new UnrollError(`${where}: expected a JSON object written by unroll`, 'model-file');
  const j = json as Partial<ModelJSON>;
  if (j.format !== MODEL_FORMAT) throw new UnrollError(`${where}: not an unroll model (format is ${describe(j.format)}, expected "${MODEL_FORMAT}")`, 'model-file');
  if (j.version !== MODEL_VERSION) {
    throw new UnrollError(`${where}: format version ${describe(j.version)} is not supported; this unroll reads version ${MODEL_VERSION}`, 'model-file');
  }
  const cls = (j.class ?? 'RNN') as ModelClass;
  if (!MODEL_CLASSES.includes(cls)) {
    throw new UnrollError(`${where}: unknown model class ${describe(j.class)}; this unroll knows ${MODEL_CLASSES.join(', ')} (was the file written by a newer unroll?)`, 'model-file');
  }
  if (!j.config || typeof j.config !== 'object') throw new UnrollError(`${where}: the "config" section is missing`, 'model-file');
  if (!j.weights || typeof j.weights !== 'object') throw new UnrollError(`${where}: the "weights" section is missing`, 'model-file');
  if (j.extra !== undefined && (!j.extra || typeof j.extra !== 'object' || Array.isArray(j.extra))) throw new UnrollError(`${where}: the "extra" section must be an object`, 'model-file');
  return { j, cls };
}


/** Structural equality of JSON-like values (object key order ignored). */
function sameJSON(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJSON((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export type RNNOptions = NetworkOptions;

export class RNN extends Network {
  /** Free-form metadata saved with the model (e.g. the forecaster's scalers). */
  extra: Record<string, unknown> = {};

  fit(x: SequenceInput, y: TargetInput, options: FitOptions = {}): History {
    // Dropout is switched on for each training step by Trainer.step, and off for validation.
    return fit(this, x, y, options);
  }

  /**
   * Runs the model on sequences (see Network.predict). `batchSize` (@default 256) only sets how
   * many sequences run at once; it must be a positive integer.
   */
  override predict(x: SequenceInput, options: { batchSize?: number } = {}): number[][] | number[][][] {
    return super.predict(x, options);
  }

  /**
   * One forward and BPTT pass over a batch: the loss, ∂L/∂θ by PyTorch name and ∂L/∂x, from targets
   * and a loss or from ∂L/∂y (see train/gradients.ts). The weights do not change.
   */
  gradients(x: SequenceInput, options: GradientOptions): GradientResult {
    return gradients(this, x, options);
  }

  /** Per-step outputs of the recurrent stack and final states by layer and direction, like PyTorch's (output, h_n) / (output, (h_n, c_n)). */
  forwardStates(x: SequenceInput, options: ForwardStatesOptions = {}): ForwardStates {
    return forwardStates(this, x, options);
  }

  private stream: Stream | null = null;

  /**
   * Streaming: one step for one input vector (or B of them), from `state` (default: the initial
   * state) → [output, new state]. Equals running the whole sequence at once. Not for bidirectional models.
   */
  step(x: number[] | number[][], state?: StreamState): [number[] | number[][], StreamState] {
    this.stream ??= new Stream(this);
    return this.stream.step(x, state);
  }

  evaluate(x: SequenceInput, y: TargetInput, options: TrainerOptions & { batchSize?: number } = {}): number {
    return evaluate(this, x, y, options);
  }

  /** The class name written to model files; each preset class sets its own. */
  static readonly modelClass: ModelClass = 'RNN';

  toJSON(): ModelJSON {
    const cls = (this.constructor as typeof RNN).modelClass;
    return { format: MODEL_FORMAT, version: MODEL_VERSION, class: cls, config: { ...this.config }, weights: this.getWeights(), extra: this.extra };
  }

  /**
   * Rebuilds a model from `toJSON()` output, as the class the file names (a NARX file gives a
   * NARX, with `forecast`). Called on a preset class (`NARX.fromJSON`), the file must hold that
   * class. `source` names the file in error messages.
   */
  static fromJSON<T extends RNN>(this: abstract new (...args: never[]) => T, json: unknown, options: FromJSONOptions = {}): T {
    checkOptions(options, FROM_JSON_SPEC, { where: 'fromJSON' });
    const where = options.source ? `model file ${options.source}` : 'model JSON';
    const { j, cls } = readEnvelope(json, where);
    if (cls === 'Seq2Seq') throw new UnrollError(`${where}: holds a model of class Seq2Seq (an encoder-decoder); load it with Seq2Seq.fromJSON`, 'model-file');
    const model = inFile(where, () => {
      // Files written before `activation` was refused for LSTM/GRU cells may hold one; it never had an effect.
      const raw = j.config as NetworkConfig;
      const config: NetworkConfig = raw && (raw.cell === 'lstm' || raw.cell === 'gru') && raw.activation !== undefined && raw.activation !== 'tanh'
        ? { ...raw, activation: 'tanh' } : raw;
      const cell = CLASS_CELL[cls];
      if (cell && (config.cell ?? 'elman') !== cell) {
        throw new UnrollError(`option "cell" is ${describe(config.cell)}, but class ${cls} has "${cell}"; the config does not fit the class`, 'model-file');
      }
      const saved = normalizeOptions(config, cls);
      const m = REBUILD[cls](config, options.backend);
      for (const key of Object.keys(saved) as (keyof NetworkConfig)[]) {
        if (!sameJSON(saved[key], m.config[key])) {
          throw new UnrollError(`option "${key}" is ${describe(config[key])}, but class ${cls} has ${describe(m.config[key])}; the config does not fit the class`, 'model-file');
        }
      }
      m.setWeights(j.weights as Record<string, unknown>);
      return m;
    }, fieldPath(options.section, 'config'));
    if (!(model instanceof this)) {
      throw new UnrollError(`${where}: holds a model of class ${cls}, not ${(this as unknown as typeof RNN).modelClass}; load it with ${cls}.fromJSON or RNN.fromJSON`, 'model-file');
    }
    model.extra = { ...(j.extra ?? {}) };
    return model;
  }
}

/** Options of the preset classes: everything of RNNOptions except the cell, which the class fixes. */
export type PresetOptions = Omit<RNNOptions, 'cell'>;

/** An LSTM network (PyTorch nn.LSTM cell, gates i, f, g, o) with a dense head: `new LSTM({ inputSize, hiddenSize })`. */
export class LSTM extends RNN {
  static override readonly modelClass: ModelClass = 'LSTM';

  constructor(options: PresetOptions) {
    super({ ...presetOptions(options, 'LSTM'), cell: 'lstm' });
  }
}

/** A GRU network (PyTorch nn.GRU cell, gates r, z, n) with a dense head: `new GRU({ inputSize, hiddenSize })`. */
export class GRU extends RNN {
  static override readonly modelClass: ModelClass = 'GRU';

  constructor(options: PresetOptions) {
    super({ ...presetOptions(options, 'GRU'), cell: 'gru' });
  }
}

/** An Elman (vanilla, PyTorch nn.RNN / Keras SimpleRNN) network with a dense head. */
export class SimpleRNN extends RNN {
  static override readonly modelClass: ModelClass = 'SimpleRNN';

  constructor(options: PresetOptions) {
    super({ ...presetOptions(options, 'SimpleRNN'), cell: 'elman' });
  }
}

function presetOptions(options: PresetOptions, cls: string): PresetOptions {
  if (!options || typeof options !== 'object') throw new UnrollError(`${cls}: expected an options object such as { inputSize: 1, hiddenSize: 8 }`, 'option');
  if ('cell' in options) throw new UnrollError(`${cls}: option "cell" is fixed by the class; use new RNN({ cell: ... }) to choose a cell`, 'option');
  if ((cls === 'LSTM' || cls === 'GRU') && options.activation !== undefined && options.activation !== 'tanh') {
    badOption('activation', options.activation, `'tanh' or nothing: the ${cls} cell's activations are fixed (sigmoid gates, tanh candidate)`);
  }
  return options;
}

/** Options shared by the single-layer presets whose cell options are spelled out. */
type CellPresetBase = Omit<RNNOptions, 'cell' | 'cellOptions'>;

/** Keeps only the given (defined) entries, so unset options fall to their documented defaults. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface JordanOptions extends Omit<CellPresetBase, 'numLayers' | 'bidirectional' | 'mergeMode' | 'dropout' | 'inputToEveryLayer' | 'everyLayerToHead' | 'residual'> {
  /** Memory decay: m_t = α·m_{t−1} + (1−α)·y_{t−1}, in [0, 1). @default 0.5 */
  alpha?: number;
  /** 'bptt' (full BPTT) or 'seed' (no gradient through the memory link). @default 'bptt' */
  trainingMode?: TrainingMode;
  /** The same cell options in RNN's form (`{ alpha, trainingMode }`); merged with the flat ones, which must agree. */
  cellOptions?: Pick<CellOptions, 'alpha' | 'trainingMode'>;
}

/** A Jordan network: the memory unit averages past outputs; no separate head (see nn/jordan.ts). */
export class Jordan extends RNN {
  static override readonly modelClass: ModelClass = 'Jordan';

  constructor(options: JordanOptions) {
    super(cellPreset('Jordan', 'jordan', options, ['alpha', 'trainingMode'], SINGLE_LAYER_CANNOT('its own output layer is the model\'s output, fed back through the memory')));
  }
}

export interface ElmanContextOptions extends CellPresetBase {
  /** 'bptt' (= the state-space RNN) or 'seed' (1-step history, no gradient through the copy link). @default 'seed' */
  trainingMode?: TrainingMode;
  /** The same option in RNN's form (`{ trainingMode }`). */
  cellOptions?: Pick<CellOptions, 'trainingMode'>;
}

/** An Elman context network (context units = previous hidden values; see nn/context.ts). Defaults to the seed's training. */
export class ElmanContext extends RNN {
  static override readonly modelClass: ModelClass = 'ElmanContext';

  constructor(options: ElmanContextOptions) {
    const o = cellPreset('ElmanContext', 'context', options, ['trainingMode'], {});
    super({ ...o, cellOptions: { trainingMode: 'seed', ...o.cellOptions } });
  }
}

export interface TimeDelayOptions extends CellPresetBase {
  /** N, the inputs x_t … x_{t−N+1} in the sliding window. @default 3 */
  window?: number;
  /** The same option in RNN's form (`{ window }`). */
  cellOptions?: Pick<CellOptions, 'window'>;
}

/** A time-delay (sliding-window, finite-response) network (see nn/tdnn.ts). */
export class TimeDelay extends RNN {
  static override readonly modelClass: ModelClass = 'TimeDelay';

  constructor(options: TimeDelayOptions) {
    super(cellPreset('TimeDelay', 'tdnn', options, ['window'], {}));
  }
}

/** What a single-layer preset whose cell makes the outputs cannot honour. */
const SINGLE_LAYER_CANNOT = (why: string): Record<string, string> => ({
  numLayers: `the class has one recurrent layer (${why})`,
  bidirectional: `the class runs forward only (${why})`,
  mergeMode: 'the class is not bidirectional',
  dropout: 'dropout acts between stacked layers and the class has one layer',
  inputToEveryLayer: 'the class has one layer',
  everyLayerToHead: 'the class has no separate head',
  residual: 'a residual connection adds a layer\'s input from the layer below and the class has one layer',
});

/**
 * The options of a preset whose cell has options of its own (Jordan, ElmanContext, TimeDelay): the
 * cell options may be given flat (`{ alpha: 0.3 }`) or in the `cellOptions` form of RNN
 * (`{ cellOptions: { alpha: 0.3 } }`); both are merged, and a value given both ways must agree.
 */
function cellPreset(cls: string, cell: NetworkConfig['cell'], options: object, flat: string[], cannot: Record<string, string>): RNNOptions {
  if (!options || typeof options !== 'object') throw new UnrollError(`${cls}: expected an options object such as { inputSize: 1, hiddenSize: 8 }`, 'option');
  const spec: Record<string, Rule> = { ...NETWORK_OPTION_SPEC };
  delete spec.cell;
  for (const key of Object.keys(cannot)) delete spec[key];
  for (const key of flat) spec[key] = is.any;
  // A value the class has anyway (such as numLayers: 1 in a saved config) is no request it must refuse.
  const asIs: Record<string, unknown> = { numLayers: 1, bidirectional: false, mergeMode: 'concat', dropout: 0, inputToEveryLayer: false, everyLayerToHead: false, residual: 0, cell };
  const given0 = Object.fromEntries(Object.entries(options).filter(([k, v]) => !(k in asIs && asIs[k] === v)));
  const o = checkOptions<Record<string, unknown>>(given0, spec, { where: cls, cannot: { ...cannot, cell: `the class fixes cell '${cell}'; use new RNN({ cell: ... }) to choose a cell` } });
  const rest: Record<string, unknown> = {};
  const fromFlat: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (flat.includes(key)) fromFlat[key] = v;
    else if (key !== 'cellOptions') rest[key] = v;
  }
  const given = (o.cellOptions ?? {}) as Record<string, unknown>;
  for (const [key, v] of Object.entries(fromFlat)) {
    if (given[key] !== undefined && given[key] !== v) badOption(key, v, `the same value as cellOptions.${key} (${JSON.stringify(given[key])}), or only one of the two`);
  }
  return { ...rest, cell, cellOptions: { ...given, ...fromFlat } } as unknown as RNNOptions;
}

export interface NARXOptions {
  /** E, exogenous inputs per step (0 for a purely autoregressive model). @default 0 */
  exogenousSize?: number;
  /** O, outputs per step (the fed-back series). @default 1 */
  outputSize?: number;
  /** Units of the hidden layer. */
  hiddenSize: number;
  /** L, past exogenous inputs x_{t−1} … x_{t−L} seen besides x_t. @default 2 */
  inputDelays?: number;
  /** K, past outputs y_{t−1} … y_{t−K} fed back. @default 2 */
  outputDelays?: number;
  /** 'open' (teacher forcing: true past outputs fed back) or 'closed' (own outputs, BPTT through them). @default 'open' */
  training?: Feedback;
  /** @default 'tanh' */
  activation?: RNNOptions['activation'];
  /** Learn the delay lines' contents before the first step. @default false */
  learnInitialState?: boolean;
  /** @default 42 */
  seed?: number;
  backend?: RNNOptions['backend'];
}

const NARX_SPEC: Spec = {
  exogenousSize: is.nonNegativeInt, outputSize: is.positiveInt, hiddenSize: is.positiveInt, inputDelays: is.nonNegativeInt, outputDelays: is.nonNegativeInt,
  training: is.oneOf('open', 'closed'), activation: is.any, learnInitialState: is.boolean, seed: is.number, backend: is.object,
};

/**
 * A NARX network: y_t = f(x_t … x_{t−L}, y_{t−1} … y_{t−K}) (see nn/narx.ts). `fit(x, y)` trains
 * open- or closed-loop on exogenous sequences x (N × T × E; `null` when E = 0) and per-step
 * targets y; `forecast` runs closed-loop from a history.
 */
export class NARX extends RNN {
  static override readonly modelClass: ModelClass = 'NARX';
  readonly exogenousSize: number;
  readonly trainingLoop: Feedback;

  constructor(options: NARXOptions) {
    if (!options || typeof options !== 'object') throw new UnrollError('NARX: expected an options object such as { hiddenSize: 8, outputDelays: 3 }', 'option');
    checkOptions(options, NARX_SPEC, { where: 'NARX', cannot: {
      ...SINGLE_LAYER_CANNOT('its outputs feed back into its one hidden layer'),
      inputSize: 'the input is x_t and the fed-back outputs; give exogenousSize (E) and outputSize (O)',
      embedding: 'its input holds the fed-back outputs, which are not token ids',
      outputMode: 'a NARX network outputs at every step',
      cell: "the class fixes cell 'narx'",
      cellOptions: 'give inputDelays, outputDelays and training directly',
    } });
    const E = options.exogenousSize ?? 0;
    if (!Number.isInteger(E) || E < 0) badOption('exogenousSize', options.exogenousSize, 'a non-negative integer');
    const O = options.outputSize ?? 1;
    if (!Number.isInteger(O) || O < 1) badOption('outputSize', options.outputSize, 'a positive integer');
    const training = options.training ?? 'open';
    if (training !== 'open' && training !== 'closed') badOption('training', training, "'open' (teacher forcing) or 'closed' (own outputs fed back)");
    super(defined({
      inputSize: E + O, hiddenSize: options.hiddenSize, outputSize: O, outputMode: 'sequence' as const, cell: 'narx' as const,
      cellOptions: defined({ inputDelays: options.inputDelays, outputDelays: options.outputDelays, feedback: training, exogenousSize: E }),
      activation: options.activation, learnInitialState: options.learnInitialState, seed: options.seed, backend: options.backend,
    }));
    this.exogenousSize = E;
    this.trainingLoop = training;
  }

  private get cell(): NARXCell {
    return (this.layers[0] as RecurrentLayer).cell as NARXCell;
  }

  /** Input rows [x_t ‖ y_{t−1}] (y_{−1} = 0) from exogenous sequences and per-step outputs. */
  private rows(x: number[][][] | null, y: number[][][], what: string): number[][][] {
    const E = this.exogenousSize;
    const O = this.outputSize;
    if (!Array.isArray(y) || y.length === 0) throw new UnrollError(`${what}: y must be a non-empty array of per-step output sequences`, 'shape');
    if (E > 0 && (!Array.isArray(x) || x.length !== y.length)) throw new UnrollError(`${what}: x must hold ${y.length} exogenous sequences (exogenousSize = ${E}), one per y sequence`, 'shape');
    if (E === 0 && x !== null && x !== undefined) throw new UnrollError(`${what}: x must be null when exogenousSize is 0`, 'shape');
    return y.map((seq, n) => {
      if (E > 0 && (!Array.isArray(x![n]) || x![n].length !== seq.length)) throw new UnrollError(`${what}: x[${n}] has ${Array.isArray(x![n]) ? x![n].length : 0} steps but y[${n}] has ${seq.length}`, 'shape');
      return seq.map((yt, t) => {
        const xt = E > 0 ? x![n][t] : [];
        if (!Array.isArray(xt) || xt.length !== E) throw new UnrollError(`${what}: x[${n}][${t}] must hold ${E} numbers`, 'shape');
        if (!Array.isArray(yt) || yt.length !== O) throw new UnrollError(`${what}: y[${n}][${t}] must hold ${O} numbers`, 'shape');
        finiteRow(xt, `${what}: x[${n}][${t}]`);
        finiteRow(yt, `${what}: y[${n}][${t}]`);
        return [...xt, ...(t > 0 ? seq[t - 1] : new Array(O).fill(0))];
      });
    });
  }

  /**
   * Trains on exogenous sequences `x` (null when exogenousSize = 0) and per-step targets `y`
   * (N × T × O, or N × T when O = 1): open loop feeds back the true y_{t−1}, closed loop the own output.
   */
  override fit(x: SequenceInput | null, y: TargetInput, options: FitOptions = {}): History {
    const ys = NARXperStep(y as number[][] | number[][][]);
    const rows = this.rows(x as number[][][] | null, ys, 'NARX.fit');
    this.cell.feedback = this.trainingLoop;
    return super.fit(rows, ys, options);
  }

  /**
   * Closed-loop multi-step forecasting: reads the history (true outputs `y`, and exogenous `x` when
   * E > 0) open-loop, then predicts `steps` outputs, each fed back for the next (`futureX` gives the
   * exogenous inputs of the future steps when E > 0). Returns steps × O.
   */
  forecast(options: { y: number[][] | number[]; x?: number[][]; futureX?: number[][]; steps: number }): number[][] {
    checkOptions(options, { y: is.array, x: is.array, futureX: is.array, steps: is.positiveInt }, { where: 'NARX.forecast' }, false);
    const { steps } = options;
    if (!Number.isInteger(steps) || steps < 1) badOption('steps', steps, 'a positive integer');
    const E = this.exogenousSize;
    const O = this.outputSize;
    const hist = NARXperStep([options.y as number[][]])[0];
    if (hist.length < 1) badOption('y', options.y, 'a history of at least 1 step');
    if (E > 0 && (!Array.isArray(options.futureX) || options.futureX.length !== steps)) badOption('futureX', options.futureX, `${steps} rows of ${E} exogenous inputs (one per forecast step)`);
    if (E === 0 && options.futureX !== undefined) badOption('futureX', options.futureX, 'nothing when exogenousSize is 0');
    options.futureX?.forEach((row, t) => {
      if (!Array.isArray(row) || row.length !== E) throw new UnrollError(`NARX.forecast: futureX[${t}] must hold ${E} numbers (exogenousSize)`, 'shape');
      finiteRow(row, `NARX.forecast: futureX[${t}]`);
    });
    const rows = this.rows(E > 0 ? [options.x ?? []] : null, [hist], 'NARX.forecast')[0];
    const stream = new Stream(this, 'NARX forecasting');
    const cell = this.cell;
    const saved = cell.feedback;
    try {
      cell.feedback = 'open';
      let state = stream.initialState(1);
      for (const r of rows) state = stream.step(r, state)[1];
      // The delay line holds true outputs; put the true last output where closed loop reads y_{t−1}.
      hist[hist.length - 1].forEach((v, i) => { state.layers[0][i] = v; });
      cell.feedback = 'closed';
      const out: number[][] = [];
      for (let t = 0; t < steps; t++) {
        const xt = E > 0 ? options.futureX![t] : [];
        const [y, next] = stream.step([...xt, ...new Array(O).fill(0)], state);
        out.push(y as number[]);
        state = next;
      }
      return out;
    } finally {
      cell.feedback = saved;
    }
  }
}

/** Everything of a saved config but the cell and its options, for the preset constructors. */
function presetPart(c: NetworkConfig, backend: NetworkOptions['backend']): Omit<NetworkConfig, 'cell' | 'cellOptions'> & { backend?: NetworkOptions['backend'] } {
  const { cell: _cell, cellOptions: _co, ...rest } = c;
  return backend ? { ...rest, backend } : rest;
}

/** The cell each preset class fixes. */
const CLASS_CELL: Partial<Record<ModelClass, NetworkConfig['cell']>> = {
  LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'elman', Jordan: 'jordan', ElmanContext: 'context', TimeDelay: 'tdnn', NARX: 'narx',
};

/** How each class is rebuilt from a saved (not yet normalised) config. */
const REBUILD: Record<Exclude<ModelClass, 'Seq2Seq'>, (c: NetworkConfig, backend: NetworkOptions['backend']) => RNN> = {
  RNN: (c, backend) => new RNN(backend ? { ...c, backend } : c),
  LSTM: (c, backend) => new LSTM({ ...presetPart(c, backend), cellOptions: c.cellOptions }),
  GRU: (c, backend) => new GRU({ ...presetPart(c, backend), cellOptions: c.cellOptions }),
  SimpleRNN: (c, backend) => new SimpleRNN({ ...presetPart(c, backend), cellOptions: c.cellOptions }),
  Jordan: (c, backend) => new Jordan(defined({ ...presetPart(c, backend), alpha: c.cellOptions?.alpha, trainingMode: c.cellOptions?.trainingMode })),
  ElmanContext: (c, backend) => new ElmanContext(defined({ ...presetPart(c, backend), trainingMode: c.cellOptions?.trainingMode })),
  TimeDelay: (c, backend) => new TimeDelay(defined({ ...presetPart(c, backend), window: c.cellOptions?.window })),
  NARX: (c, backend) => {
    const o = c.cellOptions ?? {};
    return new NARX(defined({
      exogenousSize: o.exogenousSize, outputSize: c.outputSize, hiddenSize: c.hiddenSize, inputDelays: o.inputDelays, outputDelays: o.outputDelays,
      training: o.feedback, activation: c.activation, learnInitialState: c.learnInitialState, seed: c.seed, backend,
    }));
  },
};

/**
 * Options of Seq2Seq.fit: the same training loop as RNN.fit (validation, clipping, early stopping,
 * schedules, callbacks, abort signal), with a regression loss on the output steps.
 */
export interface Seq2SeqFitOptions extends Omit<FitOptions, 'loss' | 'threads' | 'validationData'> {
  /** @default 'mse' */
  loss?: 'mse' | 'ssr';
  /** Explicit validation data: input sequences and their output sequences. */
  validationData?: { x: SequenceInput; y: number[][][] | number[][] };
}

/**
 * Delayed sequence-to-sequence, the encoder-decoder (see nn/seq2seq.ts): `fit(x, y)` with
 * teacher forcing, `predict(x, { steps })` free running.
 */
export class Seq2Seq extends EncoderDecoder {
  /** Free-form metadata saved with the model. */
  extra: Record<string, unknown> = {};

  toJSON(): Seq2SeqJSON {
    return { format: MODEL_FORMAT, version: MODEL_VERSION, class: 'Seq2Seq', config: { ...this.config, cellOptions: { ...this.config.cellOptions } }, weights: this.getWeights(), extra: this.extra };
  }

  /** Rebuilds a Seq2Seq model from `toJSON()` output; `source` names the file in error messages. */
  static fromJSON(json: unknown, options: FromJSONOptions = {}): Seq2Seq {
    checkOptions(options, FROM_JSON_SPEC, { where: 'Seq2Seq.fromJSON' });
    const where = options.source ? `model file ${options.source}` : 'model JSON';
    const { j, cls } = readEnvelope(json, where);
    if (cls !== 'Seq2Seq') throw new UnrollError(`${where}: holds a model of class ${cls}, not Seq2Seq; load it with RNN.fromJSON`, 'model-file');
    const model = inFile(where, () => {
      const m = new Seq2Seq({ ...(j.config as unknown as EncoderDecoderConfig), ...(options.backend ? { backend: options.backend } : {}) });
      m.setWeights(j.weights as Record<string, unknown>);
      return m;
    }, fieldPath(options.section, 'config'));
    model.extra = { ...(j.extra ?? {}) };
    return model;
  }

  /**
   * Trains with teacher forcing through the shared training loop (see train/fit.ts): gradients of
   * encoder and decoder are clipped together, and both are updated by optimizers of the same kind
   * and learning rate. Returns the history, plus `losses` (the epochs' training losses).
   */
  fit(x: SequenceInput, y: number[][][] | number[][], options: Seq2SeqFitOptions = {}): History & { losses: number[] } {
    const o = checkFitOptions(options, 'Seq2Seq.fit', { threads: 'Seq2Seq trains on one thread (no data-parallel workers)' }) as Seq2SeqFitOptions;
    if (o.loss !== undefined && o.loss !== 'mse' && o.loss !== 'ssr') badOption('loss', o.loss, "'mse' or 'ssr' (the outputs are numbers)");
    type Part = { enc: SequenceSet; dec: SequenceSet; targets: TargetSet };
    const data = (xs: SequenceInput, yRaw: number[][][] | number[][], what: string): Part => {
      const enc = toSequenceSet(xs, this.inputSize, what === 'y' ? 'x' : 'validationData.x');
      const ys = NARXperStep(yRaw);
      if (ys.length !== enc.count) throw new UnrollError(`Seq2Seq.fit: got ${ys.length} output sequences for ${enc.count} input sequences (${what})`, 'shape');
      ys.forEach((seq, n) => seq.forEach((step, t) => {
        if (!Array.isArray(step) || step.length !== this.outputSize) throw new UnrollError(`Seq2Seq.fit: ${what}[${n}][${t}] must hold ${this.outputSize} numbers (outputSize)`, 'shape');
      }));
      const dec = toSequenceSet(EncoderDecoder.teacherInputs(ys), this.outputSize, what);
      return { enc, dec, targets: toTargetSet(this.decoder, dec, ys, false, what) };
    };
    let train = data(x, y, 'y');
    let val: Part | null = null;
    if (o.validationData) val = data(o.validationData.x, o.validationData.y, 'validationData.y');
    else if ((o.validationSplit ?? 0) > 0) {
      const all = train;
      const cut = splitPoint(all.enc.count, o.validationSplit!);
      const part = (from: number, to: number): Part => {
        const [dec, targets] = subset(all.dec, all.targets, from, to);
        return { enc: subset(all.enc, all.targets, from, to)[0], dec, targets };
      };
      train = part(0, cut);
      val = part(cut, all.enc.count);
    }
    const trainer = new Trainer(this.decoder, { loss: o.loss ?? 'mse', optimizer: o.optimizer, clip: o.clip });
    const encOpt = createOptimizer(this.backend, this.encoderStore.count, o.optimizer ?? 'adam');
    const k = this.backend;
    const dec = this.decoder.store;
    const enc = this.encoderStore;
    const snapDec = k.alloc(dec.count);
    const snapEnc = k.alloc(enc.count);
    const clip = o.clip ?? {};
    let gradNorm = 0;
    const batchLoss = (set: Part, order: Int32Array, from: number, B: number, backward: boolean): number => {
      this.encode(set.enc, order, from, B);
      try {
        const loss = trainer.evaluateBatch(set.dec, set.targets, order, from, B, backward);
        if (backward) {
          k.fill(enc.count, 0, enc.grads, 0);
          this.backwardEncoder();
        }
        return loss;
      } finally {
        this.release();
      }
    };
    const both = (f: (n: number, store: typeof dec) => void): void => { f(dec.count, dec); f(enc.count, enc); };
    const history = trainLoop({
      trainCount: train.enc.count,
      valCount: val ? val.enc.count : 0,
      optimizers: [trainer.optimizer, encOpt],
      get lastGradNorm() { return gradNorm; },
      trainStep: (order, from, B) => {
        const loss = batchLoss(train, order, from, B, true);
        const sq = k.sumSquares(dec.count, dec.grads, 0) + k.sumSquares(enc.count, enc.grads, 0);
        gradNorm = Math.sqrt(sq);
        if (!Number.isFinite(loss) || !Number.isFinite(sq)) {
          throw new UnrollError(`training diverged: the ${Number.isFinite(loss) ? 'gradient norm' : 'loss'} became non-finite; the last good weights are kept. Try a smaller learningRate or gradient clipping (clip.globalNorm).`, 'diverged');
        }
        if (clip.value !== undefined) both((n, st) => k.clip(n, clip.value!, st.grads, 0));
        if (clip.globalNorm !== undefined) {
          const norm = clip.value !== undefined ? Math.sqrt(k.sumSquares(dec.count, dec.grads, 0) + k.sumSquares(enc.count, enc.grads, 0)) : gradNorm;
          if (norm > clip.globalNorm) both((n, st) => k.scale(n, clip.globalNorm! / norm, st.grads, 0));
        }
        k.copy2d(1, dec.count, dec.values, 0, dec.count, snapDec, 0, dec.count);
        k.copy2d(1, enc.count, enc.values, 0, enc.count, snapEnc, 0, enc.count);
        trainer.optimizer.step(dec.values, dec.grads);
        encOpt.step(enc.values, enc.grads);
        if (!k.allFinite(dec.count, dec.values, 0) || !k.allFinite(enc.count, enc.values, 0)) {
          k.copy2d(1, dec.count, snapDec, 0, dec.count, dec.values, 0, dec.count);
          k.copy2d(1, enc.count, snapEnc, 0, enc.count, enc.values, 0, enc.count);
          throw new UnrollError('training diverged: an update made a weight non-finite; the last good weights are kept. Try a smaller learningRate or gradient clipping.', 'diverged');
        }
        return loss;
      },
      valLoss: (order, from, B) => batchLoss(val!, order, from, B, false),
      average: (part) => new LossAverage((o.loss ?? 'mse') === 'ssr', (part === 'train' ? train : val!).dec.lengths),
      snapshot: () => {
        const w = new Float64Array(dec.count + enc.count);
        w.set(dec.values.subarray(0, dec.count));
        w.set(enc.values.subarray(0, enc.count), dec.count);
        return w;
      },
      restore: (w) => { dec.values.set(w.subarray(0, dec.count)); enc.values.set(w.subarray(dec.count)); },
      close: () => trainer.close(),
      // For checkpoints: what a saved state must match (an encoder-decoder has no dropout to count).
      fingerprint: () => JSON.stringify({
        config: this.config, t: [train.enc.maxSteps, train.dec.maxSteps],
        data: dataHash(train.enc.data, train.enc.lengths, train.dec.data, train.dec.lengths, train.targets.values, val?.enc.data, val?.dec.data, val?.targets.values),
      }),
      lossName: o.loss ?? 'mse',
    }, o as FitOptions);
    return { ...history, losses: history.epochs.map((e) => e.loss) };
  }
}

/** Throws unless every entry of `row` is a finite number. */
function finiteRow(row: unknown[], what: string): void {
  const i = row.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (i >= 0) throw new UnrollError(`${what}[${i}] is ${typeof row[i] === 'number' ? String(row[i]) : JSON.stringify(row[i])}; values must be finite numbers`, 'data');
}

function NARXperStep(y: number[][][] | number[][]): number[][][] {
  if (!Array.isArray(y)) throw new UnrollError('y: expected an array of output sequences', 'shape');
  return (y as unknown[]).map((seq) => (Array.isArray(seq) ? seq : []).map((v: unknown) => (typeof v === 'number' ? [v] : (v as number[])))) as number[][][];
}

/**
 * Rebuilds whatever model a file holds: an RNN (or its preset class) or a Seq2Seq. For readers
 * that accept every kind, such as a generic `loadModel`.
 */
export function modelFromJSON(json: unknown, options: FromJSONOptions = {}): RNN | Seq2Seq {
  const isSeq2Seq = !!json && typeof json === 'object' && (json as { class?: unknown }).class === 'Seq2Seq';
  return isSeq2Seq ? Seq2Seq.fromJSON(json, options) : RNN.fromJSON(json, options);
}
