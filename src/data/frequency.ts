/**
 * The frequency of a series, read from its dates, and everything that follows from it: the word for
 * one step ("month"), the default seasonal period m, and the dates past the end of the data.
 *
 * Inference: with d_1 … d_n the parsed dates, g = median(d_{i+1} − d_i) over the consecutive gaps,
 *
 *   g = 1 h                           → hourly
 *   g = 1 d, no Saturday or Sunday    → business-daily   (Monday … Friday; holidays are gaps)
 *   g = 1 d                           → daily
 *   6 d ≤ g ≤ 8 d                     → weekly
 *   28 d ≤ g ≤ 31 d                   → monthly
 *   89 d ≤ g ≤ 92 d                   → quarterly
 *   365 d ≤ g ≤ 366 d                 → yearly
 *
 * Numeric times that are decimal years (R's ts convention, e.g. 1991.496) are read by their step s:
 * s = 1 → yearly, 1/4 → quarterly, 1/12 → monthly, 1/52 → weekly, about 1/260 → business-daily,
 * about 1/365 → daily. Anything else (row numbers, irregular dates) has no frequency, and the words
 * fall back to "step".
 *
 * Default seasonal periods m (as R's `frequency()` uses them for these data): hourly 24, business-daily 5,
 * daily 7, weekly 52, monthly 12, quarterly 4, yearly 1 (no season). The M4 competition used the same for
 * hourly, monthly, quarterly and yearly data, but 1 for daily and weekly data.
 */
import { parseDate } from './dates.js';
import { UnrollError, describe } from '../util/errors.js';

export type Frequency = 'hourly' | 'business-daily' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export const FREQUENCIES: readonly Frequency[] = ['hourly', 'business-daily', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'];

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The word for one step, singular and plural. */
const UNIT: Record<Frequency, [string, string]> = {
  hourly: ['hour', 'hours'],
  'business-daily': ['business day', 'business days'],
  daily: ['day', 'days'],
  weekly: ['week', 'weeks'],
  monthly: ['month', 'months'],
  quarterly: ['quarter', 'quarters'],
  yearly: ['year', 'years'],
};

const PERIOD: Record<Frequency, number> = { hourly: 24, 'business-daily': 5, daily: 7, weekly: 52, monthly: 12, quarterly: 4, yearly: 1 };

/** Checks a user's frequency name (e.g. from `--frequency`). */
export function parseFrequency(v: unknown, option = '"frequency"'): Frequency {
  if (typeof v === 'string' && (FREQUENCIES as readonly string[]).includes(v)) return v as Frequency;
  throw new UnrollError(`option ${option} is ${describe(v)}; expected one of ${FREQUENCIES.join(', ')}`, 'usage');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The frequency of a series from its dates, or null when they have none (row numbers, irregular times, fewer than 2 rows). */
export function inferFrequency(dates: readonly string[]): Frequency | null {
  if (dates.length < 2) return null;
  const parsed = dates.map((d) => parseDate(d));
  if (parsed.some((p) => p === null)) return null;
  const keys = parsed.map((p) => p!.key);
  const gaps: number[] = [];
  for (let i = 1; i < keys.length; i++) gaps.push(keys[i] - keys[i - 1]);
  const g = median(gaps);
  if (parsed[0]!.kind === 'number') return fromYearStep(keys, g);
  // Most gaps must be of the kind the median says (so irregular dates get no frequency).
  const mostly = (lo: number, hi: number): boolean => gaps.filter((x) => x >= lo && x <= hi).length * 2 >= gaps.length;
  if (g === HOUR) return mostly(HOUR, HOUR) ? 'hourly' : null;
  if (g === DAY) {
    if (!mostly(DAY, DAY)) return null;
    return keys.some((k) => { const wd = new Date(k).getUTCDay(); return wd === 0 || wd === 6; }) ? 'daily' : 'business-daily';
  }
  for (const [f, lo, hi] of [['weekly', 6, 8], ['monthly', 28, 31], ['quarterly', 89, 92], ['yearly', 365, 366]] as const) {
    if (g >= lo * DAY && g <= hi * DAY) return mostly(lo * DAY, hi * DAY) ? f : null;
  }
  return null;
}

function fromYearStep(keys: number[], step: number): Frequency | null {
  if (!(keys[0] > 1000 && keys[keys.length - 1] < 3000) || !(step > 0)) return null;
  const near = (x: number, tol: number): boolean => Math.abs(step - x) <= tol * x;
  if (near(1, 1e-6)) return 'yearly';
  if (near(1 / 4, 1e-3)) return 'quarterly';
  if (near(1 / 12, 1e-3)) return 'monthly';
  if (near(1 / 52, 0.02)) return 'weekly';
  if (step >= 1 / 275 && step <= 1 / 245) return 'business-daily';
  if (near(1 / 365, 0.01)) return 'daily';
  return null;
}

/** The word for one step: "month", or "step" when the frequency is unknown. */
export function stepWord(f: Frequency | null, count = 1): string {
  if (f === null) return count === 1 ? 'step' : 'steps';
  return UNIT[f][count === 1 ? 0 : 1];
}

/** "3 months", "1 quarter", "5 steps". */
export function countOf(f: Frequency | null, n: number): string {
  return `${n} ${stepWord(f, n)}`;
}

/** The adjective for forecasts made this far ahead: "one-month-ahead", "one-step-ahead". */
export function aheadWord(f: Frequency | null): string {
  return `one-${stepWord(f).replace(/ /g, '-')}-ahead`;
}

/** The next step in words: "next month", "next business day", "next step". */
export function nextWord(f: Frequency | null): string {
  return `next ${stepWord(f)}`;
}

/** The default seasonal period m (1 = none) of a frequency; 1 when it is unknown. */
export function seasonalPeriod(f: Frequency | null): number {
  return f === null ? 1 : PERIOD[f];
}

/**
 * The seasonal period to use on a series with `trainRows` training values: the frequency's period
 * when the training span holds at least two full seasons of it (so MASE's seasonal differences and
 * seasonal naive have data), otherwise 1.
 */
export function usablePeriod(f: Frequency | null, trainRows: number): number {
  const m = seasonalPeriod(f);
  return m > 1 && trainRows >= 2 * m + 1 ? m : 1;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Formats a UTC time like `template` (a date of the same series): `YYYY-MM`, `YYYY-MM-DD`, or with a time. */
function formatLike(t: number, template: string): string {
  const d = new Date(t);
  const ymd = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}`;
  if (/^\d{4}-\d{2}$/.test(template.trim())) return ymd;
  const day = `${ymd}-${pad(d.getUTCDate())}`;
  const m = /^\d{4}-\d{2}-\d{2}([T ])(\d{2}):(\d{2})(:\d{2})?/.exec(template.trim());
  if (!m) return day;
  return `${day}${m[1]}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${m[4] !== undefined ? `:${pad(d.getUTCSeconds())}` : ''}${/Z$/.test(template.trim()) ? 'Z' : ''}`;
}

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/** t moved by whole months, at the same day (clamped to the month's length, or its last day with monthEnd) and time. */
export function addMonths(t: number, months: number, monthEnd: boolean): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const dim = daysInMonth(target.getUTCFullYear(), target.getUTCMonth());
  const day = monthEnd ? dim : Math.min(d.getUTCDate(), dim);
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/**
 * The labels of the `steps` rows after the last of `dates`, at frequency `f` (inferred when not
 * given), written in the same form as the input: `1961-01` after `1960-12`, `1987-01-01` after
 * `1986-10-01` for quarterly data, business days skip weekends (holidays are not known). Decimal
 * years continue their step; without a frequency the labels are `+1`, `+2`, ….
 */
export function futureDates(dates: readonly string[], steps: number, f: Frequency | null = inferFrequency(dates)): string[] {
  const last = dates[dates.length - 1] ?? '';
  const p = parseDate(last);
  if (p !== null && p.kind === 'number' && dates.length >= 2) {
    const prev = parseDate(dates[dates.length - 2]);
    const step = f === 'yearly' ? 1 : f === 'quarterly' ? 1 / 4 : f === 'monthly' ? 1 / 12 : prev?.kind === 'number' ? p.key - prev.key : NaN;
    if (Number.isFinite(step)) return Array.from({ length: steps }, (_, k) => String(+(p.key + (k + 1) * step).toPrecision(10)));
  }
  if (p === null || p.kind !== 'iso' || f === null) return Array.from({ length: steps }, (_, k) => `+${k + 1}`);
  const t0 = p.key;
  // Month-end data (2021-01-31, 2021-02-28, …) stays on month ends when the last two dates are.
  const isMonthEnd = (t: number): boolean => { const d = new Date(t); return d.getUTCDate() === daysInMonth(d.getUTCFullYear(), d.getUTCMonth()); };
  const before = dates.length >= 2 ? parseDate(dates[dates.length - 2]) : null;
  const monthEnd = isMonthEnd(t0) && before !== null && before.kind === 'iso' && isMonthEnd(before.key);
  const out: string[] = [];
  let t = t0;
  for (let k = 1; out.length < steps; k++) {
    switch (f) {
      case 'hourly': t = t0 + k * HOUR; break;
      case 'daily': t = t0 + k * DAY; break;
      case 'weekly': t = t0 + k * 7 * DAY; break;
      case 'business-daily': {
        t += DAY;
        const wd = new Date(t).getUTCDay();
        if (wd === 0 || wd === 6) continue;
        break;
      }
      case 'monthly': t = addMonths(t0, k, monthEnd); break;
      case 'quarterly': t = addMonths(t0, 3 * k, monthEnd); break;
      case 'yearly': t = addMonths(t0, 12 * k, monthEnd); break;
    }
    out.push(formatLike(t, last));
  }
  return out;
}
