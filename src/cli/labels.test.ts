/**
 * The CLI speaks about the user's data at its own frequency: monthly (the bundled AirPassengers),
 * quarterly (UK gas) and weekly (S&P 500 Fridays) files give the right frequency, seasonal period,
 * series name, forecast dates and words in the text output, in --json and in the report. Tiny models
 * (a few epochs of a 4-unit Elman network) keep each run to about a second: only labels are checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../test-support/cli.js';

const DATA = fileURLToPath(new URL('../../data/', import.meta.url));
const AIR = join(DATA, 'airpassengers_monthly_1949_1960.csv');
const GAS = join(DATA, 'ukgas_quarterly_1960_1986.csv');
const WEEKLY = join(DATA, 'sp500_weekly_2015_2020.csv');
const dir = mkdtempSync(join(tmpdir(), 'unroll-labels-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir, timeout: 60000 });
}

const tiny = ['--cell', 'elman', '--hidden', '4', '--epochs', '2', '--lookback', '8', '--quiet', '--backend', 'reference'];

interface Case { name: string; file: string; testSize: string; freq: string; period: number; series: string; next: string; unit: string; dates: string[] }
const CASES: Case[] = [
  { name: 'monthly', file: AIR, testSize: '24', freq: 'monthly', period: 12, series: 'passengers', next: 'Next month', unit: 'months', dates: ['1961-01-01', '1961-02-01', '1961-03-01'] },
  { name: 'quarterly', file: GAS, testSize: '16', freq: 'quarterly', period: 4, series: 'gas', next: 'Next quarter', unit: 'quarters', dates: ['1987-01-01', '1987-04-01', '1987-07-01'] },
  { name: 'weekly', file: WEEKLY, testSize: '52', freq: 'weekly', period: 52, series: 'close', next: 'Next week', unit: 'weeks', dates: ['2020-04-24', '2020-05-01', '2020-05-08'] },
];

for (const c of CASES) {
  test(`run on ${c.name} data: frequency, period, series name, dates and words in text, --json and the report`, () => {
    const report = join(dir, `${c.name}.html`);
    const j = unroll(['run', '--data', c.file, ...tiny, '--test-size', c.testSize, '--horizon', '3', '--json', '--report', report]);
    assert.equal(j.code, 0, j.err);
    const r = JSON.parse(j.out);
    assert.equal(r.frequency, c.freq);
    assert.equal(r.period, c.period);
    assert.equal(r.series, c.series);
    assert.equal(r.evaluation.series, c.series);
    assert.equal(r.evaluation.stepsAhead, `one-${c.unit.slice(0, -1)}-ahead`);
    assert.ok(r.evaluation.methods.some((m: { name: string }) => m.name === 'snaive') && r.evaluation.maseScale.period === c.period, 'the seasonal naive benchmark at the default period');
    assert.deepEqual(r.forecast.points.map((p: { date: string }) => p.date), c.dates);

    const t = unroll(['run', '--data', c.file, ...tiny, '--test-size', c.testSize, '--horizon', '3', '--report', report]);
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, new RegExp(`${c.series}, ${c.freq} \\(inferred from the dates\\); seasonal period ${c.period}\\.`));
    assert.match(t.out, new RegExp(`: ${c.testSize} one-${c.unit.slice(0, -1)}-ahead forecasts of ${c.series}`));
    assert.match(t.out, new RegExp(`${c.next} \\(${c.dates[0]}\\): ${c.series} `));
    assert.match(t.out, new RegExp(`Forecast of ${c.series} for the next 3 ${c.unit}:`));
    assert.doesNotMatch(t.out, /Tomorrow|one-day-ahead|\bseries\b/);

    const html = readFileSync(report, 'utf8');
    const charts = JSON.parse(/<script type="application\/json" id="unroll-data">(.*?)<\/script>/s.exec(html)![1]).charts as { id: string; title: string; yLabel: string; caption: string }[];
    const price = charts.find((x) => x.id === 'price')!;
    const close = charts.find((x) => x.id === 'price-closeup')!;
    assert.equal(price.yLabel, c.series);
    assert.match(price.title, new RegExp(`^${c.series}: the whole history`));
    assert.match(close.title, new RegExp(`^Close-up: the last \\d+ ${c.unit}(?: and the forecast)?$`));
    assert.match(close.caption, new RegExp(`one-${c.unit.slice(0, -1)}-ahead`));
    assert.doesNotMatch(html, /on daily prices|one-day-ahead|last \d+ days/);
    assert.match(html, new RegExp(`<dt>frequency</dt><dd>${c.freq} \\(inferred from the dates\\); seasonal period ${c.period}</dd>`));
    assert.match(html, new RegExp(`one-${c.unit.slice(0, -1)}-ahead forecasts over the last ${c.testSize} ${c.unit}`));
  });
}

test('YYYY-MM dates get YYYY-MM forecast dates; --frequency overrides the inference', () => {
  const text = readFileSync(AIR, 'utf8').replace(/^(\d{4}-\d{2})-01,/gm, '$1,');
  const ym = join(dir, 'air-ym.csv');
  writeFileSync(ym, text);
  const r = unroll(['run', '--data', ym, ...tiny, '--test-size', '24', '--horizon', '2', '--json', '--report', join(dir, 'ym.html')]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.frequency, 'monthly');
  assert.deepEqual(j.forecast.points.map((p: { date: string }) => p.date), ['1961-01', '1961-02']);
  const o = unroll(['run', '--data', GAS, ...tiny, '--test-size', '16', '--horizon', '2', '--frequency', 'monthly', '--json', '--report', join(dir, 'o.html')]);
  assert.equal(o.code, 0, o.err);
  const oj = JSON.parse(o.out);
  assert.equal(oj.frequency, 'monthly');
  assert.equal(oj.frequencySource, 'from --frequency');
  assert.equal(oj.period, 12);
  assert.deepEqual(oj.forecast.points.map((p: { date: string }) => p.date), ['1986-11-01', '1986-12-01']);
});

test('a saved model forecasts quarterly data by quarters and names the series after its column', () => {
  const model = join(dir, 'gas.json');
  const t = unroll(['train', '--data', GAS, ...tiny, '--out', model, '--test-size', '16', '--json']);
  assert.equal(t.code, 0, t.err);
  const ev = JSON.parse(t.out).evaluations[0];
  assert.equal(ev.series, 'gas');
  assert.ok(ev.methods.some((m: { name: string }) => m.name === 'snaive') && ev.maseScale.period === 4);
  const f = unroll(['forecast', '--model', model, '--data', GAS, '--horizon', '2', '--json']);
  assert.equal(f.code, 0, f.err);
  const fc = JSON.parse(f.out).forecasts[0];
  assert.equal(fc.series, 'gas');
  assert.equal(fc.frequency, 'quarterly');
  assert.deepEqual(fc.points.map((p: { date: string }) => p.date), ['1987-01-01', '1987-04-01']);
  const text = unroll(['forecast', '--model', model, '--data', GAS, '--horizon', '2']);
  assert.match(text.out, /^gas \(quarterly\)\n/);
});
