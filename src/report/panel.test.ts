/** The panel report's pieces: the series it picks, its charts' time axis and its page. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MethodScore, PanelBenchmarkResult } from '../forecast/panel-benchmark.js';
import { bestBenchmark } from '../forecast/panel-verdict.js';
import { pickSeries, renderPanelReport, seriesChart } from './panel.js';

function method(name: string, mases: (number | null)[], smapes: number[], extra: Partial<MethodScore> = {}): MethodScore {
  return {
    name, smape: smapes.reduce((a, b) => a + b, 0) / smapes.length, mase: 1, owa: 1, intervals: [], fitMs: 0, forecastMs: 0,
    series: mases.map((m, i) => ({ id: `s${i + 1}`, smape: smapes[i]!, mase: m, intervals: [] })),
    ...extra,
  };
}

test('pickSeries: the best, median and worst by MASE, each series once; sMAPE when no series has a MASE', () => {
  // s3 has no MASE; of the other four (0.9, 0.2, 3.1, 1.4) the median is the lower middle one, s1.
  const m = method('model', [0.9, 0.2, null, 3.1, 1.4], [5, 1, 9, 20, 8]);
  assert.deepEqual(pickSeries(m).map((p) => [p.pick, p.id]), [['best', 's2'], ['median', 's1'], ['worst', 's4']]);
  assert.deepEqual(pickSeries(method('m', [0.5, 0.7], [1, 2])).map((p) => p.id), ['s1', 's2']);
  assert.deepEqual(pickSeries(method('m', [null, null, null], [3, 1, 2])).map((p) => [p.pick, p.id]), [['best', 's2'], ['median', 's3'], ['worst', 's1']]);
});

function result(): { result: PanelBenchmarkResult; train: Float64Array[]; test: Float64Array[] } {
  const h = 4;
  const train = [0, 1, 2].map((s) => Float64Array.from({ length: 30 }, (_, t) => 10 + s + Math.sin(t)));
  const test = [0, 1, 2].map((s) => Float64Array.from({ length: h }, (_, t) => 10 + s + Math.sin(30 + t)));
  const fc = (shift: number) => test.map((y) => ({
    mean: y.map((v) => v + shift),
    intervals: [{ level: 0.95, lower: y.map((v) => v + shift - 1), upper: y.map((v) => v + shift + 1) }],
  }));
  const model = method('panel-rnn', [0.3, 0.6, 0.9], [3, 6, 9], { owa: 0.8, forecasts: fc(0.1), intervals: [{ level: 0.95, coverage: 0.92, msis: 4.2, series: 3 }] });
  const snaive = method('snaive', [0.5, 0.7, 0.8], [5, 7, 8], { owa: 0.9, forecasts: fc(0.5) });
  const naive2 = method('naive2', [1, 1, 1], [10, 10, 10], { owa: 1, forecasts: fc(1) });
  return { result: { ids: ['s1', 's2', 's3'], horizon: h, period: 1, levels: [0.95], methods: [model, snaive, naive2], withoutScale: [] }, train, test };
}

test('the report: verdict against the best benchmark with the sign test, every method in the table, three series drawn', () => {
  const { result: r, train, test } = result();
  assert.equal(bestBenchmark(r)!.name, 'snaive');
  const html = renderPanelReport({ title: 'T <panel>', details: [{ label: 'data', value: 'x.csv' }], result: r, train, test, generatedAt: '2026-01-01T00:00:00Z' });
  assert.match(html, /panel-rnn beats the best benchmark, snaive: OWA 0\.800 against 0\.900\./);
  assert.match(html, /lower on 2 and higher on 1 of 3 series \(two-sided sign test p = 1\.000: not significant at 5%\)/);
  assert.match(html, /covered 92\.0% of the test values \(MSIS 4\.200\)/);
  assert.ok(html.includes('T &lt;panel&gt;'));
  for (const n of ['panel-rnn', 'snaive', 'naive2']) assert.ok(html.includes(`<th scope="row">${n}`), n);
  for (const id of ['series-best', 'series-median', 'series-worst']) assert.ok(html.includes(`id="chart-${id}"`), id);
  // A tie in tone (not significant): the grey box, not the green one.
  assert.match(html, /class="verdict tie"/);
});

test('series charts: hourly dates on their real times, undated series on step numbers', () => {
  const { result: r, train, test } = result();
  const pick = pickSeries(r.methods[0]!)[0]!;
  const hours = Array.from({ length: 34 }, (_, t) => new Date(Date.UTC(2024, 0, 1, t)).toISOString().slice(0, 16).replace('T', ' '));
  const timed = seriesChart({ title: 't', details: [], result: r, train, test, dates: [hours, hours, hours] }, pick, 0.95);
  assert.equal(timed.xKind, 'time');
  const gaps = timed.x.slice(1).map((t, i) => t - timed.x[i]!);
  assert.ok(gaps.every((g) => g === 3600), `hourly steps: ${gaps}`);
  assert.equal(timed.x[timed.x.length - 1], Date.UTC(2024, 0, 2, 9) / 1000);
  const plain = seriesChart({ title: 't', details: [], result: r, train, test }, pick, 0.95);
  assert.equal(plain.xKind, 'number');
  assert.equal(plain.x[plain.x.length - 1], 34);
  // History, the actual test path, the interval, the model's and the best benchmark's forecasts.
  assert.deepEqual(plain.series.map((s) => s.label), ['history', 'actual (test)', '95% interval, lower', '95% interval, upper', 'panel-rnn forecast', 'snaive forecast']);
  assert.deepEqual(plain.bands, [{ upper: 3, lower: 2, fill: plain.bands[0]!.fill }]);
});
