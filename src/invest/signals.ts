/**
 * The cheap signals the model's policy is measured against, on the same decision dates.
 *
 *   momentum    score_i(t) = r_i(t−1), the company's last period return (known at the close of t):
 *               "what went up yesterday goes up tomorrow", the naive forecast of direction
 *   coin flips  score_i(t) ~ Uniform(0, 1), read as P(up): a seeded random ranking, and a random
 *               invest-or-cash call with P(invest) = 1 − threshold
 *
 * Decision t of a signal is the close of date `start + t` of the panel; period returns are
 * r_i(t) = p_i(t+1)/p_i(t) − 1 (see panel.ts).
 */
import { Rng } from '../util/rng.js';
import type { Signal } from './policies.js';

/** Momentum scores for decisions at dates start … start+n−1, given panel period returns. */
export function momentumSignal(returns: Float64Array[], start: number, n: number): Signal {
  const scores = returns.map((r) => {
    const s = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const d = start + t;
      s[t] = d >= 1 ? r[d - 1] : NaN;
    }
    return s;
  });
  return { name: 'momentum (last return)', kind: 'return', scores };
}

/**
 * Coin-flip scores for the same decisions. `available[i][t]` says whether company i can be traded at
 * decision t (coin flips never pick a company without a price).
 */
export function coinSignal(available: boolean[][], n: number, seed: number): Signal {
  const rng = new Rng(seed);
  const scores = available.map(() => new Float64Array(n));
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < available.length; i++) scores[i][t] = available[i][t] ? rng.next() : NaN;
  }
  return { name: 'coin flips', kind: 'probability', scores };
}
