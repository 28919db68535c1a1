/**
 * The panel forecaster killed with SIGKILL at random moments (seeded), resumed each time, on 1 and 2
 * threads in turn: the final model (members, Holt-Winters parameters, combination) and forecasts equal
 * an uninterrupted fit's bit for bit, and no temporary file is left behind. The training process is
 * kill-resume.test.child.ts (a small panel, so the whole test takes seconds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../util/rng.js';

const here = fileURLToPath(import.meta.url);
const CHILD = fileURLToPath(new URL(`./kill-resume.test.child${extname(here)}`, import.meta.url));
// Under tsx the loader flags are in execArgv; the test runner's own flags are not for the child.
const NODE_ARGS = process.execArgv.filter((a) => !a.startsWith('--test'));

function runToEnd(dir: string, threads: number): string {
  const r = spawnSync(process.execPath, [...NODE_ARGS, CHILD, dir, String(threads)], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(join(dir, 'result.json'), 'utf8');
}

/** Starts the child, waits for `epochs` lines (pieces saved), kills it with SIGKILL `delayMs` later; true if it was killed before finishing. */
function killAfter(dir: string, threads: number, epochs: number, delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, CHILD, dir, String(threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    let seen = 0;
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      seen += d.split('\n').filter((l) => l.startsWith('epoch')).length;
      if (seen >= epochs && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(true);
      else if (code === 0) resolve(false);
      else reject(new Error(`the training process failed (exit ${code}): ${err}`));
    });
  });
}

/** Epochs the child trains per member and pass (kill-resume.test.child.ts; patience as long, so no early stop). */
const EPOCHS = 15;

/** The saved progress in the folder: member-epochs done over both passes (a done member counts EPOCHS), and a description. */
function progressIn(dir: string): { epochs: number; text: string } {
  let epochs = 0;
  const text = readdirSync(dir).filter((n) => /^panel-p\d-m\d+\.json$/.test(n)).sort().map((n) => {
    const p = JSON.parse(readFileSync(join(dir, n), 'utf8')).progress;
    epochs += p.done ? EPOCHS : p.epoch;
    return `${n.slice(6, -5)}:${p.done ? 'done' : p.epoch}`;
  }).join(' ');
  return { epochs, text };
}

test('panel model killed with SIGKILL at 12 random moments, resumed each time on 1 or 2 threads: the uninterrupted model and forecasts', async () => {
  const reference = runToEnd(mkdtempSync(join(tmpdir(), 'unroll-panel-kill-ref-')), 1);
  const dir = mkdtempSync(join(tmpdir(), 'unroll-panel-kill-'));
  const rng = new Rng(2026);
  // Two members, two passes: 4·EPOCHS member-epochs in all (a piece saved after each). Kill i aims at a
  // random point of the i-th twelfth of them (counted from the saved progress), then a few ms later.
  const total = 4 * EPOCHS;
  let kills = 0;
  const states: string[] = [];
  for (let i = 0; i < 12; i++) {
    const target = Math.floor((i + rng.uniform(0.1, 0.9)) * (total - 4) / 12) + 1;
    if (await killAfter(dir, 1 + (i % 2), Math.max(1, target - progressIn(dir).epochs), rng.uniform(0, 5))) kills++;
    states.push(progressIn(dir).text);
  }
  assert.ok(kills >= 10, `only ${kills} of 12 runs were killed before they finished`);
  assert.ok(!existsSync(join(dir, 'result.json')), 'the fit finished before the kills were done; make it longer');
  const final = runToEnd(dir, 2);
  assert.equal(final, reference, 'the resumed model differs from the uninterrupted fit');
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.unroll-tmp-')), [], 'a temporary file was left behind');
  // The kills landed at different points of training, the second pass included.
  assert.ok(new Set(states).size >= 8, `saved progress after each kill: ${states.join(' | ')}`);
  assert.ok(states.some((s) => s.includes('p2-')), `no kill during the second pass: ${states.join(' | ')}`);
});
