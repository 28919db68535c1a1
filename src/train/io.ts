/**
 * Saving and loading models as files (Node only). Writes are atomic: a temporary file in the same
 * folder, then a rename, so a crash never leaves a half-written model.
 */
import { readJsonFile, writeFileAtomic } from '../data/node-io.js';
import type { Backend } from '../kernels/index.js';
import { RNN } from './model.js';

export function saveModel(model: RNN, path: string): void {
  writeFileAtomic(path, JSON.stringify(model.toJSON()));
}

export function loadModel(path: string, options: { backend?: Backend } = {}): RNN {
  const json = readJsonFile(path);
  return RNN.fromJSON(json, { source: path, ...options });
}
