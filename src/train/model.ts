/**
 * `RNN`: the model class users meet. It is the `Network` of nn/ plus training (`fit`,
 * `evaluate`) and a versioned JSON format (`toJSON` / `RNN.fromJSON`). Saving to and loading from
 * files is in `io.ts` (Node only), so this module also runs in the browser.
 */
import { Network, type NetworkConfig, type NetworkOptions } from '../nn/model.js';
import type { SequenceInput, TargetInput } from '../nn/sequences.js';
import { UnrollError } from '../util/errors.js';
import { evaluate, fit, type FitOptions, type History } from './fit.js';
import type { TrainerOptions } from './trainer.js';

export const MODEL_FORMAT = 'unroll-model';
export const MODEL_VERSION = 1;

export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  config: NetworkConfig;
  weights: Record<string, { shape: number[]; data: number[] }>;
  /** Anything a higher layer stores with the model (scalers, feature settings, …). */
  extra?: Record<string, unknown>;
}

export type RNNOptions = NetworkOptions;

export class RNN extends Network {
  /** Free-form metadata saved with the model (e.g. the forecaster's scalers). */
  extra: Record<string, unknown> = {};

  fit(x: SequenceInput, y: TargetInput, options: FitOptions = {}): History {
    if (this.config.dropout === 0) return fit(this, x, y, options);
    // Dropout is on for training batches only: off after an epoch's last batch (validation), on again at the next.
    const { onBatchEnd, onEpochEnd } = options;
    this.training = true;
    try {
      return fit(this, x, y, {
        ...options,
        onBatchEnd: (info) => { if (info.batch === info.batches) this.training = false; onBatchEnd?.(info); },
        onEpochEnd: (log) => { this.training = true; onEpochEnd?.(log); },
      });
    } finally {
      this.training = false;
    }
  }

  evaluate(x: SequenceInput, y: TargetInput, options: TrainerOptions & { batchSize?: number } = {}): number {
    return evaluate(this, x, y, options);
  }

  toJSON(): ModelJSON {
    return { format: MODEL_FORMAT, version: MODEL_VERSION, config: { ...this.config }, weights: this.getWeights(), extra: this.extra };
  }

  /** Rebuilds a model from `toJSON()` output; `source` names the file in error messages. */
  static fromJSON(json: unknown, options: { source?: string; backend?: NetworkOptions['backend'] } = {}): RNN {
    const where = options.source ? `model file ${options.source}` : 'model JSON';
    if (!json || typeof json !== 'object') throw new UnrollError(`${where}: expected a JSON object written by unroll`, 'model-file');
    const j = json as Partial<ModelJSON>;
    if (j.format !== MODEL_FORMAT) throw new UnrollError(`${where}: not an unroll model (format is ${JSON.stringify(j.format)}, expected "${MODEL_FORMAT}")`, 'model-file');
    if (j.version !== MODEL_VERSION) {
      throw new UnrollError(`${where}: format version ${JSON.stringify(j.version)} is not supported; this unroll reads version ${MODEL_VERSION}`, 'model-file');
    }
    if (!j.config || typeof j.config !== 'object') throw new UnrollError(`${where}: the "config" section is missing`, 'model-file');
    if (!j.weights || typeof j.weights !== 'object') throw new UnrollError(`${where}: the "weights" section is missing`, 'model-file');
    let model: RNN;
    try {
      model = new RNN({ ...j.config, ...(options.backend ? { backend: options.backend } : {}) });
      model.setWeights(j.weights);
    } catch (e) {
      if (e instanceof UnrollError) throw new UnrollError(`${where}: ${e.message}`, 'model-file');
      throw e;
    }
    model.extra = (j.extra && typeof j.extra === 'object' ? j.extra : {}) as Record<string, unknown>;
    return model;
  }
}

/** Options of the preset classes: everything of RNNOptions except the cell, which the class fixes. */
export type PresetOptions = Omit<RNNOptions, 'cell'>;

/** An LSTM network (PyTorch nn.LSTM cell, gates i, f, g, o) with a dense head: `new LSTM({ inputSize, hiddenSize })`. */
export class LSTM extends RNN {
  constructor(options: PresetOptions) {
    super({ ...presetOptions(options, 'LSTM'), cell: 'lstm' });
  }
}

/** A GRU network (PyTorch nn.GRU cell, gates r, z, n) with a dense head: `new GRU({ inputSize, hiddenSize })`. */
export class GRU extends RNN {
  constructor(options: PresetOptions) {
    super({ ...presetOptions(options, 'GRU'), cell: 'gru' });
  }
}

/** An Elman (vanilla, PyTorch nn.RNN / Keras SimpleRNN) network with a dense head. */
export class SimpleRNN extends RNN {
  constructor(options: PresetOptions) {
    super({ ...presetOptions(options, 'SimpleRNN'), cell: 'elman' });
  }
}

function presetOptions(options: PresetOptions, cls: string): PresetOptions {
  if (!options || typeof options !== 'object') throw new UnrollError(`${cls}: expected an options object such as { inputSize: 1, hiddenSize: 8 }`, 'option');
  if ('cell' in options) throw new UnrollError(`${cls}: option "cell" is fixed by the class; use new RNN({ cell: ... }) to choose a cell`, 'option');
  return options;
}
