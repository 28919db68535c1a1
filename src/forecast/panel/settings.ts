/**
 * Settings of the global panel forecaster, every default derived from the seasonal period m and the
 * horizon h (never from one data set):
 *
 *   chunk c      = m when m ≥ 2, else 1     (one recurrent step reads one whole season of values)
 *   lookback L   = c · K,  K = max(⌈lookbackFactor · h / c⌉, minChunks)  (whole seasons, at least ≈ lookbackFactor·h values)
 *   outputs      = h                       (direct multi-horizon: all h steps at once)
 *
 * The network is a small recurrent stack whose last state feeds a dense head of h outputs.
 */
import type { CellKind } from '../../nn/cells.js';
import { UnrollError, badOption } from '../../util/errors.js';
import { checkOptions, is, type Spec } from '../../util/options.js';
import { residualBlock, residualRule } from '../../nn/stack.js';
import { checkCalendarOption, type CalendarOption } from './calendar.js';

export interface PanelOptions {
  /** Steps ahead to forecast (h). */
  horizon: number;
  /** Seasonal period m (1 = none): 24 hourly, 7 daily, 52 weekly, 12 monthly, 4 quarterly. */
  period: number;
  /** Values per recurrent step. @default m when m ≥ 2, else 1 */
  chunk?: number;
  /** Input window, in chunks (K). @default max(⌈lookbackFactor·h / chunk⌉, minChunks) */
  lookbackChunks?: number;
  /** Input window is at least this many horizons long. @default 4 */
  lookbackFactor?: number;
  /** Fewest chunks in the default window. @default 3 */
  minChunks?: number;
  /** Recurrent cell. @default 'gru' */
  cell?: CellKind;
  /** Units per recurrent layer. @default 64 */
  hiddenSize?: number;
  /** Recurrent layers. @default 2 */
  numLayers?: number;
  /**
   * Dilation of each recurrent layer, in chunk steps, one per layer: layer l computes its state at step t from
   * its state at t − d_l (nn/dilated.ts). With daily chunks of hourly data, 7 is a week. @default every layer 1
   */
  dilations?: number[];
  /**
   * Residual connections between recurrent layers (nn/stack.ts): `true` (or 1) adds each layer's input from
   * the layer below to its output; a number k does so between blocks of k layers, as ES-RNN does. numLayers
   * must be a multiple of k with at least two blocks. Saved as k (0: none). @default false (development split of M4
   * Hourly, the network alone, 3 members over seeds 1–6: 4 residual layers 0.4225 OWA against 0.4250 for 2 plain ones, no
   * effect beyond seed noise; docs/forecasting.md, "Development loop")
   */
  residual?: boolean | number;
  /** Networks averaged (seeds seed, seed+1, …). @default 8 (the development split, window normalisation: 8 members 0.462 OWA, 3 members 0.471) */
  members?: number;
  /** Most epochs per member. @default 100 */
  epochs?: number;
  /** Stop a member when the validation loss has not improved for this many epochs. @default 8 */
  patience?: number;
  /** Training windows drawn per series per epoch (fewer where maxEpochSteps binds). @default 16 */
  windowsPerSeries?: number;
  /**
   * The most recurrent steps an epoch may take, counted as windows × lookbackChunks (windows.ts sampleWindows):
   * a panel whose windowsPerSeries windows from every series would take more draws floor(maxEpochSteps /
   * lookbackChunks) windows an epoch instead, spread evenly over its series (each series ⌊T/N⌋ or ⌈T/N⌉ windows,
   * which ones at random), so that an epoch's cost stops growing with the number of series.
   * @default 524288 (2^19: about 5 s of one thread's training at 64 units on one-value chunks, where an epoch of 353,600
   * steps took about 3.1 s; every panel looked at is below it, M4 Hourly's
   * epoch is 414 × 16 × 8 = 52,992 steps, so none of their results changes; a panel of M4 Daily's size, 4,227 series of
   * 56 chunks, would otherwise take about 3.8 million steps an epoch; docs/forecasting.md "Large panels: a budget per epoch")
   */
  maxEpochSteps?: number;
  /** Windows per batch. @default 64 */
  batchSize?: number;
  /** Adam's learning rate. @default 0.001 */
  learningRate?: number;
  /** Quantile of the point forecast in the pinball loss (0.5 = median). @default 0.5 */
  tau?: number;
  /** Forecasts are corrections to the seasonal naive forecast ('snaive') or to the level ('level'). @default 'level' */
  baseline?: 'snaive' | 'level';
  /**
   * Statistical companion (companion.ts) combined with the network, its weight chosen on validation windows
   * the network never trained on (validation.ts, combine.ts): 'ets-arima' = the mean of each series' automatic
   * ETS and ARIMA forecasts; 'select' = chosen for the panel on its last two windows among Theta, damped, SES,
   * seasonal naive and their median (cheaper: no ETS or ARIMA); 'series' = chosen for each series alone on its
   * last two windows among Theta, damped, ETS, ARIMA and their mean and median; 'auto' = 'ets-arima' where
   * its fits are affordable (companion.ts autoCompanion: the panel's values, 12 times over for a seasonal
   * ARIMA with m ≤ 12, 90 times with 12 < m ≤ 24, twice otherwise, at most AUTO_COST_MAX), else 'select'; 'median' or 'theta' fixed; 'none' = the
   * network alone, trained on every value. @default 'auto' (chosen on the ten development and first held-out panels:
   * docs/forecasting.md, "Choosing the companion on every panel looked at"; its cost rule in "After the second held-out panels",
   * its limit raised for the fits on the fit's threads in "The companion's fits on worker threads")
   */
  companion?: (typeof PANEL_COMPANIONS)[number];
  /**
   * Evidence z the network needs to get any weight against the companion (combine.ts chooseWeight): the gain
   * of the best weight over the companion alone, summed over the validation series, must be at least z
   * standard errors of that sum. 0 takes the best weight on validation whatever its margin. @default 3 (a gain
   * that one of the four weights would show by chance with probability about 0.5% under a normal approximation;
   * chosen on the ten development and first held-out panels: docs/forecasting.md, "Choosing the companion on every panel looked at"; its cost rule in "After the second held-out panels")
   */
  weightEvidence?: number;
  /**
   * Validation windows per series on which the network's weight and the combination's band are chosen
   * (validation.ts): 2 = the last two windows of h values, the members of the first training pass trained on
   * the values before them; 1 = the last window only. Two windows are used where some series has at least
   * chunk + 4h values, else one (one with companion 'series'). @default 2 (chosen after every held-out set had been scored, so no clean set judged it: the 26 panels looked at: never worse than one window on any of
   * the five sets of panels, better on one; M4 Hourly unchanged; docs/forecasting.md "Two validation windows")
   */
  validationWindows?: 1 | 2;
  /**
   * How each window is made scale-free: 'hw' = per-series Holt-Winters level and seasonal indices learned
   * with the network (holt-winters.ts); 'window' = the mean of the window's last chunk (normalise.ts).
   * @default 'hw' (development split of M4 Hourly, 3 members: OWA 0.426 against 0.476 for 'window')
   */
  normalisation?: 'hw' | 'window';
  /** Weight λ of the level-wiggliness penalty of 'hw' (mean squared second difference of the log level). @default 10 */
  levelPenalty?: number;
  /** Adam's learning rate for the per-series Holt-Winters parameters. @default 0.01 */
  hwLearningRate?: number;
  /** Gradient clipping by global norm. @default 1 */
  clipNorm?: number;
  /** Seed of the first member. @default 1 */
  seed?: number;
  /**
   * Calendar inputs (calendar.ts): where the dates of every series are given (fit option "dates") and regular,
   * each recurrent step also reads the calendar position of its chunk and of the first forecast step, as
   * (sin, cos) pairs. 'auto' = the cycles the frequency makes meaningful that the seasonal period does not
   * already hold (hourly: hourOfDay, dayOfWeek; daily: dayOfWeek, dayOfYear; monthly: monthOfYear; …), none
   * without dates or with irregular ones; 'none'; or a list of 'hourOfDay', 'dayOfWeek', 'dayOfYear',
   * 'monthOfYear'. A fitted model holds the list it used. @default 'auto' (without dates, as in M4's files, nothing
   * changes; on the dated daily panel of bench/calendar/daily.ts it did not hurt: MASE −0.011 ± 0.009 against
   * 'none' for the network alone, +0.0005 ± 0.0009 with the companion, both within noise; no gain on real data
   * shown; docs/forecasting.md, "Calendar inputs")
   */
  calendar?: CalendarOption;
}

export type PanelSettings = Required<Omit<PanelOptions, 'residual'>> & { residual: number };

/** maxEpochSteps' default (see PanelOptions). */
export const DEFAULT_MAX_EPOCH_STEPS = 2 ** 19;

/** maxEpochSteps of model files and checkpoint pieces written before it existed: no budget. */
export const NO_EPOCH_BUDGET = Number.MAX_SAFE_INTEGER;

/** The companions a panel model can have (option `companion`; companion.ts). */
export const PANEL_COMPANIONS = ['auto', 'ets-arima', 'series', 'select', 'median', 'theta', 'none'] as const;

/** Types and key names (util/options.ts); the ranges that depend on other options are checked below. */
const SPEC: Spec = {
  horizon: is.positiveInt, period: is.positiveInt, chunk: is.positiveInt, lookbackChunks: is.positiveInt, lookbackFactor: is.positive,
  minChunks: is.positiveInt, cell: is.oneOf('gru', 'lstm', 'elman'), hiddenSize: is.positiveInt, numLayers: is.positiveInt, dilations: is.array, residual: residualRule,
  members: is.positiveInt, epochs: is.positiveInt, patience: is.positiveInt, windowsPerSeries: is.positiveInt, maxEpochSteps: is.positiveInt, batchSize: is.positiveInt,
  learningRate: is.positive, tau: is.range(0, 1, true, true), baseline: is.oneOf('snaive', 'level'), companion: is.oneOf(...PANEL_COMPANIONS), weightEvidence: is.nonNegative, validationWindows: is.oneOf(1, 2),
  normalisation: is.oneOf('hw', 'window'), levelPenalty: is.nonNegative, hwLearningRate: is.positive, clipNorm: is.positive, seed: is.number,
  calendar: (v) => (v === 'auto' || v === 'none' || Array.isArray(v) ? null : "'auto', 'none' or a list of calendar features"),
};

function positiveInt(name: string, v: unknown, dflt: number, max = 1e6): number {
  const x = v === undefined ? dflt : v;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > max) badOption(name, v, `a positive integer up to ${max}`);
  return x;
}

function number(name: string, v: unknown, dflt: number, lo: number, hi: number): number {
  const x = v === undefined ? dflt : v;
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= lo || x >= hi) badOption(name, v, `a number in (${lo}, ${hi})`);
  return x;
}

function nonNegative(name: string, v: unknown, dflt: number): number {
  const x = v === undefined ? dflt : v;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 1e6) badOption(name, v, 'a number in [0, 1e6]');
  return x;
}

/** One integer per layer, each from 1 to the window's length in chunks (a longer skip never reaches a state). */
function checkDilations(v: unknown, numLayers: number, lookbackChunks: number): number[] {
  if (v === undefined) return new Array<number>(numLayers).fill(1);
  if (!Array.isArray(v) || v.length !== numLayers) badOption('dilations', v, `an array of ${numLayers} integers, one per recurrent layer (numLayers is ${numLayers}), such as [${[1, 7, 28, 56].slice(0, numLayers).join(', ')}]`);
  v.forEach((d: unknown, l) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > lookbackChunks) badOption(`dilations[${l}]`, d, `an integer from 1 to the window's ${lookbackChunks} chunks (lookbackChunks)`);
  });
  return [...(v as number[])];
}

function checkSeed(v: unknown): number {
  const x = v ?? 1;
  if (typeof x !== 'number' || !Number.isInteger(x) || Math.abs(x) > 2 ** 31) badOption('seed', v, 'an integer');
  return x;
}

/** Fills in every default from the period and the horizon, checking each option. */
export function panelSettings(options: PanelOptions): PanelSettings {
  if (!options || typeof options !== 'object') throw new UnrollError('panel model: expected an options object such as { horizon: 48, period: 24 }', 'option');
  checkOptions<PanelOptions>(options, SPEC, { where: 'panel model' });
  const horizon = positiveInt('horizon', options.horizon, NaN, 10000);
  const period = positiveInt('period', options.period, NaN, 10000);
  const chunk = positiveInt('chunk', options.chunk, period >= 2 ? period : 1, 10000);
  const lookbackFactor = number('lookbackFactor', options.lookbackFactor, 4, 0, 1000);
  const minChunks = positiveInt('minChunks', options.minChunks, 3, 10000);
  const lookbackChunks = positiveInt('lookbackChunks', options.lookbackChunks, Math.max(Math.ceil(lookbackFactor * horizon / chunk), minChunks), 100000);
  if (lookbackChunks * chunk > 1e6) badOption('lookbackChunks', lookbackChunks, `a window of at most 1e6 values (it is ${lookbackChunks} × ${chunk})`);
  const numLayers = positiveInt('numLayers', options.numLayers, 2, 16);
  const cell = options.cell ?? 'gru';
  if (!['gru', 'lstm', 'elman'].includes(cell)) badOption('cell', cell, "'gru', 'lstm' or 'elman'");
  const baseline = options.baseline ?? 'level';
  if (baseline !== 'snaive' && baseline !== 'level') badOption('baseline', baseline, "'snaive' or 'level'");
  const normalisation = options.normalisation ?? 'hw';
  if (normalisation === 'hw' && options.baseline === 'snaive') badOption('baseline', 'snaive', "'level' with normalisation 'hw' (its seasonal indices are the baseline)");
  const companion = options.companion ?? 'auto';
  return {
    horizon,
    period,
    chunk,
    lookbackChunks,
    lookbackFactor,
    minChunks,
    cell,
    hiddenSize: positiveInt('hiddenSize', options.hiddenSize, 64, 4096),
    numLayers,
    dilations: checkDilations(options.dilations, numLayers, lookbackChunks),
    residual: residualBlock(options.residual, numLayers),
    members: positiveInt('members', options.members, 8, 1000),
    epochs: positiveInt('epochs', options.epochs, 100, 100000),
    patience: positiveInt('patience', options.patience, 8, 100000),
    windowsPerSeries: positiveInt('windowsPerSeries', options.windowsPerSeries, 16, 100000),
    maxEpochSteps: positiveInt('maxEpochSteps', options.maxEpochSteps, DEFAULT_MAX_EPOCH_STEPS, Number.MAX_SAFE_INTEGER),
    batchSize: positiveInt('batchSize', options.batchSize, 64, 100000),
    learningRate: number('learningRate', options.learningRate, 0.001, 0, 10),
    tau: number('tau', options.tau, 0.5, 0, 1),
    baseline,
    companion,
    weightEvidence: nonNegative('weightEvidence', options.weightEvidence, 3),
    validationWindows: options.validationWindows ?? 2,
    normalisation,
    levelPenalty: nonNegative('levelPenalty', options.levelPenalty, 10),
    hwLearningRate: number('hwLearningRate', options.hwLearningRate, 0.01, 0, 10),
    clipNorm: number('clipNorm', options.clipNorm, 1, 0, Infinity),
    seed: checkSeed(options.seed),
    calendar: checkCalendarOption(options.calendar),
  };
}
