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
  const best = ev.judgement.best.name;
  const isBest = (label: string): boolean => best === `the ${label} forecast`;
  return table(
    ['method', 'MAE', 'RMSE', 'MAPE %', 'sMAPE %', 'MASE', 'direction %'],
    ev.methods.map((m) => [m.role === 'model' ? m.label : isBest(m.label) ? `${m.label} (best)` : m.label, num(m.metrics.mae), num(m.metrics.rmse), num(m.metrics.mape), num(m.metrics.smape), num(m.metrics.mase, 3), num(m.metrics.directionalAccuracy === null ? null : m.metrics.directionalAccuracy * 100, 1)]),
  );
}

/** An evaluation for the terminal: the verdict's headline first, then the span, the table and the rest. */
export function evaluationText(ev: SeriesEvaluation, spanLine: string): string {
  const [headline, ...rest] = ev.lines;
  const notes = ev.notes.map((n) => `Note: ${n}`);
  return [headline, '', spanLine, metricsTable(ev), ev.scale.text, ...notes, '', ...rest].join('\n');
}

export function forecastTable(points: ForecastPoint[], dates: string[], level: number): string {
  return table(
    ['date', 'forecast', `${Math.round(level * 100)}% interval`],
    points.map((p, i) => [dates[i] ?? `+${p.step}`, p.value.toFixed(2), intervalText(p)]),
  );
}

/** "lower … upper", or why there is no interval. */
export function intervalText(p: ForecastPoint): string {
  return p.lower === null || p.upper === null ? 'none: too few calibration errors' : `${p.lower.toFixed(2)} … ${p.upper.toFixed(2)}`;
}

/** The JSON form of an evaluation (typed arrays become plain arrays), with every step's forecasts. */
export function evaluationJson(ev: SeriesEvaluation): Record<string, unknown> {
  const j = ev.judgement;
  const test = (c: typeof j.best): Record<string, unknown> => ({
    name: c.name, mae: c.mae, mase: c.mase, ratio: c.ratio, tone: c.tone,
    dieboldMariano: c.test && { statistic: c.test.statistic, uncorrected: c.test.raw, pValue: c.test.pValue, df: c.test.df, lag: c.test.lag, loss: 'absolute', variance: 'Newey-West (Bartlett)', correction: 'Harvey-Leybourne-Newbold' },
  });
  return {
    series: ev.id,
    testStart: ev.dates[0],
    testEnd: ev.dates[ev.dates.length - 1],
    steps: ev.actual.length,
    tone: ev.tone,
    headline: j.headline,
    verdict: ev.verdict,
    best: test(j.best),
    naive: j.naive && test(j.naive),
    bestEpoch: j.bestEpoch,
    neverImproved: j.neverImproved,
    moveRatio: j.moveRatio,
    beatsNaive: ev.beatsNaive,
    relativeMae: ev.relativeMae,
    dieboldMariano: ev.dieboldMariano,
    maseScale: { period: ev.scale.period, value: ev.scale.value, trainRows: ev.scale.trainRows, text: ev.scale.text },
    coverage: ev.coverage,
    notes: ev.notes,
    methods: ev.methods.map((m) => ({ name: m.name, label: m.label, role: m.role, ...(m.refitEvery ? { refitEvery: m.refitEvery } : {}), ...m.metrics })),
    forecasts: ev.dates.map((date, i) => ({
      date,
      actual: ev.actual[i],
      ...Object.fromEntries(ev.methods.map((m) => [m.name, m.predicted[i]])),
      ...(ev.lower && ev.upper ? { lower: ev.lower[i], upper: ev.upper[i] } : {}),
    })),
  };
}
