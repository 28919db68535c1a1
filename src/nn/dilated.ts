/**
 * A dilated recurrent layer (Chang et al. 2017, "Dilated Recurrent Neural Networks"; the recurrence
 * ES-RNN stacks for M4): the state skips d − 1 steps back in time, the seeds' skip connection across
 * time,
 *
 *   h_t = cell(x_t, h_{t−d})            (h_{t−d} = the initial state for t < d)
 *
 * so a layer with dilation d is d independent ordinary recurrences, one per phase p = t mod d, that
 * share one set of weights. In the time-major layout every layer here uses (row t·B + b holds sample b
 * at step t) that is a reinterpretation, not a copy: with t = τ·d + p,
 *
 *   row t·B + b  =  τ·(B·d) + (p·B + b)
 *
 * which is row "step τ, sample p·B + b" of an ordinary unroll over ⌈T/d⌉ steps and B·d samples. The
 * layer therefore runs the generic `Unroll` driver (and so BPTT, any cell, either backend) on the same
 * buffers; only a T that d does not divide needs a zero-padded copy of the input. Variable lengths
 * carry over: sample b of length L_b gives phase p the length ⌈(L_b − p) / d⌉ (zero when L_b ≤ p), and
 * its last valid output is that of phase (L_b − 1) mod d at its own last step.
 *
 * Parameter names are those of an ordinary layer (`weight_ih_l0`, …): dilation is structure, not
 * weights, so PyTorch runs the same layer as its nn.RNN/LSTM/GRU over the reshaped batch.
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { Cell } from './cell.js';
import { RecurrentLayer, type SequenceLayer } from './layer.js';
import type { ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

export class DilatedLayer implements SequenceLayer {
  readonly kind: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** The ordinary recurrence over ⌈T/d⌉ steps of B·d phase-samples. */
  readonly inner: RecurrentLayer;
  private readonly backend: Backend;
  private batch = 0;
  private steps = 0;
  /** The dilation in effect for the last pass: min(d, T) (a skip past the start is the same as T). */
  private d = 1;
  private innerSteps = 0;
  /** Phase-sample lengths (B·d) and, per sample, the phase-sample holding its last valid output. */
  private innerLengths = new Int32Array(0);
  private lastPhaseSample = new Int32Array(0);
  /** Zero-padded copies used when d does not divide T (rows ⌈T/d⌉·d·B). */
  private xPad: Buf;
  private dSeqPad: Buf;
  private dxPad: Buf;
  /** Each sample's last valid output (B rows of outputSize) and the gradient scattered back to its phase. */
  private last: Buf;
  private dLastInner: Buf;
  /** Where the inner unroll read its input in the last forward pass. */
  private src: Buf;
  private srcOff = 0;
  private srcLd = 0;

  constructor(cell: Cell, store: ParamStore, readonly dilation: number, options: { learnInitialState?: boolean; suffix: string }) {
    checkOptions(options, { learnInitialState: is.boolean, suffix: is.string }, { where: 'DilatedLayer' }, false);
    this.inner = new RecurrentLayer(cell, store, options);
    this.kind = `${cell.kind} (dilation ${dilation})`;
    this.inputSize = cell.inputSize;
    this.outputSize = cell.hiddenSize;
    this.backend = cell.backend;
    const k = this.backend;
    this.xPad = k.alloc(0);
    this.dSeqPad = k.alloc(0);
    this.dxPad = k.alloc(0);
    this.last = k.alloc(0);
    this.dLastInner = k.alloc(0);
    this.src = this.xPad;
  }

  get cell(): Cell {
    return this.inner.cell;
  }

  plan(batch: number, steps: number): void {
    const d = Math.min(this.dilation, Math.max(1, steps));
    const tau = Math.ceil(steps / d);
    this.inner.plan(batch * d, tau);
    const k = this.backend;
    const H = this.outputSize;
    // Any pass of up to `steps` steps pads to at most steps + d − 1 of them.
    const rows = (steps + d - 1) * batch;
    if (this.xPad.length < rows * this.inputSize) {
      this.xPad = k.alloc(rows * this.inputSize);
      this.dxPad = k.alloc(rows * this.inputSize);
    }
    if (this.dSeqPad.length < rows * H) this.dSeqPad = k.alloc(rows * H);
    if (this.last.length < batch * H) this.last = k.alloc(batch * H);
    if (this.dLastInner.length < batch * d * H) this.dLastInner = k.alloc(batch * d * H);
    if (this.innerLengths.length < batch * d) this.innerLengths = new Int32Array(batch * d);
    if (this.lastPhaseSample.length < batch) this.lastPhaseSample = new Int32Array(batch);
  }

  forward(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number): void {
    // A skip of d ≥ T steps reaches before the start for every t: each step starts from the initial
    // state, which T phases of one step each compute with less memory than d.
    const d = Math.min(this.dilation, Math.max(1, steps));
    this.d = d;
    const k = this.backend;
    const tau = Math.ceil(steps / d);
    this.batch = batch;
    this.steps = steps;
    this.innerSteps = tau;
    for (let p = 0; p < d; p++) {
      for (let b = 0; b < batch; b++) {
        const L = lengths[b];
        this.innerLengths[p * batch + b] = L > p ? Math.floor((L - 1 - p) / d) + 1 : 0;
      }
    }
    for (let b = 0; b < batch; b++) this.lastPhaseSample[b] = lengths[b] > 0 ? ((lengths[b] - 1) % d) * batch + b : b;
    if (steps % d !== 0) {
      const D = this.inputSize;
      k.copy2d(steps * batch, D, x, xOff, ldx, this.xPad, 0, D);
      k.fill((tau * d - steps) * batch * D, 0, this.xPad, steps * batch * D);
      this.src = this.xPad; this.srcOff = 0; this.srcLd = D;
    } else {
      this.src = x; this.srcOff = xOff; this.srcLd = ldx;
    }
    this.inner.forward(batch * d, tau, this.innerLengths, this.src, this.srcOff, this.srcLd);
    // Gather each sample's last valid output from its last phase.
    const H = this.outputSize;
    const inner = this.inner;
    for (let b = 0; b < batch; b++) {
      k.copy2d(1, H, inner.lastBuf, inner.lastOffset + this.lastPhaseSample[b] * inner.lastLd, inner.lastLd, this.last, b * H, H);
    }
  }

  /** Sequence outputs: row t·B + b of the inner unroll's states is sample b at step t. */
  get out(): Buf {
    return this.inner.out;
  }
  get seqOffset(): number {
    return this.inner.seqOffset;
  }
  get seqLd(): number {
    return this.inner.seqLd;
  }
  get lastBuf(): Buf {
    return this.last;
  }
  get lastOffset(): number {
    return 0;
  }
  get lastLd(): number {
    return this.outputSize;
  }

  backward(dSeq: Buf | null, dSeqOff: number, dSeqLd: number, dLast: Buf | null, dLastOff: number, dLastLd: number,
    x: Buf, xOff: number, ldx: number, dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const { batch, steps, innerSteps: tau, d } = this;
    const H = this.outputSize;
    const D = this.inputSize;
    const padded = steps % d !== 0;
    const padRows = (tau * d - steps) * batch;
    // dL/d(sequence outputs): the same rows, zero for the padding.
    let dS = dSeq;
    let dSOff = dSeqOff;
    let dSLd = dSeqLd;
    if (dSeq && padded) {
      k.copy2d(steps * batch, H, dSeq, dSeqOff, dSeqLd, this.dSeqPad, 0, H);
      k.fill(padRows * H, 0, this.dSeqPad, steps * batch * H);
      dS = this.dSeqPad; dSOff = 0; dSLd = H;
    }
    // dL/d(last outputs): scattered to the phase-sample that produced each one.
    let dL: Buf | null = null;
    if (dLast) {
      k.fill(batch * d * H, 0, this.dLastInner, 0);
      for (let b = 0; b < batch; b++) k.axpy(H, 1, dLast, dLastOff + b * dLastLd, this.dLastInner, this.lastPhaseSample[b] * H);
      dL = this.dLastInner;
    }
    // The input the forward pass read (the padded copy when there was one).
    const src = padded ? this.xPad : x;
    const srcOff = padded ? 0 : xOff;
    const srcLd = padded ? D : ldx;
    if (dx && padded) {
      k.fill(tau * d * batch * D, 0, this.dxPad, 0);
      this.inner.backward(dS, dSOff, dSLd, dL, 0, H, src, srcOff, srcLd, this.dxPad, 0, D);
      for (let r = 0; r < steps * batch; r++) k.axpy(D, 1, this.dxPad, r * D, dx, dxOff + r * lddx);
    } else {
      this.inner.backward(dS, dSOff, dSLd, dL, 0, H, src, srcOff, srcLd, dx, dxOff, lddx);
    }
  }
}
