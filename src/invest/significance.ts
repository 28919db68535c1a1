/**
 * Is one policy's Sharpe ratio above another's beyond luck? A stationary block bootstrap
 * (Politis & Romano 1994, "The Stationary Bootstrap", JASA 89(428):1303–1313) of the difference.
 *
 * Resampling. A bootstrap series of length n is built from blocks of consecutive periods with random
 * starts and geometric lengths of mean L (wrapping around the end):
 *   i_1 ~ Uniform{0 … n−1};  i_{j+1} = a new uniform start with probability p = 1/L, else (i_j + 1) mod n.
 * Both policies are resampled with the same indices, which keeps their dependence on each other and
 * any serial dependence shorter than about L periods. For the mean of a series the bootstrap
 * variance has a closed form (their Lemma 1), which the tests check this resampler against.
 *
 * Test. With per-period Sharpe ratios s(x) = mean(x − c) / sd(x − c), the statistic is
 * d = s(a) − s(b). H0: the true difference is ≤ 0. The bootstrap differences d*_1 … d*_B are
 * centred at d (so they mimic the null), and the one-sided p-value is
 *   p = (1 + #{ d*_j − d ≥ d }) / (B + 1).
 * The default mean block length is L = ⌈n^(1/3)⌉ (the usual rate for a block bootstrap of a mean).
 */
import { UnrollError, badOption } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { checkOptions, is } from '../util/options.js';

/** Fills `out` with one stationary-bootstrap resample of the indices 0 … n−1. */
export function stationaryIndices(n: number, meanBlock: number, rng: Rng, out: Int32Array): Int32Array {
  const p = 1 / meanBlock;
  let i = rng.int(n);
  for (let j = 0; j < out.length; j++) {
    if (j > 0) i = rng.next() < p ? rng.int(n) : (i + 1) % n;
    out[j] = i;
  }
  return out;
}

export function defaultBlockLength(n: number): number {
  return Math.max(1, Math.ceil(Math.cbrt(n)));
}

export interface SharpeTestOptions {
  /** Cash rate per period (the Sharpe ratio is of returns over it). @default 0 */
  cashPerPeriod?: number;
  /** Periods per year, to report the difference annualised. @default 252 */
  periodsPerYear?: number;
  /** Mean block length L. @default ⌈n^(1/3)⌉ */
  blockLength?: number;
  /** Bootstrap resamples B. @default 999 */
  resamples?: number;
  /** @default 1 */
  seed?: number;
}

export interface SharpeTest {
  /** s(a) − s(b), annualised. */
  difference: number;
  /** One-sided p-value of H0: a's Sharpe ratio is not above b's. */
  pValue: number;
  blockLength: number;
  resamples: number;
}

function perPeriodSharpe(x: ArrayLike<number>, idx: Int32Array | null, c: number): number {
  const n = idx ? idx.length : x.length;
  let s = 0;
  let ss = 0;
  for (let j = 0; j < n; j++) {
    const v = x[idx ? idx[j] : j] - c;
    s += v;
    ss += v * v;
  }
  const mean = s / n;
  const varx = (ss - n * mean * mean) / (n - 1);
  return varx > 1e-30 ? mean / Math.sqrt(varx) : 0;
}

/** Bounds of the bootstrap's resample count (19 is the fewest that can give p < 0.05). */
export const MIN_RESAMPLES = 19;
export const MAX_RESAMPLES = 1_000_000;

/** Checks the resample count and the mean block length (against n periods when known). */
export function checkBootstrapOptions(options: { resamples?: number; blockLength?: number }, n = Infinity): void {
  const { resamples, blockLength } = options;
  if (resamples !== undefined && !(Number.isInteger(resamples) && resamples >= MIN_RESAMPLES && resamples <= MAX_RESAMPLES)) {
    badOption('resamples', resamples, `an integer from ${MIN_RESAMPLES} to ${MAX_RESAMPLES} (bootstrap resamples; fewer cannot give a p-value below 0.05)`);
  }
  if (blockLength !== undefined && !(Number.isFinite(blockLength) && blockLength >= 1 && blockLength <= Math.max(1, n))) {
    badOption('block', blockLength, Number.isFinite(n) ? `a mean block length from 1 to the ${n} periods` : 'a mean block length of at least 1 period');
  }
}

/** The stationary-bootstrap test of Sharpe(a) > Sharpe(b) on paired per-period returns. */
export function sharpeDifferenceTest(a: ArrayLike<number>, b: ArrayLike<number>, options: SharpeTestOptions = {}): SharpeTest {
  checkOptions(options, { cashPerPeriod: is.number, periodsPerYear: is.positive, blockLength: is.number, resamples: is.number, seed: is.number }, { where: 'sharpeDifferenceTest' });
  const n = a.length;
  if (b.length !== n) throw new UnrollError(`sharpeDifferenceTest: ${a.length} and ${b.length} returns; expected the same periods`, 'shape');
  checkBootstrapOptions(options, n);
  const c = options.cashPerPeriod ?? 0;
  const P = options.periodsPerYear ?? 252;
  const L = options.blockLength ?? defaultBlockLength(n);
  const B = options.resamples ?? 999;
  if (n < 3) return { difference: 0, pValue: 1, blockLength: L, resamples: 0 };
  const d = perPeriodSharpe(a, null, c) - perPeriodSharpe(b, null, c);
  const rng = new Rng(options.seed ?? 1);
  const idx = new Int32Array(n);
  let count = 0;
  for (let j = 0; j < B; j++) {
    stationaryIndices(n, L, rng, idx);
    const dj = perPeriodSharpe(a, idx, c) - perPeriodSharpe(b, idx, c);
    if (dj - d >= d) count++;
  }
  return { difference: d * Math.sqrt(P), pValue: (1 + count) / (B + 1), blockLength: L, resamples: B };
}
