/**
 * A worker thread that dies ends the synchronous call that waits for it with an UnrollError, never a hang
 * (util/worker-watch.ts): for each of the three users (the panel model's member workers and companion workers,
 * the data-parallel training workers), a worker that calls process.exit(3) mid-task and one that runs out of
 * memory under small resource limits (test-support/exit-worker.ts, oom-worker.ts) end the call with a message
 * naming the worker, how it ended and what to do; the call's other workers are stopped; a worker that ends its
 * work is never called dead; a module that cannot be loaded reports its load error (not a death, though the
 * worker then ends); a process whose worker died still exits. The normal path's results are the other
 * tests' business (companion-threads.test.ts, panel.test.ts, train/parallel.test.ts: the same values on 1 and
 * more threads).
 *
 * Every case runs in a process of its own: a regression (a wait that never ends) then fails at the time limit
 * with a message, where in this process it would block the test runner's thread for good.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const SRC = new URL('../', import.meta.url).href;

/**
 * Runs `body` (module code; `load('train/parallel')` imports a module of this tree, `src` is its root URL, `ext`
 * the modules' extension) in a new Node process and returns what it printed; fails on a hang (60 s) or a crash.
 */
function inChild(body: string): string {
  const script = `const src = ${JSON.stringify(SRC)}; const ext = ${JSON.stringify(ext)}; const load = (p) => import(src + p + ext);\n${body}`;
  const r = spawnSync(process.execPath, [...(ext === '.ts' ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `timed out (a hang?) or killed: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Child code that runs `call` (an expression) and prints the error it throws as JSON. */
const printError = (call: string): string =>
  `try { ${call}; console.log('no error'); } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`;

function assertDeath(out: string, who: RegExp, how: RegExp): void {
  const lines = out.trim().split('\n');
  const e = JSON.parse(lines[lines.length - 1]!) as { name: string; code: string; message: string };
  assert.equal(e.name, 'UnrollError', out);
  assert.equal(e.code, 'threads');
  assert.match(e.message, who);
  assert.match(e.message, how);
}

/** The dying workers: as the panel's workers.ts names its modules (beside it, no extension), and as URLs. */
const PANEL_NAME = { exit: '../../test-support/exit-worker', oom: '../../test-support/oom-worker' } as const;
const URL_OF = { exit: `${SRC}test-support/exit-worker${ext}`, oom: `${SRC}test-support/oom-worker${ext}` } as const;
/** Small enough to run out soon, large enough to load the worker module (with tsx from the sources). */
const LIMITS = JSON.stringify({ maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 });
/** What each death's message must say. */
const HOW = {
  exit: /stopped before its work was done, with exit code 3 \(process\.exit\(\) in the worker, or the WebAssembly module aborted it\); with threads:? 1/,
  oom: /ran out of memory and was stopped \(ERR_WORKER_OUT_OF_MEMORY: .*memory limit.*\); use fewer threads/,
} as const;
/** Child code: `series`, a small monthly panel of 4 series. */
const SERIES = 'const series = Array.from({ length: 4 }, (_, i) => Float64Array.from({ length: 40 + i }, (_, t) => 10 + i + 3 * Math.sin((t * Math.PI) / 6) + ((t * 7919) % 13) / 13));';

for (const how of ['exit', 'oom'] as const) {
  test(`a companion worker that dies (${how}) ends the call with an UnrollError naming it`, () => {
    assertDeath(inChild(`const { runCompanionTask } = await load('forecast/panel/companion-threads');
      ${SERIES}
      ${printError(`runCompanionTask({ kind: 'forecast', choice: 'ets-arima' }, series, 6, 12, 2, { minCost: 0, worker: ${JSON.stringify(PANEL_NAME[how])}, resourceLimits: ${LIMITS} })`)}`),
    /^panel model: companion worker 1 of 1 /, HOW[how]);
  });

  test(`a member worker that dies (${how}) ends the fit with an UnrollError naming it`, () => {
    // Three members on three threads: the two workers die alike; the message names one of them.
    assertDeath(inChild(`const { trainMembers } = await load('forecast/panel/threads');
      const { panelSettings } = await load('forecast/panel/settings');
      const { referenceBackend } = await load('kernels/index');
      ${SERIES}
      const s = panelSettings({ horizon: 6, period: 12, hiddenSize: 3, numLayers: 1, members: 3, epochs: 1, windowsPerSeries: 1 });
      ${printError(`trainMembers({ series, calendar: null, quantiles: [0.5], backend: referenceBackend() }, s, 3, null, { worker: ${JSON.stringify(PANEL_NAME[how])}, resourceLimits: ${LIMITS} })`)}`),
    /^panel model: member worker [12] of 2 /, HOW[how]);
  });

  test(`a training worker that dies (${how}) ends the step with an UnrollError naming it, and every later call throws it`, () => {
    const out = inChild(`const { DataParallel } = await load('train/parallel');
      const { RNN } = await load('train/model');
      const { Trainer } = await load('train/trainer');
      const m = new RNN({ inputSize: 1, hiddenSize: 3, cell: 'lstm', seed: 1 });
      const dp = new DataParallel(m, 'mse', 2, { worker: ${JSON.stringify(URL_OF[how])}, resourceLimits: ${LIMITS} });
      const set = { count: 4, maxSteps: 3, inputSize: 1, data: new Float64Array(12).fill(0.5), lengths: new Int32Array(4).fill(3) };
      const targets = { values: new Float64Array(4).fill(1), classes: null, steps: 1 };
      for (let i = 0; i < 2; i++) { ${printError('dp.gradients(new Trainer(m), set, targets, [0, 1, 2, 3], 0, 4)')} }
      dp.close();`);
    const [first, again] = out.trim().split('\n');
    assert.equal(again, first, 'a later call throws the same error');
    assertDeath(first!, /^training worker 1 of 1 /, HOW[how]);
  });
}

/** Child code: a WorkerGroup `group`, and `spec(source)`, a worker whose module runs `source` with `c` = its control block (two slots; the caller waits on [0], done = 1). */
const GROUP = `const { WorkerGroup, workerThreads } = await load('util/worker-watch');
  const group = new WorkerGroup(workerThreads(), { what: 'test worker', memoryAdvice: 'less', otherAdvice: 'one thread' });
  const spec = (source) => ({ url: 'data:text/javascript,' + encodeURIComponent("import { workerData as d } from 'node:worker_threads'; const c = new Int32Array(d.control);\\n" + source),
    data: {}, control: new Int32Array(new SharedArrayBuffer(8)), slot: 0, final: 1, failurePrefix: 'no load: ', signal: '' });
  const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);`;

test('when one worker of a group dies, the caller sleeping on another wakes with the death, and the others are stopped', () => {
  // Worker 1 would mark [1] after 1.5 s, then raise its flag; worker 2 exits with code 5 at once.
  const out = inChild(`${GROUP}
    const sleeper = group.start(spec('Atomics.wait(c, 1, 0, 1500); Atomics.store(c, 1, 7); Atomics.store(c, 0, 1); Atomics.notify(c, 0);'));
    group.start(spec('process.exit(5);'));
    while (Atomics.load(sleeper.control, 0) === 0) Atomics.wait(sleeper.control, 0, 0);
    console.log(sleeper.died(), sleeper.death().message);
    sleep(2000);
    console.log('marked', Atomics.load(sleeper.control, 1));
    group.stop();`);
  assert.equal(out, 'true test worker 2 of 2 stopped before its work was done, with exit code 5 (process.exit() in the worker, or the WebAssembly module aborted it); one thread\nmarked 0\n');
});

test('a worker that ends its work is never called dead, however long it takes; it sees the caller\'s environment of its start', () => {
  const out = inChild(`${GROUP}
    const first = group.start(spec('Atomics.store(c, 0, 1); Atomics.notify(c, 0);'));
    while (Atomics.load(first.control, 0) === 0) Atomics.wait(first.control, 0, 0);
    // The supervisor runs now; a variable set later still reaches the next worker.
    process.env.UNROLL_WATCH_PROBE = 'late';
    const w = group.start(spec("sleep: { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); } Atomics.store(c, 1, process.env.UNROLL_WATCH_PROBE === 'late' ? 1 : 2); Atomics.store(c, 0, 1); Atomics.notify(c, 0);"));
    while (Atomics.load(w.control, 0) === 0) Atomics.wait(w.control, 0, 0);
    // Its script then ends (exit code 0) with its flag up: the supervisor leaves it alone.
    sleep(300);
    group.check();
    console.log(Atomics.load(w.control, 0), w.died(), Atomics.load(w.control, 1));
    group.stop();`);
  assert.equal(out, '1 false 1\n');
});

test('a process whose training workers died still exits, with the error', () => {
  const out = inChild(`const { DataParallel } = await load('train/parallel');
    const { RNN } = await load('train/model');
    const { Trainer } = await load('train/trainer');
    const m = new RNN({ inputSize: 1, hiddenSize: 3, cell: 'lstm' });
    // Three threads: two dying workers; the first death stops the other. No close(): the process must end anyway.
    const dp = new DataParallel(m, 'mse', 3, { worker: ${JSON.stringify(URL_OF.exit)} });
    const set = { count: 4, maxSteps: 3, inputSize: 1, data: new Float64Array(12).fill(0.5), lengths: new Int32Array(4).fill(3) };
    ${printError('dp.gradients(new Trainer(m), set, { values: new Float64Array(4).fill(1), classes: null, steps: 1 }, [0, 1, 2, 3], 0, 4)')}`);
  assertDeath(out, /^training worker [12] of 2 /, HOW.exit);
});

test('a training worker whose module cannot be loaded reports its load error, not a death, though it then ends', () => {
  const out = inChild(`const { DataParallel } = await load('train/parallel');
    const { RNN } = await load('train/model');
    const m = new RNN({ inputSize: 1, hiddenSize: 3, cell: 'lstm' });
    ${printError(`new DataParallel(m, 'mse', 3, { worker: src + 'no-such-worker.js' })`)}`);
  const e = JSON.parse(out.trim()) as { name: string; code: string; message: string };
  assert.equal(e.name, 'UnrollError');
  assert.match(e.message, /^training worker failed: could not load the training worker \(.*no-such-worker\.js\)/);
});
