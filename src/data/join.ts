/**
 * Joining extra series (gold, VIX, …) onto a main frame by date, saying what the join did.
 *
 * Two modes, with M the main frame's dates and E_k the dates of extra frame k:
 * - 'inner': keep d ∈ M ∩ E_1 ∩ … (a date missing from any file drops the row);
 * - 'ffill': keep the main file's dates d ∈ M with first(E_k) ≤ d ≤ last(E_k) for every k, and give
 *   extra column c at d the value of c at max{e ∈ E_k : e ≤ d} (the last known value: an as-of join).
 *   Nothing is carried past an extra file's last date or before its first: those rows are dropped.
 * 'auto' picks 'ffill' when some extra file lacks a main date inside its own span (it has gaps a
 * forward-fill can bridge, such as other holidays), and 'inner' otherwise.
 *
 * Dates are compared by their parsed time (data/dates.ts), so `2020-01-03` meets `2020-01-03T00:00`.
 */
import { parseDate } from './dates.js';
import { type Frame } from './frame.js';
import { UnrollError } from '../util/errors.js';

export type JoinMode = 'inner' | 'ffill' | 'auto';

export interface JoinReport {
  /** The mode used ('auto' resolved). */
  mode: 'inner' | 'ffill';
  /** Rows of the main frame, and rows kept. */
  mainRows: number;
  keptRows: number;
  /** Runs of consecutive main rows dropped, as [first date, last date, count]. */
  dropped: [string, string, number][];
  /** Cells carried forward, per extra column. */
  filled: Record<string, number>;
}

function keysOf(frame: Frame): number[] {
  return frame.dates.map((d, i) => {
    const p = parseDate(d);
    if (p === null) throw new UnrollError(`${frame.source}: row ${i + 1} has the label "${d}", which is not a date; joining by date needs a date column in every file`, 'data');
    return p.key;
  });
}

export function joinFrames(main: Frame, extras: readonly Frame[], mode: JoinMode = 'auto'): { frame: Frame; report: JoinReport } {
  const mainKeys = keysOf(main);
  const names = [...main.names];
  const owner = new Map(main.names.map((c) => [c, main.source]));
  for (const e of extras) {
    for (const c of e.names) {
      if (owner.has(c)) throw new UnrollError(`column "${c}" of ${e.source} is also a column of ${owner.get(c)}; rename one of them (or keep one with --columns)`, 'data');
      owner.set(c, e.source);
      names.push(c);
    }
  }
  const extraKeys = extras.map(keysOf);
  // For every main row and extra frame: the index of the last extra row at or before it, and whether the date matches exactly.
  const asOf = extraKeys.map((ks) => {
    const idx = new Int32Array(mainKeys.length);
    const exact = new Uint8Array(mainKeys.length);
    let j = -1;
    mainKeys.forEach((k, i) => {
      while (j + 1 < ks.length && ks[j + 1] <= k) j++;
      idx[i] = j;
      exact[i] = j >= 0 && ks[j] === k ? 1 : 0;
    });
    return { idx, exact, last: ks[ks.length - 1] ?? -Infinity };
  });
  const inSpan = (k: number, i: number): boolean => asOf[k].idx[i] >= 0 && mainKeys[i] <= asOf[k].last;
  let resolved: 'inner' | 'ffill' = mode === 'auto' ? 'inner' : mode;
  if (mode === 'auto') {
    for (let k = 0; k < extras.length && resolved === 'inner'; k++) {
      for (let i = 0; i < mainKeys.length; i++) if (inSpan(k, i) && !asOf[k].exact[i]) { resolved = 'ffill'; break; }
    }
  }
  const keep: number[] = [];
  for (let i = 0; i < mainKeys.length; i++) {
    let ok = true;
    for (let k = 0; k < extras.length && ok; k++) ok = resolved === 'inner' ? asOf[k].exact[i] === 1 : inSpan(k, i);
    if (ok) keep.push(i);
  }
  const sources = [main, ...extras].map((f) => f.source).join(' + ');
  if (keep.length === 0) {
    throw new UnrollError(`joining ${sources}: no date of ${main.source} (${main.dates[0]} … ${main.dates[main.dates.length - 1]}) is covered by ${extras.map((e) => `${e.source} (${e.dates[0]} … ${e.dates[e.dates.length - 1]})`).join(', ')}; expected overlapping dates`, 'data');
  }
  const columns: Record<string, Float64Array> = {};
  for (const c of main.names) columns[c] = Float64Array.from(keep, (i) => main.columns[c][i]);
  const filled: Record<string, number> = {};
  extras.forEach((e, k) => {
    const fills = keep.reduce((s, i) => s + (asOf[k].exact[i] ? 0 : 1), 0);
    for (const c of e.names) {
      columns[c] = Float64Array.from(keep, (i) => e.columns[c][asOf[k].idx[i]]);
      filled[c] = fills;
    }
  });
  const dropped: [string, string, number][] = [];
  let next = 0;
  for (let i = 0; i <= keep.length; i++) {
    const upto = i < keep.length ? keep[i] : mainKeys.length;
    if (upto > next) dropped.push([main.dates[next], main.dates[upto - 1], upto - next]);
    next = upto + 1;
  }
  return {
    frame: { source: sources, dates: keep.map((i) => main.dates[i]), names, columns, lines: Int32Array.from(keep, (i) => main.lines[i]) },
    report: { mode: resolved, mainRows: mainKeys.length, keptRows: keep.length, dropped, filled },
  };
}

/** The join in one or two plain sentences, for the CLI and the playground. */
export function describeJoin(report: JoinReport, main: string, extras: readonly string[]): string {
  const how = report.mode === 'ffill' ? 'keeping its dates and carrying the last known value of each extra series forward' : 'keeping only the dates every file has';
  let s = `Joined ${extras.join(', ')} onto ${main} (${how}): kept ${report.keptRows} of ${report.mainRows} rows.`;
  if (report.dropped.length > 0) {
    const total = report.dropped.reduce((a, d) => a + d[2], 0);
    const runs = report.dropped.slice(0, 3).map(([a, b, n]) => (n === 1 ? a : `${a} … ${b} (${n} rows)`)).join(', ');
    s += ` Dropped ${total} row${total === 1 ? '' : 's'}: ${runs}${report.dropped.length > 3 ? `, and ${report.dropped.length - 3} more runs` : ''}.`;
  }
  const fills = Object.entries(report.filled).filter(([, n]) => n > 0);
  if (fills.length > 0) s += ` Carried forward: ${fills.map(([c, n]) => `${n} ${c} value${n === 1 ? '' : 's'}`).join(', ')}.`;
  return s;
}
