/**
 * The one options checker every options object of unroll goes through (model constructors, cell
 * options, fit / evaluate / predict options and their sub-objects, optimizers, schedules, the
 * Forecaster and its `training` section, the text models, …).
 *
 *   checkOptions(options, { epochs: is.positiveInt, shuffle: is.boolean, … }, { where: 'fit' })
 *
 * - An unknown key is refused with its name, the closest known key when one is near (a typo such as
 *   `epoch` for `epochs`), and the list of known keys.
 * - A key whose value has the wrong type is refused with the key's name (with its path, e.g.
 *   `training.epochs`), the value, and what is expected. `undefined` means "not given" and always
 *   passes, so defaults apply.
 * - `cannot` lists keys that belong to the family but that this object cannot honour (a preset that
 *   fixes them), each with the reason; they are refused with that reason instead of being dropped.
 *
 * Range checks that depend on other options stay with the code that knows them; this helper gives
 * every object the same first line of defence and the same wording.
 */
import { UnrollError, badOption, describe } from './errors.js';
import { listSome } from './limits.js';

/** A rule returns null when the value is acceptable, else what was expected (for the message). */
export type Rule = (value: unknown) => string | null;

/** The rules of one options object: key → rule. */
export type Spec = Record<string, Rule>;

/**
 * A rule for every key of the options type T, so that `{ … } satisfies KeyRules<T>` makes the type
 * checker refuse a spec that misses a key added to T later (or names one T does not have).
 */
export type KeyRules<T> = { [K in keyof Required<T>]: Rule };

export interface CheckContext {
  /** What the options belong to, e.g. 'fit', 'Forecaster', 'NARX'. */
  where: string;
  /** Path prefix of the keys in messages, e.g. 'training.' for a sub-object. @default '' */
  prefix?: string;
  /** Keys this object cannot honour, with the reason shown to the user. */
  cannot?: Record<string, string>;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Ready-made rules. Each names what it accepts in the words of the error message. */
export const is = {
  any: ((): null => null) as Rule,
  number: ((v) => (finite(v) ? null : 'a finite number')) as Rule,
  positive: ((v) => (finite(v) && v > 0 ? null : 'a positive number')) as Rule,
  nonNegative: ((v) => (finite(v) && v >= 0 ? null : 'a number ≥ 0')) as Rule,
  positiveInt: ((v) => (finite(v) && Number.isInteger(v) && v >= 1 ? null : 'a positive integer')) as Rule,
  nonNegativeInt: ((v) => (finite(v) && Number.isInteger(v) && v >= 0 ? null : 'a non-negative integer')) as Rule,
  boolean: ((v) => (typeof v === 'boolean' ? null : 'true or false')) as Rule,
  string: ((v) => (typeof v === 'string' ? null : 'a string')) as Rule,
  function: ((v) => (typeof v === 'function' ? null : 'a function')) as Rule,
  object: ((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? null : 'an object')) as Rule,
  array: ((v) => (Array.isArray(v) ? null : 'an array')) as Rule,
  /** An array or a typed array (a series of numbers). */
  arrayLike: ((v) => (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)) ? null : 'an array or a typed array')) as Rule,
  /** A number in [lo, hi] (or (lo, hi] / [lo, hi) / (lo, hi) with the open flags). */
  range(lo: number, hi: number, loOpen = false, hiOpen = false): Rule {
    const text = `a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    return (v) => (finite(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi) ? null : text);
  },
  /** One of the given literal values. */
  oneOf(...values: readonly unknown[]): Rule {
    const text = values.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ');
    return (v) => (values.includes(v) ? null : values.length === 1 ? text : `one of ${text}`);
  },
  /** Either rule. */
  either(a: Rule, b: Rule): Rule {
    return (v) => {
      const ea = a(v);
      if (ea === null) return null;
      const eb = b(v);
      return eb === null ? null : `${ea}, or ${eb}`;
    };
  },
  /** A rule with its own wording of what is expected. */
  described(rule: Rule, text: string): Rule {
    return (v) => (rule(v) === null ? null : text);
  },
};

/** Levenshtein distance, for "did you mean" (keys are short; the cost is negligible). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The known key closest to `key`, when it is close enough to be a likely typo. */
export function closestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  const lower = key.toLowerCase();
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : distance(lower, k.toLowerCase());
    if (d < bestD) { bestD = d; best = k; }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : null;
}

/**
 * Checks an options object against its spec (see the file header). `undefined` or `null` options
 * count as `{}` when `optional` (the default); anything else that is not a plain object is refused.
 * Returns the options typed as T.
 */
export function checkOptions<T extends object>(options: unknown, spec: Spec, ctx: CheckContext, optional = true): T {
  const prefix = ctx.prefix ?? '';
  const name = prefix ? prefix.replace(/\.$/, '') : 'options';
  if (options === undefined || options === null) {
    if (optional) return {} as T;
    throw new UnrollError(`${ctx.where}: expected an options object`, 'option');
  }
  if (typeof options !== 'object' || Array.isArray(options)) {
    const keys = Object.keys(spec);
    const list = keys.length > 14 ? `${keys.slice(0, 12).join(', ')} and ${keys.length - 12} more` : keys.join(', ');
    throw new UnrollError(`${ctx.where}: ${prefix ? `option "${name}"` : 'the options'} is ${describe(options)}; expected an object with keys ${list}`, 'option');
  }
  const known = Object.keys(spec);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const reason = ctx.cannot?.[key];
    if (reason !== undefined) {
      if (o[key] === undefined) continue;
      throw new UnrollError(`${ctx.where}: option "${prefix}${key}" cannot be honoured: ${reason}`, 'option');
    }
    if (!Object.prototype.hasOwnProperty.call(spec, key)) {
      const near = closestKey(key, known);
      // With a likely typo named, a long list of known keys is cut to its first dozen, and so is a list
      // over 200 characters (messages stay short: a file's name and path come in front of them).
      const full = known.join(', ');
      const list = (near && known.length > 14) || full.length > 200 ? listSome(known, 12, false) : full;
      throw new UnrollError(
        `${ctx.where}: unknown option "${prefix}${key}"${near ? ` (did you mean "${prefix}${near}"?)` : ''}; known: ${list}`, 'option');
    }
    const v = o[key];
    if (v === undefined) continue;
    const expected = spec[key](v);
    if (expected !== null) badOption(`${prefix}${key}`, v, expected);
  }
  return options as T;
}

/**
 * Runs `check`, a checker written for an options object on its own (such as the network's
 * normalizeOptions), on a sub-object found at `prefix` (e.g. 'model.'), so that every option its
 * UnrollErrors name carries the full path: `option "hiddenSize"` becomes `option "model.hiddenSize"`,
 * `unknown option "bogus" (did you mean "…"?)` becomes `unknown option "model.bogus" (did you mean
 * "model.…"?)`. Only the option a message is about is renamed (the words `option "X"` at the start of
 * the message or of a `where: ` part, or after `unknown `), not an option a reason mentions in passing.
 * The error keeps its code. Nested calls compose: the outer prefix comes first. Options in `except`
 * keep their name: the caller put them into the sub-object itself (from options of its own).
 *
 * Why it rewrites the message instead of handing the checker the path: the checkers it wraps
 * (nn/model.ts normalizeOptions, forecast/rnn/options.ts, train/schedules.ts createSchedule,
 * forecast/panel/settings.ts panelSettings and the calendar check) name their options in some fifty
 * badOption calls, helper functions (positiveInt(name, …), residualBlock, checkDilations) and a few
 * hand-written `option "calendar"` messages and checkSize labels. Passing a prefix would thread one
 * parameter through every one of them; an ambient prefix read by badOption would still miss the
 * hand-written ones. Either is a change across those files, larger than the rewrite it would replace.
 */
export function underPrefix<T>(prefix: string, check: () => T, except: readonly string[] = []): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof UnrollError)) throw e;
    const rename = (name: string): string => (except.includes(name) ? name : `${prefix}${name}`);
    const message = e.message
      .replace(/(^|: |unknown )option "([^"]+)"/g, (_, before: string, name: string) => `${before}option "${rename(name)}"`)
      .replace(/\(did you mean "([^"]+)"\?\)/g, (_, name: string) => `(did you mean "${rename(name)}"?)`);
    throw new UnrollError(message, e.code);
  }
}

/** An object literal (not an array, a typed array or a class instance such as a backend). */
function plainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The keys of `over` that are not undefined, over `base`. */
function overlay(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * `given` over `defaults`, one level deep: a key that holds a plain object on both sides (the
 * Forecaster's `model` and `training`) gets the default's keys with the given ones over them, so
 * `training: { epochs: 5 }` keeps the default's learning rate and batch size; any other value (arrays,
 * numbers, a sub-object only one side has, a value of the wrong type for the checker to refuse) is
 * taken from `given`, as with `{ ...defaults, ...given }`. A key given as `undefined` is "not given"
 * (as for the checker), so the default stays, in a sub-object too. Deeper objects (`training.schedule`) are taken whole.
 * Neither argument is changed.
 */
export function mergeOptions<T extends object>(defaults: T, given: T | undefined): T {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  if (!plainObject(given)) return out as T;
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const base = out[key];
    out[key] = plainObject(base) && plainObject(value) ? overlay(base, value) : value;
  }
  return out as T;
}
