/**
 * Losses (the seeds' "divergence"). Each one reads the model's outputs `y` and writes dL/dy into
 * `dy` in the same layout, and returns the loss value. Rows that are past a sample's end (in
 * many-to-many mode) are skipped.
 *
 * - 'ssr': sum of squared residuals, Σ (observed − predicted)², as in StatQuest.
 * - 'mse': SSR divided by the number of target numbers.
 * - 'crossEntropy': softmax + cross-entropy fused (numerically stable), mean over target rows;
 *   targets are class indices.
 * - 'pinball' / `pinball(quantiles)`: the quantile (pinball) loss, mean over target numbers,
 *
 *     ρ_τ(u) = max(τ·u, (τ − 1)·u),  u = observed − predicted,   dρ/dpredicted = −τ (u > 0), 1 − τ (u < 0)
 *
 *   minimised by the τ-quantile of the observed values (τ = 0.5: the median, half the absolute error).
 *   With Q quantiles the K outputs of a row are Q blocks of K/Q: block q is fitted at τ_q (e.g. the
 *   h steps of a forecast at τ = 0.5, then the same h at 0.025 and at 0.975). At u = 0 the gradient
 *   is taken as 0.5 − τ, the mean of the two sides.
 *
 * A loss over the whole output sequence that is not a sum over steps (CMU 11-785: "the divergence
 * ... cannot always be decomposed") is a `SequenceLoss` the user writes: it gets every output
 * and returns the value and the gradient.
 */
import type { Backend, Buf } from '../kernels/index.js';
import { badOption } from '../util/errors.js';

export type LossName = 'ssr' | 'mse' | 'crossEntropy' | 'pinball';
export const LOSS_NAMES: readonly LossName[] = ['ssr', 'mse', 'crossEntropy', 'pinball'];

/** Where the outputs of one batch live and which rows count. */
export interface LossBatch {
  backend: Backend;
  /** Rows of outputs: B ('last') or T·B time-major ('sequence'). */
  rows: number;
  /** Outputs per row (K). */
  size: number;
  y: Buf;
  dy: Buf;
  /** Real-valued targets, same layout as y (regression losses). */
  target: Float64Array;
  /** Class targets, one per row, −1 = skip (cross-entropy). */
  classes: Int32Array;
  /** 1 for rows that count, 0 for rows past a sample's end. */
  mask: Uint8Array;
  /** Scratch for probabilities (cross-entropy). */
  probs: Buf;
}

/**
 * A built-in loss by name or, for the pinball loss at chosen levels, `{ type: 'pinball', quantiles }`:
 * plain data, so worker threads can build the same loss.
 */
export type LossSpec = LossName | { type: 'pinball'; quantiles: number[] };

export interface Loss {
  readonly name: string;
  /** The plain-data description of a built-in loss (absent for user-defined ones). */
  readonly spec?: LossSpec;
  /** True when targets are class indices. */
  readonly classification: boolean;
  /** Returns the loss and writes dL/dy. */
  compute(batch: LossBatch): number;
}

/** A user-defined loss over whole output sequences. Gets per-row outputs and must fill `grad`. */
export interface SequenceLoss {
  readonly name: string;
  readonly classification?: false;
  compute(batch: LossBatch): number;
}

export function squaredError(kind: 'ssr' | 'mse'): Loss {
  return {
    name: kind,
    spec: kind,
    classification: false,
    compute(b: LossBatch): number {
      let sum = 0;
      let count = 0;
      for (let r = 0; r < b.rows; r++) {
        const base = r * b.size;
        if (!b.mask[r]) {
          for (let o = 0; o < b.size; o++) b.dy[base + o] = 0;
          continue;
        }
        for (let o = 0; o < b.size; o++) {
          const residual = b.target[base + o] - b.y[base + o];
          sum += residual * residual;
          // d/dPredicted (Observed − Predicted)² = −2 (Observed − Predicted)
          b.dy[base + o] = -2 * residual;
        }
        count += b.size;
      }
      if (kind === 'mse' && count > 0) {
        b.backend.scale(b.rows * b.size, 1 / count, b.dy, 0);
        return sum / count;
      }
      return sum;
    },
  };
}

export function crossEntropy(): Loss {
  return {
    name: 'crossEntropy',
    spec: 'crossEntropy',
    classification: true,
    compute(b: LossBatch): number {
      let count = 0;
      for (let r = 0; r < b.rows; r++) if (b.mask[r] && b.classes[r] >= 0) count++;
      if (count === 0) return 0;
      return b.backend.softmaxCrossEntropy(b.rows, b.size, b.y, 0, b.classes, 0, b.probs, 0, b.dy, 0, 1 / count) / count;
    },
  };
}

/** The pinball (quantile) loss at the given levels τ ∈ (0, 1), one block of outputs per level. */
export function pinball(quantiles: readonly number[] = [0.5]): Loss {
  if (!Array.isArray(quantiles) || quantiles.length === 0) badOption('quantiles', quantiles, 'a non-empty array of levels in (0, 1), such as [0.5] or [0.5, 0.025, 0.975]');
  for (let q = 0; q < quantiles.length; q++) {
    const tau = quantiles[q];
    if (typeof tau !== 'number' || !(tau > 0 && tau < 1)) badOption(`quantiles[${q}]`, tau, 'a level strictly between 0 and 1');
  }
  const taus = Float64Array.from(quantiles);
  const Q = taus.length;
  return {
    name: Q === 1 && taus[0] === 0.5 ? 'pinball' : `pinball(${quantiles.join(', ')})`,
    spec: { type: 'pinball', quantiles: [...quantiles] },
    classification: false,
    compute(b: LossBatch): number {
      if (b.size % Q !== 0) badOption('quantiles', quantiles, `a count that divides the ${b.size} outputs per row (one block of outputs per level)`);
      const block = b.size / Q;
      let sum = 0;
      let count = 0;
      for (let r = 0; r < b.rows; r++) {
        const base = r * b.size;
        if (!b.mask[r]) {
          for (let o = 0; o < b.size; o++) b.dy[base + o] = 0;
          continue;
        }
        for (let o = 0; o < b.size; o++) {
          const tau = taus[(o / block) | 0];
          const u = b.target[base + o] - b.y[base + o];
          // ρ_τ(u) = max(τu, (τ − 1)u);  dρ/dŷ = −τ for u > 0, 1 − τ for u < 0
          sum += u > 0 ? tau * u : (tau - 1) * u;
          b.dy[base + o] = u > 0 ? -tau : u < 0 ? 1 - tau : 0.5 - tau;
        }
        count += b.size;
      }
      if (count === 0) return 0;
      b.backend.scale(b.rows * b.size, 1 / count, b.dy, 0);
      return sum / count;
    },
  };
}

export function resolveLoss(loss: LossSpec | Loss | SequenceLoss | undefined, dflt: LossName = 'mse'): Loss {
  if (loss === undefined) return resolveLoss(dflt);
  if (typeof loss === 'object' && loss && typeof (loss as Loss).compute === 'function') {
    const l = loss as Loss;
    return { name: l.name, classification: l.classification ?? false, compute: l.compute.bind(l), ...(l.spec ? { spec: l.spec } : {}) };
  }
  if (typeof loss === 'object' && loss && (loss as { type?: unknown }).type === 'pinball') {
    for (const key of Object.keys(loss)) if (key !== 'type' && key !== 'quantiles') badOption(`loss.${key}`, (loss as Record<string, unknown>)[key], "no such option of { type: 'pinball', quantiles }");
    return pinball((loss as { quantiles: number[] }).quantiles);
  }
  switch (loss) {
    case 'ssr':
    case 'mse':
      return squaredError(loss);
    case 'crossEntropy':
      return crossEntropy();
    case 'pinball':
      return pinball([0.5]);
    default:
      return badOption('loss', loss, `one of ${LOSS_NAMES.join(', ')}, { type: 'pinball', quantiles: [...] }, or an object with compute(batch)`);
  }
}
