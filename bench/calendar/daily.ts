// The panel forecaster's calendar inputs (src/forecast/panel/calendar.ts) measured on the only real dated
// data in the repository: the daily files in data/ (issue 10, "calendar inputs … where the dates are known").
// M4's files carry no dates, so this is the one place the option can be measured on real data.
//
//   nice -n 5 npx tsx bench/calendar/daily.ts [--variants none,auto,dayOfWeek+dayOfYear] [--members 3] [--companion none]
//                                             [--origins 1,2,3] [--seed 1] [--out /tmp/calendar-daily.json]
//
// The panel (development data; nothing here is a held-out test): four business-daily series cut into
// non-overlapping blocks of 500 values, so that the blocks start on different weekdays and days of the year:
//   data/sp500_daily_ohlcv_2000_2020.csv   close and volume (trading days; holidays are missing days)
//   data/gold_silver_daily_1978_2012.csv   gold and silver (every weekday; holidays repeat the day before)
// h = 14 (M4's daily horizon), m = 5 (business days). Rolling origins o = 1, 2, 3: every block is cut after
// n − o·h values, the model is trained on the panel of cuts (with each cut's dates), and forecasts the next h.
// Scores: M4's sMAPE, and MASE scaled by the cut's in-sample naive error at lag m; the mean over blocks and
// origins, and the paired per-forecast MASE difference of each variant against 'none' (mean, its standard
// error, and a two-sided sign test).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PanelForecaster } from '../../src/forecast/panel/model.js';
import type { CalendarOption } from '../../src/forecast/panel/calendar.js';
import { createWasmBackendSync } from '../../src/kernels/fast.js';

const { values: args } = parseArgs({ options: {
  variants: { type: 'string', default: 'none,auto,dayOfWeek+dayOfYear' }, members: { type: 'string', default: '3' },
  companion: { type: 'string', default: 'none' }, origins: { type: 'string', default: '1,2,3' }, out: { type: 'string', default: '/tmp/calendar-daily.json' },
  block: { type: 'string', default: '500' }, seed: { type: 'string', default: '1' },
} });

const H = 14;
const M = 5;

function readColumns(path: string): Record<string, string[]> {
  const lines = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const cols: Record<string, string[]> = {};
  for (const h of head) cols[h] = [];
  for (const line of lines.slice(1)) line.split(',').forEach((v, j) => cols[head[j]!]!.push(v));
  return cols;
}

/** Non-overlapping blocks of `size` values (the last block ends at the series' end; a shorter start is dropped). */
function blocks(name: string, dates: string[], values: number[], size: number): { id: string; dates: string[]; values: number[] }[] {
  const out: { id: string; dates: string[]; values: number[] }[] = [];
  for (let end = values.length; end - size >= 0; end -= size) {
    out.unshift({ id: `${name}@${dates[end - size]}`, dates: dates.slice(end - size, end), values: values.slice(end - size, end) });
  }
  return out;
}

function panel(size: number): { id: string; dates: string[]; values: number[] }[] {
  const sp = readColumns('data/sp500_daily_ohlcv_2000_2020.csv');
  const gs = readColumns('data/gold_silver_daily_1978_2012.csv');
  const num = (v: string[]): number[] => v.map(Number);
  return [
    ...blocks('sp500.close', sp.date!, num(sp.close!), size),
    ...blocks('sp500.volume', sp.date!, num(sp.volume!), size),
    ...blocks('gold', gs.date!, num(gs.gold!), size),
    ...blocks('silver', gs.date!, num(gs.silver!), size),
  ];
}

function smape(f: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < y.length; k++) s += (200 * Math.abs(y[k]! - f[k]!)) / (Math.abs(y[k]!) + Math.abs(f[k]!));
  return s / y.length;
}

function mase(f: ArrayLike<number>, y: ArrayLike<number>, train: ArrayLike<number>, m: number): number {
  let scale = 0;
  for (let t = m; t < train.length; t++) scale += Math.abs(train[t]! - train[t - m]!);
  scale /= train.length - m;
  let s = 0;
  for (let k = 0; k < y.length; k++) s += Math.abs(y[k]! - f[k]!);
  return s / y.length / scale;
}

/** Two-sided sign test p-value of `wins` out of `n` (binomial, p = 1/2). */
function signTest(wins: number, n: number): number {
  const lg = (k: number): number => { let s = 0; for (let i = 2; i <= k; i++) s += Math.log(i); return s; };
  const pk = (k: number): number => Math.exp(lg(n) - lg(k) - lg(n - k) - n * Math.LN2);
  const lo = Math.min(wins, n - wins);
  let p = 0;
  for (let k = 0; k <= lo; k++) p += pk(k);
  return Math.min(1, 2 * p);
}

function main(): void {
  const backend = createWasmBackendSync({ notice: () => {} });
  const data = panel(Number(args.block));
  const origins = args.origins!.split(',').map(Number);
  const variants = args.variants!.split(',');
  const option = (v: string): CalendarOption => (v === 'none' || v === 'auto' ? v : (v.split('+') as CalendarOption & string[]));
  console.log(`seed ${args.seed}: ${data.length} blocks of ${args.block} business days; h ${H}, m ${M}; members ${args.members}, companion ${args.companion}; origins ${origins.join(',')}`);
  const results: Record<string, { smape: number[]; mase: number[]; seconds: number; chosen: string[] }> = {};
  for (const v of variants) {
    const r = { smape: [] as number[], mase: [] as number[], seconds: 0, chosen: [] as string[] };
    for (const o of origins) {
      const cut = data.map((s) => s.values.slice(0, s.values.length - o * H));
      const cutDates = data.map((s) => s.dates.slice(0, s.values.length - o * H));
      const test = data.map((s) => s.values.slice(s.values.length - o * H, s.values.length - o * H + H));
      const t0 = performance.now();
      const model = new PanelForecaster({ horizon: H, period: M, members: Number(args.members), companion: args.companion as never, calendar: option(v), seed: Number(args.seed) }, backend);
      model.fit(cut, { dates: cutDates, frequency: 'business-daily' });
      const f = model.forecast(cut, { dates: cutDates });
      r.seconds += (performance.now() - t0) / 1000;
      r.chosen.push(`${JSON.stringify(model.settings.calendar)}${model.calendarNote ? ` (${model.calendarNote})` : ''}, weight ${model.weight}`);
      f.forEach((x, i) => {
        r.smape.push(smape(x.mean, test[i]!));
        r.mase.push(mase(x.mean, test[i]!, cut[i]!, M));
      });
      console.log(`  ${v} origin ${o}: ${r.chosen[r.chosen.length - 1]}, ${(r.seconds).toFixed(0)} s so far`);
    }
    results[v] = r;
  }
  const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
  const base = results.none;
  console.log('\n| calendar | features used | sMAPE | MASE | ΔMASE vs none (± s.e.) | better / worse than none | sign test p | fit time |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const v of variants) {
    const r = results[v]!;
    let cmp = '—', wl = '—', p = '—';
    if (base && v !== 'none') {
      const d = r.mase.map((x, i) => x - base.mase[i]!);
      const md = mean(d);
      const se = Math.sqrt(d.reduce((a, x) => a + (x - md) ** 2, 0) / (d.length - 1) / d.length);
      const better = d.filter((x) => x < 0).length;
      const worse = d.filter((x) => x > 0).length;
      cmp = `${md >= 0 ? '+' : ''}${md.toFixed(4)} ± ${se.toFixed(4)}`;
      wl = `${better} / ${worse}`;
      p = signTest(better, better + worse).toFixed(3);
    }
    console.log(`| ${v} | ${[...new Set(r.chosen.map((c) => c.slice(0, c.lastIndexOf(', weight'))))].join('; ')} | ${mean(r.smape).toFixed(3)} | ${mean(r.mase).toFixed(4)} | ${cmp} | ${wl} | ${p} | ${r.seconds.toFixed(0)} s |`);
  }
  // The same by source (the blocks of one file's column), each variant against 'none'.
  if (base) {
    const sources = [...new Set(data.map((s) => s.id.split('@')[0]!))];
    console.log('\n| source | forecasts | ' + variants.map((v) => `${v}: MASE`).join(' | ') + ' | ' + variants.filter((v) => v !== 'none').map((v) => `Δ ${v} (better / worse)`).join(' | ') + ' |');
    console.log('|---|---:|' + variants.map(() => '---:').join('|') + '|' + variants.filter((v) => v !== 'none').map(() => '---:').join('|') + '|');
    for (const src of sources) {
      const at: number[] = [];
      for (let o = 0; o < origins.length; o++) data.forEach((s, i) => { if (s.id.startsWith(`${src}@`)) at.push(o * data.length + i); });
      const cells = variants.map((v) => mean(at.map((j) => results[v]!.mase[j]!)).toFixed(4));
      const deltas = variants.filter((v) => v !== 'none').map((v) => {
        const d = at.map((j) => results[v]!.mase[j]! - base.mase[j]!);
        const md = mean(d);
        const se = Math.sqrt(d.reduce((a, x) => a + (x - md) ** 2, 0) / (d.length - 1) / d.length);
        return `${md >= 0 ? '+' : ''}${md.toFixed(4)} ± ${se.toFixed(4)} (${d.filter((x) => x < 0).length} / ${d.filter((x) => x > 0).length})`;
      });
      console.log(`| ${src} | ${at.length} | ${cells.join(' | ')} | ${deltas.join(' | ')} |`);
    }
  }
  writeFileSync(args.out!, JSON.stringify({ args, blocks: data.map((s) => s.id), results }, null, 1));
}

main();
