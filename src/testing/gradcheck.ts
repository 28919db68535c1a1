/**
 * Finite-difference gradient checking for tests (float64, central differences).
 *
 * The analytic gradient of a model's loss on one batch (from BPTT) is compared with
 * (L(θ + ε) − L(θ − ε)) / 2ε for EVERY parameter and every input number. The relative error of
 * each entry is |a − n| / max(|a| + |n|, floor); the floor keeps entries that are zero up to
 * rounding from dividing by ~0.
 */
import type { Network } from '../nn/model.js';
import type { SequenceSet } from '../nn/sequences.js';
import { Trainer, type TargetSet, type TrainerOptions } from '../train/trainer.js';

export interface GradCheckResult {
  /** Largest relative error over parameters. */
  maxParamError: number;
  worstParam: string;
  /** Largest relative error over inputs. */
  maxInputError: number;
  /** Numbers checked. */
  checked: number;
  /** Largest analytic gradient magnitude seen (to show the check was not vacuous). */
  maxGrad: number;
}

export function relativeError(a: number, n: number, floor = 1e-4): number {
  return Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), floor);
}

export function gradCheck(model: Network, set: SequenceSet, targets: TargetSet, options: TrainerOptions & { eps?: number; inputs?: boolean } = {}): GradCheckResult {
  const eps = options.eps ?? 1e-5;
  const trainer = new Trainer(model, options);
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  const B = set.count;
  const lossAt = (): number => trainer.evaluateBatch(set, targets, order, 0, B, false);

  // Forward + loss (which writes dL/dy), then BPTT with the input gradient.
  trainer.evaluateBatch(set, targets, order, 0, B, false);
  model.backend.fill(model.store.count, 0, model.store.grads, 0);
  model.backward(true);
  const grads = Float64Array.from(model.store.grads);
  const T = model.steps;
  const D = model.inputSize;
  const dx = Float64Array.from(model.dx.subarray(0, T * B * D));

  const values = model.store.values;
  let maxParamError = 0;
  let worstParam = '';
  let maxGrad = 0;
  let checked = 0;
  for (const p of model.store.params) {
    for (let i = 0; i < p.size; i++) {
      const j = p.offset + i;
      const old = values[j];
      values[j] = old + eps;
      const up = lossAt();
      values[j] = old - eps;
      const down = lossAt();
      values[j] = old;
      const numeric = (up - down) / (2 * eps);
      const err = relativeError(grads[j], numeric);
      maxGrad = Math.max(maxGrad, Math.abs(grads[j]));
      if (err > maxParamError) { maxParamError = err; worstParam = `${p.name}[${i}] analytic ${grads[j]} numeric ${numeric}`; }
      checked++;
    }
  }
  let maxInputError = 0;
  if (options.inputs ?? true) {
    for (let n = 0; n < B; n++) {
      for (let t = 0; t < set.lengths[n]; t++) {
        for (let d = 0; d < D; d++) {
          const j = (n * set.maxSteps + t) * D + d;
          const old = set.data[j];
          set.data[j] = old + eps;
          const up = lossAt();
          set.data[j] = old - eps;
          const down = lossAt();
          set.data[j] = old;
          const numeric = (up - down) / (2 * eps);
          const analytic = dx[(t * B + n) * D + d];
          maxInputError = Math.max(maxInputError, relativeError(analytic, numeric));
          checked++;
        }
      }
    }
  }
  return { maxParamError, worstParam, maxInputError, checked, maxGrad };
}
