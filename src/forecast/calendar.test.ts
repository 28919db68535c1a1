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
