/**
 * The Elman (basic, "vanilla") recurrent cell, as in PyTorch's nn.RNN:
 *
 *   z_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh        (pre-activation)
 *   h_t = f(z_t)                                      f ∈ {tanh, relu, sigmoid, linear}
 *
 * Parameters (PyTorch names and layout): weight_ih_l{k} [H, D], weight_hh_l{k} [H, H],
 * bias_ih_l{k} [H], bias_hh_l{k} [H]. The state is h itself (stateSize = hiddenSize).
 *
 * StatQuest's network is this cell with D = H = 1: w1 = weight_ih, w2 = weight_hh (the feedback
 * loop), ReLU, and a Dense head w3.
 */
import type { Activation, Backend, Buf, PackedMatrix } from '../kernels/index.js';
import type { Cell } from './cell.js';
import { sigmoid } from '../kernels/reference.js';
import type { Param, ParamStore } from './params.js';
import { PACK_MIN_HIDDEN } from './lstm.js';
import { checkOptions, is } from '../util/options.js';

export interface ElmanCellOptions {
  inputSize: number;
  hiddenSize: number;
  /** @default 'tanh' */
  activation?: Activation;
  /** Appended to parameter names: '_l0', '_l1_reverse', … */
  suffix: string;
}

export class ElmanCell implements Cell {
  readonly kind: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly stateSize: number;
  readonly activation: Activation;
  readonly weightIh: Param;
  readonly weightHh: Param;
  readonly biasIh: Param;
  readonly biasHh: Param;
  /** z_t, then (in backward) dL/dz_t, for all steps: [T·B, H]. */
  private z: Buf;
  private dz: Buf;
  private capacity = 0;
  /** b_ih + b_hh, formed once per forward pass (one bias pass over Z instead of two). */
  private readonly biasSum: Buf;
  /** Column sums of the pre-activation gradients (the gradient of either bias). */
  private readonly biasGrad: Buf;
  /** W_hhᵀ packed once per forward pass, W_hh once per backward pass (see lstm.ts). */
  private readonly packedHhT: PackedMatrix | null;
  private readonly packedHh: PackedMatrix | null;
  private backwardPacked = false;

  constructor(readonly backend: Backend, readonly store: ParamStore, options: ElmanCellOptions) {
    checkOptions(options, { inputSize: is.positiveInt, hiddenSize: is.positiveInt, suffix: is.string, activation: is.string }, { where: 'ElmanCell' }, false);
    const { inputSize: D, hiddenSize: H, suffix } = options;
    this.inputSize = D;
    this.hiddenSize = H;
    this.stateSize = H;
    this.activation = options.activation ?? 'tanh';
    this.kind = `elman(${this.activation})`;
    const bound = 1 / Math.sqrt(H);
    this.weightIh = store.add(`weight_ih${suffix}`, [H, D], { kind: 'uniform', bound });
    this.weightHh = store.add(`weight_hh${suffix}`, [H, H], { kind: 'uniform', bound });
    this.biasIh = store.add(`bias_ih${suffix}`, [H], { kind: 'uniform', bound });
    this.biasHh = store.add(`bias_hh${suffix}`, [H], { kind: 'uniform', bound });
    this.z = backend.alloc(0);
    this.dz = backend.alloc(0);
    this.biasSum = backend.alloc(H);
    this.biasGrad = backend.alloc(H);
    // Packing pays off only for products of some size; tiny cells (StatLand's H = 1) keep the plain product.
    this.packedHhT = H >= PACK_MIN_HIDDEN ? backend.allocPacked(H, H) : null;
    this.packedHh = H >= PACK_MIN_HIDDEN ? backend.allocPacked(H, H) : null;
  }

  plan(batch: number, steps: number): void {
    const need = batch * steps * this.hiddenSize;
    if (need <= this.capacity) return;
    this.z = this.backend.alloc(need);
    this.dz = this.backend.alloc(need);
    this.capacity = need;
  }

  beginForward(batch: number, steps: number, x: Buf, xOff: number, ldx: number): void {
    const k = this.backend;
    const w = this.store.values;
    const H = this.hiddenSize;
    const rows = batch * steps;
    // Z = X · W_ihᵀ + b_ih + b_hh for every step at once.
    k.gemm(false, true, rows, H, this.inputSize, 1, x, xOff, ldx, w, this.weightIh.offset, this.inputSize, 0, this.z, 0, H);
    k.copy2d(1, H, w, this.biasIh.offset, H, this.biasSum, 0, H);
    k.axpy(H, 1, w, this.biasHh.offset, this.biasSum, 0);
    k.addRowVector(rows, H, this.biasSum, 0, this.z, 0, H);
    if (this.packedHhT) k.packB(true, H, H, w, this.weightHh.offset, H, this.packedHhT);
    this.backwardPacked = false;
  }

  /**
   * Tiny cells (at most `ElmanCell.tinyWeights` weights, e.g. StatLand's 1 input and 1 unit): the
   * whole unroll in one scalar loop, since a dozen kernel calls per step cost more than the math.
   * Same equations: h_t = f(W_ih x_t + b_ih + b_hh + W_hh h_{t−1}); past its end a sample keeps its
   * state. The backward pass reads only `states`, which this fills exactly as the general path does.
   */
  forwardSequence(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number, states: Buf): boolean {
    const H = this.hiddenSize;
    const D = this.inputSize;
    if (H * (H + D) > ElmanCell.tinyWeights) return false;
    const w = this.store.values;
    const wi = this.weightIh.offset;
    const wh = this.weightHh.offset;
    const bi = this.biasIh.offset;
    const bh = this.biasHh.offset;
    const act = this.activation;
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < batch; b++) {
        const prev = (t * batch + b) * H;
        const cur = prev + batch * H;
        if (t >= lengths[b]) {
          for (let i = 0; i < H; i++) states[cur + i] = states[prev + i];
          continue;
        }
        const xr = xOff + (t * batch + b) * ldx;
        for (let i = 0; i < H; i++) {
          let z = w[bi + i] + w[bh + i];
          for (let j = 0; j < D; j++) z += w[wi + i * D + j] * x[xr + j];
          for (let j = 0; j < H; j++) z += w[wh + i * H + j] * states[prev + j];
          states[cur + i] = act === 'tanh' ? Math.tanh(z) : act === 'relu' ? (z > 0 ? z : 0) : act === 'sigmoid' ? sigmoid(z) : z;
        }
      }
    }
    return true;
  }

  /** Largest H·(H + D) that takes the scalar whole-sequence path (0 turns it off). */
  static tinyWeights = 16;

  stepForward(t: number, batch: number, states: Buf): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const zt = t * batch * H;
    // z_t += h_{t−1} · W_hhᵀ
    if (this.packedHhT) k.gemmPacked(false, batch, H, H, 1, states, t * batch * H, H, this.packedHhT, 1, this.z, zt, H);
    else k.gemm(false, true, batch, H, H, 1, states, t * batch * H, H, this.store.values, this.weightHh.offset, H, 1, this.z, zt, H);
    // h_t = f(z_t)
    k.activate(this.activation, batch, H, this.z, zt, H, states, (t + 1) * batch * H, H);
  }

  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const zt = t * batch * H;
    // dz_t = dh_t ⊙ f'(z_t)   (f' from the output h_t)
    k.activateBackward(this.activation, batch, H, states, (t + 1) * batch * H, H, dState, 0, H, this.dz, zt, H);
    // dh_{t−1} = dz_t · W_hh
    if (!this.packedHh) {
      k.gemm(false, false, batch, H, H, 1, this.dz, zt, H, this.store.values, this.weightHh.offset, H, 0, dStatePrev, 0, H);
      return;
    }
    if (!this.backwardPacked) {
      k.packB(false, H, H, this.store.values, this.weightHh.offset, H, this.packedHh);
      this.backwardPacked = true;
    }
    k.gemmPacked(false, batch, H, H, 1, this.dz, zt, H, this.packedHh, 0, dStatePrev, 0, H);
  }

  endBackward(batch: number, steps: number, x: Buf, xOff: number, ldx: number, states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const D = this.inputSize;
    const rows = batch * steps;
    // dW_ih += Σ_t dz_tᵀ · x_t ;  dW_hh += Σ_t dz_tᵀ · h_{t−1} ;  db += Σ_t dz_t
    k.gemm(true, false, H, D, rows, 1, this.dz, 0, H, x, xOff, ldx, 1, grads, this.weightIh.offset, D);
    k.gemm(true, false, H, H, rows, 1, this.dz, 0, H, states, 0, H, 1, grads, this.weightHh.offset, H);
    // Both biases get the same column sums: one pass over all steps, added twice.
    k.sumRows(rows, H, this.dz, 0, H, 0, this.biasGrad, 0);
    k.axpy(H, 1, this.biasGrad, 0, grads, this.biasIh.offset);
    k.axpy(H, 1, this.biasGrad, 0, grads, this.biasHh.offset);
    // dx_t += dz_t · W_ih
    if (dx) k.gemm(false, false, rows, D, H, 1, this.dz, 0, H, this.store.values, this.weightIh.offset, D, 1, dx, dxOff, lddx);
  }
}
