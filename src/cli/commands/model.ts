/**
 * Commands on forecasting models: train, predict, forecast, evaluate, backtest, summary, explain.
 */
import type { Command } from 'commander';
import { frameLength, type Frame } from '../../data/frame.js';
import { nextDates } from '../../forecast/calendar.js';
import { directionEvaluation, holdoutEvaluation, walkForwardBacktest, type DirectionEvaluation, type SeriesEvaluation } from '../../forecast/evaluation.js';
import { isSeriesSet, type ForecastData, type Forecaster, type ForecasterOptions } from '../../forecast/forecaster.js';
import { loadForecaster, saveForecaster } from '../../forecast/io.js';
import { UnrollError } from '../../util/errors.js';
import { addCheckpointFlags, addRuntimeFlags, chooseBackend, fitWithProgress, refuseOutputOverInput, say, type CheckpointFlags, type RuntimeFlags } from '../common.js';
import { checkBacktestRows, checkTrainingRows, testStartOf } from '../spans.js';
import { periodFor, seriesName, stepLabels, targetOf } from '../labels.js';
import { checkModelColumns } from '../model-columns.js';
import { outputGroups, outputLines } from '../model-outputs.js';
import { loadData, type DataFlags } from '../data.js';
import { evaluationJson, evaluationText, forecastTable, table } from '../format.js';
import { defaultTestSize, jobDefaults, modelName } from './main-job.js';
import { addDataFlags, addModelFlags, forecasterOptions, type ModelFlags } from '../options.js';
import { intFlag, numberFlag, printJson, runCommand } from '../run.js';
import { writeFileAtomic } from '../../data/node-io.js';
import { PANEL_ONLY_FLAGS, addPanelNetworkFlags, panelDefaultsNote, panelSettingsDefaults, type PanelNetworkFlags } from '../panel-flags.js';
import { summaryPanel } from './summary-panel.js';
import { PANEL_FLAGS_TEXT, TRAIN_FORMS, forecastPanel, isPanelModelPath, trainPanel, type PanelTrainFlags } from './panel.js';

type Flags = RuntimeFlags & CheckpointFlags & DataFlags & ModelFlags & {
  model?: string; out?: string; testSize?: number; horizon?: number; last?: number; end?: number;
  initialTrain?: number; refitEvery?: number; mode?: string; window?: number; period?: number; members?: number; report?: string;
  calendar?: string;
} & Pick<PanelNetworkFlags, (typeof PANEL_ONLY_FLAGS)[number][0]>;

const EXAMPLE_DATA = 'data/sp500_daily_ohlcv_2000_2020.csv';

function withModel(cmd: Command): Command {
  return cmd.requiredOption('--model <file>', 'a model saved by "unroll train"');
}

function openModel(flags: Flags): Forecaster {
  if (isPanelModelPath(flags.model!)) {
    throw new UnrollError(`option --model ${flags.model}: a panel model (trained by "unroll train --series <file>"); it forecasts with "unroll forecast --model ${flags.model}" (and "unroll summary --model ${flags.model}" describes it)`, 'usage');
  }
  return loadForecaster(flags.model!, { backend: chooseBackend(flags.backend), onWarning: (m) => say(flags, `unroll: warning: ${m}`) });
}

export function registerModelCommands(program: Command): void {
  // ---- train
  const train = program.command('train').description('train a forecaster on a CSV and save it (with its scalers and settings); --series <file> trains the global panel model over every series of a long file');
  addDataFlags(train, { seriesHelp: 'the global panel model (ES-RNN family) over every series of a long file (id, date, value), saved with --out; with --data <file> --series instead, the per-window forecaster over all the series' });
  addModelFlags(train);
  // --layers, --hidden and --cell set the panel model too: their help says its defaults as well.
  for (const [flag, note] of Object.entries(panelDefaultsNote())) {
    const o = train.options.find((x) => x.long === flag)!;
    o.description = o.description.replace(/\)$/, `${note})`);
  }
  addPanelNetworkFlags(train, { withShared: false, prefix: 'with --series <file>: the panel model\'s ' });
  addCheckpointFlags(addRuntimeFlags(train))
    .option('--out <file>', 'where to save the model', 'model.json')
    .option('--test-size <n>', 'hold out the last n rows (or a fraction) and report metrics and the verdict on them (default: none)', numberFlag('test-size'))
    .option('--period <m>', 'seasonal period for MASE and the seasonal benchmarks (default: from the frequency, e.g. 12 monthly, 4 quarterly)', intFlag('period'))
    .option('--horizon <h>', 'with --series <file>: steps ahead the panel model forecasts (default: M4\'s for the frequency: 48 hourly, 14 daily, 13 weekly, 18 monthly, 8 quarterly, 6 yearly)', intFlag('horizon'))
    .option('--members <n>', `with --series <file>: networks in the panel model's ensemble (default ${panelSettingsDefaults().members})`, intFlag('members'))
    .option('--report <file>', 'with --series <file> --test-size <h>: the HTML report of the panel model against every benchmark')
    .option('--calendar <list>', 'with --series <file>: the panel model\'s calendar inputs from the dates: auto, none, or a comma list of hourOfDay, dayOfWeek, dayOfYear, monthOfYear (default auto)')
    .addHelpText('after', `
Two models:
  --data <file>              the per-window forecaster (the model flags above); add --series (without a
                             file) to train it over every series of the file
  --series <file>            the global panel model over every series of the file (long: id, date,
                             value; or wide), with its own flags:
                             ${PANEL_FLAGS_TEXT.replace(/(.{1,70})(, |$)/g, (_, part: string, sep: string) => `${part}${sep.trim()}\n                             `).trimEnd()}

Examples:
  # the per-window forecaster
  unroll train --data ${EXAMPLE_DATA} --out sp500.json
  unroll train --data ${EXAMPLE_DATA} --cell gru --hidden 64 --lookback 20 --epochs 50 --test-size 504
  unroll train --data data/stocks_monthly_5tickers_2000_2010.csv --series --target value --lookback 12 --min-length 6
  unroll train --data ${EXAMPLE_DATA} --join data/gold_silver_daily_1978_2012.csv --strategy direct \\
               --features logReturn:close,logVolume,logReturn:gold --predict return
  cat prices.csv | unroll train --data - --config forecaster.json
  # the panel model
  unroll train --series panel.csv --out panel.json                  every value of every series
  unroll train --series panel.csv --test-size 18 --report panel.html   scored against the benchmarks on the last 18 values`)
    .action((flags: Flags) => runCommand(flags, () => {
      // Two models share --series: "--series <file>" is the panel model, "--data <file> --series" the
      // per-window forecaster over every series. A mix of the two forms is refused, naming both.
      if (typeof flags.series === 'string') return trainPanel(flags as unknown as PanelTrainFlags, flags.series);
      if (flags.series === true && flags.data === undefined) {
        throw new UnrollError(`option --series needs a file here: ${TRAIN_FORMS}`, 'usage');
      }
      const forecasterFlags = [[flags.horizon, '--horizon'], [flags.members, '--members'], [flags.report, '--report'], [flags.calendar, '--calendar']] as const;
      for (const [v, flag] of [...forecasterFlags, ...PANEL_ONLY_FLAGS.map(([k, f]) => [flags[k], f] as const)]) {
        // The per-window forecaster's own way to do what the first four do; the network flags have none.
        const instead = forecasterFlags.some((x) => x[1] === flag) ? ` (the per-window forecaster of --data${flags.series ? ' <file> --series' : ''} takes --horizon-out, and "unroll run" writes a report)` : '';
        if (v !== undefined) throw new UnrollError(`option ${flag} is for the panel model: use it with --series <file>${instead}`, 'usage');
      }
      refuseOutputOverInput('--out', flags.out, [flags.data, ...(flags.join ?? []), flags.config]);
      const loaded = loadData(flags);
      const { data, source } = loaded;
      if (loaded.join) say(flags, `unroll: ${loaded.join.text}`);
      const options = forecasterOptions(flags, (chosen) => jobDefaults(data, chosen));
      const trainEnd = flags.testSize ? testStartOf(data, flags.testSize, { checkedByTraining: true }) : undefined;
      if (trainEnd !== undefined) checkTrainingRows(data, trainEnd, options, flags.testSize!, { source });
      const f = fitWithProgress(options, data, trainEnd, flags, chooseBackend(flags.backend));
      saveForecaster(f, flags.out!);
      const evaluations = trainEnd !== undefined ? evaluateAny(f, data, trainEnd, flags) : [];
      const last = f.epochs[f.epochs.length - 1];
      if (flags.json) {
        printJson({ model: flags.out, data: source, join: loaded.join ? { ...loaded.join.report, text: loaded.join.text } : undefined, options: f.toJSON().options, epochs: f.epochs, training: trainingJson(f), evaluations: evaluations.map(anyJson) });
        return;
      }
      const out: string[] = [];
      for (const ev of evaluations) out.push(anyText(ev), '');
      out.push(`Trained on ${source}: ${f.epochs.length} epochs, final loss ${last.loss.toExponential(3)}${last.valLoss !== undefined ? `, validation ${last.valLoss.toExponential(3)}` : ''}${bestEpochText(f)}.`, `Saved to ${flags.out}.`);
      process.stdout.write(out.join('\n') + '\n');
    }));

  // ---- predict
  const predict = program.command('predict').description('one-step-ahead predictions of a saved model for the last rows of a CSV');
  withModel(predict);
  addDataFlags(predict);
  addRuntimeFlags(predict, { seed: false })
    .option('--last <n>', 'predict each of the last n rows from the rows before it', intFlag('last'), 10)
    .addHelpText('after', `
Examples:
  unroll predict --model sp500.json --data ${EXAMPLE_DATA} --last 5
  unroll predict --model sp500.json --data ${EXAMPLE_DATA} --json`)
    .action((flags: Flags) => runCommand(flags, () => {
      const f = openModel(flags);
      const { data } = loadData(flags);
      checkModelColumns(f, data, flags);
      const n = Math.min(flags.last!, minRows(data) - 2);
      if (n < 1) throw new UnrollError('option --last must be at least 1 and leave history before it', 'usage');
      const results = f.predictSpan(data, { start: isSeriesSet(data) ? Object.fromEntries(data.ids.map((id) => [id, frameLength(data.series[id]) - n])) : frameLength(data as Frame) - n });
      if (f.options.predict === 'direction') {
        // A direction classifier gives P(next move is up), not a price: compare its calls with the moves.
        const rows = (r: typeof results[number]): { date: string; actual: number; previous: number; moved: string; probabilityUp: number; call: string; right: boolean }[] =>
          r.dates.map((d, i) => {
            const up = r.actual[i] > r.previous[i];
            const callUp = r.predicted[i] > 0.5;
            return { date: d, actual: r.actual[i], previous: r.previous[i], moved: up ? 'up' : 'down', probabilityUp: r.predicted[i], call: callUp ? 'up' : 'down', right: callUp === up };
          });
        if (flags.json) return printJson({ predictions: results.map((r) => ({ series: nameOf(f, data, r.id), kind: 'direction', rows: rows(r) })) });
        for (const r of results) {
          const rs = rows(r);
          process.stdout.write(`${nameOf(f, data, r.id)}: P(next move is up) from a direction classifier; ${rs.filter((x) => x.right).length} of ${rs.length} calls right\n` +
            table(['date', 'actual', 'moved', 'P(up)', 'call', 'right'], rs.map((x) => [x.date, x.actual.toFixed(2), x.moved, x.probabilityUp.toFixed(3), x.call, x.right ? 'yes' : 'no'])) + '\n');
        }
        return;
      }
      if (flags.json) {
        printJson({ level: f.options.intervalLevel, predictions: results.map((r) => ({ series: nameOf(f, data, r.id), kind: 'value', rows: r.dates.map((d, i) => ({ date: d, actual: r.actual[i], predicted: r.predicted[i], previous: r.previous[i], lower: r.lower?.[i] ?? null, upper: r.upper?.[i] ?? null })) })) });
        return;
      }
      for (const r of results) {
        process.stdout.write(`${nameOf(f, data, r.id)}\n` + table(['date', 'actual', 'predicted', 'error'], r.dates.map((d, i) => [d, r.actual[i].toFixed(2), r.predicted[i].toFixed(2), (r.predicted[i] - r.actual[i]).toFixed(2)])) + '\n');
      }
    }));

  // ---- forecast
  const forecast = program.command('forecast').description('forecast h steps past the end of a CSV with a saved model (or a panel model), with prediction intervals');
  withModel(forecast);
  addDataFlags(forecast, { seriesHelp: 'several series in one file (id, date, value); --series <file> is short for --data <file> --series. A panel model without it forecasts the series it was trained on' });
  addRuntimeFlags(forecast, { seed: false })
    .option('--horizon <h>', 'steps ahead (default 5; a panel model forecasts the horizon it was trained for)', intFlag('horizon'))
    .option('--out <file>', 'also write the forecasts as CSV: series,date,step,forecast,lower,upper')
    .option('--threads <n>', 'a panel model: threads to fit its statistical companion in (default: the CPU cores; the forecasts do not depend on it)', intFlag('threads'))
    .addHelpText('after', `
Examples:
  unroll forecast --model sp500.json --data ${EXAMPLE_DATA} --horizon 10
  unroll forecast --model sp500.json --data ${EXAMPLE_DATA} --horizon 1 --json
  unroll forecast --model panel.json                        a panel model: every series it was trained on
  unroll forecast --model panel.json --series new.csv --out forecasts.csv`)
    .action((flags: Flags) => runCommand(flags, () => {
      if (isPanelModelPath(flags.model!)) return forecastPanel(flags);
      if (flags.threads !== undefined) throw new UnrollError(`option --threads is for a panel model's forecast; ${flags.model} is a per-window model, which forecasts on one thread`, 'usage');
      refuseOutputOverInput('--out', flags.out, [flags.model, flags.data, typeof flags.series === 'string' ? flags.series : undefined, ...(flags.join ?? [])]);
      const horizon = flags.horizon ?? 5;
      const f = openModel(flags);
      const { data } = loadData(flags);
      checkModelColumns(f, data, flags);
      if (f.options.predict === 'direction') {
        const p = f.classify(data);
        if (flags.json) return printJson({ probabilityUp: p });
        for (const [id, q] of Object.entries(p)) process.stdout.write(`${nameOf(f, data, id)}: P(next move is up) = ${q.toFixed(3)} → ${q > 0.5 ? 'invest' : 'do not invest'} (by this model; see "unroll evaluate" for how often it is right)\n`);
        return;
      }
      const fc = f.forecast(data, horizon);
      const freqs = Object.fromEntries(f.seriesValues(data).map((s) => [s.id, stepLabels(flags, s.dates).frequency]));
      const dates = Object.fromEntries(f.seriesValues(data).map((s) => [s.id, nextDates(s.dates, horizon, freqs[s.id])]));
      if (flags.out) {
        const q = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
        const lines = ['series,date,step,forecast,lower,upper'];
        for (const [id, pts] of Object.entries(fc)) pts.forEach((p, k) => lines.push([q(nameOf(f, data, id)), q(dates[id][k]), String(k + 1), String(p.value), p.lower === null ? '' : String(p.lower), p.upper === null ? '' : String(p.upper)].join(',')));
        writeFileAtomic(flags.out, lines.join('\n') + '\n');
      }
      if (flags.json) {
        printJson({ level: f.options.intervalLevel, forecasts: Object.entries(fc).map(([id, pts]) => ({ series: nameOf(f, data, id), frequency: freqs[id], points: pts.map((p, i) => ({ date: dates[id][i], ...p })) })) });
        return;
      }
      for (const [id, pts] of Object.entries(fc)) process.stdout.write(`${nameOf(f, data, id)} (${freqs[id] ?? 'frequency unknown'})\n${forecastTable(pts, dates[id], f.options.intervalLevel)}\n`);
    }));

  // ---- evaluate
  const evaluate = program.command('evaluate').description('evaluate a saved model one step ahead over the last rows, against the baselines');
  withModel(evaluate);
  addDataFlags(evaluate);
  addRuntimeFlags(evaluate, { seed: false })
    .option('--test-size <n>', 'rows (or a fraction) at the end to evaluate on (default: as "unroll run": the last 504 rows or a fifth of the rows, whichever is fewer)', numberFlag('test-size'))
    .option('--period <m>', 'seasonal period for MASE and the seasonal-naive baseline (default: from the frequency, e.g. 12 monthly, 4 quarterly)', intFlag('period'))
    .addHelpText('after', `
Examples:
  unroll evaluate --model sp500.json --data ${EXAMPLE_DATA} --test-size 504
  unroll evaluate --model air.json --data data/airpassengers_monthly_1949_1960.csv --test-size 24 --json`)
    .action((flags: Flags) => runCommand(flags, () => {
      const f = openModel(flags);
      const { data } = loadData(flags);
      checkModelColumns(f, data, flags);
      const evs = evaluateAny(f, data, testStartOf(data, flags.testSize ?? defaultTestSize(data)), flags);
      if (flags.json) return printJson({ training: trainingJson(f), evaluations: evs.map(anyJson) });
      for (const ev of evs) process.stdout.write(anyText(ev) + '\n');
      if (f.epochs.length > 0) process.stdout.write(`The model was trained ${f.epochs.length} epochs${bestEpochText(f)}.\n`);
    }));

  // ---- backtest
  const backtest = program.command('backtest').description('walk-forward backtest: refit every k rows on the rows before the origin, forecast one step ahead, compare with baselines');
  addDataFlags(backtest);
  addModelFlags(backtest);
  addRuntimeFlags(backtest)
    .option('--initial-train <n>', 'rows before the first forecast origin (default: all but the last 250 rows or the last fifth, whichever is fewer)', intFlag('initial-train'))
    .option('--refit-every <k>', 'refit a fresh model (and scalers) every k rows', intFlag('refit-every'), 50)
    .option('--mode <mode>', 'expanding (all rows before the origin) or sliding (the last --window rows)', 'expanding')
    .option('--window <n>', 'training rows in sliding mode', intFlag('window'))
    .option('--period <m>', 'seasonal period for MASE and the seasonal-naive baseline (default: from the frequency)', intFlag('period'))
    .addHelpText('after', `
Examples:
  unroll backtest --data ${EXAMPLE_DATA} --initial-train 4600 --refit-every 100 --epochs 5
  unroll backtest --data data/airpassengers_monthly_1949_1960.csv --initial-train 120 --refit-every 12 --period 12 \\
                  --features logReturn:passengers --predict return --cell elman --lookback 24 --json`)
    .action((flags: Flags) => runCommand(flags, () => {
      const { data, source } = loadData(flags);
      if (isSeriesSet(data)) throw new UnrollError('backtest runs on one series; drop --series (or pick one column with a one-series file)', 'usage');
      if (flags.mode !== 'expanding' && flags.mode !== 'sliding') throw new UnrollError(`option --mode must be expanding or sliding, got "${flags.mode}"`, 'usage');
      const n = frameLength(data);
      const options = forecasterOptions(flags, (chosen) => jobDefaults(data, chosen));
      const initialTrain = flags.initialTrain ?? n - Math.min(250, Math.max(1, Math.floor(n / 5)));
      checkBacktestRows(flags, options, n, initialTrain, source);
      const ev = walkForwardBacktest(options, data, {
        backend: chooseBackend(flags.backend),
        initialTrain, refitEvery: flags.refitEvery, mode: flags.mode as 'expanding' | 'sliding', window: flags.window, period: periodFor(flags, stepLabels(flags, data.dates).frequency, initialTrain),
        onFold: (i, total) => say(flags, `backtest: fold ${i}/${total} fitted`),
        onWarning: (m) => say(flags, `unroll: warning: ${m}`),
      });
      if (flags.json) return printJson({ data: source, backtest: { ...evaluationJson(ev), series: targetOf(data, options.target) } });
      process.stdout.write(evaluationText(ev, `Walk-forward backtest on ${source}: ${ev.dates[0]} … ${ev.dates[ev.dates.length - 1]} (${ev.actual.length} one-step forecasts, a fresh model every ${flags.refitEvery} rows)`) + '\n');
    }));

  // ---- summary
  const summary = program.command('summary').description("a saved model's layers, output shapes and parameter counts (a panel model's settings, members, companion, weight and band)");
  withModel(summary);
  addRuntimeFlags(summary, { seed: false })
    .addHelpText('after', `
Examples:
  unroll summary --model sp500.json
  unroll summary --model sp500.json --json
  unroll summary --model panel.json                a panel model (unroll train --series)`)
    .action((flags: Flags) => runCommand(flags, () => {
      if (isPanelModelPath(flags.model!)) return summaryPanel(flags);
      const f = openModel(flags);
      const m = f.model!;
      const o = f.options;
      // The column the model was trained on, as its file records it (the CLI writes it since it was found to be
      // missing); a file without it (an earlier unroll, or the library without "target") only knows the rule.
      const target = o.target ?? null;
      const targetNote = target === null ? `not recorded in the model file: ${UNRECORDED_TARGET}` : undefined;
      if (flags.json) {
        return printJson({ config: m.config, parameters: m.parameterCount, weights: Object.fromEntries(Object.entries(m.getWeights()).map(([k, v]) => [k, v.shape])), outputs: outputGroups(f.options),
          target, ...(targetNote ? { targetNote } : {}), forecaster: f.toJSON().options });
      }
      process.stdout.write(`${m.summary()}\n${outputLines(outputGroups(o)).join('\n')}\n\nForecaster: target ${target ?? `(${targetNote})`}, features ${o.features ? o.features.map((x) => x.name ?? `${x.kind === 'level' ? '' : x.kind + ':'}${x.column}`).join(', ') : 'the target'}, lookback ${o.lookback}, predicts the next ${o.predict}, ${o.strategy} strategy, ${o.scaler} scaling.\n`);
    }));

  // ---- explain
  const explainCmd = program.command('explain').description('the unrolled computation of one input window, step by step, and how much each step moves the prediction');
  withModel(explainCmd);
  addDataFlags(explainCmd);
  addRuntimeFlags(explainCmd, { seed: false })
    .option('--end <row>', 'the window ends at this row (0-based; default: the last row)', intFlag('end'))
    .addHelpText('after', `
Examples:
  unroll explain --model sp500.json --data ${EXAMPLE_DATA}
  unroll explain --model sp500.json --data ${EXAMPLE_DATA} --end 4000 --json`)
    .action((flags: Flags) => runCommand(flags, () => {
      const f = openModel(flags);
      const { data } = loadData(flags);
      const ex = f.explainWindow(data, flags.end);
      if (flags.json) return printJson(ex);
      const out = [`Window of ${ex.steps.length} steps ending ${ex.steps[ex.steps.length - 1].date}; the network's output ${ex.output.map((v) => v.toFixed(5)).join(', ')} → predicted ${ex.predicted.toFixed(2)} for the next step.`, ''];
      out.push(table(['step', 'date', 'input (scaled)', 'state h_t (layer 1, first 4 units)', '‖∂y/∂x_t‖'], ex.steps.map((s) => [
        String(s.t - ex.steps.length + 1), s.date, s.input.map((v) => v.toFixed(3)).join(' '), s.layers[0].slice(0, 4).map((v) => v.toFixed(3)).join(' '), s.sensitivity.toExponential(2),
      ])));
      out.push('', 'The last column is how strongly each input still moves the prediction; in a basic RNN it shrinks (or grows) like W2^n with n steps back.');
      process.stdout.write(out.join('\n') + '\n');
    }));
}

/** What a model file without a target knows of it: the rule that chose the column when it was trained. */
const UNRECORDED_TARGET = 'it was trained without one, so on the training data\'s "close" column if it had one, else on its only value column';

function minRows(data: Frame | { ids: string[]; series: Record<string, Frame> }): number {
  return isSeriesSet(data) ? Math.min(...data.ids.map((id) => frameLength(data.series[id]))) : frameLength(data as Frame);
}

type AnyEvaluation = SeriesEvaluation | DirectionEvaluation;

/**
 * Price metrics for regression forecasters, direction metrics for classifiers. The seasonal period
 * is --period, else the data's frequency's default (when the training rows hold two seasons). Series
 * ids become display names (a one-series file is named after its target column).
 */
function evaluateAny(f: Forecaster, data: ForecastData, start: number | Record<string, number>, flags: Flags): AnyEvaluation[] {
  const named = <T extends { id: string }>(evs: T[]): T[] => evs.map((ev) => ({ ...ev, id: nameOf(f, data, ev.id) }));
  if (f.options.predict === 'direction') return named(directionEvaluation(f, data, start));
  const first = f.seriesValues(data)[0];
  const startRow = typeof start === 'number' ? start : Math.min(...Object.values(start));
  const period = periodFor(flags, stepLabels(flags, first.dates).frequency, startRow);
  return named(holdoutEvaluation(f, data, start, { period, modelName: modelName(f.options.model) }));
}

/** ", best epoch 12 of 30 (its weights are kept)" from the validation log, when there is one; "still improving at the last epoch: raise --epochs" when so. */
export function bestEpochText(f: Forecaster): string {
  return f.trainingSummary().text;
}

/** The display name of a series: a one-series file's generic id becomes its target column. */
function nameOf(f: Forecaster, data: ForecastData, id: string): string {
  if (id !== 'series' || isSeriesSet(data) || !('names' in data)) return id;
  return seriesName(id, targetOf(data as Frame, f.options.target));
}


function isDirection(ev: AnyEvaluation): ev is DirectionEvaluation {
  return (ev as DirectionEvaluation).probabilityUp !== undefined;
}

function anyJson(ev: AnyEvaluation): Record<string, unknown> {
  if (!isDirection(ev)) return evaluationJson(ev);
  return { series: ev.id, testStart: ev.dates[0], testEnd: ev.dates[ev.dates.length - 1], steps: ev.steps, accuracy: ev.accuracy, trainUpRate: ev.trainUpRate, baselines: ev.baselines, logLoss: ev.logLoss, baseRateLogLoss: ev.baseRateLogLoss, verdict: ev.verdict };
}

function anyText(ev: AnyEvaluation): string {
  const head = `Test span of ${ev.id}: ${ev.dates[0]} … ${ev.dates[ev.dates.length - 1]} (${ev.dates.length} steps, one step ahead)`;
  if (!isDirection(ev)) return evaluationText(ev, head);
  const rows = [['classifier', (ev.accuracy * 100).toFixed(1)], ...ev.baselines.map((b) => [b.name, (b.accuracy * 100).toFixed(1)])];
  return `${head}\n${table(['method', 'accuracy %'], rows)}\n${ev.verdict}`;
}

/** The training summary for --json (best epoch, stopped early, still improving, first epoch kept). */
export function trainingJson(f: Forecaster): Record<string, unknown> {
  const { text, ...rest } = f.trainingSummary();
  return { ...rest, note: text.replace(/^, /, '') || null };
}
