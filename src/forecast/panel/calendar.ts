/**
 * Calendar inputs of the panel forecaster: where the dates of every series are known and regular, each
 * recurrent step also reads where its chunk starts in the calendar, and where the forecast starts.
 * They come from the dates alone (never from the values), so they are the same at training and forecast
 * time, and they are known in the future.
 *
 * A feature is a position u ∈ [0, 1) in a calendar cycle, given to the network as a point on the circle
 * (so that the end of a cycle is next to its start):
 *
 *   φ(u) = (sin 2πu, cos 2πu)
 *
 *   hourOfDay    u = (hour + minute/60) / 24                     (UTC)
 *   dayOfWeek    u = w / 7,   w = 0 Monday … 6 Sunday            (2024-01-01, a Monday: φ = (0, 1))
 *   dayOfYear    u = (day of the year − 1) / (days in that year)
 *   monthOfYear  u = (month − 1) / 12
 *
 * With features f_1 … f_F, chunk c, and a window of series i ending at e (its targets y_e … y_{e+h−1}) read
 * as K chunks starting at s_j = e − (K − j)·c, step j's input is (windows.ts)
 *
 *   x_j = ( z_{s_j} … z_{s_j+c−1},  φ_{f_1}(d_{s_j}) … φ_{f_F}(d_{s_j}),  φ_{f_1}(d_e) … φ_{f_F}(d_e) )
 *
 * where d_t is the date of value t and d_e the date of the first forecast step: c + 4F inputs. The
 * network's last state, and so each of its h direct outputs, can depend on the calendar position of the
 * forecast.
 *
 * 'auto' takes, for the data's frequency, the cycles shorter than a few years of steps:
 *
 *   hourly          hourOfDay (24 steps), dayOfWeek (168)
 *   business-daily  dayOfWeek (5), dayOfYear (≈ 261)
 *   daily           dayOfWeek (7), dayOfYear (≈ 365)
 *   weekly          dayOfYear (≈ 52.2)
 *   monthly         monthOfYear (12)
 *   quarterly       monthOfYear (4)
 *   yearly          none
 *
 * and drops a cycle whose length in steps divides the seasonal period m: the Holt-Winters seasonal
 * indices of period m already hold it (dayOfWeek with daily data and m = 7, hourOfDay with m = 24).
 * Without dates 'auto' is no calendar, and nothing changes.
 *
 * Dates: d_t for the values that have one are their own dates (ISO, read in UTC); when a series gives
 * fewer dates than values, they are its last ones and the earlier dates are stepped back at the
 * frequency; the first forecast date is one step after the last. Consecutive dates must be one step
 * apart (business days may skip up to 5 weekdays: holidays and closures); otherwise the dates are irregular, and
 * 'auto' falls back to no calendar with a note while a list of features is an error.
 */
import { addMonths, inferFrequency, type Frequency } from '../../data/frequency.js';
import { parseDate } from '../../data/dates.js';
import { UnrollError } from '../../util/errors.js';

export type CalendarFeature = 'hourOfDay' | 'dayOfWeek' | 'dayOfYear' | 'monthOfYear';
export const CALENDAR_FEATURES: readonly CalendarFeature[] = ['hourOfDay', 'dayOfWeek', 'dayOfYear', 'monthOfYear'];
export type CalendarOption = 'auto' | 'none' | CalendarFeature[];

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Length of each cycle in steps of each frequency (absent: not a meaningful cycle at that frequency). */
const CYCLES: Record<Frequency, Partial<Record<CalendarFeature, number>>> = {
  hourly: { hourOfDay: 24, dayOfWeek: 168, dayOfYear: 8766, monthOfYear: 730.5 },
  'business-daily': { dayOfWeek: 5, dayOfYear: 261, monthOfYear: 21.75 },
  daily: { dayOfWeek: 7, dayOfYear: 365.25, monthOfYear: 30.44 },
  weekly: { dayOfYear: 52.18, monthOfYear: 4.35 },
  monthly: { monthOfYear: 12 },
  quarterly: { monthOfYear: 4 },
  yearly: {},
};

/** What 'auto' considers at each frequency (before dropping the cycles the seasonal period holds). */
const AUTO: Record<Frequency, CalendarFeature[]> = {
  hourly: ['hourOfDay', 'dayOfWeek'],
  'business-daily': ['dayOfWeek', 'dayOfYear'],
  daily: ['dayOfWeek', 'dayOfYear'],
  weekly: ['dayOfYear'],
  monthly: ['monthOfYear'],
  quarterly: ['monthOfYear'],
  yearly: [],
};

/** Network inputs added per recurrent step by the calendar setting (a resolved list; 'auto' and 'none' add none). */
export function calendarInputCount(calendar: CalendarOption): number {
  return Array.isArray(calendar) ? 4 * calendar.length : 0;
}

/** Checks the option: 'auto', 'none', or a list of distinct feature names. */
export function checkCalendarOption(v: unknown): CalendarOption {
  if (v === undefined) return 'auto';
  if (v === 'auto' || v === 'none') return v;
  const expected = `'auto', 'none' or a list of distinct features among ${CALENDAR_FEATURES.map((f) => `'${f}'`).join(', ')}`;
  if (!Array.isArray(v) || v.some((f) => !(CALENDAR_FEATURES as readonly unknown[]).includes(f)) || new Set(v).size !== v.length) {
    throw new UnrollError(`option "calendar" is ${JSON.stringify(v)}; expected ${expected}`, 'option');
  }
  return [...(v as CalendarFeature[])];
}

/** The features 'auto' chooses for a frequency and seasonal period m. */
export function autoCalendar(frequency: Frequency, period: number): CalendarFeature[] {
  return AUTO[frequency].filter((f) => {
    const L = CYCLES[frequency][f]!;
    return !(Number.isInteger(L) && period % L === 0);
  });
}

/** φ of each feature for one date (UTC milliseconds), written at out[o …]. */
export function calendarValues(t: number, features: readonly CalendarFeature[], out: Float64Array, o: number): void {
  const d = new Date(t);
  features.forEach((f, j) => {
    let u: number;
    switch (f) {
      case 'hourOfDay': u = (d.getUTCHours() + d.getUTCMinutes() / 60) / 24; break;
      case 'dayOfWeek': u = ((d.getUTCDay() + 6) % 7) / 7; break;
      case 'dayOfYear': {
        const y = d.getUTCFullYear();
        const start = Date.UTC(y, 0, 1);
        u = Math.floor((t - start) / DAY) / ((Date.UTC(y + 1, 0, 1) - start) / DAY);
        break;
      }
      case 'monthOfYear': u = d.getUTCMonth() / 12; break;
    }
    out[o + 2 * j] = Math.sin(2 * Math.PI * u);
    out[o + 2 * j + 1] = Math.cos(2 * Math.PI * u);
  });
}

const isWeekend = (t: number): boolean => { const w = new Date(t).getUTCDay(); return w === 0 || w === 6; };
const monthIndex = (t: number): number => { const d = new Date(t); return d.getUTCFullYear() * 12 + d.getUTCMonth(); };

/** The date one step after (dir = 1) or before (dir = −1) t at a frequency. */
export function stepDate(t: number, f: Frequency, dir: 1 | -1): number {
  switch (f) {
    case 'hourly': return t + dir * HOUR;
    case 'daily': return t + dir * DAY;
    case 'weekly': return t + dir * 7 * DAY;
    case 'business-daily': {
      let u = t + dir * DAY;
      while (isWeekend(u)) u += dir * DAY;
      return u;
    }
    case 'monthly': return addMonths(t, dir, false);
    case 'quarterly': return addMonths(t, 3 * dir, false);
    case 'yearly': return addMonths(t, 12 * dir, false);
  }
}

/** Most weekdays a business-daily series may skip between two values (holidays and closures: NYSE closed 4 days after 9/11). */
const MAX_HOLIDAYS = 5;

/** Why b cannot follow a at frequency f, or null when it is the next step. */
function stepProblem(a: number, b: number, f: Frequency): string | null {
  if (!(b > a)) return 'is not after the date before it';
  switch (f) {
    case 'hourly': return b - a === HOUR ? null : 'is not one hour after the date before it';
    case 'daily': return b - a === DAY ? null : 'is not one day after the date before it';
    case 'weekly': return b - a === 7 * DAY ? null : 'is not one week after the date before it';
    case 'business-daily': {
      if (isWeekend(b)) return 'falls on a weekend in business-daily data';
      let skipped = 0;
      for (let u = stepDate(a, f, 1); u < b; u = stepDate(u, f, 1)) if (++skipped > MAX_HOLIDAYS) return `skips more than ${MAX_HOLIDAYS} business days after the date before it`;
      return null;
    }
    case 'monthly': return monthIndex(b) - monthIndex(a) === 1 ? null : 'is not in the month after the date before it';
    case 'quarterly': return monthIndex(b) - monthIndex(a) === 3 ? null : 'is not three months after the date before it';
    case 'yearly': return monthIndex(b) - monthIndex(a) === 12 ? null : 'is not one year after the date before it';
  }
}

/**
 * The dates (UTC milliseconds) of values 0 … n−1 of a series and of its first forecast step (index n),
 * from its given dates (its last ones, 1 to n of them), or a reason they cannot serve.
 */
export function seriesDates(dates: readonly string[], n: number, f: Frequency): { keys: Float64Array } | { problem: string } {
  if (!Array.isArray(dates) || dates.length === 0) return { problem: 'has no dates' };
  if (dates.length > n) return { problem: `has ${dates.length} dates for ${n} values` };
  const keys = new Float64Array(n + 1);
  const off = n - dates.length;
  for (let j = 0; j < dates.length; j++) {
    const text = dates[j];
    const p = typeof text === 'string' ? parseDate(text) : null;
    if (p === null) return { problem: `date ${j + 1} (${JSON.stringify(text)}) is not a date` };
    if (p.kind !== 'iso') return { problem: `date ${j + 1} (${text}) is a number, not a calendar date (decimal years and row numbers have no weekdays)` };
    keys[off + j] = p.key;
    if (j > 0) {
      const why = stepProblem(keys[off + j - 1]!, p.key, f);
      if (why) return { problem: `date ${j + 1} (${text}) ${why} (${dates[j - 1]}; ${f} data)` };
    }
  }
  for (let t = off - 1; t >= 0; t--) keys[t] = stepDate(keys[t + 1]!, f, -1);
  keys[n] = stepDate(keys[n - 1]!, f, 1);
  return { keys };
}

/** The table φ(d_t) for t = 0 … n of a series (n + 1 rows of 2F values), as windows.ts reads it. */
export function calendarTable(keys: Float64Array, features: readonly CalendarFeature[]): Float64Array {
  const w = 2 * features.length;
  const out = new Float64Array(keys.length * w);
  for (let t = 0; t < keys.length; t++) calendarValues(keys[t]!, features, out, t * w);
  return out;
}

/** The frequency every series' dates agree on (daily wins over business-daily), or a reason there is none. */
export function panelFrequency(dates: readonly (readonly string[])[]): { frequency: Frequency } | { problem: string } {
  const seen = new Set<Frequency>();
  let unknown = -1;
  dates.forEach((d, i) => {
    if (!Array.isArray(d) || d.length < 3) return;
    const f = inferFrequency(d);
    if (f === null) { if (unknown < 0) unknown = i; } else seen.add(f);
  });
  if (unknown >= 0) return { problem: `the dates of series ${unknown + 1} have no regular frequency` };
  if (seen.has('daily')) seen.delete('business-daily');
  if (seen.size === 0) return { problem: 'no series has 3 dates or more to tell the frequency (pass it: fit option "frequency")' };
  if (seen.size > 1) return { problem: `the series' dates disagree on the frequency (${[...seen].join(', ')})` };
  return { frequency: [...seen][0]! };
}

export interface ResolvedCalendar {
  /** The features used (empty: none). */
  features: CalendarFeature[];
  /** The frequency of the dates (null without a calendar). */
  frequency: Frequency | null;
  /** One table per series (calendarTable), or null without a calendar. */
  tables: Float64Array[] | null;
  /** Why 'auto' used no calendar although dates were given, for messages; null otherwise. */
  note: string | null;
}

const NONE: ResolvedCalendar = { features: [], frequency: null, tables: null, note: null };

/**
 * The calendar a fit uses: the option against the series' dates (each series' own, as many as it has
 * values, or its last ones) and the frequency (given, or inferred from the dates). Irregular dates give
 * 'auto' no calendar (with a note) and a list of features an UnrollError naming the series and date.
 */
export function resolveCalendar(option: CalendarOption, period: number, lengths: readonly number[], dates: readonly (readonly string[])[] | undefined,
  frequency: Frequency | undefined): ResolvedCalendar {
  if (option === 'none') return NONE;
  const explicit = Array.isArray(option);
  const fail = (why: string): ResolvedCalendar => {
    if (explicit) throw new UnrollError(`panel model: option "calendar" asks for ${option.join(', ')}, but ${why}`, 'data');
    return { ...NONE, note: `no calendar inputs: ${why}` };
  };
  if (dates === undefined) {
    if (explicit) throw new UnrollError(`panel model: option "calendar" asks for ${option.join(', ')}; fit needs the dates of every series (fit option "dates")`, 'data');
    return NONE;
  }
  if (!Array.isArray(dates) || dates.length !== lengths.length) {
    throw new UnrollError(`panel model: fit option "dates" must hold one array of date strings per series (${lengths.length}); it holds ${Array.isArray(dates) ? dates.length : typeof dates}`, 'option');
  }
  let f = frequency;
  if (f === undefined) {
    const pf = panelFrequency(dates);
    if ('problem' in pf) return fail(pf.problem);
    f = pf.frequency;
  }
  const features = explicit ? option : autoCalendar(f, period);
  if (explicit) {
    const constant = features.filter((x) => CYCLES[f][x] === undefined);
    if (constant.length) throw new UnrollError(`panel model: option "calendar": ${constant.join(', ')} is the same for every value of ${f} data; expected features among ${Object.keys(CYCLES[f]).join(', ') || '(none: yearly data have no calendar inputs)'}`, 'option');
  }
  if (features.length === 0) return { ...NONE, frequency: f };
  const tables: Float64Array[] = [];
  for (let i = 0; i < lengths.length; i++) {
    const r = seriesDates(dates[i]!, lengths[i]!, f);
    if ('problem' in r) return fail(`series ${i + 1} ${r.problem}`);
    tables.push(calendarTable(r.keys, features));
  }
  return { features, frequency: f, tables, note: null };
}

/** The tables for forecasting with a fitted calendar (features and frequency), from each series' dates. */
export function forecastTables(features: readonly CalendarFeature[], frequency: Frequency, lengths: readonly number[], dates: readonly (readonly string[])[] | undefined): Float64Array[] {
  const what = `this panel model reads calendar inputs (${features.join(', ')} of ${frequency} dates)`;
  if (dates === undefined) throw new UnrollError(`panel model: ${what}; forecast needs the dates of every series, at least the last one of each (option "dates")`, 'data');
  if (!Array.isArray(dates) || dates.length !== lengths.length) throw new UnrollError(`panel model: ${what}; option "dates" must hold one array of dates per series (${lengths.length}), it holds ${Array.isArray(dates) ? dates.length : typeof dates}`, 'data');
  return lengths.map((n, i) => {
    const r = seriesDates(dates[i]!, n, frequency);
    if ('problem' in r) throw new UnrollError(`panel model: ${what}; series ${i + 1} ${r.problem}`, 'data');
    return calendarTable(r.keys, features);
  });
}
