/**
 * Before a saved model reads new data: every column it was trained on must be there. A column that
 * is missing most often came from `--join` at training time, so the message says which flag or file
 * to give, instead of the frame's bare `no column "gold"`.
 */
import { isSeriesSet, type ForecastData, type Forecaster } from '../forecast/forecaster.js';
import type { Frame } from '../data/frame.js';
import { UnrollError } from '../util/errors.js';

export function checkModelColumns(f: Forecaster, data: ForecastData, flags: { model?: string; data?: string; join?: string[] }): void {
  const frames: Frame[] = isSeriesSet(data) ? data.ids.map((id) => data.series[id]) : 'names' in data ? [data as Frame] : [];
  if (frames.length === 0) return;
  const needed = new Set<string>();
  if (f.options.target) needed.add(f.options.target);
  for (const spec of f.options.features ?? []) needed.add(spec.column);
  const have = new Set(frames[0].names);
  const missing = [...needed].filter((c) => !have.has(c));
  if (missing.length === 0) return;
  const list = missing.map((c) => `"${c}"`).join(', ');
  const joined = (flags.join ?? []).length > 0 ? ` (with --join ${flags.join!.join(', ')})` : '';
  throw new UnrollError(
    `${flags.model ?? 'the model'} was trained with the column${missing.length === 1 ? '' : 's'} ${list}, which ${flags.data ?? 'the data'}${joined} does not have ` +
    `(its columns: ${[...have].map((c) => `"${c}"`).join(', ')}). If ${missing.length === 1 ? 'it' : 'they'} came from --join when the model was trained, ` +
    `pass the same --join <file> again; otherwise give --data a file with ${missing.length === 1 ? 'that column' : 'those columns'}`,
    'usage');
}
