/**
 * runPanelBenchmark on worker threads (Node only; the browser keeps the single-thread runPanelBenchmark).
 * The per-series methods of the registry (methodByName: ets, arima, the M4 benchmarks) are fitted on
 * `workers` threads, each series on its own, while every other method (a panel model, a method built with
 * options) runs here in the main thread at the same time. Workers take (method, series) tasks from a shared
 * counter, the slowest methods first, so the threads stay busy until the last task. Every fit is the same
 * computation as in one thread, so the forecasts and the scores equal runPanelBenchmark's exactly; only the
 * times differ (a method's fit and forecast times are summed over the threads that ran it). Run from the
 * TypeScript sources (tsx), where no compiled worker exists, everything runs in this thread.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { methodByName, methodNames } from './methods/index.js';
import type { ForecastMethod, MethodForecast } from './methods/types.js';
import {
  preparePanelBenchmark, runMethod, scorePanelBenchmark,
  type AnyMethod, type MethodRun, type PanelBenchmarkData, type PanelBenchmarkOptions, type PanelBenchmarkResult,
} from './panel-benchmark.js';
import type { WorkerInput, WorkerMessage } from './panel-benchmark-worker.js';
import { UnrollError, badOption } from '../util/errors.js';
import { is } from '../util/options.js';

export interface ParallelPanelBenchmarkOptions extends PanelBenchmarkOptions {
  /** Worker threads for the registered per-series methods; 0 runs everything in this thread. @default os.availableParallelism() */
  workers?: number;
}

/** Relative cost per series, to hand out the slowest tasks first (unknown methods count as cheap). */
const COST: Record<string, number> = { arima: 3, ets: 2 };

/** The registered method this is (the same object methodByName returns), or null. */
function registered(m: AnyMethod): ForecastMethod | null {
  if (!methodNames().includes(m.name)) return null;
  const r = methodByName(m.name);
  return r === m ? r : null;
}

/** The compiled worker beside this file; null when running from the TypeScript sources (tsx), where none is. */
function workerUrl(): URL | null {
  const js = new URL('./panel-benchmark-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(js)) ? js : null;
}

/** runPanelBenchmark with the registered per-series methods on worker threads; the same result, sooner. */
export async function runPanelBenchmarkParallel(
  methods: readonly AnyMethod[], data: PanelBenchmarkData, options: ParallelPanelBenchmarkOptions,
): Promise<PanelBenchmarkResult> {
  const prep = preparePanelBenchmark(methods, data, options, 'runPanelBenchmarkParallel', { workers: is.nonNegativeInt });
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) badOption('workers', workers, 'a whole number of threads from 0 to 256');
  const url = workerUrl();
  const inWorkers = workers > 0 && url ? prep.methods.map((m) => registered(m) !== null) : prep.methods.map(() => false);
  const n = prep.ids.length;
  const runs: (MethodRun | undefined)[] = new Array(prep.methods.length);
  const farmed = prep.methods.map((m, j) => ({ m, j })).filter(({ j }) => inWorkers[j]);
  const pending = farmed.length ? farm(url!, farmed.map(({ m }) => m.name), prep.ids, data, prep, options, Math.min(workers, farmed.length * n)) : null;
  // The other methods run here meanwhile (the workers need nothing from this thread to proceed).
  let failure: unknown = null;
  try {
    prep.methods.forEach((m, j) => { if (!inWorkers[j]) runs[j] = runMethod(m, data, prep.ids, options, prep.levels); });
  } catch (e) {
    failure = e;
  }
  if (pending) {
    // A cancel settles the workers' promise with this failure (a worker stopped before it ever ran ends with
    // exit code 0 and no message, so the workers' own events cannot be relied on to settle it).
    if (failure) pending.cancel(failure);
    const got = await pending.result.catch((e: unknown) => { failure ??= e; return null; });
    if (got) farmed.forEach(({ j }, k) => { runs[j] = got[k]; });
  }
  if (failure) throw failure;
  return scorePanelBenchmark(prep, runs as MethodRun[], data, !!options.keepForecasts);
}

/** Runs every (method, series) task of the named methods on `threads` workers. */
function farm(
  url: URL, names: string[], ids: string[], data: PanelBenchmarkData, prep: { horizon: number; period: number; levels: number[] },
  options: PanelBenchmarkOptions, threads: number,
): { result: Promise<MethodRun[]>; cancel: (reason: unknown) => void } {
  const n = ids.length;
  const order = names.map((_, k) => k).sort((a, b) => (COST[names[b]!] ?? 1) - (COST[names[a]!] ?? 1));
  const tasks = new Int32Array(2 * names.length * n);
  let t = 0;
  for (const k of order) for (let i = 0; i < n; i++) { tasks[t++] = k; tasks[t++] = i; }
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const total = names.length * n;
  const input: WorkerInput = {
    methods: names, tasks, ids, train: data.train.map((y) => Float64Array.from(y)),
    period: prep.period, horizon: prep.horizon, levels: prep.levels, counter,
  };
  const forecasts: MethodForecast[][] = names.map(() => new Array(n));
  const runs: MethodRun[] = names.map(() => ({ forecasts: [], fitMs: 0, forecastMs: 0 }));
  const done = new Int32Array(names.length);
  const pool: Worker[] = [];
  let fail: (e: unknown) => void = () => {};
  const result = new Promise<MethodRun[]>((resolveAll, rejectAll) => {
    let finished = 0;
    let failed = false;
    fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      Atomics.store(counter, 0, total);
      for (const w of pool) void w.terminate();
      rejectAll(e);
    };
    for (let w = 0; w < threads; w++) {
      const worker = new Worker(url, { workerData: input });
      pool.push(worker);
      let mine = false;
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.kind === 'error') return fail(new UnrollError(msg.message, msg.code ?? 'error'));
        if (msg.kind === 'finished') {
          mine = true;
          if (++finished === threads && !failed) {
            runs.forEach((r, k) => { r.forecasts = forecasts[k]!; });
            resolveAll(runs);
          }
          return;
        }
        const k = tasks[2 * msg.task]!;
        const i = tasks[2 * msg.task + 1]!;
        forecasts[k]![i] = msg.forecast;
        runs[k]!.fitMs += msg.fitMs;
        runs[k]!.forecastMs += msg.forecastMs;
        if (i === 0) runs[k]!.description = msg.description;
        options.onProgress?.(names[k]!, ++done[k]!, n);
      });
      worker.on('error', fail);
      // Any end before the worker's 'finished' (whatever the code: process.exit(0) too) would leave its share undone.
      worker.on('exit', (code) => { if (!mine) fail(new UnrollError(`panel benchmark: a worker thread stopped with exit code ${code} before it finished its share (option "workers" 0 fits the benchmarks in the main thread)`, 'error')); });
    }
  });
  return { result, cancel: (reason) => fail(reason) };
}
