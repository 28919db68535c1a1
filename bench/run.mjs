#!/usr/bin/env node
// Benchmark harness of issue 4: unroll against TensorFlow.js (cpu, wasm), brain.js and PyTorch,
// measured side by side in one run, each participant in its own process, one after another.
//
//   node bench/run.mjs [--json] [--only W1,W4] [--quick] [--peers unroll,pytorch,…]
//   node bench/run.mjs --from report.json      (prints the table of a saved --json report)
//
// Prints a table of figures and ratios. A ratio is how many times faster unroll is than the
// peer: unroll / peer for throughputs (samples/s, tokens/s), peer / unroll for latency (µs),
// so > 1 always means unroll is ahead. With --json, prints one JSON object instead.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS, METRICS, budgets } from './workloads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const only = (opt('--only') ?? 'W1,W2,W3,W4').split(',').map((s) => s.trim().toUpperCase());
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
  { name: 'unroll', supports: ['W1', 'W2', 'W3', 'W4'], cmd: process.execPath, args: [...relaxedFlag(), '--import', 'tsx', join(here, 'peers/unroll.mjs')] },
  { name: 'pytorch', supports: ['W1', 'W2', 'W3', 'W4'], cmd: python, args: [join(here, 'torch_bench.py')],
    env: { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', ...(openblasCore() ? { OPENBLAS_CORETYPE: openblasCore() } : {}) },
    available: () => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 ? null : `${python} -c 'import torch' failed (apt-get install python3-torch)` },
  { name: 'tfjs-wasm', supports: ['W1', 'W2', 'W3', 'W4'], cmd: process.execPath, args: [join(here, 'peers/tfjs.mjs'), 'wasm'] },
  { name: 'tfjs-cpu', supports: ['W1', 'W2', 'W3', 'W4'], cmd: process.execPath, args: [join(here, 'peers/tfjs.mjs'), 'cpu'] },
  { name: 'brain.js', supports: ['W1', 'W2', 'W4'], cmd: process.execPath, args: [join(here, 'peers/brain.mjs')] },
];
function runAll() {
  const wanted = opt('--peers')?.split(',');
  const chosen = PARTICIPANTS.filter((p) => !wanted || wanted.includes(p.name));

  const results = []; // { participant, workload, metric, value, note? }
  const skipped = [];
  for (const p of chosen) {
    const ws = p.supports.filter((w) => only.includes(w));
    if (ws.length === 0) continue;
    const why = p.available?.();
    if (why) { skipped.push({ participant: p.name, reason: why }); log(`skip ${p.name}: ${why}`); continue; }
    log(`running ${p.name} on ${ws.join(',')}${quick ? ' (quick)' : ''} …`);
    const r = spawnSync(p.cmd, [...p.args, '--workloads', ws.join(','), ...(quick ? ['--quick'] : [])], {
      cwd: root, env: { ...process.env, ...(p.env ?? {}) }, encoding: 'utf8', maxBuffer: 64 << 20, timeout: (quick ? 10 : 30) * 60_000,
    });
    for (const line of (r.stdout ?? '').split('\n')) {
      if (!line.startsWith('{')) continue;
      try { results.push(JSON.parse(line)); } catch { /* not a result line */ }
    }
    if (r.status !== 0) {
      const tail = (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
      skipped.push({ participant: p.name, reason: `exited with ${r.status ?? r.signal}: ${tail}` });
      log(`  ${p.name} failed: ${tail}`);
    }
  }

  // Assemble: workload → metric → participant → figure, and the ratios.
  const report = {
    tool: 'unroll bench', date: new Date().toISOString(), quick, budgets: budgets(quick),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, openblasCore: openblasCore() ?? null },
    ratioMeaning: 'times faster than the peer: unroll/peer for throughput, peer/unroll for latency (> 1 = unroll ahead)',
    workloads: {}, skipped,
  };
  for (const id of only) {
    const w = WORKLOADS[id];
    const entry = { name: w.name, metrics: {} };
    for (const [metric, unit] of Object.entries(METRICS[id])) {
      const rows = results.filter((r) => r.workload === id && r.metric === metric);
      const figures = {}, notes = {}, ratios = {};
      for (const r of rows) { figures[r.participant] = r.value; if (r.note) notes[r.participant] = r.note; }
      const u = figures.unroll;
      for (const [peer, v] of Object.entries(figures)) {
        if (peer === 'unroll' || u == null || v == null) continue;
        ratios[peer] = metric === 'latency' ? v / u : u / v;
      }
      entry.metrics[metric] = { unit, higherIsBetter: metric !== 'latency', figures, ratios, notes };
    }
    report.workloads[id] = entry;
  }
  return report;
}

const from = opt('--from');
const report = from ? JSON.parse(readFileSync(from, 'utf8')) : runAll();
const skipped = report.skipped ?? [];

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
  for (const s of skipped) console.log(`skipped ${s.participant}: ${s.reason}`);
  console.log(`${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}; medians of ${report.budgets.repeats} repeats after ${report.budgets.warmup} s warm-up${report.quick ? ' (quick)' : ''}`);
}
