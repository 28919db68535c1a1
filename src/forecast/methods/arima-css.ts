/**
 * The conditional sum of squares of a seasonal ARMA model, the objective that arima.ts minimises for every
 * order of its search (about a thousand evaluations per order, some thirty orders per series), written so
 * that an evaluation allocates nothing.
 *
 * With z_t = w_t − c the centred (differenced) series, the multiplied-out polynomials
 *   φ(B) Φ(B^m) = 1 − Σ_k a_k B^k,     θ(B) Θ(B^m) = 1 + Σ_k b_k B^k,
 * and n_c = p + mP values conditioned on (ε_t = 0 for t < n_c):
 *
 *   ε_t = z_t − Σ_k a_k z_{t−k} − Σ_{k: t−k ≥ n_c} b_k ε_{t−k}        (t ≥ n_c)
 *   SSE = Σ_{t ≥ n_c} ε_t².
 *
 * The sums run over the non-zero a_k and b_k in increasing k, always in that order, so every evaluation
 * gives the same bits as the straightforward loop. The AR part of every t is independent of the others and
 * runs first, lag by lag over the whole series (long independent chains the processor can overlap); only
 * the MA part is a true recursion.
 */
import { SchurCohn } from './schur-cohn.js';

/** The shape of the model: p, q, P, Q, m and whether c is estimated (the last entry of the vector). */
export interface CssShape { p: number; q: number; P: number; Q: number; period: number; constant: boolean }

export class CssEvaluator {
  readonly ncond: number;
  private readonly shape: CssShape;
  private readonly arPoly: Float64Array;
  private readonly maPoly: Float64Array;
  private readonly regFactor: Float64Array;
  private readonly seasFactor: Float64Array;
  private readonly arLags: Int32Array;
  private readonly arCoef: Float64Array;
  private readonly maLags: Int32Array;
  private readonly maCoef: Float64Array;
  private nAr = 0;
  private nMa = 0;
  private readonly roots: SchurCohn;
  private readonly u: Float64Array;
  private readonly z: Float64Array;
  private c = 0;

  /** For series of up to `length` values. */
  constructor(shape: CssShape, length: number) {
    this.shape = shape;
    const { p, q, P, Q, period: m } = shape;
    this.ncond = p + m * P;
    this.arPoly = new Float64Array(p + m * P + 1);
    this.maPoly = new Float64Array(q + m * Q + 1);
    this.regFactor = new Float64Array(Math.max(p, q) + 1);
    this.seasFactor = new Float64Array(m * Math.max(P, Q) + 1);
    this.arLags = new Int32Array(this.arPoly.length);
    this.arCoef = new Float64Array(this.arPoly.length);
    this.maLags = new Int32Array(this.maPoly.length);
    this.maCoef = new Float64Array(this.maPoly.length);
    this.roots = new SchurCohn(Math.max(p, P) + 1);
    this.u = new Float64Array(length);
    this.z = new Float64Array(length);
  }

  /**
   * Reads (φ, Φ, θ, Θ, c) from v (in that order, c only with a constant) and forms the polynomials.
   * Returns false when stationaryOnly and the AR part is not stationary (a root of φ or Φ on or inside the
   * unit circle); the CSS search itself runs unconstrained, as R's.
   */
  setCoefficients(v: ArrayLike<number>, stationaryOnly = true): boolean {
    const { p, q, P, Q, constant } = this.shape;
    if (stationaryOnly && (!this.outside(v, 0, p) || !this.outside(v, p, P))) return false;
    this.c = constant ? v[p + P + q + Q] : 0;
    // φ(B) Φ(B^m): the same dense product, term by term, as polyMul of the two lag polynomials.
    this.product(v, 0, p, p, P, -1, this.arPoly);
    this.product(v, p + P, q, p + P + q, Q, 1, this.maPoly);
    this.nAr = compress(this.arPoly, -1, this.arLags, this.arCoef);
    this.nMa = compress(this.maPoly, 1, this.maLags, this.maCoef);
    return true;
  }

  /** The constant c read by setCoefficients. */
  get constant(): number {
    return this.c;
  }

  /**
   * SSE of w (n values) with the constant c given; ε_t written to e (0 where conditioned on).
   */
  sse(w: Float64Array, c: number, e: Float64Array): number {
    const n = w.length;
    const ncond = this.ncond;
    const u = this.u;
    const z = this.z;
    for (let t = 0; t < n; t++) z[t] = w[t] - c;
    // AR part: u_t = z_t − Σ a_k z_{t−k}, lag by lag (each u_t sees its terms in increasing k).
    for (let t = ncond; t < n; t++) u[t] = z[t];
    const arLags = this.arLags;
    const arCoef = this.arCoef;
    for (let k = 0; k < this.nAr; k++) {
      const lag = arLags[k];
      const a = arCoef[k];
      for (let t = ncond; t < n; t++) u[t] -= a * z[t - lag];
    }
    // MA part: ε_t = u_t − Σ b_k ε_{t−k}, over the terms whose ε_{t−k} is not conditioned on.
    const nMa = this.nMa;
    const maLags = this.maLags;
    const maCoef = this.maCoef;
    const maxLag = nMa > 0 ? maLags[nMa - 1] : 0;
    for (let t = 0; t < ncond && t < n; t++) e[t] = 0;
    let sse = 0;
    const early = Math.min(n, ncond + maxLag);
    for (let t = ncond; t < early; t++) {
      let v = u[t];
      for (let k = 0; k < nMa; k++) {
        const s = t - maLags[k];
        if (s >= ncond) v -= maCoef[k] * e[s];
      }
      e[t] = v;
      sse += v * v;
    }
    for (let t = early; t < n; t++) {
      let v = u[t];
      for (let k = 0; k < nMa; k++) v -= maCoef[k] * e[t - maLags[k]];
      e[t] = v;
      sse += v * v;
    }
    return sse;
  }

  /** 1 − Σ c_i z^i with c = v[from … from + len) has every root outside the unit circle. */
  private outside(v: ArrayLike<number>, from: number, len: number): boolean {
    let d = len;
    while (d > 0 && -v[from + d - 1] === 0) d--;
    if (d === 0) return true;
    // Roots of 1 + Σ a_i z^i (a_i = −c_i) outside the circle ⇔ roots of u^d + Σ a_i u^{d−i} inside (schur-cohn.ts).
    const c = this.roots.coef;
    c[d] = 1;
    for (let i = 1; i <= d; i++) c[d - i] = -v[from + i - 1] * 1;
    return this.roots.inUnitDisc(d + 1, -1e-12);
  }

  /**
   * out = (1 + s Σ_{i<nr} v[r0+i] B^{i+1}) (1 + s Σ_{j<ns} v[s0+j] B^{m(j+1)}), accumulated in the order
   * of a dense product (every factor term i, then every term j).
   */
  private product(v: ArrayLike<number>, r0: number, nr: number, s0: number, ns: number, sign: 1 | -1, out: Float64Array): void {
    const m = this.shape.period;
    const a = this.regFactor;
    const b = this.seasFactor;
    const la = nr + 1;
    const lb = ns * m + 1;
    a.fill(0, 0, la);
    b.fill(0, 0, lb);
    a[0] = 1;
    b[0] = 1;
    for (let i = 0; i < nr; i++) a[i + 1] = sign * v[r0 + i];
    for (let j = 0; j < ns; j++) b[(j + 1) * m] = sign * v[s0 + j];
    out.fill(0);
    for (let i = 0; i < la; i++) for (let j = 0; j < lb; j++) out[i + j] += a[i] * b[j];
  }
}

/** The non-zero terms k ≥ 1 of poly, times sign, into lags/coef; returns how many. */
function compress(poly: Float64Array, sign: 1 | -1, lags: Int32Array, coef: Float64Array): number {
  let n = 0;
  for (let k = 1; k < poly.length; k++) {
    if (poly[k] !== 0) {
      lags[n] = k;
      coef[n] = sign * poly[k];
      n++;
    }
  }
  return n;
}
