/**
 * Student's t distribution with ν degrees of freedom: the tail probabilities and critical values the
 * Diebold–Mariano test (verdict.ts) is judged with.
 *
 *   P(|T| ≥ t)  = I_x(ν/2, 1/2),  x = ν / (ν + t²)                      (two-sided tail)
 *   P(T ≤ t)    = 1 − ½ I_x(ν/2, 1/2)  for t ≥ 0, and ½ I_x(ν/2, 1/2) for t < 0
 *
 * where I_x(a, b) = B(x; a, b) / B(a, b) is the regularized incomplete beta function, evaluated by its
 * continued fraction (modified Lentz), on the side x < (a+1)/(a+b+2) where it converges fast and by
 * the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) on the other side:
 *
 *   I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · 1 / (1 + d_1 / (1 + d_2 / (1 + …)))
 *   d_{2m+1} = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),   d_{2m} = m(b−m) x / ((a+2m−1)(a+2m))
 *
 * ln Γ comes from the Lanczos approximation (g = 7, 9 terms; relative error below 1e-15 for x > 0).
 * Critical values invert the tail by bisection. Values are checked against R's pt/qt in verdict.test.ts.
 */
import { badOption } from '../util/errors.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction of I_x(a, b) (without the prefactor), modified Lentz. */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    // even step d_{2m}
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; f *= d * c;
    // odd step d_{2m+1}
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return f;
}

/** The regularized incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaFraction(b, a, 1 - x)) / b;
}

function checkDf(df: number): void {
  if (!(typeof df === 'number' && df > 0 && Number.isFinite(df))) badOption('degrees of freedom', df, 'a positive finite number');
}

/** P(|T| ≥ |t|) for T ~ t(ν): the two-sided p-value of a t statistic. */
export function studentTTwoSided(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T ≤ t) for T ~ t(ν). */
export function studentTCdf(t: number, df: number): number {
  const tail = studentTTwoSided(t, df) / 2;
  return t >= 0 ? 1 - tail : tail;
}

/** The quantile q of t(ν), e.g. studentTQuantile(0.975, 30) = 2.042 (the two-sided 5% critical value). */
export function studentTQuantile(q: number, df: number): number {
  checkDf(df);
  if (!(q > 0 && q < 1)) badOption('quantile', q, 'a probability in (0, 1)');
  if (q === 0.5) return 0;
  if (q < 0.5) return -studentTQuantile(1 - q, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < q) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < q) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}
