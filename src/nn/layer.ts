/**
 * A sequence layer maps a batch of input sequences to a batch of output sequences,
 * [T·B, inputSize] → [T·B, outputSize] (time-major), and exposes each sample's output at its own
 * last valid step for many-to-one use. Stacks, bidirectional blocks and skip connections are
 * compositions of sequence layers; the model head sees only this interface.
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { Cell } from './cell.js';
import type { ParamStore } from './params.js';
import { Unroll } from './unroll.js';
import { checkOptions, is } from '../util/options.js';

export interface SequenceLayer {
  readonly kind: string;
  readonly inputSize: number;
  readonly outputSize: number;
  plan(batch: number, steps: number): void;
  forward(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number): void;
  /** Sequence outputs: T·B rows of outputSize at `out[seqOffset + r·seqLd]`. */
  readonly out: Buf;
  readonly seqOffset: number;
  readonly seqLd: number;
  /** Output at each sample's last valid step: B rows at `lastBuf[lastOffset + b·lastLd]`. */
  readonly lastBuf: Buf;
  readonly lastOffset: number;
  readonly lastLd: number;
  /**
   * Backpropagates dL/d(sequence outputs) and/or dL/d(last outputs); weight gradients are added
   * to the store's grads and dL/dx is ADDED into dx when given.
   */
  backward(dSeq: Buf | null, dSeqOff: number, dSeqLd: number, dLast: Buf | null, dLastOff: number, dLastLd: number,
    x: Buf, xOff: number, ldx: number, dx: Buf | null, dxOff: number, lddx: number): void;
}

/** One recurrent cell unrolled over time: the plain (unidirectional) recurrent layer. */
export class RecurrentLayer implements SequenceLayer {
  readonly kind: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly unroll: Unroll;
  private readonly backend: Backend;
  private dFinal: Buf;
  private batch = 0;
  private steps = 0;
  /**
   * When set, the next forward passes start from these B rows of stateSize (at `initial.offset`,
   * one row per sample) instead of the zero or learned initial state: streaming, and an encoder's
   * final state handed to a decoder.
   */
  initial: { buf: Buf; offset: number } | null = null;
  /** dL/d(initial state) of the last backward pass (B rows of stateSize), valid until the next one. */
  dInitial: Buf | null = null;

  constructor(readonly cell: Cell, store: ParamStore, options: { learnInitialState?: boolean; suffix: string }) {
    checkOptions(options, { learnInitialState: is.boolean, suffix: is.string }, { where: 'RecurrentLayer' }, false);
    this.kind = cell.kind;
    this.inputSize = cell.inputSize;
    this.outputSize = cell.hiddenSize;
    this.backend = cell.backend;
    this.unroll = new Unroll(cell, store, options);
    this.dFinal = this.backend.alloc(0);
  }

  plan(batch: number, steps: number): void {
    this.unroll.plan(batch, steps);
    if (this.dFinal.length < batch * this.cell.stateSize) this.dFinal = this.backend.alloc(batch * this.cell.stateSize);
  }

  forward(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number): void {
    this.batch = batch;
    this.steps = steps;
    this.unroll.forward(batch, steps, lengths, x, xOff, ldx, this.initial?.buf ?? null, this.initial?.offset ?? 0);
  }

  /** Offset in `lastBuf` of sample b's full final state row (stateSize numbers; h first). */
  finalStateOffset(b: number): number {
    return this.lastOffset + b * this.cell.stateSize;
  }

  get out(): Buf {
    return this.unroll.states;
  }
  get seqOffset(): number {
    return this.batch * this.cell.stateSize;
  }
  get seqLd(): number {
    return this.cell.stateSize;
  }
  get lastBuf(): Buf {
    return this.unroll.states;
  }
  get lastOffset(): number {
    // Past its end a sample's state is carried, so the final row holds its last valid state.
    return this.steps * this.batch * this.cell.stateSize;
  }
  get lastLd(): number {
    return this.cell.stateSize;
  }

  /**
   * `dFinalState` (optional): dL/d(final full state), B rows of stateSize — e.g. what a decoder
   * sends back to its encoder — added to what `dLast` gives the exposed part.
   */
  backward(dSeq: Buf | null, dSeqOff: number, dSeqLd: number, dLast: Buf | null, dLastOff: number, dLastLd: number,
    x: Buf, xOff: number, ldx: number, dx: Buf | null, dxOff: number, lddx: number, dFinalState: Buf | null = null): void {
    const S = this.cell.stateSize;
    let dFinal: Buf | null = null;
    if (dLast || dFinalState) {
      if (dFinalState) this.backend.copy2d(this.batch, S, dFinalState, 0, S, this.dFinal, 0, S);
      else this.backend.fill(this.batch * S, 0, this.dFinal, 0);
      if (dLast) for (let b = 0; b < this.batch; b++) this.backend.axpy(this.outputSize, 1, dLast, dLastOff + b * dLastLd, this.dFinal, b * S);
      dFinal = this.dFinal;
    }
    this.dInitial = this.unroll.backward(dSeq, dSeqOff, dSeqLd, dFinal, 0, x, xOff, ldx, dx, dxOff, lddx);
  }
}
