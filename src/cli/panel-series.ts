/**
 * The panel a `unroll train --series <file>` or `unroll forecast --series <file>` reads: every series
 * of a long file (id, date, value; or a wide file with a date column and one column per series),
 * through the same CSV reader as `--data file --series` (data/csv.ts parseCsvSeries), with the
 * value column chosen, the frequency inferred from the dates (or --frequency), and the M4 default
 * horizon of that frequency.
 */
import { inferFrequency, parseFrequency, type Frequency } from '../data/frequency.js';
import { UnrollError } from '../util/errors.js';
import { loadData, type DataFlags } from './data.js';

export interface PanelSeries {
  source: string;
  /** The value column read from every series. */
  target: string;
  ids: string[];
  values: Float64Array[];
  dates: string[][];
  frequency: Frequency | null;
  /** How the frequency was found, for messages. */
  basis: string;
}

/** The M4 competition's horizon for each frequency (business days as daily). */
const M4_HORIZON: Record<Frequency, number> = { hourly: 48, 'business-daily': 14, daily: 14, weekly: 13, monthly: 18, quarterly: 8, yearly: 6 };

/** The default horizon of a frequency: the M4 competition's (48 hourly, 14 daily, 13 weekly, 18 monthly, 8 quarterly, 6 yearly). */
export function defaultHorizon(f: Frequency | null): number | undefined {
  return f === null ? undefined : M4_HORIZON[f];
}

/**
 * Reads the panel file `path`. `target` picks the value column when the file has several; the
 * frequency is `frequency` when given, else the one the dates of every series agree on.
 */
export function readPanelSeries(path: string, flags: DataFlags & { target?: string }, expectTarget?: string): PanelSeries {
  const { data, source } = loadData({ ...flags, data: path, series: true, join: undefined });
  if (!('ids' in data)) throw new UnrollError(`${path}: expected several series (an id column, or one column per series)`, 'data');
  const first = data.series[data.ids[0]!]!;
  // A model's own column when the file has it; otherwise a file with one value column is read as it is.
  const wanted = flags.target ?? (expectTarget !== undefined && (first.names.includes(expectTarget) || first.names.length !== 1) ? expectTarget : undefined);
  let target: string;
  if (wanted !== undefined) {
    const missing = data.ids.find((id) => !data.series[id]!.names.includes(wanted));
    if (missing !== undefined) {
      const names = data.series[missing]!.names;
      throw new UnrollError(`${source}: series "${missing}" has no value column "${wanted}"${flags.target === undefined ? ' (the column the model was trained on)' : ' (option --target)'}; its value columns are ${names.join(', ')}`, 'data');
    }
    target = wanted;
  } else if (first.names.length === 1) {
    target = first.names[0]!;
  } else {
    throw new UnrollError(`${source}: the series have ${first.names.length} value columns (${first.names.join(', ')}); expected one, or choose it with --target (or --columns)`, 'usage');
  }
  const values = data.ids.map((id) => data.series[id]!.columns[target]!);
  const dates = data.ids.map((id) => data.series[id]!.dates);
  let frequency: Frequency | null;
  let basis: string;
  if (flags.frequency !== undefined) {
    frequency = parseFrequency(flags.frequency, '--frequency');
    basis = 'from --frequency';
  } else {
    const seen = new Map<string, string>();
    data.ids.forEach((id, i) => {
      if (dates[i]!.length < 3) return;
      const f = inferFrequency(dates[i]!);
      const key = f ?? 'unknown';
      if (!seen.has(key)) seen.set(key, id);
    });
    if (seen.size > 1) {
      const list = [...seen].map(([f, id]) => `"${id}" is ${f}`).join(', ');
      throw new UnrollError(`${source}: the series' dates disagree on the frequency (${list}); one panel has one frequency: expected regular dates, or pass --frequency`, 'data');
    }
    const only = [...seen.keys()][0];
    frequency = only === undefined || only === 'unknown' ? null : (only as Frequency);
    basis = frequency === null ? 'not known from the dates (pass --frequency)' : 'inferred from the dates';
  }
  return { source, target, ids: [...data.ids], values, dates, frequency, basis };
}
