/**
 * Number formats of the report's charts, as pure functions: the page script (client.ts) embeds their
 * source, so the canvas draws exactly what the unit tests check (ticks.test.ts).
 *
 * One format per axis: given an axis' tick values v_1 … v_k,
 *   - if some nonzero |v_i| ≥ 1e6 or < 1e-3, every tick is written in exponent form with the same
 *     number of mantissa digits (0 when every tick is a whole power-of-ten multiple: 1e-5, 1e-3, 1e-1;
 *     else 1: 2.5e-4, 5.0e-4);
 *   - otherwise every tick is a plain number with the same number of decimals d, the fewest (0 … 6)
 *     that write every tick exactly (0.5, 1.0, 1.5; 100, 200; 0.001, 0.002), with thousands separators.
 * 0 is written "0" in exponent form and with the axis' decimals otherwise.
 *
 * The functions must stay self-contained (no imports, no module variables): their text is inlined.
 */

/** A value in a legend or tooltip: 4 significant digits below 100, 2 decimals above, exponent form beyond 1e6 or below 1e-3. */
export function formatLegendValue(v: number | null): string {
  if (v == null || !isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(1);
  return v.toLocaleString('en-US', { maximumFractionDigits: a >= 100 ? 2 : 6, maximumSignificantDigits: a >= 100 ? undefined : 4 });
}

/** The labels of one axis' ticks, all in one format (see the header); null ticks stay empty. */
export function axisTickLabels(splits: readonly (number | null)[]): string[] {
  const finite = splits.filter((v): v is number => v != null && isFinite(v) && v !== 0);
  const exponent = finite.some((v) => { const a = Math.abs(v); return a >= 1e6 || a < 1e-3; });
  if (exponent) {
    const digits = finite.some((v) => Number(v.toExponential(0)) !== v) ? 1 : 0;
    return splits.map((v) => (v == null || !isFinite(v) ? '' : v === 0 ? '0' : v.toExponential(digits)));
  }
  let decimals = 0;
  // The fewest decimals that write every tick as itself (ticks like 0.30000000000000004 count as 0.3).
  while (decimals < 6 && finite.some((v) => Math.abs(Number(v.toFixed(decimals)) - v) > 1e-9 * Math.max(1, Math.abs(v)))) decimals++;
  return splits.map((v) => (v == null || !isFinite(v) ? '' : v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
}
