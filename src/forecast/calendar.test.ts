import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextDates } from './calendar.js';

test('next dates: business days skip weekends, months step by month, numbers by their step', () => {
  // 2020-04-16 is a Thursday, 2020-04-17 a Friday.
  assert.deepEqual(nextDates(['2020-04-15', '2020-04-16', '2020-04-17'], 3), ['2020-04-20', '2020-04-21', '2020-04-22']);
  assert.deepEqual(nextDates(['1960-10-01', '1960-11-01', '1960-12-01'], 2), ['1961-01-01', '1961-02-01']);
  assert.deepEqual(nextDates(['1998.5', '1998.75'], 2), ['1999', '1999.25']);
  assert.deepEqual(nextDates(['a', 'b'], 2), ['+1', '+2']);
});

test('next dates follow the frequency: quarters, weeks, YYYY-MM months, month ends, hours, years', () => {
  // UK gas (quarterly) ends 1986-10-01: the next quarters, not the next months.
  assert.deepEqual(nextDates(['1986-01-01', '1986-04-01', '1986-07-01', '1986-10-01'], 3), ['1987-01-01', '1987-04-01', '1987-07-01']);
  assert.deepEqual(nextDates(['2020-01-03', '2020-01-10', '2020-01-17'], 2), ['2020-01-24', '2020-01-31']);
  assert.deepEqual(nextDates(['1960-11', '1960-12'], 2), ['1961-01', '1961-02']);
  assert.deepEqual(nextDates(['2020-12-31', '2021-01-31', '2021-02-28'], 2), ['2021-03-31', '2021-04-30']);
  assert.deepEqual(nextDates(['2021-03-01T22:00', '2021-03-01T23:00'], 2), ['2021-03-02T00:00', '2021-03-02T01:00']);
  assert.deepEqual(nextDates(['2018-01-01', '2019-01-01'], 1), ['2020-01-01']);
  // A frequency given overrides the inference.
  assert.deepEqual(nextDates(['2020-01-01', '2020-02-01'], 1, 'quarterly'), ['2020-05-01']);
  assert.deepEqual(nextDates(['1', '2', '3'], 2), ['4', '5']);
});
