// Timing helpers: warm-up first, then repeats; the figure is the median of the repeats.
//
// Turn-taking (bench/turns.mjs is the harness side): when UNROLL_BENCH_TURNS=1, every timed block
// (each warm-up and each repeat) and every heavy set-up step (`withTurn`) runs only while this
// process holds the harness's single token. The participant writes the line
// {"turn":"want","key":"W1/train","what":"repeat 2"} to stdout, blocks until it reads the line
// `go` on stdin, runs the block, then writes {"turn":"done"}. `key` (set by `phase`) names the
// measurement, so the harness can keep every participant on the same measurement at the same
// time. Without the variable the helpers take no turns and time exactly as before, so each
// participant script still runs standalone.
import { performance } from 'node:perf_hooks';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

const TURNS = process.env.UNROLL_BENCH_TURNS === '1';
/** Test hook: exit abruptly (code 70) right after receiving the n-th turn, while holding the token. */
const CRASH_TURN = Number(process.env.UNROLL_BENCH_CRASH_TURN ?? 0);
let key = null;
let holding = false;
let granted = 0;
let stdinReady = false;
let inbuf = '';
let stdinEnded = false;
const lines = [];
let wake = null;

/** Names the measurement the following turns belong to, e.g. phase('W1', 'train') → "W1/train". */
export function phase(workload, metric) { key = metric ? `${workload}/${metric}` : workload; }

function listen() {
  if (stdinReady) return;
  stdinReady = true;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (s) => {
    inbuf += s;
    for (let i; (i = inbuf.indexOf('\n')) >= 0;) { lines.push(inbuf.slice(0, i).trim()); inbuf = inbuf.slice(i + 1); }
    if (lines.length && wake) { const w = wake; wake = null; w(); }
  });
  process.stdin.on('end', () => { stdinEnded = true; if (wake) { const w = wake; wake = null; w(); } });
}

async function acquire(what) {
  listen();
  process.stdout.write(JSON.stringify({ turn: 'want', key, what }) + '\n'); // synchronous for pipes on Linux
  process.stdin.resume();
  while (!lines.length && !stdinEnded) await new Promise((r) => { wake = r; });
  // Paused between turns, stdin does not keep the process alive once the participant is done.
  process.stdin.pause();
  const line = lines.shift();
  if (line !== 'go') throw new Error(`bench turn: expected "go" from the harness, got ${line === undefined ? 'end of input' : JSON.stringify(line)}`);
  holding = true;
  if (++granted === CRASH_TURN) { process.stderr.write(`UNROLL_BENCH_CRASH_TURN=${CRASH_TURN}: exiting while holding the turn\n`); process.exit(70); }
}

function release() {
  holding = false;
  process.stdout.write('{"turn":"done"}\n');
}

/**
 * Runs `fn` (sync or async) while holding the harness's token; `what` labels the turn. Without
 * turn-taking, or when already holding the token, just runs `fn`.
 */
export async function withTurn(what, fn) {
  if (!TURNS || holding) return fn();
  await acquire(what);
  try {
    return await fn();
  } finally {
    release();
  }
}

/** Runs the variants of one measurement in turn within a repeat, in alternating order. */
const orderOf = (names, r) => (r % 2 ? [...names].reverse() : names);

/**
 * Throughput of each step function of `steps` ({ name: step }; a step does some work and returns
 * how many units — samples or tokens — it processed; it may be async). The variants are measured
 * side by side: one warm-up turn warms each in turn, then each repeat turn runs one repeat of
 * every variant (order alternating), so the variants see the same moment of the machine. A repeat
 * runs steps until `seconds` have passed or `maxUnits` were processed, and yields units per
 * second. Returns { name: { value (median), repeats: [...] } }.
 */
export async function measureRates(steps, { warmup, seconds, repeats, maxUnits = Infinity }) {
  const names = Object.keys(steps);
  const rates = Object.fromEntries(names.map((n) => [n, []]));
  await withTurn('warm-up', async () => {
    for (const n of names) {
      const t0 = performance.now();
      do await steps[n](); while (performance.now() - t0 < warmup * 1000);
    }
  });
  for (let r = 0; r < repeats; r++) {
    await withTurn(`repeat ${r + 1}`, async () => {
      for (const n of orderOf(names, r)) {
        let units = 0;
        const t0 = performance.now();
        let dt;
        do {
          units += await steps[n]();
          dt = performance.now() - t0;
        } while (dt < seconds * 1000 && units < maxUnits);
        rates[n].push(units / (dt / 1000));
      }
    });
  }
  return Object.fromEntries(names.map((n) => [n, { value: median(rates[n]), repeats: rates[n] }]));
}

/** Throughput of one `step` (see measureRates). Returns { value, repeats: [...] }. */
export async function measureRate(step, budget) {
  return (await measureRates({ step }, budget)).step;
}

/**
 * Median latency of one call of each synchronous function of `fns` ({ name: fn }), in
 * microseconds, measured side by side like measureRates. Returns { name: { value, repeats } }.
 */
export async function measureLatencies(fns, { warmup, seconds, repeats }) {
  const names = Object.keys(fns);
  const lat = Object.fromEntries(names.map((n) => [n, []]));
  await withTurn('warm-up', () => {
    for (const n of names) {
      const fn = fns[n];
      const t0 = performance.now();
      do for (let i = 0; i < 100; i++) fn(); while (performance.now() - t0 < warmup * 1000);
    }
  });
  for (let r = 0; r < repeats; r++) {
    await withTurn(`repeat ${r + 1}`, () => {
      for (const n of orderOf(names, r)) {
        const fn = fns[n];
        let calls = 0;
        let dt;
        const t0 = performance.now();
        do {
          for (let i = 0; i < 200; i++) fn();
          calls += 200;
          dt = performance.now() - t0;
        } while (dt < seconds * 1000);
        lat[n].push((dt * 1000) / calls);
      }
    });
  }
  return Object.fromEntries(names.map((n) => [n, { value: median(lat[n]), repeats: lat[n] }]));
}

/** Median latency of one call of a synchronous `fn`, in microseconds. Returns { value, repeats }. */
export async function measureLatency(fn, budget) {
  return (await measureLatencies({ fn }, budget)).fn;
}

/** Median latency of an async `fn`, in microseconds (for peers whose predict is async-only). */
export async function measureLatencyAsync(fn, { warmup, seconds, repeats }) {
  await withTurn('warm-up', async () => {
    const t0 = performance.now();
    do await fn(); while (performance.now() - t0 < warmup * 1000);
  });
  const lat = [];
  for (let r = 0; r < repeats; r++) {
    await withTurn(`repeat ${r + 1}`, async () => {
      let calls = 0;
      let dt;
      const t0 = performance.now();
      do { await fn(); calls++; dt = performance.now() - t0; } while (dt < seconds * 1000);
      lat.push((dt * 1000) / calls);
    });
  }
  return { value: median(lat), repeats: lat };
}

/** Participants print one JSON line per result; run.mjs collects them. */
export function emit(participant, workload, metric, value, extra = {}) {
  process.stdout.write(JSON.stringify({ participant, workload, metric, value, ...extra }) + '\n');
}

/** Parses `--workloads W1,W2 --quick` for a participant script. */
export function participantArgs(argv = process.argv.slice(2)) {
  const i = argv.indexOf('--workloads');
  const list = i >= 0 ? argv[i + 1].split(',') : ['W1', 'W2', 'W3', 'W4'];
  return { workloads: list, quick: argv.includes('--quick'), rest: argv };
}
