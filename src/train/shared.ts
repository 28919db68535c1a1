/**
 * The shared control block between the main thread and a training worker (parallel.ts, worker.ts).
 * Int32 slots; the main thread writes a command, bumps `seq` and notifies; the worker answers by
 * setting `done` to the same sequence number and notifying.
 */
export const CTRL = {
  /** Command sequence number, bumped by the main thread. */
  seq: 0,
  /** Sequence number of the last command the worker finished. −1 until the worker has started; LOAD_FAILED when its module could not load. */
  done: 1,
  cmd: 2,
  /** Samples in the worker's shard. */
  count: 3,
  /** STATUS of the last command. */
  status: 4,
  /** 1 when dropout is active (training mode). */
  training: 5,
  /** Position of the worker's shard in the whole batch (FORWARD, STEP), and the whole batch's size (FORWARD). */
  start: 6,
  total: 7,
  /** FORWARD: steps of the whole batch's longest sequence. */
  steps: 8,
  /** STEP: the main thread's dropout pass count (Stack.maskEpoch) for this batch. */
  maskEpoch: 9,
  size: 12,
} as const;

export const CMD = { step: 1, load: 2, forward: 4 } as const;
export const STATUS = { ok: 0, error: 1 } as const;

/** `done` of a worker whose module could not be loaded (it posted the error and ends): its last word, not a death. */
export const LOAD_FAILED = -3;

/** A typed array on a SharedArrayBuffer, as it travels between threads. */
export interface SharedView {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
  dtype: 'float32' | 'float64';
}

export function view(v: SharedView): Float32Array | Float64Array {
  return v.dtype === 'float32' ? new Float32Array(v.buffer, v.byteOffset, v.length) : new Float64Array(v.buffer, v.byteOffset, v.length);
}

/** Describes `a` as a SharedView, or null when it does not live in a SharedArrayBuffer. */
export function describeShared(a: Float32Array | Float64Array): SharedView | null {
  if (typeof SharedArrayBuffer === 'undefined' || !(a.buffer instanceof SharedArrayBuffer)) return null;
  return { buffer: a.buffer, byteOffset: a.byteOffset, length: a.length, dtype: a instanceof Float32Array ? 'float32' : 'float64' };
}
