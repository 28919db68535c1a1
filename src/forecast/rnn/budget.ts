/**
 * What the training log says about the training budget. With v_1 … v_E the validation losses of the
 * E epochs that ran, b = argmin_e v_e (the first on a tie; its weights are the ones kept), `epochs`
 * the budget and p the early-stopping patience:
 *
 *   stopped early     ⇔ E < epochs (early stopping saw p epochs without a better loss)
 *   still improving   ⇔ E = epochs and b = E: the budget ran out while the loss was still falling
 *                       (the last epoch was the best): more epochs may help
 *   first epoch kept  ⇔ b = 1 and E > 1: the validation loss never improved after the first epoch
 *
 * Without a validation loss (validationSplit 0) nothing is said about the best epoch.
 */
import type { EpochLog } from '../../train/fit.js';

/**
 * The 'auto' budget, counted in optimizer updates so that a short monthly series (2 batches an epoch)
 * and a long daily one (70) get the same training: with B = ⌈(1 − validationSplit) · windows / batchSize⌉
 * batches an epoch,
 *
 *   epochs = clamp(⌈2000 / B⌉, 30, 400),   patience = clamp(⌈200 / B⌉, 6, 50).
 *
 * Measured on the bundled series and four R series (bench/budget/, docs/forecasting.md; re-measured
 * with the seasonal normalisation, bench/budget/results-current.json): with 30 epochs and patience 6,
 * 3 of 19 runs were still improving at epoch 30 (UK gas, MSFT, nottem); with this budget every run
 * stopped early (none at its cap, none on its last epoch), the kept epoch's validation loss the
 * lowest the long run reached on the median series, at a mean of 62 epochs.
 */
export const AUTO_BUDGET = { updates: 2000, patienceUpdates: 200, minEpochs: 30, maxEpochs: 400, minPatience: 6, maxPatience: 50 } as const;

export interface Budget { epochs: number; patience: number }

/** The budget for `windows` training windows; numbers given by the user are kept as they are. */
export function resolveBudget(given: { epochs: number | 'auto'; patience: number | 'auto'; batchSize: number; validationSplit: number }, windows: number): Budget {
  const batches = Math.max(1, Math.ceil(((1 - given.validationSplit) * windows) / given.batchSize));
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const a = AUTO_BUDGET;
  return {
    epochs: given.epochs === 'auto' ? clamp(Math.ceil(a.updates / batches), a.minEpochs, a.maxEpochs) : given.epochs,
    patience: given.patience === 'auto' ? clamp(Math.ceil(a.patienceUpdates / batches), a.minPatience, a.maxPatience) : given.patience,
  };
}

export interface TrainingSummary {
  /** Epochs that ran, and the budget. */
  epochs: number;
  budget: number;
  patience: number;
  /** The epoch whose weights are kept (1-based); null without a validation loss. */
  bestEpoch: number | null;
  stoppedEarly: boolean;
  stillImproving: boolean;
  firstEpochKept: boolean;
  /** ", best epoch 12 of 30 (its weights are kept)" and, when so, "; still improving at the last epoch: raise --epochs". */
  text: string;
}

export function trainingSummary(log: readonly EpochLog[], budget: Budget): TrainingSummary {
  const E = log.length;
  const val = log.map((e) => e.valLoss);
  const base = { epochs: E, budget: budget.epochs, patience: budget.patience };
  if (E === 0 || val.some((v) => v === undefined || !Number.isFinite(v))) {
    return { ...base, bestEpoch: null, stoppedEarly: false, stillImproving: false, firstEpochKept: false, text: '' };
  }
  let b = 0;
  val.forEach((v, i) => { if (v! < val[b]!) b = i; });
  const bestEpoch = b + 1;
  const stoppedEarly = E < budget.epochs;
  const stillImproving = !stoppedEarly && bestEpoch === E && E > 1;
  const firstEpochKept = bestEpoch === 1 && E > 1;
  const text = `, best epoch ${bestEpoch} of ${E} (its weights are kept)` +
    (stillImproving ? '; still improving at the last epoch: raise --epochs' : '');
  return { ...base, bestEpoch, stoppedEarly, stillImproving, firstEpochKept, text };
}
