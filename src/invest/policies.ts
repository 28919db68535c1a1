/**
 * Policies: turn each period's ranking of the companies into target weights.
 *
 * A signal gives every company a score per decision date (NaN: no opinion, e.g. not listed yet or
 * too short a history). Its kind says what the score is: a forecast return (hurdle 0) or a
 * probability that the next move is up (hurdle 0.5).
 *
 *   all-in      w = 1 on the company with the highest score                    (always invested)
 *   top-k       w = 1/k' on each of the k' = min(k, available) highest scores  (always invested)
 *   threshold   invest-or-cash: w = 1 on the best company when its score > threshold, else all cash;
 *               with `short`, w = −1 when its score < the mirror threshold (1 − θ for probabilities, −θ
 *               for returns); long-only by default
 *
 * Ties go to the company listed first, so the same scores always give the same weights.
 */
import { UnrollError } from '../util/errors.js';

export type SignalKind = 'return' | 'probability';

export interface Signal {
  name: string;
  kind: SignalKind;
  /** scores[i][t]: company i's score at decision t; NaN for no opinion. */
  scores: Float64Array[];
}

export type Policy =
  | { kind: 'all-in' }
  | { kind: 'top-k'; k: number }
  | { kind: 'threshold'; threshold?: number; short?: boolean };

export function validatePolicy(p: Policy, companies: number): void {
  if (!p || typeof p !== 'object') throw new UnrollError(`option "policy" is ${String(p)}; expected { kind: 'all-in' | 'top-k' | 'threshold' }`, 'option');
  if (p.kind === 'top-k') {
    if (!Number.isInteger(p.k) || p.k < 1) throw new UnrollError(`option "policy.k" is ${String(p.k)}; expected a whole number of companies ≥ 1`, 'option');
    if (p.k > companies) throw new UnrollError(`option "policy.k" is ${p.k} but there are only ${companies} companies; expected at most ${companies}`, 'option');
  } else if (p.kind === 'threshold') {
    if (p.threshold !== undefined && !Number.isFinite(p.threshold)) throw new UnrollError(`option "policy.threshold" is ${String(p.threshold)}; expected a number (a probability such as 0.55, or a return such as 0.001)`, 'option');
  } else if (p.kind !== 'all-in') {
    throw new UnrollError(`option "policy.kind" is ${JSON.stringify((p as { kind: unknown }).kind)}; expected 'all-in', 'top-k' or 'threshold'`, 'option');
  }
}

/** The hurdle a threshold policy uses when none is given: 0.5 for P(up), 0 for a forecast return. */
export function defaultThreshold(kind: SignalKind): number {
  return kind === 'probability' ? 0.5 : 0;
}

/** Target weights weights[i][t] for every decision t. */
export function applyPolicy(policy: Policy, signal: Signal): Float64Array[] {
  const m = signal.scores.length;
  validatePolicy(policy, m);
  const n = m === 0 ? 0 : signal.scores[0].length;
  const w = signal.scores.map(() => new Float64Array(n));
  const order: number[] = [];
  for (let t = 0; t < n; t++) {
    order.length = 0;
    for (let i = 0; i < m; i++) if (Number.isFinite(signal.scores[i][t])) order.push(i);
    if (order.length === 0) continue;
    order.sort((a, b) => signal.scores[b][t] - signal.scores[a][t] || a - b);
    if (policy.kind === 'all-in') {
      w[order[0]][t] = 1;
    } else if (policy.kind === 'top-k') {
      const k = Math.min(policy.k, order.length);
      for (let j = 0; j < k; j++) w[order[j]][t] = 1 / k;
    } else {
      const th = policy.threshold ?? defaultThreshold(signal.kind);
      const best = order[0];
      const s = signal.scores[best][t];
      if (s > th) w[best][t] = 1;
      else if (policy.short) {
        const worst = order[order.length - 1];
        const mirror = signal.kind === 'probability' ? 1 - th : -th;
        if (signal.scores[worst][t] < mirror) w[worst][t] = -1;
      }
    }
  }
  return w;
}

export function describePolicy(p: Policy, kind: SignalKind): string {
  if (p.kind === 'all-in') return 'all-in on the best-ranked company';
  if (p.kind === 'top-k') return `equal weight on the top ${p.k}`;
  const th = p.threshold ?? defaultThreshold(kind);
  const what = kind === 'probability' ? `P(up) > ${th}` : `forecast return > ${th}`;
  return `invest in the best-ranked company when ${what}, else cash${p.short ? ' (short below the mirror threshold)' : ''}`;
}
