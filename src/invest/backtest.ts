/**
 * Backtest accounting: target weights in, equity curve and figures out.
 *
 * Period t runs from the close of date t to the close of date t+1. At the close of date t the
 * portfolio holds drifted weights h (what last period's weights became after the prices moved) and
 * trades to the target weights w_t, decided with prices up to date t only:
 *
 *   turnover    τ_t = Σ_i |w_t,i − h_t,i|                       (buying 100% from cash is 1, a switch is 2)
 *   cost        κ_t = (costBps / 10 000) · τ_t                    (a fraction of equity, paid at the close of t)
 *   return      R_t = Σ_i w_t,i r_t,i + (1 − Σ_i w_t,i) · c       (what is not invested earns the cash rate c)
 *   equity      E_{t+1} = E_t (1 − κ_t)(1 + R_t)
 *   drift       h_{t+1,i} = w_t,i (1 + r_t,i) / (1 + R_t)
 *
 * The cash rate per period is c = (1 + annual rate)^(1/periods per year) − 1. Weights may be
 * negative (a short position; its proceeds sit in cash and earn c). The portfolio starts in cash
 * (E_0 = 1, h_0 = 0), so the first trade pays for buying in; the final position is not sold.
 *
 * Figures, from the net period returns x_t = E_{t+1}/E_t − 1 over n periods and P periods a year:
 *   total return         E_n / E_0 − 1
 *   annualised return    (E_n / E_0)^(P/n) − 1
 *   volatility           sd(x) · √P                              (sample standard deviation)
 *   Sharpe ratio         mean(x − c) / sd(x − c) · √P            (0 when sd(x − c) = 0)
 *   maximum drawdown     max_t (1 − E_t / max_{s≤t} E_s)
 *   turnover             Σ τ_t · P / n                           (per year; 1 = the whole portfolio traded once)
 *   hit rate             share of invested periods whose gross excess return Σ_i w_t,i (r_t,i − c) was > 0
 *   costs paid           Σ κ_t E_t                               (in units of the starting capital)
 */
import { UnrollError } from '../util/errors.js';
import { checkOptions, is, type KeyRules } from '../util/options.js';

export interface BacktestOptions {
  /** Trading cost per unit traded, in basis points (one way). @default 10 (0.1%) */
  costBps?: number;
  /** Annual interest on cash, as a fraction (0.02 = 2% a year). @default 0 */
  cashRate?: number;
  /** Periods per year (252 trading days, 12 months). @default 252 */
  periodsPerYear?: number;
}

export interface Backtest {
  /** E_0 … E_n: equity at each decision date and after the last period (starts at 1). */
  equity: Float64Array;
  /** x_t: net return of each period, after costs. */
  returns: Float64Array;
  /** w_t: target weights of each period, one array per company. */
  weights: Float64Array[];
  /** τ_t and κ_t E_t (cost in units of the starting capital) of each period. */
  turnover: Float64Array;
  costs: Float64Array;
  /** The cash rate per period used. */
  cashPerPeriod: number;
  periodsPerYear: number;
}

export interface Figures {
  periods: number;
  totalReturn: number;
  annualisedReturn: number;
  volatility: number;
  sharpe: number;
  maxDrawdown: number;
  /** Per year. */
  turnover: number;
  /** NaN when the policy was never invested. */
  hitRate: number;
  costsPaid: number;
  /** Share of periods with any position. */
  exposure: number;
}

export interface ResolvedCosts {
  costBps: number;
  cashRate: number;
  periodsPerYear: number;
}

/** The keys of BacktestOptions and their types (ranges are checked in resolveCosts). */
export const BACKTEST_RULES = { costBps: is.number, cashRate: is.number, periodsPerYear: is.number } satisfies KeyRules<BacktestOptions>;

export function resolveCosts(o: BacktestOptions = {}, where = 'resolveCosts'): ResolvedCosts {
  checkOptions(o, BACKTEST_RULES, { where });
  const costBps = o.costBps ?? 10;
  if (typeof costBps !== 'number' || !Number.isFinite(costBps) || costBps < 0 || costBps >= 10000) {
    throw new UnrollError(`option "costBps" is ${String(costBps)}; expected basis points per unit traded, a number from 0 to below 10000 (10 = 0.1%)`, 'option');
  }
  const cashRate = o.cashRate ?? 0;
  if (typeof cashRate !== 'number' || !Number.isFinite(cashRate) || cashRate <= -1 || cashRate > 1) {
    throw new UnrollError(`option "cashRate" is ${String(cashRate)}; expected an annual rate as a fraction above -1 and at most 1 (0.02 = 2% a year)`, 'option');
  }
  const periodsPerYear = o.periodsPerYear ?? 252;
  if (typeof periodsPerYear !== 'number' || !Number.isFinite(periodsPerYear) || periodsPerYear <= 0 || periodsPerYear > 100000) {
    throw new UnrollError(`option "periodsPerYear" is ${String(periodsPerYear)}; expected a positive number such as 252 (trading days) or 12 (months)`, 'option');
  }
  return { costBps, cashRate, periodsPerYear };
}

/**
 * Runs the accounting. `returns[i][t]` is company i's return over period t (NaN when it has no
 * price); `weights[i][t]` the target weight decided at date t. A weight on a company without a
 * price is an error.
 */
export function runBacktest(returns: ArrayLike<number>[], weights: ArrayLike<number>[], options: BacktestOptions = {}): Backtest {
  const { costBps, cashRate, periodsPerYear } = resolveCosts(options, 'runBacktest');
  const m = returns.length;
  if (weights.length !== m) throw new UnrollError(`backtest: ${weights.length} weight series for ${m} companies; expected one per company`, 'shape');
  const n = m === 0 ? 0 : returns[0].length;
  for (let i = 0; i < m; i++) {
    if (returns[i].length !== n || weights[i].length !== n) throw new UnrollError(`backtest: company ${i} has ${returns[i].length} returns and ${weights[i].length} weights; expected ${n} of each`, 'shape');
  }
  const c = Math.pow(1 + cashRate, 1 / periodsPerYear) - 1;
  const k = costBps / 10000;
  const equity = new Float64Array(n + 1);
  const net = new Float64Array(n);
  const turnover = new Float64Array(n);
  const costs = new Float64Array(n);
  const held = new Float64Array(m);
  const w = weights.map((ws) => Float64Array.from(ws));
  equity[0] = 1;
  for (let t = 0; t < n; t++) {
    let tau = 0;
    let invested = 0;
    let gross = 0;
    for (let i = 0; i < m; i++) {
      const wi = w[i][t];
      if (!Number.isFinite(wi)) throw new UnrollError(`backtest: weight of company ${i} in period ${t} is ${wi}; expected a finite number`, 'data');
      const ri = returns[i][t];
      if (wi !== 0 && !Number.isFinite(ri)) throw new UnrollError(`backtest: period ${t} puts weight ${wi} on company ${i}, which has no price then; expected weight 0`, 'data');
      tau += Math.abs(wi - held[i]);
      invested += wi;
      if (wi !== 0) gross += wi * ri;
    }
    const R = gross + (1 - invested) * c;
    const kappa = k * tau;
    turnover[t] = tau;
    costs[t] = kappa * equity[t];
    equity[t + 1] = equity[t] * (1 - kappa) * (1 + R);
    net[t] = (1 - kappa) * (1 + R) - 1;
    for (let i = 0; i < m; i++) {
      const wi = w[i][t];
      held[i] = wi === 0 || 1 + R <= 0 ? 0 : (wi * (1 + returns[i][t])) / (1 + R);
    }
  }
  return { equity, returns: net, weights: w, turnover, costs, cashPerPeriod: c, periodsPerYear };
}

/** The figures of a backtest (see the header). */
export function figures(b: Backtest, returns: ArrayLike<number>[]): Figures {
  const n = b.returns.length;
  const P = b.periodsPerYear;
  const c = b.cashPerPeriod;
  const end = b.equity[n];
  let peak = b.equity[0];
  let mdd = 0;
  for (let t = 0; t <= n; t++) {
    peak = Math.max(peak, b.equity[t]);
    mdd = Math.max(mdd, 1 - b.equity[t] / peak);
  }
  let hits = 0;
  let invested = 0;
  let tau = 0;
  let paid = 0;
  for (let t = 0; t < n; t++) {
    let ex = 0;
    let any = false;
    for (let i = 0; i < b.weights.length; i++) {
      const w = b.weights[i][t];
      if (w !== 0) { any = true; ex += w * (returns[i][t] - c); }
    }
    if (any) { invested++; if (ex > 0) hits++; }
    tau += b.turnover[t];
    paid += b.costs[t];
  }
  const sd = stdev(b.returns);
  return {
    periods: n,
    totalReturn: end - 1,
    annualisedReturn: n > 0 && end > 0 ? Math.pow(end, P / n) - 1 : end > 0 ? 0 : -1,
    volatility: sd * Math.sqrt(P),
    sharpe: sharpeRatio(b.returns, c, P),
    maxDrawdown: mdd,
    turnover: n > 0 ? (tau * P) / n : 0,
    hitRate: invested > 0 ? hits / invested : NaN,
    costsPaid: paid,
    exposure: n > 0 ? invested / n : 0,
  };
}

/** Annualised Sharpe ratio of per-period returns over a per-period cash rate; 0 when they do not vary. */
export function sharpeRatio(x: ArrayLike<number>, cashPerPeriod: number, periodsPerYear: number): number {
  const n = x.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t] - cashPerPeriod;
  mean /= n;
  let ss = 0;
  for (let t = 0; t < n; t++) ss += (x[t] - cashPerPeriod - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return sd > 1e-15 * Math.max(1, Math.abs(mean)) ? (mean / sd) * Math.sqrt(periodsPerYear) : 0;
}

/** Drawdown at each point of an equity curve: E_t / max_{s≤t} E_s − 1 (0 or negative). */
export function drawdowns(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let t = 0; t < equity.length; t++) {
    peak = Math.max(peak, equity[t]);
    out[t] = equity[t] / peak - 1;
  }
  return out;
}

function stdev(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t];
  mean /= n;
  let ss = 0;
  for (let t = 0; t < n; t++) ss += (x[t] - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}
