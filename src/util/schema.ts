/**
 * Helpers for the model-file schemas (written with `zod/mini`, the small build of zod: about 12 KB
 * in the browser bundle instead of 450 KB): numbers, lists and names with limits, and the first
 * problem of a failed parse as one UnrollError naming the file and the field's path, under 300
 * characters. zod/mini ships no message catalogue, so the messages are made here from the issue.
 */
import * as z from 'zod/mini';
import { UnrollError, describe } from './errors.js';
import { LIMITS } from './limits.js';



/** A finite number. */
export const finite = z.number().check(z.refine(Number.isFinite, 'expected a finite number'));
/** An integer in [min, max]. */
export const integer = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
/** A list of finite numbers of at most `max` entries. */
export const numbers = (max: number = LIMITS.listLength) => z.array(finite).check(z.maxLength(max));

function cut(text: string, n: number): string {
  return text.length > n ? text.slice(0, n) + '…' : text;
}

/** The path of an issue as code would write it: `scalers.AAPL.target`, `residuals[0][3]`. */
export function pathText(path: readonly PropertyKey[]): string {
  const p = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${cut(String(k), 30)}`)).join('').replace(/^\./, '');
  return p || 'the file';
}

/** What a zod issue says, in words. */
function issueText(issue: z.core.$ZodIssue, input: unknown): string {
  const i = issue as z.core.$ZodIssue & Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type': return `is ${describe(input)}; expected ${String(i.expected)}`;
    case 'too_big': return `is too large; expected at most ${String(i.maximum)}${i.origin === 'array' || i.origin === 'string' ? ' entries' : ''}`;
    case 'too_small': return `is too small; expected at least ${String(i.minimum)}${i.origin === 'array' || i.origin === 'string' ? ' entries' : ''}`;
    case 'invalid_value': return `is ${describe(input)}; expected ${(i.values as unknown[]).map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union': return 'is none of the allowed kinds';
    case 'not_multiple_of': return `expected an integer`;
    default: return issue.message && issue.message !== 'Invalid input' ? issue.message : `is invalid (${issue.code})`;
  }
}

/** The value at `path` inside `json` (for the message), or undefined. */
function at(json: unknown, path: readonly PropertyKey[]): unknown {
  let v = json;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k as string)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Throws an UnrollError for a problem at `path`. */
export function refuseField(where: string, path: readonly PropertyKey[], what: string): never {
  throw new UnrollError(cut(`${where}: ${pathText(path)}: ${what}`, 290), 'model-file');
}

/** Parses `json` with `schema`; the first problem becomes one UnrollError. */
export function parseOrRefuse<T extends z.ZodMiniType>(schema: T, json: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return refuseField(where, issue.path, cut(issueText(issue, at(json, issue.path)), 140));
}
