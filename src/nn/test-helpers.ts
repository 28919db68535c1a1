/** Shared helpers for the nn/ tests (random data, initial states). Not part of the public API. */
import type { Network } from './model.js';
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
