/**
 * Scoring a token stream with a language model: every token after the first is predicted once,
 * from the tokens before it inside its window of T (windows start at 0, T, 2T, … from the zero
 * state, exactly as in training). The cross-entropy is computed here in float64 from the logits
 * (log-softmax with the maximum subtracted), independent of the training loss code.
 *
 *   CE = −(1/N) Σ log P(w_i | context),   perplexity = exp(CE),   bits per token = CE / ln 2
 */
import type { Network } from '../nn/model.js';
import { BASELINE_NAMES, type BaselineName } from './baselines.js';
import type { Tokenizer } from './tokenizer.js';
import { scoringWindows, type TokenBatcher } from './windows.js';
import { batcherFor } from './token-input.js';

export interface BaselineScore {
  /** e.g. "3-gram (Kneser–Ney)". */
  label: string;
  crossEntropy: number;
  perplexity: number;
}

export interface Evaluation {
  /** Tokens predicted (all but the first). */
  tokens: number;
  /** Mean negative log-likelihood in nats per token. */
  crossEntropy: number;
  perplexity: number;
  bitsPerToken: number;
  /** Share of tokens where the most probable prediction was right. */
  accuracy: number;
  /** Share of predicted tokens that are <unk> (outside the vocabulary). */
  unknownRate: number;
  baselines: Record<BaselineName, BaselineScore>;
  /** For each baseline: is the network's perplexity lower? */
  beats: Record<BaselineName, boolean>;
  /** One plain sentence saying whether the network beats the baselines. */
  verdict: string;
}

export interface Scores {
  nll: number;
  count: number;
  correct: number;
  unknown: number;
  toEvaluation(baselineCE: Record<BaselineName, number>, labels: Record<BaselineName, string>, modelName: string): Evaluation;
}

interface Scorable {
  readonly network: Network;
  readonly tokenizer: Tokenizer;
  readonly window: number;
}

const BATCH = 64;
const batchers = new WeakMap<Network, TokenBatcher>();

export function scoreTokens(lm: Scorable, ids: ArrayLike<number>): Scores {
  const net = lm.network;
  const V = lm.tokenizer.size;
  let batcher = batchers.get(net);
  if (!batcher) batchers.set(net, (batcher = batcherFor(net, V, BATCH)));
  const windows = scoringWindows(ids.length, lm.window);
  let nll = 0;
  let correct = 0;
  let unknown = 0;
  let count = 0;
  const training = net.training;
  net.training = false;
  try {
    for (let from = 0; from < windows.length; from += BATCH) {
      const chunk = windows.slice(from, from + BATCH);
      const B = chunk.length;
      const [set] = batcher.fill(ids, chunk.map((w) => w[0]), chunk.map((w) => w[1]), false);
      net.loadBatch(set, batcher.identity, 0, B);
      net.forward();
      const y = net.y;
      for (let b = 0; b < B; b++) {
        const [start, L] = chunk[b];
        for (let t = 0; t < L; t++) {
          const base = (t * B + b) * V;
          const target = ids[start + t + 1];
          let max = -Infinity;
          let arg = 0;
          for (let v = 0; v < V; v++) if (y[base + v] > max) { max = y[base + v]; arg = v; }
          let sum = 0;
          for (let v = 0; v < V; v++) sum += Math.exp(y[base + v] - max);
          nll += Math.log(sum) + max - y[base + target];
          if (arg === target) correct++;
          if (target === 0) unknown++;
          count++;
        }
      }
    }
  } finally {
    net.training = training;
  }
  return {
    nll, count, correct, unknown,
    toEvaluation(baselineCE, labels, modelName) {
      const ce = nll / count;
      const perplexity = Math.exp(ce);
      const baselines = Object.fromEntries(BASELINE_NAMES.map((n) => [n, { label: labels[n], crossEntropy: baselineCE[n], perplexity: Math.exp(baselineCE[n]) }])) as Record<BaselineName, BaselineScore>;
      const beats = Object.fromEntries(BASELINE_NAMES.map((n) => [n, perplexity < baselines[n].perplexity])) as Record<BaselineName, boolean>;
      return { tokens: count, crossEntropy: ce, perplexity, bitsPerToken: ce / Math.LN2, accuracy: correct / count, unknownRate: unknown / count, baselines, beats, verdict: verdict(modelName, perplexity, baselines, beats) };
    },
  };
}

function verdict(name: string, ppl: number, baselines: Record<BaselineName, BaselineScore>, beats: Record<BaselineName, boolean>): string {
  const f = (x: number): string => (x >= 100 ? x.toFixed(1) : x.toFixed(2));
  const list = (names: BaselineName[]): string => names.map((n) => `${baselines[n].label} ${f(baselines[n].perplexity)}`).join(', ');
  const won = BASELINE_NAMES.filter((n) => beats[n]);
  const lost = BASELINE_NAMES.filter((n) => !beats[n]);
  if (lost.length === 0) return `The ${name} beats every baseline: perplexity ${f(ppl)} vs ${list(won)}.`;
  if (won.length === 0) return `The ${name} does NOT beat any baseline: perplexity ${f(ppl)} vs ${list(lost)}. Train longer, use more text, or a larger model.`;
  return `The ${name} (perplexity ${f(ppl)}) beats ${list(won)}, but does NOT beat ${list(lost)}.`;
}
