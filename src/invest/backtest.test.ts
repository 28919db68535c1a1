/** Accounting checked against cases computed by hand (the arithmetic is in the comments). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawdowns, figures, runBacktest, sharpeRatio } from './backtest.js';
import { holdBasket, holdOne } from './yardsticks.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);

test('costs, selling to cash, drawdown and hit rate of one company (by hand)', () => {
  // returns +10%, −5%, +2%; in, in, out; 10 bp per unit traded; no interest on cash.
  // t0: buy 100% → τ 1, cost 0.001; E1 = 0.999 · 1.10 = 1.0989
  // t1: hold → τ 0; E2 = 1.0989 · 0.95 = 1.043955
  // t2: sell 100% → τ 1, cost 0.001 · 1.043955; in cash, E3 = 1.043955 · 0.999 = 1.042911045
  const r = [Float64Array.from([0.1, -0.05, 0.02])];
  const b = runBacktest(r, [[1, 1, 0]], { costBps: 10, cashRate: 0, periodsPerYear: 252 });
  close(b.equity[1], 1.0989);
  close(b.equity[2], 1.043955);
  close(b.equity[3], 1.042911045);
  assert.deepEqual(Array.from(b.turnover), [1, 0, 1]);
  close(b.costs[0], 0.001);
  close(b.costs[2], 0.001043955);
  const f = figures(b, r);
  close(f.costsPaid, 0.002043955);
  close(f.totalReturn, 0.042911045);
  close(f.maxDrawdown, 1 - 1.042911045 / 1.0989);
  close(f.hitRate, 0.5); // invested in t0 (+10%: hit) and t1 (−5%: miss)
  close(f.turnover, (2 * 252) / 3);
  close(f.exposure, 2 / 3);
  close(f.annualisedReturn, Math.pow(1.042911045, 252 / 3) - 1);
});

test('rebalancing back to 50/50 after a move trades only the drift (by hand)', () => {
  // A +20%, B 0% in t0; both 0% in t1; 100 bp.
  // t0: buy 50/50 from cash → τ 1, cost 0.01; R = 0.1; E1 = 0.99 · 1.1 = 1.089
  //     drift: A 0.5 · 1.2 / 1.1 = 6/11, B 0.5 / 1.1 = 5/11
  // t1: back to 50/50 → τ = |1/2 − 6/11| + |1/2 − 5/11| = 1/11; cost = 0.01/11 of E1; E2 = 1.089 · (1 − 0.01/11) = 1.08801
  const r = [Float64Array.from([0.2, 0]), Float64Array.from([0, 0])];
  const b = runBacktest(r, [[0.5, 0.5], [0.5, 0.5]], { costBps: 100 });
  close(b.equity[1], 1.089);
  close(b.turnover[1], 1 / 11);
  close(b.costs[1], 0.00099);
  close(b.equity[2], 1.08801);
});

test('cash earns the cash rate; half in cash earns half of it', () => {
  // 12 months all in cash at 12% a year: exactly 1.12, Sharpe 0 (no excess return, no variation).
  const r = [new Float64Array(12).fill(0.05)];
  const b = runBacktest(r, [new Float64Array(12)], { costBps: 0, cashRate: 0.12, periodsPerYear: 12 });
  close(b.equity[12], 1.12);
  assert.equal(figures(b, r).sharpe, 0);
  assert.ok(Number.isNaN(figures(b, r).hitRate)); // never invested
  // one month, 50% in a company that gains 2%, 50% in cash: R = 0.01 + 0.5 c
  const c = Math.pow(1.12, 1 / 12) - 1;
  const h = runBacktest([Float64Array.from([0.02])], [[0.5]], { costBps: 0, cashRate: 0.12, periodsPerYear: 12 });
  close(h.equity[1], 1 + 0.01 + 0.5 * c);
});

test('a short position loses what the company gains and its proceeds earn cash', () => {
  // w = −1, company +10%, cash 0: R = −0.1 + 2·0 = −0.1, E1 = 0.9. Drift: −1 · 1.1 / 0.9 = −11/9.
  // t1: back to −1 → τ = 2/9; at 50 bp the cost is 0.005 · 2/9 · 0.9 = 0.001; company −10% → R = +0.1
  const r = [Float64Array.from([0.1, -0.1])];
  const b = runBacktest(r, [[-1, -1]], { costBps: 50 });
  close(b.equity[1], 0.9 * (1 - 0.005));
  close(b.turnover[1], 2 / 9);
  close(b.costs[1], 0.005 * (2 / 9) * 0.9 * (1 - 0.005));
  close(b.equity[2], 0.9 * (1 - 0.005) * (1 - 0.005 * 2 / 9) * 1.1);
});

test('drawdown and Sharpe ratio by hand', () => {
  assert.deepEqual(Array.from(drawdowns([1, 1.2, 0.9, 1.3, 1.04])).map((v) => Math.round(v * 1e12) / 1e12), [0, 0, -0.25, 0, -0.2]);
  // mean 0.02; deviations −.01 .01 −.03 .03 → sample variance 0.002/3
  close(sharpeRatio([0.01, 0.03, -0.01, 0.05], 0, 252), (0.02 / Math.sqrt(0.002 / 3)) * Math.sqrt(252));
});

test('buy-and-hold trades once; the basket drifts with prices and is never rebalanced', () => {
  // basket: A +10% twice, B flat: t1 weights A 0.55/1.05, B 0.5/1.05; turnover 1 (buying in), then 0
  const r = [Float64Array.from([0.1, 0.1, 0]), Float64Array.from([0, 0, 0])];
  const w = holdBasket(r, 0);
  close(w[0][1], 0.55 / 1.05);
  close(w[1][1], 0.5 / 1.05);
  const b = runBacktest(r, w, { costBps: 10 });
  close(b.turnover[0], 1);
  close(b.turnover[1], 0, 1e-15);
  close(b.turnover[2], 0, 1e-15);
  // value = 0.999 · (0.5 · 1.21 + 0.5)
  close(b.equity[3], 0.999 * (0.5 * 1.21 + 0.5));
  // a company that lists later is bought when it has a price; cash before
  const late = [Float64Array.from([NaN, 0.1, 0.2])];
  const h = holdOne(late, 0, 0);
  assert.deepEqual(Array.from(h[0]), [0, 1, 1]);
  const hb = runBacktest(late, h, { costBps: 0 });
  close(hb.equity[3], 1.1 * 1.2);
});

test('a weight on a company without a price is an error, not a NaN', () => {
  assert.throws(() => runBacktest([Float64Array.from([NaN])], [[1]]), /no price/);
  assert.throws(() => runBacktest([Float64Array.from([0.1])], [[1]], { costBps: -1 }), /costBps/);
  assert.throws(() => runBacktest([Float64Array.from([0.1])], [[1]], { cashRate: Number.NaN }), /cashRate/);
});
