/**
 * Parameters live in ONE flat buffer (and their gradients in another) owned by the backend, so an
 * optimizer step, gradient clipping and the finiteness check are each a single kernel call over
 * all parameters. A `Param` is a named slice of those buffers: `values[offset .. offset + size)`.
 *
 * Names follow PyTorch (`weight_ih_l0`, `bias_hh_l1_reverse`, …) so weights move to and from
 * PyTorch, ONNX and Keras by name.
 */
import type { Backend, Buf } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';
import { checkOptions, is, type Spec } from '../util/options.js';
import type { Rng } from '../util/rng.js';

/** The keys of each kind of Init. */
const INIT_RULES: Record<string, Spec> = {
  uniform: { kind: is.string, bound: is.nonNegative },
  normal: { kind: is.string, std: is.nonNegative },
  zeros: { kind: is.string },
  constant: { kind: is.string, value: is.number },
};

/** How a parameter is initialised. */
export type Init =
  | { kind: 'uniform'; bound: number }
  | { kind: 'normal'; std: number }
  | { kind: 'zeros' }
  | { kind: 'constant'; value: number };

export interface Param {
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
  /** Offset of this parameter in `ParamStore.values` and `ParamStore.grads`. */
  readonly offset: number;
  readonly init: Init;
}

export class ParamStore {
  private readonly list: Param[] = [];
  private total = 0;
  private valuesBuf: Buf | null = null;
  private gradsBuf: Buf | null = null;

  /** Declares a parameter; its storage appears when `allocate` runs. */
  add(name: string, shape: number[], init: Init): Param {
    const kind = (init as { kind?: unknown } | null)?.kind;
    const rules = typeof kind === 'string' && Object.hasOwn(INIT_RULES, kind) ? INIT_RULES[kind] : undefined;
    if (!rules) checkOptions(init, { kind: is.oneOf(...Object.keys(INIT_RULES)) }, { where: `parameter ${name} init` }, false);
    checkOptions(init, rules!, { where: `parameter ${name} init` }, false);
    if (this.valuesBuf) throw new Error(`internal: parameter ${name} declared after allocation`);
    if (this.list.some((p) => p.name === name)) throw new Error(`internal: duplicate parameter name ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    const p: Param = { name, shape, size, offset: this.total, init };
    this.list.push(p);
    this.total += size;
    return p;
  }

  /** Allocates values and gradients on `backend` and initialises the values from `rng`. */
  allocate(backend: Backend, rng: Rng): void {
    this.valuesBuf = backend.alloc(Math.max(1, this.total));
    this.gradsBuf = backend.alloc(Math.max(1, this.total));
    for (const p of this.list) initialise(this.valuesBuf, p, rng);
  }

  get params(): readonly Param[] {
    return this.list;
  }
  get count(): number {
    return this.total;
  }
  get values(): Buf {
    if (!this.valuesBuf) throw new Error('internal: parameters used before allocation');
    return this.valuesBuf;
  }
  get grads(): Buf {
    if (!this.gradsBuf) throw new Error('internal: gradients used before allocation');
    return this.gradsBuf;
  }

  find(name: string): Param | undefined {
    return this.list.find((p) => p.name === name);
  }

  /** All parameters as plain nested-free arrays, by name (row-major, PyTorch layout). */
  getWeights(): Record<string, { shape: number[]; data: number[] }> {
    const out: Record<string, { shape: number[]; data: number[] }> = {};
    for (const p of this.list) {
      out[p.name] = { shape: [...p.shape], data: Array.from(this.values.subarray(p.offset, p.offset + p.size)) };
    }
    return out;
  }

  /**
   * Sets parameters by name. Each value is a flat array, a nested array in row-major order, or a
   * `{shape, data}` record. Unknown names and wrong sizes are errors; with `strict` (default) every
   * parameter must be given.
   */
  setWeights(weights: Record<string, unknown>, options: { strict?: boolean } = {}): void {
    checkOptions(options, { strict: is.boolean }, { where: 'setWeights' });
    const strict = options.strict ?? true;
    for (const name of Object.keys(weights)) {
      if (!this.find(name)) {
        throw new UnrollError(`setWeights: unknown parameter "${name}"; this model has: ${this.list.map((p) => p.name).join(', ')}`, 'weights');
      }
    }
    for (const p of this.list) {
      const given = weights[p.name];
      if (given === undefined) {
        if (strict) throw new UnrollError(`setWeights: parameter "${p.name}" (shape [${p.shape.join(', ')}]) is missing`, 'weights');
        continue;
      }
      const flat = flatten(given, p);
      if (flat.length !== p.size) {
        throw new UnrollError(`setWeights: parameter "${p.name}" needs ${p.size} numbers (shape [${p.shape.join(', ')}]), got ${flat.length}`, 'weights');
      }
      for (let i = 0; i < p.size; i++) {
        const v = flat[i];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new UnrollError(`setWeights: parameter "${p.name}" has a non-finite or non-numeric value at index ${i}`, 'weights');
        }
        this.values[p.offset + i] = v;
      }
    }
  }
}

function flatten(v: unknown, p: Param): unknown[] {
  if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
    const rec = v as { shape?: unknown; data?: unknown };
    if (Array.isArray(rec.shape) && rec.data !== undefined) {
      if (rec.shape.length !== p.shape.length || rec.shape.some((d, i) => d !== p.shape[i])) {
        throw new UnrollError(`setWeights: parameter "${p.name}" has shape [${p.shape.join(', ')}], got [${rec.shape.join(', ')}]`, 'weights');
      }
      return flatten(rec.data, p);
    }
  }
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return (v as unknown[]).flat(Infinity);
  if (typeof v === 'number') return [v];
  throw new UnrollError(`setWeights: parameter "${p.name}" must be an array of numbers`, 'weights');
}

function initialise(values: Buf, p: Param, rng: Rng): void {
  const { init } = p;
  for (let i = 0; i < p.size; i++) {
    values[p.offset + i] =
      init.kind === 'uniform' ? rng.uniform(-init.bound, init.bound)
        : init.kind === 'normal' ? init.std * rng.normal()
          : init.kind === 'constant' ? init.value : 0;
  }
}
