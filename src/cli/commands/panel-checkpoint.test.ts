/**
 * `unroll train --series --checkpoint <dir> [--resume]` as a user runs it on the bundled quarterly
 * panel: the pieces in the folder, a resumed run (from a finished fit, and from one whose second member
 * never started, on another thread count) saving the same model file byte for byte, and the misuses as
 * one clear line. The kill-and-resume test of the fit itself is src/forecast/panel/kill-resume.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../../test-support/cli.js';

const PANEL = fileURLToPath(new URL('../../../data/quarterly_panel_4series.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-panel-ck-cli-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

const QUICK = ['--series', PANEL, '--members', '2', '--epochs', '2'];

test('train --series --checkpoint: a piece per member, and --resume saves the same model byte for byte', () => {
  const ck = join(dir, 'ck');
  const a = unroll(['train', ...QUICK, '--threads', '1', '--checkpoint', ck, '--out', join(dir, 'a.json'), '--quiet']);
  assert.equal(a.code, 0, a.err);
  const pieces = readdirSync(ck).filter((n) => n.startsWith('panel-'));
  assert.ok(pieces.includes('panel-p1-m1.json') && pieces.includes('panel-p1-m2.json'), pieces.join(', '));
  const reference = readFileSync(join(dir, 'a.json'), 'utf8');

  // Resumed from a finished fit: nothing left to train.
  const b = unroll(['train', ...QUICK, '--threads', '1', '--checkpoint', ck, '--resume', '--out', join(dir, 'b.json')]);
  assert.equal(b.code, 0, b.err);
  assert.match(b.err, /resuming from .*ck: .*2 members done/);
  assert.equal(readFileSync(join(dir, 'b.json'), 'utf8'), reference);

  // As if killed before the second member of each pass had saved anything, resumed on two threads.
  for (const n of pieces) if (n.endsWith('-m2.json')) unlinkSync(join(ck, n));
  const c = unroll(['train', ...QUICK, '--threads', '2', '--checkpoint', ck, '--resume', '--out', join(dir, 'c.json'), '--quiet']);
  assert.equal(c.code, 0, c.err);
  assert.match(c.err, /resuming from .*ck: .*1 member done/, 'a resume is said even with --quiet');
  assert.equal(readFileSync(join(dir, 'c.json'), 'utf8'), reference);
});

test('train --series --checkpoint: misuses are one clear line', () => {
  // The folder of the test above.
  const other = unroll(['train', ...QUICK, '--seed', '5', '--checkpoint', join(dir, 'ck'), '--resume', '--out', join(dir, 'e.json'), '--quiet']);
  assert.notEqual(other.code, 0);
  assert.match(other.err, /^unroll: error: checkpoint: it was saved by a different fit: setting seed is 1 in the checkpoint but 5 now; .*start afresh without resume\n$/);
  const noDir = unroll(['train', ...QUICK, '--resume', '--out', join(dir, 'f.json'), '--quiet']);
  assert.notEqual(noDir.code, 0);
  assert.match(noDir.err, /option --resume needs --checkpoint <dir>/);
});
