/**
 * Choosing the next token from the network's output logits o_t (figure 9.9: "sample a word from
 * the softmax distribution, feed it back as the next input").
 *
 * - greedy: argmax (temperature 0); ties go to the lowest index.
 * - temperature τ > 0: P(w) ∝ exp(o_w / τ); τ < 1 sharpens, τ > 1 flattens.
 * - topK k: only the k most probable tokens may be drawn (renormalised).
 * - exclude: token indices that are never drawn (by default <unk>).
 *
 * The draw uses a seeded Rng, so the same seed gives the same text.
 */
import { badOption } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import { checkOptions, is } from '../util/options.js';

export interface SamplingOptions {
  /** 0 = greedy (always the most probable token). @default 1 */
  temperature?: number;
  /** Draw only among the k most probable tokens; 0 = no limit. @default 0 */
  topK?: number;
}

export function checkSampling(options: SamplingOptions): Required<SamplingOptions> {
  checkOptions(options, { temperature: is.number, topK: is.number }, { where: 'checkSampling' });
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature)) badOption('temperature', options.temperature, 'a number ≥ 0 (0 = greedy)');
  const topK = options.topK ?? 0;
  if (!Number.isInteger(topK) || topK < 0) badOption('topK', options.topK, 'a non-negative integer (0 = no limit)');
  return { temperature, topK };
}

/** Softmax of logits/τ in float64 (max subtracted), with excluded entries at probability 0. */
export function softmax(logits: ArrayLike<number>, temperature = 1, exclude: ReadonlySet<number> = new Set()): Float64Array {
  const p = new Float64Array(logits.length);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (!exclude.has(i) && logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    p[i] = exclude.has(i) ? 0 : Math.exp((logits[i] - max) / temperature);
    sum += p[i];
  }
  for (let i = 0; i < p.length; i++) p[i] /= sum;
  return p;
}

/** Picks the next token index from logits. */
export function sampleToken(logits: ArrayLike<number>, options: Required<SamplingOptions>, rng: Rng, exclude: ReadonlySet<number> = new Set()): number {
  checkOptions(options, { temperature: is.nonNegative, topK: is.nonNegativeInt }, { where: 'sampleToken' }, false);
  return drawToken(logits, options, rng, exclude);
}

/** sampleToken without its options check, for a generation loop whose options checkSampling already checked. */
export function drawToken(logits: ArrayLike<number>, options: Required<SamplingOptions>, rng: Rng, exclude: ReadonlySet<number>): number {
  const V = logits.length;
  if (options.temperature === 0) {
    let best = -1;
    for (let i = 0; i < V; i++) if (!exclude.has(i) && (best < 0 || logits[i] > logits[best])) best = i;
    return best;
  }
  const p = softmax(logits, options.temperature, exclude);
  if (options.topK > 0 && options.topK < V) {
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
    for (let r = options.topK; r < V; r++) p[order[r]] = 0;
  }
  let total = 0;
  for (let i = 0; i < V; i++) total += p[i];
  let u = rng.next() * total;
  let last = -1;
  for (let i = 0; i < V; i++) {
    if (p[i] <= 0) continue;
    last = i;
    u -= p[i];
    if (u < 0) return i;
  }
  return last;
}
