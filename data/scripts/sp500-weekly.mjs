// Makes data/sp500_weekly_2015_2020.csv from the bundled daily file: for every week (Monday to
// Friday) from 2015 on, the close of the week's last trading day, labelled with that week's Friday
// (so the dates are exactly 7 days apart even when Friday was a holiday). Weeks are complete only:
// the last, partial week of the daily file (it ends on Friday 2020-04-17) is complete.
// Run: node data/scripts/sp500-weekly.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const src = new URL('../sp500_daily_ohlcv_2000_2020.csv', import.meta.url);
const [header, ...lines] = readFileSync(src, 'utf8').trim().split('\n');
const cols = header.split(',');
const di = cols.indexOf('date');
const ci = cols.indexOf('close');
const byFriday = new Map();
for (const line of lines) {
  const cells = line.split(',');
  const date = cells[di];
  if (date < '2015-01-01') continue;
  const t = Date.parse(date + 'T00:00:00Z');
  const wd = new Date(t).getUTCDay(); // 1 = Monday … 5 = Friday
  const friday = new Date(t + (5 - wd) * 86400000).toISOString().slice(0, 10);
  byFriday.set(friday, cells[ci]); // rows are in date order, so the last one of the week wins
}
const out = ['date,close', ...[...byFriday].map(([d, c]) => `${d},${c}`)];
writeFileSync(new URL('../sp500_weekly_2015_2020.csv', import.meta.url), out.join('\n') + '\n');
console.log(`wrote ${out.length - 1} weeks, ${[...byFriday.keys()][0]} … ${[...byFriday.keys()].pop()}`);
