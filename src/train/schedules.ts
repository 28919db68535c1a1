/**
 * Learning-rate schedules, applied between epochs by the fit loop (as PyTorch's
 * `torch.optim.lr_scheduler`, with `scheduler.step()` called once after every epoch). With lr₀ the
 * optimizer's learning rate and e = 0, 1, … the epoch about to run:
 *
 * - 'step' (StepLR):       lr_e = lr₀ · γ^⌊e / stepSize⌋
 * - 'cosine' (CosineAnnealingLR, closed form): lr_e = lr_min + (lr₀ − lr_min) · (1 + cos(π·e / tMax)) / 2
 * - 'plateau' (ReduceLROnPlateau, mode 'min'): after each epoch the monitored loss L is compared
 *   with the best so far; it improves when L < best·(1 − threshold) ('rel') or L < best − threshold
 *   ('abs'). After more than `patience` epochs without improvement, lr ← max(lr·factor, minLr)
 *   (unless that changes lr by less than 1e-8), then `cooldown` epochs pass before bad epochs count again.
 *
 * The fit loop reports each epoch's learning rate in its log (`EpochLog.learningRate`).
 */
import { badOption } from '../util/errors.js';
import { checkOptions, is, type Spec } from '../util/options.js';

export interface StepSchedule {
  type: 'step';
  /** Epochs between decays. */
  stepSize: number;
  /** Factor of each decay. @default 0.1 */
  gamma?: number;
}

export interface CosineSchedule {
  type: 'cosine';
  /** Epochs of one half-period. @default the number of epochs of the fit */
  tMax?: number;
  /** The lowest learning rate. @default 0 */
  minLr?: number;
}

export interface PlateauSchedule {
  type: 'plateau';
  /** Factor of each reduction, in (0, 1). @default 0.1 */
  factor?: number;
  /** Epochs without improvement tolerated before a reduction. @default 10 */
  patience?: number;
  /** Smallest improvement that counts. @default 1e-4 */
  threshold?: number;
  /** 'rel': relative to the best loss; 'abs': absolute. @default 'rel' */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. @default 0 */
  cooldown?: number;
  /** The lowest learning rate. @default 0 */
  minLr?: number;
  /** The loss watched. @default 'valLoss' when there is validation data, else 'loss' */
  monitor?: 'loss' | 'valLoss';
}

export type ScheduleOptions = StepSchedule | CosineSchedule | PlateauSchedule;

const SPECS: Record<ScheduleOptions['type'], Spec> = {
  step: { type: is.any, stepSize: is.positiveInt, gamma: is.range(0, 1, true) },
  cosine: { type: is.any, tMax: is.positiveInt, minLr: is.nonNegative },
  plateau: {
    type: is.any, factor: is.range(0, 1, true, true), patience: is.nonNegativeInt, threshold: is.nonNegative,
    thresholdMode: is.oneOf('rel', 'abs'), cooldown: is.nonNegativeInt, minLr: is.nonNegative, monitor: is.oneOf('loss', 'valLoss'),
  },
};

/** A schedule in use: asked for the rate of each epoch. */
export interface Schedule {
  /** The learning rate for epoch `e` (0-based), given the rate in use and the last epoch's monitored loss. */
  next(epoch: number, current: number, monitored: number | undefined): number;
  /** The loss a plateau schedule watches, or null. */
  readonly monitor: 'loss' | 'valLoss' | null;
  /** The schedule's own state, for checkpoints (a plateau's best loss and counters; nothing for the closed forms). */
  getState(): ScheduleState;
  /** Restores a state from `getState`. */
  setState(state: ScheduleState): void;
}

/**
 * What a schedule remembers between epochs: for 'plateau' the best monitored loss so far (null
 * before the first), the epochs without improvement and the cooldown epochs left; 'step' and
 * 'cosine' depend on the epoch alone and keep zeros here.
 */
export interface ScheduleState {
  best: number | null;
  bad: number;
  cooling: number;
}

const STATELESS = { getState: (): ScheduleState => ({ best: null, bad: 0, cooling: 0 }), setState: (): void => {} };

/** Validates schedule options and builds the schedule for an optimizer starting at `base`. */
export function createSchedule(options: ScheduleOptions, base: number, epochs: number, hasValidation: boolean): Schedule {
  const types = Object.keys(SPECS);
  if (!options || typeof options !== 'object' || !types.includes((options as { type?: string }).type as string)) {
    badOption('schedule.type', (options as { type?: unknown } | undefined)?.type, `one of ${types.map((t) => `'${t}'`).join(', ')}`);
  }
  checkOptions(options, SPECS[options.type], { where: `schedule '${options.type}'`, prefix: 'schedule.' });
  if (options.type === 'step') {
    if (options.stepSize === undefined) badOption('schedule.stepSize', undefined, 'a positive integer (epochs between decays)');
    const gamma = options.gamma ?? 0.1;
    return { ...STATELESS, monitor: null, next: (e) => base * Math.pow(gamma, Math.floor(e / options.stepSize)) };
  }
  if (options.type === 'cosine') {
    const tMax = options.tMax ?? epochs;
    const minLr = options.minLr ?? 0;
    if (minLr > base) badOption('schedule.minLr', minLr, `at most the optimizer's learning rate (${base})`);
    return { ...STATELESS, monitor: null, next: (e) => minLr + (base - minLr) * (1 + Math.cos(Math.PI * e / tMax)) / 2 };
  }
  const factor = options.factor ?? 0.1;
  const patience = options.patience ?? 10;
  const threshold = options.threshold ?? 1e-4;
  const rel = (options.thresholdMode ?? 'rel') === 'rel';
  const cooldown = options.cooldown ?? 0;
  const minLr = options.minLr ?? 0;
  const monitor = options.monitor ?? (hasValidation ? 'valLoss' : 'loss');
  if (monitor === 'valLoss' && !hasValidation) badOption('schedule.monitor', 'valLoss', "'loss', or give validationSplit / validationData");
  let best = Infinity;
  let bad = 0;
  let cooling = 0;
  return {
    monitor,
    next(e, current, loss) {
      if (e === 0 || loss === undefined) return current;
      if (loss < (rel ? best * (1 - threshold) : best - threshold)) { best = loss; bad = 0; } else bad++;
      if (cooling > 0) { cooling--; bad = 0; }
      if (bad > patience) {
        const lowered = Math.max(current * factor, minLr);
        cooling = cooldown;
        bad = 0;
        if (current - lowered > 1e-8) return lowered;
      }
      return current;
    },
    getState: () => ({ best: Number.isFinite(best) ? best : null, bad, cooling }),
    setState(state) {
      best = state.best ?? Infinity;
      bad = state.bad;
      cooling = state.cooling;
    },
  };
}
