/**
 * A --config file's "target" chooses the default features as --target does (the default model reads the
 * target's own log-returns), and --target wins over the file, as every flag does. Before, the defaults
 * looked only at --target: a config of { "target": "open" } on a file with a close column trained on
 * close's features and was refused ('feature "close" is not [from open]').
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../../test-support/cli.js';

const SP500 = fileURLToPath(new URL('../../../data/sp500_daily_ohlcv_2000_2020.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-config-target-'));
// The bundled S&P 500 file's first 300 days (open, high, low, close, … : a close column to be the default).
const DATA = join(dir, 'sp500.csv');
writeFileSync(DATA, readFileSync(SP500, 'utf8').split('\n').slice(0, 301).join('\n') + '\n');
const QUICK = ['--epochs', '1', '--hidden', '4', '--lookback', '5', '--quiet'];

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

function config(name: string, options: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(options));
  return path;
}

/** The saved model's target and features (as "kind:column", a level as its column). */
function trained(args: string[], out: string): { target: string; features: string[] } {
  const r = unroll(['train', '--data', DATA, '--out', out, ...QUICK, ...args]);
  assert.equal(r.code, 0, r.err);
  const o = JSON.parse(readFileSync(out, 'utf8')).options as { target: string; features: { kind: string; column: string }[] };
  return { target: o.target, features: o.features.map((f) => (f.kind === 'level' ? f.column : `${f.kind}:${f.column}`)) };
}

test('a config file\'s target chooses the default features, as --target does; --target wins over it', () => {
  const open = config('open.json', { target: 'open' });
  const fromConfig = trained(['--config', open], join(dir, 'config.json'));
  assert.equal(fromConfig.target, 'open');
  assert.deepEqual(fromConfig.features, ['logReturn:open']);
  // The same as the flag.
  const fromFlag = trained(['--target', 'open'], join(dir, 'flag.json'));
  assert.equal(fromFlag.target, 'open');
  assert.deepEqual(fromFlag.features, fromConfig.features);
  // The flag wins over the file, for the target and so for its default features.
  const both = trained(['--config', open, '--target', 'high'], join(dir, 'both.json'));
  assert.equal(both.target, 'high');
  assert.deepEqual(both.features, ['logReturn:high']);
  // Features the file gives are kept.
  const own = trained(['--config', config('own.json', { target: 'open', features: ['logReturn:open', 'open'] })], join(dir, 'own-model.json'));
  assert.deepEqual(own.features, ['logReturn:open', 'open']);
  // A target the data lacks is refused naming the column and the file, not a feature of close.
  const missing = unroll(['train', '--data', DATA, '--config', config('nope.json', { target: 'nope' }), '--out', join(dir, 'nope-model.json'), ...QUICK]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /sp500\.csv: no column "nope"; expected one of "open", /);
  assert.doesNotMatch(missing.err, /feature "close"/);
});
