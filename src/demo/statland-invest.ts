/**
 * The seeds' opening question, answered by the seeds' own network: invest the StatBucks in the blue
 * company (9 days of prices) or the green one (5 days)?
 *
 * The seeds give the question, the two history lengths, StatLand's price levels (low = 0,
 * medium = 0.5, high = 1) and its rules ((low, low) → low; (low, medium) → high; (high, medium) → low;
 * (high, high) → high), but no price list for either company. The two histories here are made up to
 * obey every rule wherever one applies:
 *   blue  (9 days): 0.5, 1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5   — ends low then medium: StatLand says high next
 *   green (5 days): 0.5, 0, 0.5, 1, 0.5                   — ends high then medium: StatLand says low next
 *
 * One network (w1 = 1.8, w2 = −0.5, w3 = 1.1, biases 0, ReLU) runs through both in one batch, unrolled
 * 9 times for blue and 5 times for green; nothing about it changes with the length. The policy is
 * the ranking one: put everything in the company with the larger predicted rise, or keep the
 * StatBucks in cash when neither is predicted to rise. (Prices are on StatLand's 0–1 scale, where a
 * price can be 0, so the ranking uses the predicted change, not a return.)
 */
import { statlandArithmetic, statlandModel } from './statland.js';
import type { RNN } from '../train/model.js';

export const STATLAND_COMPANIES = [
  { name: 'blue', prices: [0.5, 1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5], statlandNext: 1 },
  { name: 'green', prices: [0.5, 0, 0.5, 1, 0.5], statlandNext: 0 },
] as const;

export interface StatlandCompanyCall {
  name: string;
  days: number;
  today: number;
  predicted: number;
  change: number;
  /** StatLand's own next price, from its rules. */
  statlandNext: number;
  /** What the feedback loop adds at the last step: w2 × yesterday's state. */
  feedback: number;
  arithmetic: string[];
}

export interface StatlandInvestment {
  companies: StatlandCompanyCall[];
  /** The company the network picks, or null for cash. */
  pick: string | null;
  /** Why, in one or two sentences. */
  why: string;
  /** The same predictions from one batched call over both variable-length histories. */
  batched: number[];
}

export function statlandInvestment(model: RNN = statlandModel()): StatlandInvestment {
  const companies = STATLAND_COMPANIES.map((c) => {
    const { lines, predicted, explanation } = statlandArithmetic(model, [...c.prices]);
    const today = c.prices[c.prices.length - 1];
    const steps = explanation.steps;
    const feedback = model.getWeights().weight_hh_l0.data[0] * steps[steps.length - 2].layers[0][0];
    return { name: c.name, days: c.prices.length, today, predicted, change: predicted - today, statlandNext: c.statlandNext, feedback, arithmetic: lines };
  });
  const batched = (model.predict(STATLAND_COMPANIES.map((c) => c.prices.map((p) => [p]))) as number[][]).map((r) => r[0]);
  const ranked = [...companies].sort((a, b) => b.change - a.change);
  const best = ranked[0];
  const other = ranked[1];
  const r2 = (v: number): string => String(Math.round(v * 1e4) / 1e4);
  const pick = best.change > 0 ? best.name : null;
  const why = pick
    ? `The network predicts ${best.name} goes from ${r2(best.today)} to ${r2(best.predicted)} (a rise of ${r2(best.change)}) and ${other.name} from ${r2(other.today)} to ${r2(other.predicted)} (${other.change > 0 ? 'a rise' : 'a fall'} of ${r2(Math.abs(other.change))}), so all the StatBucks go to ${best.name}. ` +
      `The feedback loop decides it: at the last step it adds ${r2(best.feedback)} for ${best.name} and ${r2(other.feedback)} for ${other.name} (w2 = −0.5 times yesterday's state), on top of ${best.today === other.today ? `the same ${r2(1.8 * best.today)}` : `${r2(1.8 * best.today)} and ${r2(1.8 * other.today)}`} from today's price. ` +
      `By StatLand's rules ${best.name} really goes to ${best.statlandNext} and ${other.name} to ${other.statlandNext}, so the pick is right here; one decision in a toy world proves nothing about real prices (unroll invest judges a policy over many decisions, after costs).`
    : `The network predicts neither company rises (${companies.map((c) => `${c.name} ${r2(c.today)} → ${r2(c.predicted)}`).join(', ')}), so the StatBucks stay in cash.`;
  return { companies, pick, why, batched };
}
