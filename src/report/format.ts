/** Text helpers of the report: HTML escaping, safe JSON embedding, number formats, the verdict sentence. */
import type { MetricRow } from './types.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the line separators are
 * written as \u escapes, so no string in the data can close the script element or open a comment.
 * JSON.parse gives back exactly the original values.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Formats with `decimals` digits after the point and thousands separators, or "n/a" when not finite. */
export function fixed(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A price-like value: 2 decimals from 1 up, 4 significant digits below. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (Math.abs(x) >= 1 || x === 0) return fixed(x, 2);
  return x.toPrecision(4);
}

/** A fraction 0..1 as a percentage with one decimal, e.g. 0.5123 -> "51.2%". */
export function percentOfFraction(x: number): string {
  return Number.isFinite(x) ? `${fixed(x * 100, 1)}%` : 'n/a';
}

/**
 * Two numbers with the fewest decimals (2 to 8) at which they print differently, so that a
 * comparison sentence never reads "1.00 vs 1.00" when one value is smaller.
 */
export function distinguish(a: number, b: number): [string, string] {
  for (let d = 2; d <= 8; d++) {
    const sa = a.toFixed(d);
    const sb = b.toFixed(d);
    if (sa !== sb || d === 8) return [sa, sb];
  }
  return [a.toFixed(8), b.toFixed(8)];
}

/**
 * The plain sentence on whether the model beats the naive (persistence) forecast, judged on MASE
 * (lower is better; a tie does not beat). Rows must include one with role 'model' and one with
 * role 'naive'.
 */
export function beatsNaiveSentence(rows: readonly MetricRow[]): string {
  const model = rows.find((r) => r.role === 'model');
  const naive = rows.find((r) => r.role === 'naive');
  if (!model || !naive) return 'The model could not be compared with the naive (persistence) forecast: a metrics row is missing.';
  if (!Number.isFinite(model.mase) || !Number.isFinite(naive.mase)) {
    return 'The model could not be compared with the naive (persistence) forecast on MASE: the MASE of one of them is undefined.';
  }
  const [m, n] = distinguish(model.mase, naive.mase);
  return model.mase < naive.mase
    ? `The model beats the naive (persistence) forecast on MASE: ${m} vs ${n}.`
    : `The model does NOT beat the naive (persistence) forecast on MASE: ${m} vs ${n}.`;
}

/** A second, neutral sentence on the direction of moves, beside the 50% of a coin flip. */
export function directionSentence(rows: readonly MetricRow[]): string {
  const model = rows.find((r) => r.role === 'model');
  if (!model || !Number.isFinite(model.directionalAccuracy)) return '';
  return `It calls the direction of the next move right ${percentOfFraction(model.directionalAccuracy)} of the time (a coin flip: 50%).`;
}
