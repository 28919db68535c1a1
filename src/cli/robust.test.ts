/**
 * The hostile and careless inputs of issue 14, run through the `unroll` binary: every size from a
 * flag or a model file is refused against its documented limit before anything is allocated (no
 * crash, no hang, no out-of-memory), mistyped numbers are refused, an output path that is an input
 * is refused, and a run whose loss explodes stops without replacing the saved model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../test-support/cli.js';

const AIR = fileURLToPath(new URL('../../data/airpassengers_monthly_1949_1960.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-robust-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir, timeout: 60000 });
}

/** One line on stderr, the expected exit code, no stack trace. */
function refused(r: { code: number; err: string }, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.err);
  assert.match(r.err, pattern);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.ok(r.err.length < 300, r.err);
}

const tiny = ['--cell', 'elman', '--hidden', '3', '--epochs', '2', '--lookback', '6', '--quiet'];
const model = join(dir, 'air.json');

test('sizes from flags are checked against their limits while parsing', () => {
  refused(unroll(['train', '--data', AIR, '--hidden', '1e9']), 2, /--hidden is 1e9; expected a number from 1 to 16384/);
  refused(unroll(['train', '--data', AIR, '--hidden', '100000']), 2, /--hidden is 100000/);
  refused(unroll(['train', '--data', AIR, '--layers', '1e6']), 2, /--layers is 1e6; expected a number from 1 to 64/);
  refused(unroll(['train', '--data', AIR, '--lookback', '1e9']), 2, /--lookback is 1e9/);
  refused(unroll(['forecast', '--model', model, '--data', AIR, '--horizon', '1e9']), 2, /--horizon is 1e9/);
  refused(unroll(['run', '--data', AIR, '--horizon', '1e9']), 2, /--horizon is 1e9/);
  refused(unroll(['lm', 'generate', '--model', model, '--tokens', '1e9']), 2, /--tokens is 1e9/);
  refused(unroll(['lm', 'generate', '--model', model, '--samples', '1e9']), 2, /--samples is 1e9/);
});

test('mistyped numbers are refused: hex, blanks, negative clipping, zero refits', () => {
  refused(unroll(['train', '--data', AIR, '--epochs', '0x10']), 2, /--epochs must be an integer, got "0x10"/);
  refused(unroll(['train', '--data', AIR, '--lr', '']), 2, /--lr must be a finite decimal number/);
  refused(unroll(['train', '--data', AIR, '--lr', 'Infinity']), 2, /--lr must be a finite decimal number/);
  refused(unroll(['train', '--data', AIR, '--clip-norm', '-1']), 2, /--clip-norm is -1/);
  // The divergence case of issue 14 (--lr 1e6 trained to a loss of 3.554e+11) is refused while parsing.
  refused(unroll(['train', '--data', AIR, '--lr', '1e6']), 2, /^unroll: error: option --lr is 1e6; expected a number above 0 to 10$/m);
  refused(unroll(['backtest', '--data', AIR, '--refit-every', '0']), 2, /--refit-every is 0/);
  refused(unroll(['train', '--data', AIR, '--max-memory', 'lots']), 2, /--max-memory is "lots"/);
});

test('a network too large for the memory budget is refused before it is allocated; --max-memory names the way out', () => {
  const r = unroll(['train', '--data', AIR, '--hidden', '3000', '--layers', '8', '--epochs', '1', '--quiet']);
  refused(r, 1, /would need about 20\.\d GiB, above the memory limit of 2\.0 GiB; .*--max-memory/);
  refused(unroll(['train', '--data', AIR, '--hidden', '300', '--epochs', '1', '--quiet', '--max-memory', '1m']), 1, /above the memory limit of 1 MiB/);
});

test('an endless input file is refused at the file size limit, not read without bound', () => {
  refused(unroll(['train', '--data', '/dev/zero']), 1, /cannot read "\/dev\/zero": it is larger than the limit of 256 MiB/);
});

test('an output path that is one of the inputs is refused and the input is left intact', () => {
  const csv = join(dir, 'in.csv');
  copyFileSync(AIR, csv);
  refused(unroll(['train', '--data', csv, '--out', csv, ...tiny]), 2, /--out ".*in\.csv" is also an input/);
  assert.equal(readFileSync(csv, 'utf8'), readFileSync(AIR, 'utf8'));
});

test('sizes from a model file are checked against their limits before anything is allocated', () => {
  const r = unroll(['train', '--data', AIR, ...tiny, '--out', model]);
  assert.equal(r.code, 0, r.err);
  const good = JSON.parse(readFileSync(model, 'utf8'));
  const variant = (name: string, edit: (j: any) => void): string => {
    const j = JSON.parse(JSON.stringify(good));
    edit(j);
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(j));
    return p;
  };
  const huge = variant('hidden.json', (j) => (j.model.config.hiddenSize = 1e9));
  for (const cmd of [['summary'], ['forecast', '--data', AIR], ['evaluate', '--data', AIR, '--test-size', '12'], ['explain', '--data', AIR], ['predict', '--data', AIR]]) {
    // The file's field by its path in the file, never the flag that sets it when training (--hidden).
    refused(unroll([...cmd, '--model', huge]), 1, /^unroll: error: model file .*hidden\.json: "model\.config\.hiddenSize" is 1000000000, above the limit of 16384 /);
  }
  refused(unroll(['summary', '--model', variant('layers.json', (j) => (j.model.config.numLayers = 1e6))]), 1, /: "model\.config\.numLayers" is 1000000, above the limit of 64 /);
  refused(unroll(['forecast', '--data', AIR, '--model', variant('lookback.json', (j) => (j.options.lookback = 1e9))]), 1, /forecaster file .*lookback\.json: "options\.lookback" is 1000000000, above the limit of 100000 /);
  refused(unroll(['forecast', '--data', AIR, '--model', variant('epochs.json', (j) => (j.options.training.epochs = 0))]), 1, /epochs\.json: "options\.training\.epochs" is 0; expected an integer ≥ 1$/m);
  refused(unroll(['forecast', '--data', AIR, '--model', variant('strategy.json', (j) => (j.options.strategy = 'sideways'))]), 1, /strategy\.json: "options\.strategy" is "sideways"; expected 'recursive' or 'direct'$/m);
  for (const cmd of [['summary'], ['forecast', '--data', AIR]]) assert.doesNotMatch(unroll([...cmd, '--model', huge]).err, /--hidden|option/);
  // A language model's file: its network section.
  const lm = join(dir, 'lm.json');
  const text = join(dir, 'lm.txt');
  writeFileSync(text, 'the cat sat on the mat and the dog sat on the log '.repeat(20));
  assert.equal(unroll(['lm', 'train', '--text', text, '--hidden', '3', '--epochs', '1', '--window', '4', '--quiet', '--out', lm]).code, 0);
  const lmJson = JSON.parse(readFileSync(lm, 'utf8'));
  lmJson.network.config.hiddenSize = 1e9;
  writeFileSync(lm, JSON.stringify(lmJson));
  refused(unroll(['lm', 'generate', '--model', lm, '--prompt', 'the']), 1, /model file .*lm\.json: "network\.config\.hiddenSize" is 1000000000, above the limit of 16384 /);
});

test('a run whose loss explodes stops with one line and leaves the saved model alone', () => {
  const out = join(dir, 'keep.json');
  assert.equal(unroll(['train', '--data', AIR, ...tiny, '--out', out]).code, 0);
  const before = readFileSync(out, 'utf8');
  // The MSE (conformal intervals) squares the blow-up; the default pinball loss grows only linearly with it.
  const r = unroll(['train', '--data', AIR, '--cell', 'elman', '--hidden', '8', '--epochs', '30', '--lookback', '6', '--lr', '10', '--clip-norm', '1e12', '--patience', '0', '--interval-method', 'conformal', '--quiet', '--out', out]);
  refused(r, 1, /training diverged: the loss in epoch \d+ is .*times the .* it started from/);
  assert.equal(readFileSync(out, 'utf8'), before);
});

test('demo statland --days: empty, blank and overflowing values are refused', () => {
  refused(unroll(['demo', 'statland', '--days', '']), 2, /--days is empty/);
  refused(unroll(['demo', 'statland', '--days', '0,,1']), 2, /--days has an empty value at position 2/);
  refused(unroll(['demo', 'statland', '--days', '1e308,1e308']), 2, /--days has 1e308 at position 1, outside -1000 to 1000/);
  refused(unroll(['demo', 'statland', '--days', '0x1']), 2, /--days has "0x1" at position 1/);
});

test('explain refuses a window shorter than the model needs, as forecast does', () => {
  const short = join(dir, 'short.csv');
  writeFileSync(short, readFileSync(AIR, 'utf8').split('\n').slice(0, 6).join('\n') + '\n');
  const f = unroll(['forecast', '--model', model, '--data', short]);
  const e = unroll(['explain', '--model', model, '--data', short]);
  assert.notEqual(f.code, 0, f.out);
  refused(e, 1, /rows of history/);
});

test('train --checkpoint, then --resume with more epochs, equals an uninterrupted run; --resume needs --checkpoint', () => {
  const common = ['train', '--data', AIR, '--cell', 'gru', '--hidden', '4', '--lookback', '6', '--patience', '0', '--quiet'];
  const whole = join(dir, 'whole.json');
  const resumed = join(dir, 'resumed.json');
  const ck = join(dir, 'ck');
  assert.equal(unroll([...common, '--epochs', '5', '--out', whole]).code, 0);
  assert.equal(unroll([...common, '--epochs', '2', '--checkpoint', ck, '--out', resumed]).code, 0);
  const r = unroll([...common, '--epochs', '5', '--checkpoint', ck, '--resume', '--out', resumed]);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(resumed, 'utf8'), readFileSync(whole, 'utf8'));
  refused(unroll([...common, '--resume']), 2, /--resume needs --checkpoint/);
  refused(unroll([...common, '--epochs', '5', '--hidden', '5', '--checkpoint', ck, '--resume']), 1, /different training run/);
});

test('forecast --horizon 8 from a model trained on 45 rows prints no NaN (finite bounds, or none with a note)', () => {
  const rows45 = join(dir, 'rows45.csv');
  writeFileSync(rows45, readFileSync(AIR, 'utf8').split('\n').slice(0, 46).join('\n') + '\n');
  const m45 = join(dir, 'm45.json');
  assert.equal(unroll(['train', '--data', rows45, ...tiny, '--out', m45]).code, 0);
  const r = unroll(['forecast', '--model', m45, '--data', rows45, '--horizon', '8']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /NaN|Infinity/);
  const j = unroll(['forecast', '--model', m45, '--data', rows45, '--horizon', '8', '--json']);
  const points = JSON.parse(j.out).forecasts[0].points;
  assert.equal(points.length, 8);
  for (const p of points) {
    assert.ok(Number.isFinite(p.value), `value of step ${p.step} is ${p.value}`);
    for (const k of ['lower', 'upper']) assert.ok(p[k] === null || Number.isFinite(p[k]), `${k} of step ${p.step} is ${p[k]}`);
  }
});

test('messages point at the cause: a one-row file, --test-size that does not fit, a zero refit step, an overflowing number', () => {
  const one = join(dir, 'one.csv');
  writeFileSync(one, readFileSync(AIR, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
  const notInternal = (r: { err: string }): void => assert.doesNotMatch(r.err, /row boundary|below -1|from 2 to 1|option "(step|rows|initialTrain)"/);
  for (const r of [unroll(['train', '--data', one, '--quiet'])]) {
    refused(r, 1, /^unroll: error: .*one\.csv: 1 row\(s\); return features need at least 2 rows$/m);
    notInternal(r);
  }
  for (const args of [['run', '--data', one], ['train', '--data', one, '--test-size', '1'], ['train', '--data', one, '--test-size', '0.5']]) {
    const r = unroll([...args, '--quiet']);
    refused(r, 2, /^unroll: error: option --test-size: the data has only 1 row; holding rows out for testing needs at least 4 \(3 to train on, 1 to test\)$/m);
    notInternal(r);
  }
  const r140 = unroll(['run', '--data', AIR, '--test-size', '140', '--quiet']);
  refused(r140, 2, /^unroll: error: --test-size 140 leaves 4 of 144 rows for training, but training needs at least 41 \(10 windows of --lookback 30, so that --validation-split 0\.1 holds one out\); use --test-size from 10 to 103, or a shorter --lookback$/m);
  // run calibrates its forecast's intervals on the test span: fewer than 10 rows is refused before training.
  const r6 = unroll(['run', '--data', AIR, '--test-size', '6', '--lookback', '6', '--quiet']);
  refused(r6, 2, /^unroll: error: --test-size 6 holds out 6 rows; run's test span calibrates the forecast's intervals and needs at least 10; use --test-size from 10 to 127$/m);
  notInternal(r6);
  const bt = unroll(['backtest', '--data', one, '--quiet']);
  refused(bt, 2, /^unroll: error: .*one\.csv has 1 row; a backtest needs at least 42: 41 to train on \(10 windows of --lookback 30, so that --validation-split 0\.1 holds one out\) and 1 to test; a shorter --lookback needs fewer$/m);
  notInternal(bt);
  const refit = unroll(['backtest', '--data', AIR, '--refit-every', '0']);
  refused(refit, 2, /^unroll: error: option --refit-every is 0; expected a number from 1 to /m);
  notInternal(refit);
  const big = join(dir, 'big.csv');
  const lines = readFileSync(AIR, 'utf8').split('\n');
  lines[81] = `${lines[81].split(',')[0]},1e400`;
  writeFileSync(big, lines.join('\n'));
  refused(unroll(['train', '--data', big, '--quiet']), 1, /big\.csv, line 82, column "passengers": "1e400" is too large for a number \(beyond ±1\.8e308\); expected a finite number$/m);
});
