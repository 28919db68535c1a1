/**
 * The training loop shared by the text classifier and the sequence tagger: the shared fit loop
 * (train/fit.ts `trainLoop`) over samples packed into batches on the fly (token ids or one-hot, as
 * the network reads them) — seeded shuffling each epoch, softmax cross-entropy, Adam, clipping by
 * global norm 5 — with checkpoints and resume.
 */
import type { RNN } from '../train/model.js';
import type { SequenceSet } from '../nn/sequences.js';
import { LossAverage, dataHash, trainLoop, type CheckpointOptions } from '../train/fit.js';
import { Trainer, type TargetSet } from '../train/trainer.js';
import type { TokenBatcher } from './windows.js';
import { batcherFor } from './token-input.js';

export interface TextTrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  onEpochEnd?: (epoch: number, loss: number) => void;
  /** Checkpoints of the training state; `resume` continues a run bit for bit. */
  checkpoint?: CheckpointOptions;
}

/**
 * Trains `network` on `count` samples; `makeBatch(batcher, indices)` packs the samples with those
 * indices; `samples` (the token ids and targets of every sample) identify the data in checkpoints.
 * Returns the mean loss of each epoch.
 */
export function trainOnSamples(
  network: RNN, count: number, vocabulary: number,
  makeBatch: (batcher: TokenBatcher, indices: number[]) => [SequenceSet, TargetSet],
  o: TextTrainOptions, samples: readonly ArrayLike<number>[] = [],
): number[] {
  const trainer = new Trainer(network, { loss: 'crossEntropy', optimizer: { type: 'adam', learningRate: o.learningRate }, clip: { globalNorm: 5 } });
  const batcher = batcherFor(network, vocabulary, o.batchSize);
  const history = trainLoop({
    trainCount: count,
    valCount: 0,
    optimizers: [trainer.optimizer],
    get lastGradNorm() { return trainer.lastGradNorm; },
    trainStep: (order, from, B) => {
      const [set, targets] = makeBatch(batcher, Array.from(order.subarray(from, from + B)));
      return trainer.step(set, targets, batcher.identity, 0, B);
    },
    valLoss: () => NaN,
    average: () => new LossAverage(false, null),
    snapshot: () => Float64Array.from(network.store.values),
    restore: (w) => { network.store.values.set(w); },
    close: () => trainer.close(),
    dropoutPass: { get: () => network.stack.maskEpoch, set: (p) => { network.stack.maskEpoch = p; } },
    fingerprint: () => {
      let total = 0;
      for (const s of samples) total += s.length + 1;
      const all = new Int32Array(total);
      let k = 0;
      for (const s of samples) { all[k++] = s.length; for (let i = 0; i < s.length; i++) all[k++] = s[i]; }
      return JSON.stringify({ config: network.config, data: dataHash(all) });
    },
    lossName: 'crossEntropy',
  }, {
    epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, checkpoint: o.checkpoint,
    onEpochEnd: (log) => { o.onEpochEnd?.(log.epoch, log.loss); },
  });
  return history.epochs.map((e) => e.loss);
}
