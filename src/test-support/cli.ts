/**
 * Runs the built `unroll` command (dist/cli/main.js) as a user would, for the CLI's end-to-end tests:
 * a separate Node process with the given arguments, working folder, standard input, environment and
 * time limit. Returns the exit code (-1 when the process was killed, e.g. at the time limit) and
 * what it wrote to stdout and stderr.
 *
 * Test-only (src/test-support/ is left out of the package). The tests run from dist/, so the CLI is
 * the one `npm run build` compiled beside this file.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled CLI entry point. */
export const CLI_MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface CliRun {
  /** Working folder of the process. */
  cwd: string;
  /** Text written to the process's standard input. @default nothing */
  input?: string;
  /** Environment of the process. @default this process's */
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the process is killed. @default 120000 */
  timeout?: number;
}

export interface CliResult {
  /** Exit code; -1 when the process was killed. */
  code: number;
  out: string;
  err: string;
}

/** Runs `unroll <args>` and waits for it (see the file header). */
export function runCli(args: readonly string[], run: CliRun): CliResult {
  const r = spawnSync(process.execPath, [CLI_MAIN, ...args], {
    encoding: 'utf8', cwd: run.cwd, input: run.input, timeout: run.timeout ?? 120000, ...(run.env ? { env: run.env } : {}),
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
