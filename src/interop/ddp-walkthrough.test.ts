/**
 * docs/interop.md's "Outgrowing one machine", run end to end: unroll's weights → safetensors → PyTorch
 * DistributedDataParallel on two processes (gloo, CPU) → safetensors → unroll. The replicas stay equal,
 * training moved the weights, and the file PyTorch wrote loads into unroll (PyTorch's names, the config
 * given) and gives the trained module's outputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RNN } from '../train/model.js';
import { Rng } from '../util/rng.js';
import { loadSafetensors, saveSafetensors } from './files.js';

const FIXTURES = fileURLToPath(new URL('../../src/interop/fixtures/', import.meta.url));
const torchAvailable = spawnSync('/usr/bin/python3', ['-c', 'import torch, torch.distributed; assert torch.distributed.is_available()'], { stdio: 'ignore' }).status === 0;

test('docs/interop.md data-parallel walk-through: unroll → safetensors → PyTorch DDP (2 processes) → safetensors → unroll', (t) => {
  if (!torchAvailable) {
    t.skip('PyTorch with torch.distributed is not installed (apt-get install python3-torch)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'unroll-ddp-'));
  try {
    // The doc's module: nn.LSTM(4, H) and nn.Linear(H, 1) on the last hidden state.
    const config = { cell: 'lstm', inputSize: 4, hiddenSize: 6, outputSize: 1 } as const;
    const model = new RNN({ ...config, seed: 5 });
    const rng = new Rng(8);
    // 16 windows of 5 steps (equal lengths: the doc's DataLoader stacks them); the target is a smooth function of the window.
    const windows = Array.from({ length: 16 }, () => Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => rng.normal())));
    const targets = windows.map((w) => [Math.tanh(w.reduce((s, row) => s + row[0]! - 0.5 * row[3]!, 0) / 3)]);
    const start = join(dir, 'start.safetensors');
    saveSafetensors(model, start);
    const r = spawnSync('/usr/bin/python3', [join(FIXTURES, 'ddp_walkthrough.py'), start, dir, JSON.stringify(config), JSON.stringify(windows), JSON.stringify(targets)],
      { encoding: 'utf8', timeout: 120000, env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } });
    assert.equal(r.status, 0, r.stderr || r.error?.message);

    // DDP averaged the gradients, so both ranks hold the same weights.
    assert.deepEqual(readFileSync(join(dir, 'rank-1.safetensors')), readFileSync(join(dir, 'rank-0.safetensors')));
    const back = loadSafetensors(join(dir, 'rank-0.safetensors'), { config }) as RNN;
    const before = model.getWeights();
    const after = back.getWeights();
    assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
    const moved = Object.keys(before).some((k) => before[k]!.data.some((v, i) => v !== after[k]!.data[i]));
    assert.ok(moved, 'PyTorch training changed the weights');
    const want = JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as number[][];
    const got = back.predict(windows) as number[][];
    got.forEach((row, i) => assert.ok(Math.abs(row[0]! - want[i]![0]!) < 1e-12, `window ${i}: unroll ${row[0]} vs PyTorch ${want[i]![0]}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
