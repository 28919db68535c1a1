/**
 * CSV messages that point at the cause (issue 14): a number too large for a float names the file's
 * line and column; dates before the year 1000 keep their order; lists of names in messages are
 * capped; a huge cell or name does not make a huge message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsvFrame } from './csv.js';
import { getColumn } from './frame.js';
import { UnrollError } from '../util/errors.js';

function fails(text: string, pattern: RegExp, options = {}): void {
  assert.throws(() => parseCsvFrame(text, { source: 'f.csv', ...options }), (e: unknown) => {
    assert.ok(e instanceof UnrollError, String(e));
    assert.match(e.message, pattern);
    assert.ok(e.message.length < 300, `${e.message.length} characters: ${e.message.slice(0, 100)}…`);
    return true;
  });
}

test('a number beyond the float range is reported at its line and column, not as a scaler row', () => {
  const rows = Array.from({ length: 85 }, (_, i) => `${i + 1},${i === 80 ? '1e400' : i}`);
  fails('t,close\n' + rows.join('\n'), /f\.csv, line 82, column "close": "1e400" is too large for a number/);
  fails('date,close\n1,1\n1e400,2', /line 3, column "date": "1e400" is not a date/);
});

test('ascending dates before the year 1000 are in order', () => {
  const f = parseCsvFrame('date,v\n0050-01-01,1\n0099-06-01,2\n0100-01-01,3\n0999-12-31,4\n2020-01-01,5', { source: 'old.csv' });
  assert.deepEqual(f.dates, ['0050-01-01', '0099-06-01', '0100-01-01', '0999-12-31', '2020-01-01']);
  fails('date,v\n0999-01-01,1\n0050-01-01,2', /date "0050-01-01" comes after "0999-01-01"/);
});

test('lists of names in messages are capped, and long names and cells are cut', () => {
  const header = ['date', ...Array.from({ length: 5000 }, (_, i) => `c${i}`)];
  const row = ['2020-01-01', ...Array.from({ length: 5000 }, () => '1')];
  const wide = `${header.join(',')}\n${row.join(',')}`;
  fails(wide, /"date", "c0", "c1", .* and 4,993 more/, { columns: ['nope'] });
  const frame = parseCsvFrame(wide, { source: 'w.csv' });
  assert.throws(() => getColumn(frame, 'nope'), (e: unknown) => e instanceof UnrollError && e.message.length < 300 && /and 4,992 more/.test(e.message));
  const long = 'x'.repeat(100_000);
  fails(`date,v\n2020-01-01,${long}`, /"x{40}…" is not a number/);
  fails(`date,${long},${long}\n2020-01-01,1,2`, /column name "x{40}…" appears twice/);
});
