/**
 * The global panel forecaster (forecast/panel/) from the command line, outside `unroll benchmark`:
 *
 *   unroll train --series <file> [--horizon h] [--period m] [--test-size h --report out.html] [--out panel.json]
 *                [--checkpoint <dir> [--resume] [--checkpoint-minutes n]]
 *       trains one model over every series of a long file (id, date, value) and saves it (with the
 *       series it read, so that `forecast` needs no data file); with --checkpoint every member's
 *       progress is kept in <dir> (train/checkpoint-panel.ts), and --resume continues from it;
 *   unroll forecast --model panel.json [--series <file>] [--json] [--out forecasts.csv]
 *       forecasts h steps past the end of every series, with the model's interval, on dated rows.
 *
 * The dates give the frequency (or --frequency), hence the default seasonal period and the M4
 * horizon of that frequency. A held-out test (--test-size h) scores the model beside every
 * statistical benchmark, and --report draws it (report/panel.ts). The dates also feed the model's
 * calendar inputs (forecast/panel/calendar.ts; 'auto': those the frequency makes meaningful); a model
 * that reads them is saved with every date of its series, and forecasts from the dates of its series.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { defaultPanelThreads } from '../panel-flags.js';
import { writeFileAtomic } from '../../data/node-io.js';
import { countOf, seasonalPeriod, type Frequency } from '../../data/frequency.js';
import { nextDates } from '../../forecast/calendar.js';
import { M4_BENCHMARKS, arima, ets } from '../../forecast/methods/index.js';
import { breakGuardNote, panelDescription, panelRnn, type PanelMethodOptions } from '../../forecast/methods/panel.js';
import type { MethodForecast } from '../../forecast/methods/types.js';
import { runPanelBenchmark, type PanelBenchmarkResult } from '../../forecast/panel-benchmark.js';
import { loadPanelForecaster, savePanelForecaster, type PanelHistory } from '../../forecast/panel-io.js';
import type { PanelCheckpointOptions } from '../../forecast/panel/checkpoint.js';
import type { PanelForecaster } from '../../forecast/panel/model.js';
import { panelFileCheckpoints } from '../../train/checkpoint-panel.js';
import { renderPanelReport } from '../../report/panel.js';
import { UnrollError } from '../../util/errors.js';
import { chooseBackend, refuseOutputOverInput, say, type CheckpointFlags, type RuntimeFlags } from '../common.js';
import type { DataFlags } from '../data.js';
import { benchmarkJson, benchmarkTable, verdictJson } from '../benchmark-table.js';
import { table } from '../format.js';
import { parseFrequency } from '../../data/frequency.js';
import { CALENDAR_FEATURES, type CalendarOption } from '../../forecast/panel/calendar.js';
import { defaultHorizon, readPanelSeries, type PanelSeries } from '../panel-series.js';
import { PANEL_ONLY_FLAGS, panelFlagOptions, type PanelNetworkFlags } from '../panel-flags.js';
import { printJson } from '../run.js';

export type PanelTrainFlags = RuntimeFlags & CheckpointFlags & Omit<DataFlags, 'series'> & {
  series?: string | boolean; target?: string; out?: string; horizon?: number; period?: number;
  testSize?: number; report?: string; threads?: number; calendar?: string;
} & PanelNetworkFlags & Record<string, unknown>;

/** The per-window forecaster's flags, which say nothing to the panel model: refused by name rather than ignored. */
const PER_WINDOW_FLAGS: [string, string][] = [
  ['data', '--data'], ['join', '--join'], ['config', '--config'], ['features', '--features'], ['activation', '--activation'], ['lookback', '--lookback'], ['minLength', '--min-length'], ['predict', '--predict'],
  ['strategy', '--strategy'], ['horizonOut', '--horizon-out'], ['scaler', '--scaler'],
  ['patience', '--patience'], ['clipNorm', '--clip-norm'], ['validationSplit', '--validation-split'],
];

/** The two models of `unroll train` that --series can mean, for the messages that refuse a mix of the two. */
export const TRAIN_FORMS = '"unroll train --series <file>" trains the global panel model over every series of the file; "unroll train --data <file> --series" trains the per-window forecaster over every series of it';

export const PANEL_FLAGS_TEXT = `--horizon, --period, --frequency, --members, --epochs, --seed, --threads, --target, --test-size, --report, --calendar, --layers, --hidden, --cell, --batch-size, --lr, ${PANEL_ONLY_FLAGS.map((x) => x[1]).join(', ')}, --checkpoint, --resume, --checkpoint-minutes`;

/** --calendar: 'auto', 'none' or a comma list of features (checked here, so that the message names --calendar). */
function calendarFlag(v: string | undefined): CalendarOption | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === 'auto' || t === 'none') return t;
  const list = t.split(',').map((x) => x.trim());
  const bad = list.find((x) => !(CALENDAR_FEATURES as readonly string[]).includes(x));
  if (bad !== undefined || new Set(list).size !== list.length) {
    throw new UnrollError(`option --calendar is "${v}"; expected auto, none, or a comma list of distinct features among ${CALENDAR_FEATURES.join(', ')}${bad !== undefined ? ` ("${bad}" is not one)` : ''}`, 'usage');
  }
  return list as CalendarOption;
}

/**
 * The panel fit's checkpoints that --checkpoint, --resume and --checkpoint-minutes ask for (undefined
 * without --checkpoint); says on stderr how far a resumed run had come.
 */
function panelCheckpointsOf(flags: PanelTrainFlags): PanelCheckpointOptions | undefined {
  if (flags.resume && !flags.checkpoint) throw new UnrollError('option --resume needs --checkpoint <dir> (the folder the interrupted run wrote its checkpoints to)', 'usage');
  if (!flags.checkpoint) return undefined;
  const ck = panelFileCheckpoints(flags.checkpoint, { resume: flags.resume, everyMinutes: flags.checkpointMinutes || undefined });
  const pieces = ck.resume ?? [];
  // Whether a run resumed is always said (on stderr), even with --quiet, as run/train/lm do.
  if (flags.resume && pieces.length === 0) process.stderr.write(`unroll: no checkpoint in ${flags.checkpoint} yet: training from the start\n`);
  // Said once the pieces are found to fit this run (a checkpoint of another fit gives its one error line).
  ck.onResume = (resumed) => {
    const pass = Math.max(...resumed.map((c) => c.pass));
    const last = resumed.filter((c) => c.pass === pass);
    const done = last.filter((c) => c.progress.done).length;
    const running = last.flatMap((c) => (c.progress.done ? [] : [`member ${c.progress.member + 1} after epoch ${c.progress.epoch}${c.progress.batch ? `, batch ${c.progress.batch}` : ''}`]));
    process.stderr.write(`unroll: resuming from ${flags.checkpoint}: ${pass === 2 ? 'second pass (on every value), ' : ''}${done} member${done === 1 ? '' : 's'} done${running.length ? `, ${running.join(', ')}` : ''}\n`);
  };
  return ck;
}

/** Progress of the panel model's training on stderr, at most every 5 s. */
export function epochProgress(flags: RuntimeFlags, started: number): (e: { member: number; epoch: number; loss: number; valScore: number }) => void {
  let lastSay = 0;
  return (e) => {
    const now = performance.now();
    if (now - lastSay > 5000) {
      lastSay = now;
      say(flags, `panel model: member ${e.member + 1}, epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, validation ${e.valScore.toFixed(4)} (${((now - started) / 1000).toFixed(0)} s)`);
    }
  };
}

/** `unroll train --series <file>`. */
export function trainPanel(flags: PanelTrainFlags, file: string): void {
  const started = performance.now();
  if (flags.data !== undefined) {
    throw new UnrollError(`options --series ${file} and --data ${flags.data} ask for two different models: ${TRAIN_FORMS}`, 'usage');
  }
  for (const [key, flag] of PER_WINDOW_FLAGS) {
    if (flags[key] !== undefined && flags[key] !== false) {
      throw new UnrollError(`option ${flag} sets the per-window forecaster (unroll train --data <file>); the panel model of --series <file> takes ${PANEL_FLAGS_TEXT}. For the per-window forecaster over every series of ${file}: unroll train --data ${file} --series ${flag} …`, 'usage');
    }
  }
  const out = flags.out!;
  refuseOutputOverInput('--out', out, [file]);
  refuseOutputOverInput('--report', flags.report, [file, out]);
  if (flags.report && flags.testSize === undefined) {
    throw new UnrollError('option --report draws the model against the benchmarks on held-out values; add --test-size <h> (the last h values of every series)', 'usage');
  }
  const panel = readPanelSeries(file, flags);
  const freqText = panel.frequency ?? 'frequency unknown';
  if (flags.testSize !== undefined && (!Number.isInteger(flags.testSize) || flags.testSize < 1)) {
    throw new UnrollError(`option --test-size is ${flags.testSize}; the panel model holds out a whole horizon: expected a positive integer (the horizon h)`, 'usage');
  }
  const h = flags.horizon ?? flags.testSize ?? defaultHorizon(panel.frequency);
  if (h === undefined) {
    throw new UnrollError(`${panel.source}: the frequency is ${panel.basis}; pass --horizon <h> (steps ahead the model forecasts) and --period <m>, or --frequency`, 'usage');
  }
  if (flags.testSize !== undefined && flags.testSize !== h) {
    throw new UnrollError(`option --test-size ${flags.testSize} differs from the horizon ${h}${flags.horizon === undefined ? ` (the ${panel.frequency} default)` : ' (--horizon)'}; the panel model forecasts exactly h steps, so the held-out test is the last h values: pass the same number to both`, 'usage');
  }
  const m = flags.period ?? seasonalPeriod(panel.frequency);
  const test = flags.testSize;
  if (test !== undefined) {
    const short = panel.ids.findIndex((_, i) => panel.values[i]!.length <= test);
    if (short >= 0) throw new UnrollError(`${panel.source}: series "${panel.ids[short]}" has ${panel.values[short]!.length} values; --test-size ${test} leaves none to train on: expected more than ${test} values in every series`, 'data');
  }
  const options: PanelMethodOptions = panelFlagOptions(flags, h, m);
  const calendar = calendarFlag(flags.calendar);
  if (calendar !== undefined) options.calendar = calendar;
  const backend = chooseBackend(flags.backend);
  const checkpoint = panelCheckpointsOf(flags);
  say(flags, `unroll: ${panel.source}, ${panel.ids.length} series of "${panel.target}", ${freqText} (${panel.basis}); horizon ${h}, seasonal period ${m}${test !== undefined ? `; the last ${h} values of each series held out` : ''} (backend ${backend.name})`);
  let model: PanelForecaster | undefined;
  // Members train side by side in worker threads (the result does not depend on the count), as in `unroll benchmark`.
  // The series' dates feed the calendar inputs (a held-out test's dates past each training series are ignored).
  const method = panelRnn({
    options, backend, threads: flags.threads ?? defaultPanelThreads(), onEpoch: epochProgress(flags, started), onFitted: (fitted) => { model = fitted; }, checkpoint,
    dates: panel.dates, ...(panel.frequency ? { frequency: panel.frequency } : {}),
  });
  let result: PanelBenchmarkResult | undefined;
  const trainValues = test === undefined ? panel.values : panel.values.map((v) => v.subarray(0, v.length - test));
  if (test === undefined) {
    method.fitPanel(trainValues, { horizon: h, period: m });
  } else {
    // Every benchmark of `unroll benchmark` (its default set): M4's eight, automatic ETS and ARIMA.
    const methods = [method, ...M4_BENCHMARKS, ets, arima];
    result = runPanelBenchmark(methods, { ids: panel.ids, train: trainValues, test: panel.values.map((v) => v.subarray(v.length - test)) }, {
      horizon: h, period: m, levels: [0.95], keepForecasts: !!flags.report,
      onProgress: (name, done, total) => { if (done === total) say(flags, `train: ${name} done`); },
    });
  }
  const fitted = model!;
  const history: PanelHistory = {
    source: panel.source, target: panel.target, frequency: panel.frequency,
    // A model with calendar inputs keeps every date (business days skip holidays: they cannot be stepped back).
    series: panel.ids.map((id, i) => ({ id, values: Array.from(panel.values[i]!), lastDates: Array.isArray(fitted.settings.calendar) ? [...panel.dates[i]!] : panel.dates[i]!.slice(-2) })),
  };
  if (fitted.calendarNote) say(flags, `unroll: ${fitted.calendarNote}`);
  savePanelForecaster(fitted, out, history);
  const seconds = (performance.now() - started) / 1000;
  const description = panelDescription(fitted) + breakGuardNote(fitted, panel.values);
  if (flags.report && result) {
    const html = renderPanelReport({
      title: `unroll: panel model on ${panel.source.split('/').pop()}`,
      description: `One network trained over ${panel.ids.length} series, each forecast ${countOf(panel.frequency, h)} ahead from the values before its last ${countOf(panel.frequency, h)}, beside every statistical benchmark on the same held-out values.`,
      details: [
        { label: 'data', value: `${panel.source} ("${panel.target}" of ${panel.ids.length} series)` },
        { label: 'frequency', value: `${freqText} (${panel.basis}); seasonal period ${m}; horizon ${h}` },
        { label: 'model', value: description },
        { label: 'saved to', value: out },
        { label: 'backend', value: backend.name },
        { label: 'time', value: `${seconds.toFixed(1)} s` },
      ],
      result, train: trainValues, test: panel.values.map((v) => v.subarray(v.length - h)), dates: panel.dates, frequency: panel.frequency,
    });
    writeFileAtomic(flags.report, html);
  }
  if (flags.json) {
    printJson({
      model: out, data: panel.source, target: panel.target, series: panel.ids.length, frequency: panel.frequency, frequencySource: panel.basis,
      horizon: h, period: m, settings: description, calendar: fitted.settings.calendar, ...(fitted.calendarNote ? { calendarNote: fitted.calendarNote } : {}), backend: backend.name, seconds,
      evaluation: result ? { testSize: h, methods: benchmarkJson(result), verdict: verdictJson(result), withoutScale: result.withoutScale } : undefined,
      report: flags.report,
    });
    return;
  }
  const lines: string[] = [];
  if (result) lines.push(`Held out the last ${countOf(panel.frequency, h)} of each series:`, benchmarkTable(result), '');
  lines.push(`Trained the panel model on ${panel.source}: ${panel.ids.length} series, ${freqText}, horizon ${h}, period ${m}; ${description}.`);
  lines.push(`Saved to ${out}${flags.report ? `; report written to ${flags.report}` : ''} (${seconds.toFixed(1)} s).`);
  process.stdout.write(lines.join('\n') + '\n');
}

export interface PanelForecastFlags extends RuntimeFlags {
  model?: string; series?: string | boolean; data?: string; horizon?: number; out?: string; frequency?: string; target?: string;
  missing?: string; sort?: boolean; columns?: string; threads?: number;
}

interface SeriesForecast {
  id: string;
  dates: string[];
  forecast: MethodForecast;
}

/** `unroll forecast --model <panel model>`: h steps past the end of every series. */
export function forecastPanel(flags: PanelForecastFlags): void {
  const path = flags.model!;
  const { model, history } = loadPanelForecaster(path, { backend: chooseBackend(flags.backend) });
  const h = model.settings.horizon;
  if (flags.horizon !== undefined && flags.horizon !== h) {
    throw new UnrollError(`option --horizon ${flags.horizon}: ${path} is a panel model trained for horizon ${h} (it forecasts all h steps at once); drop --horizon or train another with --horizon ${flags.horizon}`, 'usage');
  }
  const file = typeof flags.series === 'string' ? flags.series : flags.data;
  if (flags.out) refuseOutputOverInput('--out', flags.out, [path, file]);
  let ids: string[];
  let values: ArrayLike<number>[];
  let lastDates: string[][];
  let frequency: Frequency | null;
  let source: string;
  if (file !== undefined) {
    const panel: PanelSeries = readPanelSeries(file, flags, history?.target);
    ({ ids, values, source } = panel);
    lastDates = panel.dates;
    frequency = panel.frequency ?? (flags.frequency === undefined ? history?.frequency ?? null : null);
  } else if (history) {
    ids = history.series.map((s) => s.id);
    values = history.series.map((s) => s.values);
    lastDates = history.series.map((s) => s.lastDates);
    frequency = flags.frequency !== undefined ? parseFrequency(flags.frequency, '--frequency') : history.frequency;
    source = `${history.source} (the series saved in ${path})`;
  } else {
    throw new UnrollError(`${path} holds no series to forecast from; pass --series <file> (id, date, value)`, 'usage');
  }
  // The companion's per-series fits on worker threads (the forecasts do not depend on the count), as train's fit.
  const forecasts = model.forecast(values, { dates: lastDates, threads: flags.threads ?? defaultPanelThreads() });
  const rows: SeriesForecast[] = ids.map((id, i) => ({ id, dates: nextDates(lastDates[i]!, h, frequency), forecast: forecasts[i]! }));
  const level = model.levels[0];
  if (flags.out) writeFileAtomic(flags.out, forecastCsv(rows));
  if (flags.json) {
    printJson({
      model: path, data: source, frequency, horizon: h, level: level ?? null,
      forecasts: rows.map((r) => ({
        series: r.id,
        ...(r.forecast.notes?.length ? { notes: r.forecast.notes } : {}),
        points: r.dates.map((date, k) => ({ step: k + 1, date, value: r.forecast.mean[k], ...bounds(r.forecast, k) })),
      })),
      out: flags.out,
    });
    return;
  }
  const pct = level === undefined ? '' : `${Math.round(level * 100)}% interval`;
  const text: string[] = [`${ids.length} series from ${source}; ${frequency ?? 'frequency unknown'}, ${h} steps ahead.`];
  for (const r of rows) {
    text.push('', `${r.id}${r.forecast.notes?.length ? ` (${r.forecast.notes.join('; ')})` : ''}`);
    text.push(table(['date', 'forecast', pct || 'interval'], r.dates.map((d, k) => {
      const b = bounds(r.forecast, k);
      return [d, r.forecast.mean[k]!.toFixed(2), b.lower === null ? 'none' : `${b.lower.toFixed(2)} … ${b.upper!.toFixed(2)}`];
    })));
  }
  if (flags.out) text.push('', `Forecasts written to ${flags.out}.`);
  process.stdout.write(text.join('\n') + '\n');
}

function bounds(f: MethodForecast, k: number): { lower: number | null; upper: number | null } {
  const b = f.intervals[0];
  return b ? { lower: b.lower[k]!, upper: b.upper[k]! } : { lower: null, upper: null };
}

/** Long layout: series,date,step,forecast,lower,upper (a row per series and step). */
function forecastCsv(rows: SeriesForecast[]): string {
  const q = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['series,date,step,forecast,lower,upper'];
  for (const r of rows) {
    r.dates.forEach((d, k) => {
      const b = bounds(r.forecast, k);
      lines.push([q(r.id), q(d), String(k + 1), String(r.forecast.mean[k]), b.lower === null ? '' : String(b.lower), b.upper === null ? '' : String(b.upper)].join(','));
    });
  }
  return lines.join('\n') + '\n';
}

/** True when the file at `path` is a panel model (peeks at the start of it: the format comes first). */
export function isPanelModelPath(path: string): boolean {
  try {
    return /^\s*\{\s*"format"\s*:\s*"unroll-panel-model"/.test(peek(path));
  } catch {
    return false;
  }
}

function peek(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, 256, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
