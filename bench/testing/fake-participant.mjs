// A fake benchmark participant for bench/harness.test.mjs: it speaks the turn protocol through
// bench/timing.mjs and records when it was really working, so the test can check that no two
// participants ever work at the same time.
//
//   node bench/testing/fake-participant.mjs --name A [--keys W1/train,W1/infer] [--repeats 3]
//     [--block-ms 20] [--setups 1] [--stall-after N] [--fail-after N]
// --setups N: N set-up turns before each measurement.
// --stall-after N: after N measurements, spin forever outside any turn (never asks again).
// --fail-after N: after N measurements, throw (exit code 1) outside any turn.
// Each measurement emits one result line whose `intervals` are [start, end] wall-clock
// milliseconds (performance.timeOrigin based) of every piece of work, set-up included.
import { performance } from 'node:perf_hooks';
import { phase, withTurn, measureRate, emit } from '../timing.mjs';

const argv = process.argv.slice(2);
const opt = (name, d) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : d; };
const name = opt('--name', 'fake');
const keys = opt('--keys', 'W1/train').split(',');
const repeats = Number(opt('--repeats', '3'));
const blockMs = Number(opt('--block-ms', '20'));
const setups = Number(opt('--setups', '1'));
const stallAfter = Number(opt('--stall-after', 'Infinity'));
const failAfter = Number(opt('--fail-after', 'Infinity'));
const clock = () => performance.timeOrigin + performance.now();

function spin(ms) {
  const t = clock();
  while (clock() - t < ms);
}

let done = 0;
for (const key of keys) {
  if (done === stallAfter) for (;;) spin(1000);
  if (done === failAfter) throw new Error(`fake participant ${name}: failing on purpose after ${failAfter} measurement(s)`);
  const [workload, metric] = key.split('/');
  phase(workload, metric);
  const intervals = [];
  for (let k = 0; k < setups; k++) await withTurn('setup', () => { const a = clock(); spin(blockMs / 4); intervals.push([a, clock()]); });
  const r = await measureRate(() => {
    const a = clock();
    spin(2);
    intervals.push([a, clock()]);
    return 1;
  }, { warmup: blockMs / 1000, seconds: blockMs / 1000, repeats });
  emit(name, workload, metric, r.value, { repeats: r.repeats, intervals });
  done++;
}
