/**
 * Predictions of a trained RNN forecaster from chosen origins of one series (origin e = the last known
 * feature row), in price units:
 *
 * - direction: P(up) = softmax(logits)[1] for the next move;
 * - direct:    the network's h-th output is step h (returns chain: p̂_{e+h} = p̂_{e+h−1} (1 + r̂_h));
 * - recursive: each prediction becomes the next input row (seed 004's [0.5, 0.6, 0.7] → 0.72, then
 *              [0.6, 0.7, 0.72] → …); a path whose price leaves the domain of its features (a
 *              log-return of a price ≤ 0) has diverged and its later steps are NaN.
 *
 * Before predicting, the inputs of the windows are compared with the range the scaler saw in
 * training; beyond RANGE_MARGIN of its width the caller is warned (the network never saw such values).
 */
import { scalerFromJSON, type Scaler } from '../../data/scaler.js';
import type { SequenceSet } from '../../nn/sequences.js';
import type { RNN } from '../../train/model.js';
import { UnrollError } from '../../util/errors.js';
import { listSome } from '../../util/limits.js';
import { assertRecursiveFeatures, featureLabel, featureValue, type Prepared } from './series.js';
import type { ForecasterState } from './state.js';

/** Beyond this fraction of the training range's width, scaled inputs trigger a warning. */
export const RANGE_MARGIN = 0.2;

export function requireModel(f: ForecasterState): RNN {
  if (!f.model) throw new UnrollError('the forecaster has no trained model; call fit(data) first (or load a saved forecaster)', 'state');
  return f.model;
}

export function scalersFor(f: ForecasterState, p: Prepared): { fs: Scaler; ts: Scaler } {
  const s = f.scalers[p.id] ?? (Object.keys(f.scalers).length === 1 ? Object.values(f.scalers)[0] : undefined);
  if (!s) {
    throw new UnrollError(`series "${p.id}" was not in the training data (known: ${listSome(Object.keys(f.scalers))}); expected one of those`, 'data');
  }
  return { fs: scalerFromJSON(s.features), ts: scalerFromJSON(s.target) };
}

/** The model's output (after inverse target scaling) as a price: a value, or a return on the last price. */
export function toPrice(f: ForecasterState, modelValue: number, lastPrice: number): number {
  return f.options.predict === 'value' ? modelValue : lastPrice * (1 + modelValue);
}

interface Win { data: Float64Array; length: number }

function windowAt(scaled: Float64Array, D: number, T: number, end: number, minLength: number, id: string): Win {
  const len = Math.min(T, end + 1);
  if (len < minLength) throw new UnrollError(`series "${id}": only ${len} rows of history before row ${end + 1}; the model needs at least ${minLength}`, 'data');
  const data = new Float64Array(T * D);
  data.set(scaled.subarray((end - len + 1) * D, (end + 1) * D));
  return { data, length: len };
}

function predictWindows(model: RNN, windows: Win[], D: number, T: number): number[][] {
  const set: SequenceSet = { count: windows.length, maxSteps: T, inputSize: D, data: new Float64Array(windows.length * T * D), lengths: new Int32Array(windows.length) };
  windows.forEach((w, i) => { set.data.set(w.data, i * T * D); set.lengths[i] = w.length; });
  return model.predict(set) as number[][];
}

/**
 * Recursive (or direct) forecasts of `steps` steps from several origins of one series at once.
 * `origins[i]` is the last known feature row; returns predictions [origins × steps] in price units.
 * With `blocks` (a quantile forecaster, quantiles.ts: Q output blocks), blocks[i][h] is filled with the
 * step's forecast in price units of every block (block 0 = the point forecast), each from the same
 * last point forecast.
 */
export function forecastFrom(f: ForecasterState, p: Prepared, origins: number[], steps: number, warn: (message: string) => void, blocks?: Float64Array[][]): Float64Array[] {
  const model = requireModel(f);
  const o = f.options;
  const { fs, ts } = scalersFor(f, p);
  const D = p.fm.cols;
  const T = o.lookback;
  const scaled = fs.transform(p.fm.data, D);
  for (const message of rangeWarnings(f, p, scaled, origins)) warn(message);
  const out = origins.map(() => new Float64Array(steps));
  if (o.predict === 'direction') {
    if (steps !== 1) throw new UnrollError("a direction classifier (predict: 'direction') says whether the NEXT move is up; it cannot forecast several steps", 'option');
    const logits = predictWindows(model, origins.map((e) => windowAt(scaled, D, T, e, o.minLength, p.id)), D, T);
    // P(up) = softmax(logits)[1]
    logits.forEach((l, i) => { out[i][0] = 1 / (1 + Math.exp(l[0] - l[1])); });
    return out;
  }
  if (o.strategy === 'direct') {
    if (steps > o.horizon) throw new UnrollError(`this forecaster was trained for ${o.horizon} steps ahead (strategy 'direct'); asked for ${steps}`, 'option');
    const pred = predictWindows(model, origins.map((e) => windowAt(scaled, D, T, e, o.minLength, p.id)), D, T);
    origins.forEach((e, i) => {
      for (let h = 0; h < steps; h++) {
        const last = h === 0 ? p.z[e] : out[i][h - 1];
        out[i][h] = toPrice(f, ts.inverseValue(pred[i][h], 0), last);
        if (blocks) blocks[i]![h] = Float64Array.from({ length: pred[i].length / o.horizon }, (_, b) => toPrice(f, ts.inverseValue(pred[i][b * o.horizon + h], 0), last));
      }
    });
    return reseason(p, origins, out, blocks);
  }
  // Recursive: keep each origin's own window and roll it forward with the predicted value.
  const specs = p.specs;
  assertRecursiveFeatures(specs, p.target);
  const windows = origins.map((e) => windowAt(scaled, D, T, e, o.minLength, p.id));
  const last = origins.map((e) => p.z[e]);
  const prevLevel = origins.map((e) => p.z[e]);
  const diverged = origins.map(() => false);
  for (let h = 0; h < steps; h++) {
    const pred = predictWindows(model, windows, D, T);
    windows.forEach((win, i) => {
      if (diverged[i]) { out[i][h] = NaN; if (blocks) blocks[i]![h] = new Float64Array(pred[i].length).fill(NaN); return; }
      const price = toPrice(f, ts.inverseValue(pred[i][0], 0), last[i]);
      out[i][h] = price;
      if (blocks) blocks[i]![h] = Float64Array.from(pred[i], (v) => toPrice(f, ts.inverseValue(v, 0), last[i]));
      // The new row of features computed from the predicted price, scaled like the rest.
      const row = specs.map((sp, j) => fs.transformValue(featureValue(sp, price, prevLevel[i]), j));
      // A path whose price left the domain of its features (e.g. a log-return of a price ≤ 0) has
      // diverged: its later steps are NaN, and its window is no longer fed to the network.
      if (!row.every(Number.isFinite)) { diverged[i] = true; return; }
      prevLevel[i] = price;
      last[i] = price;
      if (win.length < T) {
        win.data.set(row, win.length * D);
        win.length++;
      } else {
        win.data.copyWithin(0, D, T * D);
        win.data.set(row, (T - 1) * D);
      }
    });
  }
  return reseason(p, origins, out, blocks);
}

/** Forecasts of the normalised target (rows origins[i] + 1 + h) multiplied back by their seasonal factors. */
function reseason(p: Prepared, origins: number[], out: Float64Array[], blocks?: Float64Array[][]): Float64Array[] {
  if (p.factor) {
    origins.forEach((e, i) => {
      for (let h = 0; h < out[i].length; h++) {
        const g = p.factor!(e + 1 + h, e);
        out[i][h] *= g;
        const b = blocks?.[i]?.[h];
        if (b) for (let k = 0; k < b.length; k++) b[k] *= g;
      }
    });
  }
  return out;
}

/**
 * The warnings (one per input column) when the scaled inputs of the windows ending at `origins` leave the range
 * the scaler saw in training by more than RANGE_MARGIN of its width (e.g. test prices above the
 * training maximum with min-max scaling of levels: the network never saw such inputs).
 */
function rangeWarnings(f: ForecasterState, p: Prepared, scaled: Float64Array, origins: number[]): string[] {
  const seen = f.seenRange[p.id];
  const warnings: string[] = [];
  if (!seen || origins.length === 0) return warnings;
  const D = p.fm.cols;
  const first = Math.max(0, Math.min(...origins) - f.options.lookback + 1);
  const last = Math.max(...origins);
  for (let j = 0; j < D; j++) {
    const width = Math.max(seen.max[j] - seen.min[j], 1e-12);
    let lo = Infinity, hi = -Infinity;
    for (let r = first; r <= last; r++) { const v = scaled[r * D + j]; if (v < lo) lo = v; if (v > hi) hi = v; }
    const out = Math.max(seen.min[j] - lo, hi - seen.max[j]) / width;
    if (out > RANGE_MARGIN) {
      const name = featureLabel(p.specs[j]);
      warnings.push(`input "${name}" of series "${p.id}" goes ${Math.round(out * 100)}% of its training range beyond it (scaled ${lo.toFixed(2)} … ${hi.toFixed(2)}, training ${seen.min[j].toFixed(2)} … ${seen.max[j].toFixed(2)}): the network never saw such values, so its forecasts there are extrapolation. Features of returns or log-returns with standard scaling avoid this.`);
    }
  }
  return warnings;
}
