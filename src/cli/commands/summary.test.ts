/**
 * `unroll summary` names the column a forecaster was trained on: the one `train` chose without --target
 * (the bundled UK gas file's only column, gas) is written in the model file and said in text and JSON;
 * a file without it (an earlier unroll, or the library without "target") says it is not recorded and
 * the rule that chose it, never a column of its own choosing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../../test-support/cli.js';

const GAS = fileURLToPath(new URL('../../../data/ukgas_quarterly_1960_1986.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-summary-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

test('summary names the target a model was trained on without --target, and says when the file does not record it', () => {
  const model = join(dir, 'gas.json');
  const t = unroll(['train', '--data', GAS, '--epochs', '1', '--hidden', '4', '--out', model, '--quiet']);
  assert.equal(t.code, 0, t.err);
  assert.equal(JSON.parse(readFileSync(model, 'utf8')).options.target, 'gas');
  const s = unroll(['summary', '--model', model]);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /\nForecaster: target gas, features logReturn:gas, /);
  const sj = JSON.parse(unroll(['summary', '--model', model, '--json']).out);
  assert.equal(sj.target, 'gas');
  assert.equal(sj.targetNote, undefined);

  // The same file as an earlier unroll wrote it, without the target.
  const file = JSON.parse(readFileSync(model, 'utf8'));
  delete file.options.target;
  const old = join(dir, 'old.json');
  writeFileSync(old, JSON.stringify(file));
  const o = unroll(['summary', '--model', old]);
  assert.equal(o.code, 0, o.err);
  assert.match(o.out, /\nForecaster: target \(not recorded in the model file: it was trained without one, so on the training data's "close" column if it had one, else on its only value column\), features logReturn:gas, /);
  const oj = JSON.parse(unroll(['summary', '--model', old, '--json']).out);
  assert.equal(oj.target, null);
  assert.match(oj.targetNote, /^not recorded in the model file: /);
});
