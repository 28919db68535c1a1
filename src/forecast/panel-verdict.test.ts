/** The panel verdict: the sign test by hand and against R, the best benchmark, and the verdict's sentences and tone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MethodScore, PanelBenchmarkResult } from './panel-benchmark.js';
import { bestBenchmark, panelVerdict, signTest } from './panel-verdict.js';

test('signTest: exact two-sided binomial p-values', () => {
  // 9 wins, 1 loss: 2 · (C(10,0) + C(10,1)) / 2^10 = 22/1024.
  const near = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  near(signTest(9, 1), 22 / 1024);
  near(signTest(1, 9), 22 / 1024);
  // 10 of 10: 2 / 1024.
  near(signTest(10, 0), 2 / 1024);
  // Balanced: capped at 1.
  assert.equal(signTest(5, 5), 1);
  assert.equal(signTest(0, 0), 1);
  // 60 of 100, computed with R: binom.test(60, 100)$p.value = 0.05688793.
  assert.ok(Math.abs(signTest(60, 40) - 0.05688793) < 1e-7, String(signTest(60, 40)));
});

function method(name: string, owa: number | null, mases: (number | null)[], extra: Partial<MethodScore> = {}): MethodScore {
  return {
    name, smape: 10, mase: 1, owa, intervals: [], fitMs: 0, forecastMs: 0,
    series: mases.map((m, i) => ({ id: `s${i + 1}`, smape: 10, mase: m, intervals: [] })), ...extra,
  };
}
const panel = (methods: MethodScore[]): PanelBenchmarkResult => ({ ids: methods[0]!.series.map((s) => s.id), horizon: 4, period: 1, levels: [0.95], methods, withoutScale: [] });

test('panelVerdict: the best benchmark by OWA, the sign test over the series, the tone and the interval', () => {
  // The model's MASE is lower on 9 of 10 series than the best benchmark's (theta, OWA 0.9; naive2 1.0): p = 22/1024.
  const model = method('panel-rnn', 0.8, [1, 1, 1, 1, 1, 1, 1, 1, 1, 3], { intervals: [{ level: 0.95, coverage: 0.941, msis: 5.5, series: 10 }] });
  const theta = method('theta', 0.9, new Array(10).fill(2));
  const naive2 = method('naive2', 1, new Array(10).fill(4));
  const r = panel([model, theta, naive2]);
  assert.equal(bestBenchmark(r)!.name, 'theta');
  const v = panelVerdict(r);
  assert.deepEqual({ tone: v.tone, best: v.best, wins: v.wins, losses: v.losses }, { tone: 'win', best: 'theta', wins: 9, losses: 1 });
  assert.ok(Math.abs(v.p - 22 / 1024) < 1e-12);
  assert.deepEqual(v.lines, [
    'panel-rnn beats the best benchmark, theta: OWA 0.800 against 0.900.',
    'Series by series, its MASE is lower on 9 and higher on 1 of 10 series (two-sided sign test p = 0.021).',
    'Its 95% interval covered 94.1% of the test values (MSIS 5.500).',
  ]);
  // Better on average but on 2 of 3 series: a tie; worse on every one of 10: a loss.
  const few = panelVerdict(panel([method('m', 0.8, [1, 1, 3]), method('b', 0.9, [2, 2, 2])]));
  assert.equal(few.tone, 'tie');
  assert.match(few.lines[1]!, /lower on 2 and higher on 1 of 3 series \(two-sided sign test p = 1\.000: not significant at 5%\)/);
  assert.equal(few.lines[2], 'It gave no 95% interval.');
  assert.equal(panelVerdict(panel([method('m', 1.2, new Array(10).fill(3)), method('b', 0.9, new Array(10).fill(2))])).tone, 'loss');
  // No OWA (no MASE anywhere): by sMAPE, and no series-by-series test; no benchmark at all: said so.
  const noScale = panelVerdict(panel([method('m', null, [null, null], { smape: 8 }), method('b', null, [null, null], { smape: 9 })]));
  assert.equal(noScale.lines[0], 'm beats the best benchmark, b: sMAPE 8.000 against 9.000.');
  assert.equal(noScale.lines[1], 'No series has a MASE for both, so no series-by-series test was made.');
  assert.equal(panelVerdict(panel([method('m', 1, [1])])).best, null);
  // A panel model whose companion forecast alone says so where its name would suggest a network.
  const standIn = { standIn: "the ets-arima companion alone; the network's weight is 0, chosen on validation" };
  assert.equal(panelVerdict(panel([method('panel-rnn', 1.1, [2, 2], standIn), method('ets', 0.9, [1, 1])])).lines[0],
    "panel-rnn (here the ets-arima companion alone; the network's weight is 0, chosen on validation) does not beat the best benchmark, ets: OWA 1.100 against 0.900.");
  assert.equal(panelVerdict(panel([method('panel-rnn', 1, [1], standIn)])).lines[0],
    "panel-rnn (here the ets-arima companion alone; the network's weight is 0, chosen on validation): sMAPE 10.000, MASE 1.000; no benchmark was run to compare it with.");
});

test('panelVerdict names the series left out for want of a MASE scale (up to five, then a count)', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const r: PanelBenchmarkResult = {
    ...panel([method('m', 0.8, [1, 1, 1, 1, 1, 1, 1, 1]), method('b', 0.9, [2, 2, 2, 2, 2, 2, 2, 2])]),
    ids, period: 12, withoutScale: ['c', 'd', 'e', 'f', 'g', 'h'],
  };
  assert.equal(panelVerdict(r).lines[2], '6 of 8 series have no MASE scale (training values constant at lag 12, or too short) and are left out of MASE, MSIS and the series-by-series test: c, d, e, f, g, and 1 more.');
  assert.equal(panelVerdict({ ...r, withoutScale: ['c'] }).lines[2], '1 of 8 series has no MASE scale (training values constant at lag 12, or too short) and is left out of MASE, MSIS and the series-by-series test: c.');
});
