/**
 * The panel model from the command line, as a user runs it: `unroll train --series <long file>` on the
 * bundled quarterly panel (data/quarterly_panel_4series.csv: UKgas, JohnsonJohnson, austres, woolyrnq),
 * its held-out scores beside the benchmarks, its report, the saved file, and `unroll forecast` from it,
 * with and without a data file; then every misuse as one clear line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPanelForecaster } from '../../forecast/panel-io.js';
import { runCli, type CliResult } from '../../test-support/cli.js';
import { writeWidePanel } from '../../test-support/wide-panel.js';

const PANEL = fileURLToPath(new URL('../../../data/quarterly_panel_4series.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-panel-cli-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

/** A quick model: one member, two epochs (the defaults train 8 members for up to 100 epochs). */
const QUICK = ['--members', '1', '--epochs', '2', '--quiet'];
const MODEL = join(dir, 'panel.json');
const REPORT = join(dir, 'panel.html');

test('train --series: the quarterly panel, held out and scored beside the benchmarks, saved with its series, and a report', () => {
  const r = unroll(['train', '--series', PANEL, '--test-size', '8', '--out', MODEL, '--report', REPORT, '--json', ...QUICK]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.series, 4);
  assert.equal(j.target, 'value');
  assert.equal(j.frequency, 'quarterly');
  assert.equal(j.frequencySource, 'inferred from the dates');
  assert.equal(j.horizon, 8, 'M4\'s quarterly horizon is the default');
  assert.equal(j.period, 4);
  const names = j.evaluation.methods.map((m: { name: string }) => m.name);
  assert.equal(names[0], 'panel-rnn');
  for (const n of ['snaive', 'naive2', 'theta', 'damped', 'ets', 'arima']) assert.ok(names.includes(n), `${n} in ${names}`);
  const model = j.evaluation.methods[0];
  assert.ok(Number.isFinite(model.smape) && Number.isFinite(model.mase) && Number.isFinite(model.owa));
  assert.equal(model.intervals[0].level, 0.95);
  assert.ok(model.intervals[0].coverage >= 0 && model.intervals[0].coverage <= 1);

  // The file loads through the library, with the series it was trained on.
  const { model: loaded, history } = loadPanelForecaster(MODEL);
  assert.equal(loaded.settings.horizon, 8);
  assert.equal(loaded.settings.period, 4);
  assert.deepEqual(history!.series.map((s) => s.id), ['UKgas', 'JohnsonJohnson', 'austres', 'woolyrnq']);
  assert.equal(history!.series[0]!.values.length, 108, 'every value of UKgas, the held-out ones too');
  assert.deepEqual(history!.series[0]!.lastDates, ['1986-07-01', '1986-10-01']);

  // The report: the metrics of every method, and three series drawn.
  const html = readFileSync(REPORT, 'utf8');
  for (const n of names) assert.ok(html.includes(`>${n}`), `report lists ${n}`);
  assert.match(html, /best benchmark/);
  assert.match(html, /sign test p/);
  assert.match(html, /covered [\d.]+% of the test values/);
  for (const pick of ['best', 'median', 'worst']) assert.ok(html.includes(`id="chart-series-${pick}"`), `${pick} series chart`);
});

test('forecast --model <panel>: every series it was trained on, with dates and intervals; --json and --out', () => {
  assert.ok(existsSync(MODEL), 'the first test saved the model');
  const text = unroll(['forecast', '--model', MODEL]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /4 series from .*quarterly_panel_4series\.csv \(the series saved in .*panel\.json\); quarterly, 8 steps ahead/);
  // UKgas ends 1986-10-01, JohnsonJohnson 1980-10-01: the next quarters follow.
  assert.match(text.out, /UKgas[^\n]*\n[^\n]*95% interval\n[-\s]+\n1987-01-01 /);
  assert.match(text.out, /JohnsonJohnson[^\n]*\n[^\n]*\n[-\s]+\n1981-01-01 /);

  const csv = join(dir, 'forecasts.csv');
  const json = unroll(['forecast', '--model', MODEL, '--json', '--out', csv]);
  assert.equal(json.code, 0, json.err);
  const j = JSON.parse(json.out);
  assert.equal(j.horizon, 8);
  assert.equal(j.level, 0.95);
  assert.deepEqual(j.forecasts.map((f: { series: string }) => f.series), ['UKgas', 'JohnsonJohnson', 'austres', 'woolyrnq']);
  const uk = j.forecasts[0].points;
  assert.deepEqual(uk.map((p: { date: string }) => p.date), ['1987-01-01', '1987-04-01', '1987-07-01', '1987-10-01', '1988-01-01', '1988-04-01', '1988-07-01', '1988-10-01']);
  for (const f of j.forecasts) {
    for (const p of f.points) assert.ok(p.lower <= p.value && p.value <= p.upper && p.value > 0, JSON.stringify(p));
  }
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'series,date,step,forecast,lower,upper');
  assert.equal(lines.length, 1 + 4 * 8);
  assert.match(lines[1]!, /^UKgas,1987-01-01,1,[\d.]+,[\d.]+,[\d.]+$/);
  assert.equal(Number(lines[1]!.split(',')[3]), uk[0].value);
  // --threads: the companion's fits on other threads give the same forecasts.
  for (const threads of ['1', '2']) assert.deepEqual(JSON.parse(unroll(['forecast', '--model', MODEL, '--json', '--threads', threads]).out).forecasts, j.forecasts, `--threads ${threads}`);

  // --series <file>: forecasts from that file's ends (here two series cut a year short).
  const short = readFileSync(PANEL, 'utf8').trim().split('\n').filter((l) => !/^(UKgas,1986|JohnsonJohnson,1980)/.test(l)).filter((l) => /^(series|UKgas|JohnsonJohnson)/.test(l));
  const file = join(dir, 'two.csv');
  writeFileSync(file, short.join('\n') + '\n');
  const two = unroll(['forecast', '--model', MODEL, '--series', file, '--json']);
  assert.equal(two.code, 0, two.err);
  const t = JSON.parse(two.out);
  assert.deepEqual(t.forecasts.map((f: { series: string }) => f.series), ['UKgas', 'JohnsonJohnson']);
  assert.equal(t.forecasts[0].points[0].date, '1986-01-01');
  assert.equal(t.forecasts[1].points[0].date, '1980-01-01');
});

test('train --series without a test: the model trained on every value; an hourly long file gets M4\'s hourly horizon and period', () => {
  // 3 synthetic hourly series of 10 days with a daily cycle, on real timestamps.
  const rows = ['id,time,load'];
  for (let s = 0; s < 3; s++) {
    for (let t = 0; t < 240; t++) {
      const stamp = new Date(Date.UTC(2024, 0, 1, t)).toISOString().slice(0, 16).replace('T', ' ');
      rows.push(`site${s + 1},${stamp},${(100 + 20 * s + 30 * Math.sin((2 * Math.PI * t) / 24) + ((t * 7 + s) % 5)).toFixed(2)}`);
    }
  }
  const file = join(dir, 'hourly.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  const out = join(dir, 'hourly.json');
  const r = unroll(['train', '--series', file, '--out', out, '--json', ...QUICK]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.frequency, 'hourly');
  assert.equal(j.target, 'load');
  assert.equal(j.horizon, 48);
  assert.equal(j.period, 24);
  assert.equal(j.evaluation, undefined);
  const f = unroll(['forecast', '--model', out, '--json']);
  assert.equal(f.code, 0, f.err);
  const points = JSON.parse(f.out).forecasts[0].points;
  assert.equal(points.length, 48);
  assert.equal(points[0].date, '2024-01-11 00:00');
  assert.equal(points[47].date, '2024-01-12 23:00');
});

test('panel misuse: each a one-line error naming the flag, file or series', () => {
  const cases: [string[], number, RegExp][] = [
    [['train', '--series', PANEL, '--activation', 'relu'], 2, /option --activation sets the per-window forecaster .*the panel model of --series <file> takes --horizon/],
    [['train', '--series', PANEL, '--report', 'r.html'], 2, /option --report .* add --test-size <h>/],
    [['train', '--series', PANEL, '--test-size', '5', '--horizon', '8'], 2, /--test-size 5 differs from the horizon 8 \(--horizon\)/],
    [['train', '--series', PANEL, '--data', PANEL], 2, /--data/],
    [['train', '--series', PANEL, '--test-size', '90', '--horizon', '90'], 1, /series "JohnsonJohnson" has 84 values; --test-size 90 leaves none to train on/],
    [['train', '--series', PANEL, '--target', 'price'], 1, /quarterly_panel_4series\.csv: series "UKgas" has no value column "price" \(option --target\); its value columns are value/],
    [['train', '--data', PANEL, '--series', '--horizon', '8'], 2, /option --horizon is for the panel model: use it with --series <file>/],
    [['forecast', '--model', MODEL, '--horizon', '4'], 2, /option --horizon 4: .*panel\.json is a panel model trained for horizon 8/],
    [['forecast', '--model', MODEL, '--threads', '0'], 2, /--threads/],
    [['explain', '--model', MODEL], 2, /option --model .*panel\.json: a panel model .* "unroll forecast --model .*"unroll summary --model /],
    [['forecast', '--model', MODEL, '--series', 'nope.csv'], 1, /nope\.csv/],
  ];
  for (const [args, code, message] of cases) {
    const r = unroll(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message, args.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
  }
  // Row numbers instead of dates: no frequency, so the horizon must be given.
  const file = join(dir, 'undated.csv');
  writeFileSync(file, ['id,date,value', ...Array.from({ length: 40 }, (_, t) => `a,${t + 1},${10 + (t % 4)}`), ...Array.from({ length: 40 }, (_, t) => `b,${t + 1},${20 + (t % 4)}`)].join('\n') + '\n');
  const u = unroll(['train', '--series', file]);
  assert.equal(u.code, 2, u.err);
  assert.match(u.err, /undated\.csv: the frequency is not known from the dates .*pass --horizon <h>/);
  // A damaged history section names the file and the field.
  const bad = JSON.parse(readFileSync(MODEL, 'utf8'));
  bad.history.series[1].values[3] = 'x';
  const badFile = join(dir, 'bad.json');
  writeFileSync(badFile, JSON.stringify(bad));
  const b = unroll(['forecast', '--model', badFile]);
  assert.equal(b.code, 1, b.err);
  assert.match(b.err, /model file .*bad\.json: "history\.series\[1\]\.values" must be a non-empty array of finite numbers/);
});

test('benchmark --report: the panel report of a wide-file run, steps numbered (M4 files have no dates)', () => {
  const [train, test] = writeWidePanel(dir);
  const report = join(dir, 'bench.html');
  const r = unroll(['benchmark', '--train', train, '--test', test, '--horizon', '6', '--period', '12', '--report', report, ...QUICK]);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(report, 'utf8');
  for (const n of ['panel-rnn', 'snaive', 'naive2', 'theta']) assert.ok(html.includes(`<th scope="row">${n}`), n);
  const data = JSON.parse(/<script type="application\/json" id="unroll-data">(.*?)<\/script>/s.exec(html)![1]!);
  assert.deepEqual(data.charts.map((c: { id: string }) => c.id), ['series-best', 'series-median', 'series-worst']);
  assert.equal(data.charts[0].xKind, 'number');
  assert.equal(data.charts[0].x[data.charts[0].x.length - 1], 60);
  const same = unroll(['benchmark', '--train', train, '--test', test, '--horizon', '6', '--period', '12', '--report', train]);
  assert.equal(same.code, 2);
  assert.match(same.err, /option --report names the --train file/);
});

test('forecast --out writes the same CSV layout for the per-window forecaster', () => {
  const gas = fileURLToPath(new URL('../../../data/ukgas_quarterly_1960_1986.csv', import.meta.url));
  const model = join(dir, 'gas.json');
  const t = unroll(['train', '--data', gas, '--out', model, '--cell', 'elman', '--hidden', '4', '--epochs', '2', '--lookback', '8', '--quiet', '--backend', 'reference']);
  assert.equal(t.code, 0, t.err);
  const csv = join(dir, 'gas-forecasts.csv');
  const f = unroll(['forecast', '--model', model, '--data', gas, '--horizon', '3', '--out', csv, '--json']);
  assert.equal(f.code, 0, f.err);
  const points = JSON.parse(f.out).forecasts[0].points;
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'series,date,step,forecast,lower,upper');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(',')), ['gas,1987-01-01,1', 'gas,1987-04-01,2', 'gas,1987-07-01,3']);
  assert.equal(Number(lines[1]!.split(',')[3]), points[0].value);
  const over = unroll(['forecast', '--model', model, '--data', gas, '--out', gas]);
  assert.equal(over.code, 2);
  assert.match(over.err, /option --out .* is also an input of this command/);
});
