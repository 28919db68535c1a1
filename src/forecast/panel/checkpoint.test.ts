/**
 * Checkpoints of the panel forecaster's fit (checkpoint.ts, train/checkpoint-panel.ts): a fit resumed
 * from any prefix of the pieces an uninterrupted fit saved (so from any moment a kill could leave)
 * ends with the same members, Holt-Winters parameters, combination and forecasts, bit for bit, with 1
 * and 2 threads (and across the two); the pieces survive the file format bit for bit; a piece of
 * another fit is refused naming what differs; damaged pieces (seeded random mutations, fast-check,
 * bounded time) decode and resume, or give an UnrollError under 300 characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrollError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { decodePanelCheckpoint, encodePanelCheckpoint, panelFileCheckpoints, readPanelCheckpoints } from '../../train/checkpoint-panel.js';
import type { PanelCheckpoint, RunningMember } from './checkpoint.js';
import type { MemberResult } from './train.js';
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
  // The companion and weight rule under which this panel's network gets weight, so that the fit has the
  // second pass (members trained again on every value) and the checkpoints cover it.
  companion: 'series', weightEvidence: 0,
};

/** Everything a fit decides: the model file (members, HW parameters, weight, bands) and the forecasts. */
function outcome(model: PanelForecaster): string {
  return JSON.stringify({ model: model.toJSON(), forecasts: model.forecast(SERIES).map((f) => ({ mean: Array.from(f.mean), iv: f.intervals.map((b) => [Array.from(b.lower), Array.from(b.upper)]) })) });
}

/** Each piece through the file format and back (as a resumed run would read it). */
const viaFile = (c: PanelCheckpoint): PanelCheckpoint => decodePanelCheckpoint(encodePanelCheckpoint(c), 'test');

/** A clock a minute further on at every reading: with everyMinutes 1, a piece after every batch (on the calling thread). */
function minuteClock(): () => number {
  let t = 0;
  return () => (t += 60_000);
}

function throwsWith(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UnrollError && pattern.test(e.message), `expected an UnrollError matching ${pattern}`);
}

const reference = outcome(new PanelForecaster(OPTIONS).fit(SERIES));

for (const threads of [1, 2]) {
  test(`a fit resumed from any moment's checkpoint ends bit for bit as the uninterrupted fit (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    const pieces: PanelCheckpoint[] = [];
    // A piece after every batch as well, so mid-epoch states are resumed too (worker threads: when a microsecond has passed).
    const model = new PanelForecaster(OPTIONS).fit(SERIES, { threads, checkpoint: { save: (c) => pieces.push(viaFile(c)), everyMinutes: 1e-9, now: minuteClock() } });
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
  // A piece that decodes but does not fit the network: a finished member with too few weights, a running one without its Holt-Winters state.
  const small = { ...OPTIONS, members: 1, epochs: 1 };
  const done = pieces.find((c) => c.progress.done)!;
  const short = { ...done, progress: { ...done.progress, result: { ...(done.progress as { result: MemberResult }).result, weights: new Float64Array(3) } } } as PanelCheckpoint;
  throwsWith(() => new PanelForecaster(small).fit(SERIES, { checkpoint: { save: () => {}, resume: [short] } }), /member 1's saved result holds 3 weights/);
  const running: PanelCheckpoint[] = [];
  const two = { ...small, epochs: 2 };
  new PanelForecaster(two).fit(SERIES, { checkpoint: { save: (c) => running.push(c) } });
  const mid = running.find((c) => !c.progress.done)!;
  throwsWith(() => new PanelForecaster(two).fit(SERIES, { checkpoint: { save: () => {}, resume: [{ ...mid, progress: { ...mid.progress, hw: null } as RunningMember }] } }), /do not fit this model/);
  throwsWith(() => new PanelForecaster(OPTIONS).fit(SERIES, { checkpoint: { save: 'x' } as never }), /checkpoint\.save/);
  throwsWith(() => new PanelForecaster(OPTIONS).fit(SERIES, { checkpoint: { save: () => {}, everyMinutes: 0 } }), /checkpoint\.everyMinutes/);
});

test('the dates are part of the fingerprint: a resume with other dates is refused, with the same dates it ends bit for bit', () => {
  // Monthly dates (only each series' last one: the earlier ones are stepped back) read as a month-of-year input.
  const dated = { ...OPTIONS, members: 1, epochs: 2, calendar: ['monthOfYear'] } as PanelForecasterOptions;
  const last = (date: string) => SERIES.map(() => [date]);
  const pieces: PanelCheckpoint[] = [];
  // The model file holds everything the fit decides (forecasts would need the dates again).
  const file = (m: PanelForecaster): string => JSON.stringify(m.toJSON());
  const whole = file(new PanelForecaster(dated).fit(SERIES, { dates: last('2009-04-01'), frequency: 'monthly', checkpoint: { save: (c) => pieces.push(viaFile(c)) } }));
  const first = pieces.slice(0, 1);
  assert.ok(!first[0]!.progress.done && first[0]!.run.dates, 'the first piece is a running member with its dates hashed');
  const resume = (dates: string[][], from = first) => new PanelForecaster(dated).fit(SERIES, { dates, frequency: 'monthly', checkpoint: { save: () => {}, resume: from } });
  throwsWith(() => resume(last('2009-05-01')), /the series' dates \(the calendar inputs\) differ from those the checkpoint was trained on/);
  assert.equal(file(resume(last('2009-04-01'))), whole);
  // Without dates (no calendar inputs) against a dated checkpoint: refused, by the setting and by the dates.
  throwsWith(() => new PanelForecaster({ ...dated, calendar: 'auto' }).fit(SERIES, { checkpoint: { save: () => {}, resume: first } }), /setting calendar is \["monthOfYear"\] in the checkpoint but "none" now; the checkpoint read calendar inputs/);
  // A piece written before the dates were fingerprinted: refused when the fit reads calendar inputs (they cannot be checked) ...
  const old = (c: PanelCheckpoint): PanelCheckpoint => {
    const j = JSON.parse(encodePanelCheckpoint(c)) as { run: Record<string, unknown> };
    delete j.run.dates;
    return decodePanelCheckpoint(JSON.stringify(j), 'old');
  };
  throwsWith(() => resume(last('2009-04-01'), first.map(old)), /does not record the dates its calendar inputs were read from/);
  // ... and resumed when it reads none.
  const plain = { ...OPTIONS, members: 1, epochs: 2 };
  const plainPieces: PanelCheckpoint[] = [];
  const plainWhole = outcome(new PanelForecaster(plain).fit(SERIES, { checkpoint: { save: (c) => plainPieces.push(c) } }));
  assert.equal(plainPieces[0]!.run.dates, null);
  assert.equal(outcome(new PanelForecaster(plain).fit(SERIES, { checkpoint: { save: () => {}, resume: plainPieces.slice(0, 1).map(old) } })), plainWhole);
});

test('a piece written before dilations, residual, calendar, weightEvidence, validationWindows and maxEpochSteps existed resumes with their earlier values; one that holds another value is refused', () => {
  const small = { ...OPTIONS, members: 1, epochs: 2 };
  const pieces: PanelCheckpoint[] = [];
  const whole = outcome(new PanelForecaster(small).fit(SERIES, { checkpoint: { save: (c) => pieces.push(c) } }));
  const first = pieces[0]!;
  assert.ok(!first.progress.done);
  /** The piece's file with its settings edited (as an earlier unroll wrote it, or with another value). */
  const edited = (edit: (settings: Record<string, unknown>) => void): PanelCheckpoint[] => {
    const j = JSON.parse(encodePanelCheckpoint(first)) as { run: { settings: Record<string, unknown> } };
    edit(j.run.settings);
    return [decodePanelCheckpoint(JSON.stringify(j), 'old')];
  };
  const old = edited((s) => { for (const k of ['dilations', 'residual', 'calendar', 'weightEvidence', 'maxEpochSteps']) delete s[k]; });
  const resume = (options: PanelForecasterOptions, from: PanelCheckpoint[]) => () => new PanelForecaster(options).fit(SERIES, { checkpoint: { save: () => {}, resume: from } });
  assert.equal(outcome(resume(small, old)()), whole);
  // The weight's evidence and the companion only choose the combination after training: a resume may change
  // them, and ends as a fresh fit with them would; no companion ('none') is another training, and so is a
  // change to or from the per-series companion (it keeps one validation window where the others take two).
  assert.equal(outcome(resume({ ...small, weightEvidence: 3 }, old)()), outcome(new PanelForecaster({ ...small, weightEvidence: 3 }).fit(SERIES)));
  const thetaPieces: PanelCheckpoint[] = [];
  new PanelForecaster({ ...small, companion: 'theta' }).fit(SERIES, { checkpoint: { save: (c) => thetaPieces.push(c) } });
  const other = { ...small, companion: 'ets-arima' as const };
  assert.equal(outcome(resume(other, thetaPieces.slice(0, 1))()), outcome(new PanelForecaster(other).fit(SERIES)));
  throwsWith(resume({ ...small, companion: 'none' }, old), /setting companion is "series" in the checkpoint but "none" now/);
  throwsWith(resume(other, old), /setting companion is "series" in the checkpoint but "ets-arima" now/);
  // The earlier values are those of before: a fit with other ones now is another fit.
  throwsWith(resume({ ...small, numLayers: 2, residual: true }, edited((s) => { delete s.residual; s.numLayers = 2; s.dilations = [1, 1]; })), /setting residual is 0 in the checkpoint but 1 now/);
  // A setting the piece holds is compared as it is.
  throwsWith(resume(small, edited((s) => { s.residual = 1; })), /setting residual is 1 in the checkpoint but 0 now/);
  throwsWith(resume(small, edited((s) => { s.calendar = ['monthOfYear']; })), /setting calendar is \["monthOfYear"\] in the checkpoint but "none" now/);
  throwsWith(resume(small, edited((s) => { s.dilations = [2]; })), /setting dilations is \[2\] in the checkpoint but \[1\] now/);
  // A piece from before two validation windows trained its first pass on all but the last h values: it resumes
  // a one-window fit, and is refused by today's default (the setting is part of the fit's fingerprint).
  const onePieces: PanelCheckpoint[] = [];
  const oneWhole = outcome(new PanelForecaster({ ...small, validationWindows: 1 }).fit(SERIES, { checkpoint: { save: (c) => onePieces.push(c) } }));
  const j = JSON.parse(encodePanelCheckpoint(onePieces[0]!)) as { run: { settings: Record<string, unknown> } };
  delete j.run.settings.validationWindows;
  const oneWindow = [decodePanelCheckpoint(JSON.stringify(j), 'old')];
  assert.equal(outcome(resume({ ...small, validationWindows: 1 }, oneWindow)()), oneWhole);
  throwsWith(resume(small, oneWindow), /setting validationWindows is 1 in the checkpoint but 2 now/);
  // A piece from before the epoch budget had none; it resumes under any budget that leaves every series its
  // windows (the draws are the same), and is refused by one that binds.
  assert.equal(outcome(resume({ ...small, maxEpochSteps: 10 ** 6 }, old)()), outcome(new PanelForecaster({ ...small, maxEpochSteps: 10 ** 6 }).fit(SERIES)));
  throwsWith(resume({ ...small, maxEpochSteps: 8 }, old), /setting maxEpochSteps is 9007199254740991 in the checkpoint but 8 now/);
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

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

test('fuzz: damaged panel pieces decode and resume, or give a short UnrollError', () => {
  const tiny = { ...OPTIONS, members: 1, epochs: 2, hiddenSize: 3 };
  const series = SERIES.slice(0, 4);
  const pieces: string[] = [];
  new PanelForecaster(tiny).fit(series, { checkpoint: { save: (c) => pieces.push(encodePanelCheckpoint(c)), everyMinutes: 1, now: minuteClock() } });
  const valid = [pieces[1]!, pieces[pieces.length - 1]!].map((t) => JSON.parse(t) as Json);
  // Every path into a piece (keys, the first few array indices).
  const paths = (v: Json): (string | number)[][] => {
    const out: (string | number)[][] = [];
    const walk = (x: Json, p: (string | number)[]): void => {
      out.push(p);
      if (Array.isArray(x)) x.slice(0, 4).forEach((y, i) => walk(y, [...p, i]));
      else if (x && typeof x === 'object') for (const k of Object.keys(x)) walk(x[k]!, [...p, k]);
    };
    walk(v, []);
    return out;
  };
  const odd = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(0, -1, 1e9, 1e308, 0.5, '', 'AAAA', '__proto__', null, [], {}, true, 2 ** 31, 'x'.repeat(400)));
  const mutated = fc.tuple(fc.integer({ min: 0, max: 1 }), fc.nat(), odd, fc.boolean()).map(([which, at, value, remove]) => {
    const j = structuredClone(valid[which]!);
    const all = paths(j);
    const path = all[at % all.length]!;
    if (path.length === 0) return value as Json;
    let parent = j as Record<string | number, Json>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
    if (remove && !Array.isArray(parent)) delete parent[path[path.length - 1]!];
    else parent[path[path.length - 1]!] = value as Json;
    return j;
  });
  fc.assert(fc.property(mutated, (j) => {
    try {
      const piece = decodePanelCheckpoint(JSON.stringify(j), 'checkpoint ck/panel-p1-m1.json');
      new PanelForecaster(tiny).fit(series, { checkpoint: { save: () => {}, resume: [piece] } });
    } catch (e) {
      if (!(e instanceof UnrollError)) throw new Error(`not an UnrollError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 500));
      if (e.message.length >= 300) throw new Error(`message of ${e.message.length} characters: ${e.message.slice(0, 200)}`);
    }
  }), { seed: 14, numRuns: 200, interruptAfterTimeLimit: 2500, markInterruptAsFailure: false });
});
