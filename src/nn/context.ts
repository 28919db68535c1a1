/**
 * The Elman context network (Elman 1990, "Finding structure in time"; CMU 11-785):
 *
 *   c_t = h_{t−1}                                         context units: a copy of the previous hidden values
 *   h_t = f(W_ih x_t + b_ih + W_hh c_t + b_hh)            W_hh: the weights from the context units to the hidden units
 *
 * and the dense head y_t = W_o h_t + b_o. The forward pass is the Elman cell's. What differs is
 * training (`trainingMode`):
 * - 'seed': as the seed describes the original — "approximated as a set of T independent 1-step
 *   history nets": only the weight from the context to the hidden units learns, and no gradient
 *   is backpropagated over the "1" (copy) link, so dL/dh_{t−1} through c_t is dropped.
 * - 'bptt': the gradient flows through the copy link: this is the fully recurrent state-space RNN
 *   (the engine's Elman cell) trained by full BPTT.
 *
 * Parameter names and layout are the Elman cell's (PyTorch nn.RNN).
 */
import type { Backend, Buf } from '../kernels/index.js';
import { ElmanCell, type ElmanCellOptions } from './elman.js';
import type { TrainingMode } from './cells.js';
import type { ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

export interface ContextCellOptions extends ElmanCellOptions {
  /** 'seed' (no gradient through the copy link) or 'bptt'. @default 'bptt' */
  trainingMode?: TrainingMode;
}

export class ContextCell extends ElmanCell {
  override readonly kind: string;
  readonly trainingMode: TrainingMode;

  constructor(backend: Backend, store: ParamStore, options: ContextCellOptions) {
    super(backend, store, elmanPart(options));
    this.trainingMode = options.trainingMode ?? 'bptt';
    this.kind = `context(${this.activation}, ${this.trainingMode})`;
  }

  override stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    // dz_t = dh_t ⊙ f'(z_t) and dh_{t−1} = dz_t · W_hh (the Elman step) …
    super.stepBackward(t, batch, states, dState, dStatePrev);
    // … except that 'seed' training blocks the copy link c_t = h_{t−1}: dh_{t−1} = 0.
    if (this.trainingMode === 'seed') this.backend.fill(batch * this.hiddenSize, 0, dStatePrev, 0);
  }
}

/** Checks a ContextCell's options (the one options checker) and gives the Elman cell its part of them. */
function elmanPart(options: ContextCellOptions): ElmanCellOptions {
  checkOptions(options, {
    inputSize: is.positiveInt, hiddenSize: is.positiveInt, suffix: is.string, activation: is.string, trainingMode: is.string,
  }, { where: 'ContextCell' }, false);
  return { inputSize: options.inputSize, hiddenSize: options.hiddenSize, activation: options.activation, suffix: options.suffix };
}
