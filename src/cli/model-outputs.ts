/**
 * What each output of a forecaster's network is, for `unroll summary` (whose layer table says only
 * "dense head [N, 7]"). The layout is the forecaster's own (forecast/rnn/options.ts outputCount,
 * forecast/rnn/quantiles.ts):
 *
 *   predict 'direction'    2 logits, down then up: P(up) = softmax(logits)[1]
 *   otherwise              Q blocks of K outputs, K = the steps forecast at once (h for 'direct', else 1);
 *                          block 0 is the point forecast, blocks 2i − 1 and 2i the lower and upper bounds
 *                          of the i-th learnt interval level L_i (τ = (1 − L_i)/2 and (1 + L_i)/2); Q = 1
 *                          (the point forecast alone, squared error) unless the network learns quantiles
 *                          (intervalMethod 'quantile' or 'cqr'), where block 0 is the median (τ = 0.5)
 */
import type { ResolvedOptions } from '../forecast/rnn/options.js';
import { stepCount } from '../forecast/rnn/options.js';
import { learnsQuantiles, quantileLevels, quantileTaus } from '../forecast/rnn/quantiles.js';

/** Outputs `from`…`to` (1-based, inclusive) and what they are. */
export interface OutputGroup {
  from: number;
  to: number;
  what: string;
  /** The pinball loss's level of these outputs (null: not a quantile). */
  tau: number | null;
}

type OutputOptions = Pick<ResolvedOptions, 'predict' | 'strategy' | 'horizon' | 'intervalMethod' | 'intervalLevel'>;

/** Every output of the network of a forecaster with options `o`, in order, in groups. */
export function outputGroups(o: OutputOptions): OutputGroup[] {
  if (o.predict === 'direction') {
    return [{ from: 1, to: 1, what: 'logit of a down move', tau: null }, { from: 2, to: 2, what: 'logit of an up move (P(up) = softmax of the two)', tau: null }];
  }
  const k = stepCount(o as ResolvedOptions);
  const subject = k === 1 ? `the next ${o.predict}` : `the ${o.predict} 1…${k} steps ahead`;
  // The blocks are the τ list the pinball loss trains on (quantileTaus): the median, then each level's bounds.
  const levels = quantileLevels(o.intervalLevel);
  const blocks: { what: string; tau: number | null }[] = learnsQuantiles(o)
    ? quantileTaus(o.intervalLevel).map((tau, q) => ({
      tau: round(tau),
      what: q === 0 ? `${subject}: median` : `${subject}: ${q % 2 ? 'lower' : 'upper'} bound of the ${pct(levels[(q - 1) >> 1]!)} interval`,
    }))
    : [{ what: `${subject} (point forecast, squared error)`, tau: null }];
  return blocks.map((b, q) => ({ from: q * k + 1, to: (q + 1) * k, ...b }));
}

/** τ without float noise (0.1, not 0.09999999999999998). */
function round(x: number): number {
  return Number(x.toFixed(10));
}

function pct(L: number): string {
  return `${+(L * 100).toFixed(2)}%`;
}

/** The groups as the lines `unroll summary` prints under the layer table. */
export function outputLines(groups: readonly OutputGroup[]): string[] {
  const n = groups[groups.length - 1]!.to;
  const rows = groups.map((g) => [g.from === g.to ? `${g.from}` : `${g.from}–${g.to}`, g.what + (g.tau === null ? '' : ` (τ ${g.tau})`)]);
  const width = Math.max(...rows.map((r) => r[0]!.length));
  return [`Outputs of the head (${n}):`, ...rows.map(([i, w]) => `  ${i!.padEnd(width)}  ${w}`)];
}
