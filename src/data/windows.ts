/**
 * Sliding windows: the training samples of a sequence model (seed 004: "features 1..9 -> label 10").
 *
 * A window ends at row e of a source (its last input step). Its inputs are rows e-len+1..e, where
 * len = min(lookback, e+1), and its targets are rows e+1..e+horizon:
 *
 *   value      y[e+k]                        (regression on the level)
 *   return     y[e+k] / y[e+k-1] - 1         (regression on the simple return)
 *   logReturn  ln(y[e+k] / y[e+k-1])
 *   direction  1 if y[e+k] > y[e+k-1] else 0  (classification: "invest or not"; no move counts as 0)
 *
 * Windows shorter than `lookback` (near the start of a source) are kept when len >= minLength. So with
 * minLength < lookback a company with a short history still yields samples, just shorter ones
 * (StatQuest's 9-day and 5-day companies); they travel in the same batch through `lengths`.
 *
 * Layout: x is [N, T, D] row-major with T = lookback; sample i's steps 0..lengths[i]-1 hold its inputs
 * (left-aligned) and the rest are zeros. targets is [N, horizon].
 */
import { UnrollError, describe } from '../util/errors.js';
import type { Span } from './scaler.js';
import { checkOptions, is } from '../util/options.js';

export type TargetKind = 'value' | 'return' | 'logReturn' | 'direction';

export interface WindowOptions {
  /** Input steps per window (T). */
  lookback: number;
  /** Targets per window: 1 for next-step, h for a direct multi-output forecast. @default 1 */
  horizon?: number;
  /** What the targets are. @default 'value' */
  target?: TargetKind;
  /** Shortest window kept; below lookback, early rows and short histories give shorter windows. @default lookback */
  minLength?: number;
  /** Distance between the ends of consecutive windows. @default 1 */
  stride?: number;
}

/** One series to cut into windows: inputs x ([rows, cols] row-major) and the series the targets come from. */
export interface WindowSource {
  x: { rows: number; cols: number; data: Float64Array };
  /** One value per row of x (e.g. the scaled close for 'value', the raw close for 'return'/'direction'). */
  y: ArrayLike<number>;
  /** Only windows whose targets all lie in rows [start, end) (e.g. the training span). @default all rows */
  span?: Span;
  /** Series name for messages (ticker or column). @default '#<index>' */
  name?: string;
  /** Source file for messages. @default none */
  source?: string;
  /** 1-based file line of each row, for messages. @default none */
  lines?: ArrayLike<number>;
}

export interface WindowSet {
  /** Number of samples N. */
  count: number;
  /** Steps per sample T (= lookback). */
  steps: number;
  /** Features per step D. */
  features: number;
  /** Targets per sample. */
  horizon: number;
  /** Inputs [N, T, D]. */
  x: Float64Array;
  /** Real length of each sample (<= T). */
  lengths: Int32Array;
  /** Targets [N, horizon]. */
  targets: Float64Array;
  /** Which source each sample came from (index into the sources given). */
  sourceIndex: Int32Array;
  /** The row of its source at which each sample's inputs end (its forecast origin). */
  end: Int32Array;
}

const TARGETS: readonly TargetKind[] = ['value', 'return', 'logReturn', 'direction'];

function positiveInt(v: unknown, option: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new UnrollError(`option "${option}" is ${describe(v)}; expected an integer >= ${min}`, 'option');
  }
  return v;
}

interface Resolved {
  lookback: number;
  horizon: number;
  target: TargetKind;
  minLength: number;
  stride: number;
}

function resolve(options: WindowOptions): Resolved {
  const lookback = positiveInt(options.lookback, 'lookback');
  const horizon = positiveInt(options.horizon ?? 1, 'horizon');
  const minLength = positiveInt(options.minLength ?? lookback, 'minLength');
  if (minLength > lookback) throw new UnrollError(`option "minLength" is ${minLength}; expected at most lookback (${lookback})`, 'option');
  const stride = positiveInt(options.stride ?? 1, 'stride');
  const target = options.target ?? 'value';
  if (!TARGETS.includes(target)) throw new UnrollError(`option "target" is ${describe(target)}; expected one of ${TARGETS.join(', ')}`, 'option');
  return { lookback, horizon, target, minLength, stride };
}

/** The window ends of one source, validated; throws when the source is too short for any window. */
function windowEnds(src: WindowSource, k: number, o: Resolved, cols: number): number[] {
  const rows = src.x.rows;
  const name = src.name ?? `#${k}`;
  if (src.x.cols !== cols) {
    throw new UnrollError(`series "${name}" has ${src.x.cols} features but series #0 has ${cols}; expected the same features in every series`, 'shape');
  }
  if (src.x.data.length !== rows * cols) throw new UnrollError(`series "${name}": x.data has ${src.x.data.length} values; expected rows × cols = ${rows * cols}`, 'shape');
  if (src.y.length !== rows) throw new UnrollError(`series "${name}": y has ${src.y.length} values but x has ${rows} rows; expected one target value per row`, 'shape');
  const span = src.span ?? { start: 0, end: rows };
  if (!(Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.end <= rows && span.start < span.end)) {
    throw new UnrollError(`series "${name}": span {start: ${span.start}, end: ${span.end}} is not within its ${rows} rows`, 'option');
  }
  // e + 1 >= span.start, e + horizon <= span.end - 1, e + 1 >= minLength
  const first = Math.max(span.start - 1, o.minLength - 1);
  const last = span.end - 1 - o.horizon;
  const ends: number[] = [];
  for (let e = first; e <= last; e += o.stride) ends.push(e);
  if (ends.length === 0) {
    const where = [src.source, `series "${name}"`].filter(Boolean).join(', ');
    const lines = src.lines && rows > 0 ? ` (lines ${src.lines[span.start]}-${src.lines[span.end - 1]})` : '';
    const usable = span.end - span.start;
    throw new UnrollError(
      `${where}${lines}: ${usable} rows${src.span ? ` in span [${span.start}, ${span.end})` : ''} are shorter than the window; ` +
        `lookback ${o.lookback}${o.minLength < o.lookback ? ` (minLength ${o.minLength})` : ''} and horizon ${o.horizon} need at least ${o.minLength + o.horizon} rows` +
        (o.minLength + o.horizon > usable && usable > o.horizon ? ` (or set minLength to at most ${usable - o.horizon})` : ''),
      'data',
    );
  }
  return ends;
}

function targetValue(y: ArrayLike<number>, t: number, kind: TargetKind, name: string): number {
  const now = y[t]!;
  if (kind === 'value') return now;
  const prev = y[t - 1]!;
  if (kind === 'direction') return now > prev ? 1 : 0;
  if (kind === 'return') {
    if (prev === 0) throw new UnrollError(`series "${name}", row ${t - 1}: value 0 makes the next return infinite; expected non-zero values for target 'return'`, 'data');
    return now / prev - 1;
  }
  if (!(now > 0 && prev > 0)) throw new UnrollError(`series "${name}", row ${now > 0 ? t - 1 : t}: ${now > 0 ? prev : now} has no logarithm; expected positive values for target 'logReturn'`, 'data');
  return Math.log(now / prev);
}

/** Cuts one or several series into windows, all in one [N, T, D] set with per-sample lengths. */
export function makeWindows(sources: WindowSource | readonly WindowSource[], options: WindowOptions): WindowSet {
  checkOptions(options, { lookback: is.number, horizon: is.number, target: is.string, minLength: is.number, stride: is.number }, { where: 'makeWindows' }, false);
  const o = resolve(options);
  const list = Array.isArray(sources) ? (sources as readonly WindowSource[]) : [sources as WindowSource];
  if (list.length === 0) throw new UnrollError('makeWindows: no series given; expected at least one', 'data');
  const cols = list[0]!.x.cols;
  const ends = list.map((src, k) => windowEnds(src, k, o, cols));
  const count = ends.reduce((s, e) => s + e.length, 0);
  const T = o.lookback;
  const out: WindowSet = {
    count,
    steps: T,
    features: cols,
    horizon: o.horizon,
    x: new Float64Array(count * T * cols),
    lengths: new Int32Array(count),
    targets: new Float64Array(count * o.horizon),
    sourceIndex: new Int32Array(count),
    end: new Int32Array(count),
  };
  let i = 0;
  list.forEach((src, k) => {
    for (const e of ends[k]!) {
      const len = Math.min(T, e + 1);
      const from = e - len + 1;
      out.x.set(src.x.data.subarray(from * cols, (e + 1) * cols), i * T * cols);
      out.lengths[i] = len;
      for (let h = 1; h <= o.horizon; h++) out.targets[i * o.horizon + h - 1] = targetValue(src.y, e + h, o.target, src.name ?? `#${k}`);
      out.sourceIndex[i] = k;
      out.end[i] = e;
      i++;
    }
  });
  return out;
}

/**
 * The inputs of the window ending at row `end` (default: the last row), as a [1, T, D] array plus its
 * length: what a model sees to forecast from that origin.
 */
export function lastWindow(
  x: { rows: number; cols: number; data: Float64Array },
  options: { lookback: number; end?: number },
): { x: Float64Array; length: number } {
  checkOptions(options, { lookback: is.number, end: is.number }, { where: 'lastWindow' }, false);
  const T = positiveInt(options.lookback, 'lookback');
  const end = options.end ?? x.rows - 1;
  if (!Number.isInteger(end) || end < 0 || end >= x.rows) {
    throw new UnrollError(`option "end" is ${describe(options.end)}; expected a row index from 0 to ${x.rows - 1}`, 'option');
  }
  const len = Math.min(T, end + 1);
  const out = new Float64Array(T * x.cols);
  out.set(x.data.subarray((end - len + 1) * x.cols, (end + 1) * x.cols));
  return { x: out, length: len };
}
