/**
 * What the CLI calls a series and its time steps: the frequency (from --frequency, or inferred from
 * the dates), the seasonal period (from --period, or the frequency's default when the training span
 * holds two seasons), and the series' name (its id, or for a one-series file its target column).
 */
import { inferFrequency, parseFrequency, usablePeriod, type Frequency } from '../data/frequency.js';
import type { Frame } from '../data/frame.js';

export interface StepLabels {
  frequency: Frequency | null;
  /** How the frequency was found, for messages: 'inferred from the dates', 'from --frequency', 'unknown'. */
  basis: string;
}

export function stepLabels(flags: { frequency?: string }, dates: readonly string[]): StepLabels {
  if (flags.frequency !== undefined) return { frequency: parseFrequency(flags.frequency, '--frequency'), basis: 'from --frequency' };
  const f = inferFrequency(dates);
  return { frequency: f, basis: f === null ? 'not known from the dates (pass --frequency)' : 'inferred from the dates' };
}

/** The seasonal period for MASE and seasonal naive: --period, else the frequency's default when the training rows hold two seasons. */
export function periodFor(flags: { period?: number }, f: Frequency | null, trainRows: number): number {
  return flags.period ?? usablePeriod(f, trainRows);
}

/** The name of the forecast column of a one-series frame (as the Forecaster picks it). */
export function targetOf(frame: Frame, target: string | null | undefined): string {
  if (target) return target;
  if (frame.names.includes('close')) return 'close';
  return frame.names[0] ?? 'value';
}

/** A series' display name: the forecaster's generic id of a one-series file becomes its target column. */
export function seriesName(id: string, target: string): string {
  return id === 'series' ? target : id;
}
