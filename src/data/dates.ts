/**
 * Date values of a time column. Two kinds are accepted, never mixed in one column:
 * - ISO dates `YYYY-MM`, `YYYY-MM-DD`, optionally with a time `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`;
 * - plain numbers (a decimal year like EuStockMarkets' `1991.496`, a Unix time, a day index).
 * Each value gets a numeric sort key so order and duplicates can be checked.
 */

export type DateKind = 'iso' | 'number';

export interface ParsedDate {
  kind: DateKind;
  /** Milliseconds since 1970 (UTC) for ISO dates; the number itself for numeric time. */
  key: number;
}

const ISO =
  /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?(Z|[+-]\d{2}:?\d{2})?)?)?$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses one date cell; returns null when it is neither a valid ISO date nor a number. */
export function parseDate(text: string): ParsedDate | null {
  const s = text.trim();
  const m = ISO.exec(s);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = m[3] === undefined ? 1 : Number(m[3]);
    const hour = m[4] === undefined ? 0 : Number(m[4]);
    const minute = m[5] === undefined ? 0 : Number(m[5]);
    const second = m[6] === undefined ? 0 : Number(m[6]);
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second >= 61) return null;
    const wholeSeconds = Math.floor(second);
    let key = utc(year, month - 1, day, hour, minute, wholeSeconds) + (second - wholeSeconds) * 1000;
    // Reject days a month does not have (2001-02-30 would roll over to March).
    const check = new Date(utc(year, month - 1, day, 0, 0, 0));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
    const zone = m[7];
    if (zone !== undefined && zone !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      key -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return { kind: 'iso', key };
  }
  if (NUMBER.test(s) && Number.isFinite(Number(s))) return { kind: 'number', key: Number(s) };
  return null;
}

/**
 * Date.UTC for every year: Date.UTC maps the years 0–99 to 1900–1999, which would put 0050-01-01
 * after 0999-01-01; setUTCFullYear takes the year as written.
 */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** True when every one of `values` (ignoring blanks) is an ISO date; used to detect a date column by content. */
export function looksLikeIsoDates(values: readonly string[]): boolean {
  let seen = 0;
  for (const v of values) {
    if (v.trim() === '') continue;
    const d = parseDate(v);
    if (d === null || d.kind !== 'iso') return false;
    seen++;
  }
  return seen > 0;
}
