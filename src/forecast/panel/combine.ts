/**
 * A safeguard chosen on the training data: the network's forecast combined with a statistical
 * companion (M4's classic Theta), with one weight for the whole panel picked on the validation
 * windows (each series' last h training values, forecast from the values before them):
 *
 *   ŷ_k = w · ŷ^net_k + (1 − w) · ŷ^theta_k,    w ∈ {0, ¼, ½, ¾, 1}
 *   w = argmin_w  mean over series i and steps k of 2 |y_{i,k} − ŷ_{i,k}| / (|y_{i,k}| + |ŷ_{i,k}|)
 *
 * On a large panel the network usually wins outright (w = 1); on a handful of series, where a global
 * network has little to learn from, the weight moves toward Theta instead of letting the network
 * overfit. The members are stopped early on the same windows, so the choice leans toward the network.
 */
import { theta } from '../methods/theta.js';

export const COMBINATION_WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;

/** Theta's h-step forecast of `y` (the last value repeated when Theta cannot fit it). */
export function companionForecast(y: ArrayLike<number>, h: number, period: number): Float64Array {
  try {
    const f = theta.fit(y, { period }).forecast(h).mean;
    if (f.length === h && f.every((v) => Number.isFinite(v))) return Float64Array.from(f);
  } catch {
    // Too short or degenerate for Theta: the naive forecast stands in.
  }
  return new Float64Array(h).fill(y[y.length - 1]!);
}

/** The weight of the network in the combination that scores best on the validation windows. */
export function chooseWeight(net: readonly ArrayLike<number>[], companion: readonly ArrayLike<number>[], actual: readonly ArrayLike<number>[]): { weight: number; scores: number[] } {
  const scores = COMBINATION_WEIGHTS.map((w) => {
    let sum = 0;
    let count = 0;
    net.forEach((f, i) => {
      const a = actual[i]!;
      for (let k = 0; k < f.length; k++) {
        const yhat = w * f[k]! + (1 - w) * companion[i]![k]!;
        const den = Math.abs(a[k]!) + Math.abs(yhat);
        sum += den > 0 ? (2 * Math.abs(a[k]! - yhat)) / den : 0;
        count++;
      }
    });
    return count ? sum / count : Infinity;
  });
  let best = COMBINATION_WEIGHTS.length - 1;
  scores.forEach((s, j) => { if (s < scores[best]!) best = j; });
  return { weight: COMBINATION_WEIGHTS[best]!, scores };
}
