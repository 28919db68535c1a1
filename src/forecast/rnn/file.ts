/**
 * The RNN forecaster's file ("unroll-forecaster", version 1): the state written as JSON, and read back
 * after the whole file is validated (model-file.ts) and the options checked again.
 */
import type { EpochLog } from '../../train/fit.js';
import type { ModelJSON } from '../../train/model.js';
import { describe, UnrollError } from '../../util/errors.js';
import type { ErrorScale } from '../intervals.js';
import { checkOptionsFitNetwork, validateForecasterFile } from '../model-file.js';
import { outputCount, type ForecasterOptions, type ResolvedOptions } from './options.js';
import { requireModel } from './rollout.js';
import type { ForecasterState, SeriesScalers } from './state.js';
import type { SeasonalJSON } from '../seasonal-normalise.js';

export const FORECASTER_FORMAT = 'unroll-forecaster';
export const FORECASTER_VERSION = 1;

export interface ForecasterJSON {
  format: typeof FORECASTER_FORMAT;
  version: number;
  options: ForecasterOptions;
  scalers: Record<string, SeriesScalers>;
  residuals: number[][];
  /** A conformalized quantile forecaster's sorted scores per learnt level and step (rnn/cqr.ts). */
  cqrScores?: number[][][];
  /** Scale of the residuals. @default 'relative' (files written before it existed) */
  errorScale?: ErrorScale;
  /** Range of each scaled input over the training span, per series (for the out-of-range warning). */
  seenRange?: Record<string, { min: number[]; max: number[] }>;
  epochs: EpochLog[];
  /** Per series, its seasonal normalisation (absent in files written before it existed: none). */
  seasonal?: Record<string, SeasonalJSON>;
  /** Epochs and patience of the fit (with 'auto' resolved). */
  budget?: { epochs: number; patience: number };
  model: ModelJSON;
}

export function forecasterToJSON(f: ForecasterState): ForecasterJSON {
  const model = requireModel(f);
  return {
    format: FORECASTER_FORMAT, version: FORECASTER_VERSION,
    options: { ...f.options, features: f.options.features ?? undefined, target: f.options.target ?? undefined } as ForecasterOptions,
    scalers: f.scalers, residuals: f.residuals, ...(f.cqrScores ? { cqrScores: f.cqrScores } : {}), errorScale: f.errorScale, seenRange: f.seenRange, epochs: f.epochs, ...(f.budget ? { budget: f.budget } : {}),
    ...(Object.keys(f.seasonal).length > 0 ? { seasonal: f.seasonal } : {}), model: model.toJSON(),
  };
}

/** Checks the header and the whole file; returns it typed. `where` names the file in errors. */
export function checkForecasterFile(json: unknown, where: string): ForecasterJSON {
  const j = json as Partial<ForecasterJSON> | null;
  if (!j || typeof j !== 'object' || j.format !== FORECASTER_FORMAT) {
    throw new UnrollError(`${where}: not an unroll forecaster (format is ${describe(j && (j as { format?: unknown }).format)}, expected "${FORECASTER_FORMAT}")`, 'model-file');
  }
  if (j.version !== FORECASTER_VERSION) throw new UnrollError(`${where}: format version ${describe(j.version)} is not supported; this unroll reads version ${FORECASTER_VERSION}`, 'model-file');
  validateForecasterFile(j, where);
  return j as ForecasterJSON;
}

/**
 * The checked options (with their defaults) against the network section, once each was checked on
 * its own (so a size past its limit is named as such first): inputs, outputs, every model setting.
 */
export function checkNetworkFitsOptions(options: ResolvedOptions, j: ForecasterJSON, where: string): void {
  checkOptionsFitNetwork({ ...options, outputs: outputCount(options) }, j.model.config as unknown as Record<string, unknown>, where);
}

/** Copies a checked file's state (all but the options and the network) into `f`. */
export function restoreState(f: ForecasterState, j: ForecasterJSON): void {
  f.scalers = Object.assign(Object.create(null), j.scalers);
  f.residuals = j.residuals ?? [];
  f.cqrScores = j.cqrScores ?? null;
  f.errorScale = j.errorScale === 'absolute' ? 'absolute' : 'relative';
  f.seenRange = Object.assign(Object.create(null), j.seenRange ?? {});
  f.epochs = j.epochs ?? [];
  f.seasonal = Object.assign(Object.create(null), j.seasonal ?? {});
  f.budget = j.budget ?? null;
}
