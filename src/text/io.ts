/** Saving and loading language models as files (Node only); writes are atomic (temp file + rename). */
import { readTextFile, writeFileAtomic } from '../data/node-io.js';
import type { Backend } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';
import { LanguageModel } from './lm.js';

export function saveLanguageModel(lm: LanguageModel, path: string): void {
  writeFileAtomic(path, JSON.stringify(lm.toJSON()));
}

export function loadLanguageModel(path: string, options: { backend?: Backend } = {}): LanguageModel {
  const text = readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UnrollError(`model file ${path}: not valid JSON (${(e as Error).message}); the file may be corrupt or not an unroll language model`, 'model-file');
  }
  return LanguageModel.fromJSON(json, { source: path, ...options });
}
