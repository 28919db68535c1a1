/**
 * Shared plumbing for CLI commands: output in text or JSON, and errors as one clear line with a
 * non-zero exit code (the stack trace only with --verbose).
 */
import { UnrollError } from '../util/errors.js';
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
  const message = cliVocabulary(e instanceof Error ? e.message : String(e));
  process.stderr.write(`unroll: error: ${message}\n`);
  if (verbose && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  else if (!(e instanceof UnrollError)) process.stderr.write('(an internal error: run again with --verbose for details, and please report it)\n');
  process.exit(usage ? EXIT_USAGE : EXIT_FAILURE);
}

/** Parses an integer flag value for commander, with a clear message. */
export function intFlag(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new UnrollError(`option --${name} must be an integer, got "${v}"`, 'usage');
    return n;
  };
}

/** Parses a number flag value for commander, with a clear message. */
export function numberFlag(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new UnrollError(`option --${name} must be a number, got "${v}"`, 'usage');
    return n;
  };
}
