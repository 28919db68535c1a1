/**
 * Step-by-step use of a trained network, for streaming and generation:
 *
 *   const stream = new Stream(model);
 *   let state = stream.initialState();
 *   for (const x of incoming) { const [y, next] = stream.step(x, state); state = next; … }
 *
 * `step(x_t, state) → [y_t, state]` runs every layer for one step from the given state and
 * returns the output and the new state (the old state object is not changed, so a caller can
 * branch from any state). The result equals running the whole sequence at once.
 *
 * `generate` is the one-to-many output mode: after an optional primer sequence, each output is fed
 * back as the next input (outputSize = inputSize), as in sequence generation.
 *
 * A bidirectional network cannot stream or generate: its backward direction needs the whole
 * sequence first ("this is not an online process").
 */
import type { Buf } from '../kernels/index.js';
import { UnrollError, badOption, describe } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import { RecurrentLayer } from './layer.js';
import type { Network } from './model.js';
import type { SequenceSet } from './sequences.js';

/**
 * The state of every layer for a batch of streams: layers[l] holds B rows of that layer's
 * stateSize, one after the other. Plain numbers, so `JSON.parse(JSON.stringify(state))` gives the
 * same state back exactly (a Float64Array, or the object JSON makes of one, is accepted too).
 */
export interface StreamState {
  readonly batch: number;
  readonly layers: number[][];
}

export class Stream {
  private readonly layers: RecurrentLayer[];
  private readonly bufs: Buf[] = [];

  constructor(readonly model: Network, what = 'streaming') {
    if (model.config.bidirectional) {
      badOption('bidirectional', true, `false for ${what} (a bidirectional network's backward direction needs the whole sequence first)`);
    }
    this.layers = model.layers.map((l) => {
      if (!(l instanceof RecurrentLayer)) throw new UnrollError(`${what}: layer kind ${l.kind} cannot run step by step`, 'option');
      return l;
    });
  }

  /** The state before the first step: the learned initial state of each layer, or zeros. */
  initialState(batch = 1): StreamState {
    const k = this.model.backend;
    const values = this.model.store.values;
    return {
      batch,
      layers: this.layers.map((layer) => {
        const S = layer.cell.stateSize;
        const s = new Array<number>(batch * S).fill(0);
        const init = layer.unroll.initialState;
        if (init) for (let b = 0; b < batch; b++) for (let i = 0; i < S; i++) s[b * S + i] = values[init.offset + i];
        void k;
        return s;
      }),
    };
  }

  /**
   * One step for B streams: `x` is one input vector (B = 1) or B of them; returns the outputs in
   * the same form, and the new state.
   */
  /**
   * Refuses a state that this model's `step` / `initialState` did not make: wrong shape, a layer
   * count or size that does not fit, or values that are not finite numbers.
   */
  private checkState(s: StreamState): void {
    const what = 'step: the state';
    if (!s || typeof s !== 'object' || !Number.isInteger(s.batch) || s.batch < 1 || !Array.isArray(s.layers)) {
      throw new UnrollError(`${what} must be { batch, layers } as returned by step() or initialState() of this model`, 'input');
    }
    if (s.layers.length !== this.layers.length) {
      throw new UnrollError(`${what} has ${s.layers.length} layer(s); this model has ${this.layers.length} (a state from another model?)`, 'shape');
    }
    this.layers.forEach((layer, l) => {
      const need = s.batch * layer.cell.stateSize;
      const row = asNumbers(s.layers[l]);
      if (!row) {
        throw new UnrollError(`${what}: layer ${l} is ${describe(s.layers[l])}, not a list of numbers; expected ${need} numbers (${s.batch} stream(s) × state size ${layer.cell.stateSize})`, 'shape');
      }
      if (row.length !== need) {
        throw new UnrollError(`${what}: layer ${l} holds ${row.length} numbers; expected ${need} (${s.batch} stream(s) × state size ${layer.cell.stateSize})`, 'shape');
      }
      for (let i = 0; i < need; i++) {
        if (!Number.isFinite(row[i])) throw new UnrollError(`${what}: layer ${l} value ${i} is ${row[i]}; states must be finite numbers`, 'input');
      }
    });
  }

  step(x: number[] | number[][], state?: StreamState): [number[] | number[][], StreamState] {
    const single = typeof x[0] === 'number';
    const rows = (single ? [x] : x) as number[][];
    const B = rows.length;
    const D = this.model.inputSize;
    const s = state ?? this.initialState(B);
    this.checkState(s);
    if (s.batch !== B) throw new UnrollError(`step: the state holds ${s.batch} stream(s) but ${B} input vector(s) were given`, 'shape');
    const data = new Float64Array(B * D);
    rows.forEach((r, b) => {
      if (!Array.isArray(r) || r.length !== D) throw new UnrollError(`step: input ${b} has ${Array.isArray(r) ? r.length : typeof r} numbers; expected inputSize = ${D}`, 'shape');
      r.forEach((v, d) => {
        if (!Number.isFinite(v)) throw new UnrollError(`step: input ${b}[${d}] is ${v}; inputs must be finite numbers`, 'input');
        data[b * D + d] = v;
      });
    });
    const set: SequenceSet = { count: B, maxSteps: 1, inputSize: D, data, lengths: new Int32Array(B).fill(1) };
    const m = this.model;
    m.loadBatch(set, Int32Array.from({ length: B }, (_, i) => i), 0, B);
    const k = m.backend;
    this.layers.forEach((layer, l) => {
      const S = layer.cell.stateSize;
      if (!this.bufs[l] || this.bufs[l].length < B * S) this.bufs[l] = k.alloc(B * S);
      const row = asNumbers(s.layers[l])!;
      for (let i = 0; i < B * S; i++) this.bufs[l][i] = row[i];
      layer.initial = { buf: this.bufs[l], offset: 0 };
    });
    const training = m.training;
    try {
      m.training = false;
      m.forward();
    } finally {
      m.training = training;
      for (const layer of this.layers) layer.initial = null;
    }
    const next: StreamState = {
      batch: B,
      layers: this.layers.map((layer) => {
        const S = layer.cell.stateSize;
        return Array.from(layer.lastBuf.subarray(layer.finalStateOffset(0), layer.finalStateOffset(0) + B * S));
      }),
    };
    const K = m.outputSize;
    const ys = Array.from({ length: B }, (_, b) => Array.from(m.y.subarray(b * K, (b + 1) * K)));
    return [single ? ys[0] : ys, next];
  }
}

export interface GenerateOptions {
  /** Inputs read before generating (T0 × inputSize); their outputs are not returned. @default none (start from the initial state) */
  primer?: number[][];
  /** The first input fed when there is no primer. @default zeros */
  start?: number[];
  /** Outputs to generate. */
  steps: number;
  /** Maps an output to the next input (e.g. sampling, or adding known features). @default the output itself */
  next?: (y: number[], t: number) => number[];
}

/**
 * One-to-many generation: feeds each output back as the next input. Returns `steps` outputs.
 * With a primer, the first generated output is the one after the primer's last input.
 */
export function generate(model: Network, options: GenerateOptions): number[][] {
  checkOptions(options, { primer: is.array, start: is.array, steps: is.positiveInt, next: is.function }, { where: 'generate' }, false);
  const stream = new Stream(model, 'one-to-many generation');
  const { steps } = options;
  if (!Number.isInteger(steps) || steps < 1) badOption('steps', steps, 'a positive integer');
  const D = model.inputSize;
  const next = options.next ?? ((y: number[]) => y);
  if (!options.next && model.outputSize !== D) {
    badOption('next', undefined, `a function mapping outputs to inputs, because outputSize (${model.outputSize}) ≠ inputSize (${D})`);
  }
  let state = stream.initialState(1);
  const out: number[][] = [];
  let y: number[] | null = null;
  // The primer's last output is already the first prediction.
  for (const x of options.primer ?? []) [y, state] = stream.step(x, state) as [number[], StreamState];
  if (y) out.push(y);
  let x = y ? next(y, 0) : (options.start ?? new Array(D).fill(0));
  while (out.length < steps) {
    [y, state] = stream.step(x, state) as [number[], StreamState];
    out.push(y);
    x = next(y, out.length - 1);
  }
  return out;
}

/**
 * A layer's state as numbers: an array, a typed array, or the object JSON makes of a typed array
 * ({ "0": …, "1": …, … }, from states saved before they were plain arrays). Null otherwise.
 */
function asNumbers(row: unknown): ArrayLike<number> | null {
  if (Array.isArray(row) || ArrayBuffer.isView(row)) return row as unknown as ArrayLike<number>;
  if (row && typeof row === 'object') {
    const keys = Object.keys(row);
    if (keys.every((key, i) => key === String(i))) return keys.map((key) => (row as Record<string, number>)[key]);
  }
  return null;
}
