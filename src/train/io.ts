/**
 * Saving and loading models as files (Node only). Writes are atomic: a temporary file in the same
 * folder, then a rename, so a crash never leaves a half-written model.
 */
import { readTextFile, writeFileAtomic } from '../data/node-io.js';
import type { Backend } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';
import { RNN } from './model.js';

export function saveModel(model: RNN, path: string): void {
  writeFileAtomic(path, JSON.stringify(model.toJSON()));
}

export function loadModel(path: string, options: { backend?: Backend } = {}): RNN {
  const text = readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UnrollError(`model file ${path}: not valid JSON (${(e as Error).message}); the file may be corrupt or not an unroll model`, 'model-file');
  }
  return RNN.fromJSON(json, { source: path, ...options });
}
