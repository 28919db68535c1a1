/**
 * A dense (fully connected) layer applied row by row: y = W x + b, W [out, in] (PyTorch nn.Linear
 * layout). Used as the output head on every step (many-to-many) or on the last state (many-to-one).
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { Param, ParamStore } from './params.js';

export class Dense {
  readonly weight: Param;
  readonly bias: Param;

  constructor(readonly backend: Backend, readonly store: ParamStore, readonly inputSize: number,
    readonly outputSize: number, prefix: string) {
    const bound = 1 / Math.sqrt(inputSize);
    this.weight = store.add(`${prefix}.weight`, [outputSize, inputSize], { kind: 'uniform', bound });
    this.bias = store.add(`${prefix}.bias`, [outputSize], { kind: 'uniform', bound });
  }

  /** y[rows, out] = x[rows, in] · Wᵀ + b */
  forward(rows: number, x: Buf, xOff: number, ldx: number, y: Buf, yOff: number, ldy: number): void {
    const k = this.backend;
    const w = this.store.values;
    const I = this.inputSize;
    const O = this.outputSize;
    // The choice depends on the layer's size only, never on the batch, so a sample gives the same
    // bits alone and in a batch.
    if (O * I <= Dense.tinyProducts) {
      // Tiny heads (StatLand's 1 → 1): two kernel calls would cost more than the arithmetic.
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < O; o++) {
          let s = w[this.bias.offset + o];
          for (let i = 0; i < I; i++) s += w[this.weight.offset + o * I + i] * x[xOff + r * ldx + i];
          y[yOff + r * ldy + o] = s;
        }
      }
      return;
    }
    k.gemm(false, true, rows, O, I, 1, x, xOff, ldx, w, this.weight.offset, I, 0, y, yOff, ldy);
    k.addRowVector(rows, O, w, this.bias.offset, y, yOff, ldy);
  }

  /** Largest out·in computed in plain scalar loops instead of kernel calls (0 turns it off). */
  static tinyProducts = 4;

  /** dW += dyᵀ · x;  db += Σ dy;  dx = dy · W (overwrites dx when given). */
  backward(rows: number, x: Buf, xOff: number, ldx: number, dy: Buf, dyOff: number, lddy: number,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const g = this.store.grads;
    const I = this.inputSize;
    const O = this.outputSize;
    k.gemm(true, false, O, I, rows, 1, dy, dyOff, lddy, x, xOff, ldx, 1, g, this.weight.offset, I);
    k.sumRows(rows, O, dy, dyOff, lddy, 1, g, this.bias.offset);
    if (dx) k.gemm(false, false, rows, I, O, 1, dy, dyOff, lddy, this.store.values, this.weight.offset, I, 0, dx, dxOff, lddx);
  }
}
