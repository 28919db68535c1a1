/**
 * The panel model's network flags (cli/panel-flags.ts) on `unroll train --series` and `unroll benchmark`:
 * they reach the model (trained, saved and reloaded with them), their help says the library's defaults,
 * and every bad value or combination is one line naming the flag and saying what was expected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPanelForecaster } from '../../forecast/panel-io.js';
import { panelSettings } from '../../forecast/panel/settings.js';
import { writeWidePanel } from '../../test-support/wide-panel.js';
import { runCli, type CliResult } from '../../test-support/cli.js';

const PANEL = fileURLToPath(new URL('../../../data/quarterly_panel_4series.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-panel-flags-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

/** One member, two epochs, no companion: the network alone, quickly. */
const QUICK = ['--members', '1', '--epochs', '2', '--companion', 'none', '--quiet'];

test('train --series --residual --dilations: the model trains with them, saves, reloads and forecasts', () => {
  const out = join(dir, 'panel.json');
  const r = unroll(['train', '--series', PANEL, '--out', out, '--residual', '--dilations', '1,7', '--hidden', '8', '--lookback-chunks', '7', '--json', ...QUICK]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.match(j.settings, /^global GRU 2×8 \(dilations 1, 7\) with residual connections, 7 chunks of 4, 1 members/);
  const { model } = loadPanelForecaster(out);
  assert.equal(model.settings.residual, 1);
  assert.deepEqual(model.settings.dilations, [1, 7]);
  assert.equal(model.settings.hiddenSize, 8);
  assert.equal(model.settings.lookbackChunks, 7);
  assert.equal(model.settings.companion, 'none');
  const f = unroll(['forecast', '--model', out, '--json']);
  assert.equal(f.code, 0, f.err);
  const points = JSON.parse(f.out).forecasts[0].points;
  assert.equal(points.length, 8);
  for (const p of points) assert.ok(Number.isFinite(p.value), JSON.stringify(p));
});

test('train --series --windows-per-series --batch-size --lr --tau --normalisation: the saved model was trained with them', () => {
  const out = join(dir, 'training.json');
  const r = unroll(['train', '--series', PANEL, '--out', out, '--windows-per-series', '4', '--batch-size', '16', '--lr', '0.005', '--tau', '0.4', '--normalisation', 'window', '--hidden', '4', ...QUICK]);
  assert.equal(r.code, 0, r.err);
  const s = loadPanelForecaster(out).model.settings;
  assert.deepEqual([s.windowsPerSeries, s.batchSize, s.learningRate, s.tau, s.normalisation], [4, 16, 0.005, 0.4, 'window']);
});

test('benchmark --layers --residual k --dilations --cell: the model it scores has them', () => {
  const [train, test] = writeWidePanel(dir);
  const r = unroll(['benchmark', '--train', train, '--test', test, '--horizon', '6', '--period', '12', '--layers', '4', '--residual', '2', '--dilations', '1,2,1,2',
    '--hidden', '6', '--cell', 'lstm', '--lookback-chunks', '3', '--benchmarks', 'none', '--workers', '0', '--json', ...QUICK]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.match(j.model, /^global LSTM 4×6 \(dilations 1, 2, 1, 2\) with residual connections every 2 layers, 3 chunks of 12, 1 members/);
  assert.equal(j.methods[0].name, 'panel-rnn');
  assert.ok(Number.isFinite(j.methods[0].owa));
});

test('--help says the panel flags with the library\'s defaults', () => {
  const d = panelSettings({ horizon: 1, period: 1 });
  const b = unroll(['benchmark', '--help']);
  assert.equal(b.code, 0, b.err);
  const flat = b.out.replace(/\s+/g, ' ');
  assert.ok(flat.includes(`recurrent layers (default ${d.numLayers})`), flat);
  assert.ok(flat.includes(`units per recurrent layer (default ${d.hiddenSize})`), flat);
  assert.ok(flat.includes(`networks in the ensemble (default ${d.members})`), flat);
  for (const flag of ['--residual [k]', '--dilations <list>', '--lookback-chunks <n>', `(default ${d.companion})`, `--weight-evidence <z>`, `(default ${d.weightEvidence})`]) assert.ok(flat.includes(flag), flag);
  for (const text of [`training windows per batch (default ${d.batchSize})`, `Adam's learning rate (default ${d.learningRate})`, `drawn from each series per epoch (default ${d.windowsPerSeries})`,
    `0.5 the median (default ${d.tau})`, `the mean of the window's last chunk) (default ${d.normalisation})`]) assert.ok(flat.includes(text), text);
  const t = unroll(['train', '--help']).out.replace(/\s+/g, ' ');
  assert.ok(t.includes(`stacked recurrent layers (default: 1; the panel model of --series <file>: ${d.numLayers})`), t);
  assert.ok(t.includes(`the panel model of --series <file>: at most ${d.epochs} per member`), t);
  assert.ok(t.includes(`--residual [k] with --series <file>: the panel model's residual connections`), t);
  assert.match(t, /its own flags: .*--residual, --dilations, --lookback-chunks, --companion/);
  assert.ok(t.includes(`mini-batch size (default: 64; the panel model of --series <file>: ${d.batchSize})`), t);
  assert.ok(t.includes(`Adam learning rate (default: 0.002; the panel model of --series <file>: ${d.learningRate})`), t);
  assert.match(t, /its own flags: .*--batch-size, --lr, .*--windows-per-series, --max-epoch-steps, --tau, --normalisation/);
});

test('the flags\' own refusals, end to end: one line naming the flag, exit code 2 (the combinations: cli/panel-flags.test.ts)', () => {
  const [train, test] = writeWidePanel(dir);
  const bench = ['benchmark', '--train', train, '--test', test, '--horizon', '6', '--period', '12'];
  const series = ['train', '--series', PANEL, '--out', join(dir, 'never.json')];
  const cases: [string[], RegExp][] = [
    [[...series, '--residual', 'x'], /^unroll: error: option --residual must be an integer, got "x"$/],
    [[...series, '--dilations', '1,x'], /^unroll: error: option --dilations is "1,x"; expected a comma list of positive integers, one per recurrent layer, such as 1,7$/],
    [[...series, '--dilations', '1,7,28'], /^unroll: error: option --dilations is 1,7,28; expected 2 dilations, one per recurrent layer \(the panel model's default 2 layers; --layers sets them\)$/],
    [[...bench, '--lookback-chunks', '0'], /^unroll: error: option --lookback-chunks is 0; expected a number from 1 to 100000$/],
    [[...bench, '--companion', 'best'], /^unroll: error: option --companion is "best"; expected one of 'auto', /],
    [[...bench, '--weight-evidence', '-1'], /^unroll: error: option --weight-evidence is -1; expected a number from 0 to 1000000/],
    [['train', '--data', PANEL, '--series', '--weight-evidence', '2'], /^unroll: error: option --weight-evidence is for the panel model: use it with --series <file>/],
    [['train', '--data', PANEL, '--series', '--residual'], /^unroll: error: option --residual is for the panel model: use it with --series <file>/],
    [[...bench, '--tau', '1'], /^unroll: error: option --tau is 1; expected a number in \(0, 1\)$/],
    [[...bench, '--normalisation', 'log'], /^unroll: error: option --normalisation is "log"; expected one of 'hw', 'window'$/],
    [[...bench, '--batch-size', '200000'], /^unroll: error: option --batch-size is 200000; expected a positive integer up to 100000$/],
    [[...series, '--windows-per-series', '0'], /^unroll: error: option --windows-per-series is 0; expected a positive integer/],
    [[...series, '--lr', '10'], /^unroll: error: option --lr is 10; expected a number in \(0, 10\)$/],
    [['train', '--data', PANEL, '--series', '--tau', '0.4'], /^unroll: error: option --tau is for the panel model: use it with --series <file>/],
    [['train', '--data', PANEL, '--series', '--normalisation', 'window'], /^unroll: error: option --normalisation is for the panel model: use it with --series <file>/],
  ];
  for (const [args, message] of cases) {
    const r = unroll(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err.trim(), message, args.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
  }
});
