/**
 * Splits by time, never at random: a model is always judged on data later than everything it learned
 * from. Spans are row ranges [start, end).
 *
 * - chronologicalSplit: train | validation | test, in that order.
 * - walkForwardFolds: the rolling-origin backtest. At each origin o the model is (re)fitted on the rows
 *   before o (all of them: 'expanding'; only the last `window`: 'sliding') and tested on the next
 *   `testSize` rows; then the origin moves on by `step` rows ("refit every k steps").
 */
import { UnrollError, describe } from '../util/errors.js';
import type { Span } from './scaler.js';
import { checkOptions, is } from '../util/options.js';

export interface SplitOptions {
  /** Rows for testing at the end: a count (integer >= 1) or a fraction of the rows (0 < f < 1). */
  test: number;
  /** Rows for validation just before the test rows, as a count or a fraction. @default 0 */
  validation?: number;
}

export interface ChronologicalSplit {
  train: Span;
  validation: Span;
  test: Span;
}

function size(v: unknown, option: string, n: number, allowZero: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v >= 1 && !Number.isInteger(v)) || (v === 0 && !allowZero)) {
    throw new UnrollError(`option "${option}" is ${describe(v)}; expected a row count (integer >= 1) or a fraction between 0 and 1`, 'option');
  }
  return v < 1 ? Math.round(v * n) : v;
}

/** Splits n rows into train, validation and test spans, in time order. */
export function chronologicalSplit(n: number, options: SplitOptions): ChronologicalSplit {
  checkOptions(options, { test: is.number, validation: is.number }, { where: 'chronologicalSplit' }, false);
  if (!Number.isInteger(n) || n < 1) throw new UnrollError(`chronologicalSplit: ${describe(n)} rows; expected a positive integer`, 'option');
  const test = size(options.test, 'test', n, false);
  const validation = size(options.validation ?? 0, 'validation', n, true);
  const trainEnd = n - test - validation;
  if (test < 1 || trainEnd < 1) {
    throw new UnrollError(`chronologicalSplit: ${n} rows cannot hold ${test} test and ${validation} validation rows and still train; expected fewer held-out rows`, 'option');
  }
  return {
    train: { start: 0, end: trainEnd },
    validation: { start: trainEnd, end: trainEnd + validation },
    test: { start: trainEnd + validation, end: n },
  };
}

export interface WalkForwardOptions {
  /** Rows before the first origin: the first training span. */
  initialTrain: number;
  /** Rows the origin moves by between refits ("refit every k steps"). @default 1 */
  step?: number;
  /** Rows tested after each origin. @default step (so the test spans tile the rest of the series) */
  testSize?: number;
  /** 'expanding' trains on all rows before the origin; 'sliding' on the last `window` rows. @default 'expanding' */
  mode?: 'expanding' | 'sliding';
  /** Training rows in 'sliding' mode. @default initialTrain */
  window?: number;
}

export interface Fold {
  /** Position of the fold, from 0. */
  index: number;
  /** Rows the model (and its scalers) are fitted on. */
  train: Span;
  /** Rows it is tested on; train.end === test.start (the forecast origin). */
  test: Span;
}

/** The folds of a walk-forward (rolling-origin) backtest over n rows. */
export function walkForwardFolds(n: number, options: WalkForwardOptions): Fold[] {
  checkOptions(options, { initialTrain: is.number, step: is.number, testSize: is.number, mode: is.oneOf('expanding', 'sliding'), window: is.number }, { where: 'walkForwardFolds' }, false);
  const int = (v: unknown, option: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new UnrollError(`option "${option}" is ${describe(v)}; expected an integer >= 1`, 'option');
    return v;
  };
  const initialTrain = int(options.initialTrain, 'initialTrain');
  const step = int(options.step ?? 1, 'step');
  const testSize = int(options.testSize ?? step, 'testSize');
  const mode = options.mode ?? 'expanding';
  if (mode !== 'expanding' && mode !== 'sliding') throw new UnrollError(`option "mode" is ${describe(mode)}; expected 'expanding' or 'sliding'`, 'option');
  const window = int(options.window ?? initialTrain, 'window');
  if (window > initialTrain) throw new UnrollError(`option "window" is ${window}; expected at most initialTrain (${initialTrain})`, 'option');
  if (initialTrain >= n) {
    throw new UnrollError(`option "initialTrain" is ${initialTrain} but the series has ${n} rows; expected fewer, leaving rows to test`, 'option');
  }
  const folds: Fold[] = [];
  for (let origin = initialTrain; origin < n; origin += step) {
    folds.push({
      index: folds.length,
      train: { start: mode === 'expanding' ? 0 : origin - window, end: origin },
      test: { start: origin, end: Math.min(origin + testSize, n) },
    });
  }
  return folds;
}
