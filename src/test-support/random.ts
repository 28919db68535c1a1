/**
 * Seeded random numbers for tests, independent of the library's own generator (src/util/rng.ts), so a
 * test's synthetic data cannot share a bug with the code it checks.
 */

/** A seeded standard-normal stream: mulberry32 uniforms through Box–Muller. */
export function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const u = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}
