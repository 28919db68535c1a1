/**
 * The panel model's calendar inputs from the command line: `unroll train --series` reads the dates of a
 * long file and gives them to the model ('auto': day of week for hourly data with period 24), saves every
 * date of each series, and `unroll forecast` reads them back (from the file or from --series); a gap in
 * the dates leaves the calendar out and says why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPanelForecaster } from '../../forecast/panel-io.js';
import { runCli, type CliResult } from '../../test-support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'unroll-panel-calendar-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

const QUICK = ['--members', '1', '--epochs', '2', '--quiet'];

/** 3 hourly series of 10 days with a daily cycle and quieter weekends; `skip` drops that hour of series 2. */
function hourlyFile(name: string, skip?: number): string {
  const rows = ['id,time,load'];
  for (let s = 0; s < 3; s++) {
    for (let t = 0; t < 240; t++) {
      if (s === 1 && t === skip) continue;
      const at = new Date(Date.UTC(2024, 0, 1 + s, t));
      const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6 ? 0.7 : 1;
      rows.push(`site${s + 1},${at.toISOString().slice(0, 16).replace('T', ' ')},${((100 + 20 * s + 30 * Math.sin((2 * Math.PI * t) / 24)) * weekend + ((t * 7 + s) % 5)).toFixed(2)}`);
    }
  }
  const file = join(dir, name);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

test('train --series: the dates feed the calendar inputs, saved with every date; forecast reads them from the model file or --series', () => {
  const file = hourlyFile('hourly.csv');
  const out = join(dir, 'hourly.json');
  const r = unroll(['train', '--series', file, '--out', out, '--json', ...QUICK]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.period, 24);
  assert.deepEqual(j.calendar, ['dayOfWeek'], "'auto' for hourly data with period 24: the day of week (the hour is in the seasonality)");
  assert.match(j.settings, /calendar inputs dayOfWeek \(hourly dates\)/);
  const { model, history } = loadPanelForecaster(out);
  assert.deepEqual(model.settings.calendar, ['dayOfWeek']);
  assert.equal(model.calendarFrequency, 'hourly');
  assert.equal(history!.series[0]!.lastDates.length, 240, 'every date of the series');
  assert.equal(history!.series[0]!.lastDates[0], '2024-01-01 00:00');

  const saved = unroll(['forecast', '--model', out, '--json']);
  assert.equal(saved.code, 0, saved.err);
  const fromFile = unroll(['forecast', '--model', out, '--series', file, '--json']);
  assert.equal(fromFile.code, 0, fromFile.err);
  const a = JSON.parse(saved.out).forecasts;
  const b = JSON.parse(fromFile.out).forecasts;
  assert.equal(a[0].points.length, 48);
  assert.equal(a[0].points[0].date, '2024-01-11 00:00');
  assert.deepEqual(b, a, 'the same dates give the same calendar inputs and the same forecasts');

  // Dates the calendar cannot read: one line naming the series and the date.
  const gap = hourlyFile('hourly-gap.csv', 100);
  const bad = unroll(['forecast', '--model', out, '--series', gap, '--json']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /this panel model reads calendar inputs \(dayOfWeek of hourly dates\); series 2 date 101 \(2024-01-06 05:00\) is not one hour after the date before it/);
  assert.equal(bad.err.trim().split('\n').length, 1);
});

test("train --series with a gap in the dates: 'auto' trains without calendar inputs and says why", () => {
  const gap = hourlyFile('gap.csv', 100);
  const r = unroll(['train', '--series', gap, '--out', join(dir, 'gap.json'), '--json', ...QUICK]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.calendar, 'none');
  assert.match(j.calendarNote, /no calendar inputs: series 2 date 101 \(2024-01-06 05:00\) is not one hour after the date before it/);
  const { history } = loadPanelForecaster(join(dir, 'gap.json'));
  assert.equal(history!.series[0]!.lastDates.length, 2, 'without calendar inputs only the last two dates are kept');
});

test('--calendar: a list of features, or a one-line refusal naming the flag', () => {
  const panel = fileURLToPath(new URL('../../../data/quarterly_panel_4series.csv', import.meta.url));
  const r = unroll(['train', '--series', panel, '--calendar', 'monthOfYear', '--out', join(dir, 'q.json'), '--json', ...QUICK]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out).calendar, ['monthOfYear'], "asked for, although 'auto' leaves it to the quarterly seasonality");
  const cases: [string[], RegExp][] = [
    [['--calendar', 'weekday'], /option --calendar is "weekday"; expected auto, none, or a comma list of distinct features among hourOfDay, dayOfWeek, dayOfYear, monthOfYear \("weekday" is not one\)/],
    [['--calendar', 'hourOfDay'], /option --calendar: hourOfDay is the same for every value of quarterly data; expected features among monthOfYear/],
  ];
  for (const [flags, pattern] of cases) {
    const bad = unroll(['train', '--series', panel, ...flags, '--out', join(dir, 'never.json'), ...QUICK]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, pattern);
    assert.equal(bad.err.trim().split('\n').length, 1, bad.err);
  }
  const perWindow = unroll(['train', '--data', panel, '--series', '--calendar', 'none', '--out', join(dir, 'never.json')]);
  assert.equal(perWindow.code, 2);
  assert.match(perWindow.err, /option --calendar is for the panel model: use it with --series <file>/);
});
