/**
 * Reading the data a command works on: a CSV file (or standard input with `--data -`), optionally
 * several companies (`--series`: one per column in wide form, or a ticker column in long form) and
 * extra series joined by date (`--join gold.csv`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvFrame, parseCsvSeries, type MissingPolicy } from '../data/csv.js';
import { joinByDate, type Frame, type SeriesSet } from '../data/frame.js';
import { readTextFile } from '../data/node-io.js';
import { UnrollError } from '../util/errors.js';

export interface DataFlags {
  data?: string;
  series?: boolean;
  join?: string[];
  missing?: string;
  sortDates?: boolean;
}

/** The bundled default: daily S&P 500 OHLCV, 2000–2020 (see data/README.md). */
export const DEFAULT_DATA = fileURLToPath(new URL('../../data/sp500_daily_ohlcv_2000_2020.csv', import.meta.url));

function readSource(path: string): { text: string; source: string } {
  if (path === '-') {
    let text: string;
    try {
      text = readFileSync(0, 'utf8');
    } catch {
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
}

export function loadData(flags: DataFlags, options: { defaultToBundled?: boolean } = {}): LoadedData {
  const path = flags.data ?? (options.defaultToBundled ? DEFAULT_DATA : undefined);
  if (!path) throw new UnrollError('no data given; expected --data <file.csv> (or --data - to read standard input)', 'usage');
  const missing = missingPolicy(flags.missing);
  const { text, source } = readSource(path);
  const csv = { source, missing, sort: flags.sortDates ?? false };
  if (flags.series) {
    if (flags.join && flags.join.length > 0) throw new UnrollError('--join works with one series; it cannot be combined with --series', 'usage');
    return { data: parseCsvSeries(text, csv), source };
  }
  let frame = parseCsvFrame(text, csv);
  for (const extra of flags.join ?? []) {
    const other = readSource(extra);
    const otherFrame = parseCsvFrame(other.text, { source: other.source, missing, sort: flags.sortDates ?? false });
    frame = joinByDate([frame, otherFrame]);
  }
  return { data: frame, source };
}
