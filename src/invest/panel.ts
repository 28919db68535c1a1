/**
 * A price panel: several companies on one calendar, each from the day it lists.
 *
 * The calendar is the union of every company's dates. A company has no price (NaN) before its first
 * row; after that, a date it lacks (a holiday in one market but not the other, e.g. gold vs the
 * S&P 500) repeats its last price, so it earns 0 that day and is never traded on a made-up move.
 *
 * Period returns: r[t][i] = p[t+1][i] / p[t][i] − 1, what holding company i from the close of date t
 * to the close of date t+1 earns. A decision at date t may use prices up to and including date t.
 */
import { getColumn, type Frame, type SeriesSet } from '../data/frame.js';
import { isSeriesSet } from '../forecast/forecaster.js';
import { UnrollError } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';

export interface PricePanel {
  /** The calendar, ascending. */
  dates: string[];
  /** Company names. */
  ids: string[];
  /** prices[i][t]: company i's price at dates[t]; NaN before it lists. */
  prices: Float64Array[];
  /** first[i]: the first date index where company i has a price. */
  first: number[];
}

/**
 * Builds a panel from one frame (its `columns`, or every column) or from a SeriesSet (each series'
 * `column`, default 'close' when present, else its only column).
 */
export function pricePanel(data: Frame | SeriesSet, options: { columns?: string[]; column?: string } = {}): PricePanel {
  checkOptions(options, { columns: is.array, column: is.string }, { where: 'pricePanel' });
  const named: { id: string; dates: string[]; values: Float64Array }[] = [];
  if (isSeriesSet(data)) {
    for (const id of data.ids) {
      const f = data.series[id];
      const col = options.column ?? (f.names.includes('close') ? 'close' : f.names.length === 1 ? f.names[0] : null);
      if (!col) throw new UnrollError(`${f.source}: series "${id}" has columns ${f.names.join(', ')}; expected option column (which one is the price)`, 'option');
      named.push({ id, dates: f.dates, values: getColumn(f, col) });
    }
  } else {
    const cols = options.columns ?? data.names;
    for (const c of cols) named.push({ id: c, dates: data.dates, values: getColumn(data, c) });
  }
  if (named.length === 0) throw new UnrollError('invest: no price series given; expected at least one company', 'data');
  const all = new Set<string>();
  for (const s of named) for (const d of s.dates) all.add(d);
  const dates = [...all].sort(compareDates);
  const at = new Map(dates.map((d, i) => [d, i]));
  const prices: Float64Array[] = [];
  const first: number[] = [];
  for (const s of named) {
    const p = new Float64Array(dates.length).fill(NaN);
    s.dates.forEach((d, j) => {
      const v = s.values[j];
      if (!(v > 0) || !Number.isFinite(v)) throw new UnrollError(`series "${s.id}", date ${d}: price ${v} is not a positive finite number; expected prices (returns are computed as ratios)`, 'data');
      p[at.get(d)!] = v;
    });
    const f0 = p.findIndex((v) => !Number.isNaN(v));
    for (let t = f0 + 1; t < p.length; t++) if (Number.isNaN(p[t])) p[t] = p[t - 1];
    prices.push(p);
    first.push(f0);
  }
  return { dates, ids: named.map((s) => s.id), prices, first };
}

/** ISO dates sort as strings; numeric time labels (decimal years, row numbers) sort as numbers. */
function compareDates(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** r[i][t] = p[i][t+1]/p[i][t] − 1 for t = 0 … T−2; NaN where the company has no price at t. */
export function periodReturns(panel: PricePanel): Float64Array[] {
  return panel.prices.map((p) => {
    const r = new Float64Array(Math.max(0, p.length - 1));
    for (let t = 0; t + 1 < p.length; t++) r[t] = p[t + 1] / p[t] - 1;
    return r;
  });
}

/**
 * Periods per year from the typical spacing of ISO dates: 252 for trading days, 52 for weeks, 12
 * for months, 4 for quarters, 1 for years. Non-date labels give `fallback`.
 */
export function periodsPerYear(dates: string[], fallback = 252): number {
  const ms: number[] = [];
  for (let i = 1; i < dates.length && ms.length < 400; i++) {
    const a = Date.parse(dates[i - 1]);
    const b = Date.parse(dates[i]);
    if (!Number.isFinite(a) || !Number.isFinite(b) || !/^\d{4}-\d{2}/.test(dates[i])) return fallback;
    ms.push((b - a) / 86400000);
  }
  if (ms.length === 0) return fallback;
  ms.sort((a, b) => a - b);
  const gap = ms[Math.floor(ms.length / 2)];
  if (gap <= 4) return 252;
  if (gap <= 10) return 52;
  if (gap <= 40) return 12;
  if (gap <= 120) return 4;
  return 1;
}
