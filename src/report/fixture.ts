/**
 * A realistic sample ReportData built from a seeded random walk: for tests, for scripts/report-fixture.mjs,
 * and as a worked example of filling every field. The "model" here is a noisy persistence forecast,
 * so, as on real daily prices, it is about as good as naive (a little better or worse by chance).
 */
import { Rng } from '../util/rng.js';
import type { ReportData, MetricRow, DatedSeries } from './types.js';
import { checkOptions, is } from '../util/options.js';

export interface SampleOptions {
  /** Seed of the random walk. @default 7 */
  seed?: number;
  /** Number of business days of history. @default 500 */
  days?: number;
  /** Number of days in the test span (the last ones). @default 100 */
  testDays?: number;
  /** Lookback window length T of the gradient picture. @default 30 */
  lookback?: number;
}

/** The next `count` business days (Mon-Fri) after `from` (ISO dates). */
export function businessDays(from: string, count: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  while (out.length < count) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

function metricRow(name: string, role: MetricRow['role'], actual: number[], previous: number[], forecast: number[], scale: number): MetricRow {
  const n = actual.length;
  let abs = 0, sq = 0, pct = 0, spct = 0, hits = 0;
  for (let i = 0; i < n; i++) {
    const e = actual[i] - forecast[i];
    abs += Math.abs(e);
    sq += e * e;
    pct += Math.abs(e / actual[i]);
    spct += (2 * Math.abs(e)) / (Math.abs(actual[i]) + Math.abs(forecast[i]));
    if (Math.sign(actual[i] - previous[i]) === Math.sign(forecast[i] - previous[i])) hits++;
  }
  return {
    name, role, mae: abs / n, rmse: Math.sqrt(sq / n), mape: (100 * pct) / n, smape: (100 * spct) / n,
    mase: abs / n / scale, directionalAccuracy: hits / n,
  };
}

/** Builds the sample report data. */
export function sampleReportData(options: SampleOptions = {}): ReportData {
  checkOptions(options, { seed: is.number, days: is.positiveInt, testDays: is.positiveInt, lookback: is.positiveInt }, { where: 'sampleReportData' });
  const { seed = 7, days = 500, testDays = 100, lookback = 30 } = options;
  const rng = new Rng(seed);
  const dates = businessDays('2021-12-31', days);
  const values: number[] = [];
  let price = 4000;
  for (let i = 0; i < days; i++) {
    price *= Math.exp(0.0003 + 0.011 * rng.normal());
    values.push(price);
  }
  const testStart = days - testDays;
  const testDates = dates.slice(testStart);
  const actual = values.slice(testStart);
  const previous = values.slice(testStart - 1, days - 1);
  const trainValues = values.slice(0, testStart);
  const drift = (trainValues[trainValues.length - 1] - trainValues[0]) / (trainValues.length - 1);

  const model = previous.map((p) => p * (1 + 0.002 * rng.normal()));
  const naive = previous.slice();
  const driftF = previous.map((p) => p + drift);
  const ma = testDates.map((_, i) => {
    const end = testStart + i;
    return values.slice(end - 20, end).reduce((a, b) => a + b, 0) / 20;
  });
  const seasonal = testDates.map((_, i) => values[testStart + i - 5]);

  let scale = 0;
  for (let i = 1; i < trainValues.length; i++) scale += Math.abs(trainValues[i] - trainValues[i - 1]);
  scale /= trainValues.length - 1;

  const baselines: DatedSeries[] = [
    { name: 'naive (persistence)', dates: testDates, values: naive },
    { name: 'drift', dates: testDates, values: driftF },
    { name: 'moving average (20)', dates: testDates, values: ma },
    { name: 'seasonal naive (5)', dates: testDates, values: seasonal },
  ];
  const last = values[days - 1];
  const sigma = scale * 1.25;
  const futureDates = businessDays(dates[days - 1], 10);
  const future = {
    dates: futureDates,
    values: futureDates.map((_, h) => last + drift * (h + 1)),
    lower: futureDates.map((_, h) => last + drift * (h + 1) - 1.645 * sigma * Math.sqrt(h + 1)),
    upper: futureDates.map((_, h) => last + drift * (h + 1) + 1.645 * sigma * Math.sqrt(h + 1)),
    level: 0.9,
  };

  const epochs = 30;
  const train = Array.from({ length: epochs }, (_, e) => 0.002 + 0.05 * Math.exp(-e / 4) * (1 + 0.05 * rng.normal()));
  const validation = train.map((l, e) => l * 1.15 + 0.0004 * Math.max(0, e - 18));
  const norms = Array.from({ length: lookback }, (_, i) => 0.4 * Math.pow(0.68, lookback - 1 - i) * (1 + 0.1 * rng.normal()) ** 2);

  return {
    title: 'unroll: random-walk index, LSTM forecast',
    description: 'A synthetic daily price (a geometric random walk), one-business-day-ahead forecasts on the last 100 business days, and a 10-business-day forecast.',
    details: [
      { label: 'model', value: 'LSTM, 1 layer, 32 units' },
      { label: 'lookback', value: `${lookback} business days` },
      { label: 'epochs', value: String(epochs) },
      { label: 'seed', value: String(seed) },
    ],
    modelName: 'LSTM',
    step: { one: 'business day', many: 'business days', ahead: 'one-business-day-ahead' },
    price: {
      name: 'Index close', dates, values, testSpan: { start: testDates[0], end: testDates[testDates.length - 1] },
      modelTest: { dates: testDates, values: model }, future, baselines,
    },
    loss: { train, validation, name: 'MSE (scaled)' },
    metrics: [
      metricRow('LSTM', 'model', actual, previous, model, scale),
      metricRow('naive (persistence)', 'naive', actual, previous, naive, scale),
      metricRow('drift', 'baseline', actual, previous, driftF, scale),
      metricRow('moving average (20)', 'baseline', actual, previous, ma, scale),
      metricRow('seasonal naive (5)', 'baseline', actual, previous, seasonal, scale),
    ],
    gradients: { quantity: '‖∂L/∂h_t‖', series: [{ name: 'final epoch', norms }] },
  };
}
