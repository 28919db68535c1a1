/**
 * Shared plumbing for CLI commands: output in text or JSON, and errors as one clear line with a
 * non-zero exit code (the stack trace only with --verbose).
 */
import { UnrollError, describe } from '../util/errors.js';
import { LIMITS } from '../util/limits.js';
import { cliVocabulary } from './vocabulary.js';

export interface CommonFlags {
  json?: boolean;
  verbose?: boolean;
  seed?: number;
}

/** Exit codes: 1 = the job failed (bad data, bad model file, diverged); 2 = bad usage. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Runs a command body, turning errors into one line on stderr and an exit code. */
export async function runCommand(flags: CommonFlags, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (e) {
    reportError(e, flags.verbose ?? false);
  }
}

export function reportError(e: unknown, verbose: boolean): never {
  const usage = e instanceof UnrollError && e.code === 'usage';
  // A model file's content is named by its fields, not by the flags that set them when it was trained.
  const fromFile = e instanceof UnrollError && e.code === 'model-file';
  const message = fromFile ? e.message : cliVocabulary(e instanceof Error ? e.message : String(e));
  process.stderr.write(`unroll: error: ${message}\n`);
  if (verbose && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  else if (!(e instanceof UnrollError)) process.stderr.write('(an internal error: run again with --verbose for details, and please report it)\n');
  process.exit(usage ? EXIT_USAGE : EXIT_FAILURE);
}

/**
 * The accepted range of each numeric flag, by name. Sizes use the documented limits of
 * util/limits.ts, so `--hidden 1e9` or `--horizon 1e9` is refused while parsing, before anything
 * is allocated or looped over. A flag not listed takes any integer ≥ 0 (or any finite number).
 */
const FLAG_RANGES: Record<string, { min: number; max: number; minOpen?: boolean }> = {
  hidden: { min: 1, max: LIMITS.hiddenSize },
  layers: { min: 1, max: LIMITS.numLayers },
  lookback: { min: 1, max: LIMITS.lookback },
  'min-length': { min: 1, max: LIMITS.lookback },
  'max-length': { min: 1, max: LIMITS.lookback },
  window: { min: 1, max: LIMITS.lookback },
  horizon: { min: 1, max: LIMITS.horizon },
  'horizon-out': { min: 1, max: LIMITS.horizon },
  tokens: { min: 1, max: LIMITS.tokens },
  samples: { min: 1, max: LIMITS.samples },
  vocab: { min: 1, max: LIMITS.vocabulary },
  'top-k': { min: 0, max: LIMITS.vocabulary },
  'min-count': { min: 1, max: Number.MAX_SAFE_INTEGER },
  epochs: { min: 1, max: LIMITS.epochs },
  'batch-size': { min: 1, max: LIMITS.batchSize },
  threads: { min: 1, max: LIMITS.threads },
  patience: { min: 0, max: LIMITS.epochs },
  last: { min: 1, max: 1e9 },
  period: { min: 1, max: LIMITS.lookback },
  'refit-every': { min: 1, max: 1e9 },
  'initial-train': { min: 2, max: 1e9 },
  stride: { min: 1, max: LIMITS.lookback },
  'baseline-order': { min: 1, max: 64 },
  end: { min: 0, max: 1e9 },
  seed: { min: -(2 ** 53), max: 2 ** 53 },
  'checkpoint-minutes': { min: 0, max: 1e6 },
  members: { min: 1, max: 1000 },
  residual: { min: 1, max: LIMITS.numLayers },
  'lookback-chunks': { min: 1, max: 100_000 },
  // Numbers.
  lr: { min: 0, max: 10, minOpen: true },
  'learning-rate': { min: 0, max: 10, minOpen: true },
  'clip-norm': { min: 0, max: 1e12 },
  dropout: { min: 0, max: 0.99 },
  temperature: { min: 0, max: 1e6, minOpen: true },
  'test-size': { min: 0, max: 1e9, minOpen: true },
  validation: { min: 0, max: 0.99 },
  'weight-evidence': { min: 0, max: 1e6 },
};

/** A decimal number as people type it: digits, an optional fraction and exponent (no hex, no Infinity, no blanks). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function inRange(name: string, v: string, n: number): number {
  const r = FLAG_RANGES[name];
  if (!r) return n;
  const tooLow = r.minOpen ? n <= r.min : n < r.min;
  if (tooLow || n > r.max) {
    const lo = `${r.minOpen ? 'above' : 'from'} ${r.min}`;
    throw new UnrollError(`option --${name} is ${v}; expected a number ${lo} to ${r.max}${n > r.max && r.max >= 1000 ? ' (see docs/limits.md)' : ''}`, 'usage');
  }
  return n;
}

/** Parses an integer flag value for commander, with a clear message and the flag's range. */
export function intFlag(name: string): (v: string) => number {
  return (v: string) => {
    const n = DECIMAL.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw new UnrollError(`option --${name} must be an integer, got ${describe(v)}`, 'usage');
    return inRange(name, v.trim(), n);
  };
}

/** Parses a number flag value for commander, with a clear message and the flag's range. */
export function numberFlag(name: string): (v: string) => number {
  return (v: string) => {
    const n = DECIMAL.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new UnrollError(`option --${name} must be a finite decimal number, got ${describe(v)}`, 'usage');
    return inRange(name, v.trim(), n);
  };
}
