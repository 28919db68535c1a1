import { Rng } from '../util/rng.js';

/**
 * A small seasonal panel for the panel forecaster's option tests: `count` series of `length` values, series i
 * at level 20 + 5i with a period-4 seasonal swing of ±30% and 5% log-normal noise from a generator seeded
 * with `seed`.
 */
export function seasonalPanel(seed: number, count = 6, length = 80): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => Array.from({ length }, (_, t) => (20 + 5 * i) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 4)) * Math.exp(0.05 * rng.normal())));
}
