/**
 * A training process for the kill-and-resume test (src/train/kill-resume.test.ts): trains a tiny
 * model with checkpoints in the folder given as the first argument, resuming from the checkpoint
 * there if any, and writes the final weights to `weights.json` in that folder. Prints a line at
 * every epoch end (just before its checkpoint is written), so the test can aim its kills at moments
 * of training whatever the machine's speed.
 * Usage: node kill-resume.test.child.js <dir> [threads]
 *
 * Named `*.test.child.*` so the package leaves it out (package.json "files" drops `*.test.*`) and
 * the test runner does not take it for a test file (those end in `.test.js`).
 */
import { join } from 'node:path';
import { RNN } from './model.js';
import { fileCheckpoints } from './checkpoint.js';
import { writeFileAtomic } from '../data/node-io.js';
import { Rng } from '../util/rng.js';

const dir = process.argv[2];
const threads = Number(process.argv[3] ?? 1);
const rng = new Rng(5);
const x = Array.from({ length: 24 }, () => Array.from({ length: 4 }, () => [rng.uniform(-1, 1)]));
const y = x.map((s) => [s[0][0] * 0.5 - s[3][0]]);
const model = new RNN({ inputSize: 1, hiddenSize: 3, cell: 'gru', seed: 2 });
model.fit(x, y, {
  epochs: 300, batchSize: 5, seed: 8, validationSplit: 0.25, threads, optimizer: { type: 'adam', learningRate: 0.01 },
  checkpoint: fileCheckpoints(dir, { resume: true }),
  onEpochEnd: (log) => process.stdout.write(`epoch ${log.epoch}\n`),
});
writeFileAtomic(join(dir, 'weights.json'), JSON.stringify(Array.from(model.store.values)));
