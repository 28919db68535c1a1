/**
 * The spans of the commands that train and test (run, train --test-size, evaluate, backtest): where
 * the test span starts, and checks before any training that the rows before it can be trained on
 * and the rows after it can be tested, with messages that name the flags and the file and say which
 * values fit (instead of the window builder's or the split's internal option names).
 */
import { frameLength, type Frame, type SeriesSet } from '../data/frame.js';
import { isSeriesSet, type ForecasterOptions } from '../forecast/forecaster.js';
import { UnrollError } from '../util/errors.js';

/** Rows of the shortest series (for the test split). */
export function rowsOf(data: Frame | SeriesSet): number {
  return isSeriesSet(data) ? Math.min(...data.ids.map((id) => frameLength(data.series[id]))) : frameLength(data);
}

/** The first test row: `testSize` rows from the end (or a fraction when below 1). */
export function testStartOf(data: Frame | SeriesSet, testSize: number, how: { checkedByTraining?: boolean } = {}): number | Record<string, number> {
  const rowsFor = (n: number): number => {
    const k = testSize > 0 && testSize < 1 ? Math.floor(n * testSize) : testSize;
    if (n < 4) throw new UnrollError(`option --test-size: the data has only ${n} row${n === 1 ? '' : 's'}; holding rows out for testing needs at least 4 (3 to train on, 1 to test)`, 'usage');
    if (!Number.isInteger(k)) throw new UnrollError(`option --test-size is ${testSize}; expected a whole number of rows, or a fraction below 1`, 'usage');
    // A command that trains says what fits from the training window (checkTrainingRows).
    if (how.checkedByTraining) return n - Math.max(0, Math.min(k, n));
    if (k < 1 || k >= n - 2) throw new UnrollError(`option --test-size ${testSize} does not fit ${n} rows; expected a row count from 1 to ${n - 3}, or a fraction`, 'usage');
    return n - k;
  };
  if (isSeriesSet(data)) return Object.fromEntries(data.ids.map((id) => [id, rowsFor(frameLength(data.series[id]))]));
  return rowsFor(frameLength(data));
}

/**
 * The fewest training rows a forecaster can fit on, and how to say why: one window of the shortest
 * length (--min-length, else --lookback) plus the steps it predicts and its target, and with a
 * validation split enough windows that it holds at least one out (train/fit.ts splitPoint). For a
 * set of series the windows are pooled, so one window each is asked for here.
 */
export function trainingRowsNeeded(options: ForecasterOptions, pooled = false): { rows: number; why: string; windows: number } {
  const one = (options.minLength ?? options.lookback ?? 30) + (options.horizon ?? 1) + 1;
  const v = options.training?.validationSplit ?? 0.1;
  let windows = 1;
  if (!pooled && v > 0 && v < 1) {
    windows = Math.ceil(1 / v);
    while (Math.floor(windows * v) < 1) windows++;
    while (windows > 2 && Math.floor((windows - 1) * v) >= 1) windows--;
  }
  const flags = `--lookback ${options.lookback ?? 30}${options.minLength !== undefined ? ` (--min-length ${options.minLength})` : ''}`;
  const why = windows === 1 ? `a window of ${flags}` : `${windows} windows of ${flags}, so that --validation-split ${v} holds one out`;
  return { rows: one + windows - 1, why, windows };
}

/**
 * What to shorten when a file cannot hold the training rows plus `minTest` rows to test: the
 * window's flag and its largest value that fits, or that the file is too short.
 */
function shorterWindow(options: ForecasterOptions, need: { rows: number; windows: number }, total: number, minTest: number): string {
  const flag = options.minLength !== undefined ? '--min-length' : '--lookback';
  const now = options.minLength ?? options.lookback ?? 30;
  const most = now - (need.rows + minTest - total);
  if (most >= 1) return `use ${flag} ${most} or less`;
  const withoutValidation = most + need.windows - 1;
  return withoutValidation >= 1 ? `use --validation-split 0 and ${flag} ${withoutValidation} or less` : 'the file is too short for this command';
}

/**
 * Checks before training that the rows before the test span can be trained on and the span holds
 * at least `minTest` rows (run calibrates the future forecast's intervals on it: 10), and says what
 * would fit: the valid --test-size values for this file, or a shorter --lookback.
 */
export function checkTrainingRows(data: Frame | SeriesSet, testStart: number | Record<string, number>, options: ForecasterOptions, testSize: number,
  how: { minTest?: number; source?: string; defaulted?: boolean } = {}): void {
  const { minTest = 1, source } = how;
  const need = trainingRowsNeeded(options, isSeriesSet(data));
  const starts = typeof testStart === 'number' ? [testStart] : Object.values(testStart);
  const train = Math.min(...starts);
  const total = rowsOf(data);
  const testRows = total - train;
  if (train >= need.rows && testRows >= minTest) return;
  const most = total - need.rows;
  const asked = how.defaulted ? `the default --test-size (${testSize})` : `--test-size ${testSize}`;
  const fits = most >= minTest
    ? `use --test-size ${minTest > 1 || testRows < minTest ? `from ${minTest} to ${most}` : `${most} or less`}${train < need.rows ? ', or a shorter --lookback' : ''}`
    : `${source ?? 'the data'} has ${total} rows, too few for that and ${minTest} to test: ${shorterWindow(options, need, total, minTest)}`;
  if (train < need.rows) {
    throw new UnrollError(`${asked} leaves ${train} of ${total} rows for training, but training needs at least ${need.rows} (${need.why}); ${fits}`, 'usage');
  }
  if (minTest === 1) throw new UnrollError(`${asked} holds out no rows to test; ${fits}`, 'usage');
  throw new UnrollError(`${asked} holds out ${testRows} row${testRows === 1 ? '' : 's'}; run's test span calibrates the forecast's intervals and needs at least ${minTest}; ${fits}`, 'usage');
}

/**
 * Checks a backtest's spans before any fold is fitted, naming the flags and the file: the first
 * fold's training rows (--initial-train, or --window in sliding mode) hold one training window of
 * --lookback, and rows are left to test.
 */
export function checkBacktestRows(flags: { initialTrain?: number; mode?: string; window?: number }, options: ForecasterOptions, n: number, initialTrain: number, source: string): void {
  const { rows: need, why } = trainingRowsNeeded(options);
  if (n < need + 1) {
    throw new UnrollError(`${source} has ${n} row${n === 1 ? '' : 's'}; a backtest needs at least ${need + 1}: ${need} to train on (${why}) and 1 to test; a shorter --lookback needs fewer`, 'usage');
  }
  const range = `expected from ${need} to ${n - 1} for ${source} (${n} rows; training needs ${why})`;
  const given = flags.initialTrain !== undefined ? `--initial-train ${initialTrain}` : `the default --initial-train (${initialTrain})`;
  if (initialTrain >= n) throw new UnrollError(`option ${given} leaves no rows to test; ${range}`, 'usage');
  if (initialTrain < need) throw new UnrollError(`option ${given} is too few rows to train on; ${range}`, 'usage');
  if (flags.mode === 'sliding' && flags.window !== undefined && (flags.window < need || flags.window > initialTrain)) {
    throw new UnrollError(`option --window ${flags.window} (the training rows of each sliding fold) is outside ${need} to ${initialTrain}: at least what training needs (${why}), at most --initial-train`, 'usage');
  }
}

