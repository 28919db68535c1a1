/**
 * The model's signal, retrained walk-forward: an expanding window refitted every k decisions.
 *
 * Decisions are at the closes of panel dates s, s+1, …, T−2 (the last date has no next period). At
 * each refit date r = s, s+k, s+2k, … one Forecaster is fitted on every company that has at least
 * `minHistory` prices by date r, each using only its rows up to and including date r (an expanding
 * window; each company keeps its own history length, so one model runs through variable lengths).
 * That model then scores the decisions r … r+k−1: for decision t it reads the company's prices up to
 * date t and forecasts period t (date t → t+1):
 *   predict 'return' or 'value':  score = forecast price / price at t − 1  (a forecast return)
 *   predict 'direction':          score = P(up)
 * A company that lists within a block gets no score (NaN) until the next refit includes it.
 * Nothing after date t reaches decision t: each company's frame handed to the Forecaster ends at the
 * block's last decision date + 1, training stops at date r, and predictions read rows ≤ t (the test
 * "never sees the future" changes prices after t and checks the scores up to t do not move).
 */
import { frameFromArrays, type Frame } from '../data/frame.js';
import { Forecaster, type ForecasterOptions } from '../forecast/forecaster.js';
import type { Backend } from '../kernels/index.js';
import type { EpochLog } from '../train/fit.js';
import { UnrollError } from '../util/errors.js';
import type { PricePanel } from './panel.js';
import type { Signal } from './policies.js';
import { checkOptions, is, mergeOptions, type KeyRules } from '../util/options.js';

export interface WalkForwardOptions {
  /** The model. @default DEFAULT_INVEST_FORECASTER */
  forecaster?: ForecasterOptions;
  /** Refit every k decisions. @default ⌈decisions / 4⌉, at most 252 (so at least four refits) */
  refitEvery?: number;
  /** Prices a company needs by a refit date to be ranked. @default lookback + 20 */
  minHistory?: number;
  backend?: Backend;
  /** Called after each refit (for progress). */
  onRefit?: (info: { refit: number; refits: number; date: string; companies: string[] }) => void;
  onEpochEnd?: (log: EpochLog) => void;
}

/** A small, quick model: a GRU over the last 20 returns (at least 10 near a listing date), forecasting the next return. */
export const DEFAULT_INVEST_FORECASTER: ForecasterOptions = {
  predict: 'return',
  features: ['return:close'],
  lookback: 20,
  scaler: 'standard',
  model: { cell: 'gru', hiddenSize: 8 },
  training: { epochs: 8, batchSize: 64, learningRate: 0.01, patience: 3, validationSplit: 0.1 },
  // Decisions read the point forecast (the mean under the MSE), not intervals: no quantile outputs.
  intervalMethod: 'conformal',
};

/**
 * The forecaster options of the walk-forward: the user's over DEFAULT_INVEST_FORECASTER, merged one
 * level deep (a given `training: { epochs: 3 }` keeps the default's batch size, learning rate, …).
 */
export function investForecasterOptions(given?: ForecasterOptions): ForecasterOptions {
  // Decisions read point forecasts only, so no training rows are held back to calibrate intervals.
  const fo = mergeOptions<ForecasterOptions>({ ...DEFAULT_INVEST_FORECASTER, calibrationSplit: 0 }, given);
  // Windows may be shorter than the lookback (down to half of it) near a company's listing date.
  if (fo.minLength === undefined) fo.minLength = Math.max(1, Math.ceil((fo.lookback ?? 20) / 2));
  return fo;
}

export interface WalkForwardResult {
  signal: Signal;
  /** The refit dates (panel indices) and which companies each model was trained on. */
  refits: { at: number; date: string; companies: string[] }[];
}

/** The keys of WalkForwardOptions and their types (ranges are checked in walkForwardSignal). */
export const WALK_FORWARD_RULES = {
  forecaster: is.object, refitEvery: is.number, minHistory: is.number, backend: is.object, onRefit: is.function, onEpochEnd: is.function,
} satisfies KeyRules<WalkForwardOptions>;

/** Scores for decisions at panel dates start … T−2 (n = T−1−start of them). */
export function walkForwardSignal(panel: PricePanel, start: number, options: WalkForwardOptions = {}): WalkForwardResult {
  checkOptions(options, WALK_FORWARD_RULES, { where: 'walkForwardSignal' });
  const T = panel.dates.length;
  const n = T - 1 - start;
  if (!Number.isInteger(start) || start < 1 || n < 1) throw new UnrollError(`invest: the first decision (date index ${start}) leaves no period to trade in ${T} dates; expected an index from 1 to ${T - 2}`, 'option');
  const fo = investForecasterOptions(options.forecaster);
  const probe = new Forecaster(fo);
  const lookback = probe.options.lookback;
  const minHistory = options.minHistory ?? lookback + 20;
  if (!Number.isInteger(minHistory) || minHistory < 3) throw new UnrollError(`option "minHistory" is ${String(minHistory)}; expected a whole number of prices ≥ 3`, 'option');
  const k = options.refitEvery ?? Math.max(1, Math.min(252, Math.ceil(n / 4)));
  if (!Number.isInteger(k) || k < 1) throw new UnrollError(`option "refitEvery" is ${String(k)}; expected a whole number of decisions ≥ 1`, 'option');
  const kind = probe.options.predict === 'direction' ? 'probability' : 'return';
  const scores = panel.ids.map(() => new Float64Array(n).fill(NaN));
  const refits: WalkForwardResult['refits'] = [];
  const total = Math.ceil(n / k);
  for (let r = start; r < T - 1; r += k) {
    const last = Math.min(r + k - 1, T - 2);
    const frames: Record<string, Frame> = {};
    const trainEnd: Record<string, number> = {};
    const startRow: Record<string, number> = {};
    const idx: number[] = [];
    panel.ids.forEach((id, i) => {
      const f0 = panel.first[i];
      if (f0 < 0 || r - f0 + 1 < minHistory) return;
      const p = panel.prices[i].subarray(f0, last + 2);
      frames[id] = frameFromArrays({ close: p }, { dates: panel.dates.slice(f0, last + 2), source: id });
      trainEnd[id] = r - f0 + 1;
      startRow[id] = r - f0 + 1;
      idx.push(i);
    });
    if (idx.length === 0) continue;
    const f = new Forecaster(fo, { backend: options.backend });
    f.fit(frames, { trainEnd, onEpochEnd: options.onEpochEnd });
    const preds = f.predictSpan(frames, { start: startRow });
    preds.forEach((res, j) => {
      const i = idx[j];
      for (let q = 0; q < res.predicted.length; q++) {
        const t = r + q - start;
        scores[i][t] = kind === 'probability' ? res.predicted[q] : res.predicted[q] / res.previous[q] - 1;
      }
    });
    const companies = idx.map((i) => panel.ids[i]);
    refits.push({ at: r, date: panel.dates[r], companies });
    options.onRefit?.({ refit: refits.length, refits: total, date: panel.dates[r], companies });
  }
  const label = kind === 'probability' ? 'P(up)' : 'forecast return';
  return { signal: { name: `model (${label})`, kind, scores }, refits };
}
