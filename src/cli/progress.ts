/**
 * Training progress for the terminal: a cli-progress bar (epoch, batch, loss, validation loss, ETA)
 * on a TTY, and plain log lines (one every few epochs) when the output is not a terminal — in CI,
 * in a pipe, or with --json (where the progress goes to stderr so stdout stays machine-readable).
 */
import cliProgress from 'cli-progress';
import type { EpochLog } from '../train/fit.js';

export interface TrainingProgress {
  onBatchEnd(info: { epoch: number; batch: number; batches: number; loss: number }): void;
  onEpochEnd(log: EpochLog): void;
  stop(): void;
}

export function trainingProgress(options: { epochs: number; label?: string; quiet?: boolean; stream?: NodeJS.WriteStream }): TrainingProgress {
  const stream = options.stream ?? process.stderr;
  const label = options.label ?? 'training';
  if (options.quiet) return { onBatchEnd() {}, onEpochEnd() {}, stop() {} };
  if (!stream.isTTY) {
    const every = Math.max(1, Math.round(options.epochs / 10));
    return {
      onBatchEnd() {},
      onEpochEnd(log) {
        if (log.epoch === 1 || log.epoch % every === 0 || log.epoch === options.epochs) {
          stream.write(`${label}: epoch ${log.epoch}/${options.epochs} loss ${log.loss.toExponential(3)}` +
            (log.valLoss !== undefined ? ` val ${log.valLoss.toExponential(3)}` : '') + '\n');
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${label} [{bar}] epoch {value}/{total} | batch {batch} | loss {loss} | val {val} | ETA {eta_formatted}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 20,
  });
  bar.start(options.epochs, 0, { batch: '-', loss: '-', val: '-' });
  let lastVal = '-';
  return {
    onBatchEnd(info) {
      bar.update({ batch: `${info.batch}/${info.batches}`, loss: info.loss.toExponential(2), val: lastVal });
    },
    onEpochEnd(log) {
      if (log.valLoss !== undefined) lastVal = log.valLoss.toExponential(2);
      bar.update(log.epoch, { loss: log.loss.toExponential(2), val: lastVal });
    },
    stop() {
      bar.stop();
    },
  };
}
