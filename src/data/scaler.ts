/**
 * Per-feature scalers for [rows, cols] row-major data, fitted on a chosen span of rows only (the
 * training span: statistics of test data must never leak into the model), stored as plain JSON with a
 * model, and inverted on the model's outputs.
 *
 *   min-max   x' = lo + (x - min) · (hi - lo) / (max - min)     (seeds: lo = 0, hi = 1)
 *   standard  x' = (x - mean) / std                             (population std, as scikit-learn)
 *
 * A constant column (max = min, or std = 0) uses a divisor of 1 instead of 0, so it maps to lo (min-max)
 * or 0 (standard) rather than NaN, and the inverse still returns the constant.
 */
import { UnrollError, describe } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';

/** Rows [start, end) of a series or matrix. */
export interface Span {
  start: number;
  end: number;
}

export type ScalerKind = 'minmax' | 'standard' | 'none';

export interface MinMaxScalerJSON {
  kind: 'minmax';
  featureRange: [number, number];
  min: number[];
  max: number[];
}
export interface StandardScalerJSON {
  kind: 'standard';
  mean: number[];
  std: number[];
}
export interface NoScalerJSON {
  kind: 'none';
  cols: number;
}
export type ScalerJSON = MinMaxScalerJSON | StandardScalerJSON | NoScalerJSON;

export interface FitOptions {
  /** The rows to learn the statistics from: the training span. @default all rows */
  span?: Span;
}

export interface ScalerOptions {
  /** min-max only: the target range [lo, hi]. @default [0, 1] */
  featureRange?: [number, number];
}

/** The common interface: fit, then transform and inverse-transform data with the same number of columns. */
export abstract class Scaler {
  abstract readonly kind: ScalerKind;
  /** Number of columns fitted; 0 before fit. */
  protected cols = 0;

  /** Learns per-column statistics from rows span.start..span.end-1 of `data` ([rows, cols] row-major). */
  fit(data: ArrayLike<number>, cols: number, options: FitOptions = {}): this {
    checkOptions(options, { span: is.object }, { where: 'scaler fit' });
    const rows = checkShape(data, cols, 'fit');
    const span = options.span ?? { start: 0, end: rows };
    if (!Number.isInteger(span.start) || !Number.isInteger(span.end) || span.start < 0 || span.end > rows || span.end <= span.start) {
      throw new UnrollError(`option "span" is {start: ${span.start}, end: ${span.end}}; expected integers with 0 <= start < end <= ${rows} (the rows)`, 'option');
    }
    for (let t = span.start; t < span.end; t++) {
      for (let j = 0; j < cols; j++) {
        const v = data[t * cols + j]!;
        if (!Number.isFinite(v)) throw new UnrollError(`scaler fit: row ${t}, column ${j} is ${v}; expected finite numbers`, 'data');
      }
    }
    this.cols = cols;
    this.learn(data, cols, span);
    return this;
  }

  /** Scales every row; returns a new array. */
  transform(data: ArrayLike<number>, cols: number = this.cols): Float64Array {
    this.checkFitted(cols);
    checkShape(data, cols, 'transform');
    const out = Float64Array.from(data);
    for (let i = 0; i < out.length; i++) out[i] = this.transformValue(out[i]!, i % cols);
    return out;
  }

  /** Undoes transform; returns a new array. */
  inverseTransform(data: ArrayLike<number>, cols: number = this.cols): Float64Array {
    this.checkFitted(cols);
    checkShape(data, cols, 'inverseTransform');
    const out = Float64Array.from(data);
    for (let i = 0; i < out.length; i++) out[i] = this.inverseValue(out[i]!, i % cols);
    return out;
  }

  /** Number of columns the scaler was fitted on (0 before fit). */
  get columns(): number {
    return this.cols;
  }

  /** Scales one value of column `col`. */
  abstract transformValue(x: number, col: number): number;
  /** Unscales one value of column `col` (e.g. a model's output for the target column). */
  abstract inverseValue(y: number, col: number): number;
  /** Plain JSON holding everything needed to rebuild this scaler. */
  abstract toJSON(): ScalerJSON;
  protected abstract learn(data: ArrayLike<number>, cols: number, span: Span): void;

  private checkFitted(cols: number): void {
    if (this.cols === 0) throw new UnrollError(`the ${this.kind} scaler is used before fit; expected fit(trainingData, cols) first`, 'state');
    if (cols !== this.cols) throw new UnrollError(`the ${this.kind} scaler was fitted on ${this.cols} column(s) but got ${cols}; expected the same features`, 'shape');
  }
}

function checkShape(data: ArrayLike<number>, cols: number, what: string): number {
  if (!Number.isInteger(cols) || cols < 1) throw new UnrollError(`scaler ${what}: cols is ${describe(cols)}; expected a positive integer`, 'option');
  if (data.length % cols !== 0) {
    throw new UnrollError(`scaler ${what}: ${data.length} values do not form rows of ${cols} columns; expected a multiple of ${cols}`, 'shape');
  }
  return data.length / cols;
}

export class MinMaxScaler extends Scaler {
  readonly kind = 'minmax' as const;
  readonly featureRange: [number, number];
  private min: number[] = [];
  private max: number[] = [];

  constructor(options: ScalerOptions = {}) {
    super();
    checkOptions(options, { featureRange: is.array }, { where: 'MinMaxScaler' });
    const range = options.featureRange ?? [0, 1];
    if (!Array.isArray(range) || range.length !== 2 || !Number.isFinite(range[0]) || !Number.isFinite(range[1]) || !(range[0] < range[1])) {
      throw new UnrollError(`option "featureRange" is ${describe(range)}; expected [lo, hi] with lo < hi, e.g. [0, 1]`, 'option');
    }
    this.featureRange = [range[0], range[1]];
  }

  protected learn(data: ArrayLike<number>, cols: number, span: Span): void {
    this.min = new Array<number>(cols).fill(Infinity);
    this.max = new Array<number>(cols).fill(-Infinity);
    for (let t = span.start; t < span.end; t++) {
      for (let j = 0; j < cols; j++) {
        const v = data[t * cols + j]!;
        if (v < this.min[j]!) this.min[j] = v;
        if (v > this.max[j]!) this.max[j] = v;
      }
    }
  }

  private divisor(col: number): number {
    const d = this.max[col]! - this.min[col]!;
    return d === 0 ? 1 : d;
  }

  transformValue(x: number, col: number): number {
    const [lo, hi] = this.featureRange;
    return lo + ((x - this.min[col]!) * (hi - lo)) / this.divisor(col);
  }

  inverseValue(y: number, col: number): number {
    const [lo, hi] = this.featureRange;
    return this.min[col]! + ((y - lo) * this.divisor(col)) / (hi - lo);
  }

  toJSON(): MinMaxScalerJSON {
    return { kind: 'minmax', featureRange: [...this.featureRange], min: [...this.min], max: [...this.max] };
  }

  static fromJSON(json: MinMaxScalerJSON): MinMaxScaler {
    const s = new MinMaxScaler({ featureRange: json.featureRange });
    checkStats(json.min, 'min');
    checkStats(json.max, 'max', json.min.length);
    s.min = [...json.min];
    s.max = [...json.max];
    s.cols = json.min.length;
    return s;
  }
}

export class StandardScaler extends Scaler {
  readonly kind = 'standard' as const;
  private mean: number[] = [];
  private std: number[] = [];

  protected learn(data: ArrayLike<number>, cols: number, span: Span): void {
    const n = span.end - span.start;
    this.mean = new Array<number>(cols).fill(0);
    this.std = new Array<number>(cols).fill(0);
    for (let t = span.start; t < span.end; t++) for (let j = 0; j < cols; j++) this.mean[j]! += data[t * cols + j]! / n;
    for (let t = span.start; t < span.end; t++) {
      for (let j = 0; j < cols; j++) this.std[j]! += (data[t * cols + j]! - this.mean[j]!) ** 2 / n;
    }
    this.std = this.std.map(Math.sqrt);
  }

  private divisor(col: number): number {
    const s = this.std[col]!;
    return s === 0 ? 1 : s;
  }

  transformValue(x: number, col: number): number {
    return (x - this.mean[col]!) / this.divisor(col);
  }

  inverseValue(y: number, col: number): number {
    return this.mean[col]! + y * this.divisor(col);
  }

  toJSON(): StandardScalerJSON {
    return { kind: 'standard', mean: [...this.mean], std: [...this.std] };
  }

  static fromJSON(json: StandardScalerJSON): StandardScaler {
    const s = new StandardScaler();
    checkStats(json.mean, 'mean');
    checkStats(json.std, 'std', json.mean.length);
    s.mean = [...json.mean];
    s.std = [...json.std];
    s.cols = json.mean.length;
    return s;
  }
}

/** The identity: for models that take raw values. It still records the column count. */
export class NoScaler extends Scaler {
  readonly kind = 'none' as const;
  protected learn(): void {}
  transformValue(x: number): number {
    return x;
  }
  inverseValue(y: number): number {
    return y;
  }
  toJSON(): NoScalerJSON {
    return { kind: 'none', cols: this.cols };
  }
  static fromJSON(json: NoScalerJSON): NoScaler {
    const s = new NoScaler();
    if (!Number.isInteger(json.cols) || json.cols < 1) throw new UnrollError(`scaler JSON: "cols" is ${describe(json.cols)}; expected a positive integer`, 'model-file');
    s.cols = json.cols;
    return s;
  }
}

function checkStats(v: unknown, name: string, length?: number): void {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new UnrollError(`scaler JSON: "${name}" is ${describe(v)}; expected a non-empty array of finite numbers`, 'model-file');
  }
  if (length !== undefined && v.length !== length) {
    throw new UnrollError(`scaler JSON: "${name}" has ${v.length} entries; expected ${length}, one per column`, 'model-file');
  }
}

/** Makes an unfitted scaler of the given kind. */
export function createScaler(kind: ScalerKind, options: ScalerOptions = {}): Scaler {
  // Only min-max has a target range: the other kinds say so rather than drop it.
  const cannot = kind === 'minmax' ? undefined : { featureRange: `a ${describe(kind)} scaler has no target range (only 'minmax' has)` };
  checkOptions(options, { featureRange: is.array }, { where: 'createScaler', cannot });
  if (kind === 'minmax') return new MinMaxScaler(options);
  if (kind === 'standard') return new StandardScaler();
  if (kind === 'none') return new NoScaler();
  throw new UnrollError(`option "scaler" is ${describe(kind)}; expected 'minmax', 'standard' or 'none'`, 'option');
}

/** Rebuilds a fitted scaler from toJSON() output (e.g. read back from a saved model). */
export function scalerFromJSON(json: unknown): Scaler {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === 'minmax') return MinMaxScaler.fromJSON(json as MinMaxScalerJSON);
  if (kind === 'standard') return StandardScaler.fromJSON(json as StandardScalerJSON);
  if (kind === 'none') return NoScaler.fromJSON(json as NoScalerJSON);
  throw new UnrollError(`scaler JSON: "kind" is ${describe(kind)}; expected 'minmax', 'standard' or 'none'`, 'model-file');
}
