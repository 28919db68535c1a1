/**
 * Conformalized quantile regression (CQR; Romano, Patterson & Candès 2019, "Conformalized Quantile
 * Regression", NeurIPS) of the RNN forecaster's quantile intervals (intervalMethod 'cqr'): the
 * network's own bounds (quantiles.ts) are corrected per horizon step and level by the errors they made
 * on the calibration span (calibration.ts: the rows held out from training and early stopping with
 * calibrationSplit > 0, else the validation windows early stopping chose the epoch on).
 *
 * From each origin e of the calibration span, step h, level L, with the step's composed offsets
 * [lo, hi] (quantiles.ts, on the forecaster's error scale, lo ≤ 0 ≤ hi) and the actual error
 * r = forecastError(y_{e+h}, ŷ_{e+h}), the score is the signed distance outside the interval in units
 * of its width (the scale-free form, "CQR-r" in Sesia & Candès 2020, so that steps can be pooled):
 *
 *   s = max(lo − r, r − hi) / (hi − lo)          (negative inside the interval, positive outside)
 *
 * Step h at level L with k_h scores s_(1) ≤ … ≤ s_(k) takes the conformal order statistic
 *
 *   Q_h = s_(⌈(k_h + 1) L⌉)          (exists for k_h ≥ L / (1 − L): 9 scores for 90%, 19 for 95%)
 *
 * and a step with fewer takes Q from the scores of every step pooled (they share one scale). When even
 * those are too few, the step keeps the network's bounds with a note saying so. The order statistic
 * promises coverage between L and L + 1/(k + 1), with a spread of about √(L(1 − L)/k) from one
 * calibration span to the next: with the 17 scores of a short series' held-out rows a 90% interval
 * takes the largest score (wide: UK gas on the choosing span, docs/forecasting.md). Pooling every
 * step's scores instead (a step alone only from 100 scores) was measured worse: the network's
 * one-step bounds and its composed later ones miss differently, and the pooled correction narrowed
 * step 1 to 80% coverage for a 90% interval (bench/intervals/, 'cqr-refit-pooled').
 * Steps past the last calibrated one take its Q. The corrected interval is
 *
 *   lo' = min(lo − Q (hi − lo), 0),   hi' = max(hi + Q (hi − lo), 0)
 *
 * (Q < 0 narrows bounds that were too wide; the interval always holds its point forecast), then each
 * step is widened to hold the one before it (an h-step forecast is never more certain than an
 * (h−1)-step one), and each level to hold the lower levels' (nested levels). For a new point
 * exchangeable with the calibration ones, P(s ≤ Q_h) ≥ L, so the corrected interval covers with
 * probability ≥ L; measured per step in bench/intervals/ and docs/forecasting.md.
 */
import { forecastError } from '../intervals.js';
import { CALIBRATED_STEPS, calibrationOrigins, type CalibrationSpan } from './calibration.js';
import { forecastFrom } from './rollout.js';
import { composeSteps, quantileLevels, stepOffsets } from './quantiles.js';
import type { ForecasterState } from './state.js';

/** Sorted scores per learnt level and step: scores[level index][h − 1]. */
export type CqrScores = number[][][];

/** The fewest scores a step needs for its own correction at `level`: ⌈(k + 1) L⌉ ≤ k. */
export function minScoresFor(level: number): number {
  return Math.max(1, Math.ceil(level / (1 - level) - 1e-9));
}

/** The conformal order statistic ⌈(k + 1) L⌉ of sorted scores, or null when there are too few. */
function orderStatistic(sorted: readonly number[], level: number): number | null {
  const k = sorted.length;
  const i = Math.ceil((k + 1) * level - 1e-9);
  return i >= 1 && i <= k ? sorted[i - 1]! : null;
}

/** The score of error r against offsets [lo, hi]: max(lo − r, r − hi) / (hi − lo); null for an empty interval or a non-finite error. */
export function cqrScore(lo: number, hi: number, r: number): number | null {
  const width = hi - lo;
  const s = Math.max(lo - r, r - hi) / width;
  return width > 0 && Number.isFinite(s) ? s : null;
}

/** Whether a forecaster's quantile bounds are conformalized (intervalMethod 'cqr'). */
export function isConformalized(f: ForecasterState): boolean {
  return f.options.intervalMethod === 'cqr' && f.options.predict !== 'direction';
}

/** The CQR scores of the forecaster's learnt levels from the origins of the calibration spans. */
export function cqrScores(f: ForecasterState, spans: CalibrationSpan[], warn: (message: string) => void): CqrScores {
  const H = f.options.strategy === 'direct' ? f.options.horizon : CALIBRATED_STEPS;
  const levels = quantileLevels(f.options.intervalLevel);
  const scores: number[][][] = levels.map(() => Array.from({ length: H }, () => []));
  for (const span of spans) {
    const { p, end } = span;
    const origins = calibrationOrigins(span, spans.length);
    if (origins.length === 0) continue;
    const blocks: Float64Array[][] = origins.map(() => new Array<Float64Array>(H));
    const values = forecastFrom(f, p, origins, H, warn, blocks);
    origins.forEach((e, i) => {
      const composed = composeSteps(blocks[i]!.map((b) => stepOffsets(b, levels, f.errorScale)));
      for (let h = 0; h < H && e + 1 + h < end; h++) {
        const r = forecastError(p.y[e + 1 + h], values[i]![h]!, f.errorScale);
        levels.forEach((_, li) => {
          const s = cqrScore(composed[h]![li]![0], composed[h]![li]![1], r);
          if (s !== null) scores[li]![h]!.push(s);
        });
      }
    });
  }
  return scores.map((byStep) => byStep.map((s) => s.sort((a, b) => a - b)));
}

/** Per step, the correction Q_h (null: too few scores even pooled) and whether it was pooled over steps. */
export interface CqrCorrection {
  q: (number | null)[];
  pooled: boolean[];
  counts: number[];
  /** Scores (pooled over the steps) needed for any correction at this level. */
  minScores: number;
  /** Scores a step needs to be corrected from its own alone. */
  ownScores: number;
}

/** The per-step corrections at one learnt level from its sorted scores per step (a step alone from `ownScores` of them, at least the minimum). */
export function cqrCorrection(byStep: readonly (readonly number[])[], level: number, ownScores = 0): CqrCorrection {
  const all = byStep.flat().sort((a, b) => a - b);
  const pooledQ = orderStatistic(all, level);
  const q: (number | null)[] = [];
  const pooled: boolean[] = [];
  for (const s of byStep) {
    const own = s.length >= ownScores ? orderStatistic(s, level) : null;
    q.push(own ?? pooledQ);
    pooled.push(own === null && pooledQ !== null);
  }
  return { q, pooled, counts: byStep.map((s) => s.length), minScores: minScoresFor(level), ownScores: Math.max(ownScores, minScoresFor(level)) };
}

/**
 * Corrects one origin's composed offsets (composed[h][level] = [lo, hi], levels ascending) with the
 * corrections of each level; returns the corrected offsets and, per step and level, a note when the
 * step kept the network's bounds (too few scores) or pooled the steps' scores.
 */
export function applyCqr(composed: readonly [number, number][][], corrections: readonly CqrCorrection[], pct: readonly string[]): { offsets: [number, number][][]; notes: (string | undefined)[][] } {
  const offsets: [number, number][][] = [];
  const notes: (string | undefined)[][] = [];
  composed.forEach((levels, h) => {
    const row: [number, number][] = [];
    const rowNotes: (string | undefined)[] = [];
    levels.forEach(([lo, hi], li) => {
      const c = corrections[li]!;
      const H = c.q.length;
      const j = Math.min(h, H - 1);
      const Q = H > 0 ? c.q[j] : null;
      let a = lo, b = hi;
      let note: string | undefined;
      if (Q === null || Q === undefined) {
        note = `the ${pct[li]} interval at step ${h + 1} is the network's quantile bounds, not conformalized: ${c.counts[j] ?? 0} calibration errors at step ${j + 1} (${c.counts.reduce((x, y) => x + y, 0)} over all steps), at least ${c.minScores} needed over all steps`;
      } else {
        const w = hi - lo;
        a = Math.min(lo - Q * w, 0);
        b = Math.max(hi + Q * w, 0);
        if (h >= H) note = `step ${h + 1} is past the last calibrated step (${H}): its ${pct[li]} interval takes the step-${H} correction`;
        else if (c.pooled[j]) note = `step ${h + 1} has ${c.counts[j]} calibration errors of its own (fewer than ${c.ownScores}): its ${pct[li]} interval's correction pools the scores of every step`;
      }
      // Never more certain than the step before, nor narrower than a lower level's interval.
      const prevStep = offsets[h - 1]?.[li];
      if (prevStep) { a = Math.min(a, prevStep[0]); b = Math.max(b, prevStep[1]); }
      const lower = row[li - 1];
      if (lower) { a = Math.min(a, lower[0]); b = Math.max(b, lower[1]); }
      row.push([a, b]);
      rowNotes.push(note);
    });
    offsets.push(row);
    notes.push(rowNotes);
  });
  return { offsets, notes };
}
