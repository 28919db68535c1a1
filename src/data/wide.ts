/**
 * The wide panel layout of the M4 competition files: a header row (`"V1","V2",…`, its names are not
 * used), then one row per series: the series id in the first cell, then its values oldest first. Rows are
 * ragged: a shorter series ends with empty cells (or simply with fewer cells).
 *
 * The header is optional. The first line is read as a series when every cell after its first is a number or
 * a missing token (at least one number) and the numbers are not the column labels a writer puts in a header:
 * whole numbers rising by one (0, 1, 2, … as pandas writes integer labels; 2001, 2002, … as years), or a
 * lone 0 or 1. Its names are never checked, so an
 * empty first name (pandas' index column) or repeated names are fine; with a header, a row may not be longer
 * than it. Without one, rows have any length.
 *
 *   "V1","V2","V3","V4"
 *   "H1","605","586","586"
 *   "H2","3124","2990",""        ← a series of 2 values
 *
 * Parsing (quotes, line endings, delimiters) is papaparse's, through parseCsvCells in csv.ts. This module
 * checks the layout and turns each row into a Float64Array. It reads from a string, so it runs in Node and
 * in the browser; node-io.ts reads a file path. Every problem is an UnrollError naming the source, the
 * 1-based line and the 1-based column: a cell that is not a number, an empty or missing cell between two
 * values (a gap), an empty or repeated id, a row with no values. A test id missing from the training file (or
 * the reverse) is named; when it is the other file's header's first cell, the message says that file's first
 * line was read as a header and why.
 */
import { UnrollError } from '../util/errors.js';
import { DEFAULT_MISSING, parseCsvCells } from './csv.js';
import { checkOptions, is, type KeyRules } from '../util/options.js';

/** The keys of WideOptions and their types (the one options checker). */
export const WIDE_OPTION_RULES = { source: is.string, delimiter: is.string } satisfies KeyRules<WideOptions>;

export interface WidePanel {
  /** Name of the file or data, as given in `source`. */
  source: string;
  /** Series ids, in file order, each once. */
  ids: string[];
  /** The values of each series (aligned with `ids`), oldest first. */
  series: Float64Array[];
  /** The 1-based line of each series' row in the file (aligned with `ids`). */
  lines: number[];
  /** The header line's cells, when the file has one (their names are not used, except to explain a file whose first series was read as a header). */
  header?: string[];
}

export interface WideOptions {
  /** Name of the file or data shown in error messages. @default '<csv text>' */
  source?: string;
  /** Field separator, one character. @default detected from the first line (comma on a tie) */
  delimiter?: string;
}

const MISSING = new Set(DEFAULT_MISSING);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether a file's first row is a series rather than a header: every cell after the id a number or a
 * missing token, at least one number, and not a run of column labels (whole numbers k, k + 1, … with no gap
 * and no missing cell: two or more of them, or a lone 0 or 1).
 */
export function firstRowIsSeries(row: readonly string[]): boolean {
  const cells = row.slice(1);
  if (!cells.every((c) => MISSING.has(c) || NUMBER.test(c))) return false;
  const values = cells.filter((c) => !MISSING.has(c)).map(Number);
  if (values.length === 0) return false;
  const run = values.length === cells.length && values.every((v, i) => Number.isInteger(v) && v === values[0]! + i);
  return !(run && (values.length >= 2 || values[0] === 0 || values[0] === 1));
}

function fail(msg: string): never {
  throw new UnrollError(msg, 'data');
}

/** Parses a wide panel (one series per row: id, then values oldest first; ragged ends allowed). */
export function parseWidePanel(text: string, options: WideOptions = {}): WidePanel {
  checkOptions(options, WIDE_OPTION_RULES, { where: 'parseWidePanel' });
  const cells = parseCsvCells(text, { source: options.source, delimiter: options.delimiter });
  const { source, delimiter, headerLine } = cells;
  const first = cells.header;
  if (first === undefined) fail(`${source}: the file is empty; expected one row per series: its id, then its values (M4's layout, with or without a header line such as "V1","V2",…)`);
  const header = firstRowIsSeries(first) ? undefined : first;
  const rows = header ? cells.rows : [first, ...cells.rows];
  const lines = header ? cells.lines : [headerLine, ...cells.lines];
  if (header && header.length < 2) fail(`${source}: the header has ${header.length} column; expected an id column and at least one value column`);
  if (rows.length === 0) fail(`${source}: only a header line (line ${headerLine}) and no rows of values; expected one row per series under the header`);
  if (header) {
    rows.forEach((row, r) => {
      if (row.length > header.length) fail(`${source}, line ${lines[r]}: ${row.length} fields but the header has ${header.length}; expected at most ${header.length} fields separated by "${delimiter}" (one per column of the header)`);
    });
  }
  const ids: string[] = [];
  const series: Float64Array[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, r) => {
    const line = lines[r]!;
    const id = row[0]!;
    if (id === '') fail(`${source}, line ${line}, column 1: the series id is empty; expected an id such as "H1"`);
    const before = seen.get(id);
    if (before !== undefined) fail(`${source}, line ${line}, column 1: series id "${id}" repeats the id on line ${before}; expected each id once`);
    seen.set(id, line);
    let end = row.length; // one past the last non-empty cell
    while (end > 1 && MISSING.has(row[end - 1]!.trim())) end--;
    if (end === 1) fail(`${source}, line ${line}: series "${id}" has no values; expected at least one number after the id`);
    const values = new Float64Array(end - 1);
    for (let c = 1; c < end; c++) {
      const cell = row[c]!;
      const where = `${source}, line ${line}, column ${c + 1}${header ? ` ("${header[c]}")` : ''}`;
      if (MISSING.has(cell.trim())) fail(`${where}: ${cell === '' ? 'empty cell' : `missing value "${cell}"`} inside series "${id}" (a gap before later values); expected a number, with empty or missing cells only after the last value`);
      if (!NUMBER.test(cell)) fail(`${where}: "${cell.length > 40 ? cell.slice(0, 40) + '…' : cell}" is not a number; expected a number such as 605 or 12.5`);
      values[c - 1] = Number(cell);
      if (!Number.isFinite(values[c - 1]!)) fail(`${where}: "${cell}" overflows to ${values[c - 1]}; expected a finite number`);
    }
    ids.push(id);
    series.push(values);
  });
  return { source, ids, series, lines: [...lines], ...(header ? { header: [...header] } : {}) };
}

/** The training and test series of one panel, matched by id (in the training file's order). */
export interface PairedPanel {
  ids: string[];
  train: Float64Array[];
  test: Float64Array[];
}

/**
 * Matches a training panel and a test panel by id. Every training id must have a test row and vice versa;
 * the order of the test file does not matter.
 */
export function pairWidePanels(train: WidePanel, test: WidePanel): PairedPanel {
  // An id found only as the other file's first header cell: that file's first series was read as its header.
  const headerless = (id: string, other: WidePanel): string =>
    other.header?.[0] === id
      ? `; the first line of ${other.source} starts with "${id}" and was read as a header line, because its values are not all numbers or rise by one like column labels (0, 1, 2, … or 2001, 2002, …): give that file a header line such as "V1","V2",…`
      : '';
  // The reverse: a file's first line read as a series (its i-th), when it may have been meant as a header.
  const firstAsSeries = (p: WidePanel, i: number): string =>
    i === 0 && p.header === undefined
      ? `; line ${p.lines[0]} of ${p.source} was read as a series, because its cells after the first are numbers that do not rise by one like column labels: if it is a header, name its columns such as "V1","V2",…`
      : '';
  const testIndex = new Map<string, number>();
  test.ids.forEach((id, i) => testIndex.set(id, i));
  const trainIds = new Set(train.ids);
  for (let i = 0; i < test.ids.length; i++) {
    if (!trainIds.has(test.ids[i]!)) fail(`${test.source}, line ${test.lines[i]}: series "${test.ids[i]}" is not in ${train.source}; expected the same ids in both files${headerless(test.ids[i]!, train)}${firstAsSeries(test, i)}`);
  }
  const out: PairedPanel = { ids: [], train: [], test: [] };
  train.ids.forEach((id, i) => {
    const j = testIndex.get(id);
    if (j === undefined) fail(`${train.source}, line ${train.lines[i]}: series "${id}" has no row in ${test.source}; expected the same ids in both files${headerless(id, test)}${firstAsSeries(train, i)}`);
    out.ids.push(id);
    out.train.push(train.series[i]!);
    out.test.push(test.series[j]!);
  });
  return out;
}
