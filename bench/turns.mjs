// Runs benchmark participants as child processes, either one after another ('sequential') or all
// at once taking turns with a single token ('interleaved'); the participant side of the protocol
// is in bench/timing.mjs.
//
// Interleaved: the children are started one at a time, each holding the token while it starts
// (imports, first data) until it first writes {"turn":"want",…}; then the harness grants the token
// by writing `go` to one waiting child's stdin, and takes it back when the child writes
// {"turn":"done"} or exits. A grant waits until every live child is waiting (none is between
// turns), then goes to the children whose `key` comes first in `keyOrder` (so everyone works on
// the same measurement, e.g. W1/train, at the same time) and, among those, whose step (`what`:
// setup, warm-up, repeat 1, repeat 2, …, teardown) comes first; round-robin among them. So all
// set-ups run, then all warm-ups, then repeat 1 of each participant, then repeat 2 of each, …:
// repeat i of one participant sits next to repeat i of the others. A child that exits releases the token and
// is reported as failed when its exit code is not 0; a child that spends more than `stallMs`
// between turns (or starting) is no longer waited for; a child whose own time (everything except
// waiting for the token) passes `timeoutMs` is killed.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * @param {{ name: string, cmd: string, args: string[], env?: Record<string,string>, cwd?: string }[]} specs
 * @param {{ mode: 'interleaved'|'sequential', keyOrder?: string[], timeoutMs: number, stallMs?: number, log?: (s: string) => void }} opts
 * @returns {Promise<{ results: object[], failed: { participant: string, reason: string }[], turns: { participant: string, key: string|null, what: string|null, start: number, end: number, ended: string }[], notes: string[] }>}
 *   turn times are seconds since the run started.
 */
/** The last informative lines of a child's stderr (stack frames and Node's version banner left out). */
export function errorTail(stderr, n = 3) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^at /.test(l) && !/^Node\.js v/.test(l) && l !== '^');
  return lines.slice(-n).join(' | ');
}

export async function runParticipants(specs, opts) {
  const { mode, keyOrder = [], timeoutMs, stallMs = 120_000, log = () => {} } = opts;
  if (mode !== 'interleaved' && mode !== 'sequential') throw new Error(`runParticipants: option "mode" must be 'interleaved' or 'sequential', got ${JSON.stringify(mode)}`);
  const t0 = performance.now();
  const now = () => performance.now();
  const sec = (t) => Math.round((t - t0)) / 1000;
  const results = [];
  const failed = [];
  const turns = [];
  const notes = [];
  const children = [];
  let scheduling = false; // interleaved: grants start once every child has started
  let last = -1; // index of the child granted last (round-robin)
  let lastKey;
  let onChange = () => {};

  // Where a waiting child is: its measurement's place in keyOrder, then its step within that
  // measurement (set-up, warm-up, repeat 1, 2, …, teardown). null = not known (never held back).
  const keyRank = (c) => { const i = keyOrder.indexOf(c.key); return i < 0 ? null : i; };
  const stepRank = (c) => {
    if (c.what === 'setup') return 0;
    if (c.what === 'warm-up') return 1;
    if (c.what === 'teardown') return 1e9;
    const m = /^repeat (\d+)$/.exec(c.what ?? '');
    return m ? 1 + Number(m[1]) : null;
  };

  function endTurn(c, how) {
    const t = c.turn;
    if (!t) return;
    t.end = sec(now());
    t.ended = how;
    c.turn = null;
  }

  function schedule() {
    if (!scheduling) return;
    const live = children.filter((c) => c.state !== 'exited');
    if (live.some((c) => c.state === 'holding' || c.state === 'starting')) return;
    if (live.some((c) => c.state === 'busy' && !c.stalled)) return; // wait for its next "want"
    const waiting = live.filter((c) => c.state === 'waiting');
    if (!waiting.length) return;
    // Hold back whoever is ahead: only the children at the earliest measurement, and among them
    // at the earliest step, may go; round-robin among those.
    const minOf = (xs) => { const k = xs.filter((r) => r !== null); return k.length ? Math.min(...k) : null; };
    const minKey = minOf(waiting.map(keyRank));
    const minStep = minOf(waiting.filter((c) => keyRank(c) === minKey).map(stepRank));
    const eligible = (c) => {
      const k = keyRank(c);
      if (k === null) return true;
      if (k !== minKey) return false;
      const st = stepRank(c);
      return st === null || st === minStep;
    };
    for (let k = 1; k <= children.length; k++) {
      const i = (last + k) % children.length;
      const c = children[i];
      if (c.state !== 'waiting' || !eligible(c)) continue;
      last = i;
      grant(c);
      return;
    }
  }

  function grant(c) {
    const t = now();
    c.waitedMs += t - c.waitStart;
    c.state = 'holding';
    c.turn = { participant: c.spec.name, key: c.key, what: c.what, start: sec(t), end: null, ended: null };
    turns.push(c.turn);
    if (c.key !== lastKey) { lastKey = c.key; if (c.key) log(`  … ${c.key}`); }
    c.proc.stdin.write('go\n');
  }

  function onLine(c, line) {
    if (!line.startsWith('{')) return;
    let msg;
    try { msg = JSON.parse(line); } catch { return; }
    if (msg.turn === 'want') {
      if (c.state === 'holding') endTurn(c, 'want'); // a "want" without "done": the turn is over anyway
      if (c.state === 'exited') return;
      c.state = 'waiting';
      c.key = typeof msg.key === 'string' ? msg.key : null;
      c.what = typeof msg.what === 'string' ? msg.what : null;
      c.waitStart = now();
      if (c.stalled) { notes.push(`${c.spec.name} asked for a turn again after stalling`); c.stalled = false; }
      onChange();
      schedule();
    } else if (msg.turn === 'done') {
      if (c.state !== 'holding') return;
      endTurn(c, 'done');
      c.state = 'busy';
      c.busySince = now();
      schedule();
    } else if (typeof msg.participant === 'string') {
      results.push(msg);
    }
  }

  function start(spec, turnsOn) {
    const env = { ...process.env, ...(spec.env ?? {}) };
    if (turnsOn) env.UNROLL_BENCH_TURNS = '1';
    else delete env.UNROLL_BENCH_TURNS;
    const c = {
      spec, state: 'starting', key: null, what: null, turn: null, spawnAt: now(), waitStart: 0, waitedMs: 0,
      busySince: now(), stalled: false, killed: null, stderr: '', exit: null,
    };
    children.push(c);
    let out = '';
    let proc;
    try {
      proc = spawn(spec.cmd, spec.args, { cwd: spec.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      finish(c, null, null, e.message);
      return c;
    }
    c.proc = proc;
    proc.stdin.on('error', () => {}); // EPIPE when the child is gone: its exit is handled below
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (s) => {
      out += s;
      for (let i; (i = out.indexOf('\n')) >= 0;) { const line = out.slice(0, i).trim(); out = out.slice(i + 1); onLine(c, line); }
    });
    proc.stderr.on('data', (s) => { c.stderr = (c.stderr + s).slice(-8192); });
    proc.on('error', (e) => finish(c, null, null, e.message));
    proc.on('close', (code, signal) => { if (out.trim()) onLine(c, out.trim()); finish(c, code, signal, null); });
    return c;
  }

  function finish(c, code, signal, error) {
    if (c.state === 'exited') return;
    if (c.state === 'holding') endTurn(c, 'exit');
    c.state = 'exited';
    c.exit = { code, signal };
    if (error || code !== 0 || c.killed) {
      const tail = errorTail(c.stderr);
      const why = error ? `could not start: ${error}` : c.killed ?? `exited with ${code ?? signal}`;
      failed.push({ participant: c.spec.name, reason: `${why}${tail ? `: ${tail}` : ''}` });
      log(`  ${c.spec.name} failed: ${why}${tail ? `: ${tail}` : ''}`);
    }
    onChange();
    schedule();
  }

  function kill(c, why) {
    if (c.killed || c.state === 'exited') return;
    c.killed = why;
    log(`  ${c.spec.name}: ${why}`);
    c.proc?.kill('SIGTERM');
    setTimeout(() => { if (c.state !== 'exited') c.proc?.kill('SIGKILL'); }, 5000).unref();
  }

  const watchdog = setInterval(() => {
    const t = now();
    for (const c of children) {
      if (c.state === 'exited') continue;
      const own = t - c.spawnAt - c.waitedMs - (c.state === 'waiting' ? t - c.waitStart : 0);
      if (own > timeoutMs) kill(c, `timed out after ${Math.round(timeoutMs / 1000)} s of its own time`);
      if (mode !== 'interleaved' || c.stalled) continue;
      const since = c.state === 'starting' ? c.spawnAt : c.state === 'busy' ? c.busySince : null;
      if (since !== null && t - since > stallMs) {
        c.stalled = true;
        const what = c.state === 'starting' ? 'starting' : 'between turns';
        notes.push(`${c.spec.name} spent more than ${Math.round(stallMs / 1000)} s ${what}; the others went on without waiting for it`);
        log(`  ${c.spec.name}: more than ${Math.round(stallMs / 1000)} s ${what}; not waiting for it any more`);
        if (c.state === 'starting') c.state = 'busy';
        onChange();
        schedule();
      }
    }
  }, 100);

  const until = (done) => new Promise((resolve) => {
    onChange = () => { if (done()) { onChange = () => {}; resolve(); } };
    onChange();
  });

  try {
    for (const spec of specs) {
      log(mode === 'interleaved' ? `starting ${spec.name} …` : `running ${spec.name} …`);
      const c = start(spec, mode === 'interleaved');
      // Sequential: until it exits. Interleaved: until it is ready (its first "want"), exits or stalls.
      await until(() => c.state === 'exited' || (mode === 'interleaved' && c.state !== 'starting'));
    }
    scheduling = true;
    schedule();
    await until(() => children.every((c) => c.state === 'exited'));
  } finally {
    clearInterval(watchdog);
  }
  return { results, failed, turns, notes };
}
