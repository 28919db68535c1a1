/**
 * Finite-difference gradient checking (float64, central differences), public as `unroll/testing`.
 *
 *   import { gradCheck } from 'unroll/testing';
 *   const r = gradCheck(model, x, y, { loss: 'ssr' });   // r.maxParamError, r.maxInputError
 *
 * The analytic gradients come from the public gradient call (`gradients`, train/gradients.ts), so
 * every float64 gradient check of the tests checks that call too.
 *
 * The analytic gradient of a model's loss on one batch (from BPTT) is compared with
 * (L(θ + ε) − L(θ − ε)) / 2ε for EVERY parameter and every input number. The relative error of
 * each entry is |a − n| / max(|a| + |n|, floor); the floor keeps entries that are zero up to
 * rounding from dividing by ~0.
 */
import type { Network } from '../nn/model.js';
import { isSequenceSet, toSequenceSet, type SequenceInput, type TargetInput } from '../nn/sequences.js';
import { toTargetSet } from '../train/fit.js';
import { gradients } from '../train/gradients.js';
import { Trainer, type TargetSet, type TrainerOptions } from '../train/trainer.js';
import { checkOptions, is } from '../util/options.js';

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

export interface GradCheckOptions {
  /** @default 'mse' */
  loss?: TrainerOptions['loss'];
  /** The finite-difference step. @default 1e-5 */
  eps?: number;
  /** Also check ∂L/∂x. @default true */
  inputs?: boolean;
}

/**
 * Compares the analytic gradient of the loss of one batch (every parameter, and every input number
 * unless `inputs` is false) with central differences. `x` and `y` are as for `fit` (or packed sets).
 * Use a float64 model (the default reference backend).
 */
export function gradCheck(model: Network, x: SequenceInput, y: TargetInput | TargetSet, options: GradCheckOptions = {}): GradCheckResult {
  checkOptions(options, { loss: is.any, eps: is.positive, inputs: is.boolean }, { where: 'gradCheck' });
  const eps = options.eps ?? 1e-5;
  const trainer = new Trainer(model, { loss: options.loss });
  // The set is perturbed in place below, so it must be the very object the loss reads.
  const set = isSequenceSet(x) ? x : toSequenceSet(x, model.inputSize, 'x');
  const targets = isTargetSet(y) ? y : toTargetSet(model, set, y, trainer.loss.classification, 'y');
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  const B = set.count;
  const lossAt = (): number => trainer.evaluateBatch(set, targets, order, 0, B, false);

  // The analytic side: the public gradient call.
  const g = gradients(model, set, { y: targets, loss: options.loss, inputGradient: options.inputs ?? true });
  const grads = new Float64Array(model.store.count);
  for (const p of model.store.params) grads.set(g.grads[p.name].data, p.offset);
  const D = model.inputSize;

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
          const analytic = g.dx[n][t][d];
          maxInputError = Math.max(maxInputError, relativeError(analytic, numeric));
          checked++;
        }
      }
    }
  }
  return { maxParamError, worstParam, maxInputError, checked, maxGrad };
}

function isTargetSet(y: unknown): y is TargetSet {
  return !!y && typeof y === 'object' && !Array.isArray(y) && 'steps' in y && ('values' in y || 'classes' in y);
}
