// Tests of the benchmark harness's turn-taking (bench/turns.mjs + the participant side in
// bench/timing.mjs), with the fake participants of bench/testing/ (no PyTorch, no tfjs).
// Run: node --test bench/harness.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runParticipants } from './turns.mjs';
import { assembleWorkloads } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fake = join(here, 'testing/fake-participant.mjs');
const KEYS = ['W1/train', 'W1/infer', 'W2/train'];
const spec = (name, args = [], env = {}) => ({ name, cmd: process.execPath, args: [fake, '--name', name, ...args, '--keys', KEYS.join(',')], env }); // the first --keys wins
const run = (specs, extra = {}) => runParticipants(specs, { mode: 'interleaved', keyOrder: KEYS, timeoutMs: 20_000, stallMs: 10_000, ...extra });

/** Every [start, end] work interval the participants recorded themselves, tagged with the participant. */
const intervalsOf = (results) => results.flatMap((r) => r.intervals.map(([a, b]) => ({ p: r.participant, a, b })));

function assertNoOverlap(results) {
  const iv = intervalsOf(results).sort((x, y) => x.a - y.a);
  assert.ok(iv.length > 0);
  for (let i = 1; i < iv.length; i++) {
    // Different participants never work at the same time (same-process pieces are sequential anyway).
    if (iv[i].p !== iv[i - 1].p) assert.ok(iv[i].a >= iv[i - 1].b, `${iv[i - 1].p} [${iv[i - 1].a}, ${iv[i - 1].b}] overlaps ${iv[i].p} [${iv[i].a}, ${iv[i].b}]`);
  }
  // The sweep above compares neighbours only; a long interval could hide behind a short one.
  for (let i = 0; i < iv.length; i++) for (let j = i + 1; j < iv.length && iv[j].a < iv[i].b; j++) {
    assert.equal(iv[j].p, iv[i].p, `${iv[i].p} and ${iv[j].p} worked at the same time`);
  }
}

test('interleaved: no two participants work at once; all take each step of a measurement together, round by round', async () => {
  // Unlike participants: A has two set-up turns per measurement, B five repeats instead of three,
  // D skips W1/train (as brain.js skips W3).
  const r = await run([spec('A', ['--setups', '2']), spec('B', ['--repeats', '5']), spec('C'), spec('D', ['--keys', 'W1/infer,W2/train'])]);
  assert.deepEqual(r.failed, []);
  assert.equal(r.results.length, 11);
  assertNoOverlap(r.results);
  // Turns never overlap in the harness's log either, and none was left open.
  for (let i = 1; i < r.turns.length; i++) assert.ok(r.turns[i].start >= r.turns[i - 1].end);
  assert.ok(r.turns.every((t) => t.ended === 'done'));
  // Measurements go in keyOrder's order: nobody starts W1/infer before everyone finished W1/train.
  const keys = r.turns.map((t) => t.key);
  assert.deepEqual(keys, [...keys].sort((x, y) => KEYS.indexOf(x) - KEYS.indexOf(y)));
  for (const key of KEYS) {
    // Within a measurement the turns come in groups of one step each (set-up, warm-up, repeat 1, …),
    // and each group holds exactly the participants that have that step.
    const seq = r.turns.filter((t) => t.key === key);
    const groups = [];
    for (const t of seq) {
      if (groups.at(-1)?.what !== t.what) groups.push({ what: t.what, who: [] });
      groups.at(-1).who.push(t.participant);
    }
    const show = seq.map((t) => `${t.what}:${t.participant}`).join(' ');
    assert.deepEqual(groups.map((g) => g.what), ['setup', 'warm-up', 'repeat 1', 'repeat 2', 'repeat 3', 'repeat 4', 'repeat 5'], show);
    const all = key === 'W1/train' ? ['A', 'B', 'C'] : ['A', 'B', 'C', 'D'];
    assert.deepEqual(groups[0].who.sort(), ['A', ...all].sort(), show);
    for (const g of groups.slice(1, 5)) assert.deepEqual(g.who.sort(), all, show);
    for (const g of groups.slice(5)) assert.deepEqual(g.who, ['B'], show);
  }
});

test('interleaved: a participant that crashes while holding the token releases it; the others finish', async () => {
  const r = await run([spec('A'), spec('B', [], { UNROLL_BENCH_CRASH_TURN: '4' }), spec('C')]);
  assert.equal(r.failed.length, 1);
  assert.equal(r.failed[0].participant, 'B');
  assert.match(r.failed[0].reason, /exited with 70/);
  const crashed = r.turns.filter((t) => t.participant === 'B');
  assert.equal(crashed.length, 4);
  assert.equal(crashed[3].ended, 'exit');
  // Someone else got the token after B's crash, and A and C measured everything.
  assert.ok(r.turns.some((t) => t.participant !== 'B' && t.start >= crashed[3].end));
  for (const p of ['A', 'C']) assert.equal(r.results.filter((x) => x.participant === p).length, KEYS.length);
  assertNoOverlap(r.results);
});

// A hang would show as this test's timeout (node:test fails it), not as a wall-clock assertion.
test('interleaved: no hang when a participant stalls between turns or fails; it is reported, the others finish', { timeout: 120_000 }, async () => {
  const r = await run([spec('A'), spec('B', ['--stall-after', '1']), spec('C', ['--fail-after', '1']), { name: 'D', cmd: join(here, 'testing/no-such-program') }],
    // 8 s of own time: enough for A's turns on a loaded 2-core machine (3 s failed there), small enough for B's stall to hit it.
    { timeoutMs: 8000, stallMs: 800 });
  const failed = Object.fromEntries(r.failed.map((f) => [f.participant, f.reason]));
  assert.deepEqual(Object.keys(failed).sort(), ['B', 'C', 'D']);
  assert.match(failed.B, /timed out after 8 s of its own time/);
  assert.match(failed.C, /failing on purpose/);
  assert.match(failed.D, /could not start/);
  assert.ok(r.notes.some((n) => /^B spent more than 1 s between turns/.test(n)), r.notes.join('; '));
  assert.equal(r.results.filter((x) => x.participant === 'A').length, KEYS.length);
  assert.equal(r.results.filter((x) => x.participant === 'B').length, 1);
});

test('sequential: participants run one after another, without turns', async () => {
  const r = await runParticipants([spec('A'), spec('B')], { mode: 'sequential', timeoutMs: 20_000 });
  assert.deepEqual(r.failed, []);
  assert.equal(r.turns.length, 0);
  const iv = intervalsOf(r.results);
  const lastA = Math.max(...iv.filter((x) => x.p === 'A').map((x) => x.b));
  const firstB = Math.min(...iv.filter((x) => x.p === 'B').map((x) => x.a));
  assert.ok(firstB > lastA);
});

test('a participant runs standalone without the harness (no turns, stdin unused)', () => {
  const env = { ...process.env };
  delete env.UNROLL_BENCH_TURNS;
  const r = spawnSync(process.execPath, [fake, '--name', 'solo', '--keys', 'W1/train'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.participant, l.workload, l.metric]), [['solo', 'W1', 'train']]);
  assert.ok(lines.every((l) => l.turn === undefined));
});

test('a participant whose harness goes away while it waits for a turn exits with an error', () => {
  const r = spawnSync(process.execPath, [fake, '--name', 'orphan'], { env: { ...process.env, UNROLL_BENCH_TURNS: '1' }, input: '', encoding: 'utf8', timeout: 10_000 });
  assert.notEqual(r.status, 0);
  assert.equal(r.signal, null);
  assert.match(r.stderr, /expected "go" from the harness, got end of input/);
  assert.match(r.stdout, /"turn":"want"/);
});

test('paired ratios: median of repeat-i ratios, the gap from the turn log', () => {
  const turns = [];
  const add = (participant, key, what, start) => turns.push({ participant, key, what, start });
  for (let i = 1; i <= 3; i++) { add('unroll', 'W1/train', `repeat ${i}`, 10 * i); add('pytorch', 'W1/train', `repeat ${i}`, 10 * i + i); }
  const results = [
    { participant: 'unroll', workload: 'W1', metric: 'train', value: 20, repeats: [10, 20, 30] },
    { participant: 'pytorch', workload: 'W1', metric: 'train', value: 5, repeats: [5, 5, 10] },
    { participant: 'unroll', workload: 'W4', metric: 'latency', value: 2, repeats: [1, 2, 4] },
    { participant: 'brain.js', workload: 'W4', metric: 'latency', value: 4, repeats: [4, 2, 4] },
  ];
  const w = assembleWorkloads({ only: ['W1', 'W4'], results, mode: 'interleaved', turns });
  // Throughput: unroll/peer per round = 2, 4, 3 → median 3 (the headline median/median is 20/5 = 4).
  assert.equal(w.W1.metrics.train.ratios.pytorch, 4);
  assert.equal(w.W1.metrics.train.pairedRatios.pytorch, 3);
  assert.equal(w.W1.metrics.train.pairedGapS.pytorch, 3); // starts 30 and 33
  // Latency: peer/unroll per round = 4, 1, 1 → median 1 (headline 4/2 = 2); no turns logged → no gap.
  assert.equal(w.W4.metrics.latency.ratios['brain.js'], 2);
  assert.equal(w.W4.metrics.latency.pairedRatios['brain.js'], 1);
  assert.deepEqual(w.W4.metrics.latency.pairedGapS, {});
  // Sequential runs have no paired ratios (their repeats are not side by side).
  const s = assembleWorkloads({ only: ['W1'], results, mode: 'sequential' });
  assert.equal(s.W1.metrics.train.pairedRatios, undefined);
});

test('run.mjs --from prints an older (sequential, unmarked) report and a new one with its mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-bench-'));
  const old = {
    tool: 'unroll bench', date: '2024-01-01T00:00:00.000Z', quick: true, budgets: { warmup: 0.6, seconds: 0.5, repeats: 3 },
    machine: { cpu: 'Test CPU', cores: 2, node: 'v20.0.0', openblasCore: null },
    ratioMeaning: 'times faster than the peer',
    workloads: { W4: { name: 'tiny-latency', metrics: { latency: { unit: 'µs', higherIsBetter: false, figures: { unroll: 0.5, 'brain.js': 1.5 }, ratios: { 'brain.js': 3 }, notes: {} } } } },
    skipped: [],
  };
  writeFileSync(join(dir, 'old.json'), JSON.stringify(old));
  const a = spawnSync(process.execPath, [join(here, 'run.mjs'), '--from', join(dir, 'old.json')], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /W4 tiny-latency\s+latency\s+µs\s+0\.50\s+1\.50\s+3\.00/);
  assert.match(a.stdout, /mode: sequential/);
  const neu = { ...old, mode: 'interleaved', method: 'interleaved: participants took turns per repeat', notes: ['a note'] };
  neu.workloads = structuredClone(old.workloads);
  Object.assign(neu.workloads.W4.metrics.latency, { pairedRatios: { 'brain.js': 2.5 }, pairedGapS: { 'brain.js': 1.2 } });
  writeFileSync(join(dir, 'new.json'), JSON.stringify(neu));
  const b = spawnSync(process.execPath, [join(here, 'run.mjs'), '--from', join(dir, 'new.json')], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /mode: interleaved: participants took turns per repeat/);
  assert.match(b.stdout, /W4 latency: ×brain\.js 2\.50 \(≤ 1\.2 s apart\)/);
  assert.match(b.stdout, /note: a note/);
});

test('checkTargets reads the issue-4 targets off a report: met, not met, not measured', async () => {
  const { checkTargets } = await import('./workloads.mjs');
  const workloads = {
    W1: { metrics: { train: { unit: 'samples/s', figures: { unroll: 10, pytorch: 8 }, ratios: { pytorch: 1.25, 'tfjs-wasm': 9.5 } } } },
    W4: { metrics: { latency: { unit: 'µs', figures: { unroll: 0.7 }, ratios: { 'brain.js': 3 } } } },
  };
  const byLabel = Object.fromEntries(checkTargets(workloads).map((t) => [t.label, t]));
  assert.equal(byLabel['W1 train ≥ 1× pytorch'].met, true);
  assert.equal(byLabel['W1 train ≥ 10× tfjs-wasm'].met, false);
  assert.equal(byLabel['W3 train ≥ 1× pytorch'].met, null);
  assert.equal(byLabel['W4 latency ≤ 0.5 µs'].met, false);
  assert.equal(byLabel['W4 latency ≤ 0.5 µs'].value, 0.7);
  assert.equal(byLabel['W4 latency ≥ 2× brain.js'].met, true);
});
