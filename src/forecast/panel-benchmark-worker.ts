/**
 * The worker side of panel-benchmark-parallel.ts (Node only). It receives the training series once, then
 * takes tasks (method, series) from a counter shared by every worker (Atomics.add, so no task waits for the
 * main thread, which may be busy training a model), fits the registered method to that series, forecasts h
 * steps and posts the forecast back. A method's error is posted as a message and ends the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { methodByName } from './methods/index.js';
import type { FittedMethod, MethodForecast } from './methods/types.js';
import { UnrollError } from '../util/errors.js';
import { inSeries } from './panel-benchmark.js';

/** What the main thread gives each worker. */
export interface WorkerInput {
  /** Registry names of the methods (methodByName). */
  methods: string[];
  /** Tasks in the order they are taken: task k is series tasks[2k + 1] of method tasks[2k]. */
  tasks: Int32Array;
  train: Float64Array[];
  /** Series ids, for messages. */
  ids: string[];
  period: number;
  horizon: number;
  levels: number[];
  /** Int32Array over a SharedArrayBuffer: [0] is the next task to take. */
  counter: Int32Array;
}

/** One finished task, or the error that stopped the worker. */
export type WorkerMessage =
  | { kind: 'done'; task: number; forecast: MethodForecast; description?: string; fitMs: number; forecastMs: number }
  | { kind: 'error'; message: string; code?: string }
  | { kind: 'finished' };

function run(input: WorkerInput): void {
  const methods = input.methods.map((name) => methodByName(name));
  const total = input.tasks.length / 2;
  for (;;) {
    const task = Atomics.add(input.counter, 0, 1);
    if (task >= total) break;
    const method = methods[input.tasks[2 * task]!]!;
    const y = input.train[input.tasks[2 * task + 1]!]!;
    const id = input.ids[input.tasks[2 * task + 1]!]!;
    let t0 = performance.now();
    const fitted: FittedMethod = inSeries(method.name, id, () => method.fit(y, { period: input.period, horizon: input.horizon }));
    const fitMs = performance.now() - t0;
    t0 = performance.now();
    const forecast = inSeries(method.name, id, () => fitted.forecast(input.horizon, { levels: input.levels }));
    const forecastMs = performance.now() - t0;
    const transfer = [forecast.mean.buffer, ...forecast.intervals.flatMap((b) => [b.lower.buffer, b.upper.buffer])] as ArrayBuffer[];
    const message: WorkerMessage = { kind: 'done', task, forecast, description: fitted.description, fitMs, forecastMs };
    parentPort!.postMessage(message, transfer);
  }
}

try {
  run(workerData as WorkerInput);
  parentPort!.postMessage({ kind: 'finished' } satisfies WorkerMessage);
} catch (e) {
  const message: WorkerMessage = e instanceof UnrollError
    ? { kind: 'error', message: e.message, code: e.code }
    : { kind: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  parentPort!.postMessage(message);
}
