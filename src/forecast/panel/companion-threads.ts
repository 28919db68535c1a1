/**
 * The companion's per-series fits (companion.ts) on worker threads: the same forecasts, bit for bit, sooner.
 * A task turns each cut (a series, or its first values) into a fixed choice's forecast ('ets-arima', 'series',
 * or a cheap one), or, for 'select', into the four cheap candidates' forecasts of that window (selectCompanion).
 * Each cut's fit is independent and deterministic, so T threads give exactly the serial result:
 *
 *   the cuts are ordered longest first; worker j (j = 1 … T−1) first fits the j-th shortest (so that each
 *   worker fits at least one), then every thread, the calling one (thread 0) included, takes the next cut of
 *   the order from a shared counter (Atomics.add) until none is left; each writes cut i's values into shared
 *   results at [i · w, (i + 1) · w) (w = the task's width), so the cuts come back in the caller's order.
 *
 * Taking cuts from a counter keeps every thread busy to the end whatever the series' lengths, a worker's start
 * (about 0.1 s, then its first fits run before the JIT has warmed up) or another process on a core.
 * The call is synchronous (workers.ts: the calling thread does its share, then sleeps in Atomics.wait).
 * A batch whose fits are estimated below MIN_THREADED_COST runs here, as does every batch where worker
 * threads do not exist (a browser) or threads = 1. A worker's thrown error surfaces as an UnrollError; a worker
 * that dies (out of memory, process.exit) ends the call with an UnrollError as soon as the calling thread ends
 * its cut or its wait, and the other workers are stopped (workers.ts, util/worker-watch.ts).
 */
import { UnrollError } from '../../util/errors.js';
import { COMPANION_CANDIDATES, candidateWindowForecasts, companionForecast, etsArimaCost, type CandidateForecasts, type CompanionChoice } from './companion.js';
import { panelWorkers, startWorker, waitForWorkers, workerThreads, type WorkerLinks, type WorkerTestOptions } from './workers.js';

/** What one cut of a series is turned into: its companion forecast by a fixed choice, or the cheap candidates' forecasts (for 'select'). */
export type CompanionTask = { kind: 'forecast'; choice: CompanionChoice } | { kind: 'candidates' };

/** The cuts of one batch and where their values go, as every thread (the calling one and the workers) sees them. */
export interface CompanionBatch {
  task: CompanionTask;
  series: Float64Array[];
  h: number;
  period: number;
  /** Values per cut in the results. */
  width: number;
  /** Cut indices, longest first: [0, open) are taken from the counter, [open, n) are the workers' first cuts. */
  order: Int32Array;
  open: number;
  /** Int32 [0]: the next position of `order` to take. */
  counter: SharedArrayBuffer;
  /** Float64 results of every cut, shared by all threads. */
  results: SharedArrayBuffer;
}

/** What a companion worker is given (companion-worker.ts): the batch, its own first cut's position, its links back (workers.ts). */
export interface CompanionJob extends CompanionBatch, WorkerLinks {
  first: number;
}

/**
 * Batches whose estimated cost (etsArimaCost's units, about 0.13 ms of one thread each) is below this run on
 * the calling thread: about 0.65 s of fits, five times what a worker takes to start (0.1 s compiled, 0.5 s
 * from the sources under tsx), before its first fits, which run before the JIT has warmed up.
 */
export const MIN_THREADED_COST = 5_000;

/** The values of one task on one cut (run by the calling thread and by the workers alike). */
export function companionTask(task: CompanionTask, y: Float64Array, h: number, period: number): Float64Array {
  if (task.kind === 'forecast') return companionForecast(y, h, period, task.choice);
  const out = new Float64Array(COMPANION_CANDIDATES.length * h);
  candidateWindowForecasts(y, h, period).forEach((f, j) => out.set(f, j * h));
  return out;
}

/** Values per cut of a task. */
const widthOf = (task: CompanionTask, h: number): number => (task.kind === 'forecast' ? h : COMPANION_CANDIDATES.length * h);

/**
 * The four cheap candidates' fits of a value, in etsArimaCost's units (measured: 0.004–0.007 ms a value on
 * M4 Hourly and monthly series, against 0.1 ms a unit); one of them alone counts a quarter of it.
 */
const CANDIDATES_COST_PER_VALUE = 0.05;

/** The estimated cost of a task on these cuts, in etsArimaCost's units. */
function costOf(task: CompanionTask, series: readonly ArrayLike<number>[], period: number): number {
  let values = 0;
  for (const y of series) values += y.length;
  if (task.kind === 'candidates') return CANDIDATES_COST_PER_VALUE * values;
  const c = task.choice;
  if (c === 'ets-arima') return etsArimaCost(series, period);
  // Two windows and the forecast, each with ETS, ARIMA, Theta and damped Holt (companion.ts seriesCompanion).
  if (c === 'series') return 3 * etsArimaCost(series, period);
  return (c === 'median' ? 1 : 0.25) * CANDIDATES_COST_PER_VALUE * values;
}

/** Fits cut order[first] (when first ≥ 0), then cuts from the shared counter until none is left; `check` runs before each (it may throw). */
export function runBatch(b: CompanionBatch, first = -1, check?: () => void): void {
  const results = new Float64Array(b.results);
  const counter = new Int32Array(b.counter);
  const fit = (i: number): void => { results.set(companionTask(b.task, b.series[i]!, b.h, b.period), i * b.width); };
  if (first >= 0) fit(b.order[first]!);
  for (check?.(); ; check?.()) {
    const u = Atomics.add(counter, 0, 1);
    if (u >= b.open) break;
    fit(b.order[u]!);
  }
}

/**
 * The task's values for every cut, in the cuts' order, computed on up to `threads` threads (the calling one
 * included). `minCost` is the smallest estimated cost worth threads (MIN_THREADED_COST); `worker` names the
 * worker module and `resourceLimits` limits the workers (tests only: to see a worker fail or die).
 */
export function runCompanionTask(task: CompanionTask, series: readonly Float64Array[], h: number, period: number, threads: number,
  { minCost = MIN_THREADED_COST, worker = 'companion-worker', resourceLimits }: { minCost?: number } & WorkerTestOptions = {}): Float64Array[] {
  const n = series.length;
  const T = Math.min(threads, n);
  const wt = T > 1 && costOf(task, series, period) >= minCost ? workerThreads() : null;
  if (!wt) return series.map((y) => companionTask(task, y, h, period));
  const width = widthOf(task, h);
  const order = Int32Array.from(series.map((_, i) => i).sort((a, b) => series[b]!.length - series[a]!.length || a - b));
  const batch: CompanionBatch = {
    task, series: [...series], h, period, width, order, open: n - (T - 1),
    counter: new SharedArrayBuffer(4), results: new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * width * n),
  };
  const group = panelWorkers(wt, 'companion worker');
  for (let j = 1; j < T; j++) startWorker(group, worker, { ...batch, first: n - j } satisfies Omit<CompanionJob, keyof WorkerLinks>, 'companion worker', resourceLimits);
  let failure: unknown = null;
  const drain = (): void => {
    for (const handle of group.workers) {
      for (;;) {
        const msg = wt.receiveMessageOnPort(handle.port)?.message as { error?: string } | undefined;
        if (!msg) break;
        if (msg.error !== undefined) failure ??= new UnrollError(`panel model: a companion worker failed: ${msg.error}`, 'threads');
      }
    }
  };
  try {
    runBatch(batch, -1, () => group.check());
  } catch (e) {
    failure ??= e;
    // The workers take what is left (unless one died: then they were stopped).
  }
  try {
    waitForWorkers(group, drain);
  } catch (e) {
    failure ??= e;
  }
  if (failure) throw failure;
  const results = new Float64Array(batch.results);
  return series.map((_, i) => results.slice(i * width, (i + 1) * width));
}

/** selectCompanion's candidate forecasts of every cut, on `threads` threads (runCompanionTask: the same values as in one). */
export function candidatesOn(threads: number, options: { minCost?: number } = {}): CandidateForecasts {
  return (cuts, h, period) => runCompanionTask({ kind: 'candidates' }, cuts, h, period, threads, options)
    .map((f) => COMPANION_CANDIDATES.map((_, j) => f.subarray(j * h, (j + 1) * h)));
}
