/**
 * Both pages on a phone: the HTML report and the playground (after a short training run, so the
 * metrics and forecast tables are on the page) at 390 CSS pixels wide, in headless Chromium
 * (Debian's /usr/bin/chromium; nothing downloads a browser). The document must not be wider than the
 * viewport: wide tables scroll inside their own box. Without /usr/bin/chromium it says so and skips.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderReport } from '../report/html.js';
import { sampleReportData } from '../report/fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PHONE = { width: 390, height: 844 };

function skip(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return false;
  const why = `browser test skipped: ${CHROMIUM} not found (run scripts/install-browser.sh to install Debian's chromium)`;
  console.log(why);
  t.skip(why);
  return true;
}

/** The document's scroll width and the viewport's width, and the widest element that sticks out (for the message). */
async function widths(page: Page): Promise<{ scroll: number; viewport: number; widest: string }> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    let widest = '';
    let right = vw;
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > right + 0.5) { right = r.right; widest = `${el.tagName.toLowerCase()}#${el.id}.${el.className} (right edge ${Math.round(r.right)})`; }
    }
    return { scroll: document.documentElement.scrollWidth, viewport: vw, widest };
  });
}

async function withPhone(run: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try { await run(browser); } finally { await browser.close(); }
}

test('the report fits a 390 px phone screen; its metrics table scrolls inside its box', async (t) => {
  if (skip(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'unroll-phone-'));
  const file = join(dir, 'report.html');
  const data = sampleReportData();
  // Long names, as a user's files and models have them.
  data.modelName = 'LSTM (64 units, 2 layers, log-returns of close)';
  data.metrics[0].name = data.modelName;
  writeFileSync(file, renderReport(data));
  await withPhone(async (browser) => {
    const page = await (await browser.newContext({ viewport: PHONE })).newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => {
      const c = (window as unknown as { __unrollCharts?: { draws: number; error: string | null }[] }).__unrollCharts;
      return Array.isArray(c) && c.length > 0 && c.every((x) => x.draws > 0 || x.error !== null);
    }, undefined, { timeout: 15000 });
    const w = await widths(page);
    assert.ok(w.scroll <= w.viewport, `report: document ${w.scroll} px wide in a ${w.viewport} px viewport; widest: ${w.widest}`);
    const charts = await page.evaluate(() => (window as unknown as { __unrollCharts: { width: number; error: string | null }[] }).__unrollCharts);
    for (const c of charts) {
      assert.equal(c.error, null);
      assert.ok(c.width <= w.viewport, `a chart ${c.width} px wide`);
    }
    // The table is wider than the phone, and its box scrolls instead of the page.
    const box = await page.evaluate(() => { const s = document.querySelector('#metrics .scroll')!; return { client: s.clientWidth, scroll: s.scrollWidth }; });
    assert.ok(box.client <= w.viewport);
  });
});

test('the playground fits a 390 px phone screen, before and after training', async (t) => {
  if (skip(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'unroll-phone-'));
  const { buildPlayground } = (await import(pathToFileURL(join(ROOT, 'scripts', 'build-web.mjs')).href)) as {
    buildPlayground(o: { outFile: string }): Promise<{ outFile: string }>;
  };
  const built = await buildPlayground({ outFile: join(dir, 'playground.html') });
  await withPhone(async (browser) => {
    const page = await (await browser.newContext({ viewport: PHONE })).newPage();
    await page.goto(pathToFileURL(built.outFile).href);
    const state = (s: string[]): Promise<unknown> => page.waitForFunction((x) => x.includes((window as unknown as { __playground?: { state: string } }).__playground?.state ?? ''), s, { timeout: 60000 });
    await state(['ready', 'error']);
    let w = await widths(page);
    assert.ok(w.scroll <= w.viewport, `playground before training: ${w.scroll} px in ${w.viewport} px; widest: ${w.widest}`);
    await page.fill('#epochs', '1');
    await page.fill('#hidden', '4');
    await page.fill('#lookback', '5');
    await page.fill('#test-rows', '20');
    await page.click('#train');
    await state(['done', 'error']);
    assert.equal(await page.locator('#train-error').isHidden(), true, await page.locator('#train-error').innerText());
    assert.equal(await page.locator('#result-panel').isVisible(), true);
    w = await widths(page);
    assert.ok(w.scroll <= w.viewport, `playground after training: ${w.scroll} px in ${w.viewport} px; widest: ${w.widest}`);
  });
});
