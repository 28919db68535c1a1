/** The investing decision (issue 15): policies from forecasts, backtest accounting, yardsticks, significance. */
export { invest, type InvestOptions, type InvestResult, type StrategyResult, type StrategyRole, type ComparisonTest } from './invest.js';
export { runBacktest, figures, sharpeRatio, drawdowns, resolveCosts, type Backtest, type BacktestOptions as InvestCostOptions, type Figures } from './backtest.js';
export { pricePanel, periodReturns, periodsPerYear, type PricePanel } from './panel.js';
export { applyPolicy, describePolicy, defaultThreshold, type Policy, type Signal, type SignalKind } from './policies.js';
export { momentumSignal, coinSignal } from './signals.js';
export { holdOne, holdBasket, buyAndHoldWeights } from './yardsticks.js';
export { sharpeDifferenceTest, stationaryIndices, defaultBlockLength, type SharpeTest, type SharpeTestOptions } from './significance.js';
export { walkForwardSignal, DEFAULT_INVEST_FORECASTER, type WalkForwardOptions as InvestWalkForwardOptions, type WalkForwardResult } from './walkforward.js';
