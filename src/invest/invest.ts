/**
 * invest(): the whole decision, judged. Which company, or none, and would it have paid?
 *
 *   prices → panel (one calendar) → the model's walk-forward signal → policy → weights → accounting
 *   and on the same decision dates: buy-and-hold of each company, the equal-weight basket, the same
 *   policy on momentum (last return), the same policy on coin flips (the median of many seeded runs)
 *   → figures → stationary-bootstrap tests of the model's Sharpe ratio against each yardstick → verdict
 *
 * The model "beats" the yardsticks only when its Sharpe ratio is above each of buy-and-hold of the
 * basket, the best single company held (chosen with hindsight, which favours the yardstick) and the
 * momentum policy, and every one of those one-sided tests has p < 0.05 (an intersection-union test:
 * its p-value is the largest of the three, and it needs no correction for the several comparisons).
 */
import { checkBootstrapOptions } from './significance.js';
import type { Frame, SeriesSet } from '../data/frame.js';
import { UnrollError } from '../util/errors.js';
import { figures, resolveCosts, runBacktest, drawdowns, type Backtest, type BacktestOptions, type Figures } from './backtest.js';
import { periodReturns, periodsPerYear as inferPeriods, pricePanel, type PricePanel } from './panel.js';
import { applyPolicy, describePolicy, validatePolicy, type Policy, type Signal } from './policies.js';
import { coinSignal, momentumSignal } from './signals.js';
import { sharpeDifferenceTest } from './significance.js';
import { walkForwardSignal, type WalkForwardOptions } from './walkforward.js';
import { holdBasket, holdOne } from './yardsticks.js';
import { checkOptions, is, type Spec } from '../util/options.js';

export interface InvestOptions extends BacktestOptions, WalkForwardOptions {
  /** @default { kind: 'all-in' } */
  policy?: Policy;
  /** First decision: a date index, a fraction of the dates (0.5 = the second half), or an ISO date. @default 0.5 */
  start?: number | string;
  /** Price column of each series (SeriesSet) or the columns that are companies (one Frame). */
  column?: string;
  columns?: string[];
  /** Seeded coin-flip runs; the median one (by final equity) is reported. @default 101 */
  coinRuns?: number;
  /** Bootstrap settings of the tests. */
  bootstrap?: { resamples?: number; blockLength?: number; seed?: number };
  /** Use this signal instead of the model (scores for decisions start … T−2). For tests and custom signals. */
  signal?: Signal;
  /** Significance level of the verdict. @default 0.05 */
  level?: number;
  /** @default 1 */
  seed?: number;
}

export type StrategyRole = 'model' | 'hold' | 'basket' | 'naive' | 'coin';

export interface StrategyResult {
  name: string;
  role: StrategyRole;
  backtest: Backtest;
  figures: Figures;
  /** E_t / peak − 1 at each equity point. */
  drawdown: Float64Array;
}

export interface ComparisonTest {
  against: string;
  /** Model Sharpe minus yardstick Sharpe, annualised. */
  difference: number;
  pValue: number;
}

export interface InvestResult {
  ids: string[];
  /** Equity dates: the first decision date … the last date (n + 1 of them). */
  dates: string[];
  periodsPerYear: number;
  costBps: number;
  cashRate: number;
  policy: Policy;
  policyText: string;
  strategies: StrategyResult[];
  tests: ComparisonTest[];
  /** The largest p-value of the tests against basket, best company held and momentum. */
  pValue: number;
  beats: boolean;
  /** Whether anything tried (model or momentum) has a Sharpe ratio above the best buy-and-hold. */
  anythingBeatsHold: boolean;
  verdict: string;
  /** Coin flips: Sharpe ratios of all runs (sorted), for the spread. */
  coinSharpes: number[];
  refits: { at: number; date: string; companies: string[] }[];
  blockLength: number;
  resamples: number;
}

function resolveStart(start: number | string | undefined, panel: PricePanel): number {
  const T = panel.dates.length;
  let s: number;
  if (start === undefined) s = Math.floor(T / 2);
  else if (typeof start === 'string') {
    s = panel.dates.findIndex((d) => d >= start);
    if (s < 0) throw new UnrollError(`option "start" is ${JSON.stringify(start)}, after the last date ${panel.dates[T - 1]}; expected a date within the data`, 'option');
  } else if (start > 0 && start < 1) s = Math.floor(T * start);
  else s = start;
  if (!Number.isInteger(s) || s < 1 || s > T - 2) throw new UnrollError(`option "start" is ${String(start)}; expected a date index from 1 to ${T - 2}, a fraction in (0, 1), or a date (the data has ${T} dates)`, 'option');
  return s;
}

const INVEST_OPTIONS: Spec = {
  policy: is.object, start: is.any, column: is.string, columns: is.array, coinRuns: is.positiveInt,
  bootstrap: is.object, signal: is.object, level: is.range(0, 1, true, true), seed: is.number,
  costBps: is.nonNegative, cashRate: is.number, periodsPerYear: is.positive,
  forecaster: is.object, refitEvery: is.positiveInt, minHistory: is.positiveInt, backend: is.object,
  onRefit: is.function, onEpochEnd: is.function,
};

export function invest(data: Frame | SeriesSet | PricePanel, options: InvestOptions = {}): InvestResult {
  checkOptions(options, INVEST_OPTIONS, { where: 'invest' });
  const panel = 'prices' in data && 'first' in data ? data : pricePanel(data as Frame | SeriesSet, { columns: options.columns, column: options.column });
  const policy = options.policy ?? { kind: 'all-in' };
  validatePolicy(policy, panel.ids.length);
  checkOptions(options.bootstrap, { resamples: is.number, blockLength: is.number, seed: is.number }, { where: 'invest', prefix: 'bootstrap.' });
  checkBootstrapOptions(options.bootstrap ?? {});
  const P = options.periodsPerYear ?? inferPeriods(panel.dates);
  const costs = resolveCosts({ costBps: options.costBps, cashRate: options.cashRate, periodsPerYear: P }, 'invest');
  const level = options.level ?? 0.05;
  const start = resolveStart(options.start, panel);
  const T = panel.dates.length;
  const n = T - 1 - start;
  const all = periodReturns(panel);
  const returns = all.map((r) => r.slice(start));
  const run = (name: string, role: StrategyRole, weights: Float64Array[]): StrategyResult => {
    const backtest = runBacktest(returns, weights, costs);
    return { name, role, backtest, figures: figures(backtest, returns), drawdown: drawdowns(backtest.equity) };
  };

  let refits: InvestResult['refits'] = [];
  let signal = options.signal;
  if (!signal) {
    const wf = walkForwardSignal(panel, start, {
      forecaster: options.forecaster, refitEvery: options.refitEvery, minHistory: options.minHistory,
      backend: options.backend, onRefit: options.onRefit, onEpochEnd: options.onEpochEnd,
    });
    signal = wf.signal;
    refits = wf.refits;
  }
  if (signal.scores.length !== panel.ids.length || signal.scores.some((s) => s.length !== n)) {
    throw new UnrollError(`invest: the signal has ${signal.scores.length} companies × ${signal.scores[0]?.length ?? 0} decisions; expected ${panel.ids.length} × ${n}`, 'shape');
  }
  const tradable = (i: number, t: number): boolean => Number.isFinite(returns[i][t]);
  // A score for a company without a price (not listed yet) is dropped, never traded on.
  const clean = (s: Signal): Signal => ({ ...s, scores: s.scores.map((sc, i) => sc.map((v, t) => (tradable(i, t) ? v : NaN))) });
  const strategies: StrategyResult[] = [];
  const model = run(signal.name, 'model', applyPolicy(policy, clean(signal)));
  strategies.push(model);
  const c = model.backtest.cashPerPeriod;
  const holds = panel.ids.map((id, i) => run(`buy-and-hold ${id}`, 'hold', holdOne(returns, i, c)));
  const basket = run('buy-and-hold equal-weight basket', 'basket', holdBasket(returns, c));
  // A threshold is in the units of the model's signal (a probability or a return); a yardstick
  // signal of the other kind uses its own neutral hurdle (0.5 or 0) instead.
  const policyFor = (kind: Signal['kind']): Policy => (policy.kind === 'threshold' && kind !== signal!.kind ? { ...policy, threshold: undefined } : policy);
  const naive = run('momentum (last return), same policy', 'naive', applyPolicy(policyFor('return'), clean(momentumSignal(all, start, n))));
  strategies.push(...(panel.ids.length > 1 ? [basket] : []), ...holds, naive);

  const runs = options.coinRuns ?? 101;
  if (!Number.isInteger(runs) || runs < 1 || runs > 10000) throw new UnrollError(`option "coinRuns" is ${String(runs)}; expected a whole number from 1 to 10000`, 'option');
  const available = panel.ids.map((_, i) => Array.from({ length: n }, (_, t) => tradable(i, t)));
  const seed = options.seed ?? 1;
  const coins = Array.from({ length: runs }, (_, j) => {
    const w = applyPolicy(policyFor('probability'), coinSignal(available, n, seed * 7919 + j));
    const b = runBacktest(returns, w, costs);
    return { w, end: b.equity[n], sharpe: figures(b, returns).sharpe };
  });
  const median = [...coins].sort((a, b) => a.end - b.end)[Math.floor(runs / 2)];
  strategies.push(run(`coin flips, same policy (median of ${runs} runs)`, 'coin', median.w));

  const bestHold = holds.reduce((a, b) => (b.figures.sharpe > a.figures.sharpe ? b : a));
  const yardsticks = [...(panel.ids.length > 1 ? [basket] : []), ...(panel.ids.length > 1 ? [bestHold] : holds), naive];
  const bs = options.bootstrap ?? {};
  const tests = yardsticks.map((y) => {
    const t = sharpeDifferenceTest(model.backtest.returns, y.backtest.returns, { cashPerPeriod: c, periodsPerYear: P, resamples: bs.resamples, blockLength: bs.blockLength, seed: bs.seed ?? seed });
    return { against: y.name, difference: t.difference, pValue: t.pValue, blockLength: t.blockLength, resamples: t.resamples };
  });
  const pValue = Math.max(...tests.map((t) => t.pValue));
  const best = yardsticks.reduce((a, b) => (b.figures.sharpe > a.figures.sharpe ? b : a));
  const higher = yardsticks.every((y) => model.figures.sharpe > y.figures.sharpe);
  const beats = higher && pValue < level;
  const anythingBeatsHold = model.figures.sharpe > bestHold.figures.sharpe || naive.figures.sharpe > bestHold.figures.sharpe;
  const verdict = verdictText({ model, best, bestHold, pValue, beats, higher, anythingBeatsHold, level, n, costBps: costs.costBps, tests });
  return {
    ids: panel.ids, dates: panel.dates.slice(start), periodsPerYear: P, costBps: costs.costBps, cashRate: costs.cashRate,
    policy, policyText: describePolicy(policy, signal.kind), strategies, tests: tests.map(({ against, difference, pValue: p }) => ({ against, difference, pValue: p })),
    pValue, beats, anythingBeatsHold, verdict, coinSharpes: coins.map((x) => x.sharpe).sort((a, b) => a - b), refits,
    blockLength: tests[0].blockLength, resamples: tests[0].resamples,
  };
}

const fp = (p: number): string => (p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`);

function verdictText(a: {
  model: StrategyResult; best: StrategyResult; bestHold: StrategyResult; pValue: number; beats: boolean; higher: boolean;
  anythingBeatsHold: boolean; level: number; n: number; costBps: number; tests: { against: string; pValue: number }[];
}): string {
  // Enough decimals that two different Sharpe ratios never print alike ("1.00 vs 1.00").
  let digits = 2;
  while (digits < 6 && a.model.figures.sharpe !== a.best.figures.sharpe && a.model.figures.sharpe.toFixed(digits) === a.best.figures.sharpe.toFixed(digits)) digits++;
  const sm = a.model.figures.sharpe.toFixed(digits);
  const sb = a.best.figures.sharpe.toFixed(digits);
  const pct = `${Math.round(a.level * 100)}%`;
  const after = `after costs (${a.costBps} bp per unit traded) over ${a.n} periods`;
  let s: string;
  if (a.beats) {
    s = `The model's policy beats buy-and-hold and the momentum policy ${after}: Sharpe ratio ${sm} vs ${sb} for the best yardstick (${a.best.name}), significant at the ${pct} level (largest p ${fp(a.pValue)}, stationary block bootstrap).`;
  } else if (a.higher) {
    const weakest = a.tests.reduce((x, y) => (y.pValue > x.pValue ? y : x));
    s = `The model's policy has a higher Sharpe ratio than every yardstick ${after} (${sm} vs ${sb} for ${a.best.name}), but the difference is within luck (p ${fp(weakest.pValue)} against ${weakest.against}, stationary block bootstrap): no evidence that it beats them.`;
  } else {
    const better = a.best.role === 'hold' || a.best.role === 'basket' ? 'Holding it is better.' : 'The naive signal does at least as well.';
    s = `The model's policy does NOT beat ${a.best.name} ${after}: Sharpe ratio ${sm} vs ${sb}. ${better}`;
  }
  if (!a.anythingBeatsHold) s += ` Nothing tried here (the model, momentum) beats simply holding ${a.bestHold.name.replace(/^buy-and-hold /, '')} after costs; on real prices that is the expected answer.`;
  return s;
}
