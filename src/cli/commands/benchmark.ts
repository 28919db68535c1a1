/**
 * `unroll benchmark`: a panel forecast as a first-class job. Trains the default global forecaster
 * (forecast/panel/) on every series of a wide training file, forecasts h steps of each, and scores
 * it beside the statistical benchmarks on the same test file (M4's sMAPE, MASE, OWA; coverage and
 * MSIS of the 95% interval), with the time taken and the peak memory. By default the benchmarks are M4's
 * eight plus the automatic ETS and ARIMA, fitted on worker threads while the model trains here.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { pairWidePanels } from '../../data/wide.js';
import { readWidePanel, writeFileAtomic } from '../../data/node-io.js';
import { M4_BENCHMARKS, arima, ets, type ForecastMethod } from '../../forecast/methods/index.js';
import { panelRnn } from '../../forecast/methods/panel.js';
import type { PanelMethodOptions } from '../../forecast/methods/panel.js';
import type { PanelBenchmarkResult } from '../../forecast/panel-benchmark.js';
import { runPanelBenchmarkParallel } from '../../forecast/panel-benchmark-parallel.js';
import { availableParallelism } from 'node:os';
import { defaultPanelThreads } from '../panel-flags.js';
import { UnrollError } from '../../util/errors.js';
import { renderPanelReport } from '../../report/panel.js';
import { benchmarkJson, benchmarkTable, verdictJson } from '../benchmark-table.js';
import { addRuntimeFlags, chooseBackend, say, type RuntimeFlags } from '../common.js';
import { addPanelNetworkFlags, panelFlagOptions, panelSettingsDefaults, type PanelNetworkFlags } from '../panel-flags.js';
import { intFlag, printJson, runCommand } from '../run.js';

interface BenchmarkFlags extends RuntimeFlags, PanelNetworkFlags {
  train?: string;
  test?: string;
  horizon?: number;
  period?: number;
  forecasts?: string;
  benchmarks?: string;
  workers?: number;
  report?: string;
  threads?: number;
}

/** The benchmark sets of --benchmarks. */
const SETS: Record<string, readonly ForecastMethod[]> = {
  all: [...M4_BENCHMARKS, ets, arima],
  m4: M4_BENCHMARKS,
  none: [],
};

export function registerBenchmark(program: Command): void {
  const cmd = program
    .command('benchmark')
    .description('train the global panel forecaster on every series of a wide file and score it against the statistical benchmarks')
    .requiredOption('--train <file>', 'wide training file (M4 layout: a header line (optional), then one series per row: its id, then its values; ragged rows end in empty cells or NA)')
    .requiredOption('--test <file>', 'wide test file with the same ids: the h values that follow each training series')
    .requiredOption('--horizon <h>', 'steps ahead to forecast (48 for M4 Hourly)', intFlag('horizon'))
    .requiredOption('--period <m>', 'seasonal period m (1 = none); M4 used 24 for hourly, 12 monthly and 4 quarterly data and 1 for daily, weekly and yearly data, and the defaults were chosen and checked with those', intFlag('period'))
    .option('--forecasts <file>', "write the model's forecasts in the same wide layout (id, then h values)")
    .option('--members <n>', `networks in the ensemble (default ${panelSettingsDefaults().members})`, intFlag('members'))
    .option('--epochs <n>', `most epochs per network (default ${panelSettingsDefaults().epochs}; each stops early on the last h training values)`, intFlag('epochs'))
    .option('--threads <n>', 'threads to train the ensemble members in (default: the CPU cores, at most the members; the result does not depend on it)', intFlag('threads'))
    .option('--benchmarks <set>', "all: M4's eight benchmarks plus automatic ETS and ARIMA (R's forecast::ets and auto.arima searches); m4: the eight only (much faster); none: Naive2 only (the OWA reference)", 'all')
    .option('--workers <n>', `threads fitting the benchmarks series by series while the model trains (default: the machine's ${availableParallelism()} cores; 0: all in one thread)`, intFlag('workers'))
    .option('--report <file>', 'also write the HTML report: the metrics table, the verdict against the best benchmark, and the best, median and worst series by MASE with their forecasts and intervals');
  addPanelNetworkFlags(cmd, { withShared: true });
  addRuntimeFlags(cmd);
  cmd.addHelpText('after', `
Examples:
  unroll benchmark --train bench/data/m4-hourly/Hourly-train.csv --test bench/data/m4-hourly/Hourly-test.csv --horizon 48 --period 24
  unroll benchmark --train train.csv --test test.csv --horizon 18 --period 12 --json --forecasts model.csv
  unroll benchmark --train train.csv --test test.csv --horizon 18 --period 12 --benchmarks m4   # without ETS and ARIMA
  unroll benchmark --train train.csv --test test.csv --horizon 48 --period 24 --layers 4 --residual 2 --dilations 1,2,4,7

The benchmarks' times are summed over the threads that fitted them (--workers); "whole command" is the wall clock.`);
  cmd.action((flags: BenchmarkFlags) => runCommand(flags, () => benchmark(flags)));
}

async function benchmark(flags: BenchmarkFlags): Promise<void> {
  const started = performance.now();
  const h = flags.horizon!;
  const m = flags.period!;
  const set = flags.benchmarks ?? 'all';
  if (!Object.hasOwn(SETS, set)) throw new UnrollError(`option --benchmarks is ${JSON.stringify(set)}; expected all, m4 or none`, 'usage');
  if (flags.workers !== undefined && !(flags.workers >= 0 && flags.workers <= 256)) throw new UnrollError(`option --workers must be a whole number from 0 to 256, got ${flags.workers}`, 'usage');
  if (!(h >= 1)) throw new UnrollError(`option --horizon must be a positive integer, got ${h}`, 'usage');
  if (!(m >= 1)) throw new UnrollError(`option --period must be a positive integer, got ${m}`, 'usage');
  for (const [outFlag, outPath] of [['--forecasts', flags.forecasts], ['--report', flags.report]] as const) {
    if (!outPath) continue;
    const out = resolve(outPath);
    for (const [flag, input] of [['--train', flags.train], ['--test', flags.test]] as const) {
      if (input && resolve(input) === out) throw new UnrollError(`option ${outFlag} names the ${flag} file ${input}; writing there would replace the data: choose another path`, 'usage');
    }
  }
  // The model's flags, checked before the files are read and anything trains.
  const options: PanelMethodOptions = panelFlagOptions(flags, h, m);
  const panel = pairWidePanels(readWidePanel(flags.train!), readWidePanel(flags.test!));
  panel.test.forEach((t, i) => {
    if (t.length !== h) throw new UnrollError(`${flags.test}: series "${panel.ids[i]}" has ${t.length} test values; expected exactly the horizon h = ${h} (option --horizon)`, 'data');
  });
  const backend = chooseBackend(flags.backend);
  let lastSay = 0;
  const model = panelRnn({
    options,
    backend,
    threads: flags.threads ?? defaultPanelThreads(),
    onEpoch: (e) => {
      const now = performance.now();
      if (now - lastSay > 5000) {
        lastSay = now;
        say(flags, `panel model: member ${e.member + 1}, epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, validation ${e.valScore.toFixed(4)} (${((now - started) / 1000).toFixed(0)} s)`);
      }
    },
  });
  say(flags, `benchmark: ${panel.ids.length} series, h = ${h}, period ${m}; training the panel model on ${backend.name}`);
  const methods = [model, ...SETS[set]!];
  const workers = flags.workers ?? availableParallelism();
  const result = await runPanelBenchmarkParallel(methods, panel, {
    horizon: h, period: m, levels: [0.95], keepForecasts: !!flags.forecasts || !!flags.report, workers,
    onProgress: (name, done, total) => { if (done === total) say(flags, `benchmark: ${name} done (${((performance.now() - started) / 1000).toFixed(0)} s)`); },
  });
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  if (flags.forecasts) {
    const f = result.methods[0]!.forecasts!;
    const lines = [['id', ...Array.from({ length: h }, (_, k) => `F${k + 1}`)].join(',')];
    panel.ids.forEach((id, i) => lines.push([JSON.stringify(id), ...Array.from(f[i]!.mean, (v) => String(v))].join(',')));
    writeFileAtomic(flags.forecasts, lines.join('\n') + '\n');
  }
  const settings = (result.methods[0] as unknown as { description?: string }).description;
  if (flags.report) {
    writeFileAtomic(flags.report, renderPanelReport({
      title: `unroll benchmark: ${flags.train!.split('/').pop()}`,
      description: `The panel model trained over ${panel.ids.length} series, each forecast ${h} steps ahead, beside every statistical benchmark on the test file ${flags.test}.`,
      details: [
        { label: 'training file', value: flags.train! },
        { label: 'test file', value: flags.test! },
        { label: 'horizon, period', value: `${h} steps, seasonal period ${m}` },
        { label: 'model', value: settings ?? 'panel-rnn' },
        { label: 'backend', value: backend.name },
        { label: 'time', value: `${seconds.toFixed(0)} s, peak memory ${peakRssMb.toFixed(0)} MB` },
      ],
      result, train: panel.train, test: panel.test,
    }));
  }
  if (flags.json) {
    printJson({ ...(summary(result, seconds, peakRssMb, backend.name, settings) as object), benchmarks: set, workers });
    return;
  }
  const out: string[] = [];
  out.push(`${panel.ids.length} series, h = ${h}, period ${m}; ${settings ?? ''}`);
  out.push(benchmarkTable(result));
  out.push(`whole command: ${seconds.toFixed(0)} s, peak memory ${peakRssMb.toFixed(0)} MB (${backend.name} backend; benchmarks ${set}, ${workers ? `on ${workers} worker thread${workers === 1 ? '' : 's'}` : 'in one thread'})`);
  process.stdout.write(out.join('\n') + '\n');
}

function summary(result: PanelBenchmarkResult, seconds: number, peakRssMb: number, backend: string, settings: string | undefined): unknown {
  return {
    series: result.ids.length,
    horizon: result.horizon,
    period: result.period,
    model: settings,
    backend,
    seconds,
    peakRssMb,
    methods: benchmarkJson(result),
    verdict: verdictJson(result),
    withoutScale: result.withoutScale,
  };
}
