/**
 * Labels for forecast steps past the last date of a series, at the series' frequency (inferred from
 * its dates unless given; see data/frequency.ts): business days skip weekends (holidays are not
 * known), months, quarters and years step by the calendar, dates keep the form they were written in
 * (`1961-01` after `1960-12`), decimal years continue their step, and other labels become `+1`, `+2`, ….
 */
import { futureDates, inferFrequency, type Frequency } from '../data/frequency.js';

export function nextDates(dates: readonly string[], steps: number, frequency: Frequency | null = inferFrequency(dates)): string[] {
  return futureDates(dates, steps, frequency);
}
