/**
 * Saving and loading forecasters (Node only): the network, its scalers, feature settings and
 * calibration residuals in one JSON file, written atomically.
 */
import { readJsonFile, writeFileAtomic } from '../data/node-io.js';
import { Forecaster } from './forecaster.js';
import type { Backend } from '../kernels/index.js';
import { checkOptions, is } from '../util/options.js';

export function saveForecaster(f: Forecaster, path: string): void {
  writeFileAtomic(path, JSON.stringify(f.toJSON()));
}

export function loadForecaster(path: string, options: { backend?: Backend; onWarning?: (message: string) => void } = {}): Forecaster {
  checkOptions(options, { backend: is.object, onWarning: is.function }, { where: 'loadForecaster' });
  const json = readJsonFile(path);
  return Forecaster.fromJSON(json, { source: path, ...options });
}
