/**
 * The library speaks of options by their API names (`option "hiddenSize"`, `pass missing: 'ffill'`);
 * a CLI user knows flags (`--hidden`, `--missing ffill`). Every message the CLI prints goes through
 * `cliVocabulary`, which rewrites the library's names into the flags that set them. Options with no
 * flag keep their name, said as the config-file key (`--config` sets every option).
 */

/** Library option name → the CLI flag that sets it. */
export const FLAG_OF: Record<string, string> = {
  target: '--target',
  features: '--features',
  lookback: '--lookback',
  minLength: '--min-length',
  predict: '--predict',
  strategy: '--strategy',
  horizon: '--horizon-out',
  scaler: '--scaler',
  cell: '--cell',
  'model.cell': '--cell',
  hiddenSize: '--hidden',
  'model.hiddenSize': '--hidden',
  numLayers: '--layers',
  'model.numLayers': '--layers',
  activation: '--activation',
  'model.activation': '--activation',
  epochs: '--epochs',
  'training.epochs': '--epochs',
  batchSize: '--batch-size',
  'training.batchSize': '--batch-size',
  learningRate: '--lr',
  'training.learningRate': '--lr',
  patience: '--patience',
  'training.patience': '--patience',
  clipNorm: '--clip-norm',
  'training.clipNorm': '--clip-norm',
  seed: '--seed',
  'training.seed': '--seed',
  threads: '--threads',
  'training.threads': '--threads',
  validationSplit: '--validation-split',
  'training.validationSplit': '--validation-split',
  intervalMethod: '--interval-method',
  calibrationSplit: '--calibration-split',
  columns: '--columns',
  missing: '--missing',
  sort: '--sort',
  frequency: '--frequency',
  period: '--period',
  // The panel model's (cli/panel-flags.ts).
  members: '--members',
  residual: '--residual',
  dilations: '--dilations',
  lookbackChunks: '--lookback-chunks',
  companion: '--companion',
  weightEvidence: '--weight-evidence',
  validationWindows: '--validation-windows',
  windowsPerSeries: '--windows-per-series',
  maxEpochSteps: '--max-epoch-steps',
  workers: '--workers',
  tau: '--tau',
  normalisation: '--normalisation',
  calendar: '--calendar',
};

const NAME = /option "([A-Za-z.]+)"/g;

/** Rewrites one message from library vocabulary into CLI flags. */
export function cliVocabulary(message: string): string {
  return message
    .replace(/\(sort the file, or pass sort: true\)/g, '(sort the file, or pass --sort)')
    .replace(/pass missing: '(ffill|drop)' or '(ffill|drop)'/g, 'pass --missing $1 or --missing $2')
    .replace(/pass missing: '(ffill|drop)'/g, 'pass --missing $1')
    .replace(/missing: 'drop' leaves nothing/g, '--missing drop leaves nothing')
    .replace(/with the "columns" option/g, 'with --columns (e.g. --columns close,volume)')
    .replace(/expected option "target"/g, 'expected --target <column>')
    .replace(/\bstrategy '(recursive|direct)'/g, '--strategy $1')
    .replace(NAME, (whole, name: string) => {
      // The panel model's options are named under the method's "options." (methods/panel.ts); the flag is the same.
      const flag = FLAG_OF[name] ?? FLAG_OF[name.replace(/^options\./, '')];
      return flag ? `option ${flag}` : whole;
    });
}
