/**
 * scripts/build.mjs (`npm run build`) never empties dist/: it writes each output through a temporary
 * file and a rename, leaves unchanged files alone, and afterwards removes only what the build did not
 * produce. These tests run its two parts on a temporary directory (the whole build is too slow for a
 * test; its output against a clean `tsc` build was compared by hand, see the script's header).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root: this file runs from src/ (tsx) or dist/ (npm test), one level down either way. */
const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface BuildScript {
  prune(dir: string, keep: Set<string>, now?: number): number;
  writeAtomic(file: string, data: string): void;
}
const load = async (): Promise<BuildScript> => (await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href)) as BuildScript;

test('prune removes only files outside the kept set, then the directories left empty; a young .tmp file stays', async () => {
  const { prune } = await load();
  const dir = mkdtempSync(join(tmpdir(), 'unroll-prune-'));
  try {
    const keepA = join(dir, 'a.js');
    const keepB = join(dir, 'sub', 'b.js');
    const stale = join(dir, 'sub', 'old.js');
    const staleDeep = join(dir, 'gone', 'deeper', 'x.test.js');
    const youngTmp = join(dir, 'sub', 'b.js.123.tmp');
    const oldTmp = join(dir, 'a.js.456.tmp');
    for (const f of [keepA, keepB, stale, staleDeep, youngTmp, oldTmp]) {
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, f);
    }
    const now = Date.now();
    const hourAgo = (now - 3600_000) / 1000;
    utimesSync(oldTmp, hourAgo, hourAgo);
    const removed = prune(dir, new Set([keepA, keepB]), now);
    assert.equal(removed, 3);
    assert.ok(existsSync(keepA) && existsSync(keepB) && existsSync(youngTmp));
    assert.ok(!existsSync(stale) && !existsSync(oldTmp));
    assert.ok(!existsSync(join(dir, 'gone')), 'the emptied directory tree is removed');
    assert.deepEqual(readdirSync(dir).sort(), ['a.js', 'sub']);
    assert.equal(prune(join(dir, 'missing'), new Set()), 0, 'a missing dist/ is no error');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeAtomic replaces a changed file by a rename (a new inode, no temporary left) and leaves an unchanged one untouched', async () => {
  const { writeAtomic } = await load();
  const dir = mkdtempSync(join(tmpdir(), 'unroll-write-'));
  try {
    const file = join(dir, 'deep', 'm.js');
    writeAtomic(file, 'one');
    assert.equal(readFileSync(file, 'utf8'), 'one');
    const first = statSync(file);
    writeAtomic(file, 'one');
    const same = statSync(file);
    assert.equal(same.ino, first.ino);
    assert.equal(same.mtimeMs, first.mtimeMs);
    writeAtomic(file, 'two');
    assert.equal(readFileSync(file, 'utf8'), 'two');
    assert.notEqual(statSync(file).ino, first.ino, 'a changed file is a new file renamed into place, not rewritten in place');
    assert.deepEqual(readdirSync(join(dir, 'deep')), ['m.js']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
