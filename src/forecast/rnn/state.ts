/**
 * What a trained RNN forecaster holds (the Forecaster class is this state plus its methods): the
 * resolved options, the network, each series' scalers and the range its scaled inputs covered in
 * training, the calibration errors of its intervals and the training log. The other files of rnn/
 * read and write it through this interface, so none of them needs the class.
 */
import type { ScalerJSON } from '../../data/scaler.js';
import type { EpochLog } from '../../train/fit.js';
import type { RNN } from '../../train/model.js';
import type { ErrorScale } from '../intervals.js';
import type { ResolvedOptions } from './options.js';
import type { SeasonalJSON } from '../seasonal-normalise.js';

export interface SeriesScalers {
  features: ScalerJSON;
  target: ScalerJSON;
}

export interface ForecasterState {
  readonly options: ResolvedOptions;
  model: RNN | null;
  /** Per-series scalers, fitted on each series' training span. */
  scalers: Record<string, SeriesScalers>;
  /** Per series, the range [min, max] of each scaled input column over the training span. */
  seenRange: Record<string, { min: number[]; max: number[] }>;
  /** Signed h-step errors on the calibration span: residuals[h−1] = sorted errors on `errorScale`. */
  residuals: number[][];
  /** A conformalized quantile forecaster's scores (cqr.ts): cqrScores[level][h−1], sorted; null otherwise. */
  cqrScores: number[][][] | null;
  /** 'relative' (actual/predicted − 1) for positive series, 'absolute' (actual − predicted) otherwise. */
  errorScale: ErrorScale;
  /** Loss by epoch of the last fit. */
  epochs: EpochLog[];
  /** Per series, its seasonal normalisation (fitted on its training span) and why. */
  seasonal: Record<string, SeasonalJSON>;
  /** The epochs and patience the last fit had (options.training's, with 'auto' resolved); null before a fit. */
  budget: { epochs: number; patience: number } | null;
}
