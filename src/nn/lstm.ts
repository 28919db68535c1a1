/**
 * The LSTM cell (Hochreiter & Schmidhuber; the form and gate order of PyTorch's nn.LSTM):
 *
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)        input gate
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)        forget gate
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)     candidate cell
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)        output gate
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)
 *
 * Parameters (PyTorch names and layout, gates stacked in the order i, f, g, o):
 * weight_ih{suffix} [4H, D], weight_hh{suffix} [4H, H], bias_ih{suffix} [4H], bias_hh{suffix} [4H].
 * The state row is [h ‖ c] (stateSize = 2H); the exposed output is h.
 *
 * The additive path c_{t−1} → c_t (scaled only by f) is the seeds' cure for vanishing gradients.
 */
import type { Backend, Buf, PackedMatrix } from '../kernels/index.js';
import type { Cell } from './cell.js';
import type { Param, ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

/** Hidden sizes from which the recurrent weight is packed once per pass (see Backend.packB). */
export const PACK_MIN_HIDDEN = 8;

export interface LSTMCellOptions {
  inputSize: number;
  hiddenSize: number;
  /** Appended to parameter names: '_l0', '_l1_reverse', … */
  suffix: string;
}

export class LSTMCell implements Cell {
  readonly kind = 'lstm';
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly stateSize: number;
  readonly weightIh: Param;
  readonly weightHh: Param;
  readonly biasIh: Param;
  readonly biasHh: Param;
  /** Gate pre-activations, then (after each step) activations, for all steps: [T·B, 4H]. */
  private gates: Buf;
  /** dL/d(gate pre-activations) for all steps: [T·B, 4H]. */
  private dGates: Buf;
  private capacity = 0;
  /** b_ih + b_hh, formed once per forward pass and added inside the pointwise step. */
  private readonly biasSum: Buf;
  /** Column sums of the pre-activation gradients (the gradient of either bias). */
  private readonly biasGrad: Buf;
  /** W_hhᵀ packed once per forward pass (op(B) of the per-step product h·W_hhᵀ). */
  private readonly packedHhT: PackedMatrix | null;
  /** W_hh packed once per backward pass (op(B) of dG·W_hh). */
  private readonly packedHh: PackedMatrix | null;
  private backwardPacked = false;

  constructor(readonly backend: Backend, readonly store: ParamStore, options: LSTMCellOptions) {
    checkOptions(options, { inputSize: is.positiveInt, hiddenSize: is.positiveInt, suffix: is.string }, { where: 'LSTMCell' }, false);
    const { inputSize: D, hiddenSize: H, suffix } = options;
    this.inputSize = D;
    this.hiddenSize = H;
    this.stateSize = 2 * H;
    const bound = 1 / Math.sqrt(H);
    this.weightIh = store.add(`weight_ih${suffix}`, [4 * H, D], { kind: 'uniform', bound });
    this.weightHh = store.add(`weight_hh${suffix}`, [4 * H, H], { kind: 'uniform', bound });
    this.biasIh = store.add(`bias_ih${suffix}`, [4 * H], { kind: 'uniform', bound });
    this.biasHh = store.add(`bias_hh${suffix}`, [4 * H], { kind: 'uniform', bound });
    this.gates = backend.alloc(0);
    this.dGates = backend.alloc(0);
    this.biasSum = backend.alloc(4 * H);
    this.biasGrad = backend.alloc(4 * H);
    // Packing pays off only for products of some size; tiny cells keep the plain product (less per-call work).
    this.packedHhT = H >= PACK_MIN_HIDDEN ? backend.allocPacked(H, 4 * H) : null;
    this.packedHh = H >= PACK_MIN_HIDDEN ? backend.allocPacked(4 * H, H) : null;
  }

  plan(batch: number, steps: number): void {
    const need = batch * steps * 4 * this.hiddenSize;
    if (need <= this.capacity) return;
    this.gates = this.backend.alloc(need);
    this.dGates = this.backend.alloc(need);
    this.capacity = need;
  }

  beginForward(batch: number, steps: number, x: Buf, xOff: number, ldx: number): void {
    const k = this.backend;
    const w = this.store.values;
    const G = 4 * this.hiddenSize;
    const rows = batch * steps;
    // Gates = X · W_ihᵀ for every step at once; b_ih + b_hh is added inside each pointwise step.
    k.gemm(false, true, rows, G, this.inputSize, 1, x, xOff, ldx, w, this.weightIh.offset, this.inputSize, 0, this.gates, 0, G);
    k.copy2d(1, G, w, this.biasIh.offset, G, this.biasSum, 0, G);
    k.axpy(G, 1, w, this.biasHh.offset, this.biasSum, 0);
    // The recurrent weight is the same at every step: pack it once for the T per-step products.
    if (this.packedHhT) k.packB(true, this.hiddenSize, G, w, this.weightHh.offset, this.hiddenSize, this.packedHhT);
    this.backwardPacked = false;
  }

  stepForward(t: number, batch: number, states: Buf): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const S = 2 * H;
    const G = 4 * H;
    const gt = t * batch * G;
    const prev = t * batch * S;
    const next = (t + 1) * batch * S;
    // gates_t += h_{t−1} · W_hhᵀ
    if (this.packedHhT) k.gemmPacked(false, batch, G, H, 1, states, prev, S, this.packedHhT, 1, this.gates, gt, G);
    else k.gemm(false, true, batch, G, H, 1, states, prev, S, this.store.values, this.weightHh.offset, H, 1, this.gates, gt, G);
    // i, f, g, o = σ, σ, tanh, σ of gates_t + b;  c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
    k.lstmPointwiseForward(batch, H, this.gates, gt, G, states, prev + H, S, states, next, S, states, next + H, S, this.biasSum, 0);
  }

  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const S = 2 * H;
    const G = 4 * H;
    const gt = t * batch * G;
    const prev = t * batch * S;
    const next = (t + 1) * batch * S;
    // d(gates)_t and dc_{t−1} from dh_t, dc_t (backward of the pointwise equations)
    k.lstmPointwiseBackward(batch, H, this.gates, gt, G, states, prev + H, S, states, next + H, S,
      dState, 0, S, dState, H, S, this.dGates, gt, G, dStatePrev, H, S);
    // dh_{t−1} = d(gates)_t · W_hh  (W_hh packed at the first backward step after a forward pass)
    if (!this.packedHh) {
      k.gemm(false, false, batch, H, G, 1, this.dGates, gt, G, this.store.values, this.weightHh.offset, H, 0, dStatePrev, 0, S);
      return;
    }
    if (!this.backwardPacked) {
      k.packB(false, G, H, this.store.values, this.weightHh.offset, H, this.packedHh);
      this.backwardPacked = true;
    }
    k.gemmPacked(false, batch, H, G, 1, this.dGates, gt, G, this.packedHh, 0, dStatePrev, 0, S);
  }

  endBackward(batch: number, steps: number, x: Buf, xOff: number, ldx: number, states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const D = this.inputSize;
    const G = 4 * H;
    const rows = batch * steps;
    // dW_ih += Σ_t dGᵀ_t · x_t ;  dW_hh += Σ_t dGᵀ_t · h_{t−1} ;  db += Σ_t dG_t
    k.gemm(true, false, G, D, rows, 1, this.dGates, 0, G, x, xOff, ldx, 1, grads, this.weightIh.offset, D);
    k.gemm(true, false, G, H, rows, 1, this.dGates, 0, G, states, 0, 2 * H, 1, grads, this.weightHh.offset, H);
    // Both biases get the same column sums: one pass over all steps, added twice.
    k.sumRows(rows, G, this.dGates, 0, G, 0, this.biasGrad, 0);
    k.axpy(G, 1, this.biasGrad, 0, grads, this.biasIh.offset);
    k.axpy(G, 1, this.biasGrad, 0, grads, this.biasHh.offset);
    // dx_t += dG_t · W_ih
    if (dx) k.gemm(false, false, rows, D, G, 1, this.dGates, 0, G, this.store.values, this.weightIh.offset, D, 1, dx, dxOff, lddx);
  }
}
