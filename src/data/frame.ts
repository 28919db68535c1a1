/**
 * The common typed structures that every loader produces and every later step consumes.
 *
 * - A `Frame` is a table of numeric columns over one shared, strictly increasing date index
 *   (wide form: one column per company, or OHLCV columns of one instrument).
 * - A `SeriesSet` is a collection of named frames, each with its own dates: companies with histories
 *   of different lengths (long form with a ticker column, or a wide file whose columns start late).
 */
import { UnrollError } from '../util/errors.js';
import { listSome } from '../util/limits.js';
import { checkOptions, is } from '../util/options.js';

export interface Frame {
  /** Where the rows came from (a file path or a label); used in error messages. */
  source: string;
  /** One label per row, increasing: ISO dates or numeric times as written in the file, or '1', '2', … without a date column. */
  dates: string[];
  /** Column names, in file order. */
  names: string[];
  /** The values of each column, one per row, all finite. */
  columns: Record<string, Float64Array>;
  /** The 1-based line number in the source file of each row (as an editor shows it); 0 where unknown. */
  lines: Int32Array;
}

export interface SeriesSet {
  /** Where the rows came from; used in error messages. */
  source: string;
  /** Series names (tickers or column names), in order of first appearance. */
  ids: string[];
  /** One frame per id, each with its own dates and length. */
  series: Record<string, Frame>;
}

/** Number of rows of a frame. */
export function frameLength(frame: Frame): number {
  return frame.dates.length;
}

/** The values of one column; throws an UnrollError naming the source and the columns it has. */
export function getColumn(frame: Frame, name: string): Float64Array {
  const col = frame.columns[name];
  if (col === undefined || !Object.prototype.hasOwnProperty.call(frame.columns, name)) {
    throw new UnrollError(
      `${frame.source}: no column ${JSON.stringify(name.length > 40 ? name.slice(0, 40) + '…' : name)}; expected one of ${listSome(frame.names)}`,
      'data',
    );
  }
  return col;
}

/** Builds a frame from plain arrays (for users who already hold their data in memory). */
export function frameFromArrays(
  columns: Record<string, ArrayLike<number>>,
  options: { dates?: string[]; source?: string } = {},
): Frame {
  checkOptions(options, { dates: is.array, source: is.string }, { where: 'frameFromArrays' });
  const source = options.source ?? '<arrays>';
  const names = Object.keys(columns);
  if (names.length === 0) throw new UnrollError(`${source}: no columns given; expected at least one`, 'data');
  const n = columns[names[0]!]!.length;
  const out: Record<string, Float64Array> = Object.create(null);
  for (const name of names) {
    const src = columns[name]!;
    if (src.length !== n) {
      throw new UnrollError(
        `${source}: column "${name}" has ${src.length} values but column "${names[0]}" has ${n}; expected equal lengths`,
        'data',
      );
    }
    const col = Float64Array.from(src);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i]!)) {
        throw new UnrollError(`${source}: column "${name}", index ${i}: ${col[i]} is not a finite number`, 'data');
      }
    }
    out[name] = col;
  }
  const dates = options.dates ?? Array.from({ length: n }, (_, i) => String(i + 1));
  if (dates.length !== n) {
    throw new UnrollError(`${source}: ${dates.length} dates for ${n} values; expected one date per value`, 'data');
  }
  return { source, dates: [...dates], names, columns: out, lines: new Int32Array(n) };
}

/** A frame restricted to rows [start, end). The arrays are copies. */
export function sliceFrame(frame: Frame, start: number, end: number): Frame {
  const columns: Record<string, Float64Array> = Object.create(null);
  for (const name of frame.names) columns[name] = frame.columns[name]!.slice(start, end);
  return {
    source: frame.source,
    dates: frame.dates.slice(start, end),
    names: [...frame.names],
    columns,
    lines: frame.lines.slice(start, end),
  };
}

export interface JoinInput {
  frame: Frame;
  /** Columns to take from this frame. @default all of them */
  columns?: string[];
  /** Text put before each column name in the result, e.g. 'gold_'. @default '' (no prefix) */
  prefix?: string;
}

/**
 * Inner join of several frames on their dates: the result keeps the dates present in every input, in
 * increasing order, and the chosen columns of each. Dates match as written ('2000-01-03' ≠ '2000-01-03T00:00').
 * Throws when two inputs give the same column name (use `prefix`) or when no date is common to all.
 */
export function joinByDate(inputs: readonly (Frame | JoinInput)[]): Frame {
  if (inputs.length === 0) throw new UnrollError('joinByDate: no frames given; expected at least one', 'data');
  const parts: Required<JoinInput>[] = inputs.map((x) => {
    const part = 'frame' in x ? x : { frame: x };
    return { frame: part.frame, columns: part.columns ?? part.frame.names, prefix: part.prefix ?? '' };
  });
  const names: string[] = [];
  const owner = new Map<string, string>();
  for (const p of parts) {
    for (const c of p.columns) {
      getColumn(p.frame, c);
      const name = p.prefix + c;
      const prev = owner.get(name);
      if (prev !== undefined) {
        throw new UnrollError(
          `joinByDate: column "${name}" comes from both ${prev} and ${p.frame.source}; give one of them a prefix`,
          'data',
        );
      }
      owner.set(name, p.frame.source);
      names.push(name);
    }
  }
  // Row index of each date in every frame after the first.
  const maps = parts.map((p) => new Map(p.frame.dates.map((d, i) => [d, i] as const)));
  const first = parts[0]!.frame;
  const rows: number[][] = [];
  for (let i = 0; i < first.dates.length; i++) {
    const d = first.dates[i]!;
    const idx = [i];
    let ok = true;
    for (let k = 1; k < parts.length && ok; k++) {
      const j = maps[k]!.get(d);
      if (j === undefined) ok = false;
      else idx.push(j);
    }
    if (ok) rows.push(idx);
  }
  const sources = parts.map((p) => p.frame.source).join(' + ');
  if (rows.length === 0) {
    throw new UnrollError(
      `joinByDate: ${sources} have no date in common (first dates ${parts
        .map((p) => `"${p.frame.dates[0] ?? ''}"`)
        .join(', ')}); expected overlapping dates written the same way`,
      'data',
    );
  }
  const columns: Record<string, Float64Array> = Object.create(null);
  parts.forEach((p, k) => {
    for (const c of p.columns) {
      const src = p.frame.columns[c]!;
      columns[p.prefix + c] = Float64Array.from(rows, (idx) => src[idx[k]!]!);
    }
  });
  return {
    source: sources,
    dates: rows.map((idx) => first.dates[idx[0]!]!),
    names,
    columns,
    lines: Int32Array.from(rows, (idx) => first.lines[idx[0]!]!),
  };
}
