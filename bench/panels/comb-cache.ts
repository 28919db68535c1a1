// throwaway (not committed): comb and holt forecasts for every cached cut, beside the stat caches
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { comb } from '../../src/forecast/methods/comb.js';
import { holt } from '../../src/forecast/methods/holt.js';
const caches = ['/tmp/combine-cache', '/tmp/heldout-cache', '/tmp/heldout2-cache', '/tmp/heldout3-cache', '/tmp/heldout4-cache'];
const f = (mth: typeof comb, y: number[], h: number, m: number): number[] => { try { return Array.from(mth.fit(Float64Array.from(y), { period: m }).forecast(h).mean); } catch { return Array(h).fill(y[y.length - 1]); } };
for (const c of caches) {
  if (!existsSync(c)) { console.log('missing', c); continue; }
  for (const file of readdirSync(c).filter((x) => x.endsWith('-stat.json'))) {
    const s = JSON.parse(readFileSync(`${c}/${file}`, 'utf8'));
    const { h, m, cut } = s;
    const at = (j: number) => cut.map((y: number[]) => { const e = Math.max(1, y.length - j * h); const x = y.slice(0, e); return { comb: f(comb, x, h, m), holt: f(holt, x, h, m) }; });
    writeFileSync(`${c}/${file.replace('-stat.json', '-comb.json')}`, JSON.stringify({ test_f: at(0), val_f: at(1), val2_f: at(2), val3_f: at(3) }));
    console.log(c, file);
  }
}
