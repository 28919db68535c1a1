/**
 * The exact Gaussian likelihood of a (multiplied-out) ARMA model, by the Kalman filter on its state-space
 * form: what arima-ml.ts maximises for every order of the search, and the filtered state its forecasts
 * start from. Written from the published equations (Harvey 1989, §3.3 and §3.4; Durbin & Koopman 2012,
 * ch. 3 and §4.3; Brockwell & Davis 1991, §3.3 for the autocovariances); evaluations allocate nothing.
 *
 * The model, on the centred (differenced) series z_t = w_t − c, with φ and θ the full polynomials (regular
 * times seasonal, p' = p + mP and q' = q + mQ terms):
 *
 *   z_t = Σ_{k=1}^{p'} φ_k z_{t−k} + ε_t + Σ_{k=1}^{q'} θ_k ε_{t−k},     ε_t ~ N(0, σ²).
 *
 * State space (Harvey's form), r = max(p', q' + 1), φ_k = 0 for k > p', θ_k = 0 for k > q', θ_0 = 1:
 *
 *   z_t = Z α_t,   α_{t+1} = T α_t + R ε_{t+1},
 *   Z = (1, 0, …, 0),   T = [φ_1 … φ_r in the first column, the identity above the diagonal],
 *   R = (1, θ_1, …, θ_{r−1})ᵀ,   so α_t[i] = Σ_{j=1}^{r−i} (φ_{i+j} z_{t−j} + θ_{i+j−1} ε_{t−j+1}).
 *
 * Everything below is in units of σ² (σ² = 1), which is then concentrated out.
 *
 * Initial state: a_1 = 0 and P_1 the stationary covariance, the solution of the discrete Lyapunov equation
 * P = T P Tᵀ + R Rᵀ. We do not solve it as a linear system: its first row follows from the autocovariances
 * γ(k) and the MA(∞) weights ψ_j of the process,
 *
 *   ψ_0 = 1,  ψ_j = θ_j + Σ_{k=1}^{min(j,p')} φ_k ψ_{j−k};
 *   γ(k) − Σ_{j=1}^{p'} φ_j γ(|k − j|) = Σ_{j=k}^{q'} θ_j ψ_{j−k}   (k = 0 … p': a (p'+1)-square linear system;
 *                                                                      beyond p' the same as a recursion);
 *   P[0][0] = γ(0),   P[0][j] = Σ_{l=1}^{r−j} (φ_{j+l} γ(l) + θ_{j+l−1} ψ_{l−1})   (j ≥ 1),
 *
 * and the Lyapunov equation entry by entry gives every other entry from the one below and to its right,
 *
 *   P[i][j] = φ_{i+1} φ_{j+1} P[0][0] + φ_{i+1} P[0][j+1] + φ_{j+1} P[i+1][0] + P[i+1][j+1] + R_i R_j
 *
 * (entries with an index r are 0), filled upwards from the last row: O(r²) after the small linear system.
 * The tests check the result against the Lyapunov equation itself and against its doubling iteration.
 *
 * The filter (prediction form; no observation noise):
 *
 *   v_t = z_t − a_t[0],   F_t = P_t[0][0],
 *   a_{t+1}[i] = φ_{i+1} z_t + a_t[i+1] + P_t[i+1][0] v_t / F_t,
 *   P_{t+1}[i][j] = P_t[i+1][j+1] − P_t[i+1][0] P_t[j+1][0] / F_t + R_i R_j.
 *
 * (The update P_t − P_t[·][0] P_t[0][·] / F_t has a zero first row and column, so T(…)Tᵀ is a shift.) Once
 * P stops changing (no entry moves by more than 1e-12) it is kept: the steady-state filter (Durbin & Koopman
 * §4.3.4), which pure AR models reach after p' steps and invertible MA models geometrically.
 *
 * The prediction-error decomposition, with σ² concentrated out (n values):
 *
 *   −2 log L = n log(2π σ̂²) + n + Σ log F_t,   σ̂² = (1/n) Σ v_t² / F_t,
 *
 * so the ML estimates minimise ½ (log σ̂² + (1/n) Σ log F_t), the objective R's `stats::arima` reports.
 *
 * Differencing. R's `stats::arima` puts the d + mD differences in the state with a diffuse prior of variance
 * κ = 1e6 and leaves the first d + mD steps (F_t ≥ 1e4) out of the sums. We fit the ARMA to the differenced
 * series w instead: the exact-diffuse likelihood (κ → ∞) of the same model (Durbin & Koopman §5.7). The two
 * differ by O(1/κ): up to 3e-6 relative in log L and 4e-5 in σ² on the fixtures (see arima-ml.test.ts), and R's
 * reported σ² and residuals also carry the d + mD near-zero residuals of the diffuse steps.
 */

export class ArmaKalman {
  /** State dimension of the current model. */
  r = 1;
  /** Σ v_t² / F_t and Σ log F_t of the last filter run. */
  ssq = 0;
  sumlog = 0;
  /** The filtered state a_{n+1} and its covariance P_{n+1} (row-major r × r) after the last filter run. */
  readonly a: Float64Array;
  readonly P: Float64Array;
  private readonly maxR: number;
  private readonly phi: Float64Array;
  private readonly Rv: Float64Array;
  private p = 0;
  private readonly P0: Float64Array;
  private readonly col: Float64Array;
  private readonly psi: Float64Array;
  private readonly gamma: Float64Array;
  private readonly sys: Float64Array;

  /** For models with p' ≤ maxP and q' ≤ maxQ. */
  constructor(maxP: number, maxQ: number) {
    const r = Math.max(maxP, maxQ + 1, 1);
    this.maxR = r;
    this.phi = new Float64Array(r + 2);
    this.Rv = new Float64Array(r + 1);
    this.a = new Float64Array(r + 1);
    this.P = new Float64Array(r * r);
    this.P0 = new Float64Array(r * r);
    this.col = new Float64Array(r + 1);
    this.psi = new Float64Array(r + 1);
    this.gamma = new Float64Array(r + 1);
    this.sys = new Float64Array((maxP + 1) * (maxP + 2));
  }

  /**
   * Sets φ_1 … φ_p (phi[0 … p)) and θ_1 … θ_q and computes the stationary P_1. Returns false when the
   * autocovariance system is singular or gives a non-finite or non-positive variance (an AR part on or
   * outside the stationary boundary).
   */
  setModel(phi: ArrayLike<number>, p: number, theta: ArrayLike<number>, q: number): boolean {
    const r = Math.max(p, q + 1);
    if (r > this.maxR) throw new RangeError(`ArmaKalman: r = ${r} exceeds the capacity ${this.maxR}`);
    this.r = r;
    this.p = p;
    const ph = this.phi;
    const Rv = this.Rv;
    ph.fill(0);
    Rv.fill(0);
    for (let k = 0; k < p; k++) ph[k + 1] = phi[k];
    Rv[0] = 1;
    for (let k = 0; k < q; k++) Rv[k + 1] = theta[k];
    // ψ weights up to r.
    const psi = this.psi;
    for (let j = 0; j <= r; j++) {
      let v = j <= q ? Rv[j] : 0;
      if (j === 0) v = 1;
      for (let k = 1; k <= Math.min(j, p); k++) v += ph[k] * psi[j - k];
      psi[j] = v;
    }
    // c_k = Σ_{j=k}^{q} θ_j ψ_{j−k} (θ_0 = 1).
    const rhs = (k: number): number => {
      let s = 0;
      for (let j = k; j <= q; j++) s += Rv[j] * psi[j - k];
      return s;
    };
    const g = this.gamma;
    g.fill(0);
    if (p === 0) {
      for (let k = 0; k <= r; k++) g[k] = rhs(k);
    } else {
      // (p+1) × (p+1) system with the right-hand side as an extra column, Gaussian elimination with pivoting.
      const n = p + 1;
      const w = n + 1;
      const A = this.sys;
      A.fill(0, 0, n * w);
      for (let k = 0; k <= p; k++) {
        A[k * w + k] += 1;
        for (let j = 1; j <= p; j++) A[k * w + Math.abs(k - j)] -= ph[j];
        A[k * w + n] = rhs(k);
      }
      for (let c = 0; c < n; c++) {
        let piv = c;
        for (let i = c + 1; i < n; i++) if (Math.abs(A[i * w + c]) > Math.abs(A[piv * w + c])) piv = i;
        if (!(Math.abs(A[piv * w + c]) > 1e-300)) return false;
        if (piv !== c) for (let j = c; j < w; j++) { const t = A[c * w + j]; A[c * w + j] = A[piv * w + j]; A[piv * w + j] = t; }
        const d = A[c * w + c];
        for (let i = c + 1; i < n; i++) {
          const f = A[i * w + c] / d;
          if (f === 0) continue;
          for (let j = c; j < w; j++) A[i * w + j] -= f * A[c * w + j];
        }
      }
      for (let i = n - 1; i >= 0; i--) {
        let s = A[i * w + n];
        for (let j = i + 1; j < n; j++) s -= A[i * w + j] * g[j];
        g[i] = s / A[i * w + i];
      }
      for (let k = p + 1; k <= r; k++) {
        let s = rhs(k);
        for (let j = 1; j <= p; j++) s += ph[j] * g[k - j];
        g[k] = s;
      }
    }
    if (!(g[0] >= 1 - 1e-9) || !Number.isFinite(g[0])) return false;
    // First row, then the Lyapunov recursion upwards.
    const P0 = this.P0;
    P0[0] = g[0];
    for (let j = 1; j < r; j++) {
      let s = 0;
      for (let l = 1; l <= r - j; l++) s += ph[j + l] * g[l] + Rv[j + l - 1] * psi[l - 1];
      P0[j] = s;
      P0[j * r] = s;
    }
    const at = (i: number, j: number): number => (i < r && j < r ? P0[i * r + j] : 0);
    for (let i = r - 1; i >= 1; i--) {
      for (let j = r - 1; j >= i; j--) {
        const v = ph[i + 1] * ph[j + 1] * P0[0] + ph[i + 1] * at(0, j + 1) + ph[j + 1] * at(i + 1, 0) + at(i + 1, j + 1) + Rv[i] * Rv[j];
        P0[i * r + j] = v;
        P0[j * r + i] = v;
      }
    }
    for (let i = 0; i < r * r; i++) if (!Number.isFinite(P0[i])) return false;
    return true;
  }

  /** The stationary covariance P_1 (row-major r × r) of the current model. */
  initialCovariance(): Float64Array {
    return this.P0.slice(0, this.r * this.r);
  }

  /**
   * Runs the filter over z[0 … n) from a_1 = 0, P_1 = the stationary covariance. Sets ssq and sumlog, and
   * leaves a_{n+1}, P_{n+1} in `a`, `P`. When `innovations` is given, v_t is written to it and F_t to `gains`.
   * Returns false if some F_t is not positive and finite.
   */
  filter(z: ArrayLike<number>, n: number, innovations?: Float64Array, gains?: Float64Array): boolean {
    const r = this.r;
    const ph = this.phi;
    const Rv = this.Rv;
    const a = this.a;
    const P = this.P;
    const col = this.col;
    a.fill(0);
    for (let i = 0; i < r * r; i++) P[i] = this.P0[i];
    let ssq = 0;
    let sumlog = 0;
    let steady = false;
    let logF = 0;
    const p = this.p;
    for (let t = 0; t < n; t++) {
      const F = P[0];
      if (!(F > 0) || !Number.isFinite(F)) return false;
      const v = z[t] - a[0];
      if (!steady) logF = Math.log(F);
      ssq += (v * v) / F;
      sumlog += logF;
      if (innovations) innovations[t] = v;
      if (gains) gains[t] = F;
      // State: a_{t+1}[i] = φ_{i+1} z_t + a_t[i+1] + P[i+1][0] v / F.
      const vf = v / F;
      // Only the upper triangle of P is kept up to date during the run (P[0][i+1] = P[i+1][0]).
      for (let i = 0; i < r - 1; i++) a[i] = a[i + 1] + P[i + 1] * vf;
      a[r - 1] = 0;
      const zt = z[t];
      for (let i = 0; i < p; i++) a[i] += ph[i + 1] * zt;
      if (steady) continue;
      // Covariance, upper triangle from the old column 0, then mirrored.
      for (let i = 0; i < r; i++) col[i] = P[i];
      col[r] = 0;
      let change = 0;
      for (let i = 0; i < r - 1; i++) {
        const ci = col[i + 1] / F;
        const Ri = Rv[i];
        const below = (i + 1) * r + 1;
        const row = i * r;
        for (let j = i; j < r - 1; j++) {
          const nv = P[below + j] - ci * col[j + 1] + Ri * Rv[j];
          const d = nv - P[row + j];
          if (d > change || -d > change) change = d < 0 ? -d : d;
          P[row + j] = nv;
        }
        // j = r − 1: nothing below and to the right.
        const nv = Ri * Rv[r - 1];
        const d = nv - P[row + r - 1];
        if (d > change || -d > change) change = d < 0 ? -d : d;
        P[row + r - 1] = nv;
      }
      {
        const nv = Rv[r - 1] * Rv[r - 1];
        const d = nv - P[r * r - 1];
        if (d > change || -d > change) change = d < 0 ? -d : d;
        P[r * r - 1] = nv;
      }
      if (change < 1e-12) steady = true;
    }
    for (let i = 1; i < r; i++) for (let j = 0; j < i; j++) P[i * r + j] = P[j * r + i];
    this.ssq = ssq;
    this.sumlog = sumlog;
    return true;
  }
}
