/**
 * Checks a ReportData once, up front, so that a bad field gives one clear UnrollError naming the
 * field (e.g. `report data: price.baselines[1].values[7] is NaN; expected a finite number`) rather
 * than a blank chart.
 */
import { UnrollError, describe } from '../util/errors.js';
import type { ReportData, MetricRow } from './types.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function fail(field: string, got: unknown, expected: string): never {
  throw new UnrollError(`report data: ${field} is ${describe(got)}; expected ${expected}`, 'option');
}

/** Seconds since the epoch of an ISO `YYYY-MM-DD` date read as UTC midnight, or NaN if it is not one. */
export function isoDateToSeconds(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Reject dates that roll over, such as 2021-02-30.
  if (new Date(ms).toISOString().slice(0, 10) !== date) return NaN;
  return ms / 1000;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?Z?)?$/;

/**
 * Seconds since the epoch of an ISO date (`YYYY-MM-DD`, UTC midnight) or date-time (`YYYY-MM-DD HH:MM`,
 * `YYYY-MM-DDTHH:MM:SS`, optionally with `Z`; read as UTC), or NaN if it is neither. Sub-daily data
 * (hourly M4 series) keeps its real times this way.
 */
export function isoTimeToSeconds(label: string): number {
  const m = ISO_TIME.exec(label);
  if (!m) return NaN;
  const [y, mo, d, hh, mm, ss] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  if (hh > 23 || mm > 59 || ss > 59) return NaN;
  const ms = Date.UTC(y, mo - 1, d, hh, mm, ss);
  const t = new Date(ms);
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return NaN;
  return ms / 1000;
}

function checkText(field: string, v: unknown): void {
  if (typeof v !== 'string' || v.trim() === '') fail(field, v, 'a non-empty string');
}

function checkNumbers(field: string, v: unknown, opts: { min?: number; length?: number } = {}): void {
  if (!Array.isArray(v)) fail(field, v, 'an array of numbers');
  if (opts.length !== undefined && v.length !== opts.length) {
    fail(field, v, `an array of length ${opts.length}`);
  }
  v.forEach((x: unknown, i: number) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}[${i}]`, x, 'a finite number');
    if (opts.min !== undefined && x < opts.min) fail(`${field}[${i}]`, x, `a number >= ${opts.min}`);
  });
}

function checkDates(field: string, v: unknown, opts: { minLength: number }): void {
  if (!Array.isArray(v) || v.length < opts.minLength) {
    fail(field, v, `an array of at least ${opts.minLength} ISO dates (YYYY-MM-DD) or date-times (YYYY-MM-DD HH:MM, UTC)`);
  }
  let prev = -Infinity;
  v.forEach((d: unknown, i: number) => {
    const s = typeof d === 'string' ? isoTimeToSeconds(d) : NaN;
    if (Number.isNaN(s)) fail(`${field}[${i}]`, d, 'an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DD HH:MM, UTC)');
    if (s <= prev) fail(`${field}[${i}]`, d, `a date after ${String(v[i - 1])} (dates strictly ascending)`);
    prev = s;
  });
}

function checkSeries(field: string, dates: unknown, values: unknown, minLength: number): void {
  checkDates(`${field}.dates`, dates, { minLength });
  checkNumbers(`${field}.values`, values, { length: (dates as string[]).length });
}

function checkMetricRow(field: string, row: MetricRow): void {
  if (typeof row !== 'object' || row === null) fail(field, row, 'a metrics row object');
  checkText(`${field}.name`, row.name);
  if (!['model', 'naive', 'baseline'].includes(row.role)) fail(`${field}.role`, row.role, '"model", "naive" or "baseline"');
  for (const key of ['mae', 'rmse', 'mape', 'smape', 'mase', 'directionalAccuracy'] as const) {
    // NaN is allowed (an undefined metric, shown as n/a); anything else must be a number.
    if (typeof row[key] !== 'number') fail(`${field}.${key}`, row[key], 'a number (NaN when undefined)');
  }
}

/** Throws an UnrollError naming the first bad field of `data`; returns normally when all is well. */
export function validateReportData(data: ReportData): void {
  if (typeof data !== 'object' || data === null) fail('the report data', data, 'an object');
  checkText('title', data.title);
  checkText('modelName', data.modelName);
  if (data.description !== undefined && typeof data.description !== 'string') fail('description', data.description, 'a string');
  (data.details ?? []).forEach((d, i) => {
    checkText(`details[${i}].label`, d?.label);
    if (typeof d?.value !== 'string') fail(`details[${i}].value`, d?.value, 'a string');
  });

  const p = data.price;
  if (typeof p !== 'object' || p === null) fail('price', p, 'an object');
  checkText('price.name', p.name);
  checkSeries('price', p.dates, p.values, 2);
  const history = new Set(p.dates);
  const span = p.testSpan;
  if (!span || !history.has(span.start)) fail('price.testSpan.start', span?.start, 'a date of price.dates');
  if (!history.has(span.end)) fail('price.testSpan.end', span.end, 'a date of price.dates');
  if (span.end < span.start) fail('price.testSpan.end', span.end, `a date on or after testSpan.start ${span.start}`);
  if (!p.modelTest) fail('price.modelTest', p.modelTest, 'an object with dates and values');
  checkSeries('price.modelTest', p.modelTest.dates, p.modelTest.values, 1);
  if (!Array.isArray(p.baselines)) fail('price.baselines', p.baselines, 'an array (may be empty)');
  p.baselines.forEach((b, i) => {
    checkText(`price.baselines[${i}].name`, b?.name);
    checkSeries(`price.baselines[${i}]`, b.dates, b.values, 1);
  });
  if (p.future !== undefined) {
    const f = p.future;
    checkSeries('price.future', f.dates, f.values, 1);
    const last = p.dates[p.dates.length - 1];
    if (f.dates[0] <= last) fail('price.future.dates[0]', f.dates[0], `a date after the last history date ${last}`);
    checkNumbers('price.future.lower', f.lower, { length: f.dates.length });
    checkNumbers('price.future.upper', f.upper, { length: f.dates.length });
    f.values.forEach((v, i) => {
      if (!(f.lower[i] <= v && v <= f.upper[i])) {
        fail(`price.future (step ${i + 1})`, `${f.lower[i]} <= ${v} <= ${f.upper[i]}`, 'lower <= value <= upper');
      }
    });
    if (typeof f.level !== 'number' || !(f.level > 0 && f.level < 1)) fail('price.future.level', f.level, 'a number in (0, 1), e.g. 0.9');
  }

  const loss = data.loss;
  if (typeof loss !== 'object' || loss === null) fail('loss', loss, 'an object with train (and validation) arrays');
  checkNumbers('loss.train', loss.train);
  if (loss.train.length === 0) fail('loss.train', loss.train, 'at least one epoch');
  if (loss.validation !== undefined) checkNumbers('loss.validation', loss.validation, { length: loss.train.length });
  if (loss.name !== undefined) checkText('loss.name', loss.name);

  if (!Array.isArray(data.metrics)) fail('metrics', data.metrics, 'an array of metric rows');
  data.metrics.forEach((row, i) => checkMetricRow(`metrics[${i}]`, row));
  for (const role of ['model', 'naive'] as const) {
    const n = data.metrics.filter((r) => r.role === role).length;
    if (n !== 1) fail(`metrics (rows with role "${role}")`, n, 'exactly 1');
  }

  if (data.verdict !== undefined) {
    const v = data.verdict;
    if (typeof v !== 'object' || v === null) fail('verdict', v, 'an object with tone and lines');
    if (!['win', 'tie', 'loss'].includes(v.tone)) fail('verdict.tone', v.tone, '"win", "tie" or "loss"');
    if (!Array.isArray(v.lines) || v.lines.length === 0) fail('verdict.lines', v.lines, 'a non-empty array of sentences');
    v.lines.forEach((l, i) => checkText(`verdict.lines[${i}]`, l));
  }

  if (data.gradients !== undefined) {
    const g = data.gradients;
    checkText('gradients.quantity', g.quantity);
    if (!Array.isArray(g.series) || g.series.length === 0) fail('gradients.series', g.series, 'a non-empty array');
    const T = g.series[0].norms?.length;
    g.series.forEach((s, i) => {
      checkText(`gradients.series[${i}].name`, s?.name);
      checkNumbers(`gradients.series[${i}].norms`, s.norms, { min: 0, length: T });
    });
    if (!(T >= 1)) fail('gradients.series[0].norms', g.series[0].norms, 'at least one time step');
  }
}
