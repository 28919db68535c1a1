import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aheadWord, countOf, inferFrequency, nextWord, parseFrequency, seasonalPeriod, usablePeriod } from './frequency.js';

test('the frequency is read from the dates', () => {
  assert.equal(inferFrequency(['2021-03-01T22:00', '2021-03-01T23:00', '2021-03-02T00:00']), 'hourly');
  // Thursday, Friday, Monday, Tuesday: a weekend gap, no weekend dates.
  assert.equal(inferFrequency(['2020-04-16', '2020-04-17', '2020-04-20', '2020-04-21']), 'business-daily');
  assert.equal(inferFrequency(['2020-04-17', '2020-04-18', '2020-04-19']), 'daily');
  assert.equal(inferFrequency(['2020-01-03', '2020-01-10', '2020-01-17']), 'weekly');
  assert.equal(inferFrequency(['1960-01', '1960-02', '1960-03']), 'monthly');
  assert.equal(inferFrequency(['2000-01-31', '2000-02-29', '2000-03-31']), 'monthly');
  assert.equal(inferFrequency(['1986-01-01', '1986-04-01', '1986-07-01', '1986-10-01']), 'quarterly');
  assert.equal(inferFrequency(['2001-01-01', '2002-01-01']), 'yearly');
  assert.equal(inferFrequency(['1991.5', '1991.75', '1992']), 'quarterly');
  assert.equal(inferFrequency(['1', '2', '3']), null);
  assert.equal(inferFrequency(['2020-01-01']), null);
  assert.equal(inferFrequency(['2020-01-01', '2020-03-15', '2020-07-01']), null);
});

test('words, periods and the frequency option', () => {
  assert.equal(aheadWord('monthly'), 'one-month-ahead');
  assert.equal(aheadWord('business-daily'), 'one-business-day-ahead');
  assert.equal(aheadWord(null), 'one-step-ahead');
  assert.equal(nextWord('quarterly'), 'next quarter');
  assert.equal(countOf('weekly', 3), '3 weeks');
  assert.equal(countOf(null, 1), '1 step');
  assert.deepEqual(['hourly', 'business-daily', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'].map((f) => seasonalPeriod(parseFrequency(f))), [24, 5, 7, 52, 12, 4, 1]);
  assert.equal(seasonalPeriod(null), 1);
  assert.equal(usablePeriod('monthly', 120), 12);
  assert.equal(usablePeriod('weekly', 80), 1);
  assert.throws(() => parseFrequency('fortnightly', '--frequency'), /--frequency is "fortnightly"; expected one of hourly, business-daily/);
});
