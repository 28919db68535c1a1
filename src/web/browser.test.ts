/**
 * unroll in a real browser (Debian's /usr/bin/chromium, driven by playwright-core; nothing downloads
 * a browser). Without /usr/bin/chromium it prints one line saying so and skips.
 *
 * 1. The library: a small script importing the public main entry is bundled for the browser
 *    (esbuild, platform 'browser', so any Node-only import fails the build), trains small networks
 *    and a Forecaster there on the reference and the wasm backends, and its numbers are compared with
 *    the same code run here in Node: equal for the float64 reference, within float32 rounding for wasm.
 * 2. The playground (scripts/build-web.mjs, built into a temp dir): opened from file://, it trains in
 *    its worker and shows the loss, the verdict, the metrics and the forecast; bad CSVs give the
 *    library's message; Stop works both where the page is cross-origin isolated (fit's AbortSignal)
 *    and where it is not (the worker is ended). Nothing is fetched; the console stays clean.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import * as unroll from '../index.js';
import { parseCsvFrame, UnrollError } from '../index.js';
import { mathSample, probe, probeCsv, type ProbeResult } from './probe.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root: this file runs from src/web (tsx) or dist/web (npm test). */
const ROOT = join(HERE, '..', '..');
const SP500 = join(ROOT, 'data', 'sp500_daily_ohlcv_2000_2020.csv');

let skipNoticePrinted = false;
function skipWithoutChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return false;
  const why = `browser test skipped: ${CHROMIUM} not found (run scripts/install-browser.sh to install Debian's chromium)`;
  if (!skipNoticePrinted) console.log(why);
  skipNoticePrinted = true;
  t.skip(why);
  return true;
}

interface Watch { consoleErrors: string[]; requests: string[] }
function watch(page: Page): Watch {
  const w: Watch = { consoleErrors: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error') w.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => w.consoleErrors.push(`page error: ${e.message}`));
  page.on('request', (r) => w.requests.push(r.url()));
  return w;
}

/** Relative agreement of two arrays (max |a−b| / max(1, |b|)). */
function maxRelDiff(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
}
function flatten(r: ProbeResult): number[] {
  return [...r.networks.flatMap((n) => [...n.losses, ...n.predictions.flat()]), ...r.forecaster.oneStep, ...r.forecaster.forecast];
}

test('the main entry runs in a browser and gives the same numbers as in Node', async (t) => {
  if (skipWithoutChromium(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'unroll-web-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    // The same probe code as below in Node, bundled with the library's public entry.
    const entry = `
      import * as unroll from '../index.js';
      import { probe, mathSample } from './probe.js';
      (async () => {
        const out = { reference: probe(unroll, unroll.referenceBackend()), math: mathSample() };
        const wasm = await unroll.createWasmBackend({ notice: (m) => console.warn(m) });
        out.wasm = probe(unroll, wasm);
        out.simd = unroll.wasmSimdSupported();
        window.__probe = out;
      })().catch((e) => { window.__probe = { error: String(e && e.stack || e) }; });`;
    const built = await esbuild.build({
      stdin: { contents: entry, resolveDir: HERE, sourcefile: 'probe-entry.js', loader: 'js' },
      bundle: true, write: false, format: 'iife', platform: 'browser', target: ['es2020'], metafile: true, logLevel: 'silent',
    });
    const inputs = Object.keys(built.metafile.inputs);
    assert.deepEqual(inputs.filter((p) => p.startsWith('node:') || p.includes('node-io') || p.endsWith('/node.js')), [], 'the browser bundle pulled in Node-only modules');
    const file = join(dir, 'probe.html');
    writeFileSync(file, `<!doctype html><meta charset="utf-8"><title>probe</title><script>${built.outputFiles[0].text.replace(/<\/script/gi, '<\\/script')}</script>`);

    const page = await (await browser.newContext()).newPage();
    const w = watch(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as unknown as { __probe?: unknown }).__probe !== undefined, undefined, { timeout: 30000 });
    const got = await page.evaluate(() => (window as unknown as { __probe: { error?: string; reference: ProbeResult; wasm: ProbeResult; simd: boolean; math: number[] } }).__probe);
    assert.equal(got.error, undefined, got.error);

    const nodeReference = probe(unroll, unroll.referenceBackend());
    const nodeWasm = probe(unroll, await unroll.createWasmBackend({ notice: () => {} }));
    // float64 reference: the same arithmetic in the same order. Parsing gives the very same bits. The
    // numbers of training are bit-identical too when the two engines' Math.exp/log/pow agree; when
    // they do not (Node 20's V8 11.3 and Chromium 156 differ in the last bit of Math.exp on about
    // 1 value in 10), that one-ulp difference is all there is, so the results agree to ~1e-15.
    assert.equal(got.reference.dtype, 'float64');
    assert.deepEqual(got.reference.frame, nodeReference.frame);
    assert.deepEqual(got.reference.csvError, nodeReference.csvError);
    const sameMath = got.math.every((v, i) => Object.is(v, mathSample()[i]));
    if (sameMath) {
      assert.deepEqual(got.reference, nodeReference);
    } else {
      const d = maxRelDiff(flatten(got.reference), flatten(nodeReference));
      assert.ok(d < 1e-12, `reference backend, browser vs Node: relative difference ${d}`);
      t.diagnostic(`engines differ in the last bit of Math.exp/log/pow; reference results agree to ${d.toExponential(1)}`);
    }
    // wasm: float32; Chromium has SIMD, so it must really be the wasm backend there.
    assert.equal(got.simd, true);
    assert.equal(got.wasm.backend, 'wasm');
    assert.equal(got.wasm.dtype, 'float32');
    assert.equal(nodeWasm.backend, 'wasm');
    assert.ok(maxRelDiff(flatten(got.wasm), flatten(nodeWasm)) < 1e-5, `wasm browser vs Node: ${maxRelDiff(flatten(got.wasm), flatten(nodeWasm))}`);
    // …and float32 training stays close to the float64 definition.
    assert.ok(maxRelDiff(flatten(got.wasm), flatten(nodeReference)) < 1e-3, `wasm vs reference: ${maxRelDiff(flatten(got.wasm), flatten(nodeReference))}`);
    // Sanity of the probe itself: training lowered the loss, and the error is a named UnrollError.
    for (const n of nodeReference.networks) assert.ok(n.losses[n.losses.length - 1] < n.losses[0], `${n.cell} loss did not fall`);
    assert.equal(got.reference.csvError.name, 'UnrollError');
    assert.match(got.reference.csvError.message, /bad\.csv/);

    assert.deepEqual(w.consoleErrors, []);
    assert.deepEqual(w.requests, [pathToFileURL(file).href]);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// The playground

interface PlaygroundView {
  state: string;
  dataset: { source: string; rows: number; columns: string[]; frequency: string | null } | null;
  epochs: number[];
  result: null | {
    verdict: string; stopped: boolean; epochsRun: number; backend: string;
    metrics: { name: string; role: string; mae: number }[];
    future: { level: number; dates: string[]; value: number[]; lower: number[]; upper: number[] };
  };
  error: string | null;
  charts: Record<string, { draws: number; series: { label: string; points: number }[] }>;
  stopMode: 'signal' | 'terminate';
}

const viewOf = (page: Page): Promise<PlaygroundView> => page.evaluate(() => (window as unknown as { __playground: PlaygroundView }).__playground);
const waitState = (page: Page, states: string[], timeout = 30000): Promise<unknown> =>
  page.waitForFunction((s) => s.includes((window as unknown as { __playground?: { state: string } }).__playground?.state ?? ''), states, { timeout });

async function setSettings(page: Page, s: Record<string, string>): Promise<void> {
  for (const [id, v] of Object.entries(s)) {
    const tag = await page.locator(`#${id}`).evaluate((el) => el.tagName);
    if (tag === 'SELECT') await page.selectOption(`#${id}`, v);
    else await page.fill(`#${id}`, v);
  }
}

/** Only the page itself and blob:/data: URLs (the worker) may be requested. */
function assertOffline(requests: string[], pageUrl: string): void {
  const other = requests.filter((u) => u !== pageUrl && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(other, [], 'the playground fetched something');
  assert.ok(requests.includes(pageUrl));
}

async function painted(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement | null;
    if (!c) return 0;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
    return n;
  }, selector);
}

test('the playground: train in a worker, charts, verdict, metrics, forecast, bad CSVs, Stop', async (t) => {
  if (skipWithoutChromium(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'unroll-playground-'));
  const { buildPlayground } = (await import(pathToFileURL(join(ROOT, 'scripts', 'build-web.mjs')).href)) as {
    buildPlayground(o: { outFile: string }): Promise<{ outFile: string; workerInputs: string[]; pageInputs: string[] }>;
  };
  const built = await buildPlayground({ outFile: join(dir, 'playground.html') });
  const html = readFileSync(built.outFile, 'utf8');
  // Self-contained: no external scripts or styles; the only address in it is a licence comment's.
  assert.deepEqual(html.match(/<script[^>]+src=|<link[^>]+href=|<iframe|<img/gi), null);
  assert.deepEqual([...new Set(html.match(/https?:\/\/[\w./-]+/g))], ['https://github.com/mholt/PapaParse']);
  const url = pathToFileURL(built.outFile).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  let context: BrowserContext | null = null;
  const open = async (address = url): Promise<{ page: Page; w: Watch }> => {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(address);
    await waitState(page, ['ready', 'error'], 15000);
    return { page, w };
  };
  try {
    await t.test('trains on the bundled S&P 500 and shows the loss, the verdict, the metrics and the forecast', async () => {
      const { page, w } = await open();
      // The bundled data, counted independently from the file.
      const csv = readFileSync(SP500, 'utf8').trim().split(/\r?\n/);
      const header = csv[0].split(',');
      let v = await viewOf(page);
      assert.equal(v.state, 'ready');
      assert.equal(v.dataset?.rows, csv.length - 1);
      assert.deepEqual(v.dataset?.columns, header.slice(1));
      assert.equal(await page.locator('#target').inputValue(), 'close');

      const testRows = 100;
      await setSettings(page, { epochs: '2', hidden: '8', lookback: '10', 'test-rows': String(testRows), cell: 'gru' });
      await page.click('#train');
      await waitState(page, ['done', 'error', 'stopped']);
      v = await viewOf(page);
      assert.equal(v.error, null, v.error ?? '');
      assert.equal(v.state, 'done');
      assert.deepEqual(v.epochs, [1, 2], 'one progress message per epoch');
      assert.equal(v.result?.epochsRun, 2);
      assert.equal(v.result?.backend, 'wasm');

      // Loss chart: both curves with a point per epoch.
      assert.ok(v.charts.loss.draws > 0);
      assert.deepEqual(v.charts.loss.series.map((s) => s.points), [2, 2]);
      // Forecast chart: history before the test span + the test span, every method on the test span, 5 days ahead.
      const f = v.charts.forecast;
      assert.ok(f.draws > 0);
      const points = Object.fromEntries(f.series.map((s) => [s.label, s.points]));
      assert.equal(points['actual close'], 60 + testRows);
      for (const m of ['GRU (8 units)', 'naive (persistence)', 'drift']) assert.equal(points[m], testRows, `series ${m}`);
      assert.equal(points['90% interval, lower'], 5);
      assert.equal(points['forecast'], 6, 'the forecast line starts at the last actual value');
      assert.ok(await painted(page, '#chart-forecast canvas') > 1000);
      assert.ok(await painted(page, '#chart-loss canvas') > 100);

      // The naive row: MAE of "tomorrow = today" over the last 100 closes, computed here from the file.
      const close = csv.slice(1).map((line) => Number(line.split(',')[header.indexOf('close')]));
      let mae = 0;
      for (let i = close.length - testRows; i < close.length; i++) mae += Math.abs(close[i] - close[i - 1]);
      mae /= testRows;
      const naive = v.result!.metrics.find((m) => m.role === 'naive')!;
      assert.ok(Math.abs(naive.mae - mae) < 1e-9 * mae, `naive MAE ${naive.mae} vs ${mae}`);
      // Business days: seasonal naive at period 5 and the classical benchmarks (through the methods contract) join the baselines.
      assert.equal(v.dataset?.frequency, 'business-daily');
      const names = v.result!.metrics.map((m) => m.name);
      assert.deepEqual(names.slice(1, 3), ['naive (persistence)', 'seasonal naive']);
      for (const b of ['Naive2', 'SES', 'Theta', 'ETS', 'ARIMA', 'drift', 'movingAverage(5)']) assert.ok(names.includes(b), `${b} in ${names.join(', ')}`);
      assert.deepEqual(v.result!.metrics.map((m) => m.role), ['model', 'naive', ...names.slice(2).map(() => 'baseline')]);
      assert.equal(await page.locator('#result-title').innerText(), 'Test span: one-business-day-ahead forecasts (seasonal period 5)');
      assert.match(await page.locator('#future-title').innerText(), /^Forecast of close for the next 5 business days, with a 90% prediction interval$/);
      assert.equal(await page.locator('#lookback-label').innerText(), 'Lookback (business days)');
      assert.match(await page.locator('#data-credit').innerText(), /S&P 500 daily prices/);

      // What the user reads: the verdict sentence, the tables.
      const verdict = await page.locator('#verdict').innerText();
      assert.equal(verdict, v.result!.verdict);
      assert.match(verdict, /naive \(persistence\) forecast/);
      assert.equal(await page.locator('#metrics tr').count(), 1 + v.result!.metrics.length);
      const future = v.result!.future;
      assert.equal(future.dates.length, 5);
      assert.ok(future.dates.every((d) => d > '2020-04-17'), future.dates.join(','));
      future.value.forEach((x, i) => assert.ok(future.lower[i] <= x && x <= future.upper[i], `day ${i + 1}: ${future.lower[i]} ≤ ${x} ≤ ${future.upper[i]}`));
      assert.equal(await page.locator('#future tr').count(), 6);
      assert.equal(await page.locator('#train').isEnabled(), true);

      assert.deepEqual(w.consoleErrors, []);
      assertOffline(w.requests, url);
      const shot = join(dir, 'playground.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(existsSync(shot));
      if (process.env.UNROLL_KEEP_SCREENSHOT) writeFileSync(process.env.UNROLL_KEEP_SCREENSHOT, readFileSync(shot));
    });

    await t.test("a bad CSV shows the library's message; a good one of the user's trains", async () => {
      const { page, w } = await open();
      const bad = 'date,price\n2021-01-04,10\n2021-01-05,11\n2021-01-06,twelve\n2021-01-07,13\n';
      let expected = '';
      try { parseCsvFrame(bad, { source: 'prices.csv' }); } catch (e) { assert.ok(e instanceof UnrollError); expected = e.message; }
      assert.match(expected, /prices\.csv/);
      await page.setInputFiles('#csv-file', { name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await page.waitForFunction(() => !(document.getElementById('data-error') as HTMLElement).hidden, undefined, { timeout: 15000 });
      const shown = await page.locator('#data-error').innerText();
      // The library's message, with the page's control named instead of the API option.
      assert.ok(shown.startsWith(expected.replace('with the "columns" option', 'in the "Columns" box (e.g. close)')), `shown: ${shown}`);
      assert.doesNotMatch(shown, /option/);
      assert.match(shown, /Still using sp500_daily_ohlcv_2000_2020\.csv/);
      let v = await viewOf(page);
      assert.equal(v.state, 'ready');
      assert.equal(v.dataset?.rows, 5105);

      // The user's own file: a 300-day series with one column.
      const good = probeCsv(unroll, 300).replace('date,close', 'date,price');
      await page.setInputFiles('#csv-file', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
      await page.waitForFunction(() => (window as unknown as { __playground: PlaygroundView }).__playground.dataset?.source === 'mine.csv', undefined, { timeout: 15000 });
      v = await viewOf(page);
      assert.deepEqual(v.dataset, { source: 'mine.csv', rows: 300, columns: ['price'], frequency: v.dataset?.frequency });
      assert.match(await page.locator('#data-credit').innerText(), /^Data: mine\.csv, read in this page/);
      assert.equal(await page.locator('#data-error').isHidden(), true);
      assert.deepEqual(await page.locator('#target option').allInnerTexts(), ['price']);
      // Settings the data cannot support are refused with a message naming the field.
      await setSettings(page, { epochs: '1', hidden: '4', lookback: '10', 'test-rows': '295', backend: 'reference', input: 'level', cell: 'elman' });
      await page.click('#train');
      await waitState(page, ['done', 'error']);
      assert.match(await page.locator('#train-error').innerText(), /Lower "Test rows" \(to at most \d+\) or "Lookback"/);
      await setSettings(page, { 'test-rows': '50' });
      await page.click('#train');
      await waitState(page, ['done', 'error']);
      v = await viewOf(page);
      assert.equal(v.error, null, v.error ?? '');
      assert.equal(v.result?.backend, 'reference');
      assert.equal(await page.locator('#train-error').isHidden(), true);
      assert.ok(v.charts.forecast.series.some((s) => s.label === 'Elman RNN (4 units)' && s.points === 50));
      assert.deepEqual(w.consoleErrors, []);
      assertOffline(w.requests, url);
    });

    await t.test('Stop on a page from file:// ends the worker', async () => {
      const { page, w } = await open();
      assert.equal((await viewOf(page)).stopMode, 'terminate');
      await setSettings(page, { epochs: '500', patience: '0', hidden: '8', lookback: '10' });
      await page.click('#train');
      await page.waitForFunction(() => (window as unknown as { __playground: PlaygroundView }).__playground.epochs.length >= 1, undefined, { timeout: 30000 });
      await page.click('#stop');
      const v = await viewOf(page);
      assert.equal(v.state, 'stopped');
      assert.equal(v.result, null);
      assert.match(await page.locator('#status').innerText(), /Stopped after \d+ epochs?/);
      assert.equal(await page.locator('#train').isEnabled(), true);
      assert.deepEqual(w.consoleErrors, []);
    });

    await t.test("Stop on a cross-origin-isolated page aborts fit's signal and evaluates the model so far", async () => {
      const server = await serve(html);
      try {
        const address = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
        const { page, w } = await open(address);
        assert.equal((await viewOf(page)).stopMode, 'signal');
        await setSettings(page, { epochs: '500', patience: '0', hidden: '8', lookback: '10' });
        await page.click('#train');
        await page.waitForFunction(() => (window as unknown as { __playground: PlaygroundView }).__playground.epochs.length >= 1, undefined, { timeout: 30000 });
        await page.click('#stop');
        await waitState(page, ['stopped', 'error', 'done']);
        const v = await viewOf(page);
        assert.equal(v.error, null, v.error ?? '');
        assert.equal(v.state, 'stopped');
        assert.equal(v.result?.stopped, true);
        assert.ok(v.result!.epochsRun >= 1 && v.result!.epochsRun < 500, `epochs run: ${v.result!.epochsRun}`);
        assert.equal(await page.locator('#verdict').innerText(), v.result!.verdict);
        assert.deepEqual(w.consoleErrors, []);
        assertOffline(w.requests, address);
      } finally {
        server.close();
      }
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Serves one page with the headers that make it cross-origin isolated (SharedArrayBuffer available). */
function serve(html: string): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(req.url === '/' ? html : '');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
