/**
 * A panel benchmark's figures for the terminal and for --json, the same for `unroll benchmark` and
 * `unroll train --series --test-size`: per method sMAPE, MASE, OWA, the 95% interval's coverage and
 * MSIS, and the seconds spent fitting and forecasting.
 */
import type { PanelBenchmarkResult } from '../forecast/panel-benchmark.js';

const fmt = (v: number | null | undefined, d = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));

/** The metrics table of a benchmark run as text: a header line, then one line per method. */
export function benchmarkTable(result: PanelBenchmarkResult): string {
  const out = [`${'method'.padEnd(12)} ${'sMAPE'.padStart(8)} ${'MASE'.padStart(8)} ${'OWA'.padStart(7)} ${'cover95'.padStart(8)} ${'MSIS'.padStart(8)} ${'time s'.padStart(8)}`];
  for (const r of result.methods) {
    const iv = r.intervals.find((b) => b.level === 0.95);
    out.push(`${r.name.padEnd(12)} ${fmt(r.smape).padStart(8)} ${fmt(r.mase).padStart(8)} ${fmt(r.owa).padStart(7)} ${fmt(iv?.coverage).padStart(8)} ${fmt(iv?.msis).padStart(8)} ${fmt((r.fitMs + r.forecastMs) / 1000, 1).padStart(8)}`);
  }
  return out.join('\n');
}

/** Each method's figures as JSON objects (every interval level the run scored). */
export function benchmarkJson(result: PanelBenchmarkResult): unknown[] {
  return result.methods.map((r) => ({
    name: r.name, smape: r.smape, mase: r.mase, owa: r.owa,
    intervals: r.intervals.map((b) => ({ level: b.level, coverage: b.coverage, msis: b.msis })),
    fitSeconds: r.fitMs / 1000, forecastSeconds: r.forecastMs / 1000,
  }));
}
