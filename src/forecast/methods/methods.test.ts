// Each method against values computed outside the project: R's own functions and the forecast package
// (naive, snaive, ses, holt, holt(damped = TRUE), decompose, acf, qnorm) and an R transcription of the M4
// benchmark code (seasonality test, Naive2, Theta, Comb). fixtures/make-fixtures.R made the JSON; its
// provenance (R and package versions) is inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { naive, seasonalNaive, naive2, ses, holt, damped, theta, comb, fitSes, fitSmoothing, autocorrelations, seasonalityTest, multiplicativeDecomposition, normalQuantile, methodByName, methodNames, M4_BENCHMARKS } from './index.js';
import type { FittedMethod, ForecastMethod } from './types.js';
import { throwsWith } from '../../data/test-helpers.js';

interface Bands { mean: number[]; lower80: number[]; upper80: number[]; lower95: number[]; upper95: number[] }
interface EtsCase extends Bands { par: Record<string, number>; mse: number; sigma2: number }
interface Case {
  name: string; y: number[]; period: number; h: number; acf: number[];
  seasonality: { seasonal: boolean; acf: number | null; limit: number | null };
  decompose_figure?: number[];
  naive: Bands; snaive: Bands; ses: EtsCase; holt: EtsCase; damped: EtsCase;
  m4: { seasonal: boolean; naive2: number[]; ses: number[]; holt: number[]; damped: number[]; theta: number[]; comb: number[] };
}
const fixtures = JSON.parse(readFileSync(new URL('../../../src/forecast/methods/fixtures/r-fixtures.json', import.meta.url), 'utf8')) as {
  provenance: Record<string, string>; qnorm: { p: number[]; q: number[] }; cases: Case[];
};

/** |a − e| ≤ tol · max(1, |e|) elementwise, with a message naming the case. */
function near(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${i}]: ${a} != R's ${e} (rel. tol ${tol})`);
  }
}

function checkBands(what: string, fitted: FittedMethod, c: Case, r: Bands, tol: number): void {
  const f = fitted.forecast(c.h, { levels: [0.8, 0.95] });
  near(`${what} mean`, f.mean, r.mean, tol);
  assert.deepEqual(f.intervals.map((b) => b.level), [0.8, 0.95]);
  near(`${what} lower 80`, f.intervals[0]!.lower, r.lower80, tol);
  near(`${what} upper 80`, f.intervals[0]!.upper, r.upper80, tol);
  near(`${what} lower 95`, f.intervals[1]!.lower, r.lower95, tol);
  near(`${what} upper 95`, f.intervals[1]!.upper, r.upper95, tol);
}

test('fixtures say where they came from', () => {
  assert.match(fixtures.provenance.forecast!, /^\d+\.\d+/);
  assert.match(fixtures.provenance.R!, /^R version/);
  assert.ok(fixtures.cases.length >= 8);
});

test('normal quantile equals R qnorm', () => {
  near('qnorm', fixtures.qnorm.p.map(normalQuantile), fixtures.qnorm.q, 1e-12);
});

for (const c of fixtures.cases) {
  const opts = { period: c.period };
  test(`${c.name}: ACF, seasonality test and decomposition equal R's`, () => {
    near('acf', autocorrelations(c.y, c.acf.length), c.acf, 1e-12);
    if (c.period > 1) {
      const t = seasonalityTest(c.y, c.period);
      assert.equal(t.seasonal, c.seasonality.seasonal);
      if (c.seasonality.acf !== null) near('test', [t.acf, t.limit], [c.seasonality.acf, c.seasonality.limit!], 1e-12);
      else assert.ok(Number.isNaN(t.acf));
      assert.equal(t.seasonal, c.m4.seasonal);
    } else {
      assert.equal(seasonalityTest(c.y, 1).seasonal, false); // M4 tests only m > 1
    }
    if (c.decompose_figure) near('decompose figure', multiplicativeDecomposition(c.y, c.period).indices, c.decompose_figure, 1e-12);
  });

  test(`${c.name}: naive and seasonal naive with intervals equal forecast::naive/snaive`, () => {
    checkBands('naive', naive.fit(c.y, opts), c, c.naive, 1e-10);
    checkBands('snaive', seasonalNaive.fit(c.y, opts), c, c.snaive, 1e-10);
  });

  test(`${c.name}: SES, Holt and damped Holt equal forecast::ses/holt (parameters, forecasts, intervals)`, () => {
    for (const [kind, r] of [['none', c.ses], ['additive', c.holt], ['damped', c.damped]] as const) {
      const fit = fitSmoothing(Float64Array.from(c.y), kind);
      const got: Record<string, number> = { alpha: fit.alpha, l: fit.l0 };
      if (kind !== 'none') Object.assign(got, { beta: fit.beta, b: fit.b0 });
      if (kind === 'damped') got.phi = fit.phi;
      const names = Object.keys(r.par).sort();
      assert.deepEqual(Object.keys(got).sort(), names);
      near(`${kind} parameters ${names}`, names.map((k) => got[k]!), names.map((k) => r.par[k]!), 1e-6);
      near(`${kind} mse`, [fit.mse], [r.mse], 1e-8);
      near(`${kind} sigma2`, [fit.sigma2], [r.sigma2], 1e-8);
      const wrapped: FittedMethod = kind === 'none' ? fitSes(c.y) : {
        name: kind, forecast: (h, o) => (kind === 'additive' ? holt : damped).fit(c.y, { period: 1 }).forecast(h, o),
      };
      checkBands(kind, wrapped, c, r, 1e-6);
    }
  });

  test(`${c.name}: M4's Naive2, SES, Holt, damped, Theta and Comb equal the M4 code in R`, () => {
    const methods: [ForecastMethod, number[]][] = [[naive2, c.m4.naive2], [ses, c.m4.ses], [holt, c.m4.holt], [damped, c.m4.damped], [theta, c.m4.theta], [comb, c.m4.comb]];
    for (const [m, expected] of methods) near(`${m.name}`, m.fit(c.y, opts).forecast(c.h).mean, expected, 1e-6);
  });
}

test('registry: M4 benchmarks by name, unknown names rejected', () => {
  assert.deepEqual(M4_BENCHMARKS.map((m) => m.name), ['naive', 'snaive', 'naive2', 'ses', 'holt', 'damped', 'theta', 'comb']);
  for (const n of methodNames()) assert.equal(methodByName(n).name, n);
  throwsWith(() => methodByName('prophet'), 'method "prophet" is unknown', 'naive2');
});

test('methods reject bad input and explain missing intervals', () => {
  for (const m of M4_BENCHMARKS) {
    throwsWith(() => m.fit([1, NaN, 3], { period: 1 }), `${m.name}: value [1] of the series is NaN`);
    throwsWith(() => m.fit([], { period: 1 }), `${m.name}: the series has 0 values`);
    throwsWith(() => m.fit([1, 2, 3], { period: 0 }), 'option "period" is 0');
    const f = m.fit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { period: 1 });
    throwsWith(() => f.forecast(0), 'horizon h is 0');
    throwsWith(() => f.forecast(2.5), 'horizon h is 2.5');
    throwsWith(() => f.forecast(1e12), 'horizon h is');
    throwsWith(() => f.forecast(2, { levels: [1.5] }), 'interval level 1.5');
    const got = f.forecast(3, { levels: [0.9] });
    assert.equal(got.mean.length, 3);
    if (got.intervals.length === 0) assert.ok((got.notes ?? []).some((n) => n.includes('no prediction intervals')), `${m.name} gives no interval and no note`);
  }
  const one = naive.fit([5], { period: 1 }).forecast(2, { levels: [0.9] });
  assert.deepEqual([...one.mean], [5, 5]);
  assert.equal(one.intervals.length, 0);
  assert.match(one.notes![0]!, /no in-sample residual/);
});

test('seasonal adjustment: not for negative data, and said so', () => {
  const y = Array.from({ length: 48 }, (_, t) => Math.sin((2 * Math.PI * t) / 12) * 10 + (t % 12 === 0 ? 3 : 0));
  assert.equal(seasonalityTest(y, 12).seasonal, true);
  const f = naive2.fit(y, { period: 12 }).forecast(3);
  assert.match(f.notes![0]!, /not seasonally adjusted: value \[\d+\] is -/);
  assert.deepEqual([...f.mean], [y[47], y[47], y[47]]);
});

test('degenerate series give finite forecasts and bounds, never NaN', () => {
  const cases: Record<string, number[]> = {
    constant: Array(40).fill(5),
    'one value': [3],
    'two values': [3, 4],
    zeros: Array(40).fill(0),
    'a season of zeros': Array.from({ length: 48 }, (_, t) => (t % 12 < 3 ? 0 : 10 + (t % 12))),
    negative: Array.from({ length: 48 }, (_, t) => -5 + Math.sin(t)),
    huge: Array.from({ length: 50 }, (_, t) => 1e12 + t * 1e9),
  };
  for (const [name, y] of Object.entries(cases)) {
    for (const m of M4_BENCHMARKS) {
      const f = m.fit(y, { period: 12 }).forecast(4, { levels: [0.9] });
      for (const v of f.mean) assert.ok(Number.isFinite(v), `${m.name} on ${name}: forecast ${v}`);
      for (const b of f.intervals) for (const v of [...b.lower, ...b.upper]) assert.ok(Number.isFinite(v), `${m.name} on ${name}: bound ${v}`);
    }
  }
  // The season of zeros is seasonal by the test, but its indices of 0 cannot divide: no adjustment, said so.
  const notes = naive2.fit(cases['a season of zeros']!, { period: 12 }).forecast(1).notes!;
  assert.match(notes[0]!, /not seasonally adjusted: seasonal index 1 of 12 is 0/);
});
