/** `unroll benchmark` end to end: the binary as a user runs it, on a small wide panel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../../test-support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'unroll-benchmark-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

/** 8 monthly series of 60 values (a seasonal pattern at 8 levels): 54 for training, 6 for the test. */
function writePanel(testLengths: (i: number) => number = () => 6): [string, string] {
  const rows = Array.from({ length: 8 }, (_, i) => Array.from({ length: 60 }, (_, t) => (20 + 5 * i) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)) + ((t * 7 + i) % 5)));
  const header = (n: number): string => Array.from({ length: n }, (_, c) => `"V${c + 1}"`).join(',');
  const train = [header(55), ...rows.map((y, i) => [`"S${i + 1}"`, ...y.slice(0, 54).map((v) => v.toFixed(3))].join(','))].join('\n');
  const test = [header(7), ...rows.map((y, i) => [`"S${i + 1}"`, ...y.slice(54, 54 + testLengths(i)).map((v) => v.toFixed(3))].join(','))].join('\n');
  const trainPath = join(dir, 'train.csv');
  const testPath = join(dir, `test-${testLengths(0)}-${testLengths(1)}.csv`);
  writeFileSync(trainPath, train + '\n');
  writeFileSync(testPath, test + '\n');
  return [trainPath, testPath];
}

test('benchmark: the model and the statistical benchmarks in one JSON table, forecasts in the wide layout', () => {
  const [train, test] = writePanel();
  const out = join(dir, 'forecasts.csv');
  const r = unroll(['benchmark', '--train', train, '--test', test, '--horizon', '6', '--period', '12', '--members', '1', '--epochs', '2', '--json', '--quiet', '--forecasts', out]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.series, 8);
  assert.equal(j.horizon, 6);
  const names = j.methods.map((m: { name: string }) => m.name);
  assert.deepEqual(names.slice(0, 1), ['panel-rnn']);
  // By default: M4's eight benchmarks and the automatic ETS and ARIMA (fitted on worker threads).
  assert.deepEqual(names, ['panel-rnn', 'naive', 'snaive', 'naive2', 'ses', 'holt', 'damped', 'theta', 'comb', 'ets', 'arima']);
  assert.equal(j.benchmarks, 'all');
  for (const m of j.methods) assert.ok(Number.isFinite(m.smape) && Number.isFinite(m.mase) && Number.isFinite(m.owa), JSON.stringify(m));
  assert.ok(j.seconds > 0 && j.peakRssMb > 0);
  // The verdict against the best benchmark by OWA, with its sign test over the series.
  const best = j.methods.slice(1).reduce((a: { name: string; owa: number }, b: { name: string; owa: number }) => (b.owa < a.owa ? b : a));
  assert.equal(j.verdict.best, best.name);
  assert.equal(j.verdict.wins + j.verdict.losses <= 8, true);
  assert.ok(j.verdict.p > 0 && j.verdict.p <= 1);
  // With a weight of 0 the verdict says the companion forecast alone (and the JSON's standIn says it too).
  const standIn = j.methods[0].standIn as string | undefined;
  assert.equal(standIn === undefined || /^the ets-arima companion alone; the network's weight is 0, chosen on validation$/.test(standIn), true, standIn);
  assert.match(j.verdict.lines[0], new RegExp(`^panel-rnn${standIn ? ' \\(here the ets-arima companion alone; [^)]*\\)' : ''} (beats|does not beat) the best benchmark, ${best.name}: OWA `));
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines.length, 9);
  assert.equal(lines[1]!.split(',').length, 7);
  assert.equal(lines[1]!.split(',')[0], '"S1"');
  const text = unroll(['benchmark', '--train', train, '--test', test, '--horizon', '6', '--period', '12', '--members', '1', '--epochs', '1', '--quiet', '--benchmarks', 'm4', '--workers', '1']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /panel-rnn\s+[\d.]+\s+[\d.]+\s+[\d.]+/);
  assert.match(text.out, /\ntheta\s+[\d.]+/);
  assert.doesNotMatch(text.out, /\n(ets|arima)\s/);
  assert.match(text.out, /benchmarks m4, on 1 worker thread\)/);
  assert.match(text.out, /\npanel-rnn( \(here the ets-arima companion alone; [^)]*\))? (beats|does not beat) the best benchmark, \w+: OWA [\d.]+ against [\d.]+\.\nSeries by series, its MASE is lower on \d+ and higher on \d+ of \d+ series \(two-sided sign test p/);
  assert.match(text.out, /peak memory \d+ MB/);
});

test('benchmark: ragged test rows, a horizon that does not match and missing flags are clear errors', () => {
  const [train, ragged] = writePanel((i) => (i === 1 ? 5 : 6));
  const r = unroll(['benchmark', '--train', train, '--test', ragged, '--horizon', '6', '--period', '12', '--quiet']);
  assert.equal(r.code, 1);
  assert.match(r.err, /series "S2" has 5 test values; expected exactly the horizon h = 6/);
  const [, test] = writePanel();
  const h = unroll(['benchmark', '--train', train, '--test', test, '--horizon', '5', '--period', '12', '--quiet']);
  assert.equal(h.code, 1);
  assert.match(h.err, /has 6 test values; expected exactly the horizon h = 5/);
  const set = unroll(['benchmark', '--train', train, '--test', test, '--horizon', '6', '--period', '12', '--benchmarks', 'r']);
  assert.equal(set.code, 2);
  assert.match(set.err, /option --benchmarks is "r"; expected all, m4 or none/);
  const missing = unroll(['benchmark', '--train', train, '--test', test, '--period', '12']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--horizon/);
});

test('benchmark: --forecasts that names an input file is refused before anything is written', () => {
  const [train, test] = writePanel();
  const before = readFileSync(train, 'utf8');
  const r = unroll(['benchmark', '--train', train, '--test', test, '--horizon', '6', '--period', '12', '--forecasts', train]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /option --forecasts names the --train file .*train.csv; writing there would replace the data: choose another path/);
  assert.equal(readFileSync(train, 'utf8'), before);
});

test('benchmark: a panel too short for any network names the companion that forecast in its verdict, and reads files without a header line', () => {
  // Six yearly series of 5-8 training values (none has the chunk + 2h = 9 a network needs with h = 4), written
  // without a header line, as a user's own export may be.
  const lengths = [5, 6, 7, 8, 8, 6];
  const y = lengths.map((n, i) => Array.from({ length: n + 4 }, (_, t) => (100 + 10 * i + 3 * t + ((t * 7 + i) % 5)).toFixed(1)));
  const trainPath = join(dir, 'short-train.csv');
  const testPath = join(dir, 'short-test.csv');
  writeFileSync(trainPath, y.map((v, i) => [`Y${i + 1}`, ...v.slice(0, lengths[i])].join(',')).join('\n') + '\n');
  writeFileSync(testPath, y.map((v, i) => [`Y${i + 1}`, ...v.slice(lengths[i])].join(',')).join('\n') + '\n');
  const r = unroll(['benchmark', '--train', trainPath, '--test', testPath, '--horizon', '4', '--period', '1', '--benchmarks', 'm4', '--json', '--quiet']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.series, 6);
  assert.equal(j.methods[0].standIn, 'the ets-arima companion alone; no network was trained');
  assert.match(j.verdict.lines[0], /^panel-rnn \(here the ets-arima companion alone; no network was trained\) (beats|does not beat) the best benchmark, /);
});
