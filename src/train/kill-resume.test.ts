/**
 * Kill -9 at random moments (seeded), resume, repeat: the final weights equal an uninterrupted
 * run's bit for bit, and no temporary file is left behind. The training process is
 * src/train/kill-resume.test.child.ts (a tiny model, so the whole test takes seconds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../util/rng.js';

const here = fileURLToPath(import.meta.url);
const CHILD = fileURLToPath(new URL(`./kill-resume.test.child${extname(here)}`, import.meta.url));
// Under tsx the loader flags are in execArgv; the test runner's own flags are not for the child.
const NODE_ARGS = process.execArgv.filter((a) => !a.startsWith('--test'));

function runToEnd(dir: string): string {
  const r = spawnSync(process.execPath, [...NODE_ARGS, CHILD, dir], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(join(dir, 'weights.json'), 'utf8');
}

/**
 * Starts the child, waits until it has finished `epochs` epochs, kills it with SIGKILL `delayMs`
 * later (mid-epoch or mid-write); true if it was killed before finishing.
 */
function killAfter(dir: string, epochs: number, delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
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

test('killed with SIGKILL at 12 random moments and resumed each time, training ends with the uninterrupted weights', async () => {
  const reference = runToEnd(mkdtempSync(join(tmpdir(), 'unroll-kill-ref-')));
  const dir = mkdtempSync(join(tmpdir(), 'unroll-kill-'));
  const rng = new Rng(2024);
  let kills = 0;
  const epochsSeen: number[] = [];
  for (let i = 0; i < 12; i++) {
    if (await killAfter(dir, 1 + rng.int(20), rng.uniform(0, 6))) kills++;
    const ck = join(dir, 'checkpoint.json');
    if (existsSync(ck)) epochsSeen.push(JSON.parse(readFileSync(ck, 'utf8')).epoch);
  }
  assert.ok(kills >= 10, `only ${kills} of 12 runs were killed before they finished`);
  assert.ok(!existsSync(join(dir, 'weights.json')), 'the run finished before the kills were done; make it longer');
  const final = runToEnd(dir);
  assert.equal(final, reference, 'the resumed weights differ from the uninterrupted run');
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.unroll-tmp-')), [], 'a temporary file was left behind');
  // The kills landed at different points of training (not all before the first checkpoint).
  assert.ok(new Set(epochsSeen).size >= 3, `checkpoints seen at epochs ${epochsSeen.join(', ')}`);
});
