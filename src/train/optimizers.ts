/**
 * Optimizers update all parameters at once, through one kernel call over the flat parameter and
 * gradient buffers. Their state (momenta) is planned once and never reallocated.
 *
 * - SGD: plain gradient descent (the seeds' "step size × derivative"), with optional momentum and
 *   Nesterov momentum: v = μv + g;  p −= lr·v   (PyTorch's convention).
 * - Adam (Kingma & Ba), with optional decoupled weight decay (AdamW).
 */
import type { Backend, Buf } from '../kernels/index.js';
import { badOption } from '../util/errors.js';

export interface Optimizer {
  readonly name: string;
  learningRate: number;
  /** Applies one update from `grads` to `params` (n numbers each). */
  step(params: Buf, grads: Buf): void;
  /** Plain-JSON state (for checkpoints). */
  describe(): Record<string, unknown>;
}

export interface SGDOptions {
  type: 'sgd';
  /** @default 0.01 */
  learningRate?: number;
  /** @default 0 */
  momentum?: number;
  /** @default false */
  nesterov?: boolean;
}

export interface AdamOptions {
  type: 'adam';
  /** @default 0.001 */
  learningRate?: number;
  /** @default 0.9 */
  beta1?: number;
  /** @default 0.999 */
  beta2?: number;
  /** @default 1e-8 */
  epsilon?: number;
  /** Decoupled weight decay (AdamW). @default 0 */
  weightDecay?: number;
}

export type OptimizerOptions = SGDOptions | AdamOptions;

function checkRate(name: string, v: unknown, lo: number, hi: number, loOpen = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi) {
    badOption(name, v, `a number in ${loOpen ? '(' : '['}${lo}, ${hi}]`);
  }
  return v;
}

export function createOptimizer(backend: Backend, n: number, options: OptimizerOptions | 'sgd' | 'adam' = 'adam'): Optimizer {
  const o: OptimizerOptions = typeof options === 'string' ? ({ type: options } as OptimizerOptions) : options;
  if (!o || typeof o !== 'object') badOption('optimizer', options, "'sgd', 'adam' or { type: 'sgd' | 'adam', ... }");
  if (o.type === 'sgd') {
    const momentum = checkRate('optimizer.momentum', o.momentum ?? 0, 0, 1);
    const nesterov = o.nesterov ?? false;
    if (nesterov && momentum === 0) badOption('optimizer.nesterov', true, 'false unless momentum > 0');
    const velocity = backend.alloc(n);
    return {
      name: 'sgd',
      learningRate: checkRate('optimizer.learningRate', o.learningRate ?? 0.01, 0, 1e6, true),
      step(params: Buf, grads: Buf): void {
        backend.sgdStep(n, params, grads, velocity, this.learningRate, momentum, nesterov);
      },
      describe() {
        return { type: 'sgd', learningRate: this.learningRate, momentum, nesterov };
      },
    };
  }
  if (o.type === 'adam') {
    const beta1 = checkRate('optimizer.beta1', o.beta1 ?? 0.9, 0, 1);
    const beta2 = checkRate('optimizer.beta2', o.beta2 ?? 0.999, 0, 1);
    const epsilon = checkRate('optimizer.epsilon', o.epsilon ?? 1e-8, 0, 1, true);
    const weightDecay = checkRate('optimizer.weightDecay', o.weightDecay ?? 0, 0, 1);
    const m = backend.alloc(n);
    const v = backend.alloc(n);
    let t = 0;
    return {
      name: 'adam',
      learningRate: checkRate('optimizer.learningRate', o.learningRate ?? 0.001, 0, 1e6, true),
      step(params: Buf, grads: Buf): void {
        t++;
        backend.adamStep(n, params, grads, m, v, this.learningRate, beta1, beta2, epsilon, weightDecay, t);
      },
      describe() {
        return { type: 'adam', learningRate: this.learningRate, beta1, beta2, epsilon, weightDecay, step: t };
      },
    };
  }
  return badOption('optimizer.type', (o as { type?: unknown }).type, "'sgd' or 'adam'");
}
