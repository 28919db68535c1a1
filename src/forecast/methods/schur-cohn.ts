/**
 * Where the roots of a polynomial lie relative to the unit circle, without computing them: the Schur–Cohn
 * step-down recursion (the Levinson recursion run backwards). For p(z) = c_0 + c_1 z + … + c_d z^d let
 * k = c_0 / c_d and p*(z) = z^d p(1/z) the reversed polynomial. Then all roots of p lie inside the unit disc
 * iff |k| < 1 and all roots of (p(z) − k p*(z)) / z (degree d − 1) do too.
 *
 * ETS uses it for the admissible region of seasonal models (R's `admissible()` takes polyroot), ARIMA for
 * stationarity and invertibility (roots of 1 − φ_1 z − … − φ_p z^p outside the circle).
 */

/** True when every root of c[0] + c[1] z + … + c[d] z^d has modulus ≤ 1 + tol (approximately). */
export function rootsInUnitDisc(coef: readonly number[], tol = 1e-10): boolean {
  const work = new SchurCohn(coef.length);
  for (let i = 0; i < coef.length; i++) work.coef[i] = coef[i];
  return work.inUnitDisc(coef.length, tol);
}

/**
 * The same test without allocation, for optimisers that run it at every step: fill `coef` (its first `len`
 * entries), then call inUnitDisc(len). The coefficients are overwritten.
 */
export class SchurCohn {
  readonly coef: Float64Array;
  private readonly next: Float64Array;
  constructor(capacity: number) {
    this.coef = new Float64Array(capacity);
    this.next = new Float64Array(capacity);
  }

  inUnitDisc(len: number, tol = 1e-10): boolean {
    let c = this.coef;
    let next = this.next;
    while (len > 1 && c[len - 1] === 0) len--;
    while (len > 1) {
      const d = len - 1;
      const k = c[0] / c[d];
      if (!Number.isFinite(k)) return false;
      if (Math.abs(k) > 1 + tol) return false;
      if (Math.abs(k) >= 1 - 1e-12) return true; // a root on the circle (within the tolerance)
      for (let i = 0; i < d; i++) next[i] = c[i + 1] - k * c[d - 1 - i];
      const swap = c;
      c = next;
      next = swap;
      len = d;
    }
    return true;
  }
}

/**
 * True when every root of 1 + a_1 z + … + a_p z^p has modulus > r (r ≥ 1): the polynomial of a stationary
 * AR part (a_i = −φ_i) or an invertible MA part (a_i = θ_i), with the margin r − 1.
 */
export function rootsOutside(a: readonly number[], r = 1): boolean {
  let p = a.length;
  while (p > 0 && a[p - 1] === 0) p--;
  if (p === 0) return true;
  // Roots of 1 + Σ a_i z^i outside radius r  ⇔  (z = r u) roots of u^p + Σ a_i r^i u^{p−i} inside the unit disc.
  const c = new Array(p + 1);
  c[p] = 1;
  for (let i = 1; i <= p; i++) c[p - i] = a[i - 1] * r ** i;
  // Strictly inside: shrink by a hair so that roots on the circle count as outside the stable region.
  const kOk = rootsInUnitDisc(c, -1e-12);
  return kOk;
}
