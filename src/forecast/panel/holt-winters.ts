/**
 * Learned per-series Holt-Winters normalisation of the panel forecaster (ES-RNN's, Smyl 2020): each
 * series i has its own level smoothing α_i, seasonal smoothing γ_i and m initial seasonal indices,
 * stored unconstrained and learned by backpropagation together with the network:
 *
 *   α = σ(a),  γ = σ(g),  s_j = exp(u_j) (j = 0 … m−1),   σ(x) = 1 / (1 + e^−x)
 *
 * Over the values y_0 … y_{T−1} of the series (multiplicative seasonality, period m):
 *
 *   ℓ_0     = y_0 / s_0
 *   ℓ_t     = α · y_t / s_t + (1 − α) · ℓ_{t−1}            t ≥ 1
 *   s_{t+m} = γ · y_t / ℓ_t + (1 − γ) · s_t                t ≥ 0
 *
 * A window ending at e (inputs y_{e−L} … y_{e−1}, targets y_e … y_{e+h−1}) is divided by the level at
 * its last input and by each value's seasonal index, then log-squashed; the network's outputs o are
 * multiplied back by the level and the future seasonal indices (those beyond m steps repeat):
 *
 *   x_t = log y_t − log ℓ_{e−1} − log s_t
 *   z_k = log y_{e+k} − log ℓ_{e−1} − log ŝ_{e+k},   ŝ_{e+k} = s_{e + (k mod m)}   (known from y_{<e})
 *   ŷ_{e+k} = ℓ_{e−1} · ŝ_{e+k} · exp(o_k)
 *
 * Every quantity at window e depends on y_0 … y_{e−1} only. The level-wiggliness penalty (ES-RNN's
 * level variability penalty) keeps the level smooth so that the network, not the level, follows the
 * data: with d_t = log ℓ_t − log ℓ_{t−1},
 *
 *   P_i = λ · mean_{t=2…T−1} (d_t − d_{t−1})²
 *
 * The gradient of the loss reaches a, g and u through the inputs x (dL/dx from the network), the targets
 * z (dL/dz from the loss) and P, by reverse-mode differentiation through the recursion (exact; checked
 * against finite differences in float64 by holt-winters.test.ts).
 *
 * Seasonality is off (s ≡ 1, γ and u unused) when m = 1 or the series has fewer than two seasons of
 * values; the initial indices start at the series' own first seasons (each value over its season's
 * mean, averaged over up to 4 seasons), so a series never trained on still gets a sensible start.
 */
import type { PanelSettings } from './settings.js';

/** Parameters per series: a, g, then m values u. */
export function hwParamCount(s: PanelSettings): number {
  return 2 + s.period;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/** Starting smoothing coefficients: α = 0.5, γ = 0.25. */
export const INITIAL_ALPHA = 0.5;
export const INITIAL_GAMMA = 0.25;

/** Whether series y (length n) uses seasonality: m ≥ 2 and at least two whole seasons. */
export function hwSeasonal(n: number, m: number): boolean {
  return m >= 2 && n >= 2 * m;
}

/** Writes the starting parameters of series y at out[off …]. */
export function initialHwParams(y: ArrayLike<number>, s: PanelSettings, out: Float64Array, off: number): void {
  const m = s.period;
  out[off] = logit(INITIAL_ALPHA);
  out[off + 1] = logit(INITIAL_GAMMA);
  for (let j = 0; j < m; j++) out[off + 2 + j] = 0;
  if (!hwSeasonal(y.length, m)) return;
  const seasons = Math.min(4, Math.floor(y.length / m));
  const ratio = new Float64Array(m);
  for (let k = 0; k < seasons; k++) {
    let mean = 0;
    for (let j = 0; j < m; j++) mean += y[k * m + j]! / m;
    for (let j = 0; j < m; j++) ratio[j] += Math.log(y[k * m + j]! / mean) / seasons;
  }
  for (let j = 0; j < m; j++) out[off + 2 + j] = Number.isFinite(ratio[j]!) ? ratio[j]! : 0;
}

/**
 * The recursion of one series with its adjoints: forward fills ℓ and s up to T, windows read from them
 * and add their gradients into the adjoints, backward turns the adjoints into the parameters' gradient.
 * Buffers grow to the longest T seen and are reused (no allocation per batch once warm).
 */
export class HwState {
  level = new Float64Array(0);
  season = new Float64Array(0);
  dLevel = new Float64Array(0);
  dSeason = new Float64Array(0);
  T = 0;
  alpha = 0;
  gamma = 0;
  seasonal = false;

  constructor(readonly m: number) {}

  /** Runs the recursion over y_0 … y_{T−1} with the parameters at p[off …]; zeroes the adjoints. */
  forward(y: ArrayLike<number>, T: number, p: ArrayLike<number>, off: number): void {
    const m = this.m;
    if (this.level.length < T) {
      const cap = Math.max(T, 2 * this.level.length);
      this.level = new Float64Array(cap);
      this.dLevel = new Float64Array(cap);
      this.season = new Float64Array(cap + m);
      this.dSeason = new Float64Array(cap + m);
    }
    this.T = T;
    const seasonal = hwSeasonal(y.length, m);
    this.seasonal = seasonal;
    const a = sigmoid(p[off]!);
    const g = seasonal ? sigmoid(p[off + 1]!) : 0;
    this.alpha = a;
    this.gamma = g;
    const l = this.level;
    const s = this.season;
    for (let j = 0; j < m; j++) s[j] = seasonal ? Math.exp(p[off + 2 + j]!) : 1;
    this.dLevel.fill(0, 0, T);
    this.dSeason.fill(0, 0, T + m);
    // The same operations in the same order as the equations above (bit for bit), with the branches and
    // the constant factors 1 − α, 1 − γ taken out of the loop.
    const a1 = 1 - a;
    const g1 = 1 - g;
    let prev = y[0]! / s[0]!;
    l[0] = prev;
    if (seasonal) {
      s[m] = g * y[0]! / prev + g1 * s[0]!;
      for (let t = 1; t < T; t++) {
        const yt = y[t]!;
        const st = s[t]!;
        const lt = a * yt / st + a1 * prev;
        l[t] = lt;
        s[t + m] = g * yt / lt + g1 * st;
        prev = lt;
      }
    } else {
      s[m] = 1;
      for (let t = 1; t < T; t++) {
        const lt = a * y[t]! / s[t]! + a1 * prev;
        l[t] = lt;
        s[t + m] = 1;
        prev = lt;
      }
    }
  }

  /** log ŝ_{e+k}: the log seasonal index of step k after a window ending at e (e ≤ T). */
  logFutureSeason(end: number, k: number): number {
    return Math.log(this.season[end + (k % this.m)]!);
  }

  /**
   * Writes the inputs x_t of the window ending at `end` (from `start`) to out[outOff …] and returns
   * log ℓ_{end−1}. `logY`, when given, holds log y_t (the same numbers, taken once per series).
   */
  windowInputs(y: ArrayLike<number>, start: number, end: number, out: Float64Array | Float32Array, outOff: number, logY?: ArrayLike<number>): number {
    const logLevel = Math.log(this.level[end - 1]!);
    const s = this.season;
    if (logY) for (let t = start; t < end; t++) out[outOff + t - start] = logY[t]! - logLevel - Math.log(s[t]!);
    else for (let t = start; t < end; t++) out[outOff + t - start] = Math.log(y[t]!) - logLevel - Math.log(s[t]!);
    return logLevel;
  }

  /**
   * Adds a window's gradients to the adjoints: dx[t − start] = dL/dx_t (t = start … end−1) and
   * dz[k] = dL/dz_k (k = 0 … h−1), through x and z as defined above.
   */
  addWindowGradient(start: number, end: number, dx: ArrayLike<number> | null, dz: ArrayLike<number> | null, h: number): void {
    let dLogLevel = 0;
    if (dx) {
      for (let t = start; t < end; t++) {
        const g = dx[t - start]!;
        dLogLevel -= g;
        this.dSeason[t]! -= g / this.season[t]!;
      }
    }
    if (dz) {
      for (let k = 0; k < h; k++) {
        const g = dz[k]!;
        const j = end + (k % this.m);
        dLogLevel -= g;
        this.dSeason[j]! -= g / this.season[j]!;
      }
    }
    this.dLevel[end - 1]! += dLogLevel / this.level[end - 1]!;
  }

  /** Adds λ · mean (d_t − d_{t−1})² over the recursion to the adjoints and returns its value. */
  addPenalty(lambda: number): number {
    const T = this.T;
    if (lambda === 0 || T < 3) return 0;
    const l = this.level;
    const dl = this.dLevel;
    const scale = lambda / (T - 2);
    const scale2 = 2 * scale;
    // Each log ℓ_t is taken once (not three times); the sums and products are those of the definition, in order.
    let log2 = Math.log(l[0]!);
    let log1 = Math.log(l[1]!);
    let value = 0;
    for (let t = 2; t < T; t++) {
      const log0 = Math.log(l[t]!);
      const r = log0 - 2 * log1 + log2;
      value += r * r;
      const g = scale2 * r;
      dl[t]! += g / l[t]!;
      dl[t - 1]! -= 2 * g / l[t - 1]!;
      dl[t - 2]! += g / l[t - 2]!;
      log2 = log1;
      log1 = log0;
    }
    return value * scale;
  }

  /** Reverse pass through the recursion: adds dL/d(a, g, u) to grad[off …]. */
  backward(y: ArrayLike<number>, grad: Float64Array, off: number): void {
    const m = this.m;
    const a = this.alpha;
    const g = this.gamma;
    const l = this.level;
    const s = this.season;
    const dl = this.dLevel;
    const ds = this.dSeason;
    let dA = 0;
    let dG = 0;
    const a1 = 1 - a;
    const g1 = 1 - g;
    // t = T−1 … 1, then t = 0 (ℓ_0 = y_0 / s_0), with the seasonal branch taken out of the loop.
    if (this.seasonal) {
      for (let t = this.T - 1; t >= 1; t--) {
        const yt = y[t]!;
        const lt = l[t]!;
        const st = s[t]!;
        // s_{t+m} = γ y_t / ℓ_t + (1 − γ) s_t
        const gs = ds[t + m]!;
        dG += gs * (yt / lt - st);
        const gl = dl[t]! - gs * g * yt / (lt * lt);
        dl[t] = gl;
        // ℓ_t = α y_t / s_t + (1 − α) ℓ_{t−1}
        dA += gl * (yt / st - l[t - 1]!);
        ds[t] = ds[t]! + gs * g1 - gl * a * yt / (st * st);
        dl[t - 1]! += gl * a1;
      }
    } else {
      for (let t = this.T - 1; t >= 1; t--) {
        const yt = y[t]!;
        const st = s[t]!;
        const gl = dl[t]!;
        dA += gl * (yt / st - l[t - 1]!);
        ds[t]! -= gl * a * yt / (st * st);
        dl[t - 1]! += gl * a1;
      }
    }
    if (this.seasonal) {
      const gs = ds[m]!;
      dG += gs * (y[0]! / l[0]! - s[0]!);
      dl[0]! -= gs * g * y[0]! / (l[0]! * l[0]!);
      ds[0]! += gs * g1;
    }
    ds[0]! -= dl[0]! * y[0]! / (s[0]! * s[0]!);
    grad[off]! += dA * a * (1 - a);
    if (!this.seasonal) return;
    grad[off + 1]! += dG * g * (1 - g);
    for (let j = 0; j < m; j++) grad[off + 2 + j]! += ds[j]! * s[j]!;
  }
}

/** The seasonal indices ŝ_{T}, …, ŝ_{T+m−1} after the whole series, normalised to mean 1 (for reports and tests). */
export function finalSeasonalIndices(y: ArrayLike<number>, s: PanelSettings, p: ArrayLike<number>, off: number): Float64Array {
  const st = new HwState(s.period);
  st.forward(y, y.length, p, off);
  const out = Float64Array.from(st.season.subarray(y.length, y.length + s.period));
  const mean = out.reduce((x, v) => x + v, 0) / out.length;
  return out.map((v) => v / mean);
}
