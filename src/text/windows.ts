/**
 * Token streams as training samples, as in the class notes: a window of T tokens is the feature
 * sequence and the same window shifted by one is the label sequence,
 *
 *   features [the, course, on, …]  →  labels [course, on, nature, …]
 *
 * and each token enters the network either as its id, looked up in the network's embedding table
 * (nn/embedding.ts), or, in the seeds' form, as a one-hot vector of vocabulary size V
 * ("[0 0 0 0 0 1 0 …]"). Batches are made one at a time, so the one-hot inputs of a whole corpus
 * (N × T × V numbers) are never held at once.
 */
import type { SequenceSet } from '../nn/sequences.js';
import type { TargetSet } from '../train/trainer.js';
import { UnrollError, badOption } from '../util/errors.js';

/** Start positions of training windows: inputs ids[s .. s+T), labels ids[s+1 .. s+T]. Only full windows. */
export function windowStarts(tokenCount: number, window: number, stride: number): Int32Array {
  if (!Number.isInteger(window) || window < 1) badOption('window', window, 'a positive integer (tokens per training window)');
  if (!Number.isInteger(stride) || stride < 1) badOption('stride', stride, 'a positive integer (tokens between window starts)');
  const starts: number[] = [];
  for (let s = 0; s + window + 1 <= tokenCount; s += stride) starts.push(s);
  return Int32Array.from(starts);
}

/**
 * Windows that score every token after the first exactly once: starts 0, T, 2T, …, the last one
 * shorter. Returns [start, length] pairs.
 */
export function scoringWindows(tokenCount: number, window: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < tokenCount - 1; s += window) out.push([s, Math.min(window, tokenCount - 1 - s)]);
  return out;
}

/** How tokens enter a network: their ids (through an embedding) or one-hot vectors. */
export type TokenForm = 'ids' | 'one-hot';

/** Reusable batch buffers for one vocabulary size, in one token form. */
export class TokenBatcher {
  private data = new Float64Array(0);
  private lengths = new Int32Array(0);
  private classes = new Int32Array(0);
  private capB = 0;
  private capT = 0;
  /** Positions currently set to 1 in `data`, cleared before the next fill. */
  private hot: number[] = [];
  readonly identity: Int32Array;

  /** Numbers per step: 1 (the id) or V (the one-hot vector). */
  private readonly width: number;

  constructor(readonly vocabSize: number, maxBatch: number, readonly form: TokenForm = 'one-hot') {
    this.identity = Int32Array.from({ length: maxBatch }, (_, i) => i);
    this.width = form === 'ids' ? 1 : vocabSize;
  }

  private plan(B: number, T: number): void {
    if (B <= this.capB && T <= this.capT) return;
    this.capB = Math.max(B, this.capB);
    this.capT = Math.max(T, this.capT);
    this.data = new Float64Array(this.capB * this.capT * this.width);
    this.lengths = new Int32Array(this.capB);
    this.classes = new Int32Array(this.capB * this.capT);
    this.hot = [];
  }

  /**
   * One batch: sample b reads inputs ids[starts[b] .. +lengths[b]) and, when `labelled`, labels
   * one token later. Returns the SequenceSet (B samples of up to T steps) and the class targets.
   */
  fill(ids: ArrayLike<number>, starts: ArrayLike<number>, lengths: ArrayLike<number>, labelled = true): [SequenceSet, TargetSet] {
    const B = starts.length;
    let T = 0;
    for (let b = 0; b < B; b++) T = Math.max(T, lengths[b]);
    this.plan(B, T);
    const V = this.vocabSize;
    const oneHot = this.form === 'one-hot';
    if (oneHot) for (const i of this.hot) this.data[i] = 0;
    this.hot.length = 0;
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      this.lengths[b] = L;
      for (let t = 0; t < T; t++) {
        const row = b * T + t;
        if (t >= L) {
          this.classes[row] = -1;
          if (!oneHot) this.data[row] = 0;
          continue;
        }
        const id = ids[starts[b] + t];
        if (!(id >= 0 && id < V)) throw new UnrollError(`token index ${id} at position ${starts[b] + t} is outside the vocabulary [0, ${V - 1}]`, 'input');
        if (oneHot) {
          const pos = row * V + id;
          this.data[pos] = 1;
          this.hot.push(pos);
        } else this.data[row] = id;
        this.classes[row] = labelled ? ids[starts[b] + t + 1] : -1;
      }
    }
    const W = this.width;
    const set: SequenceSet = { count: B, maxSteps: T, inputSize: W, data: this.data.subarray(0, B * T * W), lengths: this.lengths.subarray(0, B) };
    return [set, { values: null, classes: this.classes.subarray(0, B * T), steps: T }];
  }
}

/** The seeds' form: one-hot batches (kept under its old name). */
export class OneHotBatcher extends TokenBatcher {
  constructor(vocabSize: number, maxBatch: number) {
    super(vocabSize, maxBatch, 'one-hot');
  }
}
