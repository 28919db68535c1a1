/**
 * Optimizers update all parameters at once, through one kernel call over the flat parameter and
 * gradient buffers. Their state (momenta) is planned once and never reallocated. Each follows the
 * update rule of its `torch.optim` namesake, step for step (checked against PyTorch 1.13 fixtures in
 * optimizers.test.ts), with g = ∂L/∂p of the step:
 *
 * - SGD: v = μ·v + g;  p −= lr·v  (Nesterov: p −= lr·(g + μ·v)); the seeds' "step size × derivative"
 *   when μ = 0.
 * - Adam (Kingma & Ba): with weight decay λ it is L2 regularisation, as torch.optim.Adam:
 *   g ← g + λ·p;  m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  p −= lr·m̂/(√v̂ + ε),
 *   m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
 * - AdamW (Loshchilov & Hutter, decoupled weight decay), as torch.optim.AdamW:
 *   p −= lr·λ·p, then the Adam step without λ in g.  @default λ = 0.01
 * - RMSprop (Hinton), as torch.optim.RMSprop: g ← g + λ·p;  s = α·s + (1−α)·g²;
 *   d = √s + ε (centred: a = α·a + (1−α)·g, d = √(s − a²) + ε);  p −= lr·g/d, or with momentum μ:
 *   b = μ·b + g/d, p −= lr·b.
 *
 * `learningRate` is writable: the learning-rate schedules (schedules.ts) set it between epochs.
 */
import type { Backend, Buf } from '../kernels/index.js';
import { UnrollError, badOption } from '../util/errors.js';
import { checkOptions, is, type Spec } from '../util/options.js';

export interface Optimizer {
  readonly name: string;
  learningRate: number;
  /** Applies one update from `grads` to `params` (n numbers each). `grads` may be changed (weight decay is added in place). */
  step(params: Buf, grads: Buf): void;
  /** Plain-JSON state (for checkpoints). */
  describe(): Record<string, unknown>;
  /** The optimizer's whole state for a checkpoint: its step count and copies of its moment buffers. */
  saveState(): OptimizerState;
  /** Restores a state from `saveState` (same optimizer kind and parameter count). */
  loadState(state: OptimizerState): void;
}

/** An optimizer's state: what it is, its step count, and its moment buffers (each n numbers). */
export interface OptimizerState {
  name: string;
  step: number;
  buffers: Float64Array[];
}

function checkState(state: OptimizerState, name: string, n: number, count: number): void {
  if (!state || state.name !== name || !Number.isInteger(state.step) || state.step < 0 || !Array.isArray(state.buffers) ||
      state.buffers.length !== count || state.buffers.some((b) => !b || b.length !== n)) {
    throw new UnrollError(`optimizer state: expected the state of a ${name} optimizer over ${n} parameters (${count} buffer(s)); the checkpoint does not fit this model`, 'checkpoint');
  }
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
  type: 'adam' | 'adamw';
  /** @default 0.001 */
  learningRate?: number;
  /** @default 0.9 */
  beta1?: number;
  /** @default 0.999 */
  beta2?: number;
  /** @default 1e-8 */
  epsilon?: number;
  /** 'adam': L2 penalty added to the gradient (torch.optim.Adam); 'adamw': decoupled decay (torch.optim.AdamW). @default 0 for 'adam', 0.01 for 'adamw' */
  weightDecay?: number;
}

export interface RMSpropOptions {
  type: 'rmsprop';
  /** @default 0.01 (as PyTorch) */
  learningRate?: number;
  /** Smoothing constant α of the squared-gradient average. @default 0.99 */
  alpha?: number;
  /** @default 1e-8 */
  epsilon?: number;
  /** L2 penalty added to the gradient. @default 0 */
  weightDecay?: number;
  /** @default 0 */
  momentum?: number;
  /** Normalise by the variance of the gradient instead of its second moment. @default false */
  centered?: boolean;
}

export type OptimizerOptions = SGDOptions | AdamOptions | RMSpropOptions;
export type OptimizerName = OptimizerOptions['type'];
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'adam', 'adamw', 'rmsprop'];

const LR = is.range(0, 1e6, true);
const UNIT = is.range(0, 1);
const SPECS: Record<OptimizerName, Spec> = {
  sgd: { type: is.any, learningRate: LR, momentum: UNIT, nesterov: is.boolean },
  adam: { type: is.any, learningRate: LR, beta1: is.range(0, 1, false, true), beta2: is.range(0, 1, false, true), epsilon: is.range(0, 1, true), weightDecay: UNIT },
  adamw: { type: is.any, learningRate: LR, beta1: is.range(0, 1, false, true), beta2: is.range(0, 1, false, true), epsilon: is.range(0, 1, true), weightDecay: UNIT },
  rmsprop: { type: is.any, learningRate: LR, alpha: UNIT, epsilon: is.range(0, 1, true), weightDecay: UNIT, momentum: UNIT, centered: is.boolean },
};

export function createOptimizer(backend: Backend, n: number, options: OptimizerOptions | OptimizerName = 'adam'): Optimizer {
  const o = (typeof options === 'string' ? { type: options } : options) as OptimizerOptions;
  const names = OPTIMIZER_NAMES.map((x) => `'${x}'`).join(', ');
  if (!o || typeof o !== 'object' || Array.isArray(o)) badOption('optimizer', options, `one of ${names}, or { type: ${OPTIMIZER_NAMES.map((x) => `'${x}'`).join(' | ')}, ... }`);
  if (!OPTIMIZER_NAMES.includes(o.type)) badOption(typeof options === 'string' ? 'optimizer' : 'optimizer.type', o.type, `one of ${names}`);
  checkOptions(o, SPECS[o.type], { where: `optimizer '${o.type}'`, prefix: 'optimizer.' });
  if (o.type === 'sgd') {
    const momentum = o.momentum ?? 0;
    const nesterov = o.nesterov ?? false;
    if (nesterov && momentum === 0) badOption('optimizer.nesterov', true, 'false unless momentum > 0');
    const velocity = backend.alloc(n);
    return {
      name: 'sgd',
      learningRate: o.learningRate ?? 0.01,
      step(params: Buf, grads: Buf): void {
        backend.sgdStep(n, params, grads, velocity, this.learningRate, momentum, nesterov);
      },
      describe() {
        return { type: 'sgd', learningRate: this.learningRate, momentum, nesterov };
      },
      saveState() {
        return { name: 'sgd', step: 0, buffers: [Float64Array.from(velocity.subarray(0, n))] };
      },
      loadState(state: OptimizerState) {
        checkState(state, 'sgd', n, 1);
        velocity.set(state.buffers[0]);
      },
    };
  }
  if (o.type === 'adam' || o.type === 'adamw') {
    const decoupled = o.type === 'adamw';
    const beta1 = o.beta1 ?? 0.9;
    const beta2 = o.beta2 ?? 0.999;
    const epsilon = o.epsilon ?? 1e-8;
    const weightDecay = o.weightDecay ?? (decoupled ? 0.01 : 0);
    const m = backend.alloc(n);
    const v = backend.alloc(n);
    let t = 0;
    return {
      name: o.type,
      learningRate: o.learningRate ?? 0.001,
      step(params: Buf, grads: Buf): void {
        t++;
        if (!decoupled && weightDecay > 0) backend.axpy(n, weightDecay, params, 0, grads, 0);
        backend.adamStep(n, params, grads, m, v, this.learningRate, beta1, beta2, epsilon, decoupled ? weightDecay : 0, t);
      },
      describe() {
        return { type: o.type, learningRate: this.learningRate, beta1, beta2, epsilon, weightDecay, step: t };
      },
      saveState() {
        return { name: 'adam', step: t, buffers: [Float64Array.from(m.subarray(0, n)), Float64Array.from(v.subarray(0, n))] };
      },
      loadState(state: OptimizerState) {
        checkState(state, 'adam', n, 2);
        m.set(state.buffers[0]);
        v.set(state.buffers[1]);
        t = state.step;
      },
    };
  }
  const r = o as RMSpropOptions;
  const alpha = r.alpha ?? 0.99;
  const epsilon = r.epsilon ?? 1e-8;
  const weightDecay = r.weightDecay ?? 0;
  const momentum = r.momentum ?? 0;
  const centered = r.centered ?? false;
  const sq = backend.alloc(n);
  const avg = centered ? backend.alloc(n) : null;
  const buf = momentum > 0 ? backend.alloc(n) : null;
  return {
    name: 'rmsprop',
    learningRate: r.learningRate ?? 0.01,
    step(params: Buf, grads: Buf): void {
      if (weightDecay > 0) backend.axpy(n, weightDecay, params, 0, grads, 0);
      backend.rmspropStep(n, params, grads, sq, avg, buf, this.learningRate, alpha, epsilon, momentum);
    },
    describe() {
      return { type: 'rmsprop', learningRate: this.learningRate, alpha, epsilon, weightDecay, momentum, centered };
    },
    saveState() {
      return { name: 'rmsprop', step: 0, buffers: [sq, avg, buf].filter((b): b is Buf => b !== null).map((b) => Float64Array.from(b.subarray(0, n))) };
    },
    loadState(state: OptimizerState) {
      const live = [sq, avg, buf].filter((b): b is Buf => b !== null);
      checkState(state, 'rmsprop', n, live.length);
      live.forEach((b, i) => b.set(state.buffers[i]));
    },
  };
}
