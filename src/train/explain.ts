/**
 * The glass box: what the seeds show on paper, for the user's own model.
 *
 * - `explain` runs one sequence and records every layer's state at every step (the unrolled
 *   computation), and the output.
 * - Its `sensitivity` is ‖∂y/∂x_t‖ for every step t, oldest first: how much each input still moves
 *   the prediction. In StatQuest's two-weight linear RNN this is W1·|W2|^k for the input k steps
 *   back, the W2^n pattern that vanishes (|W2| < 1) or explodes (|W2| > 1) with n.
 */
import type { Network } from '../nn/model.js';
import { toSequenceSet } from '../nn/sequences.js';
import { checkOptions, is } from '../util/options.js';
import { UnrollError, badOption } from '../util/errors.js';

export interface ExplainStep {
  /** 0 = oldest step. */
  t: number;
  input: number[];
  /** The exposed state h_t of each layer after this step. */
  layers: number[][];
}

export interface Explanation {
  steps: ExplainStep[];
  /** The model output (at the last step for many-to-one, at every step for many-to-many: the last one here). */
  output: number[];
  /** ‖∂ output[outputIndex] / ∂x_t‖₂ for each step t, oldest first. */
  sensitivity: number[];
  outputIndex: number;
}

export function explain(model: Network, sequence: number[][] | number[], options: { outputIndex?: number } = {}): Explanation {
  checkOptions(options, { outputIndex: is.nonNegativeInt }, { where: 'explain' });
  if (model.embedding) throw new UnrollError('explain: the model reads token ids through an embedding, and ids have no gradient to measure the sensitivity by', 'option');
  const D = model.inputSize;
  const seq = (typeof sequence[0] === 'number' ? [sequence as number[]] : [sequence as number[][]]) as number[][] | number[][][];
  const set = toSequenceSet(seq as number[][][] | number[][], D, 'sequence');
  const outputIndex = options.outputIndex ?? 0;
  const K = model.outputSize;
  if (!Number.isInteger(outputIndex) || outputIndex < 0 || outputIndex >= K) badOption('outputIndex', outputIndex, `an integer from 0 to ${K - 1} (outputSize ${K})`);
  model.loadBatch(set, [0], 0, 1);
  model.forward();
  const T = model.steps;
  const steps: ExplainStep[] = [];
  for (let t = 0; t < T; t++) {
    steps.push({
      t,
      input: Array.from(model.x.subarray(t * D, (t + 1) * D)),
      layers: model.layers.map((layer) => {
        const off = layer.seqOffset + t * layer.seqLd;
        return Array.from(layer.out.subarray(off, off + layer.outputSize));
      }),
    });
  }
  const seqMode = model.outputMode === 'sequence';
  const outRow = seqMode ? T - 1 : 0;
  const output = Array.from(model.y.subarray(outRow * K, (outRow + 1) * K));

  // Backpropagate d output[outputIndex] (at the last step) to every input.
  const rows = seqMode ? T : 1;
  model.backend.fill(rows * K, 0, model.dy, 0);
  model.dy[outRow * K + outputIndex] = 1;
  model.backend.fill(model.store.count, 0, model.store.grads, 0);
  model.backward(true);
  const sensitivity: number[] = [];
  for (let t = 0; t < T; t++) sensitivity.push(Math.sqrt(model.backend.sumSquares(D, model.dx, t * D)));
  model.backend.fill(model.store.count, 0, model.store.grads, 0);
  return { steps, output, sensitivity, outputIndex };
}
