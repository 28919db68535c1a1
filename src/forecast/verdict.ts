/**
 * The verdict: is the model better than the best benchmark on this span, and can the difference be
 * told from noise? With actual values A_t, the model's forecasts F_t and a competitor's G_t over
 * t = 1 … n, and the loss g(e) = |e| (or e² with loss 'squared'):
 *
 *   loss differential   d_t = g(A_t − F_t) − g(A_t − G_t)          (negative: the model did better)
 *   mean                d̄ = (1/n) Σ d_t
 *   autocovariances     γ_k = (1/n) Σ_{t=k+1..n} (d_t − d̄)(d_{t−k} − d̄)
 *   HAC (Newey–West)    V = γ_0 + 2 Σ_{k=1..L} (1 − k/(L+1)) γ_k      (Bartlett weights, never negative)
 *   truncation lag      L = max(h − 1, ⌊4 (n/100)^{2/9}⌋)              (h = steps ahead; Newey–West 1994)
 *   Diebold–Mariano     DM = d̄ / √(V / n)
 *   HLN correction      DM* = DM · √((n + 1 − 2h + h(h−1)/n) / n)     (Harvey, Leybourne & Newbold 1997)
 *   p-value             p = P(|T| ≥ |DM*|),  T ~ Student t with n − 1 degrees of freedom
 *
 * The best benchmark is the one with the lowest MAE on the span (the same order as MASE, which divides
 * every MAE by one scale). The verdict's tone:
 *
 *   win   the model's MAE is below the best benchmark's and p < α (α = 0.05)
 *   loss  the model's MAE is above the best benchmark's and p < α
 *   tie   otherwise (the test cannot tell them apart), or too few steps for a test
 *
 * A separate line flags a model that did not learn: its validation loss never improved after the
 * first epoch, or its average predicted move |F_t − A_{t−1}| is below a tenth of the average actual
 * move |A_t − A_{t−1}| (a flat, copy-yesterday model).
 *
 * Checked against R (the same formulas written out, and forecast::dm.test) in verdict.test.ts, with
 * the fixture made by test/fixtures/verdict/dm.R.
 */
import { UnrollError } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import { studentTQuantile, studentTTwoSided } from './student-t.js';

type Values = ArrayLike<number>;

export interface DieboldMarianoOptions {
  /** Steps ahead of the forecasts compared (sets the HLN correction and the least lag). @default 1 */
  horizon?: number;
  /** Loss on each error: 'absolute' (MAE) or 'squared' (MSE). @default 'absolute' */
  loss?: 'absolute' | 'squared';
  /** Newey–West truncation lag L. @default max(h − 1, ⌊4 (n/100)^{2/9}⌋) */
  lag?: number;
}

export interface DieboldMarianoResult {
  /** The HLN-corrected statistic DM* (negative: the first forecast has the smaller loss). */
  statistic: number;
  /** The uncorrected statistic DM. */
  raw: number;
  /** Two-sided p-value from Student t with n − 1 degrees of freedom. */
  pValue: number;
  /** Degrees of freedom, n − 1. */
  df: number;
  /** Two-sided critical value at 5%: t_{0.975, n−1}. */
  critical5: number;
  n: number;
  lag: number;
  /** d̄, the mean loss differential (first minus second). */
  meanDifference: number;
}

/** The default Newey–West truncation lag for n loss differentials of h-step forecasts. */
export function neweyWestLag(n: number, horizon = 1): number {
  return Math.max(horizon - 1, Math.floor(4 * Math.pow(n / 100, 2 / 9)));
}

/** Diebold–Mariano test of equal accuracy of forecasts `a` and `b` of `actual` (HAC variance, HLN correction, t critical values). */
export function dieboldMarianoTest(actual: Values, a: Values, b: Values, options: DieboldMarianoOptions = {}): DieboldMarianoResult {
  checkOptions(options, { horizon: is.number, loss: is.oneOf('absolute', 'squared'), lag: is.number }, { where: 'dieboldMarianoTest' });
  const n = actual.length;
  if (a.length !== n || b.length !== n) throw new UnrollError(`Diebold–Mariano test: ${n} actual values but forecasts of ${a.length} and ${b.length}; expected equal lengths`, 'shape');
  if (n < 3) throw new UnrollError(`Diebold–Mariano test: ${n} forecasts; expected at least 3`, 'data');
  const h = options.horizon ?? 1;
  if (!Number.isInteger(h) || h < 1 || h >= n) throw new UnrollError(`Diebold–Mariano test: horizon ${h}; expected an integer from 1 to ${n - 1}`, 'option');
  const L = options.lag ?? neweyWestLag(n, h);
  if (!Number.isInteger(L) || L < 0 || L >= n) throw new UnrollError(`Diebold–Mariano test: lag ${L}; expected an integer from 0 to ${n - 1}`, 'option');
  const g = options.loss === 'squared' ? (e: number): number => e * e : Math.abs;
  const d = new Float64Array(n);
  let mean = 0;
  for (let t = 0; t < n; t++) {
    d[t] = g(actual[t] - a[t]) - g(actual[t] - b[t]);
    if (!Number.isFinite(d[t])) throw new UnrollError(`Diebold–Mariano test: the loss differential at step ${t + 1} is ${d[t]}; expected finite actual values and forecasts`, 'data');
    mean += d[t];
  }
  mean /= n;
  const gamma = (k: number): number => {
    let s = 0;
    for (let t = k; t < n; t++) s += (d[t] - mean) * (d[t - k] - mean);
    return s / n;
  };
  let v = gamma(0);
  for (let k = 1; k <= L; k++) v += 2 * (1 - k / (L + 1)) * gamma(k);
  // Identical losses (d̄ = 0, V = 0): no difference at all. A constant non-zero d: a certain difference.
  const raw = v > 0 ? mean / Math.sqrt(v / n) : mean === 0 ? 0 : mean * Infinity;
  const statistic = raw * Math.sqrt((n + 1 - 2 * h + (h * (h - 1)) / n) / n);
  const df = n - 1;
  return { statistic, raw, pValue: studentTTwoSided(statistic, df), df, critical5: studentTQuantile(0.975, df), n, lag: L, meanDifference: mean };
}

export interface Competitor {
  /** Name as shown to the user, e.g. 'seasonal naive', 'ETS(M,N,M)'. */
  name: string;
  predicted: Values;
}

export interface VerdictInput {
  actual: Values;
  /** The model being judged. */
  model: Competitor;
  /** Every benchmark on the same span; the one named `naiveName` is also tested on its own. */
  benchmarks: Competitor[];
  /** Name of the naive (persistence) benchmark among `benchmarks`. @default 'naive' */
  naiveName?: string;
  /** MASE's denominator (in-sample MAE of the seasonal naive method); sentences quote MASE when given, MAE otherwise. */
  scale?: number;
  /** The last actual value known before each forecast (for the flat-model check). */
  previous?: Values;
  /** The model's training log (for the never-improved check and the best epoch). */
  epochs?: readonly { loss: number; valLoss?: number }[];
  /** Steps ahead of the forecasts. @default 1 */
  horizon?: number;
  /** Significance level. @default 0.05 */
  alpha?: number;
}

export type VerdictTone = 'win' | 'tie' | 'loss';

export interface Comparison {
  name: string;
  mae: number;
  mase: number | null;
  /** Model MAE / competitor MAE. */
  ratio: number;
  /** null when the span is too short for a test. */
  test: DieboldMarianoResult | null;
  tone: VerdictTone;
}

export interface Verdict {
  /** green (win), neutral (tie) or red (loss) against the best benchmark. */
  tone: VerdictTone;
  /** The whole verdict in one line (the CLI's first line, the report's headline). */
  headline: string;
  /** The headline, then the comparison with naive, then the learning line when there is one. */
  lines: string[];
  model: { name: string; mae: number; mase: number | null };
  best: Comparison;
  naive: Comparison | null;
  /** Mean |F_t − A_{t−1}| / mean |A_t − A_{t−1}| (null without `previous` or when nothing moved). */
  moveRatio: number | null;
  /** 1-based epoch with the lowest validation loss (null without a validation log). */
  bestEpoch: number | null;
  /** The validation loss never went below its first epoch's value (with more than one epoch run). */
  neverImproved: boolean;
  /** The one line on a model that did not learn, or null. */
  learning: string | null;
}

/** Moves below this fraction of the actual moves make a flat, copy-yesterday model. */
export const FLAT_MOVE_RATIO = 0.1;

function meanAbsError(actual: Values, f: Values): number {
  let s = 0;
  for (let t = 0; t < actual.length; t++) s += Math.abs(actual[t] - f[t]);
  return s / actual.length;
}

/** The verdict on a model against every benchmark on the same span. */
export function judge(input: VerdictInput): Verdict {
  checkOptions(input, {
    actual: is.arrayLike, model: is.object, benchmarks: is.array, naiveName: is.string, scale: is.number, previous: is.arrayLike,
    epochs: is.array, horizon: is.positiveInt, alpha: is.range(0, 1, true, true),
  }, { where: 'judge' }, false);
  for (const [i, c] of [input.model, ...input.benchmarks].entries()) {
    checkOptions(c, { name: is.string, predicted: is.arrayLike }, { where: 'judge', prefix: i === 0 ? 'model.' : `benchmarks[${i - 1}].` }, false);
  }
  const { actual, model } = input;
  const n = actual.length;
  if (n === 0) throw new UnrollError('verdict: the span has no forecasts; expected at least one', 'data');
  if (input.benchmarks.length === 0) throw new UnrollError('verdict: no benchmarks; expected at least the naive forecast', 'data');
  for (const c of [model, ...input.benchmarks]) {
    if (c.predicted.length !== n) throw new UnrollError(`verdict: "${c.name}" has ${c.predicted.length} forecasts for ${n} actual values; expected equal lengths`, 'shape');
  }
  const alpha = input.alpha ?? 0.05;
  const scale = input.scale !== undefined && input.scale > 0 && Number.isFinite(input.scale) ? input.scale : null;
  const modelMae = meanAbsError(actual, model.predicted);
  const mase = (mae: number): number | null => (scale === null ? null : mae / scale);

  const compare = (c: Competitor): Comparison => {
    const mae = meanAbsError(actual, c.predicted);
    const test = n >= 3 ? dieboldMarianoTest(actual, model.predicted, c.predicted, { horizon: input.horizon ?? 1 }) : null;
    const significant = test !== null && test.pValue < alpha;
    const tone: VerdictTone = significant && modelMae < mae ? 'win' : significant && modelMae > mae ? 'loss' : 'tie';
    return { name: c.name, mae, mase: mase(mae), ratio: modelMae / mae, test, tone };
  };
  let bestIndex = 0;
  const maes = input.benchmarks.map((c) => meanAbsError(actual, c.predicted));
  maes.forEach((m, i) => { if (m < maes[bestIndex]) bestIndex = i; });
  const best = compare(input.benchmarks[bestIndex]);
  const naiveName = input.naiveName ?? 'naive';
  const naiveBench = input.benchmarks.find((c) => c.name === naiveName);
  const naive = naiveBench ? (naiveBench === input.benchmarks[bestIndex] ? best : compare(naiveBench)) : null;

  const measure = scale === null ? 'MAE' : 'MASE';
  const value = (mae: number): number => (scale === null ? mae : mae / scale);
  const [mv, bv] = pair(value(modelMae), value(best.mae));
  const sig = (c: Comparison): string => (c.test === null ? `too few steps (${n}) for a significance test` : `Diebold–Mariano ${c.test.statistic.toFixed(2)}, ${pText(c.test.pValue)}`);
  let headline: string;
  if (best.tone === 'win') {
    headline = `${model.name} beats the best benchmark, ${best.name}, significantly: ${measure} ${mv} vs ${bv} (${percent(1 - best.ratio)} lower error; ${sig(best)}).`;
  } else if (best.tone === 'loss') {
    headline = `${cap(best.name)} is best here (${measure} ${bv}); ${model.name} is ${howMuchWorse(best.ratio)} (${measure} ${mv}; ${sig(best)}).`;
  } else {
    headline = `${model.name} cannot be told apart from the best benchmark, ${best.name}: ${measure} ${mv} vs ${bv} (${sig(best)}${best.test ? `, not significant at ${Math.round(alpha * 100)}%` : ''}).`;
  }
  const lines = [headline];
  if (naive && naive !== best) {
    const [a, b] = pair(value(modelMae), value(naive.mae));
    const word = naive.tone === 'win' ? 'better, significantly' : naive.tone === 'loss' ? 'worse, significantly' : 'a tie';
    lines.push(`Against ${naive.name}: ${measure} ${a} vs ${b}, ${word} (${sig(naive)}).`);
  }

  // Did the model learn anything?
  let moveRatio: number | null = null;
  if (input.previous) {
    let moved = 0, actualMove = 0;
    for (let t = 0; t < n; t++) { moved += Math.abs(model.predicted[t] - input.previous[t]); actualMove += Math.abs(actual[t] - input.previous[t]); }
    moveRatio = actualMove > 0 ? moved / actualMove : null;
  }
  const val = (input.epochs ?? []).map((e) => e.valLoss);
  let bestEpoch: number | null = null;
  if (val.length > 0 && val.every((v) => v !== undefined && Number.isFinite(v))) {
    bestEpoch = 1;
    val.forEach((v, i) => { if (v! < val[bestEpoch! - 1]!) bestEpoch = i + 1; });
  }
  const neverImproved = bestEpoch === 1 && val.length > 1;
  const notes: string[] = [];
  if (neverImproved) notes.push(`its validation loss never improved after the first epoch (of ${val.length}), so it kept its first epoch's weights`);
  if (moveRatio !== null && moveRatio < FLAT_MOVE_RATIO) notes.push(`its average predicted move is ${percent(moveRatio)} of the average actual move: a flat, copy-yesterday model`);
  const learning = notes.length > 0 ? `The model did not learn much: ${notes.join('; ')}.` : null;
  if (learning) lines.push(learning);
  return {
    tone: best.tone, headline, lines,
    model: { name: model.name, mae: modelMae, mase: mase(modelMae) },
    best, naive, moveRatio, bestEpoch, neverImproved, learning,
  };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function percent(x: number): string {
  const p = x * 100;
  return `${Math.abs(p) >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
}

function howMuchWorse(ratio: number): string {
  return ratio >= 1.5 ? `${ratio.toFixed(1)}× worse` : `${percent(ratio - 1)} worse`;
}

/** A p-value as text: "p = 0.034", "p < 0.001". */
export function pText(p: number): string {
  if (!Number.isFinite(p)) return 'p = n/a';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** Two numbers with the fewest significant digits (3 to 8) at which they print differently. */
function pair(a: number, b: number): [string, string] {
  const f = (x: number, d: number): string => (Math.abs(x) >= 1000 ? x.toFixed(Math.max(0, d - 4)) : x.toPrecision(d));
  for (let d = 3; d < 8; d++) if (f(a, d) !== f(b, d)) return [f(a, d), f(b, d)];
  return [f(a, 8), f(b, 8)];
}
