/**
 * Reading the data a command works on: a CSV file (or standard input with `--data -`), optionally
 * several companies (`--series`: one per column in wide form, or a ticker column in long form) and
 * extra series joined by date (`--join gold.csv`).
 */
import { fileURLToPath } from 'node:url';
import { parseCsvFrame, parseCsvSeries, type MissingPolicy } from '../data/csv.js';
import { type Frame, type SeriesSet } from '../data/frame.js';
import { describeJoin, joinFrames, type JoinMode, type JoinReport } from '../data/join.js';
import { readStdinText, readTextFile } from '../data/node-io.js';
import { UnrollError } from '../util/errors.js';

export interface DataFlags {
  data?: string;
  /** true, or the file itself (`--series <file>` is `--data <file> --series`). */
  series?: boolean | string;
  join?: string[];
  joinMode?: string;
  missing?: string;
  sort?: boolean;
  sortDates?: boolean;
  columns?: string;
  frequency?: string;
}

/** The bundled default: daily S&P 500 OHLCV, 2000–2020 (see data/README.md). */
export const DEFAULT_DATA = fileURLToPath(new URL('../../data/sp500_daily_ohlcv_2000_2020.csv', import.meta.url));

function readSource(path: string): { text: string; source: string } {
  if (path === '-') {
    let text: string;
    try {
      text = readStdinText();
    } catch (e) {
      if (e instanceof UnrollError && e.code === 'limit') throw e;
      throw new UnrollError('--data -: could not read standard input; pipe a CSV file in, e.g. "cat prices.csv | unroll train --data -"', 'usage');
    }
    return { text, source: '<stdin>' };
  }
  return { text: readTextFile(path), source: path };
}

function missingPolicy(v: string | undefined): MissingPolicy {
  const m = v ?? 'error';
  if (m !== 'error' && m !== 'ffill' && m !== 'drop') throw new UnrollError(`option --missing must be error, ffill or drop, got "${m}"`, 'usage');
  return m;
}

export interface LoadedData {
  /** What the forecaster is fitted on. */
  data: Frame | SeriesSet;
  /** Where it came from (for reports and messages). */
  source: string;
  /** What --join did (rows kept and lost), when it was used. */
  join?: { report: JoinReport; text: string };
}

function columnList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new UnrollError(`option --columns is "${v}"; expected comma-separated column names, e.g. --columns close,volume`, 'usage');
  return list;
}

function joinMode(v: string | undefined): JoinMode {
  const m = v ?? 'auto';
  if (m !== 'auto' && m !== 'inner' && m !== 'ffill') throw new UnrollError(`option --join-mode must be auto, inner or ffill, got "${m}"`, 'usage');
  return m;
}

export function loadData(flags: DataFlags, options: { defaultToBundled?: boolean } = {}): LoadedData {
  if (typeof flags.series === 'string' && flags.data !== undefined) {
    throw new UnrollError(`--series ${flags.series} and --data ${flags.data} both name the data; give it once: --series <file>, or --data <file> --series`, 'usage');
  }
  const path = (typeof flags.series === 'string' ? flags.series : undefined) ?? flags.data ?? (options.defaultToBundled ? DEFAULT_DATA : undefined);
  if (!path) throw new UnrollError('no data given; expected --data <file.csv> (or --data - to read standard input, or --series <file> for several series)', 'usage');
  const missing = missingPolicy(flags.missing);
  const { text, source } = readSource(path);
  const sort = flags.sort ?? flags.sortDates ?? false;
  const csv = { source, missing, sort, columns: columnList(flags.columns) };
  const mode = joinMode(flags.joinMode);
  if (flags.series) {
    if (flags.join && flags.join.length > 0) throw new UnrollError('--join works with one series; it cannot be combined with --series', 'usage');
    return { data: parseCsvSeries(text, csv), source };
  }
  const frame = parseCsvFrame(text, csv);
  if (!flags.join || flags.join.length === 0) return { data: frame, source };
  const extras = flags.join.map((extra) => {
    const other = readSource(extra);
    return parseCsvFrame(other.text, { source: other.source, missing, sort });
  });
  const joined = joinFrames(frame, extras, mode);
  return { data: joined.frame, source, join: { report: joined.report, text: describeJoin(joined.report, source, flags.join) } };
}
