/** The investing report: charts aligned with the result, the verdict shown, text escaped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../data/frame.js';
import { invest } from '../invest/invest.js';
import { momentumSignal } from '../invest/signals.js';
import { periodReturns, pricePanel } from '../invest/panel.js';
import { investCharts, renderInvestReport } from './invest.js';

const assets = { js: 'window.uPlot = function () {};', css: '.u-legend{}', version: 'test' };

test('renderInvestReport: three charts aligned with the equity dates, the verdict and escaped text', () => {
  const n = 60;
  const dates = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2020, 0, 1) + i * 86400000).toISOString().slice(0, 10));
  const A = Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 5) + i);
  const B = Array.from({ length: n }, (_, i) => 50 + 0.2 * i);
  const panel = pricePanel(frameFromArrays({ '<A>': A, B }, { dates }));
  const start = 20;
  const signal = momentumSignal(periodReturns(panel), start, n - 1 - start);
  const r = invest(panel, { start, signal, coinRuns: 3, bootstrap: { resamples: 49 } });
  const charts = investCharts(r);
  assert.deepEqual(charts.map((c) => c.id), ['equity', 'drawdown', 'positions']);
  assert.equal(charts[0].x.length, r.dates.length);
  for (const c of charts) for (const s of c.series) assert.equal(s.values.length, c.x.length);
  assert.equal(charts[0].logY, true);
  const html = renderInvestReport(r, { title: 'test <b>', details: [{ label: 'data', value: 'x</script>' }], assets, generatedAt: 'now' });
  assert.ok(html.includes('test &lt;b&gt;'));
  assert.ok(!html.includes('x</script>'));
  assert.ok(html.includes('&lt;A&gt;') || html.includes('\\u003cA\\u003e'));
  assert.ok(html.includes(r.verdict.slice(0, 30).replace(/'/g, '&#39;')));
});
