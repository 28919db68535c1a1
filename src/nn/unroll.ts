/**
 * The generic unroll / backpropagation-through-time driver. It runs ANY cell over a batch of
 * sequences and knows nothing of gates. It is the seeds' `RNN_forward` and `RNN_bptt`:
 *
 *   forward:  h(−1) = hinit;  for t = 0 … T−1:  h(t) = cell(x(t), h(t−1))
 *   backward: for t = T−1 … 0:  dh(t) += dh_top(t);  dh(t−1) = cell′(dh(t));  pool dW over t
 *
 * Variable lengths: sample b has lengths[b] ≤ T valid steps. At a step past its end its state is
 * carried unchanged (state_t = state_{t−1}) and, in backward, its gradient passes straight
 * through with zero contribution to the weights. So the final state row of every sample is its
 * state after its own last valid step, and a 9-step and a 5-step sequence in one batch give
 * exactly what each gives alone.
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { Cell } from './cell.js';
import type { Param, ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

export interface UnrollOptions {
  /** A learnable initial state `initial_state{suffix}` [stateSize] instead of zeros. @default false */
  learnInitialState?: boolean;
  suffix: string;
}

export class Unroll {
  readonly backend: Backend;
  readonly initialState: Param | null;
  /** (T+1)·B rows of stateSize: the initial state, then the state after each step. */
  states: Buf;
  private dState: Buf;
  private dStatePrev: Buf;
  /** Saved gradient rows of samples that are past their end at the current step. */
  private carried: Buf;
  private capacity = 0;
  private batch = 0;
  private steps = 0;
  private lengths: Int32Array = new Int32Array(0);
  /** The last forward started from a given state, so the learnable initial state got no gradient. */
  private externalInitial = false;

  constructor(readonly cell: Cell, readonly store: ParamStore, options: UnrollOptions) {
    checkOptions(options, { learnInitialState: is.boolean, suffix: is.string }, { where: 'Unroll' }, false);
    this.backend = cell.backend;
    this.initialState = options.learnInitialState
      ? store.add(`initial_state${options.suffix}`, [cell.stateSize], { kind: 'zeros' })
      : null;
    this.states = this.backend.alloc(0);
    this.dState = this.backend.alloc(0);
    this.dStatePrev = this.backend.alloc(0);
    this.carried = this.backend.alloc(0);
  }

  get stateSize(): number {
    return this.cell.stateSize;
  }

  plan(batch: number, steps: number): void {
    this.cell.plan(batch, steps);
    const S = this.cell.stateSize;
    const need = (steps + 1) * batch * S;
    if (need > this.capacity) {
      this.states = this.backend.alloc(need);
      this.capacity = need;
    }
    if (this.dState.length < batch * S) {
      this.dState = this.backend.alloc(batch * S);
      this.dStatePrev = this.backend.alloc(batch * S);
      this.carried = this.backend.alloc(batch * S);
    }
  }

  /**
   * Runs the cell over T steps. `initial`, when given, holds B rows of stateSize to start from
   * (for streaming or an encoder's final state); otherwise the learnable or zero initial state.
   */
  forward(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number,
    initial: Buf | null = null, initialOff = 0): void {
    const k = this.backend;
    const S = this.cell.stateSize;
    this.batch = batch;
    this.steps = steps;
    this.lengths = lengths;
    this.externalInitial = initial !== null;
    if (initial) k.copy2d(batch, S, initial, initialOff, S, this.states, 0, S);
    else if (this.initialState) {
      for (let b = 0; b < batch; b++) k.copy2d(1, S, this.store.values, this.initialState.offset, S, this.states, b * S, S);
    } else k.fill(batch * S, 0, this.states, 0);

    if (this.cell.forwardSequence?.(batch, steps, lengths, x, xOff, ldx, this.states)) return;
    this.cell.beginForward(batch, steps, x, xOff, ldx);
    for (let t = 0; t < steps; t++) {
      this.cell.stepForward(t, batch, this.states);
      // Samples past their end carry their state unchanged.
      for (let b = 0; b < batch; b++) {
        if (t >= lengths[b]) k.copy2d(1, S, this.states, (t * batch + b) * S, S, this.states, ((t + 1) * batch + b) * S, S);
      }
    }
  }

  /** Offset of the state row of sample b after step t (t = −1 is the initial state). */
  stateOffset(t: number, b: number): number {
    return ((t + 1) * this.batch + b) * this.cell.stateSize;
  }

  /**
   * Backpropagation through time. `dOut` (optional) holds dL/dh_t for every step (T·B rows of
   * hiddenSize, leading dim ldOut); `dFinal` (optional) holds dL/dstate at the end (B rows of
   * stateSize). Weight gradients are ADDED to `store.grads`; dL/dx is ADDED to `dx` when given.
   * Returns the buffer holding dL/d(initial state) (B rows of stateSize), valid until the next call.
   */
  backward(dOut: Buf | null, dOutOff: number, ldOut: number, dFinal: Buf | null, dFinalOff: number,
    x: Buf, xOff: number, ldx: number, dx: Buf | null, dxOff: number, lddx: number): Buf {
    const k = this.backend;
    const S = this.cell.stateSize;
    const H = this.cell.hiddenSize;
    const { batch, steps, lengths } = this;
    if (dFinal) k.copy2d(batch, S, dFinal, dFinalOff, S, this.dState, 0, S);
    else k.fill(batch * S, 0, this.dState, 0);

    for (let t = steps - 1; t >= 0; t--) {
      // dh(t) += dh_top(t)
      if (dOut) for (let b = 0; b < batch; b++) k.axpy(H, 1, dOut, dOutOff + (t * batch + b) * ldOut, this.dState, b * S);
      // Samples past their end: set their gradient aside, so the cell sees zero for them.
      let anyCarried = false;
      for (let b = 0; b < batch; b++) {
        if (t >= lengths[b]) {
          k.copy2d(1, S, this.dState, b * S, S, this.carried, b * S, S);
          k.fill(S, 0, this.dState, b * S);
          anyCarried = true;
        }
      }
      this.cell.stepBackward(t, batch, this.states, this.dState, this.dStatePrev);
      // … and pass it through to step t−1 unchanged.
      if (anyCarried) {
        for (let b = 0; b < batch; b++) {
          if (t >= lengths[b]) k.copy2d(1, S, this.carried, b * S, S, this.dStatePrev, b * S, S);
        }
      }
      const swap = this.dState;
      this.dState = this.dStatePrev;
      this.dStatePrev = swap;
    }
    this.cell.endBackward(batch, steps, x, xOff, ldx, this.states, this.store.grads, dx, dxOff, lddx);
    if (this.initialState && !this.externalInitial) k.sumRows(batch, S, this.dState, 0, S, 1, this.store.grads, this.initialState.offset);
    return this.dState;
  }
}
