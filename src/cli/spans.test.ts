/**
 * The spans of run, train --test-size and backtest are checked before any training, naming the flag,
 * its value, the file and what would fit for that file (issue 14: `run --test-size 6` trained and
 * then failed with `option "rows" is 6`; `backtest` on a short file said `option "initialTrain"`).
 * In-process: the checks are pure. The CLI runs of the same cases are in robust.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays, type Frame } from '../data/frame.js';
import { UnrollError } from '../util/errors.js';
import { checkBacktestRows, checkTrainingRows, testStartOf, trainingRowsNeeded } from './spans.js';
import { jobDefaults } from '../forecast/rnn/defaults.js';
import { RECALIBRATION_MIN_ROWS } from '../forecast/forecaster.js';
import { forecasterOptions } from './options.js';

function frame(n: number): Frame {
  const dates = Array.from({ length: n }, (_, i) => `2000-01-${String(1 + (i % 28)).padStart(2, '0')}`);
  return frameFromArrays({ v: Array.from({ length: n }, (_, i) => 100 + i) }, { dates, source: 'f.csv' });
}

/** An UnrollError of code 'usage' whose message matches, under 300 characters, with no internal option name. */
function usage(fn: () => void, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UnrollError, String(e));
    assert.equal(e.code, 'usage');
    assert.match(e.message, pattern);
    assert.ok(e.message.length < 300, e.message);
    assert.doesNotMatch(e.message, /option "|initialTrain|below -1|row boundary/);
    return true;
  });
}

/** What `run` checks: the default or given --test-size, at least 10 test rows. */
function runCheck(n: number, testSize: number, flags: { lookback?: number; validationSplit?: number } = {}): void {
  const data = frame(n);
  const options = forecasterOptions(flags, jobDefaults(data, {}));
  const start = testStartOf(data, testSize, { checkedByTraining: true });
  checkTrainingRows(data, start, options, testSize, { minTest: RECALIBRATION_MIN_ROWS, source: 'f.csv' });
}

test('training needs one window, and enough windows for the validation split to hold one out', () => {
  assert.deepEqual(trainingRowsNeeded({ lookback: 30, training: { validationSplit: 0 } }), { rows: 32, why: 'a window of --lookback 30', windows: 1 });
  // floor(10 · 0.1) = 1 window held out; 9 would hold out none (train/fit.ts splitPoint).
  assert.equal(trainingRowsNeeded({ lookback: 30 }).rows, 41);
  assert.equal(trainingRowsNeeded({ lookback: 6, minLength: 4, horizon: 3, strategy: 'direct', training: { validationSplit: 0.25 } }).rows, 4 + 3 + 1 + 3);
  // Windows of several series are pooled: one each.
  assert.equal(trainingRowsNeeded({ lookback: 30 }, true).rows, 32);
});

test('run --test-size below 10 rows is refused before training, with the values that fit the file', () => {
  usage(() => runCheck(144, 6, { lookback: 6 }), /^--test-size 6 holds out 6 rows; run's test span calibrates the forecast's intervals and needs at least 10; use --test-size from 10 to 127$/);
  usage(() => runCheck(144, 0.05), /^--test-size 0\.05 holds out 7 rows; .* use --test-size from 10 to 103$/);
  usage(() => runCheck(144, 140), /^--test-size 140 leaves 4 of 144 rows for training, but training needs at least 41 \(10 windows of --lookback 30, so that --validation-split 0\.1 holds one out\); use --test-size from 10 to 103, or a shorter --lookback$/);
  usage(() => runCheck(45, 10), /f\.csv has 45 rows, too few for that and 10 to test: use --lookback 24 or less$/);
  usage(() => runCheck(20, 10, { lookback: 5 }), /f\.csv has 20 rows, too few for that and 10 to test: use --validation-split 0 and --lookback 8 or less$/);
  usage(() => runCheck(12, 10), /the file is too short for this command$/);
  // The limits of what is accepted: exactly 10 rows to test, exactly the rows training needs.
  runCheck(144, 10);
  runCheck(144, 103);
  runCheck(45, 10, { lookback: 24 });
  usage(() => runCheck(45, 10, { lookback: 25 }), /use --lookback 24 or less/);
});

test('train --test-size: no rows to test, a non-integer count, and a one-row file', () => {
  const data = frame(144);
  const options = forecasterOptions({}, jobDefaults(data, {}));
  usage(() => checkTrainingRows(data, testStartOf(data, 0.001, { checkedByTraining: true }), options, 0.001), /^--test-size 0\.001 holds out no rows to test; use --test-size from 1 to 103$/);
  usage(() => testStartOf(data, 2.5, { checkedByTraining: true }), /^option --test-size is 2\.5; expected a whole number of rows, or a fraction below 1$/);
  usage(() => testStartOf(frame(1), 1), /^option --test-size: the data has only 1 row; holding rows out for testing needs at least 4/);
  checkTrainingRows(data, testStartOf(data, 1, { checkedByTraining: true }), options, 1);
});

test('backtest: a short file, --initial-train outside the file, a sliding --window outside its range', () => {
  const options = forecasterOptions({}, jobDefaults(frame(144), {}));
  usage(() => checkBacktestRows({}, options, 1, 1, 'one.csv'), /^one\.csv has 1 row; a backtest needs at least 42: 41 to train on \(10 windows of --lookback 30, .*\) and 1 to test; a shorter --lookback needs fewer$/);
  usage(() => checkBacktestRows({ initialTrain: 150 }, options, 144, 150, 'air.csv'), /^option --initial-train 150 leaves no rows to test; expected from 41 to 143 for air\.csv \(144 rows; /);
  usage(() => checkBacktestRows({ initialTrain: 10 }, options, 144, 10, 'air.csv'), /^option --initial-train 10 is too few rows to train on; expected from 41 to 143 for air\.csv/);
  usage(() => checkBacktestRows({}, options, 144, 30, 'air.csv'), /^option the default --initial-train \(30\) is too few/);
  usage(() => checkBacktestRows({ mode: 'sliding', window: 10 }, options, 144, 116, 'air.csv'), /^option --window 10 \(the training rows of each sliding fold\) is outside 41 to 116/);
  usage(() => checkBacktestRows({ mode: 'sliding', window: 200, initialTrain: 100 }, options, 144, 100, 'air.csv'), /^option --window 200 .* outside 41 to 100/);
  checkBacktestRows({}, options, 144, 116, 'air.csv');
  checkBacktestRows({ mode: 'sliding', window: 41 }, options, 144, 41, 'air.csv');
});
