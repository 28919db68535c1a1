// Runs every compiled test file (dist/**/*.test.js), and the benchmark harness's own tests
// (bench/*.test.mjs, plain JavaScript outside dist/), with node's built-in test runner.
// Node 20's `--test` takes no globs, so the files are listed here.
// Usage: node scripts/test.mjs [substring ...]  — only files whose path contains a substring.
// Files run two or more at a time (one per core, at least two): node's default is one fewer than the cores,
// which on a 2-core machine runs them one by one while many wait on child processes, workers or the browser.
// Measured on this 2-core machine: the whole suite in 285-298 s two at a time against 400-455 s one by one.
import { availableParallelism } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../dist', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(root);
const benchDir = new URL('../bench', import.meta.url).pathname;
for (const name of readdirSync(benchDir)) if (name.endsWith('.test.mjs')) files.push(join(benchDir, name));
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s) || f.includes(s))).sort();
if (chosen.length === 0) {
  console.error(`no test files found under dist/ (filters: ${filters.join(', ') || 'none'}); run "npm run build" first`);
  process.exit(1);
}
// --test-concurrency exists from Node 20.10 on; older runtimes keep their default.
const [major, minor] = process.versions.node.split('.').map(Number);
const concurrency = major > 20 || (major === 20 && minor >= 10) ? [`--test-concurrency=${Math.max(2, availableParallelism())}`] : [];
const r = spawnSync(process.execPath, ['--test', ...concurrency, '--test-reporter=spec', ...chosen], { stdio: 'inherit' });
process.exit(r.status ?? 1);
