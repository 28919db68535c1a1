/** Runs every ```js example of docs/api.md against the build, as a user's module importing the package. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url)).replace(/dist\/$/, '');
const PKG = JSON.parse(readFileSync(new URL('package.json', `file://${ROOT}`), 'utf8')) as { name: string };
const DOC = readFileSync(new URL('docs/api.md', `file://${ROOT}`), 'utf8');
const blocks = [...DOC.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test('docs/api.md has examples', () => assert.ok(blocks.length >= 6, `${blocks.length} examples`));

blocks.forEach((code, i) => {
  const title = code.split('\n').find((l) => l.includes("from 'unroll-rnn")) ?? '';
  test(`docs/api.md example ${i + 1} runs (${title.trim()})`, () => {
    const src = code.replace(/from 'unroll-rnn(\/[a-z]+)?'/g, (_, sub: string | undefined) => `from '${PKG.name}${sub ?? ''}'`);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `example ${i + 1} failed:\n${r.stderr}`);
  });
});
