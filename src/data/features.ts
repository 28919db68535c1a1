/**
 * Model inputs from a frame of prices: levels, simple returns, log-returns and logs (e.g. log volume),
 * in any combination, as a [T, D] row-major matrix with a name per feature (seed 003: D = 4 for OHLC).
 *
 *   level      x_t = p_t
 *   return     x_t = p_t / p_{t-1} - 1
 *   logReturn  x_t = ln(p_t / p_{t-1})
 *   log        x_t = ln(p_t)                 (log volume: volumes span orders of magnitude)
 *
 * Returns have no value for the first row, so when any return feature is chosen the first row is
 * dropped from every feature, keeping all features aligned on the same dates.
 */
import { UnrollError, describe } from '../util/errors.js';
import { getColumn, type Frame } from './frame.js';

export type FeatureKind = 'level' | 'return' | 'logReturn' | 'log';

export interface FeatureSpecObject {
  kind: FeatureKind;
  /** The frame column it is computed from. */
  column: string;
  /** Name of the feature. @default 'close' for a level, else `${kind}(${column})`, e.g. 'logReturn(close)' */
  name?: string;
}

/**
 * A feature: an object, or a shorthand string:
 * `'close'` (level of a column), `'return:close'`, `'logReturn:close'`, `'log:volume'`,
 * `'logVolume'` (= 'log:volume'), `'ohlc'` (= open, high, low, close levels).
 */
export type FeatureSpec = string | FeatureSpecObject;

/** A [rows, cols] row-major matrix of features over dates. */
export interface FeatureMatrix {
  /** Source file or label, for error messages. */
  source: string;
  /** Row labels (dates). */
  dates: string[];
  /** 1-based source line per row (0 when unknown). */
  lines: Int32Array;
  rows: number;
  cols: number;
  /** Row-major values: data[t * cols + j] is feature j at row t. */
  data: Float64Array;
  /** Feature names, one per column. */
  names: string[];
}

const KINDS: readonly FeatureKind[] = ['level', 'return', 'logReturn', 'log'];

/** Expands shorthands into feature objects and validates them. */
export function normalizeFeatures(specs: readonly FeatureSpec[]): FeatureSpecObject[] {
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new UnrollError(`option "features" is ${describe(specs)}; expected a non-empty list such as ['close'] or ['ohlc', 'logVolume']`, 'option');
  }
  const out: FeatureSpecObject[] = [];
  for (const spec of specs) {
    if (typeof spec === 'string') {
      if (spec === 'ohlc') {
        for (const c of ['open', 'high', 'low', 'close']) out.push({ kind: 'level', column: c });
      } else if (spec === 'logVolume') {
        out.push({ kind: 'log', column: 'volume' });
      } else {
        const colon = spec.indexOf(':');
        if (colon < 0) out.push({ kind: 'level', column: spec });
        else out.push({ kind: spec.slice(0, colon) as FeatureKind, column: spec.slice(colon + 1) });
      }
    } else {
      out.push({ ...spec });
    }
  }
  for (const f of out) {
    if (!KINDS.includes(f.kind)) {
      throw new UnrollError(`feature kind ${describe(f.kind)} is unknown; expected one of ${KINDS.join(', ')} (e.g. 'logReturn:close')`, 'option');
    }
    if (typeof f.column !== 'string' || f.column === '') {
      throw new UnrollError(`feature column ${describe(f.column)} is not a column name; expected e.g. 'close'`, 'option');
    }
  }
  const names = out.map(featureName);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) throw new UnrollError(`feature "${n}" is chosen twice; expected each feature once`, 'option');
  });
  return out;
}

/** The display name of a feature: the column for a level, else kind(column). */
export function featureName(f: FeatureSpecObject): string {
  return f.name ?? (f.kind === 'level' ? f.column : `${f.kind}(${f.column})`);
}

/** Computes the chosen features of a frame as a [T, D] matrix. */
export function buildFeatures(frame: Frame, specs: readonly FeatureSpec[]): FeatureMatrix {
  const feats = normalizeFeatures(specs);
  const first = feats.some((f) => f.kind === 'return' || f.kind === 'logReturn') ? 1 : 0;
  const n = frame.dates.length;
  const rows = n - first;
  if (rows < 1) {
    throw new UnrollError(`${frame.source}: ${n} row(s); return features need at least 2 rows`, 'data');
  }
  const cols = feats.length;
  const data = new Float64Array(rows * cols);
  feats.forEach((f, j) => {
    const p = getColumn(frame, f.column);
    const where = (t: number) =>
      `${frame.source}, ${frame.lines[t] ? `line ${frame.lines[t]} (date ${frame.dates[t]})` : `date ${frame.dates[t]}`}, column "${f.column}"`;
    for (let t = first; t < n; t++) {
      const v = p[t]!;
      let x: number;
      if (f.kind === 'level') {
        x = v;
      } else if (f.kind === 'log') {
        if (!(v > 0)) throw new UnrollError(`${where(t)}: ${v} has no logarithm; expected a positive value for ${featureName(f)}`, 'data');
        x = Math.log(v);
      } else {
        const prev = p[t - 1]!;
        if (f.kind === 'return' && prev === 0) {
          throw new UnrollError(`${where(t - 1)}: 0 makes the next return infinite; expected a non-zero value for ${featureName(f)}`, 'data');
        }
        if (f.kind === 'logReturn' && !(prev > 0 && v > 0)) {
          const bad = prev > 0 ? t : t - 1;
          throw new UnrollError(`${where(bad)}: ${p[bad]} has no logarithm; expected positive values for ${featureName(f)}`, 'data');
        }
        x = f.kind === 'return' ? v / prev - 1 : Math.log(v / prev);
      }
      data[(t - first) * cols + j] = x;
    }
  });
  return {
    source: frame.source,
    dates: frame.dates.slice(first),
    lines: frame.lines.slice(first),
    rows,
    cols,
    data,
    names: feats.map(featureName),
  };
}

/** Column j of a feature matrix as its own array. */
export function matrixColumn(m: { rows: number; cols: number; data: Float64Array }, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let t = 0; t < m.rows; t++) out[t] = m.data[t * m.cols + j]!;
  return out;
}
