// Timing helpers: warm-up first, then repeats; the figure is the median of the repeats.
import { performance } from 'node:perf_hooks';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/**
 * Throughput of `step` (which does some work and returns how many units — samples or tokens — it
 * processed; it may be async). Each repeat runs steps until `seconds` have passed or `maxUnits`
 * were processed, and yields units per second. Returns { value, repeats: [...] }.
 */
export async function measureRate(step, { warmup, seconds, repeats, maxUnits = Infinity }) {
  let t0 = performance.now();
  do await step(); while (performance.now() - t0 < warmup * 1000);
  const rates = [];
  for (let r = 0; r < repeats; r++) {
    let units = 0;
    t0 = performance.now();
    let dt;
    do {
      units += await step();
      dt = performance.now() - t0;
    } while (dt < seconds * 1000 && units < maxUnits);
    rates.push(units / (dt / 1000));
  }
  return { value: median(rates), repeats: rates };
}

/** Median latency of one call of a synchronous `fn`, in microseconds. */
export function measureLatency(fn, { warmup, seconds, repeats }) {
  let t0 = performance.now();
  do for (let i = 0; i < 100; i++) fn(); while (performance.now() - t0 < warmup * 1000);
  const lat = [];
  for (let r = 0; r < repeats; r++) {
    let calls = 0;
    let dt;
    t0 = performance.now();
    do {
      for (let i = 0; i < 200; i++) fn();
      calls += 200;
      dt = performance.now() - t0;
    } while (dt < seconds * 1000);
    lat.push((dt * 1000) / calls);
  }
  return { value: median(lat), repeats: lat };
}

/** Median latency of an async `fn`, in microseconds (for peers whose predict is async-only). */
export async function measureLatencyAsync(fn, { warmup, seconds, repeats }) {
  let t0 = performance.now();
  do await fn(); while (performance.now() - t0 < warmup * 1000);
  const lat = [];
  for (let r = 0; r < repeats; r++) {
    let calls = 0;
    let dt;
    t0 = performance.now();
    do { await fn(); calls++; dt = performance.now() - t0; } while (dt < seconds * 1000);
    lat.push((dt * 1000) / calls);
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
