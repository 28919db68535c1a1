/**
 * The errors the RNN forecaster's intervals are calibrated on (intervals.ts turns them into per-step
 * conformal offsets): from origins e spread evenly over a span of each series (at most
 * CALIBRATION_ORIGINS over all series, at least 20 per series), the h-step forecasts ŷ_{e+h} for
 * h = 1 … H (H = the direct horizon, or CALIBRATED_STEPS for a recursive model) and their signed errors
 * on the forecaster's error scale, kept where e + h is still inside the span.
 *
 * After fitting, the span is the calibration part of each training span [0, n): its last c rows,
 *
 *   c = min(max(⌈calibrationSplit · n⌉, 20), ⌊n / 4⌋, W − 20)      (0 when calibrationSplit = 0, or c < 5,
 *                                                                   or intervalMethod 'quantile')
 *
 * (W = the windows the whole span would make: at least 20 are left for training and validation)
 *
 * held out from training and from early stopping (train.ts makes windows only from rows [0, n − c)),
 * so the errors are those of a model that neither fitted nor chose its epoch on them. With
 * calibrationSplit 0 (or a series too short to spare the rows) the span is the validation part, the last
 * max(validationSplit, 5%) of the rows, which early stopping chose the epoch on: optimistic errors
 * (measured in docs/forecasting.md: AirPassengers' 90% interval held 42.9% of its test span).
 * `recalibrate` uses the last `rows` rows of data the caller names.
 */
import { forecastError } from '../intervals.js';
import { forecastFrom } from './rollout.js';
import type { Prepared } from './series.js';
import type { ForecasterState } from './state.js';

/** Steps ahead calibrated for a recursive forecaster; later steps widen the last one by √h. */
export const CALIBRATED_STEPS = 20;
/** Origins (over all series) whose h-step errors calibrate the intervals. */
const CALIBRATION_ORIGINS = 600;

export interface CalibrationSpan { p: Prepared; start: number; end: number }

/** Fewest rows a held-out calibration span gets when the series has them (19 errors make a 90% interval). */
const MIN_CALIBRATION_ROWS = 20;
/** Training and validation windows a held-out calibration span must leave. */
const MIN_TRAINING_WINDOWS = 20;
/** Fewer rows than this are not worth holding out (the validation span calibrates instead). */
const MIN_HELD_OUT = 5;

/**
 * The first row of the held-out calibration span of a training span of `end` feature rows (train.ts
 * makes training and validation windows only before it); `end` itself when nothing is held out.
 */
export function calibrationStart(f: ForecasterState, end: number): number {
  const o = f.options;
  if (o.calibrationSplit <= 0 || o.predict === 'direction' || o.intervalMethod === 'quantile') return end;
  const horizon = o.strategy === 'direct' ? o.horizon : 1;
  // Windows left for training and validation (minLength rows of history, then the horizon's targets):
  // at least MIN_TRAINING_WINDOWS, or nothing is held out.
  const windowsBefore = (start: number): number => start - o.minLength - horizon + 1;
  const c = Math.min(Math.max(Math.ceil(o.calibrationSplit * end), MIN_CALIBRATION_ROWS), Math.floor(end / 4), windowsBefore(end) - MIN_TRAINING_WINDOWS);
  return c < MIN_HELD_OUT ? end : end - c;
}

/**
 * The calibration spans after a fit: each series' held-out rows [calStart, end) (origins from
 * calStart − 1), or, where none were held out, the last max(validationSplit, 5%) of its training span.
 */
export function trainingCalibrationSpans(f: ForecasterState, series: Prepared[], trainEnd: Record<string, number>, calStart: Record<string, number>): CalibrationSpan[] {
  const frac = Math.max(f.options.training.validationSplit, 0.05);
  return series.map((p) => {
    const end = trainEnd[p.id];
    const held = calStart[p.id] ?? end;
    if (held < end) return { p, start: held - 1, end };
    return { p, start: Math.max(f.options.minLength - 1, Math.floor(end * (1 - frac))), end };
  });
}

/** The origins of a calibration span (of `spanCount` spans): evenly spread, at most CALIBRATION_ORIGINS over all spans, at least 20 each. */
export function calibrationOrigins({ start, end }: CalibrationSpan, spanCount: number): number[] {
  const maxOrigins = Math.max(20, Math.floor(CALIBRATION_ORIGINS / spanCount));
  const origins: number[] = [];
  const stride = Math.max(1, Math.ceil((end - 1 - start) / maxOrigins));
  for (let e = start; e < end - 1; e += stride) origins.push(e);
  return origins;
}

/** Sorted finite h-step errors per step (errors[h − 1]) from the origins of the spans. */
export function rollingOriginErrors(f: ForecasterState, spans: CalibrationSpan[], warn: (message: string) => void): number[][] {
  const H = f.options.strategy === 'direct' ? f.options.horizon : CALIBRATED_STEPS;
  const errors: number[][] = Array.from({ length: H }, () => []);
  for (const span of spans) {
    const { p, end } = span;
    const origins = calibrationOrigins(span, spans.length);
    if (origins.length === 0) continue;
    const preds = forecastFrom(f, p, origins, H, warn);
    origins.forEach((e, i) => {
      for (let h = 0; h < H && e + 1 + h < end; h++) errors[h].push(forecastError(p.y[e + 1 + h], preds[i][h], f.errorScale));
    });
  }
  return errors.map((r) => r.filter(Number.isFinite).sort((a, b) => a - b));
}
