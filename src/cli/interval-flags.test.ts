/**
 * The interval flags of the commands that train (run, train, backtest): --interval-method and
 * --calibration-split reach the forecaster, --help shows them with their defaults, bad values get
 * clear errors in CLI vocabulary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../test-support/cli.js';

const AIR = fileURLToPath(new URL('../../data/airpassengers_monthly_1949_1960.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-intervalflags-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir, timeout: 60000 });
}

const tiny = ['--cell', 'elman', '--hidden', '4', '--epochs', '2', '--lookback', '6', '--backend', 'reference', '--quiet'];

test('--help of run, train and backtest shows --interval-method and --calibration-split with their defaults', () => {
  for (const cmd of ['run', 'train', 'backtest']) {
    const h = unroll([cmd, '--help']).out.replace(/\s+/g, ' ');
    assert.match(h, /--interval-method <m> [^]*?\(default: cqr\) \(choices: "conformal", "quantile", "cqr"\) --calibration-split/, cmd);
    assert.match(h, /--calibration-split <f> [^]*?\(default: 0\.1\) --patience/, cmd);
  }
});

test('--interval-method and --calibration-split reach the saved forecaster; bad values are refused by flag name', () => {
  const model = join(dir, 'q.json');
  const r = unroll(['train', '--data', AIR, ...tiny, '--interval-method', 'quantile', '--calibration-split', '0.2', '--out', model]);
  assert.equal(r.code, 0, r.err);
  const saved = JSON.parse(readFileSync(model, 'utf8'));
  assert.equal(saved.options.intervalMethod, 'quantile');
  assert.equal(saved.options.calibrationSplit, 0.2);
  assert.equal(saved.model.config.outputSize, 7, 'the median and three levels\' two bounds');

  const method = unroll(['train', '--data', AIR, ...tiny, '--interval-method', 'bootstrap', '--out', join(dir, 'x.json')]);
  assert.equal(method.code, 2);
  assert.match(method.err, /option '--interval-method <m>' argument 'bootstrap' is invalid\. Allowed choices are conformal, quantile, cqr/);
  const split = unroll(['train', '--data', AIR, ...tiny, '--calibration-split', '0.7', '--out', join(dir, 'x.json')]);
  assert.equal(split.code, 1);
  assert.match(split.err, /option --calibration-split is 0\.7; expected a number in \[0, 0\.5\)/);
  assert.doesNotMatch(split.err, /calibrationSplit/);
  const text = unroll(['train', '--data', AIR, ...tiny, '--calibration-split', 'lots', '--out', join(dir, 'x.json')]);
  assert.equal(text.code, 2);
  assert.match(text.err, /option --calibration-split must be a finite decimal number, got "lots"/);
});
