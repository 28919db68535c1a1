/**
 * Saving and loading forecasters (Node only): the network, its scalers, feature settings and
 * calibration residuals in one JSON file, written atomically.
 */
import { readTextFile, writeFileAtomic } from '../data/node-io.js';
import { UnrollError } from '../util/errors.js';
import { Forecaster } from './forecaster.js';
import type { Backend } from '../kernels/index.js';

export function saveForecaster(f: Forecaster, path: string): void {
  writeFileAtomic(path, JSON.stringify(f.toJSON()));
}

export function loadForecaster(path: string, options: { backend?: Backend } = {}): Forecaster {
  const text = readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UnrollError(`model file ${path}: not valid JSON (${(e as Error).message}); the file may be corrupt or not an unroll model`, 'model-file');
  }
  return Forecaster.fromJSON(json, { source: path, ...options });
}
