/**
 * The cell contract: one time step of a recurrent network, `state_t = f(x_t, state_{t-1})`.
 *
 * A cell knows its own equations and nothing of sequences, lengths or batching policy; the
 * generic driver in `unroll.ts` runs any cell over a sequence and backpropagates through time.
 *
 * Memory layout, for a batch of B sequences of T steps (time-major, as in DESIGN.md):
 * - inputs `x`: T·B rows of `inputSize` numbers (row t·B + b is sample b at step t), any leading dim;
 * - states: (T+1)·B rows of `stateSize` numbers; rows [0, B) hold the initial state and rows
 *   [(t+1)·B, (t+2)·B) the state after step t. The exposed output h_t is the first `hiddenSize`
 *   numbers of each state row (LSTM state rows are [h ‖ c]).
 *
 * The protocol the driver follows:
 *   forward:  beginForward(x) once → stepForward(t) for t = 0 … T−1
 *   backward: stepBackward(t) for t = T−1 … 0 → endBackward(x, dx) once
 * `beginForward` is where the inputs of all steps are projected with one large matrix product;
 * `endBackward` is where the weight gradients of all steps are formed with large products.
 */
import type { Backend, Buf } from '../kernels/index.js';

export interface Cell {
  /** Short name for summaries, e.g. 'elman(tanh)', 'lstm'. */
  readonly kind: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Numbers carried from one step to the next per sample (≥ hiddenSize). */
  readonly stateSize: number;
  readonly backend: Backend;

  /** Makes sure per-step caches can hold a batch of B sequences of T steps. */
  plan(batch: number, steps: number): void;

  /** Projects the inputs of all T steps at once (x has T·B rows with leading dim ldx). */
  beginForward(batch: number, steps: number, x: Buf, xOff: number, ldx: number): void;

  /**
   * Optional fast path for tiny cells, where the cost of many small kernel calls dominates: runs
   * ALL steps (beginForward and every stepForward, carrying the state of samples past their end)
   * in one pass and returns true, or returns false to let the driver run the general protocol.
   * It must leave `states` exactly as the general protocol would (up to summation order), and
   * whatever stepBackward/endBackward read.
   */
  forwardSequence?(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number, states: Buf): boolean;

  /** Computes the state after step t (rows at `statesOff + (t+1)·B·S`) from the one before it. */
  stepForward(t: number, batch: number, states: Buf): void;

  /**
   * Given dL/dstate_t in `dState` (B rows of stateSize), writes dL/dstate_{t−1} into `dStatePrev`
   * and keeps what endBackward needs. `states` is what the forward pass wrote.
   */
  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void;

  /**
   * Accumulates (+=) every weight gradient of all steps into `grads`, and, when `dx` is given,
   * ADDS dL/dx to it (T·B rows, leading dim lddx).
   */
  endBackward(batch: number, steps: number, x: Buf, xOff: number, ldx: number, states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void;
}
