/**
 * A stack of sequence layers (CMU 11-785 "multiple recurrent layer RNN"), with the seed's optional
 * skip connections and dropout between layers:
 *
 *   in¹_t = x_t
 *   inˡ_t = [ drop(oˡ⁻¹_t) ‖ x_t ]      (x_t only with `inputToEveryLayer`; drop only when training)
 *   hˡ_t  = layerˡ(inˡ_t, hˡ_{t−1})
 *   oˡ_t  = hˡ_t + oˡ⁻ᵏ_t               at the last layer of each block of k layers but the first
 *                                       (`residual: k`; l = jk + k − 1, j ≥ 1); else oˡ_t = hˡ_t
 *   head input = [o¹_t ‖ … ‖ o^L_t]     with `everyLayerToHead`, else o^L_t
 *
 * Residual connections (He et al. 2016; Smyl's ES-RNN adds them between blocks of dilated layers):
 * a block's output is its last layer's output plus the block's input, the output of the block
 * below, undropped (dropout acts on the way into a layer, not on the identity path). k = 1 adds
 * each layer's input from below to its output. The sizes must agree (they always do in a Network,
 * whose layers share hiddenSize). Each sample's last-step output is the same sum of the two
 * layers' last-step outputs. Backward, dL/doˡ reaches hˡ unchanged and is added to dL/doˡ⁻ᵏ.
 *
 * Dropout is inverted dropout (kept units scaled by 1/(1−p)), on the outputs of every layer but
 * the last, as in PyTorch's nn.LSTM(dropout=p); masks come from a seeded generator and dropout is
 * off unless `training` is passed to forward. BPTT runs the layers in reverse (the seed's
 * "for l = L:1"), adding the gradients that reach a layer's output from the layer above and from
 * the head, and adding every layer's skip-input gradient into dx.
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { SequenceLayer } from './layer.js';
import { checkOptions, is, type Rule } from '../util/options.js';
import { badOption, UnrollError } from '../util/errors.js';

export interface StackOptions {
  /** Feed the network input x_t to every layer, not just the first. @default false */
  inputToEveryLayer?: boolean;
  /** Feed every layer's output to the head, not just the top one. @default false */
  everyLayerToHead?: boolean;
  /** Dropout probability between layers, in [0, 1). @default 0 */
  dropout?: number;
  /** Seed of the dropout masks. @default 42 */
  seed?: number;
  /**
   * Residual connections: `true` (or 1) adds every layer's input from below to its output; a
   * number k adds each block of k layers' input to the block's output (ES-RNN's residual
   * connections between blocks). numLayers must be a multiple of k with at least two blocks.
   * @default false
   */
  residual?: boolean | number;
}

/** The options rule of `residual`: false, true or a positive integer. */
export const residualRule: Rule = (v) => (typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v) && v >= 0) ? null : 'true, false or a block size k (a positive integer)');

/**
 * The block size of a `residual` option (0: none), checked against the number of layers: k must
 * divide numLayers and leave at least two blocks, or the connection would add nothing.
 */
export function residualBlock(v: boolean | number | undefined, numLayers: number): number {
  const k = v === true ? 1 : v === false || v === undefined ? 0 : v;
  if (!Number.isInteger(k) || k < 0) badOption('residual', v, 'true, false or a block size k (a positive integer)');
  if (k === 0) return 0;
  if (numLayers < 2 * k || numLayers % k !== 0) {
    badOption('residual', v, k === 1
      ? `false when numLayers is 1 (a residual connection adds a layer's input from the layer below)`
      : `a block size that divides numLayers (${numLayers}) into at least two blocks${numLayers >= 2 ? `, such as 1${numLayers % 2 === 0 && numLayers >= 4 ? ` or ${numLayers / 2}` : ''}` : ''}`);
  }
  return k;
}

/** Size of layer l's input in a stack: the input size D for l = 0, else the layer below plus D with input skips. */
export function stackInputSize(l: number, inputSize: number, below: number, inputToEveryLayer: boolean): number {
  return l === 0 ? inputSize : below + (inputToEveryLayer ? inputSize : 0);
}

export class Stack {
  readonly inputSize: number;
  /** Numbers per step that the head sees. */
  readonly outputSize: number;
  readonly inputToEveryLayer: boolean;
  readonly everyLayerToHead: boolean;
  readonly dropout: number;
  /** Residual block size k (0: no residual connections). */
  readonly residual: number;
  /** The layer whose output is added to layer l's (−1: none). */
  private readonly resFrom: Int32Array;
  private readonly backend: Backend;
  private readonly seed: number;
  /** Assembled layer inputs (l ≥ 1, when skips or dropout need them), dropout masks, and gradients. */
  private inputs: Buf[] = [];
  private masks: Buf[] = [];
  private dIn: Buf[] = [];
  private dOut: Buf[] = [];
  /** oˡ of the layers with a residual connection (sequence and last rows), dL/d(last oˡ) of their sources. */
  private resSeq: Buf[] = [];
  private resLast: Buf[] = [];
  private dOutLast: Buf[] = [];
  private headSeq: Buf;
  private headLast: Buf;
  /** Where each layer read its input in the last forward pass. */
  private src: { buf: Buf; off: number; ld: number }[] = [];
  private dropped = false;
  private batch = 0;
  private steps = 0;
  private capRows = 0;
  private capBatch = 0;
  /** Keep the dropout masks of the previous training pass (for finite-difference tests). */
  freezeMasks = false;
  /**
   * Dropout passes drawn so far. A mask number depends only on (seed, this count, the sample's
   * position in the whole batch, layer, step, unit), so a batch split across worker threads gets
   * the masks the whole batch gets: each worker sets this count and `maskSampleOffset` to the
   * main thread's before its shard's pass.
   */
  maskEpoch = 0;
  /** Position of the first sample of this pass in the whole batch (non-zero in a worker's shard). */
  maskSampleOffset = 0;

  constructor(readonly layers: SequenceLayer[], backend: Backend, inputSize: number, options: StackOptions = {}) {
    checkOptions(options, { inputToEveryLayer: is.boolean, everyLayerToHead: is.boolean, dropout: is.number, seed: is.number, residual: residualRule }, { where: 'Stack' });
    this.backend = backend;
    this.inputSize = inputSize;
    this.inputToEveryLayer = options.inputToEveryLayer ?? false;
    this.everyLayerToHead = options.everyLayerToHead ?? false;
    this.dropout = options.dropout ?? 0;
    this.seed = Math.floor(options.seed ?? 42) >>> 0;
    this.residual = residualBlock(options.residual, layers.length);
    const k = this.residual;
    this.resFrom = new Int32Array(layers.length).fill(-1);
    for (let l = 2 * k - 1; k > 0 && l < layers.length; l += k) {
      const s = l - k;
      if (layers[l].outputSize !== layers[s].outputSize) {
        throw new UnrollError(`Stack: option "residual" (${String(options.residual)}) adds layer ${s}'s output (${layers[s].outputSize} numbers a step) to layer ${l}'s (${layers[l].outputSize}); expected equal sizes`, 'option');
      }
      this.resFrom[l] = s;
    }
    this.outputSize = this.everyLayerToHead ? layers.reduce((s, l) => s + l.outputSize, 0) : layers[layers.length - 1].outputSize;
    this.headSeq = backend.alloc(0);
    this.headLast = backend.alloc(0);
  }

  private get concatHead(): boolean {
    return this.everyLayerToHead && this.layers.length > 1;
  }

  private assembles(l: number): boolean {
    return l > 0 && (this.inputToEveryLayer || this.dropout > 0);
  }

  plan(batch: number, steps: number): void {
    const k = this.backend;
    const rows = batch * steps;
    for (const layer of this.layers) layer.plan(batch, steps);
    if (rows <= this.capRows && batch <= this.capBatch) return;
    this.capRows = Math.max(rows, this.capRows);
    this.capBatch = Math.max(batch, this.capBatch);
    const R = this.capRows;
    this.layers.forEach((layer, l) => {
      const below = l > 0 ? this.layers[l - 1].outputSize : 0;
      this.inputs[l] = k.alloc(this.assembles(l) ? R * layer.inputSize : 0);
      this.masks[l] = k.alloc(l > 0 && this.dropout > 0 ? R * below : 0);
      this.dIn[l] = k.alloc(l > 0 ? R * layer.inputSize : 0);
      this.dOut[l] = k.alloc(l < this.layers.length - 1 ? R * layer.outputSize : 0);
      const res = this.resFrom[l] >= 0;
      const source = this.resFrom.includes(l);
      this.resSeq[l] = k.alloc(res ? R * layer.outputSize : 0);
      this.resLast[l] = k.alloc(res ? this.capBatch * layer.outputSize : 0);
      this.dOutLast[l] = k.alloc(source ? this.capBatch * layer.outputSize : 0);
    });
    if (this.concatHead) {
      this.headSeq = k.alloc(R * this.outputSize);
      this.headLast = k.alloc(this.capBatch * this.outputSize);
    }
  }

  forward(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number, training = false): void {
    const k = this.backend;
    const rows = batch * steps;
    this.batch = batch;
    this.steps = steps;
    this.dropped = training && this.dropout > 0;
    // A plain loop over preallocated source records: a forward pass allocates nothing.
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const src = this.src[l] ?? (this.src[l] = { buf: x, off: xOff, ld: ldx });
      if (l === 0) {
        src.buf = x; src.off = xOff; src.ld = ldx;
      } else {
        const Hb = this.layers[l - 1].outputSize;
        if (!this.assembles(l)) {
          src.buf = this.seqBufOf(l - 1); src.off = this.seqOffOf(l - 1); src.ld = this.seqLdOf(l - 1);
        } else {
          const inp = this.inputs[l];
          const I = layer.inputSize;
          // inˡ = [drop(oˡ⁻¹) ‖ x]
          k.copy2d(rows, Hb, this.seqBufOf(l - 1), this.seqOffOf(l - 1), this.seqLdOf(l - 1), inp, 0, I);
          if (this.dropped) {
            if (!this.freezeMasks) this.drawMask(this.masks[l], l, Hb, batch, steps);
            for (let r = 0; r < rows; r++) k.mul(Hb, inp, r * I, this.masks[l], r * Hb, inp, r * I);
          }
          if (this.inputToEveryLayer) k.copy2d(rows, this.inputSize, x, xOff, ldx, inp, Hb, I);
          src.buf = inp; src.off = 0; src.ld = I;
        }
      }
      layer.forward(batch, steps, lengths, src.buf, src.off, src.ld);
      const s = this.resFrom[l];
      if (s >= 0) {
        // oˡ = hˡ + oˢ (sequence rows and each sample's last step)
        const H = layer.outputSize;
        k.copy2d(rows, H, layer.out, layer.seqOffset, layer.seqLd, this.resSeq[l], 0, H);
        add2d(k, rows, H, this.seqBufOf(s), this.seqOffOf(s), this.seqLdOf(s), this.resSeq[l], 0, H);
        k.copy2d(batch, H, layer.lastBuf, layer.lastOffset, layer.lastLd, this.resLast[l], 0, H);
        add2d(k, batch, H, this.lastBufOf(s), this.lastOffOf(s), this.lastLdOf(s), this.resLast[l], 0, H);
      }
    }
    if (this.dropped && !this.freezeMasks) this.maskEpoch++;
    if (this.concatHead) {
      let col = 0;
      for (let l = 0; l < this.layers.length; l++) {
        const H = this.layers[l].outputSize;
        k.copy2d(rows, H, this.seqBufOf(l), this.seqOffOf(l), this.seqLdOf(l), this.headSeq, col, this.outputSize);
        k.copy2d(batch, H, this.lastBufOf(l), this.lastOffOf(l), this.lastLdOf(l), this.headLast, col, this.outputSize);
        col += H;
      }
    }
  }

  /**
   * Inverted-dropout mask of layer l's input (time-major rows t·B + b, Hb units): 0 with
   * probability p, else 1/(1−p). Each sample draws from its own mulberry32 stream, seeded from
   * (seed, maskEpoch, maskSampleOffset + b, l), in step order: the same numbers whichever shard
   * of the batch the sample is in and however long the shard's longest sequence is.
   */
  private drawMask(mask: Buf, l: number, Hb: number, batch: number, steps: number): void {
    const p = this.dropout;
    const keep = 1 / (1 - p);
    for (let b = 0; b < batch; b++) {
      let state = mix32(mix32(mix32(this.seed ^ 0x9e3779b9, this.maskEpoch), this.maskSampleOffset + b), l);
      for (let t = 0; t < steps; t++) {
        const row = (t * batch + b) * Hb;
        for (let j = 0; j < Hb; j++) {
          // mulberry32 (as util/rng.ts), inlined: no object per stream.
          state = (state + 0x6d2b79f5) >>> 0;
          let z = Math.imul(state ^ (state >>> 15), state | 1);
          z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
          mask[row + j] = ((z ^ (z >>> 14)) >>> 0) / 4294967296 < p ? 0 : keep;
        }
      }
    }
  }

  // Where layer l's output oˡ is: its own outputs, or the residual sum.
  private seqBufOf(l: number): Buf { return this.resFrom[l] >= 0 ? this.resSeq[l] : this.layers[l].out; }
  private seqOffOf(l: number): number { return this.resFrom[l] >= 0 ? 0 : this.layers[l].seqOffset; }
  private seqLdOf(l: number): number { return this.resFrom[l] >= 0 ? this.layers[l].outputSize : this.layers[l].seqLd; }
  private lastBufOf(l: number): Buf { return this.resFrom[l] >= 0 ? this.resLast[l] : this.layers[l].lastBuf; }
  private lastOffOf(l: number): number { return this.resFrom[l] >= 0 ? 0 : this.layers[l].lastOffset; }
  private lastLdOf(l: number): number { return this.resFrom[l] >= 0 ? this.layers[l].outputSize : this.layers[l].lastLd; }

  private get topIndex(): number {
    return this.layers.length - 1;
  }
  get out(): Buf { return this.concatHead ? this.headSeq : this.seqBufOf(this.topIndex); }
  get seqOffset(): number { return this.concatHead ? 0 : this.seqOffOf(this.topIndex); }
  get seqLd(): number { return this.concatHead ? this.outputSize : this.seqLdOf(this.topIndex); }
  get lastBuf(): Buf { return this.concatHead ? this.headLast : this.lastBufOf(this.topIndex); }
  get lastOffset(): number { return this.concatHead ? 0 : this.lastOffOf(this.topIndex); }
  get lastLd(): number { return this.concatHead ? this.outputSize : this.lastLdOf(this.topIndex); }

  /**
   * BPTT through the stack from dL/d(head input) (sequence and/or last rows). Weight gradients
   * are added to the parameter store; dL/dx is ADDED into dx when given.
   */
  backward(dSeq: Buf | null, dSeqOff: number, dSeqLd: number, dLast: Buf | null, dLastOff: number, dLastLd: number,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const L = this.layers.length;
    const rows = this.batch * this.steps;
    const B = this.batch;
    // dL/doˡ accumulators of the layers below the top: the head's part (with everyLayerToHead)
    // or zero; the layers above add theirs as the loop reaches them. Sources of residual
    // connections also gather dL/d(last oˡ). Head columns: layers below l come first.
    let col = 0;
    for (let l = 0; l < L - 1; l++) {
      const H = this.layers[l].outputSize;
      if (dSeq && this.concatHead) k.copy2d(rows, H, dSeq, dSeqOff + col, dSeqLd, this.dOut[l], 0, H);
      else k.fill(rows * H, 0, this.dOut[l], 0);
      if (this.dOutLast[l].length > 0) {
        if (dLast && this.concatHead) k.copy2d(B, H, dLast, dLastOff + col, dLastLd, this.dOutLast[l], 0, H);
        else k.fill(B * H, 0, this.dOutLast[l], 0);
      }
      col += H;
    }
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const H = layer.outputSize;
      if (l < L - 1) col -= H;
      const headCol = this.concatHead ? col : 0;
      const fromHead = l === L - 1 || this.concatHead;
      // dL/doˡ(t): from the head and from the layer above (through its dropout mask)
      let dS: Buf | null = null;
      let dSOff = 0;
      let dSLd = H;
      if (l === L - 1) {
        if (dSeq) { dS = dSeq; dSOff = dSeqOff + headCol; dSLd = dSeqLd; }
      } else {
        const d = this.dOut[l];
        const above = this.layers[l + 1];
        const A = above.inputSize;
        if (this.dropped) for (let r = 0; r < rows; r++) k.mulAdd(H, this.dIn[l + 1], r * A, this.masks[l + 1], r * H, d, r * H);
        else for (let r = 0; r < rows; r++) k.axpy(H, 1, this.dIn[l + 1], r * A, d, r * H);
        dS = d;
      }
      let dL: Buf | null = null;
      let dLOff = 0;
      let dLLd = H;
      if (this.dOutLast[l].length > 0) dL = this.dOutLast[l];
      else if (dLast && fromHead) { dL = dLast; dLOff = dLastOff + headCol; dLLd = dLastLd; }
      // Residual: oˡ = hˡ + oˢ, so dL/dhˡ = dL/doˡ and dL/doˢ += dL/doˡ
      const s = this.resFrom[l];
      if (s >= 0) {
        if (dS) add2d(k, rows, H, dS, dSOff, dSLd, this.dOut[s], 0, H);
        if (dL) add2d(k, B, H, dL, dLOff, dLLd, this.dOutLast[s], 0, H);
      }
      // dL/d(inputˡ): into dx for the first layer, into dInˡ above it
      const src = this.src[l];
      if (l === 0) layer.backward(dS, dSOff, dSLd, dL, dLOff, dLLd, src.buf, src.off, src.ld, dx, dxOff, lddx);
      else {
        const I = layer.inputSize;
        k.fill(rows * I, 0, this.dIn[l], 0);
        layer.backward(dS, dSOff, dSLd, dL, dLOff, dLLd, src.buf, src.off, src.ld, this.dIn[l], 0, I);
        // Skip connection: dx += dL/d(x part of inˡ)
        if (this.inputToEveryLayer && dx) {
          const Hb = this.layers[l - 1].outputSize;
          for (let r = 0; r < rows; r++) k.axpy(this.inputSize, 1, this.dIn[l], r * I + Hb, dx, dxOff + r * lddx);
        }
      }
    }
  }
}

/** y[i, :] += x[i, :] for m rows of n numbers (one call when both are packed). */
function add2d(k: Backend, m: number, n: number, x: Buf, xOff: number, ldx: number, y: Buf, yOff: number, ldy: number): void {
  if (ldx === n && ldy === n) k.axpy(m * n, 1, x, xOff, y, yOff);
  else for (let i = 0; i < m; i++) k.axpy(n, 1, x, xOff + i * ldx, y, yOff + i * ldy);
}

/** Mixes a 32-bit value into a 32-bit hash state (murmur3's finaliser on h ^ v·golden-ratio). */
function mix32(h: number, v: number): number {
  let x = (h ^ Math.imul(v >>> 0, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
