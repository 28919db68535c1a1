/**
 * The errors the RNN forecaster's intervals are calibrated on (intervals.ts turns them into per-step
 * conformal offsets): from origins e spread evenly over a span of each series (at most
 * CALIBRATION_ORIGINS over all series, at least 20 per series), the h-step forecasts ŷ_{e+h} for
 * h = 1 … H (H = the direct horizon, or CALIBRATED_STEPS for a recursive model) and their signed errors
 * on the forecaster's error scale, kept where e + h is still inside the span.
 *
 * After fitting, the span is the calibration part of each training span (the last
 * max(validationSplit, 5%) of it, which early stopping watches but gradients never see); `recalibrate`
 * uses the last `rows` rows of data the caller names.
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

/** The calibration spans after a fit: the last part of each series' training span. */
export function trainingCalibrationSpans(f: ForecasterState, series: Prepared[], trainEnd: Record<string, number>): CalibrationSpan[] {
  const frac = Math.max(f.options.training.validationSplit, 0.05);
  return series.map((p) => {
    const end = trainEnd[p.id];
    return { p, start: Math.max(f.options.minLength - 1, Math.floor(end * (1 - frac))), end };
  });
}

/** Sorted finite h-step errors per step (errors[h − 1]) from the origins of the spans. */
export function rollingOriginErrors(f: ForecasterState, spans: CalibrationSpan[], warn: (message: string) => void): number[][] {
  const H = f.options.strategy === 'direct' ? f.options.horizon : CALIBRATED_STEPS;
  const errors: number[][] = Array.from({ length: H }, () => []);
  for (const { p, start, end } of spans) {
    const maxOrigins = Math.max(20, Math.floor(CALIBRATION_ORIGINS / spans.length));
    const origins: number[] = [];
    const stride = Math.max(1, Math.ceil((end - 1 - start) / maxOrigins));
    for (let e = start; e < end - 1; e += stride) origins.push(e);
    if (origins.length === 0) continue;
    const preds = forecastFrom(f, p, origins, H, warn);
    origins.forEach((e, i) => {
      for (let h = 0; h < H && e + 1 + h < end; h++) errors[h].push(forecastError(p.y[e + 1 + h], preds[i][h], f.errorScale));
    });
  }
  return errors.map((r) => r.filter(Number.isFinite).sort((a, b) => a - b));
}
