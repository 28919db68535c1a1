/**
 * The RNN forecaster's options: what a user may set, their defaults, and the checks that turn them into
 * the resolved settings the other parts read (every integer checked against its documented limit
 * before anything is allocated).
 */
import { checkOptions, is, underPrefix } from '../../util/options.js';
import { normalizeFeatures, type FeatureSpec, type FeatureSpecObject } from '../../data/features.js';
import type { ScalerKind } from '../../data/scaler.js';
import type { CellKind } from '../../nn/cells.js';
import type { RNNOptions } from '../../train/model.js';
import { createSchedule, type ScheduleOptions } from '../../train/schedules.js';
import { badOption } from '../../util/errors.js';
import { checkSize, type LimitName } from '../../util/limits.js';
import { SEASONAL_MODES, type SeasonalMode } from '../seasonal-normalise.js';
import { INTERVAL_METHODS, outputBlocks, type IntervalMethod } from './quantiles.js';

/**
 * 'value': the next (scaled) price; 'return': the next return; 'direction': whether the next move
 * is up (a two-class classifier, "invest or not" in CMU 11-785), trained with softmax cross-entropy.
 */
export type ForecastTarget = 'value' | 'return' | 'direction';
export type ForecastStrategy = 'recursive' | 'direct';

export interface ForecasterOptions {
  /** Column to forecast. @default 'close' when present, else the frame's only column */
  target?: string;
  /** Input features (see data/features.ts). @default [target] */
  features?: FeatureSpec[];
  /** Days (steps) of history per window. @default 30 */
  lookback?: number;
  /** Shortest history a window may have (for short series). @default lookback */
  minLength?: number;
  /** What the network predicts: the next (scaled) value, or the next return. @default 'value' */
  predict?: ForecastTarget;
  /** Multi-step strategy. @default 'recursive' */
  strategy?: ForecastStrategy;
  /** Steps ahead the network outputs with strategy 'direct'. @default 1 */
  horizon?: number;
  /** Feature scaling, fitted on the training span of each series. @default 'minmax' (0..1, as in the seeds) */
  scaler?: ScalerKind;
  /** The network. @default { cell: 'lstm', hiddenSize: 32, numLayers: 1 } */
  model?: Partial<Pick<RNNOptions, 'hiddenSize' | 'numLayers' | 'activation' | 'learnInitialState'>> & { cell?: CellKind | string } & Record<string, unknown>;
  /** Training. */
  training?: {
    /** Epochs, or 'auto' (rnn/budget.ts: about 2000 optimizer updates, 30 to 400 epochs). @default 30 */ epochs?: number | 'auto';
    /** @default 64 */ batchSize?: number;
    /** Adam learning rate. @default 0.003 */ learningRate?: number;
    /** Fraction of training windows (the latest) used for validation, early stopping and interval calibration. @default 0.1 */
    validationSplit?: number;
    /** Early-stopping patience in epochs (0 = off), or 'auto' (about 200 updates, 6 to 50 epochs). @default 6 */ patience?: number | 'auto';
    /** Gradient clipping by global norm. @default 1 */ clipNorm?: number;
    /** @default 42 */ seed?: number;
    /** Worker threads for data-parallel training (Node only; 1 = none). @default 1 */ threads?: number;
    /** Learning-rate schedule (train/schedules.ts), or null for a constant rate. @default null */
    schedule?: ScheduleOptions | null;
  };
  /** Coverage of prediction intervals. @default 0.9 */
  intervalLevel?: number;
  /**
   * Fraction of each series' training rows (the latest) held out from training and early stopping to
   * calibrate the intervals on (none with intervalMethod 'quantile', which calibrates nothing) (rnn/calibration.ts): at least 20 rows when the series has them, at most
   * a quarter of it. 0 calibrates on the validation span instead (the windows early stopping chose
   * the epoch on: optimistic, measured in docs/forecasting.md). @default 0.1
   */
  calibrationSplit?: number;
  /**
   * After the intervals are calibrated on the held-out rows (calibrationSplit > 0), train the network
   * again on every training row (the same options and budget rule) and keep that calibration: the point
   * forecast then loses no rows to the hold-out, and the intervals come from a model that never saw
   * their calibration rows (its refit did). Costs a second training run. Measured in
   * docs/forecasting.md: with 'cqr' it keeps the coverage and gives the point forecast of a model
   * trained on every row; with 'conformal' the refitted model's errors no longer match the
   * calibration (coverage fell to 72% for a 90% interval at step 12). @default true with
   * intervalMethod 'cqr', false otherwise
   */
  calibrationRefit?: boolean;
  /**
   * How the intervals are made: 'conformal' (order statistics of the model's errors on the held-out
   * calibration span, intervals.ts), 'quantile' (the network learns the bounds with the pinball loss,
   * rnn/quantiles.ts; its point forecast is then the median) or 'cqr' (those bounds conformalized per
   * step on the calibration span, rnn/cqr.ts). Chosen by the numbers on the choosing span of
   * bench/intervals/ (docs/forecasting.md). @default 'cqr'
   */
  intervalMethod?: IntervalMethod;
  /**
   * Per-series seasonal normalisation of the target (seasonal-normalise.ts): 'auto' normalises a series
   * that M4's test and the seasonal strength call seasonal (as 'holt-winters'), 'classical' (fixed multiplicative indices) or
   * 'holt-winters' (evolving seasonal states of a multiplicative ETS model) whenever it can, 'off' never.
   * @default 'auto'
   */
  seasonal?: SeasonalMode;
  /** Seasonal period m of the normalisation. @default from the dates' frequency (12 monthly, 4 quarterly, 52 weekly, …; 1 when unknown) */
  period?: number;
}

export type ResolvedOptions = Required<Omit<ForecasterOptions, 'model' | 'training' | 'features' | 'target' | 'period'>> & {
  target: string | null;
  period: number | null;
  features: FeatureSpecObject[] | null;
  model: NonNullable<ForecasterOptions['model']>;
  training: Required<NonNullable<ForecasterOptions['training']>>;
};

/** The documented limit (util/limits.ts) of each integer option, checked before anything is allocated. */
const INT_LIMITS: Record<string, LimitName> = {
  horizon: 'horizon', lookback: 'lookback', minLength: 'lookback', period: 'lookback', 'training.epochs': 'epochs', 'training.batchSize': 'batchSize',
  'training.patience': 'epochs', 'training.threads': 'threads',
};

export function resolveOptions(o: ForecasterOptions): ResolvedOptions {
  checkOptions(o, {
    // Keys with is.any get their range checks (and messages) below.
    target: is.string, features: is.array, lookback: is.any, minLength: is.any, predict: is.any, strategy: is.any,
    horizon: is.any, scaler: is.any, model: is.object, training: is.object, intervalLevel: is.any, calibrationSplit: is.any, calibrationRefit: is.any, intervalMethod: is.any, seasonal: is.any, period: is.any,
  }, { where: 'Forecaster' });
  checkOptions(o.training, {
    epochs: is.any, batchSize: is.any, learningRate: is.positive, validationSplit: is.any, patience: is.any,
    clipNorm: is.positive, seed: is.number, threads: is.any, schedule: is.either(is.object, is.oneOf(null)),
  }, { where: 'Forecaster', prefix: 'training.' });
  const int = (name: string, v: unknown, dflt: number, min = 1): number => {
    const x = v ?? dflt;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) badOption(name, v, `an integer ≥ ${min}`);
    const limit = INT_LIMITS[name];
    if (limit) checkSize(`option "${name}"`, x, limit, min);
    return x;
  };
  const predict = o.predict ?? 'value';
  if (predict !== 'value' && predict !== 'return' && predict !== 'direction') badOption('predict', predict, "'value', 'return' or 'direction'");
  const strategy = o.strategy ?? 'recursive';
  if (strategy !== 'recursive' && strategy !== 'direct') badOption('strategy', strategy, "'recursive' or 'direct'");
  const horizon = int('horizon', o.horizon, 1);
  if (strategy === 'recursive' && horizon !== 1) badOption('horizon', horizon, "1 with strategy 'recursive' (use strategy 'direct' for a multi-output network)");
  const lookback = int('lookback', o.lookback, 30);
  const minLength = int('minLength', o.minLength, lookback);
  if (minLength > lookback) badOption('minLength', minLength, `at most lookback (${lookback})`);
  const scaler = o.scaler ?? 'minmax';
  if (!['minmax', 'standard', 'none'].includes(scaler)) badOption('scaler', scaler, "'minmax', 'standard' or 'none'");
  const t = o.training ?? {};
  const level = o.intervalLevel ?? 0.9;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) badOption('intervalLevel', level, 'a number in (0, 1)');
  const seasonal = o.seasonal ?? 'auto';
  if (!SEASONAL_MODES.includes(seasonal)) badOption('seasonal', seasonal, SEASONAL_MODES.map((x) => `'${x}'`).join(', '));
  const period = o.period === undefined || o.period === null ? null : int('period', o.period, 1);
  const cs = o.calibrationSplit ?? 0.1;
  if (typeof cs !== 'number' || !(cs >= 0 && cs < 0.5)) badOption('calibrationSplit', cs, 'a number in [0, 0.5)');
  const intervalMethod = o.intervalMethod ?? 'cqr';
  if (!INTERVAL_METHODS.includes(intervalMethod)) badOption('intervalMethod', intervalMethod, INTERVAL_METHODS.map((x) => `'${x}'`).join(', '));
  const calibrationRefit = o.calibrationRefit ?? intervalMethod === 'cqr';
  if (typeof calibrationRefit !== 'boolean') badOption('calibrationRefit', calibrationRefit, 'true or false');
  const vs = t.validationSplit ?? 0.1;
  if (typeof vs !== 'number' || !(vs >= 0 && vs < 0.9)) badOption('training.validationSplit', vs, 'a number in [0, 0.9)');
  // The schedule is checked now (not first at fit, where the fit's checker names its keys "schedule.…").
  if (t.schedule !== undefined && t.schedule !== null) {
    underPrefix('training.', () => createSchedule(t.schedule!, t.learningRate ?? 0.003, 1, vs > 0));
  }
  return {
    target: o.target ?? null,
    features: o.features ? normalizeFeatures(o.features) : null,
    lookback, minLength, predict, strategy, horizon, scaler, intervalLevel: level, calibrationSplit: cs, calibrationRefit, intervalMethod, seasonal, period,
    model: { cell: 'lstm', hiddenSize: 32, numLayers: 1, ...(o.model ?? {}) },
    training: {
      epochs: t.epochs === 'auto' ? 'auto' : int('training.epochs', t.epochs, 30), batchSize: int('training.batchSize', t.batchSize, 64),
      learningRate: t.learningRate ?? 0.003, validationSplit: vs, patience: t.patience === 'auto' ? 'auto' : int('training.patience', t.patience, 6, 0),
      clipNorm: t.clipNorm ?? 1, seed: t.seed ?? 42, threads: int('training.threads', t.threads, 1),
      schedule: t.schedule ?? null,
    },
  };
}

/** Steps ahead the network forecasts at once: the horizon for 'direct', else 1. */
export function stepCount(o: ResolvedOptions): number {
  return o.predict !== 'direction' && o.strategy === 'direct' ? o.horizon : 1;
}

/**
 * Outputs of the network: two logits for a direction classifier, one per step ahead for 'direct',
 * times the quantile blocks of intervalMethod 'quantile' (rnn/quantiles.ts).
 */
export function outputCount(o: ResolvedOptions): number {
  if (o.predict === 'direction') return 2;
  return stepCount(o) * outputBlocks(o);
}
