import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATLAND_COMPANIES, statlandInvestment } from './statland-invest.js';

test('the histories obey StatLand\'s rules wherever a rule applies', () => {
  const rule = (y: number, t: number): number | undefined => ({ '0,0': 0, '0,0.5': 1, '1,0.5': 0, '1,1': 1 } as Record<string, number>)[`${y},${t}`];
  for (const c of STATLAND_COMPANIES) {
    const p = [...c.prices, c.statlandNext];
    for (let t = 2; t < p.length; t++) {
      const r = rule(p[t - 2], p[t - 1]);
      if (r !== undefined) assert.equal(p[t], r, `${c.name}, day ${t + 1}`);
    }
  }
  assert.equal(STATLAND_COMPANIES[0].prices.length, 9);
  assert.equal(STATLAND_COMPANIES[1].prices.length, 5);
});

test('the seeds\' network picks blue; the unrolled arithmetic is worked by hand', () => {
  const r = statlandInvestment();
  // blue: h = ReLU(1.8 x − 0.5 h): 0.9, 1.35, 0.225, 0, 0.9, 1.35, 0.225, 0, 0.9 → 1.1 · 0.9 = 0.99
  // green: 0.9, 0, 0.9, 1.35, ReLU(0.9 − 0.675) = 0.225 → 1.1 · 0.225 = 0.2475
  const [blue, green] = r.companies;
  assert.ok(Math.abs(blue.predicted - 0.99) < 1e-12);
  assert.ok(Math.abs(green.predicted - 0.2475) < 1e-12);
  assert.equal(r.pick, 'blue');
  assert.equal(blue.arithmetic.length, 10); // 9 unrolled steps and the output
  assert.equal(green.arithmetic.length, 6);
  assert.ok(Math.abs(r.batched[0] - blue.predicted) < 1e-12 && Math.abs(r.batched[1] - green.predicted) < 1e-12);
  assert.match(r.why, /all the StatBucks go to blue/);
});
