#!/usr/bin/env node
// Benchmark harness of issue 4 (and W5, the panel forecaster's network of issue 10): unroll against TensorFlow.js (cpu, wasm), brain.js and PyTorch,
// measured side by side in one run, each participant in its own process.
//
//   node bench/run.mjs [--json] [--only W1,W4] [--quick] [--peers unroll,pytorch,…] [--sequential]
//   node bench/run.mjs --from report.json      (prints the table of a saved --json report)
//
// Prints a table of figures and ratios. A ratio is how many times faster unroll is than the
// peer: unroll / peer for throughputs (samples/s, tokens/s), peer / unroll for latency (µs),
// so > 1 always means unroll is ahead. With --json, prints one JSON object instead.
//
// Modes. The host's load drifts over minutes, so by default the participants take turns
// ("interleaved", bench/turns.mjs): all are started, one at a time (start-up never overlaps a
// measurement), then a single token is passed round-robin and a participant runs a timed block —
// each warm-up, each repeat — or a heavy set-up step only while it holds the token. Everyone
// works on the same measurement (W1/train, then W1/infer, …) at the same time, so repeat i of
// unroll and repeat i of each peer are minutes closer than in a sequential run. The JSON then also
// holds, per peer, `pairedRatios` (median over i of the ratio of the two repeats i) with
// `pairedGapS` (how far apart in time those paired repeats started) and the log of turns; the
// headline ratio stays median / median. --sequential runs one participant after another, as
// before. A participant that crashes or exits releases the token and is listed as skipped; the
// others go on. Each participant has 10 min (--quick) or 30 min of its own time (not counting
// waiting for the token); one that stays more than UNROLL_BENCH_STALL_S (default 120) s between
// turns is no longer waited for.
//
// Participants are the scripts in bench/peers/ and bench/torch_bench.py; each runs standalone
// too (without UNROLL_BENCH_TURNS=1 it takes no turns). Test hook: UNROLL_BENCH_CRASH=name:n
// makes participant `name` exit abruptly on receiving its n-th turn (bench/harness.test.mjs
// tests the turn-taking with the fake participants of bench/testing/).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS, METRICS, budgets, checkTargets } from './workloads.mjs';
import { runParticipants } from './turns.mjs';
import { assembleWorkloads, turnLog } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const sequential = argv.includes('--sequential');
const only = (opt('--only') ?? 'W1,W2,W3,W4,W5').split(',').map((s) => s.trim().toUpperCase());
for (const id of only) if (!WORKLOADS[id]) { console.error(`--only: unknown workload ${id}; expected some of ${Object.keys(WORKLOADS).join(',')}`); process.exit(2); }
const python = process.env.UNROLL_BENCH_PYTHON ?? '/usr/bin/python3';
const log = (s) => process.stderr.write(s + '\n');

/** OpenBLAS misdetects this VM's CPU (it picks the Prescott kernels); name the core so PyTorch runs at its best. */
function openblasCore() {
  if (process.env.OPENBLAS_CORETYPE) return process.env.OPENBLAS_CORETYPE;
  let flags = '';
  try { flags = readFileSync('/proc/cpuinfo', 'utf8'); } catch { return undefined; }
  if (/\bavx512f\b/.test(flags)) return 'SkylakeX';
  if (/\bavx2\b/.test(flags)) return 'Haswell';
  return undefined;
}

/**
 * unroll's best setting here: relaxed-SIMD fused multiply-add. Node ≥ 22 has relaxed SIMD on by
 * default; Node 20 needs the V8 flag. UNROLL_BENCH_RELAXED=0 measures without it.
 */
function relaxedFlag() {
  if (process.env.UNROLL_BENCH_RELAXED === '0') return [];
  const flag = '--experimental-wasm-relaxed-simd';
  return spawnSync(process.execPath, [flag, '-e', '0'], { stdio: 'ignore' }).status === 0 ? [flag] : [];
}

const PARTICIPANTS = [
  { name: 'unroll', supports: ['W1', 'W2', 'W3', 'W4', 'W5'], cmd: process.execPath, args: [...relaxedFlag(), '--import', 'tsx', join(here, 'peers/unroll.mjs')] },
  { name: 'pytorch', supports: ['W1', 'W2', 'W3', 'W4', 'W5'], cmd: python, args: [join(here, 'torch_bench.py')],
    env: { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', ...(openblasCore() ? { OPENBLAS_CORETYPE: openblasCore() } : {}) },
    available: () => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 ? null : `${python} -c 'import torch' failed (apt-get install python3-torch)` },
  { name: 'tfjs-wasm', supports: ['W1', 'W2', 'W3', 'W4'], cmd: process.execPath, args: [join(here, 'peers/tfjs.mjs'), 'wasm'] },
  { name: 'tfjs-cpu', supports: ['W1', 'W2', 'W3', 'W4'], cmd: process.execPath, args: [join(here, 'peers/tfjs.mjs'), 'cpu'] },
  { name: 'brain.js', supports: ['W1', 'W2', 'W4'], cmd: process.execPath, args: [join(here, 'peers/brain.mjs')] },
];

/** Key of a measurement in the turn protocol, in the order every participant runs them. */
const keyOrder = Object.keys(WORKLOADS).filter((id) => only.includes(id)).flatMap((id) => Object.keys(METRICS[id]).map((m) => `${id}/${m}`));

/** UNROLL_BENCH_CRASH=name:n (test hook): that participant exits abruptly on receiving its n-th turn. */
function crashHook(name) {
  const v = process.env.UNROLL_BENCH_CRASH;
  if (!v) return {};
  const [who, n] = v.split(':');
  if (!who || !/^[1-9]\d*$/.test(n ?? '')) { console.error(`UNROLL_BENCH_CRASH: expected participant:turn (e.g. brain.js:5), got ${JSON.stringify(v)}`); process.exit(2); }
  return who === name ? { UNROLL_BENCH_CRASH_TURN: n } : {};
}

function stallSeconds() {
  const v = process.env.UNROLL_BENCH_STALL_S;
  if (v === undefined) return 120;
  const s = Number(v);
  if (!(s > 0)) { console.error(`UNROLL_BENCH_STALL_S: expected a positive number of seconds, got ${JSON.stringify(v)}`); process.exit(2); }
  return s;
}

const MODES = {
  interleaved: 'interleaved: participants took turns per repeat (all running at once, one timed block at a time, round-robin on the same measurement)',
  sequential: 'sequential: one participant after another',
};

async function runAll() {
  const wanted = opt('--peers')?.split(',');
  if (wanted) for (const w of wanted) if (!PARTICIPANTS.some((p) => p.name === w)) { console.error(`--peers: unknown participant ${w}; expected some of ${PARTICIPANTS.map((p) => p.name).join(',')}`); process.exit(2); }
  const chosen = PARTICIPANTS.filter((p) => !wanted || wanted.includes(p.name));
  const mode = sequential ? 'sequential' : 'interleaved';

  const skipped = [];
  const specs = [];
  for (const p of chosen) {
    // Canonical workload order, so every participant meets the measurements in keyOrder's order.
    const ws = Object.keys(WORKLOADS).filter((w) => only.includes(w) && p.supports.includes(w));
    if (ws.length === 0) continue;
    const why = p.available?.();
    if (why) { skipped.push({ participant: p.name, reason: why }); log(`skip ${p.name}: ${why}`); continue; }
    specs.push({ name: p.name, cmd: p.cmd, args: [...p.args, '--workloads', ws.join(','), ...(quick ? ['--quick'] : [])], cwd: root,
      env: { ...(p.env ?? {}), ...crashHook(p.name) } });
  }
  log(`${MODES[mode]}${quick ? ' (quick)' : ''}; participants: ${specs.map((s) => s.name).join(', ') || 'none'}`);
  const t0 = Date.now();
  const run = await runParticipants(specs, {
    mode, keyOrder, log, timeoutMs: (quick ? 10 : 30) * 60_000,
    stallMs: stallSeconds() * 1000,
  });
  const { results, turns } = run;
  skipped.push(...run.failed);

  // Assemble: workload → metric → participant → figure, and the ratios.
  const report = {
    tool: 'unroll bench', date: new Date().toISOString(), quick, budgets: budgets(quick), mode, method: MODES[mode],
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, openblasCore: openblasCore() ?? null, mode },
    ratioMeaning: 'times faster than the peer: unroll/peer for throughput, peer/unroll for latency (> 1 = unroll ahead)',
    ...(mode === 'interleaved' ? { pairedMeaning: 'median over i of the ratio of repeat i of unroll (its reported setting) to repeat i of the peer, taken in the same round of turns; gap = the largest distance in time between the starts of two paired repeat turns' } : {}),
    seconds: Math.round((Date.now() - t0) / 100) / 10,
    workloads: {}, skipped, notes: run.notes,
  };
  report.workloads = assembleWorkloads({ only, results, mode, turns });
  if (mode === 'interleaved') report.turns = turnLog(turns);
  return report;
}

const from = opt('--from');
const report = from ? JSON.parse(readFileSync(from, 'utf8')) : await runAll();
const skipped = report.skipped ?? [];
report.targets = checkTargets(report.workloads);

if (json) {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} else {
  const order = PARTICIPANTS.map((p) => p.name);
  const seen = new Set(Object.values(report.workloads).flatMap((e) => Object.values(e.metrics).flatMap((m) => Object.keys(m.figures))));
  const peers = order.filter((p) => seen.has(p));
  const fmt = (v, unit) => v == null ? '—' : unit === 'µs' ? (v < 10 ? v.toFixed(2) : v.toFixed(0)) : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
  const header = ['workload', 'metric', 'unit', ...peers, ...peers.filter((p) => p !== 'unroll').map((p) => `×${p}`)];
  const lines = [header];
  for (const [id, e] of Object.entries(report.workloads)) {
    for (const [metric, m] of Object.entries(e.metrics)) {
      lines.push([`${id} ${e.name}`, metric, m.unit, ...peers.map((p) => fmt(m.figures[p], m.unit)),
        ...peers.filter((p) => p !== 'unroll').map((p) => (m.ratios[p] == null ? '—' : m.ratios[p].toFixed(2)))]);
    }
  }
  const widths = header.map((_, c) => Math.max(...lines.map((l) => String(l[c]).length)));
  for (const [i, l] of lines.entries()) {
    console.log(l.map((s, c) => (c < 3 ? String(s).padEnd(widths[c]) : String(s).padStart(widths[c]))).join('  '));
    if (i === 0) console.log(widths.map((n) => '-'.repeat(n)).join('  '));
  }
  console.log(`\nratios ×peer: ${report.ratioMeaning}`);
  const notes = Object.entries(report.workloads).flatMap(([id, e]) => Object.entries(e.metrics).flatMap(([metric, m]) => Object.entries(m.notes).map(([p, n]) => `  ${id} ${metric} ${p}: ${n}`)));
  if (notes.length) console.log('notes:\n' + notes.join('\n'));
  const paired = Object.entries(report.workloads).flatMap(([id, e]) => Object.entries(e.metrics).flatMap(([metric, m]) => {
    const ps = Object.entries(m.pairedRatios ?? {});
    return ps.length ? [`  ${id} ${metric}: ${ps.map(([p, r]) => `×${p} ${r.toFixed(2)}${m.pairedGapS?.[p] != null ? ` (≤ ${m.pairedGapS[p]} s apart)` : ''}`).join(', ')}`] : [];
  }));
  if (paired.length) console.log('paired per-round ratios (median of repeat-i ratios):\n' + paired.join('\n'));
  const shown = report.targets.filter((t) => t.met !== null);
  if (shown.length) {
    console.log('targets of issue 4 (this run):');
    for (const t of shown) console.log(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.label}: ${t.value < 10 ? t.value.toFixed(2) : t.value.toFixed(1)}`);
  }
  for (const s of skipped) console.log(`skipped ${s.participant}: ${s.reason}`);
  for (const n of report.notes ?? []) console.log(`note: ${n}`);
  console.log(`${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}; medians of ${report.budgets.repeats} repeats after ${report.budgets.warmup} s warm-up${report.quick ? ' (quick)' : ''}`);
  console.log(`mode: ${report.method ?? 'sequential: one participant after another (older report; mode not recorded)'}${report.seconds ? `; ${report.seconds} s` : ''}`);
}
