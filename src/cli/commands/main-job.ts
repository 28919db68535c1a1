/**
 * `unroll run`: the main job (`npm start`). On the bundled daily S&P 500 file by default, it trains
 * the default model (an LSTM on a 30-step window of log-returns), evaluates it one step ahead over the
 * last 504 rows (two years of trading days) against the baselines, prints the table and the next step's forecast with its interval,
 * and writes report.html.
 */
import type { Command } from 'commander';
import { nextDates } from '../../forecast/calendar.js';
import { holdoutEvaluation } from '../../forecast/evaluation.js';
import { saveForecaster } from '../../forecast/io.js';
import { writeReport } from '../../report/index.js';
import { addCheckpointFlags, addRuntimeFlags, chooseBackend, fitWithProgress, refuseOutputOverInput, say, type CheckpointFlags, type RuntimeFlags } from '../common.js';
import { checkTrainingRows, rowsOf, testStartOf } from '../spans.js';
import { aheadWord, countOf, nextWord } from '../../data/frequency.js';
import { periodFor, seriesName, stepLabels, targetOf } from '../labels.js';
import { loadData, type DataFlags } from '../data.js';
import { evaluationJson, evaluationText, forecastTable, intervalText } from '../format.js';
import { bestEpochText, trainingJson } from './model.js';
import type { Frame, SeriesSet } from '../../data/frame.js';
import { addDataFlags, addModelFlags, forecasterOptions, type ModelFlags } from '../options.js';
import { buildReportData } from '../report-data.js';
import { intFlag, numberFlag, printJson, runCommand } from '../run.js';
import { UnrollError } from '../../util/errors.js';
import { featureName } from '../../data/features.js';

/** The defaults of every command that trains (run, train, backtest): one place, forecast/rnn/defaults.ts. */
import { jobDefaults } from '../../forecast/rnn/defaults.js';
import { isSeriesSet, RECALIBRATION_MIN_ROWS, type ForecasterOptions } from '../../forecast/forecaster.js';
export { MAIN_DEFAULTS, jobDefaults } from '../../forecast/rnn/defaults.js';

/** The default test span of run and evaluate: the last 504 rows (two trading years) or a fifth of the rows, whichever is fewer. */
export function defaultTestSize(data: Frame | SeriesSet): number {
  return Math.max(1, Math.min(504, Math.floor(rowsOf(data) / 5)));
}

type Flags = RuntimeFlags & CheckpointFlags & DataFlags & ModelFlags & { testSize?: number; horizon?: number; report?: string; saveModel?: string; period?: number };

export function registerMainJob(program: Command): void {
  const cmd = program.command('run').description('the main job: train the default LSTM, evaluate it against baselines, forecast, and write report.html');
  addDataFlags(cmd, { bundledDefault: true });
  addModelFlags(cmd);
  addCheckpointFlags(addRuntimeFlags(cmd))
    .option('--test-size <n>', 'rows at the end (or a fraction) held out for the one-step-ahead test, at least 10 (it calibrates the forecast\'s intervals; default: the last 504 rows or a fifth of the rows, whichever is fewer, and at least 10)', numberFlag('test-size'))
    .option('--horizon <h>', 'steps (rows at the data\'s frequency) to forecast past the end of the data', intFlag('horizon'), 5)
    .option('--period <m>', 'seasonal period for MASE and the seasonal-naive baseline (default: from the frequency, e.g. 12 monthly, 4 quarterly, 5 business-daily)', intFlag('period'))
    .option('--report <file>', 'where to write the HTML report', 'report.html')
    .option('--save-model <file>', 'also save the trained forecaster')
    .addHelpText('after', `
Examples:
  unroll run                                  the bundled S&P 500 file, default LSTM, report.html
  unroll run --epochs 5 --hidden 16 --json    a quicker run, machine-readable
  unroll run --data data/airpassengers_monthly_1949_1960.csv --test-size 24 --lookback 24 --horizon 12
                                              monthly data: the frequency, labels and period 12 come from the dates`)
    .action((flags: Flags) => runCommand(flags, () => mainJob(flags)));
}

function mainJob(flags: Flags): void {
  const started = Date.now();
  const sources = [flags.data, ...(flags.join ?? []), flags.config];
  refuseOutputOverInput('--report', flags.report, sources);
  refuseOutputOverInput('--save-model', flags.saveModel, sources);
  const loaded = loadData(flags, { defaultToBundled: true });
  const { data, source } = loaded;
  if (isSeriesSet(data)) throw new UnrollError('run forecasts one series; use "unroll train --series" for several companies', 'usage');
  const options = forecasterOptions(flags, (chosen) => jobDefaults(data, chosen));
  const backend = chooseBackend(flags.backend);
  const testSize = flags.testSize ?? Math.max(RECALIBRATION_MIN_ROWS, defaultTestSize(data));
  const testStart = testStartOf(data, testSize, { checkedByTraining: true }) as number;
  // The test span calibrates the future forecast's intervals (recalibrate below): checked before training.
  checkTrainingRows(data, testStart, options, testSize, { minTest: RECALIBRATION_MIN_ROWS, source, defaulted: flags.testSize === undefined });
  const { frequency: freq, basis } = stepLabels(flags, data.dates);
  const period = periodFor(flags, freq, testStart);
  const testRows = data.dates.length - testStart;
  if (loaded.join) say(flags, `unroll: ${loaded.join.text}`);
  say(flags, `unroll: ${source}, ${data.dates.length} rows, ${freq ?? 'frequency unknown'} (${basis}), seasonal period ${period}; training on ${data.dates[0]} … ${data.dates[testStart - 1]}, testing on ${data.dates[testStart]} … ${data.dates[data.dates.length - 1]} (backend ${backend.name})`);
  const f = fitWithProgress(options, data, testStart, flags, backend);
  const name = modelName(f.options.model);
  const [ev] = holdoutEvaluation(f, data, testStart, { period, modelName: name });
  const horizon = flags.horizon!;
  // The test span is history now: calibrate the intervals of the future forecast on its errors.
  f.recalibrate(data, testRows);
  const future = f.forecast(data, horizon).series;
  const futureDates = nextDates(f.seriesValues(data)[0].dates, horizon, freq);
  if (flags.saveModel) saveForecaster(f, flags.saveModel);

  const target = targetOf(data, f.options.target);
  const series = seriesName(ev.id, target);
  const ahead = aheadWord(freq);
  const seconds = (Date.now() - started) / 1000;
  const inputs = (f.options.features ?? []).map((x) => featureName(x)).join(', ') || target;
  const reportData = buildReportData({
    title: `unroll: ${source.split('/').pop()} — ${name} forecast of ${series}`,
    description: `Trained on ${data.dates[0]} … ${data.dates[testStart - 1]}; ${ahead} forecasts over the last ${countOf(freq, testRows)}, each from the actual history before it, beside the benchmarks on the same span (each refitted on the history before every step it forecasts).`,
    source, modelName: name, forecaster: f, data, evaluation: ev, future, futureDates, seriesName: series, frequency: freq,
    details: [
      { label: 'data', value: source + (loaded.join ? ` (${loaded.join.text})` : '') },
      { label: 'frequency', value: `${freq ?? 'unknown'} (${basis}); seasonal period ${period}` },
      { label: 'model', value: `${name}, ${f.options.model.numLayers ?? 1} layer(s), ${f.model!.parameterCount} parameters` },
      { label: 'inputs', value: `${countOf(freq, f.options.lookback)} of ${inputs}` },
      { label: 'seasonal', value: Object.values(f.seasonal)[0]?.note ?? 'not seasonally normalised' },
      { label: 'predicts', value: `the ${nextWord(freq)}'s ${f.options.predict === 'return' ? `return of ${series}` : f.options.predict === 'direction' ? `direction of ${series}` : series}` },
      { label: 'training', value: `${f.epochs.length} epochs${bestEpochText(f)} (Adam, lr ${f.options.training.learningRate}, batch ${f.options.training.batchSize}), seed ${f.options.training.seed}` },
      { label: 'backend', value: backend.name },
      { label: 'time', value: `${seconds.toFixed(1)} s` },
    ],
  });
  writeReport(flags.report!, reportData);

  if (flags.json) {
    printJson({
      data: source, rows: data.dates.length, series, frequency: freq, frequencySource: basis, period, backend: backend.name, seconds,
      join: loaded.join ? { ...loaded.join.report, text: loaded.join.text } : undefined,
      model: { name, parameters: f.model!.parameterCount, epochs: f.epochs.length, training: trainingJson(f), options: f.toJSON().options, seasonal: Object.values(f.seasonal)[0] ?? null },
      evaluation: { ...evaluationJson(ev), series, period, stepsAhead: ahead },
      forecast: { series, level: f.options.intervalLevel, points: future.map((p, i) => ({ date: futureDates[i], ...p })) },
      report: flags.report,
    });
    return;
  }
  const out: string[] = [];
  const next = nextWord(freq);
  out.push(evaluationText(ev, `${series}, ${freq ?? 'frequency unknown'} (${basis}); seasonal period ${period}.\nTest span ${ev.dates[0]} … ${ev.dates[ev.dates.length - 1]}: ${ev.actual.length} ${ahead} forecasts of ${series}; trained ${f.epochs.length} epochs${bestEpochText(f)}`), '');
  out.push(`${next[0].toUpperCase()}${next.slice(1)} (${futureDates[0]}): ${series} ${future[0].value.toFixed(2)}, ${Math.round(f.options.intervalLevel * 100)}% interval ${intervalText(future[0])}`);
  out.push(`Forecast of ${series} for the next ${countOf(freq, horizon)}:`);
  out.push(forecastTable(future, futureDates, f.options.intervalLevel));
  out.push('', `Report written to ${flags.report} (${seconds.toFixed(1)} s in all).`);
  process.stdout.write(out.join('\n') + '\n');
}

export function modelName(m: NonNullable<ForecasterOptions['model']>): string {
  const cell = String(m.cell ?? 'lstm');
  const label = cell === 'lstm' ? 'LSTM' : cell === 'gru' ? 'GRU' : cell === 'elman' ? 'Elman RNN' : cell;
  return `${label} (${m.hiddenSize ?? 32} units)`;
}
