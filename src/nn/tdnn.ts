/**
 * The time-delay neural network (the seed's "sliding predictor"; a 1-D convolution over time): a
 * finite-response model that sees only the last N inputs,
 *
 *   u_t = [x_t, x_{t−1}, …, x_{t−N+1}]          the window (inputs before the sequence start are 0,
 *                                               or a learnable initial state)
 *   h_t = f(W_ih u_t + b_ih)
 *
 * followed by the model's dense head. Something that happens at step t affects outputs only up
 * to step t + N − 1 ("N is the width of the system"): it is the baseline that the recurrent
 * (infinite-response) models are compared against.
 *
 * The state row is [h_t ‖ x_t, …, x_{t−N+2}] (the delay line). Parameters: weight_ih [H, N·D]
 * (columns in the order of u_t), bias_ih [H].
 */
import type { Activation, Backend, Buf } from '../kernels/index.js';
import type { Cell } from './cell.js';
import type { Param, ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

export interface TimeDelayCellOptions {
  inputSize: number;
  hiddenSize: number;
  /** N, inputs in the window. @default 3 */
  window?: number;
  /** @default 'tanh' */
  activation?: Activation;
  suffix: string;
}

export class TimeDelayCell implements Cell {
  readonly kind: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly stateSize: number;
  readonly window: number;
  readonly activation: Activation;
  readonly weightIh: Param;
  readonly biasIh: Param;
  /** Windows and dL/dz of all steps; one step's dL/du. */
  private u: Buf;
  private dz: Buf;
  private du: Buf;
  private dIn: Buf;
  private capacity = 0;
  private x: Buf;
  private xOff = 0;
  private ldx = 0;

  constructor(readonly backend: Backend, readonly store: ParamStore, options: TimeDelayCellOptions) {
    checkOptions(options, { inputSize: is.positiveInt, hiddenSize: is.positiveInt, suffix: is.string, window: is.number, activation: is.string }, { where: 'TimeDelayCell' }, false);
    const { inputSize: D, hiddenSize: H, suffix } = options;
    this.inputSize = D;
    this.hiddenSize = H;
    this.window = options.window ?? 3;
    this.activation = options.activation ?? 'tanh';
    this.kind = `tdnn(${this.activation}, window ${this.window})`;
    this.stateSize = H + (this.window - 1) * D;
    const bound = 1 / Math.sqrt(this.window * D);
    this.weightIh = store.add(`weight_ih${suffix}`, [H, this.window * D], { kind: 'uniform', bound });
    this.biasIh = store.add(`bias_ih${suffix}`, [H], { kind: 'uniform', bound });
    this.u = backend.alloc(0);
    this.dz = backend.alloc(0);
    this.du = backend.alloc(0);
    this.dIn = backend.alloc(0);
    this.x = backend.alloc(0);
  }

  plan(batch: number, steps: number): void {
    const need = batch * steps;
    if (need <= this.capacity) return;
    const k = this.backend;
    this.u = k.alloc(need * this.window * this.inputSize);
    this.dz = k.alloc(need * this.hiddenSize);
    this.dIn = k.alloc(need * this.inputSize);
    this.du = k.alloc(batch * this.window * this.inputSize);
    this.capacity = need;
  }

  beginForward(_batch: number, _steps: number, x: Buf, xOff: number, ldx: number): void {
    this.x = x;
    this.xOff = xOff;
    this.ldx = ldx;
  }

  stepForward(t: number, batch: number, states: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const D = this.inputSize;
    const H = this.hiddenSize;
    const S = this.stateSize;
    const W = this.window * D;
    const ut = t * batch * W;
    const prev = t * batch * S;
    const next = (t + 1) * batch * S;
    // u_t = [x_t, x_{t−1} … x_{t−N+1}]
    k.copy2d(batch, D, this.x, this.xOff + t * batch * this.ldx, this.ldx, this.u, ut, W);
    k.copy2d(batch, W - D, states, prev + H, S, this.u, ut + D, W);
    // h_t = f(W_ih u_t + b_ih)
    k.gemm(false, true, batch, H, W, 1, this.u, ut, W, w, this.weightIh.offset, W, 0, states, next, S);
    k.addRowVector(batch, H, w, this.biasIh.offset, states, next, S);
    k.activate(this.activation, batch, H, states, next, S, states, next, S);
    // the delay line keeps x_t … x_{t−N+2}
    k.copy2d(batch, W - D, this.u, ut, W, states, next + H, S);
  }

  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    const k = this.backend;
    const D = this.inputSize;
    const H = this.hiddenSize;
    const S = this.stateSize;
    const W = this.window * D;
    const zt = t * batch * H;
    // dz_t = dh_t ⊙ f'(z_t)
    k.activateBackward(this.activation, batch, H, states, (t + 1) * batch * S, S, dState, 0, S, this.dz, zt, H);
    // du_t = dz_t · W_ih + what the delay line of step t carries back
    k.gemm(false, false, batch, W, H, 1, this.dz, zt, H, this.store.values, this.weightIh.offset, W, 0, this.du, 0, W);
    for (let b = 0; b < batch; b++) k.axpy(W - D, 1, dState, b * S + H, this.du, b * W);
    // x_t → dx;  x_{t−1} … x_{t−N+1} → the previous delay line (h_{t−1} gets nothing: no recurrence)
    k.copy2d(batch, D, this.du, 0, W, this.dIn, t * batch * D, D);
    k.fill(batch * S, 0, dStatePrev, 0);
    k.copy2d(batch, W - D, this.du, D, W, dStatePrev, H, S);
  }

  endBackward(batch: number, steps: number, _x: Buf, _xOff: number, _ldx: number, _states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const D = this.inputSize;
    const H = this.hiddenSize;
    const W = this.window * D;
    const rows = batch * steps;
    // dW_ih += Σ dzᵀ u ;  db_ih += Σ dz
    k.gemm(true, false, H, W, rows, 1, this.dz, 0, H, this.u, 0, W, 1, grads, this.weightIh.offset, W);
    k.sumRows(rows, H, this.dz, 0, H, 1, grads, this.biasIh.offset);
    if (dx) for (let r = 0; r < rows; r++) k.axpy(D, 1, this.dIn, r * D, dx, dxOff + r * lddx);
  }
}
