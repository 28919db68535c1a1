/**
 * A worker thread that dies ends the synchronous call that waits for it with an UnrollError, never a hang
 * (util/worker-watch.ts): for each of the three users (the panel model's member workers and companion workers,
 * the data-parallel training workers), a worker that calls process.exit(3) mid-task and one that runs out of
 * memory under small resource limits (test-support/exit-worker.ts, oom-worker.ts) end the call with a message
 * naming the worker, how it ended and what to do; the call's other workers are stopped; a process whose worker
 * died still exits. The normal path's results are the other tests' business (threads.ts, companion-threads.test.ts,
 * train/parallel.test.ts: the same values on 1 and more threads).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UnrollError } from './errors.js';
import { Rng } from './rng.js';
import { DIED, WorkerGroup, workerThreads } from './worker-watch.js';
import { runCompanionTask } from '../forecast/panel/companion-threads.js';
import { trainMembers } from '../forecast/panel/threads.js';
import { panelSettings } from '../forecast/panel/settings.js';
import { referenceBackend } from '../kernels/index.js';
import { DataParallel } from '../train/parallel.js';
import { RNN } from '../train/model.js';
import { Trainer } from '../train/trainer.js';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
/** The dying workers as the panel's workers.ts names its modules (beside it, no extension), and as URLs. */
const PANEL_NAME = { exit: '../../test-support/exit-worker', oom: '../../test-support/oom-worker' } as const;
const URL_OF = { exit: new URL(`../test-support/exit-worker${ext}`, import.meta.url).href, oom: new URL(`../test-support/oom-worker${ext}`, import.meta.url).href } as const;
/** Small enough to run out soon, large enough to load the worker module (with tsx from the sources). */
const LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };
/** What each death's message must say. */
/** A hang would fail the test here instead of stalling the suite. */
const LIMIT = { timeout: 60_000 };
const HOW = {
  exit: /stopped before its work was done, with exit code 3 \(process\.exit\(\) in the worker, or the WebAssembly module aborted it\); with threads:? 1/,
  oom: /ran out of memory and was stopped \(ERR_WORKER_OUT_OF_MEMORY: .*memory limit.*\); use fewer threads/,
} as const;

function throwsDeath(call: () => unknown, who: RegExp, how: RegExp): void {
  assert.throws(call, (e: unknown) => {
    assert.ok(e instanceof UnrollError, String(e));
    assert.match(e.message, who);
    assert.match(e.message, how);
    assert.equal(e.code, 'threads');
    return true;
  });
}

const PATTERN = [0.6, 0.7, 0.9, 1.2, 1.5, 1.4, 1.1, 0.9, 0.8, 1.0, 1.3, 0.6];
function panel(count: number, length: number): Float64Array[] {
  const rng = new Rng(3);
  return Array.from({ length: count }, (_, i) => Float64Array.from({ length: length + i }, (_, t) => (10 + i) * PATTERN[t % 12]! * Math.exp(0.05 * rng.normal())));
}

for (const how of ['exit', 'oom'] as const) {
  test(`a companion worker that dies (${how}) ends the call with an UnrollError naming it`, LIMIT, () => {
    const series = panel(4, 30);
    throwsDeath(() => runCompanionTask({ kind: 'forecast', choice: 'ets-arima' }, series, 6, 12, 2, { minCost: 0, worker: PANEL_NAME[how], resourceLimits: LIMITS }),
      /^panel model: companion worker 1 of 1 /, HOW[how]);
  });

  test(`a member worker that dies (${how}) ends the fit with an UnrollError naming it`, LIMIT, () => {
    const series = panel(4, 40);
    const s = panelSettings({ horizon: 6, period: 12, hiddenSize: 3, numLayers: 1, members: 3, epochs: 1, windowsPerSeries: 1 });
    const ctx = { series, calendar: null, quantiles: [0.5], backend: referenceBackend() };
    // Three members on three threads: the two workers die alike; the message names one of them.
    throwsDeath(() => trainMembers(ctx, s, 3, null, { worker: PANEL_NAME[how], resourceLimits: LIMITS }), /^panel model: member worker [12] of 2 /, HOW[how]);
  });

  test(`a training worker that dies (${how}) ends the step with an UnrollError naming it, and every later call throws it`, LIMIT, () => {
    const m = new RNN({ inputSize: 1, hiddenSize: 3, cell: 'lstm', seed: 1 });
    const dp = new DataParallel(m, 'mse', 2, { worker: URL_OF[how], resourceLimits: LIMITS });
    const set = { count: 4, maxSteps: 3, inputSize: 1, data: new Float64Array(12).fill(0.5), lengths: new Int32Array(4).fill(3) };
    const targets = { values: new Float64Array(4).fill(1), classes: null, steps: 1 };
    const step = () => dp.gradients(new Trainer(m), set, targets, [0, 1, 2, 3], 0, 4);
    throwsDeath(step, /^training worker 1 of 1 /, HOW[how]);
    throwsDeath(step, /^training worker 1 of 1 /, HOW[how]);
    dp.close();
  });
}

/** A worker module as a data: URL (workerBoot imports it). */
const moduleUrl = (source: string): string => `data:text/javascript,${encodeURIComponent(`import { workerData as d } from 'node:worker_threads';\nconst c = new Int32Array(d.control);\n${source}`)}`;

test('when one worker of a group dies, the caller sleeping on another wakes with the death, and the others are stopped', LIMIT, () => {
  const wt = workerThreads()!;
  const group = new WorkerGroup(wt, { what: 'test worker', memoryAdvice: 'less', otherAdvice: 'one thread' });
  const spec = (source: string) => ({ url: moduleUrl(source), data: {}, control: new Int32Array(new SharedArrayBuffer(8)), slot: 0, final: 1, failurePrefix: 'no load: ', signal: '' });
  // Worker 1 would mark [1] after 1.5 s and raise its flag; worker 2 exits with code 5 at once.
  const sleeper = group.start(spec('Atomics.wait(c, 1, 0, 1500); Atomics.store(c, 1, 7); Atomics.store(c, 0, 1); Atomics.notify(c, 0);'));
  group.start(spec('process.exit(5);'));
  while (Atomics.load(sleeper.control, 0) === 0) Atomics.wait(sleeper.control, 0, 0);
  assert.equal(Atomics.load(sleeper.control, 0), DIED);
  assert.throws(() => group.check(), /^UnrollError: test worker 2 of 2 stopped before its work was done, with exit code 5 .*; one thread$/);
  assert.throws(() => { throw sleeper.death(); }, /test worker 2 of 2 .*exit code 5/);
  // Worker 1 was terminated: it never marks [1].
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
  assert.equal(Atomics.load(sleeper.control, 1), 0);
  group.stop();
});

test('a worker that ends its work normally is never called dead, however long it takes; stop() ends a group at rest', LIMIT, () => {
  const wt = workerThreads()!;
  const group = new WorkerGroup(wt, { what: 'test worker', memoryAdvice: '', otherAdvice: '' });
  const control = new Int32Array(new SharedArrayBuffer(8));
  const w = group.start({ url: moduleUrl('Atomics.wait(c, 1, 0, 300); Atomics.store(c, 0, 1); Atomics.notify(c, 0);'), data: {}, control, slot: 0, final: 1, failurePrefix: '', signal: '' });
  while (Atomics.load(control, 0) === 0) Atomics.wait(control, 0, 0);
  // The script then ends (exit code 0) with its flag up: no DIED is stored afterwards.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  assert.equal(Atomics.load(control, 0), 1);
  assert.equal(w.died(), false);
  group.check();
  group.stop();
});

test('a process whose training worker died still exits, with the error', LIMIT, () => {
  const script = `
    const { DataParallel } = await import(${JSON.stringify(new URL(`../train/parallel${ext}`, import.meta.url).href)});
    const { RNN } = await import(${JSON.stringify(new URL(`../train/model${ext}`, import.meta.url).href)});
    const { Trainer } = await import(${JSON.stringify(new URL(`../train/trainer${ext}`, import.meta.url).href)});
    const m = new RNN({ inputSize: 1, hiddenSize: 3, cell: 'lstm' });
    // Three threads: two dying workers; the first death stops the other.
    const dp = new DataParallel(m, 'mse', 3, { worker: ${JSON.stringify(URL_OF.exit)} });
    const set = { count: 4, maxSteps: 3, inputSize: 1, data: new Float64Array(12).fill(0.5), lengths: new Int32Array(4).fill(3) };
    try { dp.gradients(new Trainer(m), set, { values: new Float64Array(4).fill(1), classes: null, steps: 1 }, [0, 1, 2, 3], 0, 4); } catch (e) { console.log(e.message); }`;
  const r = spawnSync(process.execPath, [...(ext === '.ts' ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script],
    { encoding: 'utf8', timeout: 60_000, cwd: fileURLToPath(new URL('.', import.meta.url)) });
  assert.equal(r.signal, null, `timed out or killed: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /training worker [12] of 2 stopped before its work was done, with exit code 3/);
});
