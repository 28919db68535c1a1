/** Shared helpers for the nn/ tests (random data, initial states). Not part of the public API. */
import type { Network } from './model.js';
import { relativeError } from '../testing/gradcheck.js';
import { gradients } from '../train/gradients.js';
import type { Rng } from '../util/rng.js';

export function randomSequences(rng: Rng, lengths: number[], D: number): number[][][] {
  return lengths.map((L) => Array.from({ length: L }, () => Array.from({ length: D }, () => rng.uniform(-1, 1))));
}

export function randomTargets(rng: Rng, lengths: number[], K: number, perStep: boolean): number[][] | number[][][] {
  return perStep
    ? lengths.map((L) => Array.from({ length: L }, () => Array.from({ length: K }, () => rng.uniform(-1, 1))))
    : lengths.map(() => Array.from({ length: K }, () => rng.uniform(-1, 1)));
}

/** Gives every learnable initial state non-zero values, so its gradient path is exercised. */
export function randomizeInitialStates(model: Network, rng: Rng): void {
  const w = model.store.values;
  for (const p of model.store.params) if (p.name.startsWith('initial_state')) for (let i = 0; i < p.size; i++) w[p.offset + i] = rng.uniform(-0.5, 0.5);
}

/** Central finite differences of a plain function of named weights, for every number of every weight. */
export function numericGradients(f: (w: Record<string, number[]>) => number, weights: Record<string, { data: number[] }>, eps = 1e-5): Record<string, number[]> {
  const w: Record<string, number[]> = {};
  for (const [name, v] of Object.entries(weights)) w[name] = [...v.data];
  const out: Record<string, number[]> = {};
  for (const name of Object.keys(w)) {
    out[name] = w[name].map((old, i) => {
      w[name][i] = old + eps;
      const up = f(w);
      w[name][i] = old - eps;
      const down = f(w);
      w[name][i] = old;
      return (up - down) / (2 * eps);
    });
  }
  return out;
}

/** The analytic gradient of the SSR loss of one batch, by parameter name (the public gradient call). */
export function analyticGradients(model: Network, x: number[][][], y: number[][] | number[][][]): Record<string, number[]> {
  const g = gradients(model, x, { y, loss: 'ssr', inputGradient: false });
  return Object.fromEntries(Object.entries(g.grads).map(([name, v]) => [name, v.data]));
}

/** Largest relative error between two gradient sets (same floor as gradCheck). */
export function maxRelativeError(a: Record<string, number[]>, b: Record<string, number[]>): { error: number; where: string } {
  let error = 0;
  let where = '';
  for (const name of Object.keys(a)) {
    a[name].forEach((v, i) => {
      const e = relativeError(v, b[name][i]);
      if (e > error) { error = e; where = `${name}[${i}] ${v} vs ${b[name][i]}`; }
    });
  }
  return { error, where };
}

export const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** A plain per-sample LSTM from the equations (PyTorch gate order i, f, g, o), independent of the kernels. */
export function naiveLSTM(W: Record<string, { data: number[] }>, suffix: string, D: number, H: number, seq: number[][],
  h0 = new Array(H).fill(0), c0 = new Array(H).fill(0)): { hs: number[][]; c: number[] } {
  const wi = W[`weight_ih${suffix}`].data, wh = W[`weight_hh${suffix}`].data;
  const bi = W[`bias_ih${suffix}`].data, bh = W[`bias_hh${suffix}`].data;
  let h = h0, c = c0;
  const hs: number[][] = [];
  for (const x of seq) {
    const pre = (row: number): number => {
      let z = bi[row] + bh[row];
      for (let j = 0; j < D; j++) z += wi[row * D + j] * x[j];
      for (let j = 0; j < H; j++) z += wh[row * H + j] * h[j];
      return z;
    };
    const nh = new Array(H), nc = new Array(H);
    for (let u = 0; u < H; u++) {
      const i = sig(pre(u)), f = sig(pre(H + u)), g = Math.tanh(pre(2 * H + u)), o = sig(pre(3 * H + u));
      nc[u] = f * c[u] + i * g;
      nh[u] = o * Math.tanh(nc[u]);
    }
    h = nh; c = nc;
    hs.push(h);
  }
  return { hs, c };
}

