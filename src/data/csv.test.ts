import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsvFrame, parseCsvSeries } from './csv.js';
import { throwsWith } from './test-helpers.js';

const src = { source: 'prices.csv' };

test('wide form: dates, numeric columns and 1-based line numbers', () => {
  const f = parseCsvFrame('date,open,close\n2020-01-02,1.5,2\n2020-01-03,2.5,-3e1\n', src);
  assert.deepEqual(f.dates, ['2020-01-02', '2020-01-03']);
  assert.deepEqual(f.names, ['open', 'close']);
  assert.deepEqual([...f.columns.open!], [1.5, 2.5]);
  assert.deepEqual([...f.columns.close!], [2, -30]);
  assert.deepEqual([...f.lines], [2, 3]);
  assert.equal(f.source, 'prices.csv');
});

test('blank lines, CRLF, BOM, quotes and other delimiters are handled by the parser', () => {
  const f = parseCsvFrame('\uFEFFdate;"close"\r\n\r\n2020-01;"7"\r\n2020-02;8\r\n', src);
  assert.deepEqual(f.dates, ['2020-01', '2020-02']);
  assert.deepEqual([...f.columns.close!], [7, 8]);
  assert.deepEqual([...f.lines], [3, 4]); // line 2 is blank
});

test('a quoted field spanning lines keeps later line numbers right', () => {
  throwsWith(() => parseCsvFrame('date,note,v\n2020-01-01,"a\nb",1\n2020-01-02,c,x\n', { ...src, columns: ['v'] }), 'line 4', 'column "v"', '"x" is not a number');
});

test('date column detection: by name, by ISO content, or none', () => {
  assert.deepEqual(parseCsvFrame('v,Timestamp\n1,2020-01-01\n2,2020-01-02\n').names, ['v']);
  const byContent = parseCsvFrame('when,v\n2020-01-01,1\n2020-01-02,2\n');
  assert.deepEqual(byContent.names, ['v']);
  assert.deepEqual(byContent.dates, ['2020-01-01', '2020-01-02']);
  const none = parseCsvFrame('a,b\n1,2\n3,4\n');
  assert.deepEqual(none.names, ['a', 'b']);
  assert.deepEqual(none.dates, ['1', '2']);
  const numericTime = parseCsvFrame('time,DAX\n1991.496,1628.75\n1991.5,1613.63\n');
  assert.deepEqual(numericTime.dates, ['1991.496', '1991.5']);
  const explicitOff = parseCsvFrame('date,v\n1,2\n3,4\n', { dateColumn: false });
  assert.deepEqual(explicitOff.names, ['date', 'v']);
});

test('empty file and whitespace-only file', () => {
  throwsWith(() => parseCsvFrame('', src), 'prices.csv', 'the file is empty', 'expected a header line');
  throwsWith(() => parseCsvFrame('  \n\n', src), 'prices.csv', 'the file is empty');
});

test('header only', () => {
  throwsWith(() => parseCsvFrame('date,close\n', src), 'prices.csv', 'only a header line (line 1)', 'no rows of values');
  throwsWith(() => parseCsvFrame('date,close\n\n\n', src), 'only a header line');
});

test('header problems: empty and duplicated names', () => {
  throwsWith(() => parseCsvFrame('date,,close\n2020-01-01,1,2\n', src), 'prices.csv, line 1, column 2', 'empty column name');
  throwsWith(() => parseCsvFrame('date,close,close\n2020-01-01,1,2\n', src), 'line 1', '"close" appears twice (columns 2 and 3)');
});

test('a row with the wrong number of fields', () => {
  throwsWith(() => parseCsvFrame('date,close\n2020-01-01,1\n2020-01-02,1,5\n', src), 'prices.csv, line 3', '3 fields but the header has 2');
});

test('a malformed quote names its line', () => {
  throwsWith(() => parseCsvFrame('date,close\n2020-01-01,1\n2020-01-02,"5\n', src), 'prices.csv, line 3', 'quotes');
});

test('non-numeric cell names file, line and column', () => {
  throwsWith(
    () => parseCsvFrame('date,open,close\n2020-01-02,1,2\n2020-01-03,1,abc\n', src),
    'prices.csv, line 3, column "close"', '"abc" is not a number', 'expected a number',
  );
  throwsWith(() => parseCsvFrame('date,close\n2020-01-02,"1,234"\n', src), 'line 2', '"1,234" is not a number');
});

test('bad dates: empty, not a date, impossible day, mixed kinds', () => {
  throwsWith(() => parseCsvFrame('date,v\n2020-01-01,1\n,2\n', src), 'prices.csv, line 3, column "date"', 'the date is empty');
  throwsWith(() => parseCsvFrame('date,v\n2020-01-01,1\n01/02/2020,2\n', src), 'line 3, column "date"', '"01/02/2020" is not a date', 'ISO date');
  throwsWith(() => parseCsvFrame('date,v\n2021-02-29,1\n', src), 'line 2', '"2021-02-29" is not a date');
  throwsWith(() => parseCsvFrame('date,v\n2020-01-01,1\n2021,2\n', src), 'line 3', 'is a number but line 2 has an ISO date');
});

test('unsorted date names both lines; sort: true sorts instead', () => {
  const text = 'date,v\n2020-01-01,1\n2020-01-03,3\n2020-01-02,2\n';
  throwsWith(() => parseCsvFrame(text, src), 'prices.csv, line 4, column "date"', 'date "2020-01-02" comes after "2020-01-03" on line 3', 'increasing order');
  const sorted = parseCsvFrame(text, { ...src, sort: true });
  assert.deepEqual(sorted.dates, ['2020-01-01', '2020-01-02', '2020-01-03']);
  assert.deepEqual([...sorted.columns.v!], [1, 2, 3]);
  assert.deepEqual([...sorted.lines], [2, 4, 3]);
});

test('duplicated date, also when sorting and when written with a time', () => {
  throwsWith(() => parseCsvFrame('date,v\n2020-01-01,1\n2020-01-01,2\n', src), 'prices.csv, line 3, column "date"', 'repeats the date on line 2');
  throwsWith(() => parseCsvFrame('date,v\n2020-01-02,1\n2020-01-01,2\n2020-01-02,3\n', { ...src, sort: true }), 'repeats the date');
  throwsWith(() => parseCsvFrame('date,v\n2020-01-01,1\n2020-01-01T00:00Z,2\n', src), 'line 3', 'repeats');
});

test('missing values: error by default, ffill and drop on request', () => {
  const text = 'date,a,b\n2020-01-01,1,10\n2020-01-02,,20\n2020-01-03,3,NA\n';
  throwsWith(() => parseCsvFrame(text, src), 'prices.csv, line 3, column "a"', 'missing value', "missing: 'ffill' or 'drop'");
  const ff = parseCsvFrame(text, { missing: 'ffill' });
  assert.deepEqual([...ff.columns.a!], [1, 1, 3]);
  assert.deepEqual([...ff.columns.b!], [10, 20, 20]);
  const dr = parseCsvFrame(text, { missing: 'drop' });
  assert.deepEqual(dr.dates, ['2020-01-01']);
  assert.deepEqual([...dr.lines], [2]);
  throwsWith(() => parseCsvFrame('date,a\n2020-01-01,\n2020-01-02,2\n', { ...src, missing: 'ffill' }), 'line 2, column "a"', 'no earlier value to carry forward');
  throwsWith(() => parseCsvFrame('date,a\n2020-01-01,\n', { ...src, missing: 'drop' }), 'prices.csv', 'leaves nothing');
});

test('options are validated', () => {
  throwsWith(() => parseCsvFrame('a\n1\n', { missing: 'zero' as never }), 'option "missing"', "'ffill'");
  throwsWith(() => parseCsvFrame('a\n1\n', { delimiter: ';;' }), 'option "delimiter"');
  throwsWith(() => parseCsvFrame('date,a\n2020-01-01,1\n', { ...src, dateColumn: 'day' }), 'option "dateColumn" is "day"', 'not a column of prices.csv', '"date", "a"');
  throwsWith(() => parseCsvFrame('date,a\n2020-01-01,1\n', { columns: ['b'] }), 'option "columns" is "b"');
  throwsWith(() => parseCsvFrame('date,a\n2020-01-01,1\n', { columns: ['date'] }), 'option "columns" names "date"');
  throwsWith(() => parseCsvFrame('date\n2020-01-01\n', src), 'no value columns');
  throwsWith(() => parseCsvFrame('symbol,date,a\nX,2020-01-01,1\n', { idColumn: 'symbol' }), 'parseCsvSeries');
});

test('columns option picks numeric columns and skips text ones', () => {
  const f = parseCsvFrame('date,name,close\n2020-01-01,Acme,5\n', { columns: ['close'] });
  assert.deepEqual(f.names, ['close']);
  throwsWith(() => parseCsvFrame('date,name,close\n2020-01-01,Acme,5\n', src), 'column "name"', '"Acme" is not a number', '"columns" option');
});

test('wide series: a late-starting column gives a shorter series, not missing values', () => {
  const text = 'date,MSFT,GOOG\n2004-06-01,1,\n2004-07-01,2,\n2004-08-01,3,100\n2004-09-01,4,110\n';
  const s = parseCsvSeries(text, src);
  assert.deepEqual(s.ids, ['MSFT', 'GOOG']);
  assert.deepEqual(s.series.GOOG!.dates, ['2004-08-01', '2004-09-01']);
  assert.deepEqual([...s.series.GOOG!.columns.value!], [100, 110]);
  assert.deepEqual([...s.series.GOOG!.lines], [4, 5]);
  assert.equal(s.series.MSFT!.dates.length, 4);
  // an interior gap is still a missing value
  throwsWith(() => parseCsvSeries('date,A\n2020-01,1\n2020-02,\n2020-03,3\n', src), 'prices.csv, line 3, column "A"', 'missing value');
  throwsWith(() => parseCsvSeries('date,A,B\n2020-01,1,\n2020-02,2,\n', src), 'column "B"', 'no values at all');
  assert.deepEqual(parseCsvSeries('date,A\n2020-01,1\n', { valueName: 'price' }).series.A!.names, ['price']);
});

test('long form: one frame per ticker, with its own dates and order checks', () => {
  const text = 'symbol,date,price\nA,2020-01,1\nB,2020-02,20\nA,2020-02,2\nB,2020-03,30\nA,2020-03,3\n';
  const s = parseCsvSeries(text, src);
  assert.deepEqual(s.ids, ['A', 'B']);
  assert.deepEqual([...s.series.A!.columns.price!], [1, 2, 3]);
  assert.deepEqual(s.series.B!.dates, ['2020-02', '2020-03']);
  assert.deepEqual([...s.series.B!.lines], [3, 5]);
  throwsWith(() => parseCsvSeries('ticker,date,price\nA,2020-02,1\nB,2020-01,2\nA,2020-01,3\n', src), 'line 4', 'comes after "2020-02" on line 2');
  throwsWith(() => parseCsvSeries('ticker,date,price\nA,2020-02,1\n,2020-03,2\n', src), 'line 3, column "ticker"', 'series name is empty');
  // a numeric column called "id" is a value, not a ticker
  assert.deepEqual(parseCsvSeries('date,id\n2020-01,5\n').ids, ['id']);
});
