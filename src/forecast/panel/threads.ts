/**
 * The members of the panel ensemble trained side by side in worker threads (Node.js only, reached
 * without a static `node:` import so that the model stays browser-safe). Members are independent
 * (each has its own seed, network, Holt-Winters parameters and early stopping), so training them in
 * T threads gives exactly the serial result in about 1/T of the time on T free cores:
 *
 *   thread j (j = 0 … T−1) trains members m ≡ j (mod T); thread 0 is the calling thread.
 *
 * The call stays synchronous: the main thread trains its own share, then sleeps in `Atomics.wait`
 * until each worker has posted its members (read with `receiveMessageOnPort`). A failure in a worker
 * surfaces as an UnrollError with its message; a worker that dies (out of memory, process.exit) ends the
 * call with an UnrollError at the calling thread's next batch or in its wait, and the other workers are
 * stopped (workers.ts, util/worker-watch.ts). Progress callbacks see the main thread's members only.
 *
 * Checkpoints (checkpoint.ts): a member already done in the saved progress is not trained again, a
 * running one continues from its piece. Workers post their members' progress; the main thread saves it
 * after each of its own batches and while it waits (a worker wakes it after every post).
 */
import type { Backend } from '../../kernels/index.js';
import { referenceBackend } from '../../kernels/index.js';
import { UnrollError, badOption } from '../../util/errors.js';
import type { MemberProgress, PassCheckpoints, RunningMember } from './checkpoint.js';
import type { PanelSettings } from './settings.js';
import { hwParamCount } from './holt-winters.js';
import { buildNetwork, trainMember, type MemberResult, type TrainContext } from './train.js';
import { panelWorkers, startWorker, waitForWorkers, workerThreads, type WorkerLinks, type WorkerTestOptions } from './workers.js';

/** Most threads the option accepts. */
export const MAX_PANEL_THREADS = 64;

/** What a member worker is given (member-worker.ts), with its links back (workers.ts). */
export interface MemberJob extends WorkerLinks {
  series: Float64Array[];
  /** Each series' calendar table (calendar.ts), or null. */
  calendar: Float64Array[] | null;
  settings: PanelSettings;
  quantiles: number[];
  members: number[];
  /** Saved progress of those members to continue from (checkpoints). */
  resume: RunningMember[];
  /** With checkpoints: milliseconds between mid-epoch saves (Infinity: epoch ends only); null: no checkpoints. */
  checkpointMs: number | null;
  backend: 'wasm' | 'reference';
  relaxedSimd: boolean;
}

/** Checks the thread count: an integer in [1, MAX_PANEL_THREADS]. */
export function checkPanelThreads(threads: unknown): number {
  const t = threads ?? 1;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > MAX_PANEL_THREADS) badOption('threads', threads, `an integer in [1, ${MAX_PANEL_THREADS}] (1 = no worker threads)`);
  return t;
}

/** A finished member's result from a checkpoint, checked against the network's weight count n and the series. */
function checkedResult(r: MemberResult, m: number, ctx: TrainContext, s: PanelSettings, n: number): MemberResult {
  const P = s.normalisation === 'hw' ? ctx.series.length * hwParamCount(s) : 0;
  if (r.weights.length !== n || (P === 0 ? r.hw !== null : r.hw?.length !== P)) {
    throw new UnrollError(`checkpoint: member ${m + 1}'s saved result holds ${r.weights.length} weights and ${r.hw?.length ?? 0} Holt-Winters parameters; this model and data need ${n} and ${P}`, 'checkpoint');
  }
  return r;
}

/**
 * Trains members 0 … M−1 over `threads` threads and returns their results in member order. With one
 * thread, or where worker threads do not exist (a browser), every member trains here, in order.
 * `test` is for tests only (another worker module, resource limits: to see a worker die).
 */
export function trainMembers(ctx: TrainContext, s: PanelSettings, threads: number, ck: PassCheckpoints | null = null, test: WorkerTestOptions = {}): MemberResult[] {
  const M = s.members;
  const results: (MemberResult | undefined)[] = new Array(M);
  const saved = new Map<number, RunningMember>();
  const todo: number[] = [];
  // The weight count of every member's network, built once and only when a finished member needs checking.
  let weightCount = -1;
  const weights = (): number => (weightCount >= 0 ? weightCount : (weightCount = buildNetwork(s, ctx.quantiles.length, referenceBackend(), 1).store.count));
  for (let m = 0; m < M; m++) {
    const p = ck?.resume(m) ?? null;
    if (p?.done) results[m] = checkedResult(p.result, m, ctx, s, weights());
    else {
      if (p) saved.set(m, p);
      todo.push(m);
    }
  }
  const T = Math.min(checkPanelThreads(threads), Math.max(1, todo.length));
  const wt = T > 1 ? workerThreads() : null;
  const hooks = (m: number, tick?: () => void) => (ck ? { resume: saved.get(m) ?? null, save: ck.save, everyMs: ck.everyMs, now: ck.now, tick } : { tick });
  const finish = (m: number, r: MemberResult): void => {
    results[m] = r;
    ck?.save({ member: m, done: true, result: r });
  };
  if (!wt) {
    for (const m of todo) finish(m, trainMember(ctx, s, m, hooks(m)));
    return results as MemberResult[];
  }
  const group = panelWorkers(wt, 'member worker');
  for (let j = 1; j < T; j++) {
    const members: number[] = [];
    for (let u = j; u < todo.length; u += T) members.push(todo[u]!);
    const k = ctx.backend as Backend & { relaxedSimd?: boolean };
    const job: Omit<MemberJob, keyof WorkerLinks> = {
      series: ctx.series.map((y) => Float64Array.from(y)), calendar: ctx.calendar ? ctx.calendar.map((t) => Float64Array.from(t)) : null, settings: s, quantiles: [...ctx.quantiles], members,
      resume: members.flatMap((m) => (saved.has(m) ? [saved.get(m)!] : [])), checkpointMs: ck ? ck.everyMs : null,
      backend: k.name === 'wasm' ? 'wasm' : 'reference', relaxedSimd: k.relaxedSimd === true,
    };
    startWorker(group, test.worker ?? 'member-worker', job, 'panel member worker', test.resourceLimits);
  }
  let failure: unknown = null;
  // Reads what the workers posted: progress to save, results, failures.
  const drain = (): void => {
    for (const h of group.workers) {
      for (;;) {
        const msg = wt.receiveMessageOnPort(h.port)?.message as { error?: string; progress?: MemberProgress } | undefined;
        if (!msg) break;
        if (msg.error !== undefined) failure ??= new UnrollError(`panel model: a member worker failed: ${msg.error}`, 'threads');
        else if (msg.progress?.done) finish(msg.progress.member, msg.progress.result);
        else if (msg.progress && !failure) ck?.save(msg.progress);
      }
    }
  };
  // After each of its batches the calling thread saves the workers' progress (with checkpoints) and stops if one died.
  const tick = (): void => {
    if (ck) drain();
    group.check();
  };
  try {
    for (let u = 0; u < todo.length; u += T) {
      const m = todo[u]!;
      finish(m, trainMember(ctx, s, m, hooks(m, tick)));
    }
  } catch (e) {
    failure ??= e;
  }
  try {
    waitForWorkers(group, drain, ck ? 200 : 1000);
  } catch (e) {
    failure ??= e;
  }
  if (failure) throw failure;
  results.forEach((r, m) => { if (!r) throw new UnrollError(`panel model: member ${m + 1} came back from no worker`, 'threads'); });
  return results as MemberResult[];
}
