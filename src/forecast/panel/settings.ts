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
  /** Networks averaged (seeds seed, seed+1, …). @default 8 (the development split: 8 members 0.462 OWA, 3 members 0.471) */
  members?: number;
  /** Most epochs per member. @default 100 */
  epochs?: number;
  /** Stop a member when the validation loss has not improved for this many epochs. @default 8 */
  patience?: number;
  /** Training windows drawn per series per epoch. @default 16 */
  windowsPerSeries?: number;
  /** Windows per batch. @default 64 */
  batchSize?: number;
  /** Adam's learning rate. @default 0.001 */
  learningRate?: number;
  /** Quantile of the point forecast in the pinball loss (0.5 = median). @default 0.5 */
  tau?: number;
  /** Forecasts are corrections to the seasonal naive forecast ('snaive') or to the level ('level'). @default 'level' */
  baseline?: 'snaive' | 'level';
  /** Statistical companion whose combination weight is chosen on the validation windows (combine.ts), or 'none'. @default 'theta' */
  companion?: 'theta' | 'none';
  /** Gradient clipping by global norm. @default 1 */
  clipNorm?: number;
  /** Seed of the first member. @default 1 */
  seed?: number;
}

export type PanelSettings = Required<PanelOptions>;

const KNOWN = ['horizon', 'period', 'chunk', 'lookbackChunks', 'lookbackFactor', 'minChunks', 'cell', 'hiddenSize', 'numLayers', 'members',
  'epochs', 'patience', 'windowsPerSeries', 'batchSize', 'learningRate', 'tau', 'baseline', 'companion', 'clipNorm', 'seed'];

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

function checkSeed(v: unknown): number {
  const x = v ?? 1;
  if (typeof x !== 'number' || !Number.isInteger(x) || Math.abs(x) > 2 ** 31) badOption('seed', v, 'an integer');
  return x;
}

/** Fills in every default from the period and the horizon, checking each option. */
export function panelSettings(options: PanelOptions): PanelSettings {
  if (!options || typeof options !== 'object') throw new UnrollError('panel model: expected an options object such as { horizon: 48, period: 24 }', 'option');
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) badOption(key, (options as unknown as Record<string, unknown>)[key], `no such option; known options: ${KNOWN.join(', ')}`);
  }
  const horizon = positiveInt('horizon', options.horizon, NaN, 10000);
  const period = positiveInt('period', options.period, NaN, 10000);
  const chunk = positiveInt('chunk', options.chunk, period >= 2 ? period : 1, 10000);
  const lookbackFactor = number('lookbackFactor', options.lookbackFactor, 4, 0, 1000);
  const minChunks = positiveInt('minChunks', options.minChunks, 3, 10000);
  const lookbackChunks = positiveInt('lookbackChunks', options.lookbackChunks, Math.max(Math.ceil(lookbackFactor * horizon / chunk), minChunks), 100000);
  if (lookbackChunks * chunk > 1e6) badOption('lookbackChunks', lookbackChunks, `a window of at most 1e6 values (it is ${lookbackChunks} × ${chunk})`);
  const cell = options.cell ?? 'gru';
  if (!['gru', 'lstm', 'elman'].includes(cell)) badOption('cell', cell, "'gru', 'lstm' or 'elman'");
  const baseline = options.baseline ?? 'level';
  if (baseline !== 'snaive' && baseline !== 'level') badOption('baseline', baseline, "'snaive' or 'level'");
  const companion = options.companion ?? 'theta';
  if (companion !== 'theta' && companion !== 'none') badOption('companion', companion, "'theta' or 'none'");
  return {
    horizon,
    period,
    chunk,
    lookbackChunks,
    lookbackFactor,
    minChunks,
    cell,
    hiddenSize: positiveInt('hiddenSize', options.hiddenSize, 64, 4096),
    numLayers: positiveInt('numLayers', options.numLayers, 2, 16),
    members: positiveInt('members', options.members, 8, 1000),
    epochs: positiveInt('epochs', options.epochs, 100, 100000),
    patience: positiveInt('patience', options.patience, 8, 100000),
    windowsPerSeries: positiveInt('windowsPerSeries', options.windowsPerSeries, 16, 100000),
    batchSize: positiveInt('batchSize', options.batchSize, 64, 100000),
    learningRate: number('learningRate', options.learningRate, 0.001, 0, 10),
    tau: number('tau', options.tau, 0.5, 0, 1),
    baseline,
    companion,
    clipNorm: number('clipNorm', options.clipNorm, 1, 0, Infinity),
    seed: checkSeed(options.seed),
  };
}
