/**
 * A training process for the panel kill-and-resume test (kill-resume.test.ts): fits a small panel
 * model with checkpoints in the folder given as the first argument, resuming from the pieces there if
 * any, on the given number of threads, and writes the final model and forecasts to `result.json` in
 * that folder. Prints a line after every piece it saves (every member's epoch ends and ends, whichever
 * thread trained it), so the test can aim its kills at moments of training whatever the machine's
 * speed.
 * Usage: node kill-resume.test.child.js <dir> [threads]
 *
 * Named `*.test.child.*` so the package leaves it out and the test runner does not take it for a test.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/node-io.js';
import { panelFileCheckpoints } from '../../train/checkpoint-panel.js';
import { Rng } from '../../util/rng.js';
import { PanelForecaster } from './model.js';

const dir = process.argv[2]!;
const threads = Number(process.argv[3] ?? 1);
const rng = new Rng(13);
const pattern = [0.7, 1.3, 1.1, 0.9];
const series = Array.from({ length: 8 }, () => {
  const level = 20 + 80 * rng.next();
  const slope = 0.01 * (rng.next() - 0.3);
  return Array.from({ length: 40 }, (_, t) => level * (1 + slope * t) * pattern[t % 4]! * Math.exp(0.05 * rng.normal()));
});
const model = new PanelForecaster({
  horizon: 4, period: 4, hiddenSize: 4, numLayers: 1, members: 2, epochs: 15, patience: 15, windowsPerSeries: 2, batchSize: 8, learningRate: 0.01, levels: [0.8],
  // Under this companion and weight rule the network gets weight, so the fit has a second pass to kill.
  companion: 'series', weightEvidence: 0,
});
const checkpoint = panelFileCheckpoints(dir, { resume: true });
model.fit(series, {
  threads,
  // A line after every piece saved (a member's epoch end, or its end), the worker threads' members' too.
  checkpoint: { ...checkpoint, save: (piece) => { checkpoint.save(piece); process.stdout.write(`epoch: pass ${piece.pass}, member ${piece.progress.member + 1}\n`); } },
});
const forecasts = model.forecast(series).map((f) => ({ mean: Array.from(f.mean), intervals: f.intervals.map((b) => [Array.from(b.lower), Array.from(b.upper)]) }));
writeFileAtomic(join(dir, 'result.json'), JSON.stringify({ model: model.toJSON(), forecasts }));
