/**
 * The glass box on a trained RNN forecaster (train/explain.ts on its windows):
 *
 * - `gradientByStep`: ‖∂prediction/∂x_t‖ for each step of the lookback window (oldest first), averaged
 *   over the last `count` full windows of the series. With a basic RNN it shows the seeds' W2^n
 *   pattern: the oldest inputs barely move the prediction.
 * - `explainWindow`: the unrolled computation of the window ending at one row: every step's scaled
 *   input, every layer's state, ‖∂y/∂x_t‖, the raw output and the price.
 */
import { explain } from '../../train/explain.js';
import { UnrollError } from '../../util/errors.js';
import { requireModel, scalersFor, toPrice } from './rollout.js';
import type { Prepared } from './series.js';
import type { ForecasterState } from './state.js';

export function gradientByStep(f: ForecasterState, p: Prepared, count?: number): number[] {
  const model = requireModel(f);
  const { fs } = scalersFor(f, p);
  const D = p.fm.cols;
  const T = f.options.lookback;
  const scaled = fs.transform(p.fm.data, D);
  const windows = Math.max(1, Math.min(count ?? 50, p.fm.rows - T + 1));
  const sum = new Float64Array(T);
  for (let k = 0; k < windows; k++) {
    const end = p.fm.rows - 1 - k;
    const rows: number[][] = [];
    for (let t = end - T + 1; t <= end; t++) rows.push(Array.from(scaled.subarray(t * D, (t + 1) * D)));
    const ex = explain(model, rows);
    ex.sensitivity.forEach((v, t) => (sum[t] += v / windows));
  }
  return Array.from(sum);
}

export interface WindowExplanation {
  steps: { t: number; date: string; input: number[]; layers: number[][]; sensitivity: number }[];
  output: number[];
  predicted: number;
}

/** `end`: a row of the data (default: the last). */
export function explainWindow(f: ForecasterState, p: Prepared, end?: number): WindowExplanation {
  const model = requireModel(f);
  const { fs, ts } = scalersFor(f, p);
  const D = p.fm.cols;
  const last = end === undefined ? p.fm.rows - 1 : end - p.offset;
  if (!Number.isInteger(last) || last < 0 || last >= p.fm.rows) {
    throw new UnrollError(`option --end ${end} is outside the rows of ${p.fm.source} (expected ${p.offset} to ${p.fm.rows + p.offset - 1})`, 'option');
  }
  const scaled = fs.transform(p.fm.data, D);
  const first = Math.max(0, last - f.options.lookback + 1);
  // The same rule as forecasting: a window shorter than minLength is refused, not explained.
  if (last - first + 1 < f.options.minLength) {
    throw new UnrollError(`series "${p.id}": only ${last - first + 1} rows of history up to row ${last + 1}; the model needs at least ${f.options.minLength}`, 'data');
  }
  const rows: number[][] = [];
  for (let t = first; t <= last; t++) rows.push(Array.from(scaled.subarray(t * D, (t + 1) * D)));
  const ex = explain(model, rows);
  return {
    steps: ex.steps.map((s, i) => ({ t: s.t, date: p.dates[first + i], input: s.input, layers: s.layers, sensitivity: ex.sensitivity[i] })),
    output: ex.output,
    predicted: toPrice(f, ts.inverseValue(ex.output[0], 0), p.z[last]) * (p.factor ? p.factor(last + 1, last) : 1),
  };
}
