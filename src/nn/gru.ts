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
import type { Backend, Buf, PackedMatrix } from '../kernels/index.js';
import type { Cell } from './cell.js';
import { PACK_MIN_HIDDEN } from './lstm.js';
import type { Param, ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

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

/**
 * Consecutive rows of W_hh (all of it, [W_hr ; W_hz] or W_hn) as op(B) of one product per time
 * step: transposed in the forward pass (h · Wᵀ), as stored in the backward pass (dG · W). From
 * PACK_MIN_HIDDEN on it is packed once per pass (`pack`) and every step's product reads the packed
 * copy; smaller cells keep the plain product on the weights.
 */
class RecurrentBlock {
  private readonly packed: PackedMatrix | null;
  /**
   * @param transB true for op(B) = blockᵀ (forward), false for op(B) = block (backward)
   * @param row first row of the block in W_hh; `rows` its number of rows (W_hh has H columns)
   */
  constructor(private readonly backend: Backend, private readonly H: number, private readonly transB: boolean,
    private readonly row: number, private readonly rows: number) {
    this.packed = H >= PACK_MIN_HIDDEN ? backend.allocPacked(this.k, this.n) : null;
  }

  /** Inner dimension and columns of op(B). */
  get k(): number { return this.transB ? this.H : this.rows; }
  get n(): number { return this.transB ? this.rows : this.H; }

  /** Packs the block from the current weights (W_hh at `hhOff` in `w`). */
  pack(w: Buf, hhOff: number): void {
    if (this.packed) this.backend.packB(this.transB, this.k, this.n, w, hhOff + this.row * this.H, this.H, this.packed);
  }

  /** C[m×n] = A[m×k] · op(B) + beta · C. */
  product(m: number, a: Buf, aOff: number, lda: number, beta: number, c: Buf, cOff: number, ldc: number, w: Buf, hhOff: number): void {
    const k = this.backend;
    if (this.packed) k.gemmPacked(false, m, this.n, this.k, 1, a, aOff, lda, this.packed, beta, c, cOff, ldc);
    else k.gemm(false, this.transB, m, this.n, this.k, 1, a, aOff, lda, w, hhOff + this.row * this.H, this.H, beta, c, cOff, ldc);
  }
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
  /**
   * W_ih x + b_ih for all steps, plus the parts of b_hh that only add to a pre-activation
   * (b_hr and b_hz; reset-before: all of b_hh); then (after each step) the activations r, z, n: [T·B, 3H].
   */
  private gx: Buf;
  /**
   * The recurrent products for all steps, [T·B, 3H]: W_hh h_{t−1} with b_hn added to the n third
   * (reset-before: W_hr h_{t−1}, W_hz h_{t−1}, W_hn (r_t ⊙ h_{t−1}), no bias).
   */
  private gh: Buf;
  private dGx: Buf;
  private dGh: Buf;
  /** Reset-before only: r_t ⊙ h_{t−1} for all steps [T·B, H], and the gradient of one step's [B, H]. */
  private rh: Buf;
  private dRh: Buf;
  private capacity = 0;
  /** b_ih + the additive part of b_hh (see gx), formed once per forward pass. */
  private readonly biasSum: Buf;
  /** Column sums of dGx, once per backward pass (they are the gradient of b_ih and part of b_hh's). */
  private readonly biasGrad: Buf;
  /**
   * The recurrent weight as op(B) of the per-step products, packed once per forward pass (fwd…)
   * and once per backward pass (bwd…). Reset-after: all of W_hh; reset-before: [W_hr ; W_hz] and W_hn.
   */
  private readonly fwdHh: RecurrentBlock;
  private readonly bwdHh: RecurrentBlock;
  private readonly fwdHn: RecurrentBlock | null;
  private readonly bwdHn: RecurrentBlock | null;
  private backwardPacked = false;

  constructor(readonly backend: Backend, readonly store: ParamStore, options: GRUCellOptions) {
    checkOptions(options, { inputSize: is.positiveInt, hiddenSize: is.positiveInt, suffix: is.string, resetAfter: is.boolean }, { where: 'GRUCell' }, false);
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
    this.biasSum = backend.alloc(3 * H);
    this.biasGrad = backend.alloc(3 * H);
    // Reset-after: one product with all of W_hh per step. Reset-before: [W_hr ; W_hz] with h_{t−1}, then W_hn with r ⊙ h_{t−1}.
    const fused = this.resetAfter ? 3 * H : 2 * H;
    this.fwdHh = new RecurrentBlock(backend, H, true, 0, fused);
    this.bwdHh = new RecurrentBlock(backend, H, false, 0, fused);
    this.fwdHn = this.resetAfter ? null : new RecurrentBlock(backend, H, true, 2 * H, H);
    this.bwdHn = this.resetAfter ? null : new RecurrentBlock(backend, H, false, 2 * H, H);
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
    const H = this.hiddenSize;
    const G = 3 * H;
    const rows = batch * steps;
    // b = b_ih + [b_hr ; b_hz] (+ b_hn when the reset gate acts before the product: then it is a plain sum too)
    k.copy2d(1, G, w, this.biasIh.offset, G, this.biasSum, 0, G);
    k.axpy(this.resetAfter ? 2 * H : G, 1, w, this.biasHh.offset, this.biasSum, 0);
    // GX = X · W_ihᵀ + b for every step at once.
    k.gemm(false, true, rows, G, this.inputSize, 1, x, xOff, ldx, w, this.weightIh.offset, this.inputSize, 0, this.gx, 0, G);
    k.addRowVector(rows, G, this.biasSum, 0, this.gx, 0, G);
    // The recurrent weight is the same at every step: pack it once for the T per-step products.
    this.fwdHh.pack(w, this.weightHh.offset);
    this.fwdHn?.pack(w, this.weightHh.offset);
    this.backwardPacked = false;
  }

  stepForward(t: number, batch: number, states: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const hh = this.weightHh.offset;
    const H = this.hiddenSize;
    const G = 3 * H;
    const gt = t * batch * G;
    const hp = t * batch * H;
    const hNext = (t + 1) * batch * H;
    if (this.resetAfter) {
      // gh_t = h_{t−1} · W_hhᵀ, and b_hn (inside the reset gate's product) on the n third
      this.fwdHh.product(batch, states, hp, H, 0, this.gh, gt, G, w, hh);
      k.addRowVector(batch, H, w, this.biasHh.offset + 2 * H, this.gh, gt + 2 * H, G);
      // r, z, n and h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
      k.gruPointwiseForward(batch, H, this.gx, gt, G, this.gh, gt, G, states, hp, H, states, hNext, H);
      return;
    }
    // gh_{r,z} = h_{t−1} · [W_hr ; W_hz]ᵀ (their biases are in gx), then r and r ⊙ h_{t−1}
    this.fwdHh.product(batch, states, hp, H, 0, this.gh, gt, G, w, hh);
    k.gruResetGateForward(batch, H, this.gx, gt, G, this.gh, gt, G, states, hp, H, this.rh, hp, H);
    // gh_n = (r ⊙ h_{t−1}) · W_hnᵀ (b_hn is in gx), then z, n and h_t
    this.fwdHn!.product(batch, this.rh, hp, H, 0, this.gh, gt + 2 * H, G, w, hh);
    k.gruResetBeforeForward(batch, H, this.gx, gt, G, this.gh, gt, G, states, hp, H, states, hNext, H);
  }

  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const hh = this.weightHh.offset;
    const H = this.hiddenSize;
    const G = 3 * H;
    const gt = t * batch * G;
    const hp = t * batch * H;
    // W_hh is packed at the first backward step after a forward pass.
    if (!this.backwardPacked) {
      this.bwdHh.pack(w, hh);
      this.bwdHn?.pack(w, hh);
      this.backwardPacked = true;
    }
    if (this.resetAfter) {
      // d(gx)_t, d(gh)_t, and the direct part dh_{t−1} = dh_t ⊙ z_t
      k.gruPointwiseBackward(batch, H, this.gx, gt, G, this.gh, gt, G, states, hp, H, dState, 0, H,
        this.dGx, gt, G, this.dGh, gt, G, dStatePrev, 0, H);
      // dh_{t−1} += d(gh)_t · W_hh
      this.bwdHh.product(batch, this.dGh, gt, G, 1, dStatePrev, 0, H, w, hh);
      return;
    }
    // dẑ, dn̂ and the direct part dh_{t−1} = dh_t ⊙ z_t
    k.gruResetBeforeBackward(batch, H, this.gx, gt, G, states, hp, H, dState, 0, H, this.dGx, gt, G, this.dGh, gt, G, dStatePrev, 0, H);
    // d(r ⊙ h_{t−1}) = dn̂ · W_hn; then dr̂, and dh_{t−1} += d(r ⊙ h_{t−1}) ⊙ r
    this.bwdHn!.product(batch, this.dGh, gt + 2 * H, G, 0, this.dRh, 0, H, w, hh);
    k.gruResetGateBackward(batch, H, this.gx, gt, G, states, hp, H, this.dRh, 0, H, this.dGx, gt, G, this.dGh, gt, G, dStatePrev, 0, H);
    // dh_{t−1} += [dr̂ | dẑ] · [W_hr ; W_hz]
    this.bwdHh.product(batch, this.dGh, gt, G, 1, dStatePrev, 0, H, w, hh);
  }

  endBackward(batch: number, steps: number, x: Buf, xOff: number, ldx: number, states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const H = this.hiddenSize;
    const D = this.inputSize;
    const G = 3 * H;
    const rows = batch * steps;
    // dW_ih += Σ_t d(gx)ᵀ_t · x_t
    k.gemm(true, false, G, D, rows, 1, this.dGx, 0, G, x, xOff, ldx, 1, grads, this.weightIh.offset, D);
    if (this.resetAfter) {
      // dW_hh += Σ_t d(gh)ᵀ_t · h_{t−1}
      k.gemm(true, false, G, H, rows, 1, this.dGh, 0, G, states, 0, H, 1, grads, this.weightHh.offset, H);
    } else {
      // dW_h{r,z} += Σ_t d(gh_{r,z})ᵀ_t · h_{t−1} ;  dW_hn += Σ_t d(gh_n)ᵀ_t · (r_t ⊙ h_{t−1})
      k.gemm(true, false, 2 * H, H, rows, 1, this.dGh, 0, G, states, 0, H, 1, grads, this.weightHh.offset, H);
      k.gemm(true, false, H, H, rows, 1, this.dGh, 2 * H, G, this.rh, 0, H, 1, grads, this.weightHh.offset + 2 * H * H, H);
    }
    // db_ih = Σ d(gx). The r and z pre-activations are sums of an input and a recurrent part, so
    // those thirds of db_hh are the same sums; so is the n third when the reset gate acts before
    // the product. Only reset-after's b_hn (inside r ⊙ (W_hn h + b_hn)) needs its own: Σ d(gh_n).
    k.sumRows(rows, G, this.dGx, 0, G, 0, this.biasGrad, 0);
    k.axpy(G, 1, this.biasGrad, 0, grads, this.biasIh.offset);
    k.axpy(this.resetAfter ? 2 * H : G, 1, this.biasGrad, 0, grads, this.biasHh.offset);
    if (this.resetAfter) k.sumRows(rows, H, this.dGh, 2 * H, G, 1, grads, this.biasHh.offset + 2 * H);
    // dx_t += d(gx)_t · W_ih
    if (dx) k.gemm(false, false, rows, D, G, 1, this.dGx, 0, G, this.store.values, this.weightIh.offset, D, 1, dx, dxOff, lddx);
  }
}
