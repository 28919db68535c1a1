/**
 * Opens a generated report in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core;
 * nothing downloads a browser) and checks that every chart drew with data, that nothing was fetched,
 * that the console stayed clean, and that hostile series names stay text. Takes a screenshot.
 * Without /usr/bin/chromium it prints one line saying so and skips.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderReport } from './html.js';
import { sampleReportData } from './fixture.js';
import type { ReportData } from './types.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

interface ChartEntry {
  id: string;
  width: number;
  height: number;
  draws: number;
  error: string | null;
  series: { label: string; points: number }[];
}

interface PageRun {
  charts: ChartEntry[];
  canvases: { id: string; width: number; height: number }[];
  consoleErrors: string[];
  requests: string[];
  page: Page;
}

async function openReport(browser: Browser, file: string): Promise<PageRun> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForFunction(() => {
    const charts = (window as unknown as { __unrollCharts?: { draws: number; error: string | null }[] }).__unrollCharts;
    return Array.isArray(charts) && charts.length > 0 && charts.every((c) => c.draws > 0 || c.error !== null);
  }, undefined, { timeout: 15000 });
  const charts = await page.evaluate(() => (window as unknown as { __unrollCharts: ChartEntry[] }).__unrollCharts);
  const canvases = await page.evaluate(() =>
    [...document.querySelectorAll('.plot')].map((el) => {
      const c = el.querySelector('canvas');
      return { id: el.id, width: c ? c.width : 0, height: c ? c.height : 0 };
    }));
  return { charts, canvases, consoleErrors, requests, page };
}

let skipNoticePrinted = false;

/** Launches Chromium for one test, or skips it with one visible line when there is none. */
async function launchOrSkip(t: TestContext): Promise<{ browser: Browser; dir: string } | undefined> {
  if (!existsSync(CHROMIUM)) {
    const why = `browser test skipped: ${CHROMIUM} not found (run scripts/install-browser.sh to install Debian's chromium)`;
    if (!skipNoticePrinted) console.log(why);
    skipNoticePrinted = true;
    t.skip(why);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'unroll-report-'));
  // chromium.launch gives every launch a fresh, temporary user-data-dir of its own (it refuses a
  // --user-data-dir argument), so no profile state carries over between runs.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return { browser, dir };
}

test('the report draws every chart with data, offline, with a clean console', async (t) => {
  const env = await launchOrSkip(t);
  if (!env) return;
  const { browser, dir } = env;
  try {
    const data = sampleReportData();
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport(data));
    const run = await openReport(browser, file);

    // Charts expected from the data: price, close-up, loss, gradients.
    assert.deepEqual(run.charts.map((c) => c.id), ['price', 'price-closeup', 'loss', 'gradients']);
    for (const c of run.charts) {
      assert.equal(c.error, null, `chart ${c.id} failed: ${c.error}`);
      assert.ok(c.draws > 0, `chart ${c.id} never drew`);
      assert.ok(c.width >= 320 && c.height >= 200, `chart ${c.id} is ${c.width}x${c.height}`);
      for (const s of c.series) assert.ok(s.points > 0, `chart ${c.id}, series "${s.label}" has no points`);
    }
    // Point counts agree with the data that went in.
    const price = run.charts[0];
    assert.equal(price.series[0].points, data.price.dates.length);
    assert.equal(price.series.find((s) => s.label === 'LSTM (test span)')?.points, data.price.modelTest.dates.length);
    assert.equal(run.charts[2].series[0].points, data.loss.train.length);
    assert.equal(run.charts[3].series[0].points, data.gradients!.series[0].norms.length);
    // Every plot has a canvas of nonzero size, and a legend naming its series.
    assert.equal(run.canvases.length, 4);
    for (const c of run.canvases) assert.ok(c.width > 0 && c.height > 0, `canvas of ${c.id} is ${c.width}x${c.height}`);
    const legend = await run.page.locator('#chart-price .u-legend').innerText();
    for (const b of data.price.baselines) assert.ok(legend.includes(b.name), `legend lacks "${b.name}"`);
    // The canvas has ink: some pixels differ from the background.
    const inked = await run.page.evaluate(() => {
      const c = document.querySelector('#chart-price canvas') as HTMLCanvasElement;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `price canvas has only ${inked} painted pixels`);

    assert.deepEqual(run.consoleErrors, []);
    assert.deepEqual(run.requests, [pathToFileURL(file).href], 'the report fetched something besides itself');

    const shot = join(dir, 'report.png');
    await run.page.screenshot({ path: shot, fullPage: true });
    assert.ok(existsSync(shot));
    if (process.env.UNROLL_KEEP_SCREENSHOT) writeFileSync(process.env.UNROLL_KEEP_SCREENSHOT, await run.page.screenshot({ fullPage: true }));
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile series names stay text in the page', async (t) => {
  const env = await launchOrSkip(t);
  if (!env) return;
  const { browser, dir } = env;
  try {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const data: ReportData = sampleReportData({ days: 60, testDays: 20, lookback: 5 });
    data.title = `Title ${evil}`;
    data.modelName = `M ${evil}`;
    data.price.baselines[0].name = `B </script><script>window.__pwned=2</script>`;
    data.metrics[0].name = evil;
    const file = join(dir, 'evil.html');
    writeFileSync(file, renderReport(data));
    const run = await openReport(browser, file);
    const state = await run.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      images: document.querySelectorAll('img').length,
      title: document.title,
    }));
    assert.deepEqual(state, { pwned: null, images: 0, title: `Title ${evil}` });
    const legend = await run.page.locator('#chart-price .u-legend').innerText();
    assert.ok(legend.includes('B </script><script>window.__pwned=2</script>'));
    assert.deepEqual(run.consoleErrors, []);
    assert.deepEqual(run.requests, [pathToFileURL(file).href]);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
