/**
 * Opens an investing report in headless Chromium (Debian's /usr/bin/chromium via playwright-core, as
 * report-browser.test.ts does) and checks that the equity, drawdown and positions charts drew with
 * data, with nothing fetched and a clean console. Without /usr/bin/chromium it skips, saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { frameFromArrays } from '../data/frame.js';
import { invest } from '../invest/invest.js';
import { periodReturns, pricePanel } from '../invest/panel.js';
import { momentumSignal } from '../invest/signals.js';
import { renderInvestReport } from './invest.js';

const CHROMIUM = '/usr/bin/chromium';

test('the investing report draws its three charts in a browser, offline, without console errors', async (t) => {
  if (!existsSync(CHROMIUM)) { t.skip(`${CHROMIUM} not found: browser check skipped`); return; }
  const n = 300;
  const dates = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2015, 0, 1) + i * 86400000).toISOString().slice(0, 10));
  const A = Array.from({ length: n }, (_, i) => 100 * Math.exp(0.001 * i + 0.05 * Math.sin(i / 9)));
  const B = Array.from({ length: n }, (_, i) => 80 * Math.exp(0.0005 * i + 0.04 * Math.cos(i / 13)));
  const panel = pricePanel(frameFromArrays({ A, B }, { dates }));
  const start = 100;
  const r = invest(panel, { start, signal: momentumSignal(periodReturns(panel), start, n - 1 - start), coinRuns: 5, bootstrap: { resamples: 99 } });
  const dir = mkdtempSync(join(tmpdir(), 'unroll-invest-report-'));
  const file = join(dir, 'invest.html');
  writeFileSync(file, renderInvestReport(r, { title: 'invest report test', details: [{ label: 'data', value: 'synthetic' }] }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction(() => {
      const c = (window as unknown as { __unrollCharts?: { draws: number; error: string | null }[] }).__unrollCharts;
      return Array.isArray(c) && c.length === 3 && c.every((x) => x.draws > 0 || x.error !== null);
    }, undefined, { timeout: 15000 });
    const charts = await page.evaluate(() => (window as unknown as { __unrollCharts: { id: string; error: string | null; series: { points: number }[] }[] }).__unrollCharts);
    assert.deepEqual(charts.map((c) => c.id), ['equity', 'drawdown', 'positions']);
    for (const c of charts) {
      assert.equal(c.error, null, `${c.id}: ${c.error}`);
      for (const s of c.series) assert.ok(s.points > 0, `${c.id}: a series without points`);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), []);
    await page.screenshot({ path: join(tmpdir(), 'unroll-invest-report.png'), fullPage: true });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
