/**
 * `unroll train --series` has two forms: `--series <file>` trains the global panel model, and
 * `--data <file> --series` (no file after --series) the per-window forecaster over every series of the
 * file. Both documented forms still train their model; a mix of the two is one line naming both forms;
 * the help shows them apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../../test-support/cli.js';

const PANEL = fileURLToPath(new URL('../../../data/quarterly_panel_4series.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-train-series-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

const BOTH_FORMS = /"unroll train --series <file>" trains the global panel model .*; "unroll train --data <file> --series" trains the per-window forecaster/;

test('train --series: the two forms mixed are refused in one line naming both; the other model\'s flags name the form that takes them', () => {
  const cases: [string[], RegExp[]][] = [
    [['train', '--series'], [/option --series needs a file here/, BOTH_FORMS]],
    [['train', '--series', PANEL, '--data', PANEL], [/options --series .*quarterly_panel_4series\.csv and --data .* ask for two different models/, BOTH_FORMS]],
    [['train', '--data', PANEL, '--series', PANEL], [/ask for two different models/, BOTH_FORMS]],
    [['train', '--series', PANEL, '--lookback', '6'], [/option --lookback sets the per-window forecaster/, /For the per-window forecaster over every series of .*quarterly_panel_4series\.csv: unroll train --data .*quarterly_panel_4series\.csv --series --lookback …/]],
    [['train', '--data', PANEL, '--series', '--members', '2'], [/option --members is for the panel model: use it with --series <file> \(the per-window forecaster of --data <file> --series takes --horizon-out/]],
  ];
  for (const [args, patterns] of cases) {
    const r = unroll([...args, '--out', join(dir, 'never.json')]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    const lines = r.err.trim().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: one line expected, got ${r.err}`);
    for (const p of patterns) assert.match(lines[0]!, p, args.join(' '));
  }
  assert.ok(!existsSync(join(dir, 'never.json')), 'nothing is trained or saved');
});

test('train --help shows the two models apart, each with its form', () => {
  const r = unroll(['train', '--help']);
  assert.equal(r.code, 0, r.err);
  const after = r.out.slice(r.out.indexOf('Two models:'));
  assert.ok(r.out.includes('Two models:'), r.out);
  assert.match(after, /\n {2}--data <file> +the per-window forecaster \(the model flags above\); add --series \(without a\n +file\) to train it over every series of the file/);
  assert.match(after, /\n {2}--series <file> +the global panel model over every series of the file/);
  assert.match(after, /its own flags:\n +--horizon, .*--members,/);
  assert.match(after, /--checkpoint/);
  assert.match(after, /Examples:\n {2}# the per-window forecaster\n(.*\n)*.*--data \S+ --series --target value/);
  assert.match(after, /# the panel model\n {2}unroll train --series panel\.csv/);
});

test('both documented forms still train their own model: --data <file> --series the per-window forecaster, --series <file> the panel model', () => {
  const perWindow = join(dir, 'per-window.json');
  const a = unroll(['train', '--data', PANEL, '--series', '--target', 'value', '--lookback', '6', '--hidden', '4', '--epochs', '1', '--out', perWindow, '--json', '--quiet']);
  assert.equal(a.code, 0, a.err);
  const aj = JSON.parse(a.out) as { options: { lookback: number; model: { hiddenSize: number } } };
  assert.equal(aj.options.lookback, 6);
  assert.equal(aj.options.model.hiddenSize, 4);
  const panel = join(dir, 'panel.json');
  const b = unroll(['train', '--series', PANEL, '--members', '1', '--epochs', '1', '--out', panel, '--json', '--quiet']);
  assert.equal(b.code, 0, b.err);
  const saved = JSON.parse(readFileSync(panel, 'utf8')) as Record<string, unknown>;
  const perWindowSaved = JSON.parse(readFileSync(perWindow, 'utf8')) as Record<string, unknown>;
  assert.notDeepEqual(Object.keys(saved).sort(), Object.keys(perWindowSaved).sort(), 'two different model files');
});
