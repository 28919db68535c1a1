/**
 * Saving and loading models as files (Node only). Writes are atomic: a temporary file in the same
 * folder, then a rename, so a crash never leaves a half-written model.
 */
import { readJsonFile, writeFileAtomic } from '../data/node-io.js';
import type { Backend } from '../kernels/index.js';
import { RNN, Seq2Seq } from './model.js';
import { checkOptions, is } from '../util/options.js';

/** Saves any model with a `toJSON()` (every RNN kind, Seq2Seq). */
export function saveModel(model: { toJSON(): unknown }, path: string): void {
  writeFileAtomic(path, JSON.stringify(model.toJSON()));
}

/** Loads a recurrent model saved by `saveModel`, rebuilding its class (LSTM, NARX, Jordan, …). */
export function loadModel(path: string, options: { backend?: Backend } = {}): RNN {
  checkOptions(options, { backend: is.object }, { where: 'loadModel' });
  return RNN.fromJSON(readJsonFile(path), { source: path, ...options });
}

/** Loads an encoder-decoder saved by `saveModel`. */
export function loadSeq2Seq(path: string, options: { backend?: Backend } = {}): Seq2Seq {
  checkOptions(options, { backend: is.object }, { where: 'loadSeq2Seq' });
  return Seq2Seq.fromJSON(readJsonFile(path), { source: path, ...options });
}
