/**
 * Checkpoints of the panel forecaster's fit (checkpoint.ts, train/checkpoint-panel.ts): a fit resumed
 * from any prefix of the pieces an uninterrupted fit saved (so from any moment a kill could leave)
 * ends with the same members, Holt-Winters parameters, combination and forecasts, bit for bit, with 1
 * and 2 threads (and across the two); the pieces survive the file format bit for bit; a piece of
 * another fit is refused naming what differs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrollError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { decodePanelCheckpoint, encodePanelCheckpoint, panelFileCheckpoints, readPanelCheckpoints } from '../../train/checkpoint-panel.js';
import type { PanelCheckpoint } from './checkpoint.js';
import { PanelForecaster, type PanelForecasterOptions } from './model.js';

const PATTERN = [0.7, 1.3, 1.1, 0.9];

/** A small quarterly-like panel: level, slope and a known pattern per series, multiplicative noise. */
function panel(count: number, length: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const level = 20 + 80 * rng.next();
    const slope = 0.01 * (rng.next() - 0.3);
    return Array.from({ length }, (_, t) => level * (1 + slope * t) * PATTERN[t % 4]! * Math.exp(0.05 * rng.normal()));
  });
}

const SERIES = panel(8, 40, 11);
const OPTIONS: PanelForecasterOptions = {
  horizon: 4, period: 4, hiddenSize: 5, numLayers: 1, members: 2, epochs: 5, patience: 3, windowsPerSeries: 3, batchSize: 8,
  learningRate: 0.01, levels: [0.8],
};

/** Everything a fit decides: the model file (members, HW parameters, weight, bands) and the forecasts. */
function outcome(model: PanelForecaster): string {
  return JSON.stringify({ model: model.toJSON(), forecasts: model.forecast(SERIES).map((f) => ({ mean: Array.from(f.mean), iv: f.intervals.map((b) => [Array.from(b.lower), Array.from(b.upper)]) })) });
}

/** Each piece through the file format and back (as a resumed run would read it). */
const viaFile = (c: PanelCheckpoint): PanelCheckpoint => decodePanelCheckpoint(encodePanelCheckpoint(c), 'test');

function throwsWith(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UnrollError && pattern.test(e.message), `expected an UnrollError matching ${pattern}`);
}

const reference = outcome(new PanelForecaster(OPTIONS).fit(SERIES));

for (const threads of [1, 2]) {
  test(`a fit resumed from any moment's checkpoint ends bit for bit as the uninterrupted fit (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    const pieces: PanelCheckpoint[] = [];
    // everyMinutes tiny: a piece after every batch as well, so mid-epoch states are resumed too.
    const model = new PanelForecaster(OPTIONS).fit(SERIES, { threads, checkpoint: { save: (c) => pieces.push(viaFile(c)), everyMinutes: 1e-9 } });
    assert.equal(outcome(model), reference, 'checkpointing changed the fit');
    assert.ok(pieces.some((c) => c.pass === 2), 'the fit had no second pass; the test should cover both');
    assert.ok(pieces.some((c) => !c.progress.done && c.progress.batch > 0), 'no mid-epoch piece');
    const rng = new Rng(7 + threads);
    const cuts = [1, pieces.length - 1, ...Array.from({ length: 3 }, () => 2 + rng.int(pieces.length - 3))];
    for (const cut of cuts) {
      // Resumed with the other thread count as well: which thread trains a member does not matter.
      const resumed = new PanelForecaster(OPTIONS).fit(SERIES, { threads: cut % 2 ? 3 - threads : threads, checkpoint: { save: () => {}, resume: pieces.slice(0, cut) } });
      assert.equal(outcome(resumed), reference, `resumed after ${cut} of ${pieces.length} pieces`);
    }
  });
}

test('a checkpoint of another fit is refused, naming what differs', () => {
  const pieces: PanelCheckpoint[] = [];
  new PanelForecaster({ ...OPTIONS, members: 1, epochs: 1 }).fit(SERIES, { checkpoint: { save: (c) => pieces.push(c) } });
  const resume = (options: PanelForecasterOptions, series = SERIES) => () => new PanelForecaster(options).fit(series, { checkpoint: { save: () => {}, resume: pieces } });
  throwsWith(resume({ ...OPTIONS, members: 1, epochs: 1, hiddenSize: 6 }), /setting hiddenSize is 5 in the checkpoint but 6 now/);
  throwsWith(resume({ ...OPTIONS, members: 1, epochs: 1, levels: [0.9] }), /quantiles/);
  throwsWith(resume({ ...OPTIONS, members: 1, epochs: 1 }, SERIES.slice(1)), /the data has 7 series, the checkpoint's had 8/);
  const changed = SERIES.map((y) => [...y]);
  changed[3]![10]! += 1;
  throwsWith(resume({ ...OPTIONS, members: 1, epochs: 1 }, changed), /values differ/);
  throwsWith(() => new PanelForecaster(OPTIONS).fit(SERIES, { checkpoint: { save: 'x' } as never }), /checkpoint\.save/);
  throwsWith(() => new PanelForecaster(OPTIONS).fit(SERIES, { checkpoint: { save: () => {}, everyMinutes: 0 } }), /checkpoint\.everyMinutes/);
});

test('panelFileCheckpoints: a piece per pass and member, stale temporary files removed, a fresh start clears old pieces, damage refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-panel-ck-'));
  const small = { ...OPTIONS, members: 2, epochs: 2 };
  const first = outcome(new PanelForecaster(small).fit(SERIES, { checkpoint: panelFileCheckpoints(dir) }));
  const names = readdirSync(dir).sort();
  assert.ok(names.includes('panel-p1-m1.json') && names.includes('panel-p1-m2.json'), names.join(', '));
  const done = readPanelCheckpoints(dir);
  assert.ok(done.every((c) => c.progress.done));
  // Resuming a finished fit trains nothing and gives the same model.
  assert.equal(outcome(new PanelForecaster(small).fit(SERIES, { checkpoint: panelFileCheckpoints(dir, { resume: true }) })), first);
  // A temporary file of a dead writer (pid 2^22 + 1 is above Linux's default pid_max) goes when the folder is opened.
  writeFileSync(join(dir, `.unroll-tmp-${2 ** 22 + 1}-1-0-panel-p1-m1.json`), 'partial');
  panelFileCheckpoints(dir, { resume: true });
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.unroll-tmp-')), []);
  // Without resume the earlier pieces go.
  panelFileCheckpoints(dir);
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('panel-')), []);
  writeFileSync(join(dir, 'panel-p1-m1.json'), '{"format":"unroll-panel-checkpoint","version":1,"run":{}}');
  throwsWith(() => panelFileCheckpoints(dir, { resume: true }), /panel-p1-m1\.json.*damaged/);
  writeFileSync(join(dir, 'panel-p1-m1.json'), '{"format":"unroll-checkpoint","version":1}');
  throwsWith(() => panelFileCheckpoints(dir, { resume: true }), /format is "unroll-checkpoint"/);
  writeFileSync(join(dir, 'panel-p1-m1.json'), 'nonsense');
  throwsWith(() => panelFileCheckpoints(dir, { resume: true }), /not valid JSON/);
  const file = join(dir, 'file');
  writeFileSync(file, '');
  throwsWith(() => panelFileCheckpoints(file), /is a file/);
});
