/**
 * StatQuest's StatLand example (seeds 000 and 002), exactly.
 *
 * Prices are scaled so that low = 0, medium = 0.5, high = 1. The network is one ReLU unit with a
 * feedback loop, unrolled once per day:
 *   h_t = ReLU(w1 · x_t + b1 + w2 · h_{t−1}),   predicted = w3 · h_last + b2
 * with w1 = 1.8, w2 = −0.5 (the feedback loop), w3 = 1.1, b1 = b2 = 0.
 */
import type { Explanation } from '../train/explain.js';
import { explain } from '../train/explain.js';
import { RNN } from '../train/model.js';
import { Rng } from '../util/rng.js';
import { checkOptions, is } from '../util/options.js';

export const STATLAND_WEIGHTS = { w1: 1.8, w2: -0.5, w3: 1.1, b1: 0, b2: 0 } as const;

/** The four StatLand scenarios: (yesterday, today) and tomorrow's price by the rules of StatLand. */
export const STATLAND_SCENARIOS: readonly { yesterday: number; today: number; tomorrow: number; story: string }[] = [
  { yesterday: 0, today: 0, tomorrow: 0, story: 'low two days in a row → stays low' },
  { yesterday: 0, today: 0.5, tomorrow: 1, story: 'low then medium → even higher' },
  { yesterday: 1, today: 0.5, tomorrow: 0, story: 'high then medium → even lower' },
  { yesterday: 1, today: 1, tomorrow: 1, story: 'high two days in a row → stays high' },
];

/** The seeds' network with the seeds' weights. */
export function statlandModel(): RNN {
  const m = new RNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, activation: 'relu' });
  const { w1, w2, w3, b1, b2 } = STATLAND_WEIGHTS;
  m.setWeights({
    weight_ih_l0: [[w1]], weight_hh_l0: [[w2]], bias_ih_l0: [b1], bias_hh_l0: [0],
    'head.weight': [[w3]], 'head.bias': [b2],
  });
  return m;
}

const DAY_NAMES = ['Today', 'Yesterday', 'Day before yesterday'];
function dayName(stepsBack: number): string {
  return DAY_NAMES[stepsBack] ?? `${stepsBack} days ago`;
}

const fmt = (v: number): string => {
  const r = Math.round(v * 1e6) / 1e6;
  return Object.is(r, -0) ? '0' : String(r);
};

/**
 * The unrolled arithmetic of one StatLand sequence in the seeds' style, read off the model's own
 * recorded states (so the text shows what the network computed, not a separate calculation).
 */
export function statlandArithmetic(model: RNN, prices: number[]): { lines: string[]; predicted: number; explanation: Explanation } {
  const w = model.getWeights();
  const w1 = w.weight_ih_l0.data[0];
  const w2 = w.weight_hh_l0.data[0];
  const b1 = w.bias_ih_l0.data[0] + w.bias_hh_l0.data[0];
  const w3 = w['head.weight'].data[0];
  const b2 = w['head.bias'].data[0];
  const ex = explain(model, prices.map((p) => [p]));
  // Biases at the same precision as everything else, so each printed sum adds up (the seeds write a zero bias as 0.0).
  const bias = (b: number): string => (b === 0 ? '0.0' : fmt(b));
  const lines: string[] = [];
  let hPrev = 0;
  ex.steps.forEach((step, t) => {
    const x = step.input[0];
    const h = step.layers[0][0];
    const z = w1 * x + b1 + (t > 0 ? w2 * hPrev : 0);
    const feedback = t > 0 ? ` + ${fmt(hPrev)} × ${fmt(w2)} (feedback)` : '';
    lines.push(`${dayName(prices.length - 1 - t)} ${fmt(x)} × ${fmt(w1)}${feedback} + ${bias(b1)} = ${fmt(z)} → ReLU → ${fmt(h)}`);
    hPrev = h;
  });
  const predicted = ex.output[0];
  lines.push(`Output ${fmt(hPrev)} × ${fmt(w3)} + ${bias(b2)} = ${fmt(predicted)} → predicted value for tomorrow`);
  return { lines, predicted, explanation: ex };
}

export interface StatlandTrainResult {
  model: RNN;
  loss: number;
  restarts: number;
}

/**
 * Trains the seeds' one-unit ReLU network from random initialisations on the four scenarios.
 *
 * A single ReLU unit starts "dead" (never active) for about half of all random draws, and the
 * problem also has a flat local minimum that predicts 0.5 everywhere; so, as is usual for such tiny
 * networks, training restarts from a new seeded draw until the training loss is near zero (at most
 * `restarts` times) and keeps the run with the lowest training loss.
 */
export function trainStatland(options: { seed?: number; restarts?: number; epochs?: number } = {}): StatlandTrainResult {
  checkOptions(options, { seed: is.number, restarts: is.positiveInt, epochs: is.positiveInt }, { where: 'trainStatland' });
  const rng = new Rng(options.seed ?? 42);
  const x = STATLAND_SCENARIOS.map((s) => [s.yesterday, s.today]);
  const y = STATLAND_SCENARIOS.map((s) => s.tomorrow);
  let best: RNN | null = null;
  let bestLoss = Infinity;
  let runs = 0;
  for (let r = 0; r < (options.restarts ?? 12) && bestLoss > 1e-4; r++) {
    runs++;
    const seed = rng.int(2 ** 31);
    const m = new RNN({ inputSize: 1, hiddenSize: 1, activation: 'relu', seed });
    const h = m.fit(x, y, { epochs: options.epochs ?? 1000, batchSize: 4, optimizer: { type: 'adam', learningRate: 0.05 }, loss: 'ssr', seed });
    const loss = h.epochs[h.epochs.length - 1].loss;
    if (loss < bestLoss) { bestLoss = loss; best = m; }
  }
  return { model: best!, loss: bestLoss, restarts: runs };
}
