/**
 * The checkpoint option rules that the single-network fit (train/fit.ts) and the panel model's fit
 * (forecast/panel/checkpoint.ts), and their file helpers (train/checkpoint.ts, train/checkpoint-panel.ts),
 * share, written once:
 *
 *   { resume?, everyMinutes? }   the file helpers' options: resume a boolean, everyMinutes a positive number
 *   checkpoint.everyMinutes      the fit's option: absent (saves at epoch ends only) or a positive, finite
 *                                number of minutes, returned as milliseconds between mid-epoch saves
 *
 * Browser-safe (no node: import): the fits import it.
 */
import { badOption } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';

/** The options of fileCheckpoints and panelFileCheckpoints. */
export interface FileCheckpointOptions {
  /** Continue from the checkpoint in the folder (none there: start afresh). */
  resume?: boolean;
  /** Also save mid-epoch when this many minutes have passed since the last save. */
  everyMinutes?: number;
}

/** Checks the options of a file-checkpoint helper; `where` names the helper in the messages. */
export function checkFileCheckpointOptions(options: FileCheckpointOptions, where: string): void {
  checkOptions(options, { resume: is.boolean, everyMinutes: is.positive }, { where });
}

/** Checks a fit's `checkpoint.everyMinutes`; the milliseconds between mid-epoch saves (Infinity without it). */
export function everyMinutesMs(minutes: unknown): number {
  if (minutes === undefined) return Infinity;
  if (!(typeof minutes === 'number' && minutes > 0 && Number.isFinite(minutes))) badOption('checkpoint.everyMinutes', minutes, 'a positive number of minutes');
  return minutes * 60_000;
}
