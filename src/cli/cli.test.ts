/**
 * End-to-end tests of the `unroll` binary: each command is spawned as a user would run it, and its
 * output, JSON and exit code are checked, error cases included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../test-support/cli.js';

const DATA = fileURLToPath(new URL('../../data/', import.meta.url));
const AIR = join(DATA, 'airpassengers_monthly_1949_1960.csv');
const SP = join(DATA, 'sp500_daily_ohlcv_2000_2020.csv');
const dir = mkdtempSync(join(tmpdir(), 'unroll-cli-'));

function unroll(args: string[], input?: string): CliResult {
  return runCli(args, { cwd: dir, input });
}

const quick = ['--cell', 'elman', '--hidden', '6', '--epochs', '15', '--lookback', '12', '--features', 'logReturn:passengers', '--predict', 'return', '--scaler', 'standard', '--quiet'];
const modelPath = join(dir, 'air.json');

test('train saves a model and reports the held-out span; --json gives machine-readable output', () => {
  const r = unroll(['train', '--data', AIR, ...quick, '--out', modelPath, '--test-size', '24', '--json', '--seed', '3']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.model, modelPath);
  assert.equal(j.evaluations[0].steps, 24);
  // Monthly data: seasonal naive at the frequency's period 12 joins the baselines.
  assert.deepEqual(j.evaluations[0].methods.map((m: { name: string }) => m.name), ['model', 'naive', 'snaive', 'naive2', 'ses', 'holt', 'damped', 'theta', 'comb', 'ets', 'arima', 'drift', 'movingAverage(5)']);
  assert.ok(existsSync(modelPath));
  const text = unroll(['train', '--data', AIR, ...quick, '--out', join(dir, 'air2.json'), '--test-size', '24']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /Saved to .*air2\.json/);
  // The first line carries the whole verdict: against the best benchmark, with its significance.
  assert.match(text.out.split('\n')[0], /^(Elman RNN \(6 units\) beats the best benchmark, .*, significantly|.* is best here \(MASE [\d.]+\); Elman RNN \(6 units\) is .* worse|Elman RNN \(6 units\) cannot be told apart from the best benchmark, .*)/);
  assert.match(text.out, /Diebold–Mariano -?\d+\.\d\d, p [=<] /);
  assert.match(text.out, /MASE divides each MAE by [\d.]+, the in-sample MAE of seasonal naive \(period 12\) over the \d+ rows before the test span\./);
  assert.match(text.out, /best epoch \d+ of \d+ \(its weights are kept\)/);
});

test('the same --seed gives the same model file', () => {
  const a = join(dir, 's1.json');
  const b = join(dir, 's2.json');
  assert.equal(unroll(['train', '--data', AIR, ...quick, '--out', a, '--seed', '5']).code, 0);
  assert.equal(unroll(['train', '--data', AIR, ...quick, '--out', b, '--seed', '5']).code, 0);
  assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
});

test('predict, forecast, evaluate, summary and explain work on the saved model (text and JSON)', () => {
  const p = unroll(['predict', '--model', modelPath, '--data', AIR, '--last', '3', '--json']);
  assert.equal(p.code, 0, p.err);
  const pj = JSON.parse(p.out);
  assert.equal(pj.predictions[0].rows.length, 3);
  assert.equal(pj.predictions[0].rows[2].date, '1960-12-01');

  const f = unroll(['forecast', '--model', modelPath, '--data', AIR, '--horizon', '4', '--json']);
  assert.equal(f.code, 0, f.err);
  const points = JSON.parse(f.out).forecasts[0].points;
  assert.deepEqual(points.map((x: { date: string }) => x.date), ['1961-01-01', '1961-02-01', '1961-03-01', '1961-04-01']);
  for (const x of points) {
    // An interval holds the point forecast, or there is none and a note says why (never NaN).
    if (x.lower === null) assert.match(x.note, /calibration errors/);
    else assert.ok(x.lower <= x.value && x.value <= x.upper);
  }
  assert.match(unroll(['forecast', '--model', modelPath, '--data', AIR, '--horizon', '2']).out, /1961-02-01/);

  const e = unroll(['evaluate', '--model', modelPath, '--data', AIR, '--test-size', '24', '--period', '12', '--json']);
  assert.equal(e.code, 0, e.err);
  const ej = JSON.parse(e.out).evaluations[0];
  assert.ok(ej.methods.some((m: { name: string }) => m.name === 'snaive'));
  assert.equal(ej.maseScale.period, 12);
  assert.ok(['win', 'tie', 'loss'].includes(ej.tone));
  assert.equal(typeof ej.best.dieboldMariano.pValue, 'number');
  // Per-step forecasts: date, actual, the model's and every benchmark's forecast, the interval bounds.
  assert.equal(ej.forecasts.length, 24);
  assert.equal(ej.forecasts[23].date, '1960-12-01');
  for (const k of ['actual', 'model', 'naive', 'snaive', 'ets', 'arima', 'lower', 'upper']) assert.ok(k in ej.forecasts[0], k);

  const s = unroll(['summary', '--model', modelPath]);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /elman\(tanh\) l0\s+\[N, T, 6\]\s+54/); // 6·1 + 6·6 + 6 + 6
  // The head gives 7 outputs (the median and the 80/90/95% bounds of the default intervals, 'cqr'): 6·7 + 7.
  assert.match(s.out, /dense head\s+\[N, 7\]\s+49/);
  assert.match(s.out, /Total parameters: 103/);
  // …and the summary names each of the 7 (it once printed only "[N, 7]").
  assert.match(s.out, /Outputs of the head \(7\):\n  1  the next (value|return): median \(τ 0\.5\)\n  2  [^\n]*lower bound of the 80% interval \(τ 0\.1\)\n(  [3-6]  [^\n]*\n){4}  7  [^\n]*upper bound of the 95% interval \(τ 0\.975\)\n/);
  // A model trained without --target names the column train chose (it once said "close" for any data, then only the rule).
  assert.match(s.out, /Forecaster: target passengers,/);
  const sj = JSON.parse(unroll(['summary', '--model', modelPath, '--json']).out);
  assert.equal(sj.parameters, 103);
  assert.deepEqual(sj.outputs.map((o: { from: number; tau: number }) => [o.from, o.tau]), [[1, 0.5], [2, 0.1], [3, 0.9], [4, 0.05], [5, 0.95], [6, 0.025], [7, 0.975]]);

  const x = unroll(['explain', '--model', modelPath, '--data', AIR]);
  assert.equal(x.code, 0, x.err);
  assert.match(x.out, /Window of 12 steps ending 1960-12-01/);
  const xj = JSON.parse(unroll(['explain', '--model', modelPath, '--data', AIR, '--json']).out);
  assert.equal(xj.steps.length, 12);
  assert.ok(xj.steps.every((st: { sensitivity: number }) => st.sensitivity >= 0));
});

test('data can come from standard input, and a JSON config file sets options', () => {
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ lookback: 6, model: { cell: 'gru', hiddenSize: 4 }, training: { epochs: 3 } }));
  const r = unroll(['train', '--data', '-', '--config', cfg, '--features', 'logReturn:passengers', '--predict', 'return', '--out', join(dir, 'stdin.json'), '--quiet', '--json'], readFileSync(AIR, 'utf8'));
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.data, '<stdin>');
  assert.equal(j.options.lookback, 6);
  assert.equal(j.options.model.cell, 'gru');
  assert.equal(j.epochs.length, 3);
});

test('a config file whose model or training section is not an object is one line naming the file and the key', () => {
  for (const [key, value] of [['model', 'fast'], ['training', [30]]] as const) {
    const cfg = join(dir, `bad-${key}.json`);
    writeFileSync(cfg, JSON.stringify({ [key]: value }));
    const r = unroll(['train', '--data', AIR, '--config', cfg, '--out', join(dir, 'never.json'), '--quiet']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, new RegExp(`^unroll: error: config file .*bad-${key}\\.json: "${key}" is .*; expected an object of ${key} options`));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.ok(!existsSync(join(dir, 'never.json')));
  }
});

test('backtest walks forward with refits and compares with the baselines', () => {
  const r = unroll(['backtest', '--data', AIR, ...quick, '--epochs', '3', '--initial-train', '120', '--refit-every', '12', '--period', '12', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out).backtest;
  assert.equal(j.steps, 24);
  assert.equal(j.testStart, '1959-01-01');
  assert.equal(j.forecasts.length, 24);
  assert.ok('snaive' in j.forecasts[0] && 'lower' in j.forecasts[0]);
  assert.equal(j.coverage.count + j.coverage.missing, 24);
});

test('the main job (run) trains, evaluates, forecasts and writes a self-contained report', () => {
  const report = join(dir, 'r.html');
  const r = unroll(['run', '--data', SP, '--hidden', '4', '--epochs', '1', '--lookback', '10', '--report', report, '--json', '--quiet']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.evaluation.steps, 504);
  assert.equal(j.forecast.points.length, 5);
  assert.equal(j.forecast.points[0].date, '2020-04-20');
  assert.equal(typeof j.evaluation.beatsNaive, 'boolean');
  assert.equal(j.evaluation.forecasts.length, 504);
  assert.equal(j.evaluation.coverage.level, 0.9);
  const html = readFileSync(report, 'utf8');
  assert.match(html, /<html/i);
  assert.doesNotMatch(html, /<script[^>]+src=["']https?:/i);
});

test('the StatLand demo prints the arithmetic and the JSON the issue asks for', () => {
  const r = unroll(['demo', 'statland']);
  assert.equal(r.code, 0);
  assert.match(r.out, /Yesterday 0 × 1\.8 \+ 0\.0 = 0 → ReLU → 0/);
  const j = JSON.parse(unroll(['demo', 'statland', '--json']).out);
  assert.deepEqual(j.predictions, [
    { yesterday: 0, today: 0, predicted: 0 }, { yesterday: 0, today: 0.5, predicted: 0.99 },
    { yesterday: 1, today: 0.5, predicted: 0 }, { yesterday: 1, today: 1, predicted: 0.99 },
  ]);
});

test('every command has --help with examples', () => {
  for (const cmd of [['run'], ['train'], ['predict'], ['forecast'], ['evaluate'], ['backtest'], ['summary'], ['explain'], ['demo', 'statland']]) {
    const r = unroll([...cmd, '--help']);
    assert.equal(r.code, 0, cmd.join(' '));
    assert.match(r.out, /Examples:/, cmd.join(' '));
    assert.match(r.out, /--json/, cmd.join(' '));
    assert.match(r.out, /--seed <n>/, cmd.join(' '));
  }
});

test('failures exit non-zero with one clear line and no stack trace (unless --verbose)', () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'date,close\n2020-01-01,1\n2020-01-02,abc\n2020-01-03,3\n');
  const notModel = join(dir, 'not-model.json');
  writeFileSync(notModel, '{"hello": 1}');
  const cases: [string[], number, RegExp][] = [
    [['train', '--data', AIR, '--bogus'], 2, /unknown option '--bogus'/],
    [['train', '--data', AIR, '--epochs', 'ten'], 2, /option --epochs must be an integer, got "ten"/],
    [['train', '--data', AIR, '--cell', 'transformer'], 2, /--cell <kind>' argument 'transformer' is invalid. Allowed choices are lstm, gru, elman/],
    [['train', '--data', join(dir, 'missing.csv')], 1, /cannot read ".*missing\.csv": no such file/],
    [['train', '--data', bad, '--quiet'], 1, /bad\.csv.*line 3.*close/],
    [['train'], 2, /no data given; expected --data <file\.csv>/],
    [['forecast', '--model', notModel, '--data', AIR], 1, /not-model\.json: not an unroll forecaster/],
    [['forecast', '--model', join(dir, 'nope.json'), '--data', AIR], 1, /cannot read ".*nope\.json": no such file/],
    [['forecast', '--data', AIR], 2, /required option '--model <file>' not specified/],
    [['run', '--data', AIR, '--test-size', '500', '--quiet'], 2, /--test-size 500 leaves 0 of 144 rows for training, .*; use --test-size from 10 to 103/],
  ];
  for (const [args, code, re] of cases) {
    const r = unroll(args);
    assert.equal(r.code, code, `${args.join(' ')}: exit ${r.code}, stderr ${r.err}`);
    assert.match(r.err, re, args.join(' '));
    assert.doesNotMatch(r.err, /\n\s+at /, `no stack trace for ${args.join(' ')}`);
  }
  const verbose = unroll(['train', '--data', join(dir, 'missing.csv'), '--verbose']);
  assert.match(verbose.err, /\n\s+at /);
});

test('--seasonal: train saves the normalisation it chose, forecast reproduces it, run says it, and an unknown mode is refused', () => {
  const GAS = join(DATA, 'ukgas_quarterly_1960_1986.csv');
  const tiny = ['--cell', 'elman', '--hidden', '4', '--epochs', '2', '--lookback', '8', '--quiet'];
  const model = join(dir, 'gas-classical.json');
  const t = unroll(['train', '--data', GAS, ...tiny, '--seasonal', 'classical', '--out', model, '--test-size', '8', '--json']);
  assert.equal(t.code, 0, t.err);
  const saved = JSON.parse(readFileSync(model, 'utf8'));
  assert.equal(saved.seasonal.series.kind, 'classical');
  assert.equal(saved.options.seasonal, 'classical');
  const fc = JSON.parse(unroll(['forecast', '--model', model, '--data', GAS, '--horizon', '4', '--json']).out).forecasts[0].points;
  assert.deepEqual(fc.map((x: { date: string }) => x.date), ['1987-01-01', '1987-04-01', '1987-07-01', '1987-10-01']);
  // The winter quarter (Q1) forecast above the summer one (Q3): the season is put back.
  assert.ok(fc[0].value > 1.5 * fc[2].value, `${fc[0].value} vs ${fc[2].value}`);
  const r = unroll(['run', '--data', GAS, ...tiny, '--test-size', '12', '--report', join(dir, 'gas.html'), '--json']);
  assert.equal(r.code, 0, r.err);
  assert.match(JSON.parse(r.out).model.seasonal.note, /^seasonally normalised \(Holt-Winters seasonal states of ETS\(M,\w+,M\), period 4/);
  const off = JSON.parse(unroll(['run', '--data', GAS, ...tiny, '--seasonal', 'off', '--test-size', '12', '--report', join(dir, 'gas2.html'), '--json']).out);
  assert.equal(off.model.seasonal.kind, 'none');
  const bad = unroll(['train', '--data', GAS, ...tiny, '--seasonal', 'weekly', '--out', join(dir, 'x.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--seasonal.*weekly.*auto, off, classical, holt-winters/s);
  assert.match(unroll(['run', '--help']).out, /--seasonal <mode>/);
});
