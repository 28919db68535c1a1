/**
 * The panel report in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), as
 * report-browser.test.ts does for the forecast report: every series chart draws with data, nothing is
 * fetched, the console stays clean, and at 390 CSS pixels (a phone) the document is no wider than the
 * viewport (the metrics table scrolls inside its box). Hourly series keep their hours on the x axis.
 * Without /usr/bin/chromium it prints one line saying so and skips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { MethodScore } from '../forecast/panel-benchmark.js';
import { renderPanelReport } from './panel.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A panel of 5 hourly series (72 training hours, 24 test hours) and three methods with long names. */
function report(): string {
  const h = 24;
  const n = 72;
  const wave = (s: number, t: number): number => 50 + 10 * s + 8 * Math.sin((2 * Math.PI * t) / 24);
  const train = [0, 1, 2, 3, 4].map((s) => Float64Array.from({ length: n }, (_, t) => wave(s, t)));
  const test = [0, 1, 2, 3, 4].map((s) => Float64Array.from({ length: h }, (_, t) => wave(s, n + t) + (s % 2 ? 1 : -1)));
  const dates = [0, 1, 2, 3, 4].map(() => Array.from({ length: n + h }, (_, t) => new Date(Date.UTC(2024, 2, 1, t)).toISOString().slice(0, 19)));
  const method = (name: string, shift: number, owa: number): MethodScore => ({
    name, smape: 2 + shift, mase: 0.5 + shift, owa, fitMs: 1200, forecastMs: 30,
    intervals: [{ level: 0.95, coverage: 0.9, msis: 5.5, series: 5 }],
    series: test.map((_, i) => ({ id: `a-rather-long-series-name-${i + 1}`, smape: 2 + shift + i, mase: 0.5 + shift + 0.1 * i, intervals: [] })),
    forecasts: test.map((y) => ({
      mean: y.map((v) => v + shift),
      intervals: [{ level: 0.95, lower: y.map((v) => v + shift - 3), upper: y.map((v) => v + shift + 3) }],
    })),
  });
  const result = {
    ids: test.map((_, i) => `a-rather-long-series-name-${i + 1}`), horizon: h, period: 24, levels: [0.95], withoutScale: [],
    methods: [method('panel-rnn', 0, 0.7), method('seasonal-naive-with-a-long-name', 0.4, 0.9), method('naive2', 1, 1)],
  };
  return renderPanelReport({
    title: 'unroll: panel model on a-file-with-a-long-name-hourly-load-of-five-sites.csv',
    details: [{ label: 'data', value: '/a/very/long/path/to/the/data/file/with/many/folders/hourly-load-of-five-sites.csv' }],
    result, train, test, dates, frequency: 'hourly',
  });
}

test('the panel report draws its three series, offline, and fits a 390 px phone', async (t) => {
  if (!existsSync(CHROMIUM)) {
    const why = `browser test skipped: ${CHROMIUM} not found (run scripts/install-browser.sh to install Debian's chromium)`;
    console.log(why);
    t.skip(why);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'unroll-panel-report-'));
  const file = join(dir, 'panel.html');
  writeFileSync(file, report());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    for (const width of [1200, 390]) {
      const page = await (await browser.newContext({ viewport: { width, height: 844 } })).newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => {
        const c = (window as unknown as { __unrollCharts?: { draws: number; error: string | null }[] }).__unrollCharts;
        return Array.isArray(c) && c.length > 0 && c.every((x) => x.draws > 0 || x.error !== null);
      }, undefined, { timeout: 15000 });
      const charts = await page.evaluate(() => (window as unknown as { __unrollCharts: { id: string; width: number; error: string | null; series: { label: string; points: number }[] }[] }).__unrollCharts);
      assert.deepEqual(charts.map((c) => c.id), ['series-best', 'series-median', 'series-worst']);
      for (const c of charts) {
        assert.equal(c.error, null);
        assert.ok(c.width <= width, `chart ${c.id} is ${c.width} px wide in ${width}`);
        const points = Object.fromEntries(c.series.map((s) => [s.label, s.points]));
        assert.equal(points['history'], 72);
        assert.equal(points['actual (test)'], 25, 'the last history value, then the 24 test values');
        assert.equal(points['panel-rnn forecast'], 24);
      }
      const size = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
      assert.ok(size.scroll <= size.viewport, `at ${width} px the document is ${size.scroll} px wide`);
      // The cursor's legend reads the hour, not just the day (hourly data).
      const over = page.locator('#chart-series-best .u-over');
      await over.scrollIntoViewIfNeeded();
      const box = await over.boundingBox();
      await page.mouse.move(box!.x + box!.width * 0.4, box!.y + box!.height * 0.5);
      await page.mouse.move(box!.x + box!.width * 0.5, box!.y + box!.height * 0.5);
      const legend = await page.locator('#chart-series-best .u-legend').innerText();
      assert.match(legend, /2024-03-0\d \d\d:00/, legend);
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [pathToFileURL(file).href]);
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
