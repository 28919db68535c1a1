/**
 * The GRU cell (Cho et al.), in two forms that differ only in where the reset gate acts.
 *
 * resetAfter = true (the default; PyTorch's nn.GRU, Keras `reset_after = True`):
 *
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)              reset gate
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)              update gate
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))   candidate: reset AFTER the product
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 *
 * resetAfter = false (Cho et al.'s original; Keras 1, Keras `reset_after = False`, tfjs-layers' GRU):
 *
 *   r_t, z_t as above
 *   n_t = tanh(W_in x_t + b_in + W_hn (r_t ⊙ h_{t−1}) + b_hn)   candidate: reset BEFORE the product
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 *
 * Parameters (PyTorch names and layout, gates stacked in the order r, z, n), the same for both forms:
 * weight_ih{suffix} [3H, D], weight_hh{suffix} [3H, H], bias_ih{suffix} [3H], bias_hh{suffix} [3H].
 * The state is h (stateSize = H). Keras's GRU is the same function with gates ordered z, r, h
 * (see keras.ts).
 *
 * Backward of the reset-before form, per step (dn̂, dẑ, dr̂: gradients of the pre-activations):
 *   dn̂ = dh (1 − z)(1 − n²),  dẑ = dh (h_{t−1} − n) z (1 − z),
 *   d(r ⊙ h_{t−1}) = dn̂ · W_hn,  dr̂ = d(r ⊙ h_{t−1}) ⊙ h_{t−1} ⊙ r (1 − r),
 *   dh_{t−1} = dh ⊙ z + d(r ⊙ h_{t−1}) ⊙ r + [dr̂ | dẑ] · [W_hr ; W_hz].
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { Cell } from './cell.js';
import type { Param, ParamStore } from './params.js';

export interface GRUCellOptions {
  inputSize: number;
  hiddenSize: number;
  /** Appended to parameter names: '_l0', '_l1_reverse', … */
  suffix: string;
  /**
   * true: the reset gate multiplies (W_hn h + b_hn) (PyTorch, Keras reset_after = True);
   * false: it multiplies h before W_hn (Keras 1, tfjs-layers). @default true
   */
  resetAfter?: boolean;
}

export class GRUCell implements Cell {
  readonly kind: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly stateSize: number;
  readonly resetAfter: boolean;
  readonly weightIh: Param;
  readonly weightHh: Param;
  readonly biasIh: Param;
  readonly biasHh: Param;
  /** W_ih x + b_ih for all steps, then (after each step) the activations r, z, n: [T·B, 3H]. */
  private gx: Buf;
  /** W_hh h_{t−1} + b_hh for all steps (reset-before: the n third is W_hn (r ⊙ h_{t−1}) + b_hn): [T·B, 3H]. */
  private gh: Buf;
  private dGx: Buf;
  private dGh: Buf;
  /** Reset-before only: r_t ⊙ h_{t−1} for all steps [T·B, H], and the gradient of one step's [B, H]. */
  private rh: Buf;
  private dRh: Buf;
  private capacity = 0;

  constructor(readonly backend: Backend, readonly store: ParamStore, options: GRUCellOptions) {
    const { inputSize: D, hiddenSize: H, suffix } = options;
    this.inputSize = D;
    this.hiddenSize = H;
    this.stateSize = H;
    this.resetAfter = options.resetAfter ?? true;
    this.kind = this.resetAfter ? 'gru' : 'gru(reset before)';
    const bound = 1 / Math.sqrt(H);
    this.weightIh = store.add(`weight_ih${suffix}`, [3 * H, D], { kind: 'uniform', bound });
    this.weightHh = store.add(`weight_hh${suffix}`, [3 * H, H], { kind: 'uniform', bound });
    this.biasIh = store.add(`bias_ih${suffix}`, [3 * H], { kind: 'uniform', bound });
    this.biasHh = store.add(`bias_hh${suffix}`, [3 * H], { kind: 'uniform', bound });
    this.gx = backend.alloc(0);
    this.gh = backend.alloc(0);
    this.dGx = backend.alloc(0);
    this.dGh = backend.alloc(0);
    this.rh = backend.alloc(0);
    this.dRh = backend.alloc(0);
  }

  plan(batch: number, steps: number): void {
    const need = batch * steps * 3 * this.hiddenSize;
    if (need <= this.capacity) return;
    const k = this.backend;
    this.gx = k.alloc(need);
    this.gh = k.alloc(need);
    this.dGx = k.alloc(need);
    this.dGh = k.alloc(need);
    if (!this.resetAfter) {
      this.rh = k.alloc(need / 3);
      // dRh holds one step (B rows); sized like rh so that any planned batch fits.
      this.dRh = k.alloc(need / 3);
    }
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
    const hp = t * batch * H;
    const hNext = (t + 1) * batch * H;
    if (this.resetAfter) {
      // gh_t = h_{t−1} · W_hhᵀ + b_hh
      k.gemm(false, true, batch, G, H, 1, states, hp, H, w, this.weightHh.offset, H, 0, this.gh, gt, G);
      k.addRowVector(batch, G, w, this.biasHh.offset, this.gh, gt, G);
      // r, z, n and h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
      k.gruPointwiseForward(batch, H, this.gx, gt, G, this.gh, gt, G, states, hp, H, states, hNext, H);
      return;
    }
    // gh_{r,z} = h_{t−1} · [W_hr ; W_hz]ᵀ + [b_hr ; b_hz], then r and r ⊙ h_{t−1}
    k.gemm(false, true, batch, 2 * H, H, 1, states, hp, H, w, this.weightHh.offset, H, 0, this.gh, gt, G);
    k.addRowVector(batch, 2 * H, w, this.biasHh.offset, this.gh, gt, G);
    k.gruResetGateForward(batch, H, this.gx, gt, G, this.gh, gt, G, states, hp, H, this.rh, hp, H);
    // gh_n = (r ⊙ h_{t−1}) · W_hnᵀ + b_hn, then z, n and h_t
    k.gemm(false, true, batch, H, H, 1, this.rh, hp, H, w, this.weightHh.offset + 2 * H * H, H, 0, this.gh, gt + 2 * H, G);
    k.addRowVector(batch, H, w, this.biasHh.offset + 2 * H, this.gh, gt + 2 * H, G);
    k.gruResetBeforeForward(batch, H, this.gx, gt, G, this.gh, gt, G, states, hp, H, states, hNext, H);
  }

  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const H = this.hiddenSize;
    const G = 3 * H;
    const gt = t * batch * G;
    const hp = t * batch * H;
    if (this.resetAfter) {
      // d(gx)_t, d(gh)_t, and the direct part dh_{t−1} = dh_t ⊙ z_t
      k.gruPointwiseBackward(batch, H, this.gx, gt, G, this.gh, gt, G, states, hp, H, dState, 0, H,
        this.dGx, gt, G, this.dGh, gt, G, dStatePrev, 0, H);
      // dh_{t−1} += d(gh)_t · W_hh
      k.gemm(false, false, batch, H, G, 1, this.dGh, gt, G, w, this.weightHh.offset, H, 1, dStatePrev, 0, H);
      return;
    }
    // dẑ, dn̂ and the direct part dh_{t−1} = dh_t ⊙ z_t
    k.gruResetBeforeBackward(batch, H, this.gx, gt, G, states, hp, H, dState, 0, H, this.dGx, gt, G, this.dGh, gt, G, dStatePrev, 0, H);
    // d(r ⊙ h_{t−1}) = dn̂ · W_hn; then dr̂, and dh_{t−1} += d(r ⊙ h_{t−1}) ⊙ r
    k.gemm(false, false, batch, H, H, 1, this.dGh, gt + 2 * H, G, w, this.weightHh.offset + 2 * H * H, H, 0, this.dRh, 0, H);
    k.gruResetGateBackward(batch, H, this.gx, gt, G, states, hp, H, this.dRh, 0, H, this.dGx, gt, G, this.dGh, gt, G, dStatePrev, 0, H);
    // dh_{t−1} += [dr̂ | dẑ] · [W_hr ; W_hz]
    k.gemm(false, false, batch, H, 2 * H, 1, this.dGh, gt, G, w, this.weightHh.offset, H, 1, dStatePrev, 0, H);
  }

  endBackward(batch: number, steps: number, x: Buf, xOff: number, ldx: number, states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const D = this.inputSize;
    const G = 3 * H;
    const rows = batch * steps;
    // dW_ih += Σ_t d(gx)ᵀ_t · x_t ;  db_ih += Σ d(gx) ;  db_hh += Σ d(gh)
    k.gemm(true, false, G, D, rows, 1, this.dGx, 0, G, x, xOff, ldx, 1, grads, this.weightIh.offset, D);
    if (this.resetAfter) {
      // dW_hh += Σ_t d(gh)ᵀ_t · h_{t−1}
      k.gemm(true, false, G, H, rows, 1, this.dGh, 0, G, states, 0, H, 1, grads, this.weightHh.offset, H);
    } else {
      // dW_h{r,z} += Σ_t d(gh_{r,z})ᵀ_t · h_{t−1} ;  dW_hn += Σ_t d(gh_n)ᵀ_t · (r_t ⊙ h_{t−1})
      k.gemm(true, false, 2 * H, H, rows, 1, this.dGh, 0, G, states, 0, H, 1, grads, this.weightHh.offset, H);
      k.gemm(true, false, H, H, rows, 1, this.dGh, 2 * H, G, this.rh, 0, H, 1, grads, this.weightHh.offset + 2 * H * H, H);
    }
    k.sumRows(rows, G, this.dGx, 0, G, 1, grads, this.biasIh.offset);
    k.sumRows(rows, G, this.dGh, 0, G, 1, grads, this.biasHh.offset);
    // dx_t += d(gx)_t · W_ih
    if (dx) k.gemm(false, false, rows, D, G, 1, this.dGx, 0, G, this.store.values, this.weightIh.offset, D, 1, dx, dxOff, lddx);
  }
}
