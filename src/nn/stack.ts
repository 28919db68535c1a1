/**
 * A stack of sequence layers (CMU 11-785 "multiple recurrent layer RNN"), with the seed's optional
 * skip connections and dropout between layers:
 *
 *   in¹_t = x_t
 *   inˡ_t = [ drop(hˡ⁻¹_t) ‖ x_t ]      (x_t only with `inputToEveryLayer`; drop only when training)
 *   hˡ_t  = layerˡ(inˡ_t, hˡ_{t−1})
 *   head input = [h¹_t ‖ … ‖ h^L_t]     with `everyLayerToHead`, else h^L_t
 *
 * Dropout is inverted dropout (kept units scaled by 1/(1−p)), on the outputs of every layer but
 * the last, as in PyTorch's nn.LSTM(dropout=p); masks come from a seeded generator and dropout is
 * off unless `training` is passed to forward. BPTT runs the layers in reverse (the seed's
 * "for l = L:1"), adding the gradients that reach a layer's output from the layer above and from
 * the head, and adding every layer's skip-input gradient into dx.
 */
import type { Backend, Buf } from '../kernels/index.js';
import type { SequenceLayer } from './layer.js';
import { checkOptions, is } from '../util/options.js';

export interface StackOptions {
  /** Feed the network input x_t to every layer, not just the first. @default false */
  inputToEveryLayer?: boolean;
  /** Feed every layer's output to the head, not just the top one. @default false */
  everyLayerToHead?: boolean;
  /** Dropout probability between layers, in [0, 1). @default 0 */
  dropout?: number;
  /** Seed of the dropout masks. @default 42 */
  seed?: number;
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
  private readonly backend: Backend;
  private readonly seed: number;
  /** Assembled layer inputs (l ≥ 1, when skips or dropout need them), dropout masks, and gradients. */
  private inputs: Buf[] = [];
  private masks: Buf[] = [];
  private dIn: Buf[] = [];
  private dOut: Buf[] = [];
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
    checkOptions(options, { inputToEveryLayer: is.boolean, everyLayerToHead: is.boolean, dropout: is.number, seed: is.number }, { where: 'Stack' });
    this.backend = backend;
    this.inputSize = inputSize;
    this.inputToEveryLayer = options.inputToEveryLayer ?? false;
    this.everyLayerToHead = options.everyLayerToHead ?? false;
    this.dropout = options.dropout ?? 0;
    this.seed = Math.floor(options.seed ?? 42) >>> 0;
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
        const below = this.layers[l - 1];
        const Hb = below.outputSize;
        if (!this.assembles(l)) {
          src.buf = below.out; src.off = below.seqOffset; src.ld = below.seqLd;
        } else {
          const inp = this.inputs[l];
          const I = layer.inputSize;
          // inˡ = [drop(hˡ⁻¹) ‖ x]
          k.copy2d(rows, Hb, below.out, below.seqOffset, below.seqLd, inp, 0, I);
          if (this.dropped) {
            if (!this.freezeMasks) this.drawMask(this.masks[l], l, Hb, batch, steps);
            for (let r = 0; r < rows; r++) k.mul(Hb, inp, r * I, this.masks[l], r * Hb, inp, r * I);
          }
          if (this.inputToEveryLayer) k.copy2d(rows, this.inputSize, x, xOff, ldx, inp, Hb, I);
          src.buf = inp; src.off = 0; src.ld = I;
        }
      }
      layer.forward(batch, steps, lengths, src.buf, src.off, src.ld);
    }
    if (this.dropped && !this.freezeMasks) this.maskEpoch++;
    if (this.concatHead) {
      let col = 0;
      for (const layer of this.layers) {
        const H = layer.outputSize;
        k.copy2d(rows, H, layer.out, layer.seqOffset, layer.seqLd, this.headSeq, col, this.outputSize);
        k.copy2d(batch, H, layer.lastBuf, layer.lastOffset, layer.lastLd, this.headLast, col, this.outputSize);
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

  private get top(): SequenceLayer {
    return this.layers[this.layers.length - 1];
  }
  get out(): Buf { return this.concatHead ? this.headSeq : this.top.out; }
  get seqOffset(): number { return this.concatHead ? 0 : this.top.seqOffset; }
  get seqLd(): number { return this.concatHead ? this.outputSize : this.top.seqLd; }
  get lastBuf(): Buf { return this.concatHead ? this.headLast : this.top.lastBuf; }
  get lastOffset(): number { return this.concatHead ? 0 : this.top.lastOffset; }
  get lastLd(): number { return this.concatHead ? this.outputSize : this.top.lastLd; }

  /**
   * BPTT through the stack from dL/d(head input) (sequence and/or last rows). Weight gradients
   * are added to the parameter store; dL/dx is ADDED into dx when given.
   */
  backward(dSeq: Buf | null, dSeqOff: number, dSeqLd: number, dLast: Buf | null, dLastOff: number, dLastLd: number,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const L = this.layers.length;
    const rows = this.batch * this.steps;
    // Column of each layer in the head input (layers below l come first); no per-call objects.
    let below = 0;
    for (let l = 0; l < L - 1; l++) below += this.layers[l].outputSize;
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const H = layer.outputSize;
      if (l < L - 1) below -= H;
      const headCol = this.concatHead ? below : 0;
      const fromHead = l === L - 1 || this.concatHead;
      // dL/dhˡ(t): from the head and from the layer above (through its dropout mask)
      let dS: Buf | null = null;
      let dSOff = 0;
      let dSLd = H;
      if (l === L - 1) {
        if (dSeq) { dS = dSeq; dSOff = dSeqOff + headCol; dSLd = dSeqLd; }
      } else {
        const d = this.dOut[l];
        if (dSeq && fromHead) k.copy2d(rows, H, dSeq, dSeqOff + headCol, dSeqLd, d, 0, H);
        else k.fill(rows * H, 0, d, 0);
        const above = this.layers[l + 1];
        const A = above.inputSize;
        if (this.dropped) for (let r = 0; r < rows; r++) k.mulAdd(H, this.dIn[l + 1], r * A, this.masks[l + 1], r * H, d, r * H);
        else for (let r = 0; r < rows; r++) k.axpy(H, 1, this.dIn[l + 1], r * A, d, r * H);
        dS = d;
      }
      const dL = dLast && fromHead ? dLast : null;
      const dLOff = dLastOff + headCol;
      // dL/d(inputˡ): into dx for the first layer, into dInˡ above it
      const s = this.src[l];
      if (l === 0) layer.backward(dS, dSOff, dSLd, dL, dLOff, dLastLd, s.buf, s.off, s.ld, dx, dxOff, lddx);
      else {
        const I = layer.inputSize;
        k.fill(rows * I, 0, this.dIn[l], 0);
        layer.backward(dS, dSOff, dSLd, dL, dLOff, dLastLd, s.buf, s.off, s.ld, this.dIn[l], 0, I);
        // Skip connection: dx += dL/d(x part of inˡ)
        if (this.inputToEveryLayer && dx) {
          const Hb = this.layers[l - 1].outputSize;
          for (let r = 0; r < rows; r++) k.axpy(this.inputSize, 1, this.dIn[l], r * I + Hb, dx, dxOff + r * lddx);
        }
      }
    }
  }
}

/** Mixes a 32-bit value into a 32-bit hash state (murmur3's finaliser on h ^ v·golden-ratio). */
function mix32(h: number, v: number): number {
  let x = (h ^ Math.imul(v >>> 0, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
