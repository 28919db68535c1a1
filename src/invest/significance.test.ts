/**
 * The stationary bootstrap against an analytic case computed outside the project (fixtures/
 * stationary_bootstrap.py: Politis & Romano's closed form for the bootstrap variance of the mean,
 * itself confirmed there by a numpy brute-force bootstrap), and the Sharpe test's size and power.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Rng } from '../util/rng.js';
import { sharpeDifferenceTest, stationaryIndices } from './significance.js';

const fixture = JSON.parse(readFileSync(new URL('../../src/invest/fixtures/stationary-bootstrap.json', import.meta.url), 'utf8')) as {
  x: number[]; cases: { meanBlock: number; variance: number }[];
};

test('stationary bootstrap: variance of √n · mean matches Politis & Romano\'s closed form', () => {
  const x = fixture.x;
  const n = x.length;
  const B = 40000;
  const idx = new Int32Array(n);
  for (const c of fixture.cases) {
    const rng = new Rng(11 + c.meanBlock);
    let s = 0;
    let ss = 0;
    for (let b = 0; b < B; b++) {
      stationaryIndices(n, c.meanBlock, rng, idx);
      let m = 0;
      for (let j = 0; j < n; j++) m += x[idx[j]];
      const v = Math.sqrt(n) * (m / n);
      s += v;
      ss += v * v;
    }
    const variance = ss / B - (s / B) ** 2;
    // Monte Carlo error of a variance from 40 000 draws is about 1–2%; iid resampling would give
    // 2.0 instead of 3.9 for L = 4, so the check separates block from iid resampling.
    assert.ok(Math.abs(variance / c.variance - 1) < 0.05, `L = ${c.meanBlock}: bootstrap variance ${variance} vs closed form ${c.variance}`);
  }
});

test('blocks have geometric lengths with the asked mean', () => {
  const rng = new Rng(3);
  const n = 1000;
  const idx = new Int32Array(200000);
  stationaryIndices(n, 8, rng, idx);
  let breaks = 0;
  for (let j = 1; j < idx.length; j++) if (idx[j] !== (idx[j - 1] + 1) % n) breaks++;
  // a new start lands on the next index by chance 1/n of the time: P(break) = (1/8)(1 − 1/n)
  const expected = (1 / 8) * (1 - 1 / n);
  assert.ok(Math.abs(breaks / (idx.length - 1) - expected) < 0.005, `break rate ${breaks / idx.length}`);
});

test('Sharpe test: equal series give p = 1; a clear edge gives a small p', () => {
  const rng = new Rng(5);
  const a = Array.from({ length: 300 }, () => 0.01 * rng.normal());
  assert.equal(sharpeDifferenceTest(a, a).pValue, 1);
  const better = a.map((v) => v + 0.004);
  const t = sharpeDifferenceTest(better, a, { resamples: 499 });
  assert.ok(t.pValue < 0.01, `p = ${t.pValue}`);
  assert.ok(t.difference > 0);
  const worse = sharpeDifferenceTest(a, better, { resamples: 499 });
  assert.ok(worse.pValue > 0.5);
});

test('Sharpe test on independent noise: rejects at 5% in at most 10% of seeded runs', () => {
  // two unrelated zero-mean series (a timing policy vs holding, both without an edge)
  let rejections = 0;
  const runs = 60;
  for (let s = 0; s < runs; s++) {
    const rng = new Rng(1000 + s);
    const n = 250;
    const hold: number[] = [];
    const timed: number[] = [];
    let prev = 0;
    for (let t = 0; t < n; t++) {
      const r = 0.01 * rng.normal();
      hold.push(r);
      timed.push(prev > 0 ? r : 0); // momentum timing on a random walk
      prev = r;
    }
    if (sharpeDifferenceTest(timed, hold, { resamples: 299, seed: s }).pValue < 0.05) rejections++;
  }
  assert.ok(rejections <= runs * 0.1, `${rejections} of ${runs} runs significant at 5%`);
});

const rFixture = JSON.parse(readFileSync(new URL('../../src/invest/fixtures/sharpe-test-r.json', import.meta.url), 'utf8')) as {
  meanBlock: number; resamples: number; a: number[]; b: number[]; sharpeDifference: number; pValue: number;
  meanVariance: { meanBlock: number[]; variance: number[] };
};

test('Sharpe test: the same p-value as R\'s boot::tsboot (sim = "geom") on the same paired series', () => {
  const t = sharpeDifferenceTest(rFixture.a, rFixture.b, { blockLength: rFixture.meanBlock, resamples: 20000, seed: 4 });
  assert.ok(Math.abs(t.difference - rFixture.sharpeDifference * Math.sqrt(252)) < 1e-9, `difference ${t.difference}`);
  // both p-values carry Monte Carlo error of about 0.002 (20 000 resamples each)
  assert.ok(Math.abs(t.pValue - rFixture.pValue) < 0.01, `p ${t.pValue} vs R ${rFixture.pValue}`);
});

test('R\'s tsboot agrees with the closed form used above (so the analytic check is of the same resampler)', () => {
  rFixture.meanVariance.meanBlock.forEach((L, i) => {
    const closed = fixture.cases.find((c) => c.meanBlock === L)!.variance;
    assert.ok(Math.abs(rFixture.meanVariance.variance[i] / closed - 1) < 0.04, `L = ${L}: R ${rFixture.meanVariance.variance[i]} vs ${closed}`);
  });
});

test('bootstrap settings are checked: too few resamples cannot give p < 0.05, a block longer than the data is refused', () => {
  const a = Array.from({ length: 50 }, (_, i) => Math.sin(i) / 100);
  const b = Array.from({ length: 50 }, (_, i) => Math.cos(i) / 100);
  assert.throws(() => sharpeDifferenceTest(a, b, { resamples: 0 }), /option "resamples" is 0; expected an integer from 19 to 1000000/);
  assert.throws(() => sharpeDifferenceTest(a, b, { resamples: 1e9 }), /option "resamples" is 1000000000/);
  assert.throws(() => sharpeDifferenceTest(a, b, { blockLength: 0 }), /option "block" is 0; expected a mean block length from 1 to the 50 periods/);
  assert.throws(() => sharpeDifferenceTest(a, b.slice(1)), /50 and 49 returns; expected the same periods/);
});
