import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { renderReport } from './html.js';
import { writeReport } from './write.js';
import { sampleReportData } from './fixture.js';
import { beatsNaiveSentence, escapeHtml, jsonForScript, distinguish } from './format.js';
import { buildCharts, gradientChart } from './charts.js';
import { UnrollError } from '../util/errors.js';
import type { MetricRow, ReportData } from './types.js';

const row = (role: MetricRow['role'], mase: number, name: string = role): MetricRow =>
  ({ name, role, mae: 1, rmse: 1, mape: 1, smape: 1, mase, directionalAccuracy: 0.5 });

/** A tiny hand-made report whose every number is known. */
function tiny(): ReportData {
  return {
    title: 'tiny',
    modelName: 'M',
    price: {
      name: 'close',
      dates: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'],
      values: [10, 11, 12, 13],
      testSpan: { start: '2024-01-03', end: '2024-01-04' },
      modelTest: { dates: ['2024-01-03', '2024-01-04'], values: [11.5, 12.5] },
      future: { dates: ['2024-01-05'], values: [13.2], lower: [12], upper: [14], level: 0.9 },
      baselines: [{ name: 'naive', dates: ['2024-01-03', '2024-01-04'], values: [11, 12] }],
    },
    loss: { train: [1, 0.5], validation: [1.2, 0.7] },
    metrics: [row('model', 0.8, 'M'), row('naive', 1)],
    gradients: { quantity: 'g', series: [{ name: 'final', norms: [0, 0.01, 0.1, 1] }] },
  };
}

/** The JSON payload of a rendered page. */
function payload(html: string): { charts: { id: string; x: number[]; series: { label: string; values: (number | null)[]; style: string }[] }[] } {
  const m = /<script type="application\/json" id="unroll-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'no data block');
  return JSON.parse(m[1]);
}

test('the beats-naive sentence says plainly which side of naive the model is on (MASE, lower is better)', () => {
  assert.equal(beatsNaiveSentence([row('model', 1.04), row('naive', 1)]),
    'The model does NOT beat the naive (persistence) forecast on MASE: 1.04 vs 1.00.');
  assert.equal(beatsNaiveSentence([row('naive', 1), row('model', 0.9)]),
    'The model beats the naive (persistence) forecast on MASE: 0.90 vs 1.00.');
  // A tie does not beat; close values get enough digits to differ.
  assert.match(beatsNaiveSentence([row('model', 1), row('naive', 1)]), /does NOT beat .*: 1\.00000000 vs 1\.00000000\.$/);
  assert.equal(beatsNaiveSentence([row('model', 0.999), row('naive', 1.0)]),
    'The model beats the naive (persistence) forecast on MASE: 0.999 vs 1.000.');
  assert.match(beatsNaiveSentence([row('model', NaN), row('naive', 1)]), /could not be compared/);
  assert.deepEqual(distinguish(0.12341, 0.12349), ['0.1234', '0.1235']);
  assert.deepEqual(distinguish(0.12342, 0.12344), ['0.12342', '0.12344']);
});

test('the page carries the verdict, the metrics table and the forecast sentence', () => {
  const html = renderReport(tiny(), { generatedAt: '2024-01-06T00:00:00Z' });
  assert.ok(html.includes('The model beats the naive (persistence) forecast on MASE: 0.80 vs 1.00.'));
  assert.ok(html.includes('Forecast for 2024-01-05: 13.20 (90% interval 12.00 to 14.00).'));
  for (const h of ['MAE', 'RMSE', 'MAPE', 'sMAPE', 'MASE', 'Direction']) assert.ok(html.includes(`>${h}</th>`), h);
  assert.ok(html.includes('<td class="best">0.800</td>'), 'the lowest MASE is in bold');
  const d = sampleReportData();
  d.metrics[0].mase = 1.2;
  assert.ok(renderReport(d).includes('does NOT beat the naive'));
});

test('all text is escaped: no markup from titles, names or details reaches the page', () => {
  const evil = `<img src=x onerror=alert(1)> & "q" 'a'`;
  const data = tiny();
  data.title = evil;
  data.description = evil;
  data.details = [{ label: evil, value: evil }];
  data.modelName = evil;
  data.price.baselines[0].name = `</script><script>alert(2)</script>`;
  data.metrics[1].name = evil;
  const html = renderReport(data);
  assert.ok(!html.includes('<img'), 'raw tag in the page');
  assert.ok(!html.includes('<script>alert'), 'script injection in the page');
  assert.ok(html.includes(escapeHtml(evil)));
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  // The names survive intact inside the JSON block.
  const labels = payload(html).charts[0].series.map((s) => s.label);
  assert.ok(labels.includes('</script><script>alert(2)</script>'));
  assert.ok(labels.includes(`${evil} (test span)`));
  assert.deepEqual(JSON.parse(jsonForScript({ s: '</script><!--\u2028&' })), { s: '</script><!--\u2028&' });
  assert.ok(!/[<>&\u2028]/.test(jsonForScript({ s: '</script><!--\u2028&' })));
});

test('the page is self-contained: uPlot inlined, nothing fetched from the network', () => {
  const html = renderReport(sampleReportData());
  assert.ok(!/\s(src|href)\s*=\s*["']?\s*(https?:)?\/\//i.test(html), 'an external src/href');
  assert.ok(!/<link\b/i.test(html), 'a <link> element');
  assert.ok(!/<script[^>]*\ssrc=/i.test(html), 'a script with src');
  const uplotJs = readFileSync(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  assert.ok(html.includes(uplotJs.slice(0, 2000)), 'uPlot JS not inlined');
  assert.ok(html.includes('.uplot'), 'uPlot CSS not inlined');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('chart data: series aligned on the union of dates, with gaps as null', () => {
  const charts = buildCharts(tiny());
  assert.deepEqual(charts.map((c) => c.id), ['price', 'price-closeup', 'loss', 'gradients']);
  const price = charts[0];
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
  assert.deepEqual(price.x, ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'].map(day));
  const by = (label: string) => price.series.find((s) => s.label === label)!.values;
  assert.deepEqual(by('close'), [10, 11, 12, 13, null]);
  assert.deepEqual(by('M (test span)'), [null, null, 11.5, 12.5, null]);
  assert.deepEqual(by('naive'), [null, null, 11, 12, null]);
  assert.deepEqual(by('M (forecast)'), [null, null, null, null, 13.2]);
  assert.deepEqual(price.shade && [price.shade.from, price.shade.to], [day('2024-01-03'), day('2024-01-04')]);
  const band = price.bands[0];
  assert.deepEqual([price.series[band.lower].values[4], price.series[band.upper].values[4]], [12, 14]);
  assert.deepEqual(charts[1].x, price.x, 'a short history is shown whole in the close-up');
  // A long one: the close-up keeps the last 120 history days plus the 10 future days.
  const long = buildCharts(sampleReportData({ days: 500, testDays: 100 }));
  assert.deepEqual(long[1].x, long[0].x.slice(-(120 + 10)));
  assert.equal(long[1].title, 'Close-up: the last 120 business days and the forecast');
  assert.equal(charts[1].title, 'Close-up: the last 4 steps and the forecast', 'without step words the report says "steps"');
  assert.match(long[0].title, /^Index close: the whole history/);
  assert.match(long[0].caption, /^All 500 observations, /);
  assert.deepEqual(charts[2].x, [1, 2]);
  assert.equal(charts[2].logY, true);
});

test('hourly data: the charts place each row at its real hour, not on consecutive days', () => {
  const d = tiny();
  const hour = (h: number): string => `2024-01-01 ${String(h).padStart(2, '0')}:00`;
  d.price.dates = [0, 1, 2, 3].map(hour);
  d.price.testSpan = { start: hour(2), end: hour(3) };
  d.price.modelTest.dates = [hour(2), hour(3)];
  d.price.baselines[0].dates = [hour(2), hour(3)];
  d.price.future!.dates = [hour(4)];
  const price = buildCharts(d)[0];
  const t0 = Date.UTC(2024, 0, 1) / 1000;
  assert.deepEqual(price.x, [0, 1, 2, 3, 4].map((h) => t0 + 3600 * h));
  assert.deepEqual(price.shade && [price.shade.from, price.shade.to], [t0 + 7200, t0 + 10800]);
  assert.ok(renderReport(d).includes('id="chart-price"'));
  // A time that does not exist is still refused, naming the field.
  d.price.dates[1] = '2024-01-01 25:00';
  assert.throws(() => renderReport(d), /price\.dates\[1\] is "2024-01-01 25:00"; expected an ISO date \(YYYY-MM-DD\) or date-time/);
});

test('gradient chart: t runs -T+1..0, log axis, zeros become gaps, several curves become lines', () => {
  const g = gradientChart(tiny())!;
  assert.deepEqual(g.x, [-3, -2, -1, 0]);
  assert.equal(g.logY, true);
  assert.deepEqual(g.series[0].values, [null, 0.01, 0.1, 1]);
  assert.equal(g.series[0].style, 'bars');
  const d = tiny();
  d.gradients!.series.push({ name: 'epoch 1', norms: [1, 1, 1, 1] });
  assert.deepEqual(gradientChart(d)!.series.map((s) => s.style), ['line+points', 'line+points']);
  const none = tiny();
  delete none.gradients;
  assert.equal(gradientChart(none), undefined);
  assert.ok(renderReport(none).includes('not computed for this run'));
});

test('bad report data gives an UnrollError naming the field', () => {
  const cases: [string, (d: ReportData) => void, RegExp][] = [
    ['bad date', (d) => { d.price.dates[1] = '2024-02-30'; }, /price\.dates\[1\] is "2024-02-30"; expected an ISO date/],
    ['unsorted', (d) => { d.price.dates[1] = '2023-12-31'; }, /price\.dates\[1\].*strictly ascending/],
    ['length', (d) => { d.price.values.pop(); }, /price\.values is an array of length 3; expected an array of length 4/],
    ['NaN', (d) => { d.price.baselines[0].values[1] = NaN; }, /price\.baselines\[0\]\.values\[1\] is NaN; expected a finite number/],
    ['span', (d) => { d.price.testSpan.start = '2025-01-01'; }, /price\.testSpan\.start/],
    ['interval', (d) => { d.price.future!.lower[0] = 13.5; }, /lower <= value <= upper/],
    ['future date', (d) => { d.price.future!.dates[0] = '2024-01-04'; }, /after the last history date 2024-01-04/],
    ['no naive', (d) => { d.metrics[1].role = 'baseline'; }, /rows with role "naive".*expected exactly 1/],
    ['negative norm', (d) => { d.gradients!.series[0].norms[0] = -1; }, /gradients\.series\[0\]\.norms\[0\] is -1; expected a number >= 0/],
    ['empty title', (d) => { d.title = ' '; }, /title is " "; expected a non-empty string/],
  ];
  for (const [name, spoil, message] of cases) {
    const d = tiny();
    spoil(d);
    assert.throws(() => renderReport(d), (e: unknown) => e instanceof UnrollError && message.test(e.message), name);
  }
});

test('writeReport writes the file atomically and leaves no temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-report-'));
  try {
    const file = join(dir, 'report.html');
    const bytes = writeReport(file, tiny());
    assert.deepEqual(readdirSync(dir), ['report.html']);
    assert.equal(readFileSync(file).length, bytes);
    assert.throws(() => writeReport(join(dir, 'missing', 'r.html'), tiny()), (e: unknown) => e instanceof UnrollError && /cannot write the report/.test(e.message));
    assert.deepEqual(readdirSync(dir), ['report.html']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('optional parts may be absent: no future forecast, no baselines, no validation loss', () => {
  const d = tiny();
  delete d.price.future;
  d.price.baselines = [];
  delete d.loss.validation;
  const html = renderReport(d);
  assert.ok(!html.includes('Forecast for'));
  const charts = payload(html).charts;
  assert.deepEqual(charts[0].series.map((s) => s.label), ['close', 'M (test span)']);
  assert.equal(charts[0].x.length, 4);
  assert.deepEqual(charts[2].series.map((s) => s.label), ['training loss']);
});
