/**
 * The GRU cell (Cho et al.; the form and gate order of PyTorch's nn.GRU):
 *
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)              reset gate
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)              update gate
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))   candidate
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 *
 * Parameters (PyTorch names and layout, gates stacked in the order r, z, n):
 * weight_ih{suffix} [3H, D], weight_hh{suffix} [3H, H], bias_ih{suffix} [3H], bias_hh{suffix} [3H].
 * The state is h (stateSize = H). Keras's GRU with `reset_after: true` is the same function with
 * gates ordered z, r, h (see keras.ts).
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { Cell } from './cell.js';
import type { Param, ParamStore } from './params.js';

export interface GRUCellOptions {
  inputSize: number;
  hiddenSize: number;
  /** Appended to parameter names: '_l0', '_l1_reverse', … */
  suffix: string;
}

export class GRUCell implements Cell {
  readonly kind = 'gru';
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly stateSize: number;
  readonly weightIh: Param;
  readonly weightHh: Param;
  readonly biasIh: Param;
  readonly biasHh: Param;
  /** W_ih x + b_ih for all steps, then (after each step) the activations r, z, n: [T·B, 3H]. */
  private gx: Buf;
  /** W_hh h_{t−1} + b_hh for all steps: [T·B, 3H]. */
  private gh: Buf;
  private dGx: Buf;
  private dGh: Buf;
  private capacity = 0;

  constructor(readonly backend: Backend, readonly store: ParamStore, options: GRUCellOptions) {
    const { inputSize: D, hiddenSize: H, suffix } = options;
    this.inputSize = D;
    this.hiddenSize = H;
    this.stateSize = H;
    const bound = 1 / Math.sqrt(H);
    this.weightIh = store.add(`weight_ih${suffix}`, [3 * H, D], { kind: 'uniform', bound });
    this.weightHh = store.add(`weight_hh${suffix}`, [3 * H, H], { kind: 'uniform', bound });
    this.biasIh = store.add(`bias_ih${suffix}`, [3 * H], { kind: 'uniform', bound });
    this.biasHh = store.add(`bias_hh${suffix}`, [3 * H], { kind: 'uniform', bound });
    this.gx = backend.alloc(0);
    this.gh = backend.alloc(0);
    this.dGx = backend.alloc(0);
    this.dGh = backend.alloc(0);
  }

  plan(batch: number, steps: number): void {
    const need = batch * steps * 3 * this.hiddenSize;
    if (need <= this.capacity) return;
    const k = this.backend;
    this.gx = k.alloc(need);
    this.gh = k.alloc(need);
    this.dGx = k.alloc(need);
    this.dGh = k.alloc(need);
    this.capacity = need;
  }

  beginForward(batch: number, steps: number, x: Buf, xOff: number, ldx: number): void {
    const k = this.backend;
    const w = this.store.values;
    const G = 3 * this.hiddenSize;
    const rows = batch * steps;
    // GX = X · W_ihᵀ + b_ih for every step at once.
    k.gemm(false, true, rows, G, this.inputSize, 1, x, xOff, ldx, w, this.weightIh.offset, this.inputSize, 0, this.gx, 0, G);
    k.addRowVector(rows, G, w, this.biasIh.offset, this.gx, 0, G);
  }

  stepForward(t: number, batch: number, states: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const H = this.hiddenSize;
    const G = 3 * H;
    const gt = t * batch * G;
    // gh_t = h_{t−1} · W_hhᵀ + b_hh
    k.gemm(false, true, batch, G, H, 1, states, t * batch * H, H, w, this.weightHh.offset, H, 0, this.gh, gt, G);
    k.addRowVector(batch, G, w, this.biasHh.offset, this.gh, gt, G);
    // r, z, n and h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
    k.gruPointwiseForward(batch, H, this.gx, gt, G, this.gh, gt, G, states, t * batch * H, H, states, (t + 1) * batch * H, H);
  }

  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const G = 3 * H;
    const gt = t * batch * G;
    // d(gx)_t, d(gh)_t, and the direct part dh_{t−1} = dh_t ⊙ z_t
    k.gruPointwiseBackward(batch, H, this.gx, gt, G, this.gh, gt, G, states, t * batch * H, H, dState, 0, H,
      this.dGx, gt, G, this.dGh, gt, G, dStatePrev, 0, H);
    // dh_{t−1} += d(gh)_t · W_hh
    k.gemm(false, false, batch, H, G, 1, this.dGh, gt, G, this.store.values, this.weightHh.offset, H, 1, dStatePrev, 0, H);
  }

  endBackward(batch: number, steps: number, x: Buf, xOff: number, ldx: number, states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const D = this.inputSize;
    const G = 3 * H;
    const rows = batch * steps;
    // dW_ih += Σ_t d(gx)ᵀ_t · x_t ;  dW_hh += Σ_t d(gh)ᵀ_t · h_{t−1} ;  db_ih += Σ d(gx) ;  db_hh += Σ d(gh)
    k.gemm(true, false, G, D, rows, 1, this.dGx, 0, G, x, xOff, ldx, 1, grads, this.weightIh.offset, D);
    k.gemm(true, false, G, H, rows, 1, this.dGh, 0, G, states, 0, H, 1, grads, this.weightHh.offset, H);
    k.sumRows(rows, G, this.dGx, 0, G, 1, grads, this.biasIh.offset);
    k.sumRows(rows, G, this.dGh, 0, G, 1, grads, this.biasHh.offset);
    // dx_t += d(gx)_t · W_ih
    if (dx) k.gemm(false, false, rows, D, G, 1, this.dGx, 0, G, this.store.values, this.weightIh.offset, D, 1, dx, dxOff, lddx);
  }
}
