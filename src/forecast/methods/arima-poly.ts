import { rootsOutside } from './schur-cohn.js';

/**
 * Polynomial helpers shared by the ARIMA files (arima.ts, arima-ml.ts): lag polynomials, their products,
 * the differencing operator (1 − B)^d (1 − B^m)^D and its application to a series. Coefficient arrays start
 * at lag 0.
 */
export function polyMul(a: number[], b: number[]): number[] {
  const out = new Array(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  return out;
}

/** 1 − Σ c_i B^{step·i} (sign −1) or 1 + Σ c_i B^{step·i} (sign +1). */
export function lagPoly(c: ArrayLike<number>, step: number, sign: 1 | -1): number[] {
  const out = new Array(c.length * step + 1).fill(0);
  out[0] = 1;
  for (let i = 0; i < c.length; i++) out[(i + 1) * step] = sign * c[i];
  return out;
}

/** (1 − B)^d (1 − B^m)^D. */
export function differencingPoly(d: number, D: number, m: number): number[] {
  let out = [1];
  for (let i = 0; i < d; i++) out = polyMul(out, [1, -1]);
  for (let i = 0; i < D; i++) out = polyMul(out, lagPoly([1], m, -1));
  return out;
}

export function difference(y: ArrayLike<number>, d: number, D: number, m: number): Float64Array {
  let x: Float64Array = Float64Array.from(y);
  for (let i = 0; i < D; i++) {
    const nx = new Float64Array(Math.max(x.length - m, 0));
    for (let t = 0; t < nx.length; t++) nx[t] = x[t + m] - x[t];
    x = nx;
  }
  for (let i = 0; i < d; i++) {
    const nx = new Float64Array(Math.max(x.length - 1, 0));
    for (let t = 0; t < nx.length; t++) nx[t] = x[t + 1] - x[t];
    x = nx;
  }
  return x;
}

/**
 * The differenced series standardised for the optimisers (so that one finite-difference step suits every
 * coefficient): ws = (w − centre) / sd, with centre its mean when a constant is estimated (else 0) and sd its
 * sample standard deviation (1 when it is 0).
 */
export function standardise(w: Float64Array, constant: boolean): { ws: Float64Array; centre: number; sd: number } {
  const nw = w.length;
  let mu = 0;
  for (let t = 0; t < nw; t++) mu += w[t] / nw;
  let sd = 0;
  for (let t = 0; t < nw; t++) sd += (w[t] - mu) ** 2;
  sd = Math.sqrt(sd / Math.max(nw - 1, 1));
  if (!(sd > 0)) sd = 1;
  const centre = constant ? mu : 0;
  const ws = new Float64Array(nw);
  for (let t = 0; t < nw; t++) ws[t] = (w[t] - centre) / sd;
  return { ws, centre, sd };
}

/** Full AR (a_k, y-side sign: z_t = Σ a_k z_{t−k} + …) and MA (b_k) polynomials of the ARMA part. */
export function armaPolys(cf: { ar: ArrayLike<number>; sar: ArrayLike<number>; ma: ArrayLike<number>; sma: ArrayLike<number> }, m: number): { arPoly: number[]; maPoly: number[] } {
  const arPoly = polyMul(lagPoly(cf.ar, 1, -1), lagPoly(cf.sar, m, -1));
  const maPoly = polyMul(lagPoly(cf.ma, 1, 1), lagPoly(cf.sma, m, 1));
  return { arPoly, maPoly };
}

/**
 * auto.arima's rejection rule: some root of the full AR polynomial φ(B)Φ(B^m) or MA polynomial θ(B)Θ(B^m), as
 * polynomials in B, lies within 1.01 of the unit circle. A root x of the seasonal factor in x = B^m gives m
 * roots of modulus |x|^{1/m} in B, so that factor is checked against radius 1.01^m.
 */
export function nearUnitRoot(cf: { ar: ArrayLike<number>; sar: ArrayLike<number>; ma: ArrayLike<number>; sma: ArrayLike<number> }, m: number): boolean {
  const r = 1.01;
  return !rootsOutside(Array.from(cf.ar, (v) => -v), r) || !rootsOutside(Array.from(cf.sar, (v) => -v), r ** m)
    || !rootsOutside(Array.from(cf.ma), r) || !rootsOutside(Array.from(cf.sma), r ** m);
}
