// Writes the sample report (a seeded random walk; see src/report/fixture.ts) and/or screenshots a report
// in headless Debian chromium, to look at it as a person would. Needs `npm run build` first.
// Usage:
//   node scripts/report-fixture.mjs sample.html                 write the sample report
//   node scripts/report-fixture.mjs --screenshot report.html out.png
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
if (args[0] === '--screenshot' && args.length === 3) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (m) => { if (m.type() === 'error') console.error(`console error: ${m.text()}`); });
    await page.goto(pathToFileURL(resolve(args[1])).href);
    await page.waitForFunction(() => Array.isArray(window.__unrollCharts) && window.__unrollCharts.every((c) => c.draws > 0 || c.error));
    await page.screenshot({ path: args[2], fullPage: true });
    console.log(`screenshot written to ${args[2]}`);
  } finally {
    await browser.close();
  }
} else if (args.length === 1 && !args[0].startsWith('-')) {
  const { sampleReportData } = await import('../dist/report/fixture.js');
  const { renderReport } = await import('../dist/report/html.js');
  writeFileSync(args[0], renderReport(sampleReportData()));
  console.log(`sample report written to ${args[0]}`);
} else {
  console.error('usage: node scripts/report-fixture.mjs OUT.html | --screenshot REPORT.html OUT.png');
  process.exit(2);
}
