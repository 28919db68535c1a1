/**
 * The model and training flags shared by `train`, `backtest` and `run`, and how they (and an
 * optional JSON config file) become ForecasterOptions. Flags override the config file.
 */
import { Option, type Command } from 'commander';
import type { ForecasterOptions } from '../forecast/forecaster.js';
import { readTextFile } from '../data/node-io.js';
import { UnrollError } from '../util/errors.js';
import { intFlag, numberFlag } from './run.js';
import { FREQUENCIES } from '../data/frequency.js';

export interface ModelFlags {
  config?: string;
  target?: string;
  features?: string;
  cell?: string;
  hidden?: number;
  layers?: number;
  activation?: string;
  lookback?: number;
  minLength?: number;
  predict?: string;
  strategy?: string;
  horizonOut?: number;
  scaler?: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  patience?: number;
  clipNorm?: number;
  threads?: number;
  seed?: number;
  validationSplit?: number;
  intervalMethod?: string;
  calibrationSplit?: number;
  seasonal?: string;
  /** The seasonal period (run, train and backtest have --period): also the period of the seasonal normalisation. */
  period?: number;
}

export function addDataFlags(cmd: Command, options: { bundledDefault?: boolean; seriesHelp?: string } = {}): Command {
  return cmd
    .option('--data <file>', options.bundledDefault ? 'CSV file, or - for standard input (default: the bundled daily S&P 500 file)' : 'CSV file, or - for standard input')
    .option('--series [file]', options.seriesHelp ?? 'several series in one file: one per column (wide) or an id column (long); --series <file> is short for --data <file> --series')
    .option('--columns <list>', 'comma-separated value columns to read (others, e.g. text columns, are ignored)')
    .option('--join <file>', 'join another CSV by date (e.g. gold prices); repeatable; prints the rows kept and lost', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--join-mode <mode>', 'ffill: keep the main file\'s dates and carry the joined series\' last value forward; inner: keep only dates every file has; auto: ffill when a joined file has gaps').choices(['auto', 'inner', 'ffill']).default('auto'))
    .option('--missing <policy>', 'missing cells: error, ffill or drop', 'error')
    .option('--sort', 'sort rows by date instead of rejecting an unsorted file')
    .addOption(new Option('--sort-dates', 'the same as --sort').hideHelp())
    .addOption(new Option('--frequency <f>', 'the data\'s frequency (default: inferred from the dates); sets the labels, forecast dates and default seasonal period').choices([...FREQUENCIES]));
}

/**
 * The model and training flags. Their help shows the defaults of run, train and backtest (MAIN_DEFAULTS);
 * a command with other defaults passes `showDefaults: false` and says its own.
 */
export function addModelFlags(cmd: Command, options: { showDefaults?: boolean } = {}): Command {
  addModelFlagsWithDefaults(cmd);
  if (options.showDefaults === false) {
    for (const o of cmd.options) o.description = o.description.replace(/; default: [^)]*\)/, ')').replace(/ \(default: [^)]*\)/, '');
  }
  return cmd;
}

function addModelFlagsWithDefaults(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON file with forecaster options (flags override it)')
    .option('--target <column>', "column to forecast (default: close, or the file's only column)")
    .option('--features <list>', 'comma-separated inputs: close, return:close, logReturn:close, ohlc, logVolume, log:volume, gold, … (default: logReturn of the target)')
    .addOption(new Option('--cell <kind>', 'recurrent cell (default: lstm)').choices(['lstm', 'gru', 'elman']))
    .option('--hidden <n>', 'hidden units per layer (default: 64)', intFlag('hidden'))
    .option('--layers <n>', 'stacked recurrent layers (default: 1)', intFlag('layers'))
    .addOption(new Option('--activation <f>', 'Elman activation (default: tanh)').choices(['tanh', 'relu', 'sigmoid', 'linear']))
    .option('--lookback <n>', 'rows (time steps) of history per window (default: 30)', intFlag('lookback'))
    .option('--min-length <n>', 'shortest window for short histories (default: the lookback)', intFlag('min-length'))
    .addOption(new Option('--predict <what>', 'what the network predicts: the next value, the next return, or the direction of the next move (invest or not) (default: return)').choices(['value', 'return', 'direction']))
    .addOption(new Option('--strategy <s>', 'multi-step strategy (default: recursive)').choices(['recursive', 'direct']))
    .option('--horizon-out <n>', "outputs of a 'direct' network (steps ahead it is trained for; default: 1)", intFlag('horizon-out'))
    .addOption(new Option('--seasonal <mode>', "per-series seasonal normalisation: auto divides a seasonal series (M4's 90% test at the period, and seasonal strength ≥ 0.5) by its Holt-Winters seasonal states and multiplies the forecasts back; holt-winters: the evolving seasonal states of a multiplicative ETS model, always; classical: fixed multiplicative indices, always (period > 1, values > 0); off: never (default: auto)").choices(['auto', 'off', 'classical', 'holt-winters']))
    .addOption(new Option('--scaler <kind>', 'feature scaling fitted on the training span (default: standard)').choices(['minmax', 'standard', 'none']))
    .option('--epochs <n>', 'training epochs (default: auto = ⌈2000 / batches per epoch⌉ within 30…400, about 2000 updates; early stopping keeps the best epoch)', intFlag('epochs'))
    .option('--batch-size <n>', 'mini-batch size (default: 64)', intFlag('batch-size'))
    .option('--lr <rate>', 'Adam learning rate (default: 0.002)', numberFlag('lr'))
    .option('--validation-split <f>', 'fraction of the latest training windows held out to watch for overfitting (0 = none; default 0.1)', numberFlag('validation-split'))
    .addOption(new Option('--interval-method <m>', "how the prediction intervals are made: conformal (split-conformal on the model's own h-step errors from the calibration rows), quantile (the network learns the bounds with the pinball loss; the point forecast is then the median), cqr (those bounds conformalized per step on the calibration rows, then the network trained again on every row) (default: cqr)").choices(['conformal', 'quantile', 'cqr']))
    .option('--calibration-split <f>', 'fraction of each series\' latest training rows held out from training and early stopping to calibrate the intervals on (conformal, cqr), at least 20 rows, at most a quarter; 0 calibrates on the validation windows (default: 0.1)', numberFlag('calibration-split'))
    .option('--patience <n>', 'early-stopping patience in epochs (0 = off; default: auto = ⌈200 / batches per epoch⌉ within 6…50)', intFlag('patience'))
    .option('--clip-norm <x>', 'gradient clipping by global norm, a positive number (default: 1)', numberFlag('clip-norm'))
    .option('--threads <n>', 'worker threads for data-parallel training (1 = none; 2 uses both cores of a 2-core machine; default: 1)', intFlag('threads'));
}

/**
 * The forecaster options from a config file and flags (flags override the file). `defaults` fill what neither
 * gives; as a function, they are chosen for the target the file and flags name (--target, else the file's
 * "target"), so that a config's target steers the default features exactly as --target does.
 */
export function forecasterOptions(flags: ModelFlags, defaults: ForecasterOptions | ((chosen: { target?: string }) => ForecasterOptions) = {}): ForecasterOptions {
  let fromFile: ForecasterOptions = {};
  if (flags.config) {
    const text = readTextFile(flags.config);
    try {
      fromFile = JSON.parse(text) as ForecasterOptions;
    } catch (e) {
      throw new UnrollError(`config file ${flags.config}: not valid JSON (${(e as Error).message})`, 'usage');
    }
    if (!fromFile || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new UnrollError(`config file ${flags.config}: expected a JSON object of forecaster options`, 'usage');
    for (const key of ['model', 'training'] as const) {
      const v: unknown = fromFile[key];
      if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) {
        throw new UnrollError(`config file ${flags.config}: "${key}" is ${JSON.stringify(v)}; expected an object of ${key} options, such as ${key === 'model' ? '{ "cell": "gru", "hiddenSize": 32 }' : '{ "epochs": 50 }'}`, 'usage');
      }
    }
  }
  // A target of another type is left to the forecaster's own check (it names the option and what is expected).
  const target = flags.target ?? (typeof fromFile.target === 'string' ? fromFile.target : undefined);
  if (typeof defaults === 'function') defaults = defaults(target === undefined ? {} : { target });
  const base: ForecasterOptions = { ...defaults, ...fromFile, model: { ...defaults.model, ...fromFile.model }, training: { ...defaults.training, ...fromFile.training } };
  const set = <T>(v: T | undefined, apply: (v: T) => void): void => { if (v !== undefined) apply(v); };
  const o: ForecasterOptions = { ...base, model: { ...base.model }, training: { ...base.training } };
  set(flags.target, (v) => (o.target = v));
  set(flags.features, (v) => (o.features = v.split(',').map((s) => s.trim()).filter(Boolean)));
  set(flags.cell, (v) => (o.model!.cell = v));
  set(flags.hidden, (v) => (o.model!.hiddenSize = v));
  set(flags.layers, (v) => (o.model!.numLayers = v));
  set(flags.activation, (v) => (o.model!.activation = v as never));
  set(flags.lookback, (v) => (o.lookback = v));
  set(flags.minLength, (v) => (o.minLength = v));
  set(flags.predict, (v) => (o.predict = v as never));
  set(flags.strategy, (v) => (o.strategy = v as never));
  set(flags.horizonOut, (v) => (o.horizon = v));
  set(flags.scaler, (v) => (o.scaler = v as never));
  set(flags.seasonal, (v) => (o.seasonal = v as never));
  set(flags.period, (v) => (o.period = v));
  set(flags.epochs, (v) => (o.training!.epochs = v));
  set(flags.batchSize, (v) => (o.training!.batchSize = v));
  set(flags.lr, (v) => (o.training!.learningRate = v));
  set(flags.patience, (v) => (o.training!.patience = v));
  set(flags.clipNorm, (v) => (o.training!.clipNorm = v));
  set(flags.seed, (v) => (o.training!.seed = v));
  set(flags.threads, (v) => (o.training!.threads = v));
  set(flags.validationSplit, (v) => (o.training!.validationSplit = v));
  set(flags.intervalMethod, (v) => (o.intervalMethod = v as never));
  set(flags.calibrationSplit, (v) => (o.calibrationSplit = v));
  return o;
}
