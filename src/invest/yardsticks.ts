/**
 * Buy-and-hold yardsticks, as weights for the same accounting (backtest.ts) on the same dates.
 *
 * Buy-and-hold buys once and never trades again: its target weights are the drifted weights
 *   h_{t+1,i} = h_t,i (1 + r_t,i) / (1 + R_t),   R_t = Σ_i h_t,i r_t,i + (1 − Σ_i h_t,i) c,
 * so the only cost it pays is buying in. A company that lists after the first decision is bought on
 * its first decision date with a price (the single-company yardstick sits in cash until then); the
 * equal-weight basket holds 1/m of each company that has a price at the first decision date, and
 * never adds companies later.
 */
export function buyAndHoldWeights(returns: Float64Array[], initial: number[], cashPerPeriod: number): Float64Array[] {
  const m = returns.length;
  const n = m === 0 ? 0 : returns[0].length;
  const w = returns.map(() => new Float64Array(n));
  const h = Float64Array.from(initial);
  for (let t = 0; t < n; t++) {
    let R = 0;
    let inv = 0;
    for (let i = 0; i < m; i++) {
      w[i][t] = h[i];
      if (h[i] !== 0) R += h[i] * returns[i][t];
      inv += h[i];
    }
    R += (1 - inv) * cashPerPeriod;
    for (let i = 0; i < m; i++) if (h[i] !== 0) h[i] = 1 + R > 0 ? (h[i] * (1 + returns[i][t])) / (1 + R) : 0;
  }
  return w;
}

/** Buy-and-hold of one company from its first decision with a return (cash before that). */
export function holdOne(returns: Float64Array[], company: number, cashPerPeriod: number): Float64Array[] {
  const n = returns[company].length;
  const t0 = returns[company].findIndex((r) => Number.isFinite(r));
  const w = returns.map(() => new Float64Array(n));
  if (t0 < 0) return w;
  const tail = buyAndHoldWeights(returns.map((r) => r.subarray(t0)), returns.map((_, i) => (i === company ? 1 : 0)), cashPerPeriod);
  tail.forEach((ws, i) => w[i].set(ws, t0));
  return w;
}

/** The equal-weight basket of the companies with a price at the first decision, bought and held. */
export function holdBasket(returns: Float64Array[], cashPerPeriod: number): Float64Array[] {
  const there = returns.map((r) => r.length > 0 && Number.isFinite(r[0]));
  const k = there.filter(Boolean).length;
  return buyAndHoldWeights(returns, there.map((b) => (b ? 1 / k : 0)), cashPerPeriod);
}
