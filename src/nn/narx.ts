/**
 * The NARX network (nonlinear autoregressive with exogenous inputs; CMU 11-785): the output is
 * computed from the current and L past inputs and the K past outputs,
 *
 *   u_t = [x_t, x_{t−1}, …, x_{t−L}, f_{t−1}, …, f_{t−K}]      the taps (delay lines)
 *   h_t = tanh(W_ih u_t + b_ih)                                 hidden layer (activation configurable)
 *   y_t = W_ho h_t + b_ho                                       output (linear) — the model's output
 *
 * "Here the memory of the past is in the output itself": the fed-back values f are
 * - `feedback: 'closed'`: the network's own outputs, f = y (BPTT runs through them — closed-loop
 *   training, and closed-loop multi-step forecasting);
 * - `feedback: 'open'`: the TRUE past outputs (teacher forcing, open-loop training). They come in
 *   the input row: each row is [x_t (E exogenous numbers) ‖ ytrue_{t−1} (O numbers)], and the cell
 *   pushes ytrue_{t−1} into its delay line in place of y_{t−1}. With open feedback a NARX network
 *   is a feed-forward net on sliding windows.
 * The input row may carry the teacher columns in both modes (closed mode ignores them), so one
 * model trains open-loop and forecasts closed-loop: `feedback` can be switched between runs.
 *
 * The state row is [y_t ‖ f_t, …, f_{t−K+2} ‖ x_t, …, x_{t−L+1}] (the delay lines; a learnable
 * initial state learns their contents before the first step). Parameters: weight_ih [H, (L+1)·E + K·O]
 * (columns in the order of u_t), bias_ih [H], weight_ho [O, H], bias_ho [O].
 */
import type { Activation, Backend, Buf } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';
import type { Cell } from './cell.js';
import type { Feedback } from './cells.js';
import type { Param, ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

export interface NARXCellOptions {
  /** Numbers per input row: E, or E + O when the row carries the teacher outputs. */
  inputSize: number;
  /** Units of the hidden layer (H). */
  hiddenSize: number;
  /** Outputs y_t (O). */
  outputSize: number;
  /** L, past inputs in the taps. @default 2 */
  inputDelays?: number;
  /** K, past outputs in the taps. @default 2 */
  outputDelays?: number;
  /** @default 'closed' */
  feedback?: Feedback;
  /** E, exogenous numbers per input row. @default inputSize (no teacher columns) */
  exogenousSize?: number;
  /** @default 'tanh' */
  activation?: Activation;
  suffix: string;
}

export class NARXCell implements Cell {
  readonly inputSize: number;
  /** The exposed output width: O. */
  readonly hiddenSize: number;
  readonly units: number;
  readonly stateSize: number;
  readonly inputDelays: number;
  readonly outputDelays: number;
  readonly exogenousSize: number;
  readonly activation: Activation;
  /** Where fed-back values come from; may be switched between runs when the input has teacher columns. */
  private fb: Feedback;
  readonly weightIh: Param;
  readonly biasIh: Param;
  readonly weightHo: Param;
  readonly biasHo: Param;
  /** Width of the taps u_t. */
  readonly taps: number;
  /** Per-step caches [T·B, …]: taps, hidden outputs, dL/dz, dL/dy, dL/d(input row). */
  private u: Buf;
  private h: Buf;
  private dz: Buf;
  private dy: Buf;
  private dIn: Buf;
  /** One step's dL/dh [B, H] and dL/du [B, taps]. */
  private dh: Buf;
  private du: Buf;
  private capacity = 0;
  private xOff = 0;
  private ldx = 0;
  private x: Buf;

  constructor(readonly backend: Backend, readonly store: ParamStore, options: NARXCellOptions) {
    checkOptions(options, {
      inputSize: is.positiveInt, hiddenSize: is.positiveInt, suffix: is.string, outputSize: is.positiveInt, inputDelays: is.number, outputDelays: is.number,
      feedback: is.string, exogenousSize: is.number, activation: is.string,
    }, { where: 'NARXCell' }, false);
    const { inputSize, hiddenSize: H, outputSize: O, suffix } = options;
    const L = (this.inputDelays = options.inputDelays ?? 2);
    const K = (this.outputDelays = options.outputDelays ?? 2);
    const E = (this.exogenousSize = options.exogenousSize ?? inputSize);
    if (E !== inputSize && E + O !== inputSize) {
      throw new UnrollError(`NARX: option "exogenousSize" is ${E}; expected inputSize (${inputSize}) or inputSize − outputSize (${inputSize - O}), as each input row is [x_t ‖ teacher y_{t−1}]`, 'option');
    }
    this.inputSize = inputSize;
    this.hiddenSize = O;
    this.units = H;
    this.activation = options.activation ?? 'tanh';
    this.fb = options.feedback ?? 'closed';
    this.checkFeedback(this.fb);
    this.taps = (L + 1) * E + K * O;
    this.stateSize = O + Math.max(K - 1, 0) * O + L * E;
    const bound = 1 / Math.sqrt(H);
    this.weightIh = store.add(`weight_ih${suffix}`, [H, this.taps], { kind: 'uniform', bound: 1 / Math.sqrt(Math.max(1, this.taps)) });
    this.biasIh = store.add(`bias_ih${suffix}`, [H], { kind: 'uniform', bound: 1 / Math.sqrt(Math.max(1, this.taps)) });
    this.weightHo = store.add(`weight_ho${suffix}`, [O, H], { kind: 'uniform', bound });
    this.biasHo = store.add(`bias_ho${suffix}`, [O], { kind: 'uniform', bound });
    const k = backend;
    this.u = k.alloc(0);
    this.h = k.alloc(0);
    this.dz = k.alloc(0);
    this.dy = k.alloc(0);
    this.dIn = k.alloc(0);
    this.dh = k.alloc(0);
    this.du = k.alloc(0);
    this.x = k.alloc(0);
  }

  get kind(): string {
    return `narx(L=${this.inputDelays}, K=${this.outputDelays}, ${this.fb} loop)`;
  }

  get feedback(): Feedback {
    return this.fb;
  }
  set feedback(mode: Feedback) {
    this.checkFeedback(mode);
    this.fb = mode;
  }

  private checkFeedback(mode: Feedback): void {
    if (mode === 'open' && this.exogenousSize === this.inputSize) {
      throw new UnrollError('NARX: feedback "open" needs the true past outputs as the last outputSize columns of each input row (set exogenousSize = inputSize − outputSize)', 'option');
    }
  }

  plan(batch: number, steps: number): void {
    const need = batch * steps;
    if (need <= this.capacity) return;
    const k = this.backend;
    const H = this.units;
    this.u = k.alloc(need * this.taps);
    this.h = k.alloc(need * H);
    this.dz = k.alloc(need * H);
    this.dy = k.alloc(need * this.hiddenSize);
    this.dIn = k.alloc(need * this.inputSize);
    this.dh = k.alloc(batch * H);
    this.du = k.alloc(batch * this.taps);
    this.capacity = need;
  }

  beginForward(_batch: number, _steps: number, x: Buf, xOff: number, ldx: number): void {
    // The taps mix inputs with fed-back outputs, so they are assembled step by step.
    this.x = x;
    this.xOff = xOff;
    this.ldx = ldx;
  }

  /** Column offsets inside u_t and the state row. */
  private get layout() {
    const E = this.exogenousSize;
    const O = this.hiddenSize;
    const L = this.inputDelays;
    const K = this.outputDelays;
    return {
      E, O, L, K,
      uFb: (L + 1) * E, // where f_{t−1} starts in u_t
      sFh: O, // where the feedback delay line starts in the state row
      sXh: O + Math.max(K - 1, 0) * O, // where the input delay line starts in the state row
    };
  }

  stepForward(t: number, batch: number, states: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const { E, O, L, K, uFb, sFh, sXh } = this.layout;
    const H = this.units;
    const S = this.stateSize;
    const U = this.taps;
    const prev = t * batch * S;
    const next = (t + 1) * batch * S;
    const ut = t * batch * U;
    const xt = this.xOff + t * batch * this.ldx;
    // u_t = [x_t, x_{t−1} … x_{t−L}, f_{t−1} … f_{t−K}]
    k.copy2d(batch, E, this.x, xt, this.ldx, this.u, ut, U);
    k.copy2d(batch, L * E, states, prev + sXh, S, this.u, ut + E, U);
    if (K > 0) {
      // f_{t−1}: the own output y_{t−1} (closed loop) or the true one from the input row (open loop)
      if (this.fb === 'closed') k.copy2d(batch, O, states, prev, S, this.u, ut + uFb, U);
      else k.copy2d(batch, O, this.x, xt + E, this.ldx, this.u, ut + uFb, U);
      k.copy2d(batch, (K - 1) * O, states, prev + sFh, S, this.u, ut + uFb + O, U);
    }
    // h_t = f(W_ih u_t + b_ih)
    const ht = t * batch * H;
    k.gemm(false, true, batch, H, U, 1, this.u, ut, U, w, this.weightIh.offset, U, 0, this.h, ht, H);
    k.addRowVector(batch, H, w, this.biasIh.offset, this.h, ht, H);
    k.activate(this.activation, batch, H, this.h, ht, H, this.h, ht, H);
    // y_t = W_ho h_t + b_ho
    k.gemm(false, true, batch, O, H, 1, this.h, ht, H, w, this.weightHo.offset, H, 0, states, next, S);
    k.addRowVector(batch, O, w, this.biasHo.offset, states, next, S);
    // Shift the delay lines: [f_{t−1} … f_{t−K+1}] and [x_t … x_{t−L+1}] are the heads of u_t's blocks.
    if (K > 1) k.copy2d(batch, (K - 1) * O, this.u, ut + uFb, U, states, next + sFh, S);
    if (L > 0) k.copy2d(batch, L * E, this.u, ut, U, states, next + sXh, S);
  }

  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const { E, O, L, K, uFb, sFh, sXh } = this.layout;
    const H = this.units;
    const S = this.stateSize;
    const U = this.taps;
    const ht = t * batch * H;
    const I = this.inputSize;
    // dy_t (kept for the output weights); dh_t = dy_t · W_ho; dz_t = dh_t ⊙ f'(z_t)
    k.copy2d(batch, O, dState, 0, S, this.dy, t * batch * O, O);
    k.gemm(false, false, batch, H, O, 1, dState, 0, S, w, this.weightHo.offset, H, 0, this.dh, 0, H);
    k.activateBackward(this.activation, batch, H, this.h, ht, H, this.dh, 0, H, this.dz, ht, H);
    // du_t = dz_t · W_ih, plus what the shifted delay lines of step t carry back
    k.gemm(false, false, batch, U, H, 1, this.dz, ht, H, w, this.weightIh.offset, U, 0, this.du, 0, U);
    for (let b = 0; b < batch; b++) {
      if (K > 1) k.axpy((K - 1) * O, 1, dState, b * S + sFh, this.du, b * U + uFb);
      if (L > 0) k.axpy(L * E, 1, dState, b * S + sXh, this.du, b * U);
    }
    // Route du_t: x_t → dx;  x_{t−1} … x_{t−L} → the previous input delay line;
    // f_{t−1} → y_{t−1} (closed) or the teacher columns (open);  f_{t−2} … → the previous feedback line.
    const dRow = t * batch * I;
    k.fill(batch * I, 0, this.dIn, dRow);
    k.copy2d(batch, E, this.du, 0, U, this.dIn, dRow, I);
    k.fill(batch * S, 0, dStatePrev, 0);
    k.copy2d(batch, L * E, this.du, E, U, dStatePrev, sXh, S);
    if (K > 0) {
      if (this.fb === 'closed') k.copy2d(batch, O, this.du, uFb, U, dStatePrev, 0, S);
      else k.copy2d(batch, O, this.du, uFb, U, this.dIn, dRow + E, I);
      k.copy2d(batch, (K - 1) * O, this.du, uFb + O, U, dStatePrev, sFh, S);
    }
  }

  endBackward(batch: number, steps: number, x: Buf, xOff: number, ldx: number, _states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const O = this.hiddenSize;
    const H = this.units;
    const U = this.taps;
    const rows = batch * steps;
    void x; void xOff; void ldx;
    // dW_ih += Σ dzᵀ u ;  db_ih += Σ dz ;  dW_ho += Σ dyᵀ h ;  db_ho += Σ dy
    k.gemm(true, false, H, U, rows, 1, this.dz, 0, H, this.u, 0, U, 1, grads, this.weightIh.offset, U);
    k.sumRows(rows, H, this.dz, 0, H, 1, grads, this.biasIh.offset);
    k.gemm(true, false, O, H, rows, 1, this.dy, 0, O, this.h, 0, H, 1, grads, this.weightHo.offset, H);
    k.sumRows(rows, O, this.dy, 0, O, 1, grads, this.biasHo.offset);
    if (dx) for (let r = 0; r < rows; r++) k.axpy(this.inputSize, 1, this.dIn, r * this.inputSize, dx, dxOff + r * lddx);
  }
}
