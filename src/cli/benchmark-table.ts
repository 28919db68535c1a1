/**
 * A panel benchmark's figures for the terminal and for --json, the same for `unroll benchmark` and
 * `unroll train --series --test-size`: per method sMAPE, MASE, OWA, the 95% interval's coverage and
 * MSIS, and the seconds spent fitting and forecasting; then the verdict against the best benchmark with
 * its sign test over the series (forecast/panel-verdict.ts, the same as the HTML report's).
 */
import type { PanelBenchmarkResult } from '../forecast/panel-benchmark.js';
import { panelVerdict } from '../forecast/panel-verdict.js';

/** A figure with d decimals in a column of `width` characters; one too wide for it (an MSIS of 1.8e10 from
 * exploding ETS bands) in exponent form, so the columns stay aligned. */
const fmt = (v: number | null | undefined, d = 3, width = 8): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  const s = v.toFixed(d);
  return s.length <= width ? s : v.toExponential(2);
};

/** The metrics table of a benchmark run as text: a header line, one line per method, then the verdict's sentences. */
export function benchmarkTable(result: PanelBenchmarkResult): string {
  const out = [`${'method'.padEnd(12)} ${'sMAPE'.padStart(8)} ${'MASE'.padStart(8)} ${'OWA'.padStart(7)} ${'cover95'.padStart(8)} ${'MSIS'.padStart(8)} ${'time s'.padStart(8)}`];
  for (const r of result.methods) {
    const iv = r.intervals.find((b) => b.level === 0.95);
    out.push(`${r.name.padEnd(12)} ${fmt(r.smape).padStart(8)} ${fmt(r.mase).padStart(8)} ${fmt(r.owa, 3, 7).padStart(7)} ${fmt(iv?.coverage).padStart(8)} ${fmt(iv?.msis).padStart(8)} ${fmt((r.fitMs + r.forecastMs) / 1000, 1).padStart(8)}`);
  }
  return [...out, '', ...panelVerdict(result).lines].join('\n');
}

/** Each method's figures as JSON objects (every interval level the run scored). */
export function benchmarkJson(result: PanelBenchmarkResult): unknown[] {
  return result.methods.map((r) => ({
    name: r.name, ...(r.standIn ? { standIn: r.standIn } : {}), smape: r.smape, mase: r.mase, owa: r.owa,
    intervals: r.intervals.map((b) => ({ level: b.level, coverage: b.coverage, msis: b.msis })),
    fitSeconds: r.fitMs / 1000, forecastSeconds: r.forecastMs / 1000,
  }));
}

/** The verdict as JSON: the best benchmark, the series the model's MASE is lower and higher on, the sign test's p, the tone and the sentences. */
export function verdictJson(result: PanelBenchmarkResult): unknown {
  const v = panelVerdict(result);
  return { best: v.best, tone: v.tone, wins: v.wins, losses: v.losses, p: v.p, lines: v.lines };
}
