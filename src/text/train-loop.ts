/**
 * The training loop shared by the text classifier and the sequence tagger: seeded shuffling each
 * epoch, batches (token ids or one-hot, as the network reads them) built on the fly, softmax
 * cross-entropy, Adam, clipping by global norm 5.
 */
import type { RNN } from '../train/model.js';
import type { SequenceSet } from '../nn/sequences.js';
import { Trainer, type TargetSet } from '../train/trainer.js';
import { Rng } from '../util/rng.js';
import type { TokenBatcher } from './windows.js';
import { batcherFor } from './token-input.js';

export interface TextTrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  onEpochEnd?: (epoch: number, loss: number) => void;
}

/**
 * Trains `network` on `count` samples; `makeBatch(batcher, indices)` packs the samples with those
 * indices. Returns the mean loss of each epoch.
 */
export function trainOnSamples(
  network: RNN, count: number, vocabulary: number,
  makeBatch: (batcher: TokenBatcher, indices: number[]) => [SequenceSet, TargetSet],
  o: TextTrainOptions,
): number[] {
  const trainer = new Trainer(network, { loss: 'crossEntropy', optimizer: { type: 'adam', learningRate: o.learningRate }, clip: { globalNorm: 5 } });
  const rng = new Rng(o.seed);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const batcher = batcherFor(network, vocabulary, o.batchSize);
  const losses: number[] = [];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    rng.shuffle(order);
    let sum = 0;
    for (let from = 0; from < count; from += o.batchSize) {
      const idx = Array.from(order.subarray(from, Math.min(count, from + o.batchSize)));
      const [set, targets] = makeBatch(batcher, idx);
      sum += trainer.step(set, targets, batcher.identity, 0, idx.length) * idx.length;
    }
    losses.push(sum / count);
    o.onEpochEnd?.(epoch, sum / count);
  }
  return losses;
}
