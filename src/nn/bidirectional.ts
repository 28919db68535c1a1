/**
 * The bidirectional block (Schuster & Paliwal 1997; CMU 11-785's BRNN block) around any cell:
 *
 *   h_f = RNN_forward(cell_f, x)                       forward in time
 *   h_b = fliplr(RNN_forward(cell_b, fliplr(x)))       the same driver over the time-reversed sequence
 *   h(t) = merge(h_f(t), h_b(t))                       concat [h_f; h_b] (default), sum, or mean
 *
 * and its BPTT: split dh(t) into dh_f(t) and dh_b(t), backpropagate each through its own net (the
 * backward net over the reversed sequence), flip dx_b back, and add dx = dx_f + dx_b.
 *
 * Variable lengths: `fliplr` is per sample. Sample b with L_b valid steps is reversed over its own
 * steps 0 … L_b−1, so the backward net starts at that sample's last valid step, not at the padded
 * end. The many-to-one output ("last") is merge(h_f at step L_b−1, h_b at step 0), i.e. each
 * direction after it has read the whole sequence (as Keras's Bidirectional with return_sequences
 * false). Parameters of the backward net carry PyTorch's `_reverse` suffix.
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { Cell } from './cell.js';
import { RecurrentLayer, type SequenceLayer } from './layer.js';
import type { ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

export type MergeMode = 'concat' | 'sum' | 'mean';
export const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mean'];

export interface BidirectionalOptions {
  /** How the two directions combine. @default 'concat' */
  mergeMode?: MergeMode;
  /** Learnable initial states for both directions. @default false */
  learnInitialState?: boolean;
  /** Parameter-name suffix of the forward net ('_l0'); the backward net gets suffix + '_reverse'. */
  suffix: string;
}

export class BidirectionalLayer implements SequenceLayer {
  readonly kind: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly mergeMode: MergeMode;
  readonly forwardLayer: RecurrentLayer;
  readonly backwardLayer: RecurrentLayer;
  private readonly backend: Backend;
  private readonly hidden: number;
  /** Per-sample time-reversed input, dL/d of it, and the merged outputs. */
  private xRev: Buf;
  private dxRev: Buf;
  private merged: Buf;
  private last: Buf;
  /** dL/d(outputs) split per direction (the backward one in reversed time). */
  private dFwd: Buf;
  private dRev: Buf;
  private dLastF: Buf;
  private dLastB: Buf;
  private batch = 0;
  private steps = 0;
  private lengths: Int32Array = new Int32Array(0);

  constructor(forwardCell: Cell, backwardCell: Cell, store: ParamStore, options: BidirectionalOptions) {
    checkOptions(options, { mergeMode: is.string, learnInitialState: is.boolean, suffix: is.string }, { where: 'BidirectionalLayer' }, false);
    this.mergeMode = options.mergeMode ?? 'concat';
    this.backend = forwardCell.backend;
    this.hidden = forwardCell.hiddenSize;
    this.inputSize = forwardCell.inputSize;
    this.outputSize = this.mergeMode === 'concat' ? 2 * this.hidden : this.hidden;
    this.kind = `bidirectional(${forwardCell.kind}, ${this.mergeMode})`;
    const learnInitialState = options.learnInitialState ?? false;
    this.forwardLayer = new RecurrentLayer(forwardCell, store, { learnInitialState, suffix: options.suffix });
    this.backwardLayer = new RecurrentLayer(backwardCell, store, { learnInitialState, suffix: `${options.suffix}_reverse` });
    const k = this.backend;
    this.xRev = k.alloc(0);
    this.dxRev = k.alloc(0);
    this.merged = k.alloc(0);
    this.last = k.alloc(0);
    this.dFwd = k.alloc(0);
    this.dRev = k.alloc(0);
    this.dLastF = k.alloc(0);
    this.dLastB = k.alloc(0);
  }

  plan(batch: number, steps: number): void {
    this.forwardLayer.plan(batch, steps);
    this.backwardLayer.plan(batch, steps);
    const rows = batch * steps;
    const k = this.backend;
    if (this.xRev.length < rows * this.inputSize) {
      this.xRev = k.alloc(rows * this.inputSize);
      this.dxRev = k.alloc(rows * this.inputSize);
    }
    if (this.merged.length < rows * this.outputSize) {
      this.merged = k.alloc(rows * this.outputSize);
      this.dFwd = k.alloc(rows * this.hidden);
      this.dRev = k.alloc(rows * this.hidden);
    }
    if (this.last.length < batch * this.outputSize) {
      this.last = k.alloc(batch * this.outputSize);
      this.dLastF = k.alloc(batch * this.hidden);
      this.dLastB = k.alloc(batch * this.hidden);
    }
  }

  /** Row of step t of sample b in the reversed sequence (its own steps L_b−1 … 0), or −1 past its end. */
  private reversedRow(t: number, b: number): number {
    const L = this.lengths[b];
    return t < L ? (L - 1 - t) * this.batch + b : -1;
  }

  forward(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number): void {
    const k = this.backend;
    const D = this.inputSize;
    const H = this.hidden;
    const O = this.outputSize;
    this.batch = batch;
    this.steps = steps;
    this.lengths = lengths;
    // h_f = RNN_forward(x)
    this.forwardLayer.forward(batch, steps, lengths, x, xOff, ldx);
    // x_rev = fliplr(x), per sample over its own length (zeros past the end)
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < batch; b++) {
        const r = this.reversedRow(t, b);
        const dst = (t * batch + b) * D;
        if (r < 0) k.fill(D, 0, this.xRev, dst);
        else k.copy2d(1, D, x, xOff + r * ldx, ldx, this.xRev, dst, D);
      }
    }
    // h_brev = RNN_forward(x_rev)
    this.backwardLayer.forward(batch, steps, lengths, this.xRev, 0, D);
    // h(t) = merge(h_f(t), h_b(t)) with h_b = fliplr(h_brev)
    const f = this.forwardLayer;
    const rv = this.backwardLayer;
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < batch; b++) {
        const row = t * batch + b;
        const r = this.reversedRow(t, b);
        if (r < 0) { k.fill(O, 0, this.merged, row * O); continue; }
        this.mergeRow(f.out, f.seqOffset + row * f.seqLd, rv.out, rv.seqOffset + r * rv.seqLd, this.merged, row * O);
      }
    }
    for (let b = 0; b < batch; b++) {
      this.mergeRow(f.lastBuf, f.lastOffset + b * f.lastLd, rv.lastBuf, rv.lastOffset + b * rv.lastLd, this.last, b * O);
    }
  }

  private mergeRow(a: Buf, aOff: number, b: Buf, bOff: number, out: Buf, outOff: number): void {
    const k = this.backend;
    const H = this.hidden;
    if (this.mergeMode === 'concat') {
      k.copy2d(1, H, a, aOff, H, out, outOff, H);
      k.copy2d(1, H, b, bOff, H, out, outOff + H, H);
      return;
    }
    k.copy2d(1, H, a, aOff, H, out, outOff, H);
    k.axpy(H, 1, b, bOff, out, outOff);
    if (this.mergeMode === 'mean') k.scale(H, 0.5, out, outOff);
  }

  /** Splits dL/d(merged row) into dL/d(forward row) and dL/d(backward row) (overwriting both). */
  private splitRow(d: Buf, dOff: number, df: Buf, dfOff: number, db: Buf, dbOff: number): void {
    const k = this.backend;
    const H = this.hidden;
    if (this.mergeMode === 'concat') {
      k.copy2d(1, H, d, dOff, H, df, dfOff, H);
      k.copy2d(1, H, d, dOff + H, H, db, dbOff, H);
      return;
    }
    k.copy2d(1, H, d, dOff, H, df, dfOff, H);
    k.copy2d(1, H, d, dOff, H, db, dbOff, H);
    if (this.mergeMode === 'mean') {
      k.scale(H, 0.5, df, dfOff);
      k.scale(H, 0.5, db, dbOff);
    }
  }

  get out(): Buf { return this.merged; }
  get seqOffset(): number { return 0; }
  get seqLd(): number { return this.outputSize; }
  get lastBuf(): Buf { return this.last; }
  get lastOffset(): number { return 0; }
  get lastLd(): number { return this.outputSize; }

  backward(dSeq: Buf | null, dSeqOff: number, dSeqLd: number, dLast: Buf | null, dLastOff: number, dLastLd: number,
    x: Buf, xOff: number, ldx: number, dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const { batch, steps } = this;
    const H = this.hidden;
    const D = this.inputSize;
    // dh_f(t), and dh_brev = fliplr(dh_b)
    if (dSeq) {
      k.fill(batch * steps * H, 0, this.dFwd, 0);
      k.fill(batch * steps * H, 0, this.dRev, 0);
      for (let t = 0; t < steps; t++) {
        for (let b = 0; b < batch; b++) {
          const r = this.reversedRow(t, b);
          if (r < 0) continue;
          const row = t * batch + b;
          this.splitRow(dSeq, dSeqOff + row * dSeqLd, this.dFwd, row * H, this.dRev, r * H);
        }
      }
    }
    if (dLast) for (let b = 0; b < batch; b++) this.splitRow(dLast, dLastOff + b * dLastLd, this.dLastF, b * H, this.dLastB, b * H);
    // Backprop through the forward net: dx += dx_f
    this.forwardLayer.backward(dSeq ? this.dFwd : null, 0, H, dLast ? this.dLastF : null, 0, H, x, xOff, ldx, dx, dxOff, lddx);
    // Backprop through the backward net over the reversed input, then dx += fliplr(dx_brev)
    if (dx) k.fill(batch * steps * D, 0, this.dxRev, 0);
    this.backwardLayer.backward(dSeq ? this.dRev : null, 0, H, dLast ? this.dLastB : null, 0, H, this.xRev, 0, D,
      dx ? this.dxRev : null, 0, D);
    if (!dx) return;
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < batch; b++) {
        const r = this.reversedRow(t, b);
        if (r >= 0) k.axpy(D, 1, this.dxRev, r * D, dx, dxOff + (t * batch + b) * lddx);
      }
    }
  }
}
