/**
 * Sequence data as the model sees it, and the packing of samples into time-major batches.
 *
 * At the API, inputs are N samples × T_i steps × D features (`number[][][]`), each sample with its
 * own length T_i — the user never pads. For D = 1, `number[][]` (N × T_i) is accepted too. Inside,
 * a `SequenceSet` stores them batch-major and zero-padded to the longest, with `lengths`.
 */
import type { Buf } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';

export interface SequenceSet {
  readonly count: number;
  readonly maxSteps: number;
  readonly inputSize: number;
  /** count × maxSteps × inputSize, zero past each sample's length. */
  readonly data: Float64Array;
  readonly lengths: Int32Array;
}

/** Ragged sequences `[N][T_i][D]`, or `[N][T_i]` when D = 1, or an already-built SequenceSet. */
export type SequenceInput = number[][][] | number[][] | SequenceSet;

export function isSequenceSet(x: unknown): x is SequenceSet {
  return !!x && typeof x === 'object' && !Array.isArray(x) && (x as SequenceSet).data instanceof Float64Array;
}

/** Validates ragged input and packs it. `what` names the argument in error messages. */
export function toSequenceSet(input: SequenceInput, inputSize: number, what = 'x'): SequenceSet {
  if (isSequenceSet(input)) return checkSequenceSet(input, inputSize, what);
  if (!Array.isArray(input) || input.length === 0) {
    throw new UnrollError(`${what}: expected a non-empty array of sequences (N × T × D), got ${Array.isArray(input) ? 'an empty array' : typeof input}`, 'shape');
  }
  const count = input.length;
  const lengths = new Int32Array(count);
  let maxSteps = 0;
  for (let n = 0; n < count; n++) {
    const seq = input[n];
    if (!Array.isArray(seq)) throw new UnrollError(`${what}[${n}]: expected an array of time steps, got ${typeof seq}`, 'shape');
    if (seq.length === 0) throw new UnrollError(`${what}[${n}]: a sequence needs at least 1 step, got length 0`, 'shape');
    lengths[n] = seq.length;
    if (seq.length > maxSteps) maxSteps = seq.length;
  }
  const data = new Float64Array(count * maxSteps * inputSize);
  for (let n = 0; n < count; n++) {
    const seq = input[n] as unknown[];
    for (let t = 0; t < seq.length; t++) {
      const step = seq[t];
      const base = (n * maxSteps + t) * inputSize;
      if (typeof step === 'number') {
        if (inputSize !== 1) {
          throw new UnrollError(`${what}[${n}][${t}]: got a single number, but the model expects ${inputSize} features per step`, 'shape');
        }
        data[base] = checkFinite(step, what, n, t, 0);
      } else if (Array.isArray(step)) {
        if (step.length !== inputSize) {
          throw new UnrollError(`${what}[${n}][${t}]: got ${step.length} features, but the model expects inputSize = ${inputSize}`, 'shape');
        }
        for (let d = 0; d < inputSize; d++) data[base + d] = checkFinite(step[d], what, n, t, d);
      } else {
        throw new UnrollError(`${what}[${n}][${t}]: expected a number or an array of ${inputSize} numbers`, 'shape');
      }
    }
  }
  return { count, maxSteps, inputSize, data, lengths };
}

function checkFinite(v: unknown, what: string, n: number, t: number, d: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new UnrollError(`${what}[${n}][${t}][${d}] is ${v === undefined ? 'missing' : String(v)}; inputs must be finite numbers (no NaN or Infinity)`, 'input');
  }
  return v;
}

/**
 * Targets: for many-to-one, N × O numbers (`number[][]`, or `number[]` when O = 1); for
 * many-to-many, one O-vector per valid step of each sample (`number[][][]`, or `number[][]` when
 * O = 1). Class targets are integer class indices in the same shapes with O = 1.
 */
export type TargetInput = number[] | number[][] | number[][][];

/** Packs targets to [count, steps, size] (steps = 1 for many-to-one), zero past each length. */
export function toTargetArray(y: TargetInput, size: number, set: SequenceSet, perStep: boolean, what = 'y'): Float64Array {
  if (!Array.isArray(y)) throw new UnrollError(`${what}: expected an array of targets`, 'shape');
  if (y.length !== set.count) {
    throw new UnrollError(`${what}: got ${y.length} targets for ${set.count} input sequences; expected one per sequence`, 'shape');
  }
  const steps = perStep ? set.maxSteps : 1;
  const out = new Float64Array(set.count * steps * size);
  const put = (v: unknown, n: number, t: number, where: string): void => {
    const base = (n * steps + t) * size;
    if (typeof v === 'number') {
      if (size !== 1) throw new UnrollError(`${where}: got one number, expected ${size} outputs`, 'shape');
      if (!Number.isFinite(v)) throw new UnrollError(`${where} is ${v}; targets must be finite numbers`, 'input');
      out[base] = v;
    } else if (Array.isArray(v)) {
      if (v.length !== size) throw new UnrollError(`${where}: got ${v.length} numbers, expected outputSize = ${size}`, 'shape');
      for (let o = 0; o < size; o++) {
        const e = v[o];
        if (typeof e !== 'number' || !Number.isFinite(e)) throw new UnrollError(`${where}[${o}] is ${String(e)}; targets must be finite numbers`, 'input');
        out[base + o] = e;
      }
    } else throw new UnrollError(`${where}: expected a number or an array of ${size} numbers`, 'shape');
  };
  for (let n = 0; n < set.count; n++) {
    if (!perStep) {
      put(y[n], n, 0, `${what}[${n}]`);
      continue;
    }
    const seq = y[n];
    if (!Array.isArray(seq) || seq.length !== set.lengths[n]) {
      throw new UnrollError(`${what}[${n}]: expected ${set.lengths[n]} per-step targets (one per input step), got ${Array.isArray(seq) ? seq.length : typeof seq}`, 'shape');
    }
    for (let t = 0; t < seq.length; t++) put(seq[t], n, t, `${what}[${n}][${t}]`);
  }
  return out;
}

/**
 * Copies samples `indices[from .. from+B)` of a SequenceSet into a time-major batch buffer:
 * row t·B + b of `x` holds sample b at step t (zeros past its length). Returns the batch's T.
 */
export function packInputs(set: SequenceSet, indices: ArrayLike<number>, from: number, batch: number,
  x: Buf, lengths: Int32Array): number {
  const D = set.inputSize;
  let steps = 0;
  for (let b = 0; b < batch; b++) {
    const L = set.lengths[indices[from + b]];
    lengths[b] = L;
    if (L > steps) steps = L;
  }
  for (let b = 0; b < batch; b++) {
    const n = indices[from + b];
    const L = set.lengths[n];
    for (let t = 0; t < steps; t++) {
      const dst = (t * batch + b) * D;
      if (t < L) {
        const src = (n * set.maxSteps + t) * D;
        for (let d = 0; d < D; d++) x[dst + d] = set.data[src + d];
      } else for (let d = 0; d < D; d++) x[dst + d] = 0;
    }
  }
  return steps;
}

/** Validates a packed SequenceSet: sizes agree, every length is in [1, maxSteps], values are finite. */
export function checkSequenceSet(set: SequenceSet, inputSize: number, what = 'x'): SequenceSet {
  if (set.inputSize !== inputSize) {
    throw new UnrollError(`${what}: sequences have ${set.inputSize} features per step, but the model expects inputSize = ${inputSize}`, 'shape');
  }
  if (!(set.lengths instanceof Int32Array) || set.lengths.length !== set.count) {
    throw new UnrollError(`${what}: lengths must be an Int32Array with one length per sequence (${set.count})`, 'shape');
  }
  if (set.data.length !== set.count * set.maxSteps * set.inputSize) {
    throw new UnrollError(`${what}: data has ${set.data.length} numbers; expected count × maxSteps × inputSize = ${set.count} × ${set.maxSteps} × ${set.inputSize}`, 'shape');
  }
  for (let n = 0; n < set.count; n++) {
    const L = set.lengths[n];
    if (L < 1) throw new UnrollError(`${what}: lengths[${n}] is ${L}; every sequence needs at least 1 step`, 'shape');
    if (L > set.maxSteps) throw new UnrollError(`${what}: lengths[${n}] is ${L}, longer than the sequences (maxSteps = ${set.maxSteps})`, 'shape');
    for (let i = n * set.maxSteps * inputSize, end = i + L * inputSize; i < end; i++) {
      if (!Number.isFinite(set.data[i])) {
        const t = Math.floor((i / inputSize) % set.maxSteps);
        throw new UnrollError(`${what}[${n}][${t}][${i % inputSize}] is ${set.data[i]}; inputs must be finite numbers (no NaN or Infinity)`, 'input');
      }
    }
  }
  return set;
}
