/**
 * What a user gets from the registry: `npm pack` the repository, install the tarball into an empty
 * temporary project offline (the package itself from the tarball alone; its few runtime
 * dependencies from this checkout's node_modules through file: links, never from the network), then
 * run the `unroll` command there, import the main entry and the `node` entry by the package's name,
 * and type-check a file that uses the types.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };

function run(cmd: string, args: string[], cwd: string): { code: number; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120000, env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('the packed tarball installs offline into an empty project; the CLI runs, both entries import, the types check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-pack-'));
  // --ignore-scripts: the build already ran (npm test builds first); prepare would rebuild.
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
  assert.equal(packed.code, 0, packed.err);
  const info = JSON.parse(packed.out)[0] as { filename: string; files: { path: string }[] };
  const files = info.files.map((f) => f.path);
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/node.d.ts', 'dist/cli/main.js', 'data/sp500_daily_ohlcv_2000_2020.csv', 'README.md', 'LICENSE']) assert.ok(files.includes(f), `${f} is not in the package`);
  // Test files and their helpers (the kill-and-resume training process, *.test.child.js; the tools in
  // src/test-support/) stay out.
  const testFiles = files.filter((f) => /\.test\.|checkpoint-child|test-support\//.test(f));
  assert.deepEqual(testFiles, [], 'test files were packed');

  // The user's empty project depends on the tarball. The tarball's own dependencies (and, for the
  // type check, @types/node) come from this checkout's node_modules as file: links, so npm resolves
  // everything offline and fetches nothing.
  const app = join(dir, 'app');
  mkdirSync(app);
  const deps: Record<string, string> = { [pkg.name]: `file:${join(dir, info.filename)}` };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  const runtime = Object.entries(lock.packages).filter(([p, e]) => p.startsWith('node_modules/') && !p.slice(13).includes('node_modules/') && !e.dev && !e.devOptional).map(([p]) => p.slice(13));
  for (const name of [...runtime, '@types/node', 'undici-types']) {
    const p = join(ROOT, 'node_modules', name);
    if (existsSync(p)) deps[name] = `file:${p}`;
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module', dependencies: deps }));
  const installed = run('npm', ['install', '--offline', '--ignore-scripts'], app);
  assert.equal(installed.code, 0, installed.err);
  const home = join(app, 'node_modules', pkg.name);
  assert.ok(existsSync(join(home, 'dist', 'index.js')), `the tarball did not install into node_modules/${pkg.name}`);
  // No shipped module imports a dev dependency such as the typescript compiler (the user does not have it).
  const dev = Object.keys(pkg.devDependencies);
  for (const f of files.filter((p) => p.endsWith('.js') || p.endsWith('.mjs'))) {
    const text = readFileSync(join(home, f), 'utf8');
    for (const d of dev) assert.ok(!new RegExp(`(?:from |import\\(|require\\()\\s*['"]${d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:/[^'"]*)?['"]`).test(text), `${f} imports the dev dependency ${d}`);
  }

  // The command, under its own name.
  const bins = readdirSync(join(app, 'node_modules', '.bin'));
  assert.ok(bins.includes('unroll'), `node_modules/.bin has ${bins.join(', ')}`);
  const help = run(join(app, 'node_modules', '.bin', 'unroll'), ['--help'], app);
  assert.equal(help.code, 0, help.err);
  assert.match(help.out, /^Usage: unroll /);
  const version = run(join(app, 'node_modules', '.bin', 'unroll'), ['--version'], app);
  assert.equal(version.out.trim(), pkg.version);

  // Both entries, by the package's name, as a user imports them.
  writeFileSync(join(app, 'use.mjs'), `
    import * as main from '${pkg.name}';
    import * as node from '${pkg.name}/node';
    const f = main.parseCsvFrame('date,v\\n2020-01-01,1\\n2020-02-01,2\\n', { source: 'x.csv' });
    console.log(JSON.stringify({ lstm: typeof main.LSTM, forecaster: typeof main.Forecaster, read: typeof node.readCsvFrame, freq: main.inferFrequency(f.dates) }));`);
  const used = run(process.execPath, ['use.mjs'], app);
  assert.equal(used.code, 0, used.err);
  assert.deepEqual(JSON.parse(used.out), { lstm: 'function', forecaster: 'function', read: 'function', freq: 'monthly' });

  // The types: a file using both entries type-checks against the installed declarations, and a
  // wrong use is an error (@ts-expect-error fails the check if it is not), so the check can fail.
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['use.ts'] }));
  writeFileSync(join(app, 'use.ts'), `
    import { LSTM, Forecaster, type ForecasterOptions, type Frequency } from '${pkg.name}';
    import { readCsvFrame } from '${pkg.name}/node';
    const options: ForecasterOptions = { lookback: 12, model: { cell: 'gru', hiddenSize: 8 } };
    const f: Frequency = 'monthly';
    // @ts-expect-error lookback is a number
    const bad: ForecasterOptions = { lookback: 'twelve' };
    export const made = [new Forecaster(options), LSTM, readCsvFrame, f, bad];`);
  const typed = run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
  assert.equal(typed.code, 0, typed.out + typed.err);
});
