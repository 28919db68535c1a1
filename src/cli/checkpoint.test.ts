/**
 * --checkpoint / --resume on every command that trains a network for long (train is tested in
 * robust.test.ts): lm train, classify-text train and run. A run stopped after a few epochs and
 * resumed with the full count writes the same file, byte for byte, as one uninterrupted run. And
 * lm train's divergence stop: one line, a non-zero exit, the saved model left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../test-support/cli.js';

const AIR = fileURLToPath(new URL('../../data/airpassengers_monthly_1949_1960.csv', import.meta.url));
const MOBY = fileURLToPath(new URL('../../data/moby_dick_small.txt', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-ck-cli-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

function ok(args: string[]): string {
  const r = unroll(args);
  assert.equal(r.code, 0, r.err);
  return r.out;
}

/**
 * Trains `args` for `epochs` in one go, and again stopped after `first` epochs (with --checkpoint)
 * then resumed for `epochs`: the file at `outFlag` and what the command prints are the same.
 */
function resumesLikeUninterrupted(name: string, args: string[], outFlag: string, first: number, epochs: number, lines = (out: string): string[] => [out]): void {
  const whole = join(dir, `${name}-whole.json`);
  const resumed = join(dir, `${name}-resumed.json`);
  const ck = join(dir, `${name}-ck`);
  const outWhole = ok([...args, '--epochs', String(epochs), outFlag, whole]);
  ok([...args, '--epochs', String(first), '--checkpoint', ck, outFlag, resumed]);
  assert.ok(existsSync(join(ck, 'checkpoint.json')));
  const r = unroll([...args, '--epochs', String(epochs), '--checkpoint', ck, '--resume', outFlag, resumed]);
  assert.equal(r.code, 0, r.err);
  // Said even with --quiet (the run test passes it): a resumed result depends on the checkpoint.
  assert.match(r.err, new RegExp(`^unroll: resuming from .*${name}-ck after epoch ${first}$`, 'm'));
  assert.equal(readFileSync(resumed, 'utf8'), readFileSync(whole, 'utf8'), `${name}: the resumed model differs from the uninterrupted one`);
  const same = (t: string): string => t.replaceAll(resumed, whole).replace(/\(\d+(\.\d+)? (s|min) in all\)/, '(time)');
  assert.deepEqual(lines(same(r.out)), lines(same(outWhole)), `${name}: the resumed report differs`);
  // Another model is another run.
  const other = unroll([...args, '--epochs', String(epochs), '--hidden', '7', '--checkpoint', ck, '--resume', outFlag, resumed]);
  assert.equal(other.code, 1, other.err);
  assert.match(other.err, /checkpoint: .*(different training run|do not fit)/);
}

const text = join(dir, 'moby.txt');
writeFileSync(text, readFileSync(MOBY, 'utf8').slice(0, 4000));
const LM = ['lm', 'train', '--text', text, '--hidden', '6', '--window', '8', '--patience', '0'];

test('lm train --checkpoint, then --resume with more epochs, equals an uninterrupted run', () => {
  resumesLikeUninterrupted('lm', LM, '--out', 2, 4);
});

test('classify-text train --checkpoint, then --resume with more epochs, equals an uninterrupted run', () => {
  const lines = ['pos\tgood fine great', 'neg\tbad awful', 'pos\tgreat day', 'neg\tawful bad day', 'pos\tfine good', 'neg\tterrible bad',
    'pos\tnice good great fine', 'neg\tbad terrible awful day', 'pos\tgood day', 'neg\tbad night', 'pos\tfine day', 'neg\tawful night'];
  const data = join(dir, 'labelled.tsv');
  writeFileSync(data, lines.join('\n') + '\n');
  resumesLikeUninterrupted('clf', ['classify-text', 'train', '--data', data, '--hidden', '4', '--batch-size', '3', '--test-size', '0.25'], '--out', 2, 5);
});

test('run --checkpoint, then --resume with more epochs, equals an uninterrupted run', () => {
  resumesLikeUninterrupted('run', ['run', '--data', AIR, '--cell', 'gru', '--hidden', '4', '--lookback', '6', '--patience', '0', '--test-size', '24', '--quiet', '--report', join(dir, 'report.html')], '--save-model', 2, 4,
    // The model's lines: the time-bounded ETS/ARIMA benchmarks refit as often as the machine's speed allows.
    (out) => out.split('\n').filter((l) => /GRU|forecast|interval|epoch/.test(l) && !/ETS|ARIMA/.test(l)));
});

test('lm train whose loss explodes stops with one line, exit 1, and leaves the saved model alone', () => {
  const good = join(dir, 'good.json');
  ok([...LM, '--epochs', '1', '--out', good]);
  const before = readFileSync(good, 'utf8');
  for (const lr of ['10']) {
    const r = unroll([...LM, '--epochs', '3', '--learning-rate', lr, '--out', good]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /^unroll: error: training diverged: the training cross-entropy in epoch \d is [\d.e+]+, more than 3 times a uniform guess's \([\d.]+\); nothing was saved\. Try a smaller learning rate\n$/);
    assert.equal(r.out, '');
    assert.equal(readFileSync(good, 'utf8'), before, `--learning-rate ${lr} replaced the saved model`);
  }
  // Nothing is written where there was no model either.
  const fresh = join(dir, 'fresh.json');
  assert.equal(unroll([...LM, '--epochs', '2', '--learning-rate', '10', '--out', fresh]).code, 1);
  assert.ok(!existsSync(fresh));
  // --learning-rate 1e6 is refused before training, naming the flag and its range.
  const huge = unroll([...LM, '--learning-rate', '1e6', '--out', good]);
  assert.equal(huge.code, 2);
  assert.match(huge.err, /^unroll: error: option --learning-rate is 1e6; expected a number above 0 to 10\n$/);
  assert.equal(readFileSync(good, 'utf8'), before);
  assert.doesNotMatch(before, /null|Infinity|NaN/);
});
