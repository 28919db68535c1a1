/** Plain-text tables for the terminal. */
import type { SeriesEvaluation } from '../forecast/evaluation.js';
import type { ForecastPoint } from '../forecast/forecaster.js';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const num = (v: number | null, digits = 2): string => (v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));

export function metricsTable(ev: SeriesEvaluation): string {
  return table(
    ['method', 'MAE', 'RMSE', 'MAPE %', 'sMAPE %', 'MASE', 'direction %'],
    ev.methods.map((m) => [m.name, num(m.metrics.mae), num(m.metrics.rmse), num(m.metrics.mape), num(m.metrics.smape), num(m.metrics.mase, 3), num(m.metrics.directionalAccuracy === null ? null : m.metrics.directionalAccuracy * 100, 1)]),
  );
}

export function forecastTable(points: ForecastPoint[], dates: string[], level: number): string {
  return table(
    ['date', 'forecast', `${Math.round(level * 100)}% interval`],
    points.map((p, i) => [dates[i] ?? `+${p.step}`, p.value.toFixed(2), `${p.lower.toFixed(2)} … ${p.upper.toFixed(2)}`]),
  );
}

/** The JSON form of an evaluation (typed arrays become plain arrays). */
export function evaluationJson(ev: SeriesEvaluation): Record<string, unknown> {
  return {
    series: ev.id,
    testStart: ev.dates[0],
    testEnd: ev.dates[ev.dates.length - 1],
    steps: ev.actual.length,
    beatsNaive: ev.beatsNaive,
    relativeMae: ev.relativeMae,
    dieboldMariano: ev.dieboldMariano,
    verdict: ev.verdict,
    methods: ev.methods.map((m) => ({ name: m.name, role: m.role, ...m.metrics })),
  };
}
