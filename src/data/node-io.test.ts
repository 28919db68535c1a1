import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvFrame, readCsvSeries, readTextFile, writeFileAtomic } from './node-io.js';
import { joinByDate } from './frame.js';
import { UnrollError } from '../util/errors.js';

// Both src/data and dist/data sit two levels below the repository root.
const dataDir = fileURLToPath(new URL('../../data/', import.meta.url));

test('the bundled S&P 500 file loads with the rows and span of its provenance table', () => {
  const f = readCsvFrame(join(dataDir, 'sp500_daily_ohlcv_2000_2020.csv'));
  assert.equal(f.dates.length, 5105);
  assert.equal(f.dates[0], '2000-01-03');
  assert.equal(f.dates.at(-1), '2020-04-17');
  assert.deepEqual(f.names, ['open', 'high', 'low', 'close', 'adjclose', 'volume']);
  assert.equal(f.columns.close![0], 1455.219971); // first data line of the file
  assert.equal(f.lines.at(-1), 5106);
});

test('the five-company monthly file gives five series, GOOG starting 2004-08', () => {
  const path = join(dataDir, 'stocks_monthly_5tickers_2000_2010.csv');
  const s = readCsvSeries(path);
  assert.deepEqual(s.ids, ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
  assert.equal(s.series.MSFT!.dates.length, 123);
  const goog = s.series.GOOG!;
  assert.equal(goog.dates[0], '2004-08-01');
  // Count GOOG's non-empty cells directly from the text.
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const filled = lines.filter((l) => l.split(',')[4]!.trim() !== '').length;
  assert.equal(goog.dates.length, filled);
  // As a frame, the empty GOOG cells are missing values and the message says where.
  assert.throws(() => readCsvFrame(path), (e: unknown) => e instanceof UnrollError && e.message.includes(`${path}, line 2, column "GOOG"`));
});

test('S&P 500 close joined with gold and silver keeps exactly the common dates', () => {
  const sp = readCsvFrame(join(dataDir, 'sp500_daily_ohlcv_2000_2020.csv'));
  const gold = readCsvFrame(join(dataDir, 'gold_silver_daily_1978_2012.csv'));
  assert.equal(gold.dates.length, 9132);
  const j = joinByDate([{ frame: sp, columns: ['close', 'volume'] }, gold]);
  assert.deepEqual(j.names, ['close', 'volume', 'gold', 'silver']);
  const goldDates = new Set(gold.dates);
  const expected = sp.dates.filter((d) => goldDates.has(d));
  assert.deepEqual(j.dates, expected);
  const i = j.dates.indexOf('2012-12-31');
  assert.equal(j.columns.gold![i], 915.88); // last line of the gold file
});

test('EuStockMarkets and AirPassengers load', () => {
  const eu = readCsvFrame(join(dataDir, 'eustockmarkets_daily_1991_1998.csv'));
  assert.deepEqual(eu.names, ['DAX', 'SMI', 'CAC', 'FTSE']);
  assert.equal(eu.dates.length, 1860);
  const air = readCsvFrame(join(dataDir, 'airpassengers_monthly_1949_1960.csv'));
  assert.equal(air.dates.length, 144);
  assert.deepEqual([...air.columns.passengers!.subarray(0, 3)], [112, 118, 132]);
});

test('a missing file is an UnrollError naming the path', () => {
  assert.throws(() => readTextFile('/no/such/file.csv'), (e: unknown) => e instanceof UnrollError && e.message.includes('"/no/such/file.csv"') && e.message.includes('no such file'));
});

test('writeFileAtomic replaces the file and leaves no temporary file behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-io-'));
  try {
    const path = join(dir, 'model.json');
    writeFileSync(path, 'old');
    writeFileAtomic(path, '{"new":true}');
    assert.equal(readFileSync(path, 'utf8'), '{"new":true}');
    writeFileAtomic(path, new Uint8Array([104, 105]));
    assert.equal(readFileSync(path, 'utf8'), 'hi');
    assert.deepEqual(readdirSync(dir), ['model.json']);
    assert.throws(() => writeFileAtomic(join(dir, 'missing-dir', 'x.json'), 'x'), (e: unknown) => e instanceof UnrollError && e.message.includes('cannot write'));
    assert.deepEqual(readdirSync(dir), ['model.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
