/**
 * Builds a cell from its kind. Each kind lives in its own file with its equations in the header.
 */
import type { Activation, Backend } from '../kernels/index.js';
import { ACTIVATIONS } from '../kernels/index.js';
import { badOption } from '../util/errors.js';
import type { Cell } from './cell.js';
import { ElmanCell } from './elman.js';
import { GRUCell } from './gru.js';
import { LSTMCell } from './lstm.js';
import type { ParamStore } from './params.js';

/** The recurrent cells that `RNN` can stack. */
export type CellKind = 'elman' | 'lstm' | 'gru';
export const CELL_KINDS: readonly CellKind[] = ['elman', 'lstm', 'gru'];

export interface CellSpec {
  inputSize: number;
  hiddenSize: number;
  /** For 'elman': the hidden activation. @default 'tanh' */
  activation?: Activation;
  /** Parameter-name suffix, e.g. '_l0' or '_l1_reverse'. */
  suffix: string;
}

export function createCell(kind: CellKind, backend: Backend, store: ParamStore, spec: CellSpec): Cell {
  switch (kind) {
    case 'elman':
      if (spec.activation !== undefined && !ACTIVATIONS.includes(spec.activation)) {
        badOption('activation', spec.activation, `one of ${ACTIVATIONS.join(', ')}`);
      }
      return new ElmanCell(backend, store, spec);
    case 'lstm':
      return new LSTMCell(backend, store, spec);
    case 'gru':
      return new GRUCell(backend, store, spec);
    default:
      return badOption('cell', kind, `one of ${CELL_KINDS.join(', ')}`);
  }
}
