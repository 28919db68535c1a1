/**
 * CSV loading. Parsing (quotes, delimiters, line endings) is done by papaparse; this module turns the
 * parsed cells into typed frames and checks them: date column, order, duplicates, numbers, missing
 * values. It reads from a string only, so it runs in Node and in the browser alike; see node-io.ts
 * for reading a file path.
 *
 * Every problem a user can meet is an UnrollError that names the source (file), the line (1-based, as
 * an editor shows it) and the column, and says what was expected.
 */
import Papa from 'papaparse';
import { UnrollError, describe } from '../util/errors.js';
import { LIMITS, listSome } from '../util/limits.js';
import { checkOptions, is, type KeyRules } from '../util/options.js';
import { parseDate, looksLikeIsoDates, type DateKind } from './dates.js';
import type { Frame, SeriesSet } from './frame.js';

/** What to do with a missing cell (empty, or one of `missingTokens`) inside a series. */
export type MissingPolicy = 'error' | 'ffill' | 'drop';

export interface CsvOptions {
  /** Name of the file or data shown in error messages. @default '<csv text>' */
  source?: string;
  /** Field separator, one character. @default the most frequent of , tab ; | in the header line (comma on a tie) */
  delimiter?: string;
  /**
   * The date (time) column: a header name, or `false` for none (rows are then labelled '1', '2', …).
   * @default detected: a column named date/time/timestamp/datetime/day/month/year/period (or containing
   * "date"), else the first column when every value is an ISO date
   */
  dateColumn?: string | false;
  /**
   * Long form: the column naming the series of each row (ticker/symbol). Only for parseCsvSeries.
   * @default detected: a non-numeric column named ticker/symbol/id/name/company/series/stock; else wide form
   */
  idColumn?: string | false;
  /** The numeric columns to keep. @default every column except the date and id columns */
  columns?: string[];
  /** Missing cells: 'error' names the row and column, 'ffill' carries the last value forward, 'drop' drops the row. @default 'error' */
  missing?: MissingPolicy;
  /** Cell texts that mean "missing" (compared after trimming). @default ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL'] */
  missingTokens?: string[];
  /** Sort rows by date instead of rejecting a file whose dates go down. Duplicated dates stay an error. @default false */
  sort?: boolean;
  /** Wide form in parseCsvSeries: the name of the single column of each series' frame. @default 'value' */
  valueName?: string;
}

interface Table {
  source: string;
  delimiter: string;
  header: string[];
  rows: string[][];
  /** 1-based line of each row in `rows`. */
  lines: number[];
}

interface Resolved {
  source: string;
  missing: MissingPolicy;
  missingTokens: Set<string>;
  sort: boolean;
  valueName: string;
}

/** Cell texts read as missing unless `missingTokens` says otherwise (also the wide layout's, wide.ts). */
export const DEFAULT_MISSING: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL'];
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE_NAME = /^(date|time|timestamp|datetime|day|month|year|period)$/i;
const ID_NAME = /^(ticker|symbol|id|name|company|series|stock)$/i;

/** A name or cell quoted for a message, cut at 40 characters (a cell can be a megabyte long). */
function q(text: string | undefined): string {
  const t = String(text);
  return JSON.stringify(t.length > 40 ? t.slice(0, 40) + '…' : t);
}

function fail(msg: string): never {
  throw new UnrollError(msg, 'data');
}

/** The keys of CsvOptions and their types (the one options checker; values are range-checked below). */
export const CSV_OPTION_RULES = {
  source: is.string,
  delimiter: is.string,
  dateColumn: is.either(is.string, is.oneOf(false)),
  idColumn: is.either(is.string, is.oneOf(false)),
  columns: is.array,
  missing: is.oneOf('error', 'ffill', 'drop'),
  missingTokens: is.array,
  sort: is.boolean,
  valueName: is.string,
} satisfies KeyRules<CsvOptions>;

function resolveOptions(options: CsvOptions, where: string): Resolved {
  checkOptions(options, CSV_OPTION_RULES, { where });
  const source = options.source ?? '<csv text>';
  const missing = options.missing ?? 'error';
  if (missing !== 'error' && missing !== 'ffill' && missing !== 'drop') {
    fail(`option "missing" is ${describe(missing)}; expected 'error', 'ffill' or 'drop'`);
  }
  if (options.delimiter !== undefined && (typeof options.delimiter !== 'string' || options.delimiter.length !== 1)) {
    fail(`option "delimiter" is ${describe(options.delimiter)}; expected a single character such as "," or ";"`);
  }
  if (options.columns !== undefined && (!Array.isArray(options.columns) || options.columns.length === 0)) {
    fail(`option "columns" is ${describe(options.columns)}; expected a non-empty array of column names`);
  }
  return {
    source,
    missing,
    missingTokens: new Set((options.missingTokens ?? DEFAULT_MISSING).map((t) => t.trim())),
    sort: options.sort ?? false,
    valueName: options.valueName ?? 'value',
  };
}

/**
 * The separator of the header line: whichever of , tab ; | occurs most often outside quotes there
 * (comma on a tie or when none occurs, e.g. a one-column file).
 */
function guessDelimiter(text: string): string {
  const header = text.split('\n').find((l) => l.trim() !== '') ?? '';
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    let count = 0;
    let quoted = false;
    for (const ch of header) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** The non-blank rows of a CSV text as trimmed cells, with the 1-based line each starts on (papaparse's parsing). */
interface Rows {
  delimiter: string;
  rows: string[][];
  lines: number[];
}

/**
 * Runs papaparse over the text (a byte-order mark dropped; the delimiter guessed from the first non-blank line
 * unless given). Malformed quoting is an error naming the line; blank lines are skipped; no shape is checked.
 */
function readRows(rawText: string, delimiterOption: string | undefined, source: string): Rows {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const rows: string[][] = [];
  const lines: number[] = [];
  let start = 0;
  let line = 1;
  let counted = 0; // text[0, counted) has been scanned for newlines
  const delimiter = delimiterOption ?? guessDelimiter(text);
  if (text.trim() === '') return { delimiter, rows, lines };
  Papa.parse<string[]>(text, {
    delimiter,
    step: (result) => {
      for (; counted < start; counted++) if (text.charCodeAt(counted) === 10) line++;
      for (const e of result.errors) {
        fail(`${source}, line ${line}: ${e.message}; expected well-formed CSV (check the quotes on this line)`);
      }
      const row = result.data.map((c) => c.trim());
      start = result.meta.cursor;
      if (row.length === 1 && row[0] === '') return; // a blank line
      rows.push(row);
      lines.push(line);
    },
  });
  return { delimiter, rows, lines };
}

/**
 * readRows, then the shape of a table with named columns: not empty, a non-empty unique header, at least one
 * row, every row with as many fields as the header.
 */
function readTable(rawText: string, options: CsvOptions, source: string): Table {
  const { delimiter, rows: cells, lines } = readRows(rawText, options.delimiter, source);
  const header = cells.shift();
  const headerLine = lines.shift();
  if (header === undefined || headerLine === undefined) {
    fail(`${source}: the file is empty; expected a header line such as "date,close" and rows of values`);
  }
  header.forEach((name, i) => {
    if (name === '') fail(`${source}, line ${headerLine}, column ${i + 1}: the header has an empty column name; expected a name for every column`);
    const j = header.indexOf(name);
    if (j !== i) fail(`${source}, line ${headerLine}: column name ${q(name)} appears twice (columns ${j + 1} and ${i + 1}); expected unique names`);
  });
  if (cells.length === 0) {
    fail(`${source}: only a header line (line ${headerLine}) and no rows of values; expected at least one row under the header`);
  }
  cells.forEach((row, r) => {
    if (row.length !== header.length) {
      fail(`${source}, line ${lines[r]}: ${row.length} fields but the header has ${header.length}; expected ${header.length} fields separated by ${q(delimiter)}`);
    }
  });
  return { source, delimiter, header, rows: cells, lines };
}

/** The cells of a CSV text as trimmed strings, with the 1-based line of each row (for readers of other layouts). */
export interface CsvCells {
  source: string;
  /** The separator used (given, or guessed from the first non-blank line). */
  delimiter: string;
  /** The first non-blank row, unchecked (undefined for an empty text): the caller decides whether it is a header. */
  header: string[] | undefined;
  /** Its 1-based line (0 for an empty text). */
  headerLine: number;
  /** The rows after it, and the line of each. */
  rows: string[][];
  lines: number[];
}

/**
 * Parses CSV text into a first row and the rows after it, as trimmed cells (papaparse's parsing, malformed
 * quotes named by line, blank lines skipped), leaving the layout to the caller: nothing about the header or the
 * rows' lengths is checked (wide.ts decides whether the first row is a header at all).
 */
export function parseCsvCells(text: string, options: { source?: string; delimiter?: string } = {}): CsvCells {
  const source = options.source ?? '<csv text>';
  const { delimiter, rows, lines } = readRows(text, options.delimiter, source);
  const header = rows.shift();
  const headerLine = lines.shift() ?? 0;
  return { source, delimiter, header, headerLine, rows, lines };
}

function columnIndex(table: Table, name: string, option: string): number {
  const i = table.header.indexOf(name);
  if (i < 0) {
    fail(`option ${q(option)} is ${describe(name)}, which is not a column of ${table.source}; expected one of ${listSome(table.header)}`);
  }
  return i;
}

function isNumericColumn(table: Table, col: number, tokens: Set<string>): boolean {
  return table.rows.every((row) => tokens.has(row[col]!) || NUMBER.test(row[col]!));
}

function detectDateColumn(table: Table, options: CsvOptions): number {
  if (options.dateColumn === false) return -1;
  if (options.dateColumn !== undefined) return columnIndex(table, options.dateColumn, 'dateColumn');
  let i = table.header.findIndex((h) => DATE_NAME.test(h));
  if (i < 0) i = table.header.findIndex((h) => /date/i.test(h));
  if (i >= 0) return i;
  return looksLikeIsoDates(table.rows.map((r) => r[0]!)) ? 0 : -1;
}

function detectIdColumn(table: Table, options: CsvOptions, r: Resolved, dateCol: number): number {
  if (options.idColumn === false) return -1;
  if (options.idColumn !== undefined) return columnIndex(table, options.idColumn, 'idColumn');
  return table.header.findIndex((h, i) => i !== dateCol && ID_NAME.test(h) && !isNumericColumn(table, i, r.missingTokens));
}

function valueColumns(table: Table, options: CsvOptions, exclude: number[]): number[] {
  const cols = options.columns
    ? options.columns.map((name) => columnIndex(table, name, 'columns'))
    : table.header.map((_, i) => i).filter((i) => !exclude.includes(i));
  for (const c of cols) {
    if (exclude.includes(c)) fail(`option "columns" names ${q(table.header[c])}, which is the date or id column of ${table.source}; expected value columns only`);
  }
  if (cols.length === 0) fail(`${table.source}: no value columns besides the date/id columns; expected at least one numeric column`);
  return cols;
}

/** Parses the date cell of each given row; all must be of one kind (ISO or number). */
function readDates(table: Table, dateCol: number, rowIdx: number[]): { dates: string[]; keys: number[] } {
  const dates: string[] = [];
  const keys: number[] = [];
  let kind: DateKind | null = null;
  let kindLine = 0;
  const name = table.header[dateCol];
  for (const r of rowIdx) {
    const cell = table.rows[r]![dateCol]!;
    const where = `${table.source}, line ${table.lines[r]}, column ${q(name)}`;
    if (cell === '') fail(`${where}: the date is empty; expected an ISO date (YYYY-MM-DD or YYYY-MM) or a number`);
    const d = parseDate(cell);
    if (d === null) fail(`${where}: ${q(cell)} is not a date; expected an ISO date (YYYY-MM-DD or YYYY-MM) or a number`);
    if (kind === null) {
      kind = d.kind;
      kindLine = table.lines[r]!;
    } else if (d.kind !== kind) {
      fail(`${where}: ${q(cell)} is ${d.kind === 'iso' ? 'an ISO date' : 'a number'} but line ${kindLine} has ${kind === 'iso' ? 'an ISO date' : 'a number'}; expected one kind of date in a column`);
    }
    dates.push(cell);
    keys.push(d.key);
  }
  return { dates, keys };
}

/** Puts rows in date order (when sorting is on) and rejects dates that go down or repeat. */
function orderRows(table: Table, dateCol: number, rowIdx: number[], sort: boolean): { rows: number[]; dates: string[] } {
  if (dateCol < 0) return { rows: rowIdx, dates: rowIdx.map((_, i) => String(i + 1)) };
  let { dates, keys } = readDates(table, dateCol, rowIdx);
  let rows = rowIdx;
  if (sort) {
    const order = rows.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
    rows = order.map((i) => rowIdx[i]!);
    dates = order.map((i) => dates[i]!);
    keys = order.map((i) => keys[i]!);
  }
  const name = table.header[dateCol];
  for (let i = 1; i < rows.length; i++) {
    const where = `${table.source}, line ${table.lines[rows[i]!]}, column ${q(name)}`;
    const prevLine = table.lines[rows[i - 1]!];
    if (keys[i] === keys[i - 1]) {
      fail(`${where}: date ${q(dates[i])} repeats the date on line ${prevLine}; expected each date once`);
    }
    if (keys[i]! < keys[i - 1]!) {
      fail(`${where}: date ${q(dates[i])} comes after ${q(dates[i - 1])} on line ${prevLine}; expected dates in increasing order (sort the file, or pass sort: true)`);
    }
  }
  return { rows, dates };
}

/** Parses one numeric cell; NaN stands for a missing cell. */
function readNumber(table: Table, r: number, c: number, tokens: Set<string>): number {
  const cell = table.rows[r]![c]!;
  if (tokens.has(cell)) return NaN;
  if (!NUMBER.test(cell)) {
    fail(`${table.source}, line ${table.lines[r]}, column ${q(table.header[c])}: ${q(cell)} is not a number; expected a number such as 12.5, or an empty cell for a missing value (choose numeric columns with the "columns" option)`);
  }
  const v = Number(cell);
  if (!Number.isFinite(v)) {
    fail(`${table.source}, line ${table.lines[r]}, column ${q(table.header[c])}: ${q(cell)} is too large for a number (beyond ±1.8e308); expected a finite number`);
  }
  return v;
}

/**
 * Builds a frame from ordered rows and value columns, applying the missing-value policy.
 * With `trimEnds`, missing cells before the first and after the last value are not missing values but
 * a series that starts late or ends early (wide form: GOOG before its listing); those rows are left out.
 */
function buildFrame(
  table: Table, r: Resolved, rows: number[], dates: string[], cols: number[], names: string[], trimEnds: boolean,
): Frame {
  let values = cols.map((c) => rows.map((row) => readNumber(table, row, c, r.missingTokens)));
  let keep = rows.map((_, i) => i);
  if (trimEnds) {
    const present = (i: number) => values.some((v) => !Number.isNaN(v[i]!));
    let lo = 0;
    let hi = rows.length - 1;
    while (lo <= hi && !present(lo)) lo++;
    while (hi >= lo && !present(hi)) hi--;
    if (lo > hi) fail(`${table.source}, column ${listSome(cols.map((c) => table.header[c]!))}: no values at all; expected at least one number`);
    keep = keep.slice(lo, hi + 1);
  }
  const missingAt = (i: number, k: number) => `${table.source}, line ${table.lines[rows[i]!]}, column ${q(table.header[cols[k]!])}`;
  if (r.missing === 'drop') {
    keep = keep.filter((i) => values.every((v) => !Number.isNaN(v[i]!)));
    if (keep.length === 0) fail(`${table.source}: every row has a missing value, so missing: 'drop' leaves nothing; expected some complete rows`);
  } else {
    for (let j = 0; j < keep.length; j++) {
      const i = keep[j]!;
      for (let k = 0; k < cols.length; k++) {
        if (!Number.isNaN(values[k]![i]!)) continue;
        if (r.missing === 'error') fail(`${missingAt(i, k)}: missing value; expected a number (or pass missing: 'ffill' or 'drop')`);
        const prev = j - 1;
        if (prev < 0) fail(`${missingAt(i, k)}: missing value with no earlier value to carry forward; expected a number here (or pass missing: 'drop')`);
        values[k]![i] = values[k]![keep[prev]!]!;
      }
    }
  }
  values = values.map((v) => keep.map((i) => v[i]!));
  const columns: Record<string, Float64Array> = Object.create(null);
  names.forEach((name, k) => (columns[name] = Float64Array.from(values[k]!)));
  return {
    source: table.source,
    dates: keep.map((i) => dates[i]!),
    names: [...names],
    columns,
    lines: Int32Array.from(keep, (i) => table.lines[rows[i]!]!),
  };
}

/**
 * Parses CSV text in wide form into one frame: a date column (optional) and numeric columns sharing it,
 * e.g. `date,open,high,low,close,volume` or `date,MSFT,AMZN,IBM`.
 */
export function parseCsvFrame(text: string, options: CsvOptions = {}): Frame {
  const r = resolveOptions(options, 'parseCsvFrame');
  const table = readTable(text, options, r.source);
  const dateCol = detectDateColumn(table, options);
  const idCol = options.idColumn === undefined ? -1 : detectIdColumn(table, options, r, dateCol);
  if (idCol >= 0) fail(`option "idColumn" is ${q(table.header[idCol])}, but parseCsvFrame reads wide form only; expected parseCsvSeries for long form`);
  const cols = valueColumns(table, options, [dateCol]);
  const { rows, dates } = orderRows(table, dateCol, table.rows.map((_, i) => i), r.sort);
  return buildFrame(table, r, rows, dates, cols, cols.map((c) => table.header[c]!), false);
}

/**
 * Parses CSV text into a set of series, each with its own dates.
 * - Long form (an id column such as `symbol,date,price`): one frame per id, with all value columns.
 * - Wide form (`date,MSFT,AMZN,GOOG`): one frame per value column, holding one column named `valueName`.
 *   Empty cells before a column's first value or after its last are its shorter history, not missing values.
 */
export function parseCsvSeries(text: string, options: CsvOptions = {}): SeriesSet {
  const r = resolveOptions(options, 'parseCsvSeries');
  const table = readTable(text, options, r.source);
  const dateCol = detectDateColumn(table, options);
  const idCol = detectIdColumn(table, options, r, dateCol);
  const cols = valueColumns(table, options, [dateCol, idCol].filter((i) => i >= 0));
  const ids: string[] = [];
  const series: Record<string, Frame> = Object.create(null);
  if (idCol < 0) {
    const { rows, dates } = orderRows(table, dateCol, table.rows.map((_, i) => i), r.sort);
    for (const c of cols) {
      const id = table.header[c]!;
      ids.push(id);
      series[id] = buildFrame(table, r, rows, dates, [c], [r.valueName], true);
    }
    return { source: r.source, ids, series };
  }
  const groups = new Map<string, number[]>();
  table.rows.forEach((row, i) => {
    const id = row[idCol]!;
    if (id === '') fail(`${table.source}, line ${table.lines[i]}, column ${q(table.header[idCol])}: the series name is empty; expected a ticker or name`);
    const g = groups.get(id);
    if (g) g.push(i);
    else groups.set(id, [i]);
  });
  for (const [id, members] of groups) {
    const { rows, dates } = orderRows(table, dateCol, members, r.sort);
    ids.push(id);
    series[id] = buildFrame(table, r, rows, dates, cols, cols.map((c) => table.header[c]!), false);
  }
  return { source: r.source, ids, series };
}
