/**
 * Seeded pseudo-random numbers. Every random choice in unroll (initialisation, shuffling, dropout,
 * sampling) takes one of these, so the same seed gives the same model.
 *
 * The generator is mulberry32 (a 32-bit state, period 2^32), which is small, fast and good enough
 * for initialisation and shuffling; normals come from the Box-Muller transform.
 */
export class Rng {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed = 42) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal. */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `a` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: any }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** The generator's whole state (for checkpoints): restoring it with `setState` continues the same stream. */
  getState(): { state: number; spareNormal: number | null } {
    return { state: this.state, spareNormal: this.spareNormal };
  }

  /** Restores a state from `getState`. */
  setState(s: { state: number; spareNormal: number | null }): void {
    if (!s || !Number.isInteger(s.state) || s.state < 0 || s.state > 0xffffffff || (s.spareNormal !== null && !Number.isFinite(s.spareNormal))) {
      throw new RangeError('Rng.setState: expected { state: a 32-bit unsigned integer, spareNormal: a finite number or null }');
    }
    this.state = s.state;
    this.spareNormal = s.spareNormal;
  }

  /** A new generator whose seed is drawn from this one (for independent streams). */
  fork(): Rng {
    return new Rng(this.int(2 ** 31));
  }
}
