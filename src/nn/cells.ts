/**
 * Builds a cell from its kind. Each kind lives in its own file with its equations in the header.
 */
import type { Activation, Backend } from '../kernels/index.js';
import { ACTIVATIONS } from '../kernels/index.js';
import { UnrollError, badOption } from '../util/errors.js';
import { checkOptions, is, type Spec } from '../util/options.js';
import type { Cell } from './cell.js';
import { ContextCell } from './context.js';
import { ElmanCell } from './elman.js';
import { GRUCell } from './gru.js';
import { JordanCell } from './jordan.js';
import { LSTMCell } from './lstm.js';
import { NARXCell } from './narx.js';
import type { ParamStore } from './params.js';
import { TimeDelayCell } from './tdnn.js';

/** The recurrent cells that `RNN` can stack. */
export type CellKind = 'elman' | 'lstm' | 'gru' | 'context' | 'jordan' | 'narx' | 'tdnn';
export const CELL_KINDS: readonly CellKind[] = ['elman', 'lstm', 'gru', 'context', 'jordan', 'narx', 'tdnn'];

/** How the memory of a Jordan or Elman-context network is trained. */
export type TrainingMode = 'bptt' | 'seed';
/** Where a NARX network's fed-back outputs come from. */
export type Feedback = 'open' | 'closed';

/** Options that only some cells take (each names the cells it applies to). */
export interface CellOptions {
  /** jordan: decay of the memory m_t = α·m_{t−1} + (1−α)·y_{t−1}, in [0, 1). @default 0.5 */
  alpha?: number;
  /**
   * jordan, context: 'bptt' backpropagates through the memory/context link (full BPTT); 'seed'
   * blocks the gradient there, as the seed describes the original training. @default 'bptt'
   */
  trainingMode?: TrainingMode;
  /** narx: L, the past inputs x_{t−1} … x_{t−L} seen besides x_t. @default 2 */
  inputDelays?: number;
  /** narx: K, the past outputs y_{t−1} … y_{t−K} fed back. @default 2 */
  outputDelays?: number;
  /**
   * narx: 'closed' feeds back the network's own outputs (BPTT through them); 'open' (teacher
   * forcing) feeds back the true past outputs, given as the last outputSize input columns. @default 'closed'
   */
  feedback?: Feedback;
  /** narx: inputs per step that are exogenous (the rest of the input row is the teacher y_{t−1}). @default inputSize − outputSize */
  exogenousSize?: number;
  /** tdnn: N, the inputs x_t … x_{t−N+1} in the sliding window. @default 3 */
  window?: number;
  /**
   * gru: true applies the reset gate after the recurrent product, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
   * (PyTorch; Keras reset_after = True); false applies it before, n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)
   * (Cho et al.'s original; Keras 1 and tfjs-layers' GRU). @default true
   */
  resetAfter?: boolean;
}

const APPLIES: Record<keyof CellOptions, CellKind[]> = {
  alpha: ['jordan'],
  trainingMode: ['jordan', 'context'],
  inputDelays: ['narx'],
  outputDelays: ['narx'],
  feedback: ['narx'],
  exogenousSize: ['narx'],
  window: ['tdnn'],
  resetAfter: ['gru'],
};

/** Types of the cell options; their ranges are checked per cell below. */
const CELL_OPTION_SPEC: Spec = {
  alpha: is.number, trainingMode: is.any, inputDelays: is.any, outputDelays: is.any, feedback: is.any, exogenousSize: is.any, window: is.any, resetAfter: is.any,
};

/** Validates the cell options for `kind` and fills in the defaults of those that apply. */
export function normalizeCellOptions(kind: CellKind, options: CellOptions | undefined): CellOptions {
  const cannot: Record<string, string> = {};
  for (const [key, kinds] of Object.entries(APPLIES)) {
    if (!kinds.includes(kind)) cannot[key] = `it is an option of cell ${kinds.map((k) => `'${k}'`).join(' or ')}, not of cell '${kind}'`;
  }
  const o = checkOptions<CellOptions>(options, CELL_OPTION_SPEC, { where: `cell '${kind}'`, prefix: 'cellOptions.', cannot });
  const nonNegInt = (name: string, v: unknown, dflt: number): number => {
    const x = v ?? dflt;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) badOption(`cellOptions.${name}`, v, 'a non-negative integer');
    return x;
  };
  const mode = (): TrainingMode => {
    const m = o.trainingMode ?? 'bptt';
    if (m !== 'bptt' && m !== 'seed') badOption('cellOptions.trainingMode', m, "'bptt' (full BPTT) or 'seed' (no gradient through the memory link)");
    return m;
  };
  switch (kind) {
    case 'jordan': {
      const alpha = o.alpha ?? 0.5;
      if (typeof alpha !== 'number' || !(alpha >= 0 && alpha < 1)) badOption('cellOptions.alpha', o.alpha, 'a number in [0, 1)');
      return { alpha, trainingMode: mode() };
    }
    case 'context':
      return { trainingMode: mode() };
    case 'narx': {
      const inputDelays = nonNegInt('inputDelays', o.inputDelays, 2);
      const outputDelays = nonNegInt('outputDelays', o.outputDelays, 2);
      if (inputDelays === 0 && outputDelays === 0) {
        throw new UnrollError('option "cellOptions.inputDelays" and "cellOptions.outputDelays" are both 0; a NARX network needs outputDelays ≥ 1 (K, fed-back outputs) or inputDelays ≥ 1 (L, past inputs) — with neither it is a plain feed-forward net', 'option');
      }
      const feedback = o.feedback ?? 'closed';
      if (feedback !== 'open' && feedback !== 'closed') badOption('cellOptions.feedback', feedback, "'open' (teacher forcing) or 'closed' (own outputs fed back)");
      const out: CellOptions = { inputDelays, outputDelays, feedback };
      if (o.exogenousSize !== undefined) out.exogenousSize = nonNegInt('exogenousSize', o.exogenousSize, 0);
      return out;
    }
    case 'tdnn': {
      const window = o.window ?? 3;
      if (typeof window !== 'number' || !Number.isInteger(window) || window < 1) badOption('cellOptions.window', o.window, 'a positive integer (inputs in the sliding window)');
      return { window };
    }
    case 'gru': {
      const resetAfter = o.resetAfter ?? true;
      if (typeof resetAfter !== 'boolean') badOption('cellOptions.resetAfter', o.resetAfter, 'true (reset gate after the recurrent product, as in PyTorch) or false (before it, as in Keras 1 / tfjs-layers)');
      return { resetAfter };
    }
    default:
      return {};
  }
}

export interface CellSpec {
  inputSize: number;
  hiddenSize: number;
  /** Outputs of the model, for cells that make the outputs themselves (jordan, narx). @default 1 */
  outputSize?: number;
  /** For 'elman', 'context', 'jordan', 'narx', 'tdnn': the hidden activation. @default 'tanh' */
  activation?: Activation;
  /** Cell-specific options, already normalised by normalizeCellOptions. @default {} */
  cellOptions?: CellOptions;
  /** Parameter-name suffix, e.g. '_l0' or '_l1_reverse'. */
  suffix: string;
}

export function createCell(kind: CellKind, backend: Backend, store: ParamStore, spec: CellSpec): Cell {
  checkOptions(spec, { inputSize: is.positiveInt, hiddenSize: is.positiveInt, outputSize: is.positiveInt, activation: is.string, cellOptions: is.object, suffix: is.string }, { where: 'createCell' }, false);
  if (spec.activation !== undefined && !ACTIVATIONS.includes(spec.activation)) {
    badOption('activation', spec.activation, `one of ${ACTIVATIONS.join(', ')}`);
  }
  const o = spec.cellOptions ?? {};
  const outputSize = spec.outputSize ?? 1;
  // Each cell is given exactly the keys it knows (its constructor refuses others).
  const base = { inputSize: spec.inputSize, hiddenSize: spec.hiddenSize, suffix: spec.suffix };
  const act = { ...base, activation: spec.activation };
  switch (kind) {
    case 'elman':
      return new ElmanCell(backend, store, act);
    case 'lstm':
      return new LSTMCell(backend, store, base);
    case 'gru':
      return new GRUCell(backend, store, { ...base, resetAfter: o.resetAfter });
    case 'context':
      return new ContextCell(backend, store, { ...act, trainingMode: o.trainingMode });
    case 'jordan':
      return new JordanCell(backend, store, { ...act, outputSize, alpha: o.alpha, trainingMode: o.trainingMode });
    case 'narx':
      return new NARXCell(backend, store, { ...act, outputSize, inputDelays: o.inputDelays, outputDelays: o.outputDelays, feedback: o.feedback, exogenousSize: o.exogenousSize });
    case 'tdnn':
      return new TimeDelayCell(backend, store, { ...act, window: o.window });
    default:
      return badOption('cell', kind, `one of ${CELL_KINDS.join(', ')}`);
  }
}
