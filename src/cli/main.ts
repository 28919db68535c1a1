#!/usr/bin/env node
/**
 * The `unroll` command line. Each command lives in commands/ and registers itself here; this file
 * only builds the program and turns usage errors into one line and exit code 2.
 */
import { Command, CommanderError } from 'commander';
import { registerBenchmark } from './commands/benchmark.js';
import { registerDemo } from './commands/demo.js';
import { registerInvest } from './commands/invest.js';
import { registerMainJob } from './commands/main-job.js';
import { registerModelCommands } from './commands/model.js';
import { registerTextCommands } from './commands/text.js';
import { EXIT_USAGE, reportError } from './run.js';
import { UnrollError } from '../util/errors.js';
import { enableRelaxedSimd } from './engine.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('unroll')
    .description('Recurrent neural networks for forecasting and classifying sequences')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerMainJob(program);
  registerModelCommands(program);
  registerTextCommands(program);
  registerBenchmark(program);
  registerInvest(program);
  registerDemo(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  enableRelaxedSimd();
  const program = buildProgram();
  // A command whose work is left waiting on a promise nothing will settle would otherwise end the process
  // silently with exit code 0, as if it had succeeded.
  let finished = false;
  process.once('beforeExit', () => {
    if (!finished) reportError(new UnrollError('the command stopped before it finished: it was left waiting for work that will never report (an internal error)', 'internal'), argv.includes('--verbose'));
  });
  try {
    await program.parseAsync(argv);
    finished = true;
  } catch (e) {
    finished = true;
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; commander has already printed the message.
      process.exit(e.exitCode === 0 ? 0 : EXIT_USAGE);
    }
    reportError(e, argv.includes('--verbose'));
  }
}

void main(process.argv);
