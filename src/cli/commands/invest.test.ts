/** `unroll invest` end to end on the bundled five-company monthly file (a quick model), and its errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../../test-support/cli.js';

const DATA = fileURLToPath(new URL('../../../data/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-invest-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

test('unroll invest on the five-company monthly file: figures, tests, verdict and the report', () => {
  const report = join(dir, 'invest.html');
  const r = unroll(['invest', '--data', join(DATA, 'stocks_monthly_5tickers_2000_2010.csv'), '--series', '--lookback', '6', '--epochs', '2', '--hidden', '4',
    '--policy', 'top-k', '--k', '2', '--coin-runs', '11', '--resamples', '199', '--report', report, '--json', '--quiet']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.companies, ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
  assert.equal(j.periodsPerYear, 12);
  assert.deepEqual(j.strategies.map((s: { role: string }) => s.role), ['model', 'basket', 'hold', 'hold', 'hold', 'hold', 'hold', 'naive', 'coin']);
  assert.equal(j.tests.length, 3);
  for (const t of j.tests) assert.ok(t.pValue > 0 && t.pValue <= 1);
  assert.match(j.verdict, /The model's policy/);
  // GOOG lists in 2004-08: it is not in the first model, and the basket never holds it
  assert.ok(!j.refits[0].companies.includes('GOOG'));
  const html = readFileSync(report, 'utf8');
  assert.ok(html.includes('id="chart-equity"') && html.includes('id="chart-drawdown"') && html.includes('id="chart-positions"'));
  assert.ok(html.includes(j.verdict.replace(/'/g, '&#39;').slice(0, 40)));
});

test('unroll invest: a column that is not there, and a bad --start, are one-line usage errors', () => {
  const sp = join(DATA, 'sp500_daily_ohlcv_2000_2020.csv');
  const a = unroll(['invest', '--data', sp, '--assets', 'close,gold', '--quiet']);
  assert.equal(a.code, 2);
  assert.match(a.err, /no column "gold"/);
  const b = unroll(['invest', '--data', sp, '--assets', 'close', '--start', 'soon', '--quiet']);
  assert.equal(b.code, 2);
  assert.match(b.err, /--start/);
});
