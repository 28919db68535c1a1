/**
 * Quantile-regression intervals of the RNN forecaster (intervalMethod 'quantile'), the alternative to
 * the split-conformal ones (intervals.ts, calibration.ts); measured against them in bench/intervals/
 * (docs/forecasting.md).
 *
 * The network gets Q = 1 + 2·|levels| blocks of outputs, trained with the pinball loss
 * (train/losses.ts) at
 *
 *   τ = 0.5 (block 0: the point forecast, the median),  then for each level L: (1 − L)/2 and (1 + L)/2
 *
 * with levels = QUANTILE_LEVELS ∪ {intervalLevel}. For one step from origin e, with q̂_τ the output of
 * block τ after inverse target scaling, the step's offsets from its point forecast are, on the
 * forecaster's error scale, from p̂_τ, the step's forecast in price units from block τ (the same
 * price conversion and seasonal factor as the point forecast p̂_0.5, rollout.ts),
 *
 *   relative:  o_τ = p̂_τ / p̂_0.5 − 1        absolute:  o_τ = p̂_τ − p̂_0.5
 *
 * the low one capped at 0 and the
 * high one floored at 0 (an interval always holds its point forecast; crossed quantiles are swapped),
 * and each level's interval widened to hold the lower levels' (nested levels).
 * A multi-step forecast (recursive: each step's quantiles from the history with the earlier point
 * forecasts fed back; direct: block τ's h-th output) composes the steps as independent shocks:
 *
 *   low_h = −√(Σ_{k ≤ h} low_k²),   high_h = √(Σ_{k ≤ h} high_k²)
 *
 * an approximation (exact for independent Gaussian log-returns); no test data calibrates anything.
 */
import type { ErrorScale, IntervalBound } from '../intervals.js';
import type { ResolvedOptions } from './options.js';

/** Levels whose bounds the network learns besides the forecaster's intervalLevel. */
export const QUANTILE_LEVELS: readonly number[] = [0.8, 0.9, 0.95];

/**
 * 'conformal': split-conformal on the model's errors (intervals.ts); 'quantile': the network's quantile
 * bounds as they are; 'cqr': those bounds conformalized on the calibration span (cqr.ts).
 */
export type IntervalMethod = 'conformal' | 'quantile' | 'cqr';
export const INTERVAL_METHODS: readonly IntervalMethod[] = ['conformal', 'quantile', 'cqr'];

/** Whether the network learns quantile bounds (intervalMethod 'quantile' or 'cqr'; not a direction classifier). */
export function learnsQuantiles(o: Pick<ResolvedOptions, 'intervalMethod' | 'predict'>): boolean {
  return (o.intervalMethod === 'quantile' || o.intervalMethod === 'cqr') && o.predict !== 'direction';
}

/** The levels a quantile forecaster learns: QUANTILE_LEVELS and its interval level, ascending. */
export function quantileLevels(intervalLevel: number): number[] {
  return [...new Set([...QUANTILE_LEVELS, intervalLevel])].sort((a, b) => a - b);
}

/** τ of each output block: 0.5, then (1 − L)/2, (1 + L)/2 for each level L. */
export function quantileTaus(intervalLevel: number): number[] {
  return [0.5, ...quantileLevels(intervalLevel).flatMap((L) => [(1 - L) / 2, (1 + L) / 2])];
}

/** Output blocks of the network: Q for intervalMethod 'quantile' or 'cqr', else 1. */
export function outputBlocks(o: Pick<ResolvedOptions, 'intervalMethod' | 'intervalLevel' | 'predict'>): number {
  return learnsQuantiles(o) ? quantileTaus(o.intervalLevel).length : 1;
}

/**
 * One step's offsets per level ([levels][low, high]) on the error scale, from the step's forecast in
 * price units of every output block (prices[0] the point forecast).
 */
export function stepOffsets(prices: ArrayLike<number>, levels: readonly number[], scale: ErrorScale): [number, number][] {
  const point = prices[0]!;
  const off = (v: number): number => (scale === 'relative' ? v / point - 1 : v - point);
  const out: [number, number][] = [];
  levels.forEach((_, li) => {
    const a = off(prices[1 + 2 * li]!);
    const b = off(prices[2 + 2 * li]!);
    // Levels ascend: a higher level's interval holds the lower ones' (quantiles that cross are uncrossed).
    const prev = out[li - 1] ?? [0, 0];
    out.push([Math.min(a, b, prev[0]), Math.max(a, b, prev[1])]);
  });
  return out;
}

/** Offsets per step composed as independent shocks: out[h][level] = [low_h, high_h]. */
export function composeSteps(perStep: readonly [number, number][][]): [number, number][][] {
  const out: [number, number][][] = [];
  let acc: [number, number][] | null = null;
  for (const step of perStep) {
    const next: [number, number][] = step.map(([lo, hi], li) => [acc ? acc[li]![0] + lo * lo : lo * lo, acc ? acc[li]![1] + hi * hi : hi * hi]);
    acc = next;
    out.push(next.map(([l, h]) => [-Math.sqrt(l), Math.sqrt(h)]));
  }
  return out;
}

/** The interval around `value` from offsets on the error scale. */
export function boundFromOffsets(value: number, low: number, high: number, scale: ErrorScale): IntervalBound {
  const lower = scale === 'relative' ? value * (1 + low) : value + low;
  const upper = scale === 'relative' ? value * (1 + high) : value + high;
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) return { lower: null, upper: null, note: 'no interval: the quantile outputs are not finite here' };
  return { lower: Math.min(lower, upper), upper: Math.max(lower, upper) };
}
