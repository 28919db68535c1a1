import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dieboldMarianoTest, judge, neweyWestLag } from './verdict.js';
import { studentTQuantile, studentTTwoSided } from './student-t.js';

interface Fixture {
  provenance: string;
  cases: { name: string; h: number; power: number; lag: number; actual: number[]; a: number[]; b: number[]; raw: number; statistic: number; p: number; dmTestStatistic?: number; dmTestP?: number }[];
  studentT: { df: number; t: number; twoSided: number; q975: number }[];
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../test/fixtures/verdict/dm.json', import.meta.url)), 'utf8')) as Fixture;

const close = (a: number, b: number, rel: number, what: string): void => {
  assert.ok(Math.abs(a - b) <= rel * Math.max(1e-300, Math.abs(b)), `${what}: ${a} vs R ${b}`);
};

test('Student t tail probabilities and critical values equal R (pt, qt)', () => {
  assert.ok(fixture.studentT.length >= 40);
  for (const r of fixture.studentT) {
    close(studentTTwoSided(r.t, r.df), r.twoSided, 1e-9, `P(|T| ≥ ${r.t}), df ${r.df}`);
    close(studentTQuantile(0.975, r.df), r.q975, 1e-9, `t_0.975, df ${r.df}`);
  }
});

test('Diebold–Mariano (Newey–West HAC, HLN, Student t) equals the formula written out in R, and forecast::dm.test where its variance is the same', () => {
  assert.match(fixture.provenance, /R version .* forecast \d/);
  let withDmTest = 0;
  for (const c of fixture.cases) {
    const r = dieboldMarianoTest(c.actual, c.a, c.b, { horizon: c.h, loss: c.power === 2 ? 'squared' : 'absolute', lag: c.lag });
    close(r.raw, c.raw, 1e-9, `${c.name}: DM`);
    close(r.statistic, c.statistic, 1e-9, `${c.name}: DM*`);
    close(r.pValue, c.p, 1e-7, `${c.name}: p`);
    if (c.lag === neweyWestLag(c.actual.length, c.h)) {
      // The default lag is the one R was given.
      const d = dieboldMarianoTest(c.actual, c.a, c.b, { horizon: c.h, loss: c.power === 2 ? 'squared' : 'absolute' });
      assert.equal(d.lag, c.lag);
    }
    if (c.dmTestStatistic !== undefined) {
      withDmTest++;
      close(r.statistic, c.dmTestStatistic, 1e-9, `${c.name}: forecast::dm.test statistic`);
      close(r.pValue, c.dmTestP!, 1e-7, `${c.name}: forecast::dm.test p`);
    }
  }
  assert.ok(withDmTest >= 2, 'at least two cases are checked against forecast::dm.test');
});

test('Diebold–Mariano: identical forecasts, a uniformly better one, bad input', () => {
  const y = [1, 2, 3, 4, 5, 6];
  assert.deepEqual([dieboldMarianoTest(y, y, y).statistic, dieboldMarianoTest(y, y, y).pValue], [0, 1]);
  const off = y.map((v) => v + 1);
  const r = dieboldMarianoTest(y, y, off);
  assert.equal(r.statistic, -Infinity);
  assert.equal(r.pValue, 0);
  assert.throws(() => dieboldMarianoTest([1, 2], [1, 2], [1, 2]), /at least 3/);
  assert.throws(() => dieboldMarianoTest(y, y, [1, 2]), /equal lengths/);
  assert.throws(() => dieboldMarianoTest(y, y, [1, 2, NaN, 4, 5, 6]), /step 3 is NaN/);
});

// ---- the verdict on constructed cases --------------------------------------------------------------

/** A deterministic noise stream (not the code under test). */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
}

/** A seasonal (period 4) series with a random-walk level: naive is poor, seasonal naive good. */
function seasonalSeries(n: number, seed: number): { y: number[]; previous: number[]; naive: number[]; snaive: number[] } {
  const u = noise(seed);
  const season = [10, -5, 3, -8];
  const y: number[] = [];
  let level = 100;
  for (let t = 0; t < n + 4; t++) { level += u() * 0.5; y.push(level + season[t % 4] + u()); }
  const span = y.slice(4);
  return { y: span, previous: y.slice(3, n + 3), naive: y.slice(3, n + 3), snaive: y.slice(0, n) };
}

test('verdict: a significant win over the best benchmark is green and names it', () => {
  const s = seasonalSeries(120, 1);
  const u = noise(7);
  const model = s.y.map((v) => v + u() * 0.8); // errors well below seasonal naive's
  const v = judge({ actual: s.y, model: { name: 'the LSTM', predicted: model }, benchmarks: [{ name: 'naive', predicted: s.naive }, { name: 'seasonal naive', predicted: s.snaive }], scale: 2, previous: s.previous });
  assert.equal(v.tone, 'win');
  assert.equal(v.best.name, 'seasonal naive');
  assert.ok(v.best.test!.pValue < 0.05 && v.best.test!.statistic < 0);
  assert.match(v.headline, /^the LSTM beats the best benchmark, seasonal naive, significantly: MASE \S+ vs \S+ \(\d+% lower error; Diebold–Mariano -\d+\.\d\d, p [<=] 0\.\d+\)\.$/);
  assert.match(v.lines[1], /^Against naive: .* better, significantly/);
  assert.equal(v.learning, null);
});

test('verdict: a tie (no significant difference) is neutral even when the model is slightly better', () => {
  const s = seasonalSeries(60, 2);
  const u = noise(3);
  // The model is seasonal naive plus small noise: the same accuracy up to chance.
  const model = s.snaive.map((v) => v + u() * 0.3);
  const v = judge({ actual: s.y, model: { name: 'the GRU', predicted: model }, benchmarks: [{ name: 'naive', predicted: s.naive }, { name: 'seasonal naive', predicted: s.snaive }], scale: 2, previous: s.previous });
  assert.equal(v.tone, 'tie');
  assert.ok(v.best.test!.pValue >= 0.05, `p = ${v.best.test!.pValue}`);
  assert.match(v.headline, /^the GRU cannot be told apart from the best benchmark, seasonal naive: MASE \S+ vs \S+ \(Diebold–Mariano .*, not significant at 5%\)\.$/);
});

test('verdict: a loss to seasonal naive is red, even when the model significantly beats naive (the UK gas trap)', () => {
  const s = seasonalSeries(100, 4);
  // A model that follows the season halfway: far better than naive, far worse than seasonal naive.
  const model = s.y.map((v, i) => (v + s.naive[i]) / 2);
  const v = judge({ actual: s.y, model: { name: 'the LSTM', predicted: model }, benchmarks: [{ name: 'naive', predicted: s.naive }, { name: 'drift', predicted: s.naive.map((x) => x + 0.01) }, { name: 'seasonal naive', predicted: s.snaive }], scale: 2, previous: s.previous });
  assert.equal(v.tone, 'loss');
  assert.equal(v.best.name, 'seasonal naive');
  assert.equal(v.naive!.tone, 'win', 'it does beat naive, significantly');
  assert.match(v.headline, /^Seasonal naive is best here \(MASE \S+\); the LSTM is \d+\.\d× worse \(MASE \S+; Diebold–Mariano \d+\.\d\d, p [<=] 0\.\d+\)\.$/);
  assert.ok(v.best.ratio > 1.5);
});

test('verdict: a flat model (copies yesterday, validation loss never improved) gets its own line', () => {
  const u = noise(9);
  const y: number[] = [100];
  for (let t = 1; t < 81; t++) y.push(y[t - 1] + u());
  const actual = y.slice(1), naive = y.slice(0, 80);
  const model = naive.map((v) => v + u() * 0.01);
  const epochs = [{ loss: 1, valLoss: 0.5 }, { loss: 0.9, valLoss: 0.52 }, { loss: 0.8, valLoss: 0.6 }];
  const v = judge({ actual, model: { name: 'the LSTM', predicted: model }, benchmarks: [{ name: 'naive', predicted: naive }], previous: naive, epochs });
  assert.equal(v.bestEpoch, 1);
  assert.equal(v.neverImproved, true);
  assert.ok(v.moveRatio! < 0.1);
  assert.equal(v.lines[v.lines.length - 1], v.learning);
  assert.match(v.learning!, /^The model did not learn much: its validation loss never improved after the first epoch \(of 3\), so it kept its first epoch's weights; its average predicted move is \d\.\d% of the average actual move: a flat, copy-yesterday model\.$/);
  // Naive is the best benchmark here: only one comparison line. MAE without a scale.
  assert.match(v.headline, /MAE/);
  assert.equal(v.lines.length, 2);
  // A model that learns: no such line.
  const learned = judge({ actual, model: { name: 'm', predicted: actual.map((a, i) => (a + naive[i]) / 2) }, benchmarks: [{ name: 'naive', predicted: naive }], previous: naive, epochs: [{ loss: 1, valLoss: 1 }, { loss: 0.5, valLoss: 0.4 }] });
  assert.equal(learned.learning, null);
  assert.equal(learned.bestEpoch, 2);
});

test('verdict: too few steps for a test is a tie that says so', () => {
  const v = judge({ actual: [1, 2], model: { name: 'm', predicted: [1.1, 2.1] }, benchmarks: [{ name: 'naive', predicted: [0, 1] }] });
  assert.equal(v.tone, 'tie');
  assert.match(v.headline, /too few steps \(2\) for a significance test/);
});
