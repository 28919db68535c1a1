import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCalendarDates } from './report-data.js';

test('report dates: ISO dates pass through; decimal years land on their calendar day; row numbers become days with a note', () => {
  assert.deepEqual(toCalendarDates(['2020-01-02', '2020-01-03']), { dates: ['2020-01-02', '2020-01-03'], note: null });
  // 1991.5 is 182 days into 1991 (365 days): 2 July; 1992.0 is 1 January.
  const eu = toCalendarDates(['1991.5', '1992', '1992']);
  assert.deepEqual(eu.dates, ['1991-07-02', '1992-01-01', '1992-01-02']); // kept strictly increasing
  assert.match(eu.note!, /decimal years/);
  const rows = toCalendarDates(['1', '2', '3']);
  assert.deepEqual(rows.dates, ['2000-01-01', '2000-01-02', '2000-01-03']);
  assert.match(rows.note!, /no calendar dates/);
});

test('report dates: hourly (and other sub-daily) labels keep their real times, in UTC, with no caveat', () => {
  assert.deepEqual(toCalendarDates(['2016-01-01 22:00', '2016-01-01 23:00', '2016-01-02 00:00']), {
    dates: ['2016-01-01 22:00:00', '2016-01-01 23:00:00', '2016-01-02 00:00:00'], note: null,
  });
  // Offsets are converted to UTC; ISO 'T' forms are read too.
  assert.deepEqual(toCalendarDates(['2016-01-01T23:30:00+01:00', '2016-01-01T23:00:00Z']).dates, ['2016-01-01 22:30:00', '2016-01-01 23:00:00']);
});
