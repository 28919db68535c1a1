// M4's Comb (the mean of SES, Holt and damped Holt on the seasonally adjusted series, methods/comb.ts) at every
// cut cached by fit.ts (the cut, and the cut minus h, 2h and 3h), written beside each `-stat.json` as
// `-comb.json` for pool.ts --comb. fit.ts's caches predate Comb's check on the panels; this adds it without
// retraining anything. A cut Comb cannot fit (or forecasts a non-finite value) gets the naive forecast, as fit.ts does for ETS and
// ARIMA.
//
//   npx tsx bench/panels/comb-cache.ts
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { comb } from '../../src/forecast/methods/comb.js';

// The caches of pool.ts's sources (fit.ts's COMBINE_CACHE for each).
const caches = ['/tmp/combine-cache', '/tmp/heldout-cache', '/tmp/heldout2-cache', '/tmp/heldout3-cache', '/tmp/heldout4-cache'];
const f = (y: number[], h: number, m: number): number[] => {
  try {
    const out = Array.from(comb.fit(Float64Array.from(y), { period: m }).forecast(h).mean);
    if (out.length === h && out.every(Number.isFinite)) return out;
  } catch { /* the naive below */ }
  return Array(h).fill(y[y.length - 1]);
};
for (const c of caches) {
  if (!existsSync(c)) { console.log('missing', c); continue; }
  for (const file of readdirSync(c).filter((x) => x.endsWith('-stat.json'))) {
    const s = JSON.parse(readFileSync(`${c}/${file}`, 'utf8'));
    const { h, m, cut } = s;
    // As fit.ts: the forecast from the cut minus j·h values (at least one).
    const at = (j: number): { comb: number[] }[] => cut.map((y: number[]) => ({ comb: f(y.slice(0, Math.max(1, y.length - j * h)), h, m) }));
    writeFileSync(`${c}/${file.replace('-stat.json', '-comb.json')}`, JSON.stringify({ test_f: at(0), val_f: at(1), val2_f: at(2), val3_f: at(3) }));
    console.log(c, file);
  }
}
