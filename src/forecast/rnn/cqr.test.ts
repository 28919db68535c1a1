import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../../data/frame.js';
import { coverage, forecastError } from '../intervals.js';
import { Forecaster } from '../forecaster.js';
import { applyCqr, cqrCorrection, cqrScore, minScoresFor } from './cqr.js';
import { gaussian } from '../../test-support/random.js';

test('CQR scores and order statistics: ⌈(k + 1) L⌉-th score per step, pooled over steps when a step has too few, none when even those are too few', () => {
  // Outside below by 1 on a width of 4: 0.25; inside, 1 from the nearer bound: −0.25.
  assert.equal(cqrScore(-2, 2, -3), 0.25);
  assert.equal(cqrScore(-2, 2, 1), -0.25);
  assert.equal(cqrScore(0, 0, 1), null);
  assert.deepEqual([0.8, 0.9, 0.95].map(minScoresFor), [4, 9, 19]);
  // Step 1: 9 scores 0.1 … 0.9 → the 9th (⌈10 · 0.9⌉); step 2: 8 scores, too few at 90% → pooled 17 scores, the ⌈18 · 0.9⌉ = 17th.
  const step1 = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  const step2 = [1, 2, 3, 4, 5, 6, 7, 8];
  const c = cqrCorrection([step1, step2], 0.9);
  assert.deepEqual(c.q, [0.9, 8]);
  assert.deepEqual(c.pooled, [false, true]);
  // At 80%: step 1 the ⌈8⌉ = 8th (0.8), step 2 the ⌈7.2⌉ = 8th (8).
  assert.deepEqual(cqrCorrection([step1, step2], 0.8).q, [0.8, 8]);
  // Asked to correct a step alone only from 100 scores: both steps take the pooled 17th.
  assert.deepEqual(cqrCorrection([step1, step2], 0.9, 100).q, [8, 8]);
  assert.deepEqual([cqrCorrection([step1, step2], 0.9, 100).minScores, cqrCorrection([step1, step2], 0.9, 100).ownScores], [9, 100]);
  // 3 scores in all at 90%: no correction.
  assert.deepEqual(cqrCorrection([[0.1, 0.2], [0.3]], 0.9).q, [null, null]);
});

test('CQR corrections: widened or narrowed by Q widths, the point always inside, never narrower than the step before or a lower level; too few errors give a note, never NaN', () => {
  const pct = ['80%', '90%'];
  const q80 = { q: [0.25, -0.75], pooled: [false, false], counts: [10, 10], minScores: 4, ownScores: 4 };
  const q90 = { q: [0, null], pooled: [false, false], counts: [10, 1], minScores: 9, ownScores: 9 };
  // Step 1: 80% [−1, 1] widened by 0.25 · 2 → [−1.5, 1.5]; 90% [−2, 2] unchanged.
  // Step 2: 80% [−1, 1] narrowed by 0.75 · 2 → [0, 0] by itself, but held to step 1's [−1.5, 1.5];
  //         90% has no correction: its own bounds [−3, 3] and a note.
  const { offsets, notes } = applyCqr([[[-1, 1], [-2, 2]], [[-1, 1], [-3, 3]]], [q80, q90], pct);
  assert.deepEqual(offsets, [[[-1.5, 1.5], [-2, 2]], [[-1.5, 1.5], [-3, 3]]]);
  assert.equal(notes[0]![0], undefined);
  assert.match(notes[1]![1]!, /90% interval at step 2 is the network's quantile bounds, not conformalized: 1 calibration errors at step 2 \(11 over all steps\), at least 9 needed over all steps/);
  // A strongly negative Q cannot push the bounds past the point forecast; a higher level holds the lower one.
  const narrow = applyCqr([[[-1, 2], [-1.2, 2.2]]], [{ q: [-5], pooled: [false], counts: [30], minScores: 4, ownScores: 4 }, { q: [-0.1], pooled: [false], counts: [30], minScores: 9, ownScores: 9 }], pct);
  assert.deepEqual(narrow.offsets[0]![0], [0, 0]);
  assert.ok(Math.abs(narrow.offsets[0]![1]![0] - -0.86) < 1e-12 && Math.abs(narrow.offsets[0]![1]![1] - 1.86) < 1e-12);
  // Past the calibrated steps: the last step's correction, said in a note.
  const past = applyCqr([[[-1, 1]], [[-1, 1]], [[-2, 2]]], [{ q: [0.5, 0.5], pooled: [false, true], counts: [10, 3], minScores: 4, ownScores: 4 }], ['80%']);
  assert.deepEqual(past.offsets.map((r) => r[0]), [[-2, 2], [-2, 2], [-4, 4]]);
  assert.match(past.notes[1]![0]!, /step 2 has 3 calibration errors of its own \(fewer than 4\): its 80% interval's correction pools the scores of every step/);
  assert.match(past.notes[2]![0]!, /step 3 is past the last calibrated step \(2\): its 80% interval takes the step-2 correction/);
});

test('CQR coverage on a long synthetic series with known noise: quantile bounds half as wide as they should be are corrected to within ±3 points of nominal at every horizon step', () => {
  // AR(1), y_t = 0.7 y_{t−1} + ε_t, ε ~ N(0, 1): the h-step forecast is 0.7^h y_e with error sd
  // σ_h = √(Σ_{j<h} 0.49^j). A "network" whose quantile bounds are the right shape but half the true
  // width (±0.5 z σ_h) covers far less than promised; CQR on the first half must fix it on the second.
  const n = 24000, H = 12, phi = 0.7;
  const z = gaussian(7);
  const y = new Float64Array(n);
  for (let t = 1; t < n; t++) y[t] = phi * y[t - 1] + z();
  const sd = (h: number): number => Math.sqrt((1 - Math.pow(phi, 2 * h)) / (1 - phi * phi));
  const levels = [0.8, 0.9, 0.95];
  const zq = [1.2816, 1.6449, 1.96];
  const rawByStep = Array.from({ length: H + 1 }, (_, h) => zq.map((q): [number, number] => [-0.5 * q * sd(h), 0.5 * q * sd(h)]));
  const raw = (h: number): [number, number][] => rawByStep[h]!;
  const scores: number[][][] = levels.map(() => Array.from({ length: H }, () => []));
  for (let e = 0; e < n / 2 - H; e++) {
    for (let h = 1; h <= H; h++) {
      const r = forecastError(y[e + h]!, Math.pow(phi, h) * y[e]!, 'absolute');
      raw(h).forEach(([lo, hi], li) => scores[li]![h - 1]!.push(cqrScore(lo, hi, r)!));
    }
  }
  const corrections = levels.map((L, li) => cqrCorrection(scores[li]!.map((s) => s.sort((a, b) => a - b)), L));
  const { offsets } = applyCqr(Array.from({ length: H }, (_, h) => raw(h + 1)), corrections, ['80%', '90%', '95%']);
  levels.forEach((L, li) => {
    let prevWidth = 0;
    for (let h = 1; h <= H; h++) {
      const [lo, hi] = offsets[h - 1]![li]!;
      const actual: number[] = [], lower: number[] = [], upper: number[] = [], rawLower: number[] = [], rawUpper: number[] = [];
      for (let e = n / 2; e < n - H; e++) {
        const v = Math.pow(phi, h) * y[e]!;
        actual.push(y[e + h]!); lower.push(v + lo); upper.push(v + hi);
        rawLower.push(v + raw(h)[li]![0]); rawUpper.push(v + raw(h)[li]![1]);
      }
      const c = coverage(actual, lower, upper, L);
      assert.ok(Math.abs(c.empirical! - L) <= 0.03, `level ${L}, step ${h}: coverage ${c.empirical}`);
      // The uncorrected bounds were far short (a test that could not fail otherwise).
      assert.ok(coverage(actual, rawLower, rawUpper, L).empirical! < L - 0.2);
      assert.ok(hi - lo >= prevWidth && lo <= 0 && hi >= 0);
      prevWidth = hi - lo;
    }
  });
});

test("intervalMethod 'cqr': scores from the held-out rows, bounds hold the point and widen, a saved forecaster reproduces them; calibrationRefit keeps them and trains on every row", () => {
  let s = 5;
  const rand = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const y = new Float64Array(220);
  y[0] = 100;
  for (let t = 1; t < y.length; t++) y[t] = y[t - 1]! * Math.exp(0.02 * (rand() - 0.5));
  const frame = frameFromArrays({ close: y }, { source: 'walk' });
  const options = { features: ['logReturn:close'], predict: 'return' as const, scaler: 'standard' as const, lookback: 8, model: { cell: 'gru', hiddenSize: 4 }, training: { epochs: 3, patience: 0, seed: 2 }, seasonal: 'off' as const, intervalMethod: 'cqr' as const, calibrationSplit: 0.1, calibrationRefit: false };
  const f = new Forecaster(options);
  const report = f.fit(frame);
  assert.equal(report.calibrationStart.series, 197);
  assert.equal(f.cqrScores!.length, 3);
  // 219 feature rows (a log-return drops one), 22 held out: origins 196 … 217, step h has 23 − h scores, each level's the same count.
  assert.deepEqual(f.cqrScores![1]!.slice(0, 3).map((r) => r.length), [22, 21, 20]);
  const pts = f.forecastIntervals(frame, 25, [0.8, 0.9, 0.95]).series!;
  let prev: number[] | null = null;
  for (const p of pts) {
    for (const b of p.intervals) assert.ok(b.lower !== null && b.upper !== null && b.lower <= p.value && p.value <= b.upper, JSON.stringify(p));
    const rel = p.intervals.flatMap((b) => [b.lower! / p.value, b.upper! / p.value]);
    if (prev) rel.forEach((v, i) => assert.ok(i % 2 === 0 ? v <= prev![i]! + 1e-12 : v >= prev![i]! - 1e-12));
    prev = rel;
  }
  assert.match(pts[24]!.intervals[1]!.note!, /step 25 is past the last calibrated step \(20\)/);
  const g = Forecaster.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
  assert.deepEqual(g.forecastIntervals(frame, 5, [0.8, 0.9, 0.95]), f.forecastIntervals(frame, 5, [0.8, 0.9, 0.95]));
  // Refit: the same scores (from the first network), a network trained on windows up to the end.
  const r = new Forecaster({ ...options, calibrationRefit: true });
  r.fit(frame);
  assert.deepEqual(r.cqrScores, f.cqrScores);
  assert.notDeepEqual(r.forecast(frame, 1), f.forecast(frame, 1));
  assert.throws(() => new Forecaster({ calibrationRefit: 'yes' as never }), /calibrationRefit.*true or false/);
  // Told which run trains; a stopped fit starts no second run (the first network and its calibration stand).
  const runs: string[] = [];
  const again = new Forecaster({ ...options, calibrationRefit: true });
  again.fit(frame, { onBudget: (_, run) => runs.push(run) });
  assert.deepEqual(runs, ['calibration', 'refit']);
  const stop = new AbortController();
  stop.abort();
  const stopped = new Forecaster({ ...options, calibrationRefit: true });
  const sr = stopped.fit(frame, { signal: stop.signal, onBudget: (_, run) => runs.push(run) });
  assert.deepEqual(runs.slice(2), ['calibration']);
  assert.ok(sr.windows < r.fit(frame).windows && stopped.cqrScores!.length === 3);
});
