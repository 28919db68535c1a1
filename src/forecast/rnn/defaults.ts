/**
 * The default RNN forecaster of every job that trains one (`unroll run`, `train`, `backtest`, and the
 * method behind the contract, methods/rnn.ts): an LSTM of 64 units on a 30-step window of the target's
 * log-returns, standard-scaled, predicting the next return (from its standard-scaled levels when the
 * target has values ≤ 0, where log-returns are undefined). One place, so every entry point trains the
 * same model. The training budget ('auto': about 2000 optimizer updates, rnn/budget.ts) is measured in
 * bench/budget/ (docs/forecasting.md).
 */
import type { Frame, SeriesSet } from '../../data/frame.js';
import type { ForecasterOptions } from './options.js';
import { isSeriesSet } from './series.js';

/** The default forecaster of the main job. */
export const MAIN_DEFAULTS: ForecasterOptions = {
  features: ['logReturn:close'],
  predict: 'return',
  scaler: 'standard',
  lookback: 30,
  model: { cell: 'lstm', hiddenSize: 64 },
  // The budget in optimizer updates (rnn/budget.ts, measured in bench/budget/): 30 epochs with patience 6
  // left 5 of 19 bundled and R series still improving, the short seasonal ones by far.
  training: { epochs: 'auto', batchSize: 64, learningRate: 0.002, validationSplit: 0.1, patience: 'auto', clipNorm: 1, seed: 42 },
  intervalLevel: 0.9,
};

/**
 * MAIN_DEFAULTS for `data`, forecasting the target column from its own log-returns (from its
 * standard-scaled levels when it has values ≤ 0). `chosen.target` is the column asked for (the CLI's
 * --target, else its config file's "target": cli/options.ts forecasterOptions); without it, close, else
 * the data's only column.
 */
export function jobDefaults(data: Frame | SeriesSet, chosen: { target?: string }): ForecasterOptions {
  const defaults: ForecasterOptions = { ...MAIN_DEFAULTS };
  const frame = isSeriesSet(data) ? data.series[data.ids[0]] : data;
  const target = chosen.target ?? (frame.names.includes('close') ? 'close' : frame.names.length === 1 ? frame.names[0] : undefined);
  const frames = isSeriesSet(data) ? data.ids.map((id) => data.series[id]) : [data];
  // The column chosen is written down, so that the saved model says what it was trained on (unroll summary).
  if (target !== undefined) defaults.target = target;
  const positive = target !== undefined && frames.every((fr) => !fr.columns[target] || fr.columns[target].every((v) => v > 0));
  if (target && positive) defaults.features = [`logReturn:${target}`];
  else if (target) {
    // Log-returns need positive values: a series that reaches 0 or below is forecast from its levels.
    defaults.features = [target];
    defaults.predict = 'value';
  } else delete defaults.features;
  return defaults;
}
