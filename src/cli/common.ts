/** Pieces several commands share: the backend choice, fitting with progress, checkpoints, output paths. */
import { Option, type Command } from 'commander';
import type { Frame, SeriesSet } from '../data/frame.js';
import { Forecaster, type ForecasterOptions } from '../forecast/forecaster.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import { referenceBackend, type Backend } from '../kernels/index.js';
import { UnrollError, describe } from '../util/errors.js';
import { parseByteSize, setMaxMemory } from '../util/limits.js';
import { trainingProgress } from './progress.js';
import { fileCheckpoints } from '../train/checkpoint.js';
import type { CheckpointOptions } from '../train/fit.js';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { intFlag } from './run.js';

export interface RuntimeFlags {
  backend?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  seed?: number;
  maxMemory?: number;
}

export function addRuntimeFlags(cmd: Command, options: { seed?: boolean; seedHelp?: string } = {}): Command {
  cmd
    .addOption(new Option('--backend <name>', 'kernels: wasm (float32 WebAssembly SIMD) or reference (float64 TypeScript)').choices(['wasm', 'reference']).default('wasm'))
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--quiet', 'no progress output')
    .option('--verbose', 'show stack traces on errors')
    .option('--max-memory <size>', 'memory budget for a model and its batches, e.g. 4g or 512m (default 2g); sizes are estimated and refused above it before anything is allocated', maxMemoryFlag);
  // Every command takes --seed, so scripts can pass it uniformly; commands that draw no random
  // numbers say so in their help instead of pretending it changes anything.
  cmd.option('--seed <n>', (options.seed ?? true) ? options.seedHelp ?? 'seed for initialisation and shuffling' : 'accepted for uniformity; this command draws no random numbers (the model file fixes the result)', intFlag('seed'));
  return cmd;
}

/** Parses --max-memory and sets the process's memory budget (util/limits.ts) at once. */
function maxMemoryFlag(v: string): number {
  const bytes = parseByteSize(v);
  if (bytes === null || bytes < 1024 * 1024) throw new UnrollError(`option --max-memory is ${describe(v)}; expected a size of at least 1m such as 512m, 4g or 4GiB`, 'usage');
  setMaxMemory(bytes);
  return bytes;
}

export function chooseBackend(name: string | undefined): Backend {
  if (name === 'reference') return referenceBackend();
  return createWasmBackendSync({ notice: (m) => process.stderr.write(`unroll: ${m}\n`) });
}

export function fitWithProgress(options: ForecasterOptions, data: Frame | SeriesSet, trainEnd: number | Record<string, number> | undefined, flags: RuntimeFlags & CheckpointFlags, backend: Backend): Forecaster {
  // Warnings (e.g. test inputs far outside the training range) go to stderr, each once.
  const f = new Forecaster(options, { backend, onWarning: (m) => say(flags, `unroll: warning: ${m}`) });
  const checkpoint = checkpointsOf(flags);
  // The progress bar starts when the epochs are known ('auto' is resolved from the training windows).
  let progress: ReturnType<typeof trainingProgress> | null = null;
  try {
    f.fit(data, {
      trainEnd, checkpoint,
      // With calibrationRefit there are two runs: the network the intervals are calibrated on, then the one on every row.
      onBudget: (b, run) => {
        progress?.stop();
        progress = trainingProgress({ epochs: b.epochs, quiet: flags.quiet, label: run === 'calibration' ? 'training (to calibrate the intervals)' : run === 'refit' ? 'training again on every row' : 'training' });
      },
      onEpochEnd: (l) => progress?.onEpochEnd(l), onBatchEnd: (i) => progress?.onBatchEnd(i),
    });
  } finally {
    (progress as ReturnType<typeof trainingProgress> | null)?.stop();
  }
  return f;
}

export interface CheckpointFlags {
  checkpoint?: string;
  resume?: boolean;
  checkpointMinutes?: number;
}

/**
 * The checkpoint options that --checkpoint, --resume and --checkpoint-minutes ask for (undefined
 * without --checkpoint); a resumed run says on stderr where it continues from, even with --quiet.
 */
export function checkpointsOf(flags: RuntimeFlags & CheckpointFlags): CheckpointOptions | undefined {
  if (flags.resume && !flags.checkpoint) throw new UnrollError('option --resume needs --checkpoint <dir> (the folder the interrupted run wrote its checkpoints to)', 'usage');
  const checkpoint = flags.checkpoint ? fileCheckpoints(flags.checkpoint, { resume: flags.resume, everyMinutes: flags.checkpointMinutes || undefined }) : undefined;
  // Always said (even with --quiet), once the checkpoint is found to fit this run: a resumed result
  // depends on the checkpoint it continued from.
  if (checkpoint?.resume) {
    checkpoint.onResume = (at) => process.stderr.write(`unroll: resuming from ${flags.checkpoint} after epoch ${at.epoch}${at.batch ? `, batch ${at.batch}` : ''}\n`);
  }
  return checkpoint;
}

/** --checkpoint, --resume and --checkpoint-minutes, for commands that train. */
export function addCheckpointFlags(cmd: Command): Command {
  return cmd
    .option('--checkpoint <dir>', 'save the whole training state to this folder at every epoch end (atomically), so an interrupted run can --resume')
    .option('--resume', 'continue from the checkpoint in --checkpoint <dir> (same command and data); the result equals an uninterrupted run bit for bit')
    .option('--checkpoint-minutes <n>', 'also checkpoint mid-epoch every n minutes', intFlag('checkpoint-minutes'));
}

/**
 * Refuses an output path that is one of the command's inputs (`train --data in.csv --out in.csv`
 * would replace the data with the model).
 */
export function refuseOutputOverInput(outFlag: string, out: string | undefined, inputs: (string | undefined)[]): void {
  if (!out) return;
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const target = real(out);
  for (const input of inputs) {
    if (input && input !== '-' && real(input) === target) {
      throw new UnrollError(`option ${outFlag} "${out}" is also an input of this command; expected a different path (the output would overwrite the input)`, 'usage');
    }
  }
}

export function say(flags: RuntimeFlags, text: string): void {
  if (!flags.quiet) process.stderr.write(text + '\n');
}
